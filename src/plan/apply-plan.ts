// `applyPlan` and friends: a saved plan applied to new data, as Arrow record batches, CSV text, a Node Transform or
// a file committed atomically. Two-pass counts then writes; one-pass writes as it goes and re-checks at the end.

import { Duplex } from 'node:stream';
import type { RecordBatch, Utf8, Vector } from 'apache-arrow';
import { createWriteStream } from 'node:fs';
import { tmpdir } from 'node:os';
import { checkWritableTarget, createScratchFile, removeTemporaryFile, writeChunk, writeFileAtomic, writeOutput } from '../io/atomic-file.js';
import { cloakVersion } from '../policy/policy-hash.js';
import { writeArrowBatches, tableFormatOf, type TableFormat } from '../io/arrow-ipc.js';
import { CloakError, inputError, usageError } from '../errors.js';
import type { PseudonymizationKeys } from '../pseudonymize/keys.js';
import { assertReleasable, notRereadable, PlanApplier, type PlanDecision } from './applier.js';
import type { EngineOptions, EngineRunFacts } from '../engines/engine.js';
import type { Plan } from './plan-format.js';
import { PlanPseudonymizer } from './plan-pseudonymizer.js';
import type { ProgressCallback } from './progress.js';
import { countPlainCsvFile, type PlainCsvCount } from './scan-pass.js';
import { ReleaseTally } from './release-check.js';
import { RowSpool, type SpoolOptions } from './spool.js';
import { isRereadable, readCsvRows, readRecordRows, readRowBatches, sourceName, type PlanRecord, type PlanSource, type RowBatch } from './sources.js';

export interface ApplyPlanOptions {
  /**
   * `two-pass` (default): counts the classes in a first read, then writes in a second; needs a re-readable source.
   * `one-pass`: reads once, holding every generalized row back (in memory up to `holdBack.memoryMb`, then in a
   * private temporary file) until the classes are counted and checked. Both suppress the classes that fail a model
   * and give the same output. Wherever the output is not a file committed atomically (the record-batch iterator,
   * `applyPlanStream`, stdout), rows are held back in either mode: no row leaves before every check passed.
   */
  readonly mode?: 'two-pass' | 'one-pass';
  /** CSV delimiter of the input (detected when absent); the CSV output keeps it. */
  readonly delimiter?: string;
  readonly inputFormat?: TableFormat;
  readonly onProgress?: ProgressCallback;
  /** Where rows wait for the check: memory bound and folder of the temporary file. */
  readonly holdBack?: SpoolOptions;
  /** Keys of the plan's keyed transforms: each must be the one the plan was made with (same fingerprint). */
  readonly keys?: PseudonymizationKeys;
}

/** What an application of a plan did. */
export interface ApplyPlanSummary {
  readonly rows: number;
  readonly classes: number;
  readonly suppressedRecords: number;
  readonly suppressedClasses: number;
  readonly budget: number;
}

/** Rows of a source, opened once per pass. */
interface RowSource {
  readonly name: string;
  readonly rereadable: boolean;
  open(): AsyncIterable<RowBatch>;
  /** Cheaper two passes, when the source has them: undefined when this source must be counted from `open` after all. */
  count?(plan: Plan, onProgress?: ProgressCallback): Promise<PlainCsvCount | undefined>;
}

function rowSource(source: PlanSource, options: ApplyPlanOptions): RowSource {
  const name = sourceName(source);
  const rows: RowSource = { name, rereadable: isRereadable(source), open: () => readRowBatches(source, options) };
  if (typeof source !== 'string' || source === '-' || tableFormatOf(source, options.inputFormat) !== 'csv') return rows;
  return { ...rows, count: (plan, onProgress) => countPlainCsvFile(plan, source, name, options.delimiter, onProgress) };
}

/**
 * Where the generalized rows go. `atomic`: a temporary file renamed only after every check passed, so rows may be
 * written before the end. `direct`: anything the caller sees at once (an iterator's consumer, a stream, stdout),
 * so every row is held back until the release is decided.
 */
