// Streaming CSV input: bytes → strict UTF-8 → csv-parse → dictionary-encoded columns.
// Owns every CSV-level input error (empty, header, ragged rows, quotes, encoding, limits) with file and line.

import { createReadStream } from 'node:fs';
import { open, stat } from 'node:fs/promises';
import type { Readable } from 'node:stream';
import type { CsvError } from 'csv-parse';
import { CloakError, inputError, usageError } from '../errors.js';
import { ColumnEncoder, type EncodedTable } from '../table/encoded-table.js';
import { detectDelimiter } from './delimiter.js';
import { readPlainCsvFile } from './fast-csv-reader.js';
import { PARALLEL_MIN_BYTES, readPlainCsvFileInParts } from './parallel-csv-reader.js';

export interface CsvReadOptions {
  /** Detected from the first 64 KiB when absent. */
  readonly delimiter?: string;
  /** Largest field in bytes (default 1 MiB). */
  readonly maxFieldBytes?: number;
  /** Most columns (default 10,000). */
  readonly maxColumns?: number;
  /**
   * Plain files of at least this many bytes are read in two parts, the second on a worker thread (default 16 MiB;
   * `Infinity` never). The result is the same either way; tests lower it to read small files in parts.
   */
  readonly parallelMinBytes?: number;
}

export interface CsvTable {
  readonly table: EncodedTable;
  readonly delimiter: string;
  /** 1-based file line of each record's last line, for error messages that point at rows. */
  readonly lineOfRow: Int32Array;
}

const DETECTION_SAMPLE_CHARS = 64 * 1024;
export const DEFAULT_MAX_FIELD_BYTES = 1024 * 1024;
export const DEFAULT_MAX_COLUMNS = 10_000;

/** Reads a CSV file (or stdin for `-`) into an encoded table. */
export async function readCsvFile(path: string, options: CsvReadOptions = {}): Promise<CsvTable> {
  const displayName = path === '-' ? '<stdin>' : path;
  if (path !== '-') {
    let info;
    try {
      info = await stat(path);
    } catch (cause) {
      throw inputError('INPUT_NOT_FOUND', `cannot read input file ${displayName}: it does not exist or is not readable`, {
        location: { file: displayName },
        cause,
      });
    }
    if (!info.isFile()) throw inputError('INPUT_NOT_A_FILE', `input ${displayName} is not a regular file`, { location: { file: displayName } });
  }
  if (path === '-') return readCsvStream(process.stdin, displayName, options);
  const head = await readHead(path);
  if (!head.text.includes('"') && head.text.trim() !== '') {
    const plainOptions = {
      delimiter: options.delimiter ?? detectDelimiter(head.text.charCodeAt(0) === 0xfeff ? head.text.slice(1) : head.text, head.truncated),
      maxFieldBytes: options.maxFieldBytes ?? DEFAULT_MAX_FIELD_BYTES,
      maxColumns: options.maxColumns ?? DEFAULT_MAX_COLUMNS,
      checkHeader,
    };
    // The parts only ever give the sequential reader's table; anything else it leaves to the sequential reader.
    const inParts = await readPlainCsvFileInParts(path, plainOptions, options.parallelMinBytes ?? PARALLEL_MIN_BYTES);
    if (inParts !== 'declined') return inParts;
    const plain = await readPlainCsvFile(path, plainOptions);
    if (plain !== 'fallback') return plain;
  }
  return readCsvStream(createReadStream(path), displayName, options);
}

/** The first 64 KiB as text (lenient decoding: only for choosing a path and a delimiter). */
async function readHead(path: string): Promise<{ text: string; truncated: boolean }> {
  const handle = await open(path, 'r');
  try {
    const buffer = Buffer.alloc(DETECTION_SAMPLE_CHARS);
    const { bytesRead } = await handle.read(buffer, 0, buffer.length, 0);
    return { text: buffer.toString('utf8', 0, bytesRead), truncated: bytesRead === buffer.length };
  } finally {
    await handle.close();
  }
}

