// Metric option handling: the list of metric names, each metric's default aggregate, weight normalization, validation.
// Validation reports every problem at once so a user can fix a configuration in one pass.

import type { MetricName, MetricOptions } from '../options.js';
import { AGGREGATE_NAMES, type AggregateName } from './aggregate.js';

export const METRIC_NAMES: readonly MetricName[] = [
  'loss',
  'precision',
  'precision-monotonic',
  'discernibility',
  'discernibility-monotonic',
  'aecs',
  'entropy',
  'entropy-monotonic',
  'height',
];

export const DEFAULT_GS_FACTOR = 0.5;

/**
 * ARX's default aggregate per metric. Discernibility and AECS have no per-attribute form; they ignore the aggregate,
 * and 'sum' is listed for them only so that the table is total.
 */
export const DEFAULT_AGGREGATE: Readonly<Record<MetricName, AggregateName>> = {
  loss: 'geometric',
  precision: 'arithmetic',
  'precision-monotonic': 'arithmetic',
  discernibility: 'sum',
  'discernibility-monotonic': 'sum',
  aecs: 'sum',
  entropy: 'sum',
  'entropy-monotonic': 'sum',
  height: 'sum',
};

/**
 * Weights in `names` order, divided by the largest, as ARX does; an attribute without a weight gets 1.
 * When every weight is 0 all become 1 (ARX's fallback), so the aggregate never collapses to a constant.
 * Expects weights that passed `validateMetricOptions` (finite, ≥ 0).
 */
export function normalizeWeights(names: readonly string[], weights?: Readonly<Record<string, number>>): Float64Array {
  // Own keys only: an attribute named `constructor` must not pick up Object.prototype.constructor as its weight.
  const normalized = Float64Array.from(names, (name) => (weights !== undefined && Object.hasOwn(weights, name) ? weights[name] : 1));
  const largest = normalized.reduce((max, weight) => Math.max(max, weight), 0);
  if (largest === 0) return normalized.fill(1);
  for (let j = 0; j < normalized.length; j++) normalized[j] /= largest;
  return normalized;
}

function isMetricName(value: unknown): value is MetricName {
  return typeof value === 'string' && (METRIC_NAMES as readonly string[]).includes(value);
}

/** Every problem with the metric options (a bare name is accepted too); empty when they are valid. */
export function validateMetricOptions(options: MetricOptions | MetricName, qiNames: readonly string[]): string[] {
  const resolved: Partial<MetricOptions> = typeof options === 'string' ? { name: options } : options;
  const problems: string[] = [];
  if (!isMetricName(resolved.name)) {
    problems.push(`unknown metric ${JSON.stringify(resolved.name)}; expected one of ${METRIC_NAMES.join(', ')}`);
  }
  const { gsFactor, aggregate, weights } = resolved;
  if (gsFactor !== undefined && !(typeof gsFactor === 'number' && gsFactor >= 0 && gsFactor <= 1)) {
    problems.push(`metric gsFactor must be a number in [0, 1], got ${JSON.stringify(gsFactor)}`);
  }
  if (aggregate !== undefined && !AGGREGATE_NAMES.includes(aggregate)) {
    problems.push(`unknown metric aggregate ${JSON.stringify(aggregate)}; expected one of ${AGGREGATE_NAMES.join(', ')}`);
  }
  if (weights !== undefined) {
    for (const [attribute, weight] of Object.entries(weights)) {
      if (!qiNames.includes(attribute)) {
        problems.push(`metric weight given for ${JSON.stringify(attribute)}, which is not a quasi-identifier`);
      }
      if (typeof weight !== 'number' || !Number.isFinite(weight) || weight < 0) {
        problems.push(`metric weight of ${JSON.stringify(attribute)} must be a finite number ≥ 0, got ${String(weight)}`);
      }
    }
  }
  return problems;
}
