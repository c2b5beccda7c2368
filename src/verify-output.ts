// The guarantee gate: re-checks the decoded output with cloak/testing's string-based checkers before anything
// is written. They share no code with groupify or models, so an engine bug cannot vouch for itself.

import { CloakError, ExitCode } from './errors.js';
import type { SensitiveAttribute } from './models/privacy-model.js';
import type { AnonymizeOptions, AttributeOptions, ModelSpec } from './options.js';
import type { EncodedTable } from './table/encoded-table.js';
import { modelsVerdict } from './testing/policy.js';
import { suppressionVerdict } from './testing/suppression.js';
import { openTable, type ColumnarTable } from './testing/table-input.js';

export interface VerificationInput {
  readonly output: EncodedTable;
  readonly original: EncodedTable;
  /** The search's decision, not the `*` cells: at the top node every released cell is `*` too. */
  readonly suppressedRows: Uint8Array;
  readonly quasiIdentifiers: readonly string[];
  readonly models: readonly ModelSpec[];
  readonly suppressionLimit: number;
  readonly sensitive: readonly SensitiveAttribute[];
}

function columnar(table: EncodedTable): ColumnarTable {
  const columns: Record<string, { codes: Int32Array; dictionary: readonly string[] }> = Object.create(null);
  for (const column of table.columns) columns[column.name] = { codes: column.codes, dictionary: column.dictionary };
  return table.weights === undefined ? { rowCount: table.rowCount, columns } : { rowCount: table.rowCount, columns, weights: table.weights };
}

/** ARX-style rows rebuilt from a compiled hierarchy, for the data values only. */
function hierarchyRows(attribute: SensitiveAttribute): string[][] | undefined {
  const hierarchy = attribute.hierarchy;
  if (hierarchy === undefined) return undefined;
  return attribute.dictionary.map((value, code) => {
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
  const verdicts = [
    suppressionVerdict(original, output, { qi, limit: input.suppressionLimit, suppressedRows: input.suppressedRows }),
    modelsVerdict(output, original, policy, { suppressedRows: input.suppressedRows, hierarchies }),
  ];
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
