// The precision metrics (ARX's MDNMPrecision and MDPrecision): per attribute, the chosen level over the height.
// The plain variant charges suppressed records sF per cell; the monotonic one ignores suppression entirely.

import type { EquivalenceClasses } from '../groupify/equivalence-classes.js';
import { aggregate } from './aggregate.js';
import { gsWeights } from './gs-factor.js';
import type { Metric, MetricContext, MetricValue } from './metric.js';

/** l_j / h_j, 0 for an attribute whose hierarchy has a single level. */
function relativeLevel(levels: Int32Array, maxLevels: Int32Array, j: number): number {
  return maxLevels[j] === 0 ? 0 : levels[j] / maxLevels[j];
}

/**
 * P_j = (U·(l_j/h_j)·gF + S·sF) / n. The bound (l_j/h_j)·min(gF, sF) holds at the node and above for any suppressed
 * set: P_j ≥ min((l_j/h_j)·gF, sF) ≥ (l_j/h_j)·min(gF, sF) since l_j/h_j ≤ 1, and l_j only grows upward.
 * (ARX bounds with (l_j/h_j)·gF, which exceeds the score when sF is small and records are suppressed.)
 */
export function createPrecisionMetric(context: MetricContext): Metric {
  const { rowCount, weights } = context;
  const kind = context.aggregate;
  const { suppression: sF, generalization: gF } = gsWeights(context.gsFactor);
  const maxLevels = Int32Array.from(context.hierarchies, (hierarchy) => hierarchy.maxLevel);
  const width = maxLevels.length;
  const boundFactor = Math.min(gF, sF);
  const boundValues = new Float64Array(width);

  /** P_j with S records suppressed, in the score's operation order. */
  const precisionOf = (levels: Int32Array, j: number, suppressedRecords: number): number =>
    ((rowCount - suppressedRecords) * relativeLevel(levels, maxLevels, j) * gF + suppressedRecords * sF) / rowCount;

  return {
    name: 'precision',
    monotoneWithSuppression: false,
    monotoneWithoutSuppression: true,
    score(classes: EquivalenceClasses, suppressed: Uint8Array): MetricValue {
      let suppressedRecords = 0;
      for (let c = 0; c < classes.count; c++) if (suppressed[c] === 1) suppressedRecords += classes.sizes[c];
      const perAttribute = new Float64Array(width);
      for (let j = 0; j < width; j++) perAttribute[j] = precisionOf(classes.levels, j, suppressedRecords);
      return { value: aggregate(kind, perAttribute, weights), perAttribute };
    },
    lowerBound(classes: EquivalenceClasses): number {
      // Written in the score's operation order, so that rounding cannot lift the bound above a score it equals.
      for (let j = 0; j < width; j++) {
        boundValues[j] = (rowCount * relativeLevel(classes.levels, maxLevels, j) * boundFactor) / rowCount;
      }
      return aggregate(kind, boundValues, weights);
    },
    /**
     * P_j is linear in S, so over S ∈ [at least, budget] it is smallest at an end; 2⁻⁴⁵ (far above the rounding of
     * its few operations on values ≤ 1) keeps rounding from lifting the smaller end above P_j at an S between.
     */
    boundAt(levels: Int32Array, boundBelow: number, suppressedAtLeast: number, suppressionBudget: number): number {
      const most = Math.max(suppressedAtLeast, suppressionBudget);
      for (let j = 0; j < width; j++) {
        boundValues[j] = Math.min(precisionOf(levels, j, suppressedAtLeast), precisionOf(levels, j, most)) - 2 ** -45;
      }
      return Math.max(boundBelow, aggregate(kind, boundValues, weights));
    },
  };
}

/** P_j = (l_j/h_j)·gF: depends on the levels only, so it is its own bound and monotone whatever is suppressed. */
export function createMonotonicPrecisionMetric(context: MetricContext): Metric {
  const { weights } = context;
  const kind = context.aggregate;
  const { generalization: gF } = gsWeights(context.gsFactor);
  const maxLevels = Int32Array.from(context.hierarchies, (hierarchy) => hierarchy.maxLevel);
  const width = maxLevels.length;

  function perAttributeAt(levels: Int32Array): Float64Array {
    const perAttribute = new Float64Array(width);
    for (let j = 0; j < width; j++) perAttribute[j] = relativeLevel(levels, maxLevels, j) * gF;
    return perAttribute;
  }

  return {
    name: 'precision-monotonic',
    monotoneWithSuppression: true,
    monotoneWithoutSuppression: true,
    score(classes: EquivalenceClasses): MetricValue {
      const perAttribute = perAttributeAt(classes.levels);
      return { value: aggregate(kind, perAttribute, weights), perAttribute };
    },
    lowerBound: (classes: EquivalenceClasses): number => aggregate(kind, perAttributeAt(classes.levels), weights),
    // The score itself, known before grouping.
    boundAt: (levels: Int32Array, boundBelow: number): number => Math.max(boundBelow, aggregate(kind, perAttributeAt(levels), weights)),
  };
}
