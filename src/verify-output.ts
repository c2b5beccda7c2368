// The guarantee gate: re-checks the decoded output with cloak/testing's string-based checkers before anything
// is written. They share no code with groupify, models or recoding, so an engine bug cannot vouch for itself.

import { CloakError, ExitCode } from './errors.js';
import type { SensitiveAttribute } from './models/privacy-model.js';
import type { AnonymizeOptions, AttributeOptions, ModelSpec } from './options.js';
import type { PopulationTable } from './risk/population-table.js';
import type { EncodedTable } from './table/encoded-table.js';
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
  readonly models: readonly ModelSpec[];
  readonly suppressionLimit: number;
  readonly sensitive: readonly SensitiveAttribute[];
  /** Hierarchy rows of the quasi-identifiers, to generalize a population (and to check generalization). */
  readonly hierarchies?: Readonly<Record<string, readonly (readonly string[])[]>>;
  /**
   * Local recoding, where levels vary record by record: every quasi-identifier cell is also checked to be its original
   * value or one of its labels in `hierarchies`, and every other column but the identifying ones to be unchanged.
   */
  readonly checkGeneralization?: boolean;
  /** Identifying attributes (replaced by `*`, or pseudonymized): exempt from the generalization check. */
  readonly identifying?: readonly string[];
  /** δ-presence: the whole input the released subset (`original`) was drawn from. */
  readonly population?: EncodedTable;
  /** k-map without an estimator: the population table's rows. */
  readonly populationTable?: PopulationTable;
}

function columnar(table: EncodedTable): ColumnarTable {
  const columns: Record<string, { codes: Int32Array; dictionary: readonly string[] }> = Object.create(null);
  for (const column of table.columns) columns[column.name] = { codes: column.codes, dictionary: column.dictionary };
  return table.weights === undefined ? { rowCount: table.rowCount, columns } : { rowCount: table.rowCount, columns, weights: table.weights };
}

/** A population table's rows as an aggregated table (rows of no people left out: a weight is at least 1). */
function populationColumns(table: PopulationTable, qi: readonly string[]): ColumnarTable {
  const counts = table.countOfRow!;
  let people = 0;
  for (let row = 0; row < counts.length; row++) if (counts[row] > 0) people++;
  const kept = new Int32Array(people);
  for (let row = 0, i = 0; row < counts.length; row++) if (counts[row] > 0) kept[i++] = row;
  return {
    rowCount: kept.length,
    columns: Object.fromEntries(qi.map((name, j) => [name, { codes: Int32Array.from(kept, (row) => table.columns![j].codes[row]), dictionary: table.columns![j].dictionary }])),
    weights: Float64Array.from(kept, (row) => counts[row]),
  };
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
  for (const [name, rows] of Object.entries(input.hierarchies ?? {})) hierarchies[name] = rows as string[][];
  const suppressedRows: SuppressedRows = input.suppressedRows;
  const verdicts = [
    suppressionVerdict(original, output, { qi, limit: input.suppressionLimit, suppressedRows }),
    modelsVerdict(output, original, policy, {
      suppressedRows,
      hierarchies,
      population: input.population === undefined ? undefined : columnar(input.population),
      populationTable: input.populationTable === undefined ? undefined : populationColumns(input.populationTable, qi),
    }),
  ];
  if (input.checkGeneralization === true) {
    const qiRows: Record<string, readonly (readonly string[])[]> = Object.create(null);
    for (const name of qi) qiRows[name] = input.hierarchies?.[name] ?? [];
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
