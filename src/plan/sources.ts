// The sources a plan is applied to, read as batches of string rows with their lines: CSV or Arrow files, record
// or RecordBatch iterables, Arrow tables. A source that can be opened twice serves the two-pass mode.

import { createReadStream } from 'node:fs';
import type { RecordBatch, Table } from 'apache-arrow';
import type { parse } from 'csv-parse';
import { detectDelimiter } from '../io/delimiter.js';
import { inputError } from '../errors.js';
import { readArrowBatches, tableFormatOf, type TableFormat } from '../io/arrow-ipc.js';

/** A record: column name → value (`null`/`undefined` read as the empty string). */
export type PlanRecord = Readonly<Record<string, unknown>>;

type Items = AsyncIterable<PlanRecord | RecordBatch> | Iterable<PlanRecord | RecordBatch>;

/**
 * What a plan is applied to: a file path (CSV, `.arrow`, `.arrows`), a function returning a fresh iterable of
 * records or RecordBatches (re-readable), such an iterable itself (read once), or an Arrow table.
 */
export type PlanSource = string | (() => Items) | Items | Table;

/** Rows of one batch: the header they follow, the values, and the line (or record number) of each. */
export interface RowBatch {
  readonly header: readonly string[];
  readonly rows: string[][];
  readonly lines: readonly number[];
  /** The delimiter of a CSV source (given or detected), which a CSV output keeps; undefined for other sources. */
  readonly delimiter?: string;
}

export interface SourceOptions {
  /** CSV delimiter; detected from the header line when absent. */
  readonly delimiter?: string;
  readonly inputFormat?: TableFormat;
}

/**
 * An Arrow table, recognized by shape rather than `instanceof`: Arrow takes ~170 ms to load, and processes that never
 * see Arrow data should not pay it. An iterable of records or batches has no `batches` array nor `getChild`.
 */
function isArrowTable(source: PlanSource): source is Table {
  return typeof source === 'object' && source !== null && Array.isArray((source as Table).batches) && typeof (source as Table).getChild === 'function';
}

/** Whether reading the source twice sees the same data. */
export function isRereadable(source: PlanSource): boolean {
  return typeof source === 'string' || typeof source === 'function' || isArrowTable(source);
}

/** A name for messages. */
export function sourceName(source: PlanSource): string {
  return typeof source === 'string' ? (source === '-' ? '<stdin>' : source) : isArrowTable(source) ? 'Arrow table' : 'records';
}

/** Reads the source once, batch by batch. */
export async function* readRowBatches(source: PlanSource, options: SourceOptions = {}): AsyncGenerator<RowBatch> {
  if (typeof source === 'string') {
    const format = source === '-' ? 'csv' : tableFormatOf(source, options.inputFormat);
    if (format === 'csv') yield* readCsvRows(source === '-' ? process.stdin : createReadStream(source), sourceName(source), options.delimiter);
    else if (format === 'parquet') yield* readParquetBatches(source);
    else yield* readRecordRows(readArrowBatches(source), sourceName(source));
  } else if (isArrowTable(source)) yield* readRecordRows(source.batches, 'Arrow table');
  else yield* readRecordRows(typeof source === 'function' ? source() : source, 'records');
}

/** Parquet rows (through DuckDB), numbered by record as Arrow sources are. */
async function* readParquetBatches(path: string): AsyncGenerator<RowBatch> {
  const { readParquetRows } = await import('../io/parquet.js');
  let count = 0;
  for await (const { header, rows } of readParquetRows(path)) yield { header, rows, lines: rows.map(() => ++count) };
}

const CSV_BATCH = 4096;
/** How much of the first chunk delimiter detection sees (a file stream's first chunk, 64 KiB, or less). */
export const CSV_HEAD_BYTES = 65536;

/** The delimiter of CSV text whose first chunk (at most 64 KiB) is `head`: detected on its first line. */
export function detectCsvDelimiter(head: string): string {
  const firstLine = head.slice(0, Math.max(0, head.search(/\r?\n/)) || head.length);
  return detectDelimiter(firstLine.replace(/^\uFEFF/, ''), false);
}

