// The risk-model checker of cloak/testing: average risk, highest risk, records at risk and population uniqueness
// over classes re-derived from decoded quasi-identifier strings (the figures' definitions come from src/risk).

import { usageError } from '../errors.js';
import { isRiskModelSpec, riskModelBound, riskModelHolds, riskModelLabel, riskModelMeasure, type RiskModelSpec } from '../risk/criteria.js';
import { buildClassContext, classIdentity, describeClass, type ClassContext, type ClassOptions } from './classes.js';
import { throwIfFailed } from './errors.js';
import { openTable, type TableInput } from './table-input.js';
import { FailureCollector, formatNumber, type Verdict } from './verdict.js';

/** Options of {@link checkRisk}. */
export interface RiskCheckOptions extends ClassOptions {
  /** The risk-based model spec: `average-risk`, `highest-risk`, `records-at-risk` or `population-uniqueness`. */
  readonly model: RiskModelSpec;
}

/**
 * Checks a risk-based model over the non-suppressed classes. Highest risk fails per class (size below ⌈1/maxRisk⌉);
 * the other criteria are figures of the whole release and fail as one table failure, also when the population
 * model gives no estimate (never read as zero risk).
 */
export function checkRisk(table: TableInput, options: RiskCheckOptions): Verdict {
  return riskVerdict(buildClassContext(openTable(table, 'checked table'), options), options.model);
}

/** Throws an `AnonymizationAssertionError` unless {@link checkRisk} passes. */
export function assertRisk(table: TableInput, options: RiskCheckOptions): void {
  throwIfFailed(checkRisk(table, options));
}

/** A risk-based model over an already grouped table (shared with the policy checker). */
export function riskVerdict(context: ClassContext, spec: RiskModelSpec): Verdict {
  if (typeof spec !== 'object' || spec === null || !isRiskModelSpec(spec)) {
    throw usageError('TESTING_BAD_RISK_MODEL', 'model must be an average-risk, highest-risk, records-at-risk or population-uniqueness spec.');
  }
  const { partition } = context;
  const check = riskModelLabel(spec);
  const bound = riskModelBound(spec);
  const failures = new FailureCollector(check, context.maxFailures);
  const measure = riskModelMeasure(spec, partition.sizes);
  const stats = {
    rowCount: partition.rowCount,
    classCount: partition.classCount,
    suppressedCount: partition.suppressedCount,
    ...(measure === undefined ? {} : { worst: measure }),
  };
  if (spec.type === 'highest-risk') {
    for (let c = 0; c < partition.classCount; c++) {
      const risk = 1 / partition.sizes[c];
      if (risk <= bound) continue;
      failures.record(() => ({
        kind: 'class',
        check,
        ...classIdentity(context, c),
        measure: risk,
        required: bound,
        margin: risk - bound,
        message: `${describeClass(context, c)}: risk ${formatNumber(risk)} > ${formatNumber(bound)}.`,
      }));
    }
  } else if (!riskModelHolds(spec, measure)) {
    failures.record(() => ({
      kind: 'table',
      check,
      ...(measure === undefined
        ? { message: `${check}: the population model gives no estimate for the released classes.` }
        : { measure, required: bound, margin: measure - bound, message: `${check}: the released records reach ${formatNumber(measure)}.` }),
    }));
  }
  return failures.verdict(stats);
}
