// Public entry of the metrics package: builds a metric from options, scores a node under every metric for reports.
// The definitions follow ARX 3.9.2; each metric module documents where and why its lower bound departs from ARX's.

import type { EquivalenceClasses } from '../groupify/equivalence-classes.js';
import type { MetricName, MetricOptions } from '../options.js';
import { createAecsMetric } from './aecs.js';
import { createDiscernibilityMetric, createMonotonicDiscernibilityMetric } from './discernibility.js';
import { createEntropyMetric, createMonotonicEntropyMetric } from './entropy.js';
import { createHeightMetric } from './height.js';
import { createLossMetric } from './loss.js';
import type { Metric, MetricContext } from './metric.js';
import { DEFAULT_AGGREGATE, METRIC_NAMES } from './metric-options.js';
import { createMonotonicPrecisionMetric, createPrecisionMetric } from './precision.js';

export type { Metric, MetricContext, MetricValue } from './metric.js';
export { aggregate, floor10, AGGREGATE_NAMES, type AggregateName } from './aggregate.js';
export { gsWeights, type GsWeights } from './gs-factor.js';
export { DEFAULT_AGGREGATE, DEFAULT_GS_FACTOR, METRIC_NAMES, normalizeWeights, validateMetricOptions } from './metric-options.js';

/**
 * The metric named in `options`. Weights come from `context.weights` (see `normalizeWeights`). `options.gsFactor`
 * overrides `context.gsFactor`; the aggregate is `options.aggregate`, else the metric's ARX default
 * (`DEFAULT_AGGREGATE`) — `context.aggregate` is not consulted, because one context serves metrics whose defaults differ.
 */
export function createMetric(options: MetricOptions, context: MetricContext): Metric {
  const resolved: MetricContext = {
    ...context,
    gsFactor: options.gsFactor ?? context.gsFactor,
    aggregate: options.aggregate ?? DEFAULT_AGGREGATE[options.name],
  };
  switch (options.name) {
    case 'loss':
      return createLossMetric(resolved);
    case 'precision':
      return createPrecisionMetric(resolved);
    case 'precision-monotonic':
      return createMonotonicPrecisionMetric(resolved);
    case 'discernibility':
      return createDiscernibilityMetric(resolved);
    case 'discernibility-monotonic':
      return createMonotonicDiscernibilityMetric();
    case 'aecs':
      return createAecsMetric(resolved);
    case 'entropy':
      return createEntropyMetric(resolved);
    case 'entropy-monotonic':
      return createMonotonicEntropyMetric(resolved);
    case 'height':
      return createHeightMetric(resolved);
  }
}

export interface ReportedMetricValue {
  readonly value: number;
  readonly perAttribute: number[] | undefined;
}

/** The node's score under every metric, each with its default aggregate and `context.gsFactor`, for the report. */
export function scoreAllMetrics(
  classes: EquivalenceClasses,
  suppressed: Uint8Array,
  context: MetricContext,
): Record<MetricName, ReportedMetricValue> {
  const scores = {} as Record<MetricName, ReportedMetricValue>;
  for (const name of METRIC_NAMES) {
    const { value, perAttribute } = createMetric({ name }, context).score(classes, suppressed);
    scores[name] = { value, perAttribute: perAttribute === undefined ? undefined : Array.from(perAttribute) };
  }
  return scores;
}
