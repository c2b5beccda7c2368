// `applyPlan` and friends: a saved plan applied to new data, as Arrow record batches, CSV text, a Node Transform or
// a file committed atomically. Two-pass counts then writes; one-pass writes as it goes and re-checks at the end.

import { Transform } from 'node:stream';
import type { RecordBatch, Utf8, Vector } from 'apache-arrow';
import { openAtomicFile, writeChunk } from '../io/atomic-file.js';
import { writeArrowBatches, tableFormatOf, type TableFormat } from '../io/arrow-ipc.js';
import { inputError, usageError } from '../errors.js';
import { assertNothingFailed, assertReleasable, notRereadable, PlanApplier, type PlanDecision } from './applier.js';
import type { Plan } from './plan.js';
import type { ProgressCallback } from './progress.js';
import { countPlainCsvFile, type PlainCsvCount } from './scan-pass.js';
import { isRereadable, readCsvRows, readRecordRows, readRowBatches, sourceName, type PlanRecord, type PlanSource, type RowBatch } from './sources.js';

export interface ApplyPlanOptions {
  /**
   * `two-pass` (default): counts classes first, suppresses the records of classes failing a model, then writes;
   * needs a re-readable source. `one-pass`: writes as it reads and re-checks every model at the end, failing
   * (rejecting, nothing committed to a file) if any class fails, since written records cannot be suppressed.
   */
  readonly mode?: 'two-pass' | 'one-pass';
  /** CSV delimiter of the input (detected when absent); the CSV output keeps it. */
  readonly delimiter?: string;
  readonly inputFormat?: TableFormat;
  readonly onProgress?: ProgressCallback;
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

/** Generalized row batches; the summary is the generator's return value. */
async function* applyRows(plan: Plan, source: RowSource, options: ApplyPlanOptions): AsyncGenerator<RowBatch, ApplyPlanSummary> {
  const { name } = source;
  const mode = options.mode ?? 'two-pass';
  if (mode !== 'two-pass' && mode !== 'one-pass') throw usageError('PLAN_MODE_UNKNOWN', 'mode must be "two-pass" or "one-pass"');
  let applier: PlanApplier;
  let decision: PlanDecision | undefined;
  let counted: PlainCsvCount | undefined;
  if (mode === 'two-pass') {
    if (!source.rereadable) throw notRereadable(name);
    counted = await source.count?.(plan, options.onProgress);
    applier = counted?.applier ?? (await countRows(plan, source, options.onProgress));
    decision = applier.decide();
    assertReleasable(decision, name);
    applier.beginSecondPass();
  } else applier = new PlanApplier(plan);
  let written = 0;
  let bound = false;
  for await (const batch of counted?.rows() ?? source.open()) {
    if (!bound) {
      applier.bind(batch.header, name);
      bound = true;
    }
    const { rows, lines } = batch;
    for (let i = 0; i < rows.length; i++) {
      const cls = applier.count(rows[i], lines[i]);
      applier.generalize(rows[i], decision !== undefined && decision.suppressed[cls] === 1);
    }
    written += rows.length;
    options.onProgress?.({ phase: 'write', done: written, total: decision?.rows });
    yield batch;
  }
  if (!bound) throw inputError('INPUT_EMPTY', `${name}: no header and no records`, { location: { file: name } });
  if (decision === undefined) {
    decision = applier.decide();
    assertNothingFailed(decision, name);
  } else applier.endSecondPass();
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
 * source's columns and order). The iteration rejects — after the last batch in one-pass mode — when the data does
 * not fit the plan or a model fails; treat the output as committed only once the iteration completed.
 */
export async function* applyPlan(plan: Plan, source: PlanSource, options: ApplyPlanOptions = {}): AsyncGenerator<RecordBatch, ApplyPlanSummary> {
  const arrow = await import('apache-arrow');
  const rows = applyRows(plan, rowSource(source, options), options);
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
}

/**
 * Applies a plan to a file (or `-` for stdin) and writes the result to `output` (or `-` for stdout). A file is
 * written to a temporary beside it and renamed only when every check passed; on any failure it is left untouched.
 */
export async function applyPlanToFile(plan: Plan, input: PlanSource, output: string, options: ApplyPlanToFileOptions = {}): Promise<ApplyPlanSummary> {
  const format = tableFormatOf(output, options.outputFormat);
  const write = async (stream: NodeJS.WritableStream): Promise<ApplyPlanSummary> => {
    const rows = applyRows(plan, rowSource(input, options), options);
    if (format === 'csv') return writeCsvRows(rows, options.delimiter ?? ',', stream);
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
    await writeArrowBatches(batches, format, stream);
    return summary!;
  };
  if (output === '-') return write(process.stdout);
  const file = await openAtomicFile(output);
  // A write still in flight when an abort destroys the stream reports ERR_STREAM_DESTROYED as an 'error' event;
  // kept here (a real write error fails the commit below) instead of surfacing as an uncaught exception.
  let streamError: Error | undefined;
  file.stream.on('error', (error) => (streamError ??= error));
  try {
    const summary = await write(file.stream);
    if (streamError !== undefined) throw inputError('OUTPUT_WRITE_FAILED', `writing ${output} failed`, { location: { file: output }, cause: streamError });
    await file.commit();
    return summary;
  } catch (error) {
    await file.abort();
    throw error;
  }
}

/** Writes the header once, then every row, as CSV. */
async function writeCsvRows(rows: AsyncGenerator<RowBatch, ApplyPlanSummary>, delimiter: string, stream: NodeJS.WritableStream): Promise<ApplyPlanSummary> {
  const format = csvFormatter(delimiter);
  let headerWritten = false;
  for (;;) {
    const next = await rows.next();
    if (next.done === true) return next.value;
    let chunk = headerWritten ? '' : format(next.value.header as string[]);
    headerWritten = true;
    for (const row of next.value.rows) chunk += format(row);
    await writeChunk(stream, chunk);
  }
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
  /** `csv` (default): CSV text in, CSV text out. `records`: record objects in, record objects out (object mode). */
  readonly format?: 'csv' | 'records';
  readonly delimiter?: string;
  readonly onProgress?: ProgressCallback;
  /** Name of the input in messages. */
  readonly name?: string;
}

/**
 * A Transform applying a plan in one pass: records (or CSV text) in, anonymized records (or CSV text) out. A stream
 * is read once, so this is the one-pass mode: at the end every model is re-checked and the stream errors (with the
 * cause) if a class fails — pipe it into an atomic writer, such as `applyPlanToFile` does, to commit nothing then.
 */
export function applyPlanStream(plan: Plan, options: ApplyPlanStreamOptions = {}): Transform {
  const records = options.format === 'records';
  const name = options.name ?? 'stream';
  // The core is pull-based; the Transform feeds it through a small queue of pending input chunks.
  const pending: (Buffer | string | PlanRecord)[] = [];
  let wake: (() => void) | undefined;
  let ended = false;
  async function* input(): AsyncGenerator<Buffer | string | PlanRecord> {
    for (;;) {
      while (pending.length > 0) yield pending.shift()!;
      if (ended) return;
      await new Promise<void>((resolve) => (wake = resolve));
    }
  }
  const notify = () => {
    const resolve = wake;
    wake = undefined;
    resolve?.();
  };
  const batches = records ? readRecordRows(input() as AsyncIterable<PlanRecord>, name) : readCsvRows(input() as AsyncIterable<Buffer | string>, name, options.delimiter);
  const rows = applyRows(plan, { name, rereadable: false, open: () => batches }, { mode: 'one-pass', onProgress: options.onProgress });
  const format = csvFormatter(options.delimiter ?? ',');
  let headerWritten = false;
  let drained: Promise<void> | undefined;
  const transform = new Transform({
    readableObjectMode: records,
    writableObjectMode: records,
    transform(chunk, _encoding, callback) {
      pending.push(chunk);
      notify();
      callback();
    },
    flush(callback) {
      ended = true;
      notify();
      drained!.then(() => callback(), callback);
    },
  });
  drained = (async () => {
    for (;;) {
      const next = await rows.next();
      if (next.done === true) return;
      const batch = next.value;
      if (records) {
        for (const row of batch.rows) transform.push(Object.fromEntries(batch.header.map((column, c) => [column, row[c]])));
      } else {
        let chunk = headerWritten ? '' : format(batch.header as string[]);
        headerWritten = true;
        for (const row of batch.rows) chunk += format(row);
        transform.push(chunk);
      }
    }
  })();
  drained.catch((error: unknown) => transform.destroy(error as Error));
  return transform;
}
