// Population tables: how many people of the population share each quasi-identifier combination (F_E).
// Owns their format, reading and validation, the lookup of a sample class's count, and generalization.

import { inputError, usageError } from '../errors.js';
import { readCsvFile } from '../io/csv-reader.js';
import type { PopulationTableSource } from '../options.js';
import { fromRecords } from '../table/arrow.js';
import type { EncodedTable } from '../table/encoded-table.js';

/** The column of a population table holding the population count of its row's combination. */
export const POPULATION_COUNT_COLUMN = 'count';

export interface PopulationTable {
  /** Where the table came from, for messages. */
  readonly origin: string;
  readonly quasiIdentifiers: readonly string[];
  /** Population count per combination, keyed by {@link combinationKey} (built on first use). */
  readonly counts: ReadonlyMap<string, number>;
  /** One row per combination, in table order (built on first use). */
  readonly rows: readonly PopulationRow[];
  /** The same rows as columns: per quasi-identifier, codes into its dictionary (present as read, not once generalized). */
  readonly columns?: readonly { readonly codes: Int32Array; readonly dictionary: readonly string[] }[];
  /** Count of each row of `columns`. */
  readonly countOfRow?: Float64Array;
  /** 1-based line of each row of `columns`. */
  readonly lineOf?: (row: number) => number;
}

export interface PopulationRow {
  readonly values: readonly string[];
  readonly count: number;
  /** 1-based line in the table (of the first row merged into it, once generalized). */
  readonly line: number;
}

/** An unambiguous key of a combination of values (length-prefixed, so no value can fake a separator). */
export function combinationKey(values: readonly string[]): string {
  let key = '';
  for (const value of values) key += `${value.length}:${value}`;
  return key;
}

/**
 * Reads a population table: a CSV file (delimiter detected) or records, with exactly the quasi-identifier
 * columns plus `count`, one row per combination, counts non-negative integers. Every problem names the
 * file, line and column, never a value.
 */
export async function readPopulationTable(source: PopulationTableSource, quasiIdentifiers: readonly string[]): Promise<PopulationTable> {
  if (typeof source === 'string') {
    const csv = await readCsvFile(source);
    return parsePopulationTable(csv.table, quasiIdentifiers, source, csv.lineOfRow);
  }
  if (!Array.isArray(source)) throw usageError('RISK_POPULATION_TABLE', 'populationTable must be a CSV path or an array of records');
  const origin = 'population table (records)';
  return parsePopulationTable(fromRecords(source, origin), quasiIdentifiers, origin);
}

function parsePopulationTable(table: EncodedTable, quasiIdentifiers: readonly string[], origin: string, lineOfRow?: Int32Array): PopulationTable {
  const names = table.columns.map((column) => column.name);
  const missing = [...quasiIdentifiers, POPULATION_COUNT_COLUMN].filter((name) => !names.includes(name));
  const extra = names.filter((name) => name !== POPULATION_COUNT_COLUMN && !quasiIdentifiers.includes(name));
  if (missing.length > 0 || extra.length > 0) {
    const parts = [
      ...(missing.length > 0 ? [`lacks the column(s) ${missing.map((name) => `"${name}"`).join(', ')}`] : []),
      ...(extra.length > 0 ? [`has column(s) that are not quasi-identifiers: ${extra.map((name) => `"${name}"`).join(', ')}`] : []),
    ];
    throw inputError('RISK_POPULATION_TABLE_HEADER', `population table ${origin} ${parts.join(' and ')}; expected the quasi-identifiers and "${POPULATION_COUNT_COLUMN}"`, {
      location: { file: origin },
    });
  }
  const line = (row: number): number => (lineOfRow === undefined ? row + 1 : lineOfRow[row]);
  const qiColumns = quasiIdentifiers.map((name) => table.columns[names.indexOf(name)]);
  const countColumn = table.columns[names.indexOf(POPULATION_COUNT_COLUMN)];
  // Counts are parsed once per distinct text, not once per row.
  const countOfCode = countColumn.dictionary.map((text) => (/^\s*\d+\s*$/.test(text) ? Number(text) : NaN));
  const countOfRow = new Float64Array(table.rowCount);
  // A combination is given once: compared by its codes (one number while the code space allows), not by strings.
  let space = 1;
  for (const column of qiColumns) space *= Math.max(1, column.dictionary.length);
  const keyOfRow = (row: number): number | string => {
    if (space > Number.MAX_SAFE_INTEGER) return qiColumns.map((column) => column.codes[row]).join(',');
    let key = 0;
    for (const column of qiColumns) key = key * Math.max(1, column.dictionary.length) + column.codes[row];
    return key;
  };
  const rowOfKey = new Map<number | string, number>();
  for (let row = 0; row < table.rowCount; row++) {
    const count = countOfCode[countColumn.codes[row]];
    if (!Number.isSafeInteger(count)) {
      throw inputError('RISK_POPULATION_COUNT', `population table ${origin} line ${line(row)}: "${POPULATION_COUNT_COLUMN}" must be a non-negative integer`, {
        location: { file: origin, line: line(row), column: POPULATION_COUNT_COLUMN },
      });
    }
    const key = keyOfRow(row);
    const earlier = rowOfKey.get(key);
    if (earlier !== undefined) {
      throw inputError('RISK_POPULATION_DUPLICATE', `population table ${origin} line ${line(row)}: the same combination as line ${line(earlier)}; give each combination once`, {
        location: { file: origin, line: line(row) },
      });
    }
    rowOfKey.set(key, row);
    countOfRow[row] = count;
  }
  const columns = qiColumns.map((column) => ({ codes: column.codes.subarray(0, table.rowCount), dictionary: column.dictionary }));
  // The row and key views cost a string per row: built only for the consumers that need them.
  let rows: PopulationRow[] | undefined;
  let counts: Map<string, number> | undefined;
  const rowsOf = (): PopulationRow[] =>
    (rows ??= Array.from({ length: table.rowCount }, (_, row) => ({ values: columns.map((column) => column.dictionary[column.codes[row]]), count: countOfRow[row], line: line(row) })));
  return {
    origin,
    quasiIdentifiers,
    get rows() {
      return rowsOf();
    },
    get counts() {
      return (counts ??= new Map(rowsOf().map((row) => [combinationKey(row.values), row.count])));
    },
    columns,
    countOfRow,
    lineOf: line,
  };
}

