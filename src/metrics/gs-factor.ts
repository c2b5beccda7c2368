// The generalization/suppression factor gs ∈ [0, 1] split into the weights of generalized and suppressed cells.
// gs = 0.5 treats both alike; below it suppression costs less, above it generalization costs less.

export interface GsWeights {
  /** sF: weight of information lost by suppression. */
  readonly suppression: number;
  /** gF: weight of information lost by generalization. */
  readonly generalization: number;
}

export function gsWeights(gs: number): GsWeights {
  return {
    suppression: gs < 0.5 ? 2 * gs : 1,
    generalization: gs <= 0.5 ? 1 : 1 - 2 * (gs - 0.5),
  };
}
