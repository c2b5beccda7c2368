// CSV output of an encoded table: the input's delimiter, header and column order; RFC 4180 quoting.
// Each distinct value is formatted once per dictionary, then records are concatenated from the formatted strings.

import type { EncodedTable } from '../table/encoded-table.js';
import { writeChunk } from './atomic-file.js';

const ROWS_PER_CHUNK = 8192;

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
  const header = table.columns.map((column) => formatField(column.name, delimiter)).join(delimiter) + '\n';
  await writeChunk(stream, header);
  // Each distinct value is formatted once with what follows it in a record (the delimiter, or `\n` after the last
  // column), so a record is a plain concatenation of one cached string per column: no per-row array or join.
  const width = table.columns.length;
  const cells = table.columns.map((column, c) => {
    const end = c === width - 1 ? '\n' : delimiter;
    return column.dictionary.map((value) => formatField(value, delimiter) + end);
  });
  const codes = table.columns.map((column) => column.codes);
  let chunk = '';
  for (let r = 0; r < table.rowCount; r++) {
    for (let c = 0; c < width; c++) chunk += cells[c][codes[c][r]];
    if ((r + 1) % ROWS_PER_CHUNK === 0) {
      await writeChunk(stream, chunk);
      chunk = '';
    }
  }
  if (chunk.length > 0) await writeChunk(stream, chunk);
}
