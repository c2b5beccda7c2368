// The discernibility metrics (ARX's SDNMDiscernability and SDDiscernability): Σ|E|² over classes.
// The plain variant charges every suppressed record n (it is indistinguishable from all); the monotonic one does not.

import type { EquivalenceClasses } from '../groupify/equivalence-classes.js';
import type { Metric, MetricContext, MetricValue } from './metric.js';

function sumOfSquaredSizes(classes: EquivalenceClasses): number {
  const { sizes, count } = classes;
  let total = 0;
  for (let c = 0; c < count; c++) total += sizes[c] * sizes[c];
  return total;
}

/** Σ_{E∉O}|E|² + Σ_{E∈O} n·|E|; bounded below by Σ|E|² over all classes, since |E| ≤ n. */
export function createDiscernibilityMetric(context: MetricContext): Metric {
  const { rowCount } = context;
  return {
    name: 'discernibility',
    monotoneWithSuppression: false,
    monotoneWithoutSuppression: true,
    score(classes: EquivalenceClasses, suppressed: Uint8Array): MetricValue {
      const { sizes, count } = classes;
      let value = 0;
      for (let c = 0; c < count; c++) value += suppressed[c] === 1 ? rowCount * sizes[c] : sizes[c] * sizes[c];
      return { value };
    },
    lowerBound: sumOfSquaredSizes,
    /**
     * DM − Σ|E|² = Σ_{E∈O}|E|(n − |E|) ≥ S(n − S), since no suppressed class exceeds the S suppressed records;
     * S(n − S) is concave in S, so over S ∈ [at least, budget] it is smallest at an end. Σ|E|² ≥ Σ|E| = n even
     * with no checked node below.
     */
    boundAt(_levels: Int32Array, boundBelow: number, suppressedAtLeast: number, suppressionBudget: number): number {
      const penalty = (records: number) => records * (rowCount - records);
      return Math.max(boundBelow, rowCount) + Math.min(penalty(suppressedAtLeast), penalty(Math.max(suppressedAtLeast, suppressionBudget)));
    },
  };
}

/** Σ|E|² over all classes, suppressed ones included: merging classes only grows it, whatever is suppressed. */
export function createMonotonicDiscernibilityMetric(): Metric {
  return {
    name: 'discernibility-monotonic',
    monotoneWithSuppression: true,
    monotoneWithoutSuppression: true,
    score: (classes: EquivalenceClasses): MetricValue => ({ value: sumOfSquaredSizes(classes) }),
    lowerBound: sumOfSquaredSizes,
  };
}
