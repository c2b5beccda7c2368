// The public verbs: `anonymize` for in-memory and Arrow use, `anonymizeCsv` for files (the CLI's path).
// Each validates at the edge, hands encoded columns to the orchestrator, and owns reading and writing.

import { resolve } from 'node:path';
import type { RecordBatch, Table } from 'apache-arrow';
import { anonymizeEncoded, type EncodedAnonymization } from './anonymize.js';
import { usageError } from './errors.js';
import { checkWritableTarget, writeChunk, writeFileAtomic, writeOutput } from './io/atomic-file.js';
import { readCsvFile, type CsvReadOptions } from './io/csv-reader.js';
import { formatCsvAside, type PendingCsv } from './io/csv-formatting.js';
import { writeCsv } from './io/csv-writer.js';
import { guardFormulaCells } from './io/safe-csv.js';
import { readArrowTable, tableFormatOf, writeArrowTable, type TableFormat } from './io/arrow-ipc.js';
import { searchDone, type ProgressCallback } from './plan/progress.js';
import type { AnonymizeOptions } from './options.js';
import type { PseudonymizationKeys } from './pseudonymize/keys.js';
import { prepareTransforms, type PreparedTransforms } from './pseudonymize/prepare-transforms.js';
import type { AnonymizationReport } from './report.js';
import type { EngineOptions } from './engines/engine.js';
import { readParquetTable, writeParquetTable } from './io/parquet.js';
import { resolveRoles } from './validate-options.js';
import { renderHtmlReport } from './report-html/index.js';
import { fromArrowTable, fromRecords } from './table/arrow.js';
import type { EncodedTable } from './table/encoded-table.js';
import { validateOptions } from './validate-options.js';

/**
 * What `anonymize` accepts: an Arrow table, an array of records, the path of a CSV file (`-`: stdin) or of a Parquet
 * file (`.parquet`, read through DuckDB), or an async iterable of records or of Arrow record batches (an ETL stream;
 * it is read whole, since the search needs all rows).
 */
export type AnonymizeInput =
  | Table
  | readonly Readonly<Record<string, unknown>>[]
  | string
  | AsyncIterable<Readonly<Record<string, unknown>> | RecordBatch>;

export interface AnonymizeResult {
  /** The anonymized table: every column a dictionary-encoded Utf8 vector, rows in input order. */
  readonly table: Table;
  readonly report: AnonymizationReport;
}

/** Options of a run that are not part of the policy. */
export interface AnonymizeRun {
  readonly onProgress?: ProgressCallback;
  /** Keys of the `hmac`, `ff1` and `shift-dates` transforms (never part of the policy, nor of the report). */
  readonly keys?: PseudonymizationKeys;
}

/**
 * Anonymizes a table in memory: finds the optimal transformation for the options' models and metric,
 * applies it, and verifies the output independently before returning it.
 * @throws CloakError with a stable `code` and an `exitCode` for every input or option problem.
 */
export async function anonymize(input: AnonymizeInput, options: AnonymizeOptions, run: AnonymizeRun = {}): Promise<AnonymizeResult> {
  const started = performance.now();
  // Validated here too (it is pure and cheap), so that option problems come before key problems and both before the read.
  validateOptions(options);
  const transforms = await prepareTransforms(options.attributes, run.keys);
  const { table: encoded, file, lineOfRow } = await readTableInput(input, options.delimiter);
  run.onProgress?.({ phase: 'read', done: encoded.rowCount, total: encoded.rowCount });
  const readMs = performance.now() - started;
  const result = await anonymizeEncoded(encoded, options, { file, lineOfRow }, { transforms, onProgress: run.onProgress });
  run.onProgress?.(searchDone(result.report));
  const { toArrowTable } = await import('./table/to-arrow.js');
  return { table: toArrowTable(result.output), report: withTimings(result, readMs, 0, started) };
}

