// The class size that stands in for k-map when the population is only known by its size: the Poisson (Pannekoek's
// D3) and zero-truncated Poisson (El Emam and Dankar's D4) estimators, with ARX's derivation and bounds.

export type KMapEstimator = 'poisson' | 'zero-truncated-poisson';

/** The default significance level of an estimated k-map, ARX's. */
export const DEFAULT_K_MAP_SIGNIFICANCE = 0.01;

export interface KMapEstimate {
  /** k′: released classes of at least k′ records stand for at least k people, at the significance level. */
  readonly k: number;
  /** The type I error the derivation reached (1 − the cumulative probability where it stopped). */
  readonly typeOneError: number;
}

/**
 * k′ for k-map, as ARX's KMap derives it: with λ = k·n/N (the expected sample count of a population cell of k),
 * Poisson: the smallest count c with P(X ≤ c) ≥ 1 − α, then k′ = c + 2; zero-truncated Poisson: the same over
 * P(X = i | X > 0) summed from i = 1, then k′ = c + 1; a count reaching k stops the search (the data then meets
 * k-map with certainty). Finally k′ = min(k, k′, n). Probabilities by the recurrence p_i = p_(i−1)·λ/i from e^(−λ).
 */
export function estimateKMapK(k: number, sampleSize: number, populationSize: number, significance: number, estimator: KMapEstimator): KMapEstimate {
  const lambda = (sampleSize / populationSize) * k;
  const threshold = 1 - significance;
  const zero = Math.exp(-lambda);
  let derived: number;
  let value = 0;
  if (estimator === 'poisson') {
    let counter = 0;
    let probability = zero;
    let cumulative = 0;
    while (value < threshold) {
      cumulative += probability;
      value = cumulative;
      counter++;
      probability *= lambda / counter;
      if (counter >= k) {
        value = 1;
        break;
      }
    }
    derived = counter + 1;
  } else {
    const nonZero = 1 - zero;
    let counter = 1;
    let probability = zero * lambda;
    while (value < threshold) {
      value += probability / nonZero;
      counter++;
      probability *= lambda / counter;
      if (counter >= k) {
        value = 1;
        break;
      }
    }
    derived = counter;
  }
  return { k: Math.min(k, derived, sampleSize), typeOneError: 1 - value };
}
