// Arrow IPC at the edges: the file (`.arrow`) and stream (`.arrows`) formats in and out, and format detection.
// Whole tables for `anonymize`; batch by batch (RecordBatchReader / RecordBatchStreamWriter) for applying plans.

import { createReadStream } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { extname } from 'node:path';
import type { RecordBatch, RecordBatchReader, Table } from 'apache-arrow';
import { inputError, usageError } from '../errors.js';
import { writeChunk } from './atomic-file.js';

// Arrow takes ~170 ms to load; imported on first use, so that CSV-only processes (and `tableFormatOf`) never pay it.
const arrow = () => import('apache-arrow');

/** Table formats of the CLI: CSV text, Arrow IPC file, Arrow IPC stream, Parquet (read and written through DuckDB). */
export type TableFormat = 'csv' | 'arrow' | 'arrows' | 'parquet';

export const TABLE_FORMATS: readonly TableFormat[] = ['csv', 'arrow', 'arrows', 'parquet'];

/** The explicit format if given, else from the extension (`.arrow`, `.arrows`, `.parquet`), else CSV (also for `-`). */
export function tableFormatOf(path: string, explicit?: TableFormat): TableFormat {
  if (explicit !== undefined) {
    if (!TABLE_FORMATS.includes(explicit)) throw usageError('FORMAT_UNKNOWN', `unknown table format "${explicit}"; expected csv, arrow, arrows or parquet`);
    return explicit;
  }
  const extension = extname(path).toLowerCase();
  return extension === '.arrow' ? 'arrow' : extension === '.arrows' ? 'arrows' : extension === '.parquet' || extension === '.pq' ? 'parquet' : 'csv';
}

/** Reads a whole Arrow IPC file or stream (`-` reads stdin); either format is recognized from its bytes. */
export async function readArrowTable(path: string): Promise<Table> {
  let bytes: Uint8Array;
  try {
    bytes = path === '-' ? await readAll(process.stdin) : await readFile(path);
  } catch (cause) {
    throw inputError('INPUT_UNREADABLE', `cannot read ${path}`, { location: { file: path }, cause });
  }
  const { tableFromIPC } = await arrow();
  try {
    return tableFromIPC(bytes);
  } catch (cause) {
    throw inputError('ARROW_INVALID', `${path === '-' ? '<stdin>' : path}: not an Arrow IPC file or stream`, { location: { file: path }, cause });
  }
}

/** Record batches of an Arrow IPC file or stream, read incrementally (`-` reads stdin). */
export async function* readArrowBatches(path: string): AsyncGenerator<RecordBatch> {
  const { RecordBatchReader } = await arrow();
  const source = path === '-' ? process.stdin : createReadStream(path);
  let reader: RecordBatchReader;
  try {
    reader = await RecordBatchReader.from(source);
  } catch (cause) {
    throw inputError('ARROW_INVALID', `${path === '-' ? '<stdin>' : path}: not an Arrow IPC file or stream`, { location: { file: path }, cause });
  }
  yield* reader as AsyncIterable<RecordBatch>;
}

/** Writes a whole table in the IPC file or stream format. */
export async function writeArrowTable(table: Table, format: 'arrow' | 'arrows', stream: NodeJS.WritableStream): Promise<void> {
  const { tableToIPC } = await arrow();
  await writeChunk(stream, tableToIPC(table, format === 'arrow' ? 'file' : 'stream'));
}

/** Writes record batches as they come, in the IPC file or stream format; every batch must share the first one's schema. */
export async function writeArrowBatches(batches: AsyncIterable<RecordBatch>, format: 'arrow' | 'arrows', stream: NodeJS.WritableStream): Promise<number> {
  const { RecordBatchFileWriter, RecordBatchStreamWriter } = await arrow();
  const writer = format === 'arrow' ? new RecordBatchFileWriter() : new RecordBatchStreamWriter();
  let rows = 0;
  const pump = (async () => {
    for await (const chunk of writer) await writeChunk(stream, chunk);
  })();
  try {
    for await (const batch of batches) {
      writer.write(batch);
      rows += batch.numRows;
    }
  } finally {
    writer.finish();
    await pump;
  }
  return rows;
}

async function readAll(stream: NodeJS.ReadableStream): Promise<Uint8Array> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(typeof chunk === 'string' ? Buffer.from(chunk) : chunk);
  return Buffer.concat(chunks);
}