type Sink = 'atomic' | 'direct';

/** Generalized row batches; the summary is the generator's return value. */
function applyRows(plan: Plan, source: RowSource, options: ApplyPlanOptions, sink: Sink): AsyncGenerator<RowBatch, ApplyPlanSummary> {
  const mode = options.mode ?? 'two-pass';
  if (mode !== 'two-pass' && mode !== 'one-pass') throw usageError('PLAN_MODE_UNKNOWN', 'mode must be "two-pass" or "one-pass"');
  if (mode === 'two-pass' && !source.rereadable) throw notRereadable(source.name);
  return mode === 'two-pass' && sink === 'atomic' ? applyTwoPass(plan, source, options) : applyHeldBack(plan, source, options);
}

/** Counts every class in a first read, decides, then generalizes the rows of a second read as they come. */
async function* applyTwoPass(plan: Plan, source: RowSource, options: ApplyPlanOptions): AsyncGenerator<RowBatch, ApplyPlanSummary> {
  const pseudonymizer = await PlanPseudonymizer.create(plan, options.keys, source.name);
  const counted = await source.count?.(plan, options.onProgress);
  const applier = counted?.applier ?? (await countRows(plan, source, options.onProgress));
  const decision = applier.decide();
  assertReleasable(decision, source.name);
  applier.beginSecondPass();
  let tally: ReleaseTally | undefined;
  for await (const batch of counted?.rows() ?? source.open()) {
    if (tally === undefined) {
      applier.bind(batch.header, source.name);
      tally = new ReleaseTally(plan, batch.header);
    }
    pseudonymizer?.apply(batch, source.name);
    const { rows, lines } = batch;
    for (let i = 0; i < rows.length; i++) {
      const cls = applier.count(rows[i], lines[i]);
      tally.add(applier.generalize(rows[i], false), cls);
      if (decision.suppressed[cls] === 1) applier.suppress(rows[i]);
    }
    options.onProgress?.({ phase: 'write', done: applier.rows, total: decision.rows });
    yield batch;
  }
  if (tally === undefined) throw emptySource(source.name);
  applier.endSecondPass();
  // Before the caller commits the written rows: the sink is atomic, so failing here publishes nothing.
  tally.verify(decision, source.name);
  return summaryOf(decision);
}

/**
 * Reads once, generalizing and counting each row and holding it back; once the classes are checked (by the plan's
 * models, then independently), replays the rows with the failing classes suppressed. Nothing is yielded before.
 */
async function* applyHeldBack(plan: Plan, source: RowSource, options: ApplyPlanOptions): AsyncGenerator<RowBatch, ApplyPlanSummary> {
  const pseudonymizer = await PlanPseudonymizer.create(plan, options.keys, source.name);
  const applier = new PlanApplier(plan);
  const spool = new RowSpool(options.holdBack);
  try {
    let tally: ReleaseTally | undefined;
    for await (const batch of source.open()) {
      if (tally === undefined) {
        applier.bind(batch.header, source.name);
        tally = new ReleaseTally(plan, batch.header);
      }
      pseudonymizer?.apply(batch, source.name);
      const { rows, lines } = batch;
      const classes = new Int32Array(rows.length);
      for (let i = 0; i < rows.length; i++) {
        classes[i] = applier.count(rows[i], lines[i]);
        tally.add(applier.generalize(rows[i], false), classes[i]);
      }
      spool.add(batch, classes);
      options.onProgress?.({ phase: 'read', done: applier.rows });
    }
    if (tally === undefined) throw emptySource(source.name);
    const decision = applier.decide();
    assertReleasable(decision, source.name);
    tally.verify(decision, source.name);
    let written = 0;
    for await (const { batch, classes } of spool.replay()) {
      for (let i = 0; i < classes.length; i++) if (decision.suppressed[classes[i]] === 1) applier.suppress(batch.rows[i]);
      written += classes.length;
      options.onProgress?.({ phase: 'write', done: written, total: decision.rows });
      yield batch;
    }
    return summaryOf(decision);
  } finally {
    await spool.dispose();
  }
}

