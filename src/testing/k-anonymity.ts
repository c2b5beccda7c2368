// The k-anonymity checker of cloak/testing: every non-suppressed equivalence class holds at least k rows.
// Works on decoded quasi-identifier strings only, independently of the engine's models.

import { usageError } from '../errors.js';
import { buildClassContext, classIdentity, describeClass, type ClassContext, type ClassOptions } from './classes.js';
import { throwIfFailed } from './errors.js';
import { openTable, type TableInput } from './table-input.js';
import { FailureCollector, formatNumber, type Verdict } from './verdict.js';

/** Options of {@link checkKAnonymity}. */
export interface KAnonymityOptions extends ClassOptions {
  /** Smallest allowed class size, an integer ≥ 1. */
  readonly k: number;
}

/**
 * Checks k-anonymity: each class (rows agreeing on every quasi-identifier, suppressed rows excluded) has ≥ k rows.
 * A failure gives the class, its size as `measure`, `k` as `required` and the missing records as `margin`.
 */
export function checkKAnonymity(table: TableInput, options: KAnonymityOptions): Verdict {
  return kAnonymityVerdict(buildClassContext(openTable(table, 'checked table'), options), options.k);
}

/** Throws an `AnonymizationAssertionError` unless {@link checkKAnonymity} passes. */
export function assertKAnonymous(table: TableInput, options: KAnonymityOptions): void {
  throwIfFailed(checkKAnonymity(table, options));
}

/** k-anonymity over an already grouped table (shared with the policy checker). */
export function kAnonymityVerdict(context: ClassContext, k: number): Verdict {
  if (!Number.isInteger(k) || k < 1) throw usageError('TESTING_BAD_K', `k must be an integer ≥ 1 (got ${k}).`);
  const { partition } = context;
  const failures = new FailureCollector(`${k}-anonymity`, context.maxFailures);
  let smallest = Infinity;
  for (let c = 0; c < partition.classCount; c++) {
    const size = partition.sizes[c];
    smallest = Math.min(smallest, size);
    if (size >= k) continue;
    failures.record(() => ({
      kind: 'class',
      check: failures.check,
      ...classIdentity(context, c),
      measure: size,
      required: k,
      margin: k - size,
      message: `${describeClass(context, c)}: size ${size} < k = ${k}, ${formatNumber(k - size)} record${k - size === 1 ? '' : 's'} short.`,
    }));
  }
  return failures.verdict({
    rowCount: partition.rowCount,
    classCount: partition.classCount,
    suppressedCount: partition.suppressedCount,
    ...(partition.classCount > 0 ? { worst: smallest } : {}),
  });
}
