// The suppression-budget checker of cloak/testing: suppressed output records ≤ floor(limit × n), rows kept.
// Suppression is read from the output's strings (or the caller's mask), never from the engine's bookkeeping.

import { usageError } from '../errors.js';
import { DEFAULT_SUPPRESSED_TOKEN, suppressionMask, type SuppressedRows } from './classes.js';
import { throwIfFailed } from './errors.js';
import { openTable, type TableInput, type TableReader } from './table-input.js';
import { BUDGET_EPSILON, FailureCollector, type ReportOptions, type Verdict } from './verdict.js';

/** Options of {@link checkSuppressionWithin}. */
export interface SuppressionOptions extends ReportOptions {
  readonly qi: readonly string[];
  /** Share of the original records that may be suppressed, in [0, 1]. */
  readonly limit: number;
  /** Token of a suppressed cell; default `*`. */
  readonly suppressedToken?: string;
  /** Which output rows are suppressed; default `'infer'` (rows whose every quasi-identifier is the token). */
  readonly suppressedRows?: SuppressedRows;
}

/**
 * Checks that the output keeps the original's row count and suppresses at most floor(limit × n) records,
 * n being the original row count (a 1e-9 guard before flooring absorbs binary rounding of `limit × n`).
 * `stats.suppressedCount` and `stats.allowedSuppressed` report the figures either way.
 */
export function checkSuppressionWithin(original: TableInput, output: TableInput, options: SuppressionOptions): Verdict {
  return suppressionVerdict(openTable(original, 'original table'), openTable(output, 'output table'), options);
}

/** Throws an `AnonymizationAssertionError` unless {@link checkSuppressionWithin} passes. */
export function assertSuppressionWithin(original: TableInput, output: TableInput, options: SuppressionOptions): void {
  throwIfFailed(checkSuppressionWithin(original, output, options));
}

/** The suppression check over opened tables (shared with the policy checker). */
export function suppressionVerdict(original: TableReader, output: TableReader, options: SuppressionOptions): Verdict {
  const { limit } = options;
  if (!(limit >= 0 && limit <= 1)) throw usageError('TESTING_BAD_LIMIT', `The suppression limit must lie in [0, 1] (got ${limit}).`);
  const failures = new FailureCollector(`suppression within ${formatShare(limit)}`, options.maxFailures);
  const n = original.recordCount;
  const allowed = Math.floor(limit * n + BUDGET_EPSILON);
  if (output.recordCount !== n) {
    failures.record(() => ({
      kind: 'table',
      check: failures.check,
      measure: output.recordCount,
      required: n,
      margin: output.recordCount - n,
      message: `The output has ${output.recordCount} ${output.weights === undefined && original.weights === undefined ? 'rows' : 'records'} where the original has ${n}.`,
    }));
  }
  const mask = suppressionMask(
    options.qi.map((name) => output.column(name)),
    output.rowCount,
    options.suppressedToken ?? DEFAULT_SUPPRESSED_TOKEN,
    options.suppressedRows ?? 'infer',
  );
  let suppressed = 0;
  const { weights } = output;
  for (let row = 0; row < mask.length; row++) suppressed += weights === undefined ? mask[row] : mask[row] * weights[row];
  if (suppressed > allowed) {
    failures.record(() => ({
      kind: 'table',
      check: failures.check,
      measure: suppressed,
      required: allowed,
      margin: suppressed - allowed,
      message: `${suppressed} records are suppressed where floor(${limit} × ${n}) = ${allowed} are allowed (${suppressed - allowed} too many).`,
    }));
  }
  return failures.verdict({ rowCount: output.recordCount, suppressedCount: suppressed, allowedSuppressed: allowed });
}

function formatShare(limit: number): string {
  return `${Number((limit * 100).toPrecision(6))}%`;
}
