// Risk-based privacy models: highest prosecutor risk (a per-class size bound, like k) and the criteria over the
// whole release — average risk, records at risk, population uniqueness — with their monotonicity facts.

import { usageError } from '../errors.js';
import type { EquivalenceClasses } from '../groupify/equivalence-classes.js';
import {
  riskModelHolds,
  riskModelLabel,
  riskModelMeasure,
  smallestSafeClassSize,
  type RiskModelSpec,
} from '../risk/criteria.js';
import type { ModelContext, PrivacyModel } from './privacy-model.js';

/*
 * Monotonicity (upward: from a node to its generalizations, which only merge classes). Criteria over the whole release
 * are met by suppressing further released classes, smallest first, within the budget (release-suppression.ts):
 * - Highest risk ≤ r is "every class has at least ⌈1/r⌉ records": k-anonymity, monotone with and without suppression.
 * - Average risk c/N_r ≤ r means Σ (|E| − 1/r) ≥ 0 over the released classes. Suppressing the smallest classes first
 *   costs the fewest records for the most gain (a smaller class gains more and costs less), so the order finds the
 *   cheapest suppression. A generalization can do at least as well: release every merged class holding a part
 *   released below; merging lowers the class count, and parts that were suppressed only add records. The classes the
 *   monotone per-class models suppress above consist of parts they suppressed below, so with them it stays monotone.
 * - The share of records at risk is monotone without suppression (a record's class only grows), but not with it:
 *   smallest first is not the cheapest cover (sizes {1, 1, 4}, risks above 0.4 at most 0.2: one singleton, 1 record;
 *   merged into {2, 4}: the class of 2, 2 records).
 * - Population uniqueness is not monotone even without suppression: the estimators are not monotone in the
 *   class-size profile (Zayatz's estimate can rise when two classes merge, a fit may fail at one node only).
 * The search only prunes on these facts; where they do not hold it checks the nodes.
 */

/** Highest prosecutor risk: every released class has at least ⌈1/maxRisk⌉ records. */
function createHighestRisk(spec: Extract<RiskModelSpec, { type: 'highest-risk' }>): PrivacyModel {
  const minClassSize = smallestSafeClassSize(spec.maxRisk);
  return {
    spec,
    label: riskModelLabel(spec),
    minClassSize,
    monotoneWithSuppression: true,
    monotoneWithoutSuppression: true,
    isClassValid: (classes: EquivalenceClasses, c: number) => classes.sizes[c] >= minClassSize,
    classMeasure: (classes: EquivalenceClasses, c: number) => 1 / classes.sizes[c],
    worst: 'max',
  };
}

/** A criterion over the released classes: average risk, records at risk or population uniqueness. */
function createReleaseRisk(spec: Exclude<RiskModelSpec, { type: 'highest-risk' }>): PrivacyModel {
  const monotoneWithoutSuppression = spec.type !== 'population-uniqueness';
  const monotoneWithSuppression = spec.type === 'average-risk';
  return {
    spec,
    label: riskModelLabel(spec),
    minClassSize: 1,
    monotoneWithSuppression,
    monotoneWithoutSuppression,
    isClassValid: () => true,
    // A class's own prosecutor risk: what a reader of a per-class margin would look at.
    classMeasure: (classes: EquivalenceClasses, c: number) => 1 / classes.sizes[c],
    worst: 'max',
    isReleaseValid: (releasedSizes) => riskModelHolds(spec, riskModelMeasure(spec, releasedSizes)),
    releaseMeasure: (releasedSizes) => riskModelMeasure(spec, releasedSizes) ?? null,
  };
}

/**
 * Builds a risk-based model. Throws a usage error when a population is smaller than the input it is said to
 * contain (the spec's other fields are checked by `validateModelSpecs`).
 */
export function createRiskModel(spec: RiskModelSpec, context: ModelContext): PrivacyModel {
  if (spec.type === 'highest-risk') return createHighestRisk(spec);
  if (spec.type === 'population-uniqueness' && spec.populationSize < context.rowCount) {
    throw usageError(
      'RISK_POPULATION_SIZE',
      `population uniqueness: the population size ${spec.populationSize} is smaller than the ${context.rowCount} input records`,
    );
  }
  return createReleaseRisk(spec);
}
