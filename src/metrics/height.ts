// The height metric (ARX's MDHeight): per attribute, the chosen generalization level.
// It depends on the node only, so it is monotone with or without suppression and is its own lower bound.

import type { EquivalenceClasses } from '../groupify/equivalence-classes.js';
import { aggregate } from './aggregate.js';
import type { Metric, MetricContext, MetricValue } from './metric.js';

export function createHeightMetric(context: MetricContext): Metric {
  const { weights } = context;
  const kind = context.aggregate;
  const valueAt = (levels: Int32Array): MetricValue => {
    const perAttribute = Float64Array.from(levels);
    return { value: aggregate(kind, perAttribute, weights), perAttribute };
  };
  const score = (classes: EquivalenceClasses): MetricValue => valueAt(classes.levels);
  return {
    name: 'height',
    monotoneWithSuppression: true,
    monotoneWithoutSuppression: true,
    score,
    lowerBound: (classes: EquivalenceClasses): number => score(classes).value,
    // The score itself, known before grouping.
    boundAt: (levels: Int32Array, boundBelow: number): number => Math.max(boundBelow, valueAt(levels).value),
  };
}