function emptySource(name: string): CloakError {
  return inputError('INPUT_EMPTY', `${name}: no header and no records`, { location: { file: name } });
}

function summaryOf(decision: PlanDecision): ApplyPlanSummary {
  return { rows: decision.rows, classes: decision.classes, suppressedRecords: decision.suppressedRecords, suppressedClasses: decision.suppressedClasses, budget: decision.budget };
}

/** The counting pass over the source's rows as parsed for writing. */
async function countRows(plan: Plan, source: RowSource, onProgress: ProgressCallback | undefined): Promise<PlanApplier> {
  const applier = new PlanApplier(plan);
  for await (const batch of source.open()) {
    if (applier.rows === 0) applier.bind(batch.header, source.name);
    for (let i = 0; i < batch.rows.length; i++) applier.count(batch.rows[i], batch.lines[i]);
    onProgress?.({ phase: 'read', done: applier.rows });
  }
  return applier;
}

/**
 * Applies a saved plan to `source`, yielding the anonymized records as Arrow record batches (Utf8 columns, the
 * source's columns and order). The first batch comes only once every record was read and every model re-checked:
 * the iteration rejects before yielding anything when the data does not fit the plan or the release fails.
 */
export async function* applyPlan(plan: Plan, source: PlanSource, options: ApplyPlanOptions = {}): AsyncGenerator<RecordBatch, ApplyPlanSummary> {
  const arrow = await import('apache-arrow');
  const rows = applyRows(plan, rowSource(source, options), options, 'direct');
  for (;;) {
    const next = await rows.next();
    if (next.done === true) return next.value;
    yield toRecordBatch(arrow, next.value);
  }
}

// Arrow takes ~170 ms to load: imported where record batches are built, so that CSV-only processes never pay it.
type Arrow = typeof import('apache-arrow');

/** A batch of string rows as an Arrow record batch of Utf8 columns. */
function toRecordBatch({ RecordBatch, Table, Utf8, vectorFromArray }: Arrow, batch: RowBatch): RecordBatch {
  const columns: Record<string, Vector<Utf8>> = Object.create(null);
  batch.header.forEach((name, c) => {
    columns[name] = vectorFromArray(
      batch.rows.map((row) => row[c]),
      new Utf8(),
    );
  });
  return new Table(columns).batches[0] ?? new RecordBatch(new Table(columns).schema);
}

export interface ApplyPlanToFileOptions extends ApplyPlanOptions {
  /** Output format; default from the output's extension, otherwise CSV. */
  readonly outputFormat?: TableFormat;
  /** Where to write the JSON report (atomically, after the output); none when absent. */
  readonly reportPath?: string;
  /**
   * Apply on an SQL engine: `input` is then what it reads (a file, `duckdb:FILE#table`, `clickhouse://host:port/db.table`)
   * and `output` where the release goes (a file, `duckdb:FILE#table`, a ClickHouse `db.table`). Only the histogram of
   * distinct tuples comes into this process; the release is re-aggregated there and checked before it is published.
   */
  readonly engine?: EngineOptions;
  /** With an engine: replace an existing target table (otherwise refused). */
  readonly overwrite?: boolean;
}

/** The report of `applyPlanToFile`: what was done, and with which plan. */
export interface ApplyPlanReport extends ApplyPlanSummary {
  readonly cloakVersion: string;
  readonly planSha256: string;
  readonly policySha256: string;
  readonly input: string;
  readonly output: string;
  readonly mode: 'two-pass' | 'one-pass';
  /** The release passed the plan's models and their independent re-check before it was written. */
  readonly verified: true;
  readonly timingsMs: { readonly total: number };
  /** The SQL engine the plan was applied on; absent in this process. */
  readonly engine?: EngineRunFacts;
}

