// The research subset δ-presence releases: a boolean column of the data, or a second table of the subset's rows
// matched one to one to identical data rows (repeats to distinct copies, as ARX's DataSubset matches them).

import { inputError, usageError } from '../errors.js';
import { readCsvFile } from '../io/csv-reader.js';
import type { SubsetSource } from '../options.js';
import { fromRecords } from './arrow.js';
import { columnIndex, type EncodedTable } from './encoded-table.js';

const TRUE_VALUES = new Set(['true', '1', 'yes']);
const FALSE_VALUES = new Set(['false', '0', 'no']);

/** Where the data came from, to point at its lines. */
export interface DataSource {
  readonly file: string;
  readonly lineOfRow?: Int32Array;
}

/**
 * mask[r] = 1 when row r of `data` belongs to the subset, read from `column`: true/false, 1/0, yes/no (any case,
 * surrounding spaces ignored). Any other value is an input error naming its first line (never the value).
 */
export function subsetFromColumn(data: EncodedTable, column: string, source: DataSource): Uint8Array {
  const index = data.columns.findIndex((candidate) => candidate.name === column);
  if (index === -1) throw usageError('SUBSET_COLUMN_MISSING', `the subset column "${column}" is not in the header of ${source.file}`, { location: { file: source.file, column } });
  const { codes, dictionary } = data.columns[index];
  const flagOfCode = dictionary.map((value) => {
    const normalized = value.trim().toLowerCase();
    return TRUE_VALUES.has(normalized) ? 1 : FALSE_VALUES.has(normalized) ? 0 : -1;
  });
  const mask = new Uint8Array(data.rowCount);
  for (let r = 0; r < data.rowCount; r++) {
    const flag = flagOfCode[codes[r]];
    if (flag === -1) {
      const line = source.lineOfRow?.[r] ?? r + 1;
      throw inputError('SUBSET_NOT_BOOLEAN', `${source.file} line ${line}: the subset column "${column}" must hold true/false, 1/0 or yes/no`, { location: { file: source.file, line, column } });
    }
    mask[r] = flag;
  }
  return mask;
}

/**
 * mask[r] = 1 for the data rows the subset's rows match: each subset row to the first data row, not yet matched,
 * whose every column holds the same value. The subset must have the data's columns (in any order). A subset row
 * without a match, or repeated more often than the data holds it, is an input error naming its line.
 */
export async function subsetFromRows(data: EncodedTable, subset: SubsetSource, delimiter?: string): Promise<Uint8Array> {
  const origin = typeof subset === 'string' ? subset : 'subset records';
  const read = typeof subset === 'string' ? await readCsvFile(subset, { delimiter }) : { table: fromRecords(subset, origin), lineOfRow: undefined };
  const rows = read.table;
  const names = data.columns.map((column) => column.name);
  const subsetNames = rows.columns.map((column) => column.name);
  const missing = names.filter((name) => !subsetNames.includes(name));
  const extra = subsetNames.filter((name) => !names.includes(name));
  if (missing.length > 0 || extra.length > 0) {
    const parts = [...(missing.length > 0 ? [`lacks ${missing.map((name) => `"${name}"`).join(', ')}`] : []), ...(extra.length > 0 ? [`has ${extra.map((name) => `"${name}"`).join(', ')}, which the data lacks`] : [])];
    throw inputError('SUBSET_COLUMNS', `the subset ${origin} must have the data's columns: it ${parts.join(' and ')}`, { location: { file: origin } });
  }
  const key = (table: EncodedTable, order: readonly number[], row: number): string => {
    let text = '';
    for (const c of order) {
      const value = table.columns[c].dictionary[table.columns[c].codes[row]];
      text += `${value.length}:${value}`;
    }
    return text;
  };
  const dataOrder = names.map((_, c) => c);
  const subsetOrder = names.map((name) => columnIndex(rows, name));
  const unmatched = new Map<string, number[]>();
  for (let r = data.rowCount - 1; r >= 0; r--) {
    const text = key(data, dataOrder, r);
    const list = unmatched.get(text);
    if (list === undefined) unmatched.set(text, [r]);
    else list.push(r);
  }
  const mask = new Uint8Array(data.rowCount);
  for (let s = 0; s < rows.rowCount; s++) {
    const list = unmatched.get(key(rows, subsetOrder, s));
    const row = list?.pop();
    if (row === undefined) {
      const line = read.lineOfRow?.[s] ?? s + 1;
      const why = list === undefined ? 'matches no row of the data' : 'occurs more often than in the data';
      throw inputError('SUBSET_ROW_UNMATCHED', `the subset ${origin} line ${line} ${why}; the subset must consist of rows of the data`, { location: { file: origin, line } });
    }
    mask[row] = 1;
  }
  return mask;
}

/** The rows of `table` with mask 1, in order, sharing its dictionaries; `rows[i]` is the i-th kept row's index. */
export function selectRows(table: EncodedTable, mask: Uint8Array): { table: EncodedTable; rows: Int32Array } {
  let count = 0;
  for (let r = 0; r < mask.length; r++) count += mask[r];
  const rows = new Int32Array(count);
  for (let r = 0, i = 0; r < mask.length; r++) if (mask[r] === 1) rows[i++] = r;
  const columns = table.columns.map((column) => ({ name: column.name, dictionary: column.dictionary, codes: Int32Array.from(rows, (r) => column.codes[r]) }));
  return { table: { columns, rowCount: count }, rows };
}