/**
 * F_E for each class, given each class's combination and size. Throws an input error when a class has no row in
 * the table (a combination the population table does not know) or a count smaller than the class itself.
 */
export function populationCountsOf(table: PopulationTable, classCount: number, keyOf: (c: number) => string, sizeOf: (c: number) => number): Float64Array {
  const counts = new Float64Array(classCount);
  let unknownClasses = 0;
  let unknownRecords = 0;
  let tooSmall = 0;
  for (let c = 0; c < classCount; c++) {
    const count = table.counts.get(keyOf(c));
    if (count === undefined) {
      unknownClasses++;
      unknownRecords += sizeOf(c);
    } else if (count < sizeOf(c)) tooSmall++;
    else counts[c] = count;
  }
  if (unknownClasses > 0) {
    throw inputError(
      'RISK_POPULATION_UNKNOWN_COMBINATION',
      `population table ${table.origin}: ${unknownClasses} combination(s) of the data (${unknownRecords} record(s)) have no row; it must count every combination that occurs`,
      { location: { file: table.origin } },
    );
  }
  if (tooSmall > 0) {
    throw inputError(
      'RISK_POPULATION_COUNT_TOO_SMALL',
      `population table ${table.origin}: ${tooSmall} combination(s) count fewer people than the data holds records with them; a population contains its sample`,
      { location: { file: table.origin } },
    );
  }
  return counts;
}

/**
 * The table with every combination generalized: `generalize[j]` maps a value of quasi-identifier j to its label
 * (undefined when the value has none, e.g. it is not in the hierarchy), and counts of combinations that meet are
 * summed. Throws an input error naming the line of the first value without a label.
 */
export function generalizePopulationTable(table: PopulationTable, generalize: readonly ((value: string) => string | undefined)[]): PopulationTable {
  const merged = new Map<string, PopulationRow>();
  for (const row of table.rows) {
    const labels: string[] = new Array(generalize.length);
    for (let j = 0; j < generalize.length; j++) {
      const label = generalize[j](row.values[j]);
      if (label === undefined) {
        const column = table.quasiIdentifiers[j];
        throw inputError('RISK_POPULATION_NOT_IN_HIERARCHY', `population table ${table.origin} line ${row.line}: the value of "${column}" is not in its hierarchy`, {
          location: { file: table.origin, line: row.line, column },
        });
      }
      labels[j] = label;
    }
    const key = combinationKey(labels);
    const earlier = merged.get(key);
    merged.set(key, { values: labels, count: (earlier?.count ?? 0) + row.count, line: earlier?.line ?? row.line });
  }
  const counts = new Map<string, number>();
  for (const [key, row] of merged) counts.set(key, row.count);
  return { origin: table.origin, quasiIdentifiers: table.quasiIdentifiers, counts, rows: [...merged.values()] };
}