/**
 * Applies a plan to a file (or `-` for stdin) and writes the result to `output` (or `-` for stdout). A file is
 * written to a temporary beside it and renamed only when every check passed; on any failure it is left untouched.
 * Nothing reaches stdout before every check passed. A CSV output keeps the CSV input's delimiter.
 */
export async function applyPlanToFile(plan: Plan, input: PlanSource, output: string, options: ApplyPlanToFileOptions = {}): Promise<ApplyPlanSummary> {
  const started = performance.now();
  if (options.engine === undefined && options.overwrite !== undefined) throw usageError('INVALID_REQUEST', 'overwrite goes with an engine (engine: { type: "duckdb" | "clickhouse" })');
  if (options.engine === undefined && output !== '-') await checkWritableTarget(output, 'output');
  if (options.reportPath !== undefined) await checkWritableTarget(options.reportPath, 'report');
  let engine: EngineRunFacts | undefined;
  let summary: ApplyPlanSummary;
  if (options.engine !== undefined) {
    if (typeof input !== 'string') throw usageError('INVALID_REQUEST', 'with an engine, the input names what it reads (a file, duckdb:FILE#table or clickhouse://host:port/db.table)');
    const format = (value: TableFormat | undefined) => (value === 'csv' || value === 'parquet' ? value : undefined);
    if (options.mode === 'one-pass') throw usageError('INVALID_REQUEST', 'an engine applies a plan in two passes over its source; leave mode unset');
    if (options.keys !== undefined) throw usageError('INVALID_REQUEST', 'keys: pseudonymizing transforms are not available with an engine');
    const { applyPlanOnEngine } = await import('../engines/pipeline.js');
    const run = await applyPlanOnEngine(plan, {
      engine: options.engine,
      source: input,
      target: output,
      overwrite: options.overwrite,
      inputFormat: format(options.inputFormat),
      outputFormat: format(options.outputFormat),
      delimiter: options.delimiter,
      onProgress: options.onProgress,
    });
    summary = run.summary;
    engine = run.engine;
  } else summary = await writeAppliedPlan(plan, input, output, options);
  if (options.reportPath !== undefined) {
    const report: ApplyPlanReport = {
      cloakVersion: cloakVersion(),
      planSha256: plan.planSha256,
      policySha256: plan.policySha256,
      input: engine?.source ?? sourceName(input),
      output: engine?.target ?? (output === '-' ? '<stdout>' : output),
      mode: options.mode ?? 'two-pass',
      ...summary,
      verified: true,
      timingsMs: { total: performance.now() - started },
      ...(engine === undefined ? {} : { engine }),
    };
    await writeFileAtomic(options.reportPath, JSON.stringify(report, null, 2) + '\n');
  }
  return summary;
}

async function writeAppliedPlan(plan: Plan, input: PlanSource, output: string, options: ApplyPlanToFileOptions): Promise<ApplyPlanSummary> {
  const format = tableFormatOf(output, options.outputFormat);
  if (format === 'parquet') return writeAppliedParquet(plan, input, output, options);
  const write = async (stream: NodeJS.WritableStream, sink: Sink): Promise<ApplyPlanSummary> => {
    const rows = applyRows(plan, rowSource(input, options), options, sink);
    if (format === 'csv') return writeCsvRows(rows, stream);
    let summary: ApplyPlanSummary | undefined;
    const arrow = await import('apache-arrow');
    const batches = (async function* () {
      for (;;) {
        const next = await rows.next();
        if (next.done === true) {
          summary = next.value;
          return;
        }
        yield toRecordBatch(arrow, next.value);
      }
    })();
    await writeArrowBatches(batches, format as 'arrow' | 'arrows', stream);
    return summary!;
  };
  return writeOutput(output, (stream) => write(stream, output === '-' ? 'direct' : 'atomic'));
}