/** Encodes what the library verbs accept (Arrow table, records, CSV path or `-`), naming it for messages. */
export async function readTableInput(input: AnonymizeInput, delimiter?: string): Promise<{ table: EncodedTable; file: string; lineOfRow?: Int32Array }> {
  if (typeof input === 'string') {
    if (input !== '-' && tableFormatOf(input) === 'parquet') return { table: await readParquetTable(input), file: input };
    const csv = await readCsvFile(input, { delimiter });
    return { table: csv.table, file: input === '-' ? '<stdin>' : input, lineOfRow: csv.lineOfRow };
  }
  if (Array.isArray(input)) return { table: fromRecords(input), file: 'records' };
  if (isAsyncIterable(input)) return readStream(input);
  return { table: fromArrowTable(input as Table), file: 'Arrow table' };
}

function isAsyncIterable(value: unknown): value is AsyncIterable<unknown> {
  return typeof value === 'object' && value !== null && typeof (value as AsyncIterable<unknown>)[Symbol.asyncIterator] === 'function';
}

/** Collects a stream of records or of record batches (not a mix); batches keep their dictionary codes. */
async function readStream(input: AsyncIterable<unknown>): Promise<{ table: EncodedTable; file: string }> {
  // Imported here, not at module load: Arrow takes ~170 ms to load, which CSV-only processes should not pay.
  const { RecordBatch, Table } = await import('apache-arrow');
  const records: Readonly<Record<string, unknown>>[] = [];
  const batches: RecordBatch[] = [];
  for await (const item of input) {
    if (item instanceof RecordBatch) batches.push(item);
    else if (typeof item === 'object' && item !== null) records.push(item as Readonly<Record<string, unknown>>);
    else throw usageError('INPUT_STREAM_ITEM', 'an input stream must yield records (objects) or Arrow record batches');
  }
  if (batches.length > 0 && records.length > 0) throw usageError('INPUT_STREAM_MIXED', 'an input stream must yield records or Arrow record batches, not both');
  if (batches.length > 0) return { table: fromArrowTable(new Table(batches), 'Arrow stream'), file: 'Arrow stream' };
  return { table: fromRecords(records, 'record stream'), file: 'record stream' };
}

export interface AnonymizeCsvRequest {
  /** Input file path (CSV, Arrow IPC, Parquet), or `-` for stdin (CSV); with an engine, `source` may name it instead. */
  readonly input?: string;
  /** Output file path, or `-` for stdout (written only after verification passed); with an engine, or `target`. */
  readonly output?: string;
  /** JSON report path; no report file when absent. */
  readonly reportPath?: string;
  /** HTML report path (the same report as the JSON one, with charts); none when absent. */
  readonly htmlReportPath?: string;
  readonly options: AnonymizeOptions;
  readonly read?: Omit<CsvReadOptions, 'delimiter'>;
  /** Prefix `'` to cells a spreadsheet would evaluate as formulas (`--safe-csv`); the report counts them. */
  readonly safeCsv?: boolean;
  /**
   * Input format; default from the extension (`.arrow` IPC file, `.arrows` IPC stream, `.parquet`), otherwise CSV.
   * Parquet is read and written through DuckDB (the optional package `@duckdb/node-api`).
   */
  readonly inputFormat?: TableFormat;
  /** Output format; default from the extension, otherwise CSV. Arrow and Parquet outputs keep every row and column. */
  readonly outputFormat?: TableFormat;
  /** Rows read, nodes checked of the lattice, rows written (with an engine: one event per query, see `ProgressEvent`). */
  readonly onProgress?: ProgressCallback;
  /**
   * Push counting and applying down to an SQL engine: DuckDB (embedded; CSV and Parquet files, tables of a .duckdb
   * file) or a ClickHouse server (a table, or a Distributed table over its shards). Only the histogram of distinct
   * tuples comes into this process; the release is written, re-aggregated and checked there, then published atomically.
   */
  readonly engine?: EngineOptions;
  /** With an engine: what it reads (`duckdb:FILE#table`, `clickhouse://host:port/db.table`, or a file) instead of `input`. */
  readonly source?: string;
  /** With an engine: where the release goes (`duckdb:FILE#table`, a ClickHouse `db.table`, or a file) instead of `output`. */
  readonly target?: string;
  /** With an engine: replace an existing target table (otherwise refused). */
  readonly overwrite?: boolean;
  /** Keys of the `hmac`, `ff1` and `shift-dates` transforms. */
  readonly keys?: PseudonymizationKeys;
}

