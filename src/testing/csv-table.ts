// CSV files as cloak/testing tables: an export or its original read through Cloak's strict CSV reader, kept columnar.
// Only the reading is shared with the engine; every check still re-keys the decoded strings itself.

import { readCsvFile, type CsvReadOptions } from '../io/csv-reader.js';
import type { ColumnarTable, DictionaryColumn } from './table-input.js';

/** A CSV file read for checking: the columnar table, its header in file order, and the delimiter used. */
export interface CsvTableFile {
  readonly table: ColumnarTable;
  readonly columnNames: readonly string[];
  readonly delimiter: string;
}

/**
 * Reads a CSV file (`-` for stdin) with a header row into a {@link ColumnarTable} that every checker accepts, without
 * per-row objects. Strict UTF-8; the delimiter is detected among `,` `;` tab `|` unless given.
 * @throws CloakError (exit code 3) for unreadable, malformed or oversized input, naming the file and line.
 */
export async function readCsvTable(path: string, options: CsvReadOptions = {}): Promise<CsvTableFile> {
  const csv = await readCsvFile(path, options);
  const columns: Record<string, DictionaryColumn> = Object.create(null);
  for (const column of csv.table.columns) columns[column.name] = { codes: column.codes, dictionary: column.dictionary };
  return {
    table: { rowCount: csv.table.rowCount, columns },
    columnNames: csv.table.columns.map((column) => column.name),
    delimiter: csv.delimiter,
  };
}