/** Parses CSV text into batches; the parser's callback keeps each record's exact first line. */
export async function* readCsvRows(input: AsyncIterable<Buffer | string>, name: string, delimiter?: string): AsyncGenerator<RowBatch> {
  let header: string[] | undefined;
  let rows: string[][] = [];
  let lines: number[] = [];
  let parser: ReturnType<typeof parse> | undefined;
  let resolved: string | undefined;
  let failure: Error | undefined;
  let yielded = false;
  // Loaded on first use: plain CSV files are read by the byte scanner, and most processes never need csv-parse.
  const { parse: createParser } = await import('csv-parse');
  const start = (text: string) => {
    resolved = delimiter ?? detectCsvDelimiter(text);
    parser = createParser({
      delimiter: resolved,
      bom: true,
      relax_column_count: true,
      skip_empty_lines: true,
    });
    const info = (parser as unknown as { info: { lines: number } }).info;
    // Records arrive synchronously while a chunk is parsed, so the parser's line count is the record's last line
    // (its only line unless a quoted field spans lines). Cheaper than on_record, which builds a context per record.
    parser.on('data', (record: string[]) => {
      if (header === undefined) header = record;
      else if (record.length !== header.length) {
        failure ??= inputError('CSV_RAGGED_ROW', `${name}:${info.lines}: the record has ${record.length} fields, the header has ${header.length}`, { location: { file: name, line: info.lines } });
      } else {
        rows.push(record);
        lines.push(info.lines);
      }
    });
    parser.on('error', (error: Error) => (failure ??= inputError('CSV_INVALID', `${name}: malformed CSV (${error.message.replace(/:.*$/s, '')})`, { location: { file: name }, cause: error })));
    parser.resume();
  };
  const drain = function* (): Generator<RowBatch> {
    if (failure !== undefined) throw failure;
    if (header !== undefined && rows.length > 0) {
      yielded = true;
      yield { header, rows, lines, delimiter: resolved };
      rows = [];
      lines = [];
    }
  };
  for await (const chunk of input) {
    if (parser === undefined) start(typeof chunk === 'string' ? chunk : chunk.subarray(0, CSV_HEAD_BYTES).toString('utf8'));
    parser!.write(chunk);
    if (rows.length >= CSV_BATCH || failure !== undefined) yield* drain();
  }
  if (parser === undefined) throw inputError('CSV_EMPTY', `${name}: the input is empty; a header row is required`, { location: { file: name } });
  await new Promise<void>((done) => {
    parser!.once('end', done);
    parser!.once('error', () => done());
    parser!.end();
  });
  yield* drain();
  // A header without records still tells the consumer the columns (an empty output keeps its header).
  if (header !== undefined && !yielded) yield { header, rows: [], lines: [], delimiter: resolved };
  if (header === undefined) throw inputError('CSV_EMPTY', `${name}: the input is empty; a header row is required`, { location: { file: name } });
}

/** Records or RecordBatches as row batches; every record must have the first one's fields. */
export async function* readRecordRows(items: Items, name: string): AsyncGenerator<RowBatch> {
  let header: string[] | undefined;
  let rows: string[][] = [];
  let lines: number[] = [];
  let count = 0;
  const { RecordBatch } = await import('apache-arrow');
  for await (const item of items as AsyncIterable<PlanRecord | RecordBatch>) {
    if (item instanceof RecordBatch) {
      if (rows.length > 0) yield { header: header!, rows, lines };
      header ??= item.schema.fields.map((field) => field.name);
      const names = item.schema.fields.map((field) => field.name);
      if (names.length !== header.length || names.some((field, i) => field !== header![i])) {
        throw inputError('PLAN_SCHEMA_MISMATCH', `${name}: record batch ${count + 1} has other columns than the first one`, { location: { file: name } });
      }
      const columns = names.map((_, i) => item.getChildAt(i)!);
      rows = [];
      lines = [];
      for (let r = 0; r < item.numRows; r++) {
        const row = new Array<string>(columns.length);
        for (let c = 0; c < columns.length; c++) {
          const value = columns[c].get(r);
          row[c] = value === null || value === undefined ? '' : String(value);
        }
        rows.push(row);
        lines.push(++count);
      }
      yield { header, rows, lines };
      rows = [];
      lines = [];
      continue;
    }
    header ??= Object.keys(item);
    count++;
    const row = new Array<string>(header.length);
    for (let c = 0; c < header.length; c++) {
      if (!Object.hasOwn(item, header[c])) throw inputError('PLAN_SCHEMA_MISMATCH', `${name}: record ${count} has no field "${header[c]}"`, { location: { file: name, line: count, column: header[c] } });
      const value = item[header[c]];
      row[c] = value === null || value === undefined ? '' : String(value);
    }
    if (Object.keys(item).length !== header.length) throw inputError('PLAN_SCHEMA_MISMATCH', `${name}: record ${count} has other fields than the first record`, { location: { file: name, line: count } });
    rows.push(row);
    lines.push(count);
    if (rows.length >= CSV_BATCH) {
      yield { header, rows, lines };
      rows = [];
      lines = [];
    }
  }
  if (header !== undefined && rows.length > 0) yield { header, rows, lines };
}