/** Reads a file (CSV, Arrow, Parquet), anonymizes it, and writes output and report atomically; returns the report. */
export async function anonymizeCsv(request: AnonymizeCsvRequest): Promise<AnonymizationReport> {
  const started = performance.now();
  const startedAt = new Date();
  const { reportPath, htmlReportPath, options } = request;
  const { input, output } = checkRequest(request);
  if (reportPath !== undefined && output !== '-' && resolve(reportPath) === resolve(output)) {
    throw usageError('REPORT_IS_OUTPUT', 'the report path is the output path; choose another report file');
  }
  if (htmlReportPath !== undefined) {
    const taken = [output === '-' ? undefined : output, input === '-' ? undefined : input, reportPath].filter((path) => path !== undefined).map((path) => resolve(path));
    if (taken.includes(resolve(htmlReportPath))) {
      throw usageError('HTML_REPORT_PATH_TAKEN', 'the HTML report path is the input, output or JSON report path; choose another file');
    }
  }
  if (reportPath !== undefined) await checkWritableTarget(reportPath, 'report');
  if (htmlReportPath !== undefined) await checkWritableTarget(htmlReportPath, 'HTML report');
  // Keys are read before the input (after the options' own problems): a missing key fails at once, not after reading
  // a large file.
  validateOptions(options);
  const report =
    request.engine === undefined
      ? await anonymizeInMemory(request, input, output, started, await prepareTransforms(options.attributes, request.keys))
      : await anonymizeOnEngineRequest(request, request.engine, input, output);
  if (reportPath !== undefined) await writeFileAtomic(reportPath, JSON.stringify(report, null, 2) + '\n');
  if (htmlReportPath !== undefined) await writeFileAtomic(htmlReportPath, await renderHtmlReport(report, { input: report.engine?.source ?? (input === '-' ? '<stdin>' : input), startedAt }));
  return report;
}

/** The request's input and output (or engine source and target), checked together: every problem at once. */
function checkRequest(request: AnonymizeCsvRequest): { input: string; output: string } {
  const problems: string[] = [];
  const engine = request.engine !== undefined;
  if (!engine && (request.source !== undefined || request.target !== undefined || request.overwrite !== undefined)) {
    problems.push('source, target and overwrite go with an engine (engine: { type: "duckdb" | "clickhouse" }); without one, give input and output');
  }
  if (request.source !== undefined && request.input !== undefined) problems.push('give the input or the source, not both');
  if (request.target !== undefined && request.output !== undefined) problems.push('give the output or the target, not both');
  const input = request.source ?? request.input;
  const output = request.target ?? request.output;
  if (input === undefined) problems.push(engine ? 'a source is required (a file, duckdb:FILE#table or clickhouse://host:port/db.table)' : 'an input is required (a file, or - for stdin)');
  if (output === undefined) problems.push(engine ? 'a target is required (a file, duckdb:FILE#table or a ClickHouse db.table)' : 'an output is required (a file, or - for stdout)');
  if (engine && request.safeCsv === true) problems.push('safeCsv (--safe-csv) is not available with an engine');
  if (engine && request.keys !== undefined) problems.push('keys: pseudonymizing transforms are not available with an engine');
  if (engine && (request.inputFormat === 'arrow' || request.inputFormat === 'arrows' || request.outputFormat === 'arrow' || request.outputFormat === 'arrows')) {
    problems.push('an engine reads and writes CSV and Parquet, not Arrow IPC');
  }
  if (problems.length > 0) throw usageError('INVALID_REQUEST', problems.length === 1 ? problems[0] : `${problems.length} problems with the request:\n  - ${problems.join('\n  - ')}`, { problems });
  if (!engine && input !== '-' && output !== '-' && resolve(input!) === resolve(output!)) {
    throw usageError('OUTPUT_IS_INPUT', `the output path is the input path (${input}); choose another output file`);
  }
  return { input: input!, output: output! };
}

/** The run on an SQL engine (loaded only now, with its package). */
async function anonymizeOnEngineRequest(request: AnonymizeCsvRequest, engine: EngineOptions, input: string, output: string): Promise<AnonymizationReport> {
  const { anonymizeOnEngine } = await import('./engines/pipeline.js');
  const format = (value: TableFormat | undefined) => (value === 'csv' || value === 'parquet' ? value : undefined);
  const { report, engine: facts } = await anonymizeOnEngine({
    engine,
    source: input,
    target: output,
    overwrite: request.overwrite,
    inputFormat: format(request.inputFormat),
    outputFormat: format(request.outputFormat),
    delimiter: request.options.delimiter,
    options: request.options,
    onProgress: request.onProgress,
  });
  return { ...report, engine: facts };
}

