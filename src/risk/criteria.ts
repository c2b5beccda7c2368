// The risk-based privacy criteria as figures over the sizes of the released classes: their definitions,
// labels and bounds, shared by the search's models and the independent checkers that group decoded output.

import type { ModelSpec } from '../options.js';
import { populationUniqueness } from './population-uniqueness.js';

/** The privacy-model specs whose criterion is a re-identification risk. */
export type RiskModelSpec = Extract<ModelSpec, { type: 'average-risk' | 'highest-risk' | 'records-at-risk' | 'population-uniqueness' }>;

/** The `type`s of the risk-based model specs. */
export const RISK_MODEL_TYPES: readonly RiskModelSpec['type'][] = ['average-risk', 'highest-risk', 'records-at-risk', 'population-uniqueness'];

/** Whether a spec states a risk-based criterion (no sensitive attribute involved). */
export function isRiskModelSpec(spec: ModelSpec): spec is RiskModelSpec {
  return (RISK_MODEL_TYPES as readonly string[]).includes(spec.type);
}

/**
 * The least class size k with 1/k ≤ maxRisk, found by the very comparison the criterion makes, so that the
 * size test and the risk test can never disagree through rounding of 1/maxRisk.
 */
export function smallestSafeClassSize(maxRisk: number): number {
  if (!(maxRisk > 0)) return Number.POSITIVE_INFINITY;
  let k = Math.max(1, Math.ceil(1 / maxRisk));
  while (k > 1 && 1 / (k - 1) <= maxRisk) k--;
  while (1 / k > maxRisk) k++;
  return k;
}

/** A short description for messages and the report, e.g. `average risk ≤ 0.05`. */
export function riskModelLabel(spec: RiskModelSpec): string {
  switch (spec.type) {
    case 'average-risk':
      return `average risk ≤ ${spec.maxRisk}`;
    case 'highest-risk':
      return `highest risk ≤ ${spec.maxRisk}`;
    case 'records-at-risk':
      return `records at risk (> ${spec.threshold}) ≤ ${spec.maxShare}`;
    case 'population-uniqueness':
      return `population uniqueness (${spec.model}, N = ${spec.populationSize}) ≤ ${spec.maxUniqueness}`;
  }
}

/** The bound the spec puts on its measure. */
export function riskModelBound(spec: RiskModelSpec): number {
  switch (spec.type) {
    case 'average-risk':
    case 'highest-risk':
      return spec.maxRisk;
    case 'records-at-risk':
      return spec.maxShare;
    case 'population-uniqueness':
      return spec.maxUniqueness;
  }
}

/**
 * The figure a risk criterion bounds, over the released classes of the given sizes: the average or highest
 * prosecutor risk, the share of records at risk, or the estimated population uniqueness. An empty release
 * risks nothing (0). Undefined when the population model gives no estimate: that is never read as zero risk.
 */
export function riskModelMeasure(spec: RiskModelSpec, classSizes: ArrayLike<number>): number | undefined {
  let records = 0;
  for (let c = 0; c < classSizes.length; c++) records += classSizes[c];
  if (records === 0) return 0;
  switch (spec.type) {
    case 'average-risk':
      return classSizes.length / records;
    case 'highest-risk': {
      let smallest = Number.POSITIVE_INFINITY;
      for (let c = 0; c < classSizes.length; c++) smallest = Math.min(smallest, classSizes[c]);
      return 1 / smallest;
    }
    case 'records-at-risk': {
      let atRisk = 0;
      for (let c = 0; c < classSizes.length; c++) if (1 / classSizes[c] > spec.threshold) atRisk += classSizes[c];
      return atRisk / records;
    }
    case 'population-uniqueness':
      return populationUniqueness(classSizes, spec.populationSize, spec.model);
  }
}

/** Whether the measure meets the spec's bound (an unavailable measure never does). */
export function riskModelHolds(spec: RiskModelSpec, measure: number | undefined): boolean {
  return measure !== undefined && measure <= riskModelBound(spec);
}