/**
 * A Parquet output: the rows as CSV into a private scratch file (nothing is visible until every check passed), then
 * converted by DuckDB into a temporary beside the target and renamed. From a Parquet input, the columns the plan
 * leaves alone keep their Parquet types.
 */
async function writeAppliedParquet(plan: Plan, input: PlanSource, output: string, options: ApplyPlanToFileOptions): Promise<ApplyPlanSummary> {
  if (output === '-') throw usageError('PARQUET_NOT_STREAMED', 'Parquet is written to a file, not stdout');
  const { writeParquetFromCsv } = await import('../io/parquet.js');
  const scratch = createScratchFile(options.holdBack?.directory ?? tmpdir(), 'apply');
  try {
    const stream = createWriteStream('', { fd: scratch.fd });
    const rows = applyRows(plan, rowSource(input, options), { ...options, delimiter: options.delimiter }, 'atomic');
    const summary = await writeCsvRows(commaSeparated(rows), stream);
    await new Promise<void>((done, fail) => stream.end((error?: Error | null) => (error ? fail(error) : done())));
    const fromParquet = typeof input === 'string' && input !== '-' && tableFormatOf(input, options.inputFormat) === 'parquet';
    const replaced = [...plan.quasiIdentifiers.map((qi) => qi.name), ...plan.identifying];
    await writeParquetFromCsv(scratch.path, plan.columns, output, fromParquet ? { source: input, replaced } : {});
    return summary;
  } finally {
    await removeTemporaryFile(scratch.path);
  }
}

/** Batches re-labelled as comma-separated, so that the scratch CSV has the delimiter DuckDB is told. */
async function* commaSeparated(rows: AsyncGenerator<RowBatch, ApplyPlanSummary>): AsyncGenerator<RowBatch, ApplyPlanSummary> {
  for (;;) {
    const next = await rows.next();
    if (next.done === true) return next.value;
    yield { ...next.value, delimiter: ',' };
  }
}

/** Writes the header once, then every row, as CSV with the input's delimiter (`,` for other inputs). */
async function writeCsvRows(rows: AsyncGenerator<RowBatch, ApplyPlanSummary>, stream: NodeJS.WritableStream): Promise<ApplyPlanSummary> {
  const text = csvText();
  for (;;) {
    const next = await rows.next();
    if (next.done === true) return next.value;
    await writeChunk(stream, text(next.value));
  }
}

/** Formats batches as CSV text: the header before the first batch's rows, in the first batch's delimiter. */
function csvText(): (batch: RowBatch) => string {
  let format: ((row: readonly string[]) => string) | undefined;
  return (batch) => {
    let chunk = '';
    if (format === undefined) {
      format = csvFormatter(batch.delimiter ?? ',');
      chunk = format(batch.header);
    }
    for (const row of batch.rows) chunk += format(row);
    return chunk;
  };
}

/** One CSV line; a field is quoted only when it holds the delimiter, a quote or a line break (as csv-stringify does). */
function csvFormatter(delimiter: string): (row: readonly string[]) => string {
  const special = new RegExp(`["\\r\\n${delimiter.replace(/[\\\]^-]/g, '\\$&')}]`);
  const field = (value: string) => (special.test(value) ? `"${value.replace(/"/g, '""')}"` : value);
  return (row) => {
    let line = field(row[0]);
    for (let c = 1; c < row.length; c++) line += delimiter + field(row[c]);
    return line + '\n';
  };
}

export interface ApplyPlanStreamOptions {
  /** `csv` (default): CSV text in, CSV text out (the input's delimiter). `records`: record objects in and out. */
  readonly format?: 'csv' | 'records';
  /** Delimiter of the CSV input; detected when absent. */
  readonly delimiter?: string;
  readonly onProgress?: ProgressCallback;
  /** Name of the input in messages. */
  readonly name?: string;
  /** Where rows wait for the check: memory bound and folder of the temporary file. */
  readonly holdBack?: SpoolOptions;
  /** Keys of the plan's keyed transforms (see `ApplyPlanOptions.keys`). */
  readonly keys?: PseudonymizationKeys;
}

