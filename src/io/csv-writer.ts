// CSV output of an encoded table: the input's delimiter, header and column order; RFC 4180 quoting by csv-stringify.
// Each distinct value is formatted once per dictionary, then rows are assembled from the formatted strings.

import { stringify } from 'csv-stringify/sync';
import type { EncodedTable } from '../table/encoded-table.js';
import { writeChunk } from './atomic-file.js';

const ROWS_PER_CHUNK = 8192;

/** The field as it appears in the file: quoted only when it holds the delimiter, a quote or a line break. */
function formatField(value: string, delimiter: string): string {
  const line = stringify([[value]], { delimiter, record_delimiter: '\n' });
  return line.slice(0, -1);
}

/** Writes the table as CSV to a stream; every record ends with `\n`. */
export async function writeCsv(table: EncodedTable, delimiter: string, stream: NodeJS.WritableStream): Promise<void> {
  const formatted = table.columns.map((column) => column.dictionary.map((value) => formatField(value, delimiter)));
  const header = table.columns.map((column) => formatField(column.name, delimiter)).join(delimiter) + '\n';
  await writeChunk(stream, header);
  const codes = table.columns.map((column) => column.codes);
  const width = codes.length;
  const parts: string[] = new Array(width);
  let chunk = '';
  for (let r = 0; r < table.rowCount; r++) {
    for (let c = 0; c < width; c++) parts[c] = formatted[c][codes[c][r]];
    chunk += parts.join(delimiter) + '\n';
    if ((r + 1) % ROWS_PER_CHUNK === 0) {
      await writeChunk(stream, chunk);
      chunk = '';
    }
  }
  if (chunk.length > 0) await writeChunk(stream, chunk);
}