/** Decodes a byte stream as strict UTF-8, failing on invalid sequences and NUL bytes instead of guessing. */
async function* decodeUtf8(source: AsyncIterable<Buffer | string>, file: string): AsyncGenerator<string> {
  const decoder = new TextDecoder('utf-8', { fatal: true, ignoreBOM: false });
  let offset = 0;
  for await (const chunk of source) {
    const bytes = typeof chunk === 'string' ? Buffer.from(chunk) : chunk;
    const nul = bytes.indexOf(0);
    if (nul >= 0) {
      throw inputError('CSV_NUL_BYTE', `${file}: NUL byte at byte offset ${offset + nul}; the input looks binary, not CSV text`, {
        location: { file },
      });
    }
    let text: string;
    try {
      text = decoder.decode(bytes, { stream: true });
    } catch (cause) {
      throw inputError('CSV_INVALID_UTF8', `${file}: invalid UTF-8 near byte offset ${offset}; re-encode the file as UTF-8`, {
        location: { file },
        cause,
      });
    }
    offset += bytes.length;
    if (text.length > 0) yield text;
  }
  try {
    const rest = decoder.decode();
    if (rest.length > 0) yield rest;
  } catch (cause) {
    throw inputError('CSV_INVALID_UTF8', `${file}: the file ends inside a UTF-8 sequence`, { location: { file }, cause });
  }
}

/** Buffers the start of a text stream for delimiter detection, then replays it followed by the rest. */
async function peekText(source: AsyncGenerator<string>, minChars: number): Promise<{ head: string; rest: AsyncGenerator<string>; ended: boolean }> {
  let head = '';
  let ended = false;
  while (head.length < minChars) {
    const next = await source.next();
    if (next.done) {
      ended = true;
      break;
    }
    head += next.value;
  }
  return { head, rest: source, ended };
}

function translateCsvError(error: CsvError, file: string): CloakError {
  const line = (error as unknown as { lines?: number }).lines;
  const location = { file, line };
  switch (error.code) {
    case 'CSV_QUOTE_NOT_CLOSED':
      return inputError('CSV_UNCLOSED_QUOTE', `${file}:${line}: a quoted field is never closed`, { location, cause: error });
    case 'CSV_MAX_RECORD_SIZE':
      return inputError('CSV_FIELD_TOO_LARGE', `${file}:${line}: a record exceeds the field size limit (--max-field-bytes)`, {
        location,
        cause: error,
      });
    case 'CSV_INVALID_CLOSING_QUOTE':
    case 'CSV_NON_TRIMABLE_CHAR_AFTER_CLOSING_QUOTE':
      return inputError('CSV_BAD_QUOTE', `${file}:${line}: unexpected character after a closing quote`, { location, cause: error });
    default:
      return inputError('CSV_PARSE_ERROR', `${file}:${line}: malformed CSV (${error.code})`, { location, cause: error });
  }
}

/** Header rules shared by both readers: a column limit, no empty and no duplicate names. */
export function checkHeader(header: string[], file: string, maxColumns: number): void {
  if (header.length > maxColumns) {
    throw inputError('CSV_TOO_MANY_COLUMNS', `${file}:1: the header has ${header.length} columns, more than the limit of ${maxColumns} (--max-columns)`, {
      location: { file, line: 1 },
    });
  }
  const seen = new Set<string>();
  header.forEach((name, index) => {
    if (name.trim() === '') {
      throw inputError('CSV_EMPTY_COLUMN_NAME', `${file}:1: column ${index + 1} of the header has an empty name`, { location: { file, line: 1 } });
    }
    if (seen.has(name)) {
      throw inputError('CSV_DUPLICATE_COLUMN', `${file}:1: column name "${name}" appears more than once in the header`, {
        location: { file, line: 1, column: name },
      });
    }
    seen.add(name);
  });
}

