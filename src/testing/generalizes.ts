// The generalization checker of cloak/testing: each output row is its original row with quasi-identifiers generalized.
// Cells are compared as strings against the hierarchy rows' labels, independently of the engine's compiled hierarchies.

import { usageError } from '../errors.js';
import { DEFAULT_SUPPRESSED_TOKEN, suppressionMask, type SuppressedRows } from './classes.js';
import { throwIfFailed } from './errors.js';
import { generalizationSets, type HierarchyRows } from './hierarchy-rows.js';
import { openTable, type StringColumn, type TableInput, type TableReader } from './table-input.js';
import { FailureCollector, quoteValue, type ReportOptions, type Verdict } from './verdict.js';

/** Options of {@link checkGeneralizes}. */
export interface GeneralizesOptions extends ReportOptions {
  readonly qi: readonly string[];
  /** ARX rows per quasi-identifier. */
  readonly hierarchies: Readonly<Record<string, HierarchyRows>>;
  /** Token of a suppressed cell; default `*`. */
  readonly suppressedToken?: string;
  /** Which output rows are suppressed; default `'infer'` (rows whose every quasi-identifier is the token). */
  readonly suppressedRows?: SuppressedRows;
  /** Columns exempt from every comparison, e.g. identifying attributes the engine removes or masks. */
  readonly ignoreColumns?: readonly string[];
}

/**
 * Checks that `output` generalizes `original` row by row (row i of the output is row i of the original):
 * same row count; the same columns; every quasi-identifier cell is the original value or a label of that value's
 * hierarchy row, unless the row is suppressed; a row given as suppressed (`suppressedRows`) has the token in every
 * quasi-identifier; every other column is unchanged.
 */
export function checkGeneralizes(original: TableInput, output: TableInput, options: GeneralizesOptions): Verdict {
  return generalizesVerdict(openTable(original, 'original table'), openTable(output, 'output table'), options);
}

/** Throws an `AnonymizationAssertionError` unless {@link checkGeneralizes} passes. */
export function assertGeneralizes(original: TableInput, output: TableInput, options: GeneralizesOptions): void {
  throwIfFailed(checkGeneralizes(original, output, options));
}

/** The generalization check over opened tables (shared with the policy checker). */
export function generalizesVerdict(original: TableReader, output: TableReader, options: GeneralizesOptions): Verdict {
  if (original.weights !== undefined || output.weights !== undefined) {
    throw usageError('TESTING_AGGREGATED_TABLE', 'Generalization is checked row by row, which an aggregated table (with weights) cannot be.');
  }
  const failures = new FailureCollector('generalization of the original', options.maxFailures);
  const showValues = options.showValues ?? false;
  if (output.rowCount !== original.rowCount) {
    failures.record(() => ({
      kind: 'table',
      check: failures.check,
      measure: output.rowCount,
      required: original.rowCount,
      margin: output.rowCount - original.rowCount,
      message: `The output has ${output.rowCount} rows where the original has ${original.rowCount}; rows cannot be matched.`,
    }));
    return failures.verdict({ rowCount: output.rowCount });
  }
  const rowCount = original.rowCount;
  const qi = new Set(options.qi);
  const ignored = new Set(options.ignoreColumns ?? []);
  const kept = compareColumnSets(original, output, qi, ignored, failures);
  const missingQi = options.qi.filter((name) => !output.hasColumn(name));
  for (const name of missingQi) {
    failures.record(() => ({ kind: 'table', check: failures.check, column: name, message: `The output lacks quasi-identifier "${name}".` }));
  }
  if (missingQi.length > 0) return failures.verdict({ rowCount });

  const token = options.suppressedToken ?? DEFAULT_SUPPRESSED_TOKEN;
  const suppressedRows = options.suppressedRows ?? 'infer';
  const outputQi = options.qi.map((name) => output.column(name));
  const suppressed = suppressionMask(outputQi, rowCount, token, suppressedRows);
  options.qi.forEach((name, q) => {
    const rows = options.hierarchies[name];
    if (rows === undefined) {
      throw usageError('TESTING_MISSING_HIERARCHY', `No hierarchy was given for quasi-identifier "${name}".`, { location: { column: name } });
    }
    const sets = generalizationSets(rows);
    const before = original.column(name);
    const after = outputQi[q];
    const admissible = admissibility(before, after, sets);
    for (let row = 0; row < rowCount; row++) {
      const afterCode = after.codes[row];
      if (suppressed[row] === 1) {
        if (suppressedRows !== 'infer' && after.values[afterCode] !== token) {
          failures.record(() => ({
            kind: 'row',
            check: failures.check,
            row,
            column: name,
            message: `Row ${row} is given as suppressed but column "${name}" is not the suppression token.`,
          }));
        }
      } else if (!admissible(before.codes[row], afterCode)) {
        failures.record(() => ({
          kind: 'row',
          check: failures.check,
          row,
          column: name,
          message:
            `Row ${row}, column "${name}": the output is neither the original value nor one of its generalizations` +
            (showValues ? ` (original ${quoteValue(before.values[before.codes[row]])}, output ${quoteValue(after.values[afterCode])}).` : '.'),
        }));
      }
    }
  });

  for (const name of kept) {
    const before = original.column(name);
    const after = output.column(name);
    const codeAfter = new Map<string, number>();
    after.values.forEach((value, code) => codeAfter.set(value, code));
    const translation = Int32Array.from(before.values, (value) => codeAfter.get(value) ?? -1);
    for (let row = 0; row < rowCount; row++) {
      if (translation[before.codes[row]] === after.codes[row]) continue;
      failures.record(() => ({
        kind: 'row',
        check: failures.check,
        row,
        column: name,
        message:
          `Row ${row}, column "${name}" (not a quasi-identifier) was changed` +
          (showValues ? ` from ${quoteValue(before.values[before.codes[row]])} to ${quoteValue(after.values[after.codes[row]])}.` : '.'),
      }));
    }
  }
  let suppressedCount = 0;
  for (let row = 0; row < rowCount; row++) suppressedCount += suppressed[row];
  return failures.verdict({ rowCount, suppressedCount });
}

/** Records missing and extra columns; returns the non-quasi-identifier columns both tables share. */
function compareColumnSets(
  original: TableReader,
  output: TableReader,
  qi: ReadonlySet<string>,
  ignored: ReadonlySet<string>,
  failures: FailureCollector,
): string[] {
  const kept: string[] = [];
  for (const name of original.columnNames) {
    if (ignored.has(name) || qi.has(name)) continue;
    if (output.hasColumn(name)) kept.push(name);
    else {
      failures.record(() => ({ kind: 'table', check: failures.check, column: name, message: `The output lacks column "${name}".` }));
    }
  }
  for (const name of output.columnNames) {
    if (ignored.has(name) || original.hasColumn(name)) continue;
    failures.record(() => ({ kind: 'table', check: failures.check, column: name, message: `The output has column "${name}", which the original lacks.` }));
  }
  return kept;
}

/** Whether (original code, output code) is admissible, memoized per distinct pair. */
function admissibility(before: StringColumn, after: StringColumn, sets: Map<string, Set<string>>): (beforeCode: number, afterCode: number) => boolean {
  const memo = new Map<number, boolean>();
  const width = after.values.length;
  return (beforeCode, afterCode) => {
    const key = beforeCode * width + afterCode;
    let verdict = memo.get(key);
    if (verdict === undefined) {
      const value = before.values[beforeCode];
      const label = after.values[afterCode];
      verdict = value === label || (sets.get(value)?.has(label) ?? false);
      memo.set(key, verdict);
    }
    return verdict;
  };
}
