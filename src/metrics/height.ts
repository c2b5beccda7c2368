// The height metric (ARX's MDHeight): per attribute, the chosen generalization level.
// It depends on the node only, so it is monotone with or without suppression and is its own lower bound.

import type { EquivalenceClasses } from '../groupify/equivalence-classes.js';
import { aggregate } from './aggregate.js';
import type { Metric, MetricContext, MetricValue } from './metric.js';

export function createHeightMetric(context: MetricContext): Metric {
  const { weights } = context;
  const kind = context.aggregate;
  const score = (classes: EquivalenceClasses): MetricValue => {
    const perAttribute = Float64Array.from(classes.levels);
    return { value: aggregate(kind, perAttribute, weights), perAttribute };
  };
  return {
    name: 'height',
    monotoneWithSuppression: true,
    monotoneWithoutSuppression: true,
    score,
    lowerBound: (classes: EquivalenceClasses): number => score(classes).value,
  };
}