/** Reads CSV text from a stream into an encoded table; `file` names the source in errors. */
export async function readCsvStream(stream: Readable | AsyncIterable<Buffer | string>, file: string, options: CsvReadOptions = {}): Promise<CsvTable> {
  const maxFieldBytes = options.maxFieldBytes ?? DEFAULT_MAX_FIELD_BYTES;
  const maxColumns = options.maxColumns ?? DEFAULT_MAX_COLUMNS;
  if (options.delimiter !== undefined && (options.delimiter.length !== 1 || options.delimiter === '"' || /[\r\n]/.test(options.delimiter))) {
    throw usageError('BAD_DELIMITER', 'the delimiter must be a single character other than a quote or a line break');
  }
  const text = decodeUtf8(stream as AsyncIterable<Buffer | string>, file);
  const { head, rest, ended } = await peekText(text, DETECTION_SAMPLE_CHARS);
  const withoutBom = head.charCodeAt(0) === 0xfeff ? head.slice(1) : head;
  if (withoutBom.trim() === '') {
    // Drain so a huge whitespace file is still refused rather than silently accepted.
    for await (const more of rest) {
      if (more.trim() !== '') throw inputError('CSV_MISSING_HEADER', `${file}: the first line is blank; a header row is required`, { location: { file, line: 1 } });
    }
    throw inputError('CSV_EMPTY', `${file}: the input is empty; a header row and at least one record are required`, { location: { file } });
  }
  const delimiter = options.delimiter ?? detectDelimiter(withoutBom, !ended);
  // Imported on this path only (stdin, quoted fields): plain files take the fast reader, and start-up skips csv-parse.
  const { parse, CsvError } = await import('csv-parse');

  let header: string[] | undefined;
  let encoders: ColumnEncoder[] = [];
  let lines = new Int32Array(1024);
  let rowCount = 0;

  // Records are encoded in the parser's own callback: it knows each record's exact line, and no
  // record object travels through the stream machinery.
  const encodeRecord = (record: string[], context: { lines: number }): null => {
    if (header === undefined) {
      // Column names are fields too: the same limit as in the fast reader, which applies it to every line.
      if (record.some((name) => name.length > maxFieldBytes / 4 && Buffer.byteLength(name) > maxFieldBytes)) {
        throw inputError('CSV_FIELD_TOO_LARGE', `${file}:${context.lines}: a field exceeds ${maxFieldBytes} bytes (--max-field-bytes)`, { location: { file, line: context.lines } });
      }
      checkHeader(record, file, maxColumns);
      header = record;
      encoders = header.map((name) => new ColumnEncoder(name));
      return null;
    }
    const line = context.lines;
    if (record.length !== header.length) {
      throw inputError('CSV_RAGGED_ROW', `${file}:${line}: the record has ${record.length} fields, the header has ${header.length}`, {
        location: { file, line },
      });
    }
    for (let c = 0; c < record.length; c++) {
      const field = record[c];
      if (field.length > maxFieldBytes / 4 && Buffer.byteLength(field) > maxFieldBytes) {
        throw inputError('CSV_FIELD_TOO_LARGE', `${file}:${line}: a field of column "${header[c]}" exceeds ${maxFieldBytes} bytes (--max-field-bytes)`, {
          location: { file, line, column: header[c] },
        });
      }
      encoders[c].push(field);
    }
    if (rowCount === lines.length) {
      const grown = new Int32Array(lines.length * 2);
      grown.set(lines);
      lines = grown;
    }
    lines[rowCount++] = line;
    return null;
  };

  const parser = parse({
    delimiter,
    bom: true,
    relax_column_count: true,
    skip_empty_lines: true,
    // Bounds memory on a runaway field before it is complete; the exact per-field check is above.
    max_record_size: maxFieldBytes * Math.min(maxColumns, 64),
    on_record: encodeRecord,
  });

  try {
    await new Promise<void>((resolve, reject) => {
      parser.on('error', reject);
      parser.on('end', resolve);
      parser.resume();
      (async () => {
        if (!parser.write(withoutBom)) await new Promise((ok) => parser.once('drain', ok));
        for await (const chunk of rest) {
          if (!parser.write(chunk)) await new Promise((ok) => parser.once('drain', ok));
        }
        parser.end();
      })().catch(reject);
    });
  } catch (error) {
    parser.destroy();
    if (error instanceof CloakError) throw error;
    if (error instanceof CsvError) throw translateCsvError(error, file);
    throw error;
  }

  if (header === undefined) throw inputError('CSV_EMPTY', `${file}: the input is empty; a header row is required`, { location: { file } });
  if (rowCount === 0) throw inputError('CSV_NO_RECORDS', `${file}: the file has a header but no records`, { location: { file, line: 2 } });
  return {
    table: { columns: encoders.map((encoder) => encoder.finish()), rowCount },
    delimiter,
    lineOfRow: lines.slice(0, rowCount),
  };
}
