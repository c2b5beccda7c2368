// Formats a large table's CSV on a worker thread while the caller goes on (verifying it), and hands the bytes over
// when asked; formats in place wherever the worker declines. Writing stays with the caller.

import { existsSync } from 'node:fs';
import type { EncodedTable } from '../table/encoded-table.js';
import { csvChunks, formatField } from './csv-writer.js';
import { startWorkerTask } from './worker-task.js';

export interface CsvFormatRequest {
  readonly table: EncodedTable;
  readonly delimiter: string;
}

/** Tables of fewer cells are formatted in place when asked: a worker's start-up would cost about as much. */
const FORMAT_ASIDE_FROM_CELLS = 1 << 20;

/**
 * Formatted aside, the whole output waits in memory until it is written: tables that could take more bytes than this
 * (each column's longest cell times the rows) are formatted in place as they are written, a chunk at a time.
 */
const FORMAT_ASIDE_MAX_BYTES = 256 * 1024 * 1024;

export interface PendingCsv {
  /** The CSV bytes in order: the worker's, or formatted here if it declined. Stops the worker. */
  chunks(): Promise<Iterable<Uint8Array>>;
  /** Drops the work (the output will not be written): stops the worker. */
  cancel(): void;
}

/**
 * Starts formatting `table` as CSV beside this thread. The table is copied to the worker, so the caller may keep
 * reading it, but must not change it. `fromCells` overrides the size from which a worker is used (tests).
 */
export function formatCsvAside(table: EncodedTable, delimiter: string, fromCells = FORMAT_ASIDE_FROM_CELLS): PendingCsv {
  const inPlace: PendingCsv = { chunks: async () => csvChunks(table, delimiter), cancel: () => {} };
  if (table.rowCount * table.columns.length < fromCells || csvBytesAtMost(table, delimiter) > FORMAT_ASIDE_MAX_BYTES) return inPlace;
  const workerFile = new URL('./csv-format-worker.js', import.meta.url);
  if (!existsSync(workerFile)) return inPlace; // TypeScript sources (a test runner): no compiled worker
  const request: CsvFormatRequest = {
    table: { rowCount: table.rowCount, columns: table.columns.map(({ name, codes, dictionary }) => ({ name, codes, dictionary })) },
    delimiter,
  };
  const task = startWorkerTask<Uint8Array[]>(workerFile, request);
  return {
    async chunks() {
      const answer = await task.answer;
      task.stop();
      return answer === 'declined' ? csvChunks(table, delimiter) : answer;
    },
    cancel: () => task.stop(),
  };
}

/**
 * An upper bound on the table's CSV bytes: per column, its longest formatted value and a separator, every row. Exact
 * per value for dictionaries of up to 65,536 values; beyond, from the longest string (3 bytes per UTF-16 unit at most,
 * quotes doubled only on single-byte characters, 2 enclosing quotes), so that a column of a million distinct values
 * costs a pass over lengths rather than a formatted copy of each.
 */
export function csvBytesAtMost(table: EncodedTable, delimiter: string): number {
  let perRow = 0;
  for (const { dictionary } of table.columns) {
    let longest = 0;
    if (dictionary.length <= 65536) {
      for (const value of dictionary) longest = Math.max(longest, Buffer.byteLength(formatField(value, delimiter)));
    } else {
      for (const value of dictionary) longest = Math.max(longest, 3 * value.length + 2);
    }
    perRow += longest + 1;
  }
  return perRow * table.rowCount;
}
