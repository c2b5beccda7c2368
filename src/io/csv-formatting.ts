// Formats a large table's CSV on a worker thread while the caller goes on (verifying it), and hands the bytes over
// when asked; formats in place wherever the worker declines. Writing stays with the caller.

import type { EncodedTable } from '../table/encoded-table.js';
import { csvChunks } from './csv-writer.js';
import { startWorkerTask } from './worker-task.js';

export interface CsvFormatRequest {
  readonly table: EncodedTable;
  readonly delimiter: string;
}

/** Tables of fewer cells are formatted in place when asked: a worker's start-up would cost about as much. */
export const FORMAT_ASIDE_FROM_CELLS = 1 << 20;

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
  if (table.rowCount * table.columns.length < fromCells) {
    return { chunks: async () => csvChunks(table, delimiter), cancel: () => {} };
  }
  const request: CsvFormatRequest = {
    table: { rowCount: table.rowCount, columns: table.columns.map(({ name, codes, dictionary }) => ({ name, codes, dictionary })) },
    delimiter,
  };
  const task = startWorkerTask<Uint8Array[]>(new URL('./csv-format-worker.js', import.meta.url), request);
  return {
    async chunks() {
      const answer = await task.answer;
      task.stop();
      return answer === 'declined' ? csvChunks(table, delimiter) : answer;
    },
    cancel: () => task.stop(),
  };
}
