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
 * Monotonicity (upward: from a node to its generalizations, which only merge classes):
 * - Highest risk ≤ r is "every class has at least ⌈1/r⌉ records": k-anonymity, monotone with and without suppression.
 * - Average risk c/N_r and the share of records at risk, with nothing suppressed: merging lowers the class count c
 *   at fixed N_r, and a record's class only grows, so both figures only fall — monotone without suppression.
 *   With suppression they are not: a generalization may release records that were suppressed (two classes of 1
 *   under 2-anonymity merge into a released class of 2), raising the released figure.
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

/** Sizes of the classes not suppressed. */
function releasedSizes(classes: EquivalenceClasses, suppressed: Uint8Array): Int32Array {
  let released = 0;
  for (let c = 0; c < classes.count; c++) if (suppressed[c] === 0) released++;
  const sizes = new Int32Array(released);
  for (let c = 0, i = 0; c < classes.count; c++) if (suppressed[c] === 0) sizes[i++] = classes.sizes[c];
  return sizes;
}

/** A criterion over the released classes: average risk, records at risk or population uniqueness. */
function createReleaseRisk(spec: Exclude<RiskModelSpec, { type: 'highest-risk' }>): PrivacyModel {
  const monotoneWithoutSuppression = spec.type !== 'population-uniqueness';
  const measure = (classes: EquivalenceClasses, suppressed: Uint8Array) => riskModelMeasure(spec, releasedSizes(classes, suppressed));
  return {
    spec,
    label: riskModelLabel(spec),
    minClassSize: 1,
    monotoneWithSuppression: false,
    monotoneWithoutSuppression,
    isClassValid: () => true,
    // A class's own prosecutor risk: what a reader of a per-class margin would look at.
    classMeasure: (classes: EquivalenceClasses, c: number) => 1 / classes.sizes[c],
    worst: 'max',
    isReleaseValid: (classes, suppressed) => riskModelHolds(spec, measure(classes, suppressed)),
    releaseMeasure: (classes, suppressed) => measure(classes, suppressed) ?? null,
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