/**
 * A duplex stream applying a plan: records (or CSV text) in, anonymized records (or CSV text) out. It reads its whole
 * input first, holding every row back until every model was re-checked, so nothing flows downstream unless the
 * release passed; otherwise the stream errors (with the cause) having emitted nothing.
 */
export function applyPlanStream(plan: Plan, options: ApplyPlanStreamOptions = {}): Duplex {
  return new PlanStream(plan, options);
}

/** A chunk written to the stream, with the callback that lets the writer go on once the chunk was taken. */
interface PendingChunk {
  readonly chunk: Buffer | string | PlanRecord;
  readonly taken: () => void;
}

class PlanStream extends Duplex {
  private readonly pending: PendingChunk[] = [];
  private inputEnded = false;
  /** Wakes the pump when input arrives, input ends, the reader wants more, or the stream is destroyed. */
  private wake: (() => void) | undefined;
  private wantsMore = true;

  constructor(plan: Plan, options: ApplyPlanStreamOptions) {
    const records = options.format === 'records';
    super({ readableObjectMode: true, writableObjectMode: records });
    const name = options.name ?? 'stream';
    const batches = records ? readRecordRows(this.input() as AsyncIterable<PlanRecord>, name) : readCsvRows(this.input() as AsyncIterable<Buffer | string>, name, options.delimiter);
    const rows = applyRows(plan, { name, rereadable: false, open: () => batches }, { mode: 'one-pass', onProgress: options.onProgress, holdBack: options.holdBack, keys: options.keys }, 'direct');
    this.pump(rows, records).then(
      () => this.push(null),
      (error: unknown) => this.destroy(error as Error),
    );
  }

  override _write(chunk: Buffer | string | PlanRecord, _encoding: BufferEncoding, taken: () => void): void {
    this.pending.push({ chunk, taken });
    this.notify();
  }

  override _final(done: () => void): void {
    this.inputEnded = true;
    this.notify();
    done();
  }

  override _read(): void {
    this.wantsMore = true;
    this.notify();
  }

  override _destroy(error: Error | null, done: (error: Error | null) => void): void {
    this.notify();
    done(error);
  }

  /** The written chunks as an iterable: each writer's callback runs once its chunk is taken (backpressure). */
  private async *input(): AsyncGenerator<Buffer | string | PlanRecord> {
    for (;;) {
      const next = this.pending.shift();
      if (next !== undefined) {
        next.taken();
        yield next.chunk;
      } else if (this.inputEnded) return;
      else await this.sleep();
    }
  }

  /** Pushes the released rows downstream, waiting whenever the reader's buffer is full. */
  private async pump(rows: AsyncGenerator<RowBatch, ApplyPlanSummary>, records: boolean): Promise<void> {
    const text = csvText();
    try {
      for (let next = await rows.next(); next.done !== true; next = await rows.next()) {
        const batch = next.value;
        const chunks = records ? batch.rows.map((row) => Object.fromEntries(batch.header.map((column, c) => [column, row[c]]))) : [text(batch)];
        for (const chunk of chunks) {
          while (!this.wantsMore && !this.destroyed) await this.sleep();
          if (this.destroyed) return;
          this.wantsMore = this.push(chunk);
        }
      }
    } finally {
      // A destroyed stream (its pipeline failed) stops reading: closing the rows removes any held-back file.
      await rows.return(undefined as never);
    }
  }

  private sleep(): Promise<void> {
    if (this.destroyed) return Promise.reject(this.errored ?? new Error('stream destroyed'));
    return new Promise((resolve) => (this.wake = resolve));
  }

  private notify(): void {
    const wake = this.wake;
    this.wake = undefined;
    wake?.();
  }
}
