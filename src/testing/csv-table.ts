// CSV and Arrow files as cloak/testing tables: an export or its original read through Cloak's strict readers.
// Only the reading is shared with the engine; every check still re-keys the decoded strings itself.

import type { Table } from 'apache-arrow';
import { readArrowTable, tableFormatOf, type TableFormat } from '../io/arrow-ipc.js';
import { readCsvFile, type CsvReadOptions } from '../io/csv-reader.js';
import type { ColumnarTable, DictionaryColumn } from './table-input.js';

/** A CSV file read for checking: the columnar table, its header in file order, and the delimiter used. */
export interface CsvTableFile {
  readonly table: ColumnarTable;
  readonly columnNames: readonly string[];
  readonly delimiter: string;
  /** 1-based line of each record in the file (of its last line, for a record spanning several). */
  readonly lineOfRow: Int32Array;
}

/**
 * A CSV, Arrow or Parquet file read for checking; an Arrow table goes to the checkers as it is (they decode it
 * themselves), a Parquet file as DuckDB's text of its values (NULL as the empty string).
 */
export type TableFile =
  | (CsvTableFile & { readonly format: 'csv' })
  | { readonly format: 'arrow' | 'arrows'; readonly table: Table; readonly columnNames: readonly string[] }
  | { readonly format: 'parquet'; readonly table: ColumnarTable; readonly columnNames: readonly string[] };

/** Options of {@link readTableFile}: the CSV reader's, and the format (default from the extension). */
export interface TableFileOptions extends CsvReadOptions {
  /** `csv`, `arrow` (IPC file), `arrows` (IPC stream) or `parquet`; default from the extension (`.arrow`, `.arrows`, `.parquet`), else CSV. */
  readonly format?: TableFormat;
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
    lineOfRow: csv.lineOfRow,
  };
}

/**
 * Reads a table file for checking: CSV as {@link readCsvTable} does, or an Arrow IPC file or stream (as
 * `cloak anonymize --output-format arrow|arrows` writes them). `-` reads stdin.
 * @throws CloakError (exit code 3) for an unreadable or malformed file.
 */
export async function readTableFile(path: string, options: TableFileOptions = {}): Promise<TableFile> {
  const { format: explicit, ...csvOptions } = options;
  const format = tableFormatOf(path, explicit);
  if (format === 'csv') return { format, ...(await readCsvTable(path, csvOptions)) };
  if (format === 'parquet') {
    const { readParquetTable } = await import('../io/parquet.js');
    const parquet = await readParquetTable(path);
    const columns: Record<string, DictionaryColumn> = Object.create(null);
    for (const column of parquet.columns) columns[column.name] = { codes: column.codes, dictionary: column.dictionary };
    return { format, table: { rowCount: parquet.rowCount, columns }, columnNames: parquet.columns.map((column) => column.name) };
  }
  const table = await readArrowTable(path);
  return { format, table, columnNames: table.schema.fields.map((field) => field.name) };
}
