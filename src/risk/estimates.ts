// The JSON shapes in which risk figures are reported: count/fraction pairs and unavailable estimates.
// Owns the rule that a failed estimator says why instead of reporting a number.

export interface CountAndFraction {
  readonly count: number;
  readonly fraction: number;
}

export interface UnavailableEstimate {
  readonly available: false;
  /** Why the estimator gave no figure, e.g. that its solver did not converge. */
  readonly reason: string;
}

/** A population estimate: `count` of population uniques and `fraction` = count / N, or why there is none. */
export type PopulationEstimate = CountAndFraction | UnavailableEstimate;

export function unavailable(reason: string): UnavailableEstimate {
  return { available: false, reason };
}

export function isEstimateAvailable<T extends object>(estimate: T | UnavailableEstimate): estimate is T {
  return !('available' in estimate && estimate.available === false);
}

/** A count with its share of `total`; a share of nothing is 0, never NaN. */
export function countAndFraction(count: number, total: number): CountAndFraction {
  return { count, fraction: total > 0 ? count / total : 0 };
}
