// The contract every utility metric implements: a score at a node, a lower bound for pruning, monotonicity facts.
// Scores are information loss: lower is better. Metrics read classes and compiled hierarchies, never rows.

import type { EquivalenceClasses } from '../groupify/equivalence-classes.js';
import type { CompiledHierarchy } from '../hierarchy/compiled-hierarchy.js';
import type { MetricName } from '../options.js';

export interface MetricContext {
  /** n: input records, suppressed ones included. */
  readonly rowCount: number;
  /** One per quasi-identifier, in quasi-identifier order. */
  readonly hierarchies: readonly CompiledHierarchy[];
  /** Records per data code of each quasi-identifier over the whole input. */
  readonly valueCounts: readonly Int32Array[];
  /** Per quasi-identifier weight, normalized so that the largest is 1. */
  readonly weights: Float64Array;
  /** Generalization/suppression factor gs ∈ [0, 1]. */
  readonly gsFactor: number;
  readonly aggregate: 'sum' | 'max' | 'arithmetic' | 'geometric';
}

export interface MetricValue {
  readonly value: number;
  /** Per quasi-identifier contribution, where the metric has one. */
  readonly perAttribute?: Float64Array;
}

export interface Metric {
  readonly name: MetricName;
  /** Never decreases from a node to a generalization of it, whatever is suppressed. */
  readonly monotoneWithSuppression: boolean;
  /** Never decreases upward when nothing is suppressed. */
  readonly monotoneWithoutSuppression: boolean;
  /** Score at the node whose classes are given; `suppressed[c]` is 1 for suppressed classes. */
  score(classes: EquivalenceClasses, suppressed: Uint8Array): MetricValue;
  /** ≤ the score at this node and at every generalization of it, and non-decreasing upward. */
  lowerBound(classes: EquivalenceClasses): number;
  /**
   * A lower bound on the score of one unchecked node at `levels`, valid for every suppressed set the node may
   * release: at least `suppressedAtLeast` and at most `suppressionBudget` records. `boundBelow` is a `lowerBound` of
   * a checked node it generalizes (−∞ if none). It must hold at this node only, not above it. `levels` is the
   * search's scratch array: read it during the call, never keep it. Optional.
   */
  boundAt?(levels: Int32Array, boundBelow: number, suppressedAtLeast: number, suppressionBudget: number): number;
  /**
   * The information loss of class `c` alone, where ARX has one per class (Loss): among released classes of one size,
   * the one with the lower value is suppressed first for a criterion over the whole release. Optional.
   */
  classLoss?(classes: EquivalenceClasses, c: number): number;
}