async function anonymizeInMemory(request: AnonymizeCsvRequest, input: string, output: string, started: number, transforms: PreparedTransforms): Promise<AnonymizationReport> {
  const { options } = request;
  const inputFormat = input === '-' ? 'csv' : tableFormatOf(input, request.inputFormat);
  const outputFormat = tableFormatOf(output, request.outputFormat);
  if ((inputFormat === 'parquet' && input === '-') || (outputFormat === 'parquet' && output === '-')) {
    throw usageError('PARQUET_NOT_STREAMED', 'Parquet is read from and written to files, not stdin or stdout');
  }
  if (output !== '-') await checkWritableTarget(output, 'output');

  const inputName = input === '-' ? '<stdin>' : input;
  const csv =
    inputFormat === 'csv'
      ? await readCsvFile(input, { ...request.read, delimiter: options.delimiter })
      : inputFormat === 'parquet'
        ? { table: await readParquetTable(input), delimiter: options.delimiter ?? ',', lineOfRow: undefined }
        : { table: fromArrowTable(await readArrowTable(input), inputName), delimiter: options.delimiter ?? ',', lineOfRow: undefined };
  request.onProgress?.({ phase: 'read', done: csv.table.rowCount, total: csv.table.rowCount });
  const readMs = performance.now() - started;
  let guarded: ReturnType<typeof guardFormulaCells> | undefined;
  let pendingCsv: PendingCsv | undefined;
  // CSV output is formatted on a worker thread while the output is verified; it is written only after that passed.
  const prepareOutput = (anonymized: EncodedTable) => {
    guarded = request.safeCsv === true ? guardFormulaCells(anonymized) : undefined;
    if (outputFormat === 'csv') pendingCsv = formatCsvAside(guarded?.table ?? anonymized, csv.delimiter);
  };
  let result: EncodedAnonymization;
  try {
    result = await anonymizeEncoded(csv.table, options, { file: inputName, lineOfRow: csv.lineOfRow }, { onOutput: prepareOutput, transforms, onProgress: request.onProgress });
  } catch (error) {
    pendingCsv?.cancel();
    throw error;
  }
  request.onProgress?.(searchDone(result.report));

  const writeStarted = performance.now();
  const table = guarded?.table ?? result.output;
  const write = async (stream: NodeJS.WritableStream) => {
    if (outputFormat === 'csv') {
      if (pendingCsv === undefined) return writeCsv(table, csv.delimiter, stream);
      for (const chunk of await pendingCsv.chunks()) await writeChunk(stream, chunk);
      return;
    }
    const { toArrowTable } = await import('./table/to-arrow.js');
    return writeArrowTable(toArrowTable(table), outputFormat as 'arrow' | 'arrows', stream);
  };
  try {
    if (outputFormat === 'parquet') {
      // From a Parquet input, the columns Cloak leaves alone keep their Parquet types (read from the input again, row
      // by row: not for a research subset, whose rows are not the input's).
      const roles = resolveRoles(options);
      const typed = inputFormat === 'parquet' && table.rowCount === csv.table.rowCount;
      await writeParquetTable(table, output, typed ? { source: input, replaced: [...roles.quasiIdentifiers, ...roles.identifying] } : {});
    } else await writeOutput(output, write);
  } finally {
    pendingCsv?.cancel(); // the formatting worker, if the write failed before it was asked for the bytes
  }
  request.onProgress?.({ phase: 'write', done: table.rowCount, total: table.rowCount });
  const writeMs = performance.now() - writeStarted;
  const timed = withTimings(result, readMs, writeMs, started);
  return guarded === undefined ? timed : { ...timed, safeCsvCellsChanged: guarded.cellsChanged };
}

function withTimings(result: EncodedAnonymization, readMs: number, writeMs: number, started: number): AnonymizationReport {
  return {
    ...result.report,
    timingsMs: { ...result.report.timingsMs, read: readMs, write: writeMs, total: performance.now() - started },
  };
}
