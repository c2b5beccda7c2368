// The guarantee gate: re-checks the decoded output with cloak/testing's string-based checkers before anything
// is written. They share no code with groupify, models or recoding, so an engine bug cannot vouch for itself.

import { CloakError, ExitCode } from './errors.js';
import type { SensitiveAttribute } from './models/privacy-model.js';
import type { AnonymizeOptions, AttributeOptions, ModelSpec } from './options.js';
import type { EncodedTable } from './table/encoded-table.js';
import type { CompiledHierarchy } from './hierarchy/compiled-hierarchy.js';
import type { SuppressedRows } from './testing/classes.js';
import { generalizesVerdict } from './testing/generalizes.js';
import { modelsVerdict } from './testing/policy.js';
import { suppressionVerdict } from './testing/suppression.js';
import { openTable, type ColumnarTable } from './testing/table-input.js';

export interface VerificationInput {
  readonly output: EncodedTable;
  readonly original: EncodedTable;
  /**
   * Under global recoding, the search's decision, not the `*` cells: at the top node every released cell is `*` too.
   * Under local recoding `'infer'`: a record reading `*` in every quasi-identifier is suppressed, whatever made it.
   */
  readonly suppressedRows: Uint8Array | 'infer';
  readonly quasiIdentifiers: readonly string[];
  /**
   * When given (local recoding, where levels vary record by record), every quasi-identifier cell is also checked to
   * be its original value or one of its labels in these hierarchies, and every other column to be unchanged.
   */
  readonly hierarchies?: readonly CompiledHierarchy[];
  /** Identifying attributes (replaced by `*`): exempt from the generalization check. */
  readonly identifying?: readonly string[];
  readonly models: readonly ModelSpec[];
  readonly suppressionLimit: number;
  readonly sensitive: readonly SensitiveAttribute[];
}

function columnar(table: EncodedTable): ColumnarTable {
  const columns: Record<string, { codes: Int32Array; dictionary: readonly string[] }> = Object.create(null);
  for (const column of table.columns) columns[column.name] = { codes: column.codes, dictionary: column.dictionary };
  return { rowCount: table.rowCount, columns };
}

/** ARX-style rows rebuilt from a compiled hierarchy, for the data values only. */
function hierarchyRows(attribute: SensitiveAttribute): string[][] | undefined {
  return attribute.hierarchy === undefined ? undefined : rowsOf(attribute.hierarchy, attribute.dictionary);
}

function rowsOf(hierarchy: CompiledHierarchy, dictionary: readonly string[]): string[][] {
  return dictionary.map((value, code) => {
    const row = [value];
    for (let level = 1; level <= hierarchy.maxLevel; level++) row.push(hierarchy.labels[level][hierarchy.dataToLevel[level][code]]);
    return row;
  });
}

/** Throws a verification error (exit 5) naming the first failed check; returns when every check passes. */
export function verifyOutput(input: VerificationInput): void {
  // Opened once for both checks: each column is decoded (re-keyed by string) once.
  const output = openTable(columnar(input.output), 'output table');
  const original = openTable(columnar(input.original), 'original table');
  const qi = input.quasiIdentifiers;
  // The checks' own view of the job: roles, and the declared types that order values for ordered t-closeness.
  const attributes: Record<string, AttributeOptions> = Object.create(null);
  for (const name of qi) attributes[name] = { role: 'quasi-identifying' };
  const hierarchies: Record<string, string[][]> = Object.create(null);
  for (const attribute of input.sensitive) {
    attributes[attribute.name] = { role: 'sensitive', type: attribute.type, format: attribute.format };
    const rows = hierarchyRows(attribute);
    if (rows !== undefined) hierarchies[attribute.name] = rows;
  }
  const policy: AnonymizeOptions = { attributes, models: input.models };
  const suppressedRows: SuppressedRows = input.suppressedRows;
  const verdicts = [
    suppressionVerdict(original, output, { qi, limit: input.suppressionLimit, suppressedRows }),
    modelsVerdict(output, original, policy, { suppressedRows, hierarchies }),
  ];
  if (input.hierarchies !== undefined) {
    const qiRows: Record<string, string[][]> = Object.create(null);
    qi.forEach((name, j) => (qiRows[name] = rowsOf(input.hierarchies![j], input.original.columns.find((column) => column.name === name)!.dictionary)));
    verdicts.unshift(generalizesVerdict(original, output, { qi, hierarchies: qiRows, suppressedRows, ignoreColumns: input.identifying ?? [] }));
  }
  for (const verdict of verdicts) {
    if (!verdict.ok) {
      throw new CloakError(
        'VERIFICATION_FAILED',
        `independent verification of the output failed (${verdict.failures[0]?.check ?? verdict.check}): ${verdict.failureCount} failure(s); nothing was written`,
        { exitCode: ExitCode.verification },
      );
    }
  }
}
