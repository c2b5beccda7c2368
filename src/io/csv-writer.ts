// CSV output of an encoded table: the input's delimiter, header and column order; RFC 4180 quoting.
// Each distinct value is formatted and encoded once per dictionary; records are copied from those bytes.

import type { EncodedColumn, EncodedTable } from '../table/encoded-table.js';
import { writeChunk } from './atomic-file.js';

const CHUNK_BYTES = 1 << 20;
/** Cells up to this many bytes are copied by a loop, which beats `set`'s call overhead on a few bytes. */
const SHORT_CELL_BYTES = 32;

/**
 * The field as it appears in the file: quoted only when it holds the (one-character) delimiter, a quote or a line
 * break, with quotes doubled. Written out rather than by csv-stringify, which costs ~0.1 ms per call (a stringifier
 * per value) and leaves a lone `\r` unquoted, so that a reader would split the record there.
 */
export function formatField(value: string, delimiter: string): string {
  const quoted = value.includes(delimiter) || value.includes('"') || value.includes('\n') || value.includes('\r');
  return quoted ? `"${value.replaceAll('"', '""')}"` : value;
}

/** Writes the table as CSV to a stream; every record ends with `\n`. */
export async function writeCsv(table: EncodedTable, delimiter: string, stream: NodeJS.WritableStream): Promise<void> {
  for (const chunk of csvChunks(table, delimiter)) await writeChunk(stream, chunk);
}

/**
 * The table as CSV bytes: the header, then records in chunks of about 1 MiB, each chunk in memory of its own (so it
 * can be handed to a stream that holds on to it, or transferred from a worker thread).
 */
export function* csvChunks(table: EncodedTable, delimiter: string): Generator<Uint8Array> {
  yield new TextEncoder().encode(table.columns.map((column) => formatField(column.name, delimiter)).join(delimiter) + '\n');
  // Each distinct value is encoded once, with what follows it in a record (the delimiter, or `\n` after the last
  // column); records are then copied byte by byte into fixed-size chunks: no per-field string, rope or re-encoding.
  // Neighbouring columns with few values between them are one cell per combination of values: fewer, longer copies.
  const { cells, codes } = combinedCells(table, delimiter);
  const filling = { chunk: Buffer.allocUnsafe(CHUNK_BYTES), used: 0, row: 0, cell: 0 };
  while (filling.row < table.rowCount) {
    fillChunk(filling, cells, codes, table.rowCount);
    if (filling.used > 0) yield filling.chunk.subarray(0, filling.used); // (empty when the next cell alone exceeds a chunk)
    const pending = filling.row < table.rowCount ? cells[filling.cell][codes[filling.cell][filling.row]].length : 0;
    filling.chunk = Buffer.allocUnsafe(Math.max(CHUNK_BYTES, pending));
    filling.used = 0;
  }
}

/**
 * Cells reach this many combinations at most, of columns whose fields are short cells (SHORT_CELL_BYTES) only: a
 * generalized release has few short labels per column, and a few thousand short cells stay in cache, however long
 * other columns' values are. (1M-row Adult output: 9 columns became 3, formatting −45 %.)
 */
const MAX_COMBINED_CELLS = 4096;

/** Whether a column may join a combined run: few values, each a short cell once formatted. */
function combinable(column: EncodedColumn, delimiter: string): boolean {
  return column.dictionary.length <= MAX_COMBINED_CELLS && column.dictionary.every((value) => Buffer.byteLength(formatField(value, delimiter)) < SHORT_CELL_BYTES);
}

/**
 * Runs of neighbouring combinable columns whose value combinations stay within MAX_COMBINED_CELLS (any other
 * column alone), each with the encoded cell of every combination (values, delimiters, and what ends the run) and
 * each record's combination.
 */
function combinedCells(table: EncodedTable, delimiter: string): { cells: Buffer[][]; codes: Int32Array[] } {
  const { columns, rowCount } = table;
  const cells: Buffer[][] = [];
  const codes: Int32Array[] = [];
  for (let first = 0; first < columns.length; ) {
    let last = first + 1;
    let combinations = Math.max(1, columns[first].dictionary.length);
    const extensible = combinable(columns[first], delimiter);
    while (
      extensible &&
      last < columns.length &&
      combinations * Math.max(1, columns[last].dictionary.length) <= MAX_COMBINED_CELLS &&
      combinable(columns[last], delimiter)
    ) {
      combinations *= Math.max(1, columns[last].dictionary.length);
      last++;
    }
    const run = columns.slice(first, last);
    const end = last === columns.length ? '\n' : delimiter;
    let texts = [''];
    run.forEach((column, i) => {
      const fields = column.dictionary.map((value) => formatField(value, delimiter) + (i === run.length - 1 ? end : delimiter));
      texts = texts.flatMap((text) => fields.map((field) => text + field));
    });
    cells.push(texts.map((text) => Buffer.from(text, 'utf8')));
    if (run.length === 1) {
      codes.push(run[0].codes);
    } else {
      const combined = new Int32Array(rowCount);
      for (const column of run) {
        const size = column.dictionary.length;
        const columnCodes = column.codes;
        for (let r = 0; r < rowCount; r++) combined[r] = combined[r] * size + columnCodes[r];
      }
      codes.push(combined);
    }
    first = last;
  }
  return { cells, codes };
}

interface ChunkFilling {
  chunk: Buffer;
  used: number;
  /** The next cell to copy: row and column. */
  row: number;
  cell: number;
}

/** Copies cells into the chunk from where the filling stands until the next one does not fit or the rows run out. */
function fillChunk(filling: ChunkFilling, cells: readonly Buffer[][], codes: readonly Int32Array[], rowCount: number): void {
  const { chunk } = filling;
  const width = cells.length;
  let { used, row, cell: c } = filling;
  for (; row < rowCount; row++, c = 0) {
    for (; c < width; c++) {
      const cell = cells[c][codes[c][row]];
      if (used + cell.length > chunk.length) {
        Object.assign(filling, { used, row, cell: c });
        return;
      }
      if (cell.length > SHORT_CELL_BYTES) {
        chunk.set(cell, used);
        used += cell.length;
      } else {
        for (let i = 0; i < cell.length; i++) chunk[used++] = cell[i];
      }
    }
  }
  Object.assign(filling, { used, row, cell: 0 });
}
