// Fast path for plain CSV files: scans bytes and dictionary-encodes each field by hashing its byte slice, creating a
// string only for a new distinct value. Declines (returns `'fallback'`) at the first quote or lone CR: csv-parse owns those.

import { open } from 'node:fs/promises';
import { inputError } from '../errors.js';
import { ByteDictionary, decodeStrictUtf8, fnv1a, FNV_OFFSET, FNV_PRIME, growInt32 as grow } from './byte-dictionary.js';
import type { EncodedColumn } from '../table/encoded-table.js';
import type { CsvTable } from './csv-reader.js';

const QUOTE = 0x22;
const LF = 0x0a;
const CR = 0x0d;
const NUL = 0x00;
const CHUNK_BYTES = 4 * 1024 * 1024;

export interface FastCsvOptions {
  readonly delimiter: string;
  readonly maxFieldBytes: number;
  readonly maxColumns: number;
  /** Validates the header (names, count) exactly as the general reader does. */
  readonly checkHeader: (header: string[], file: string, maxColumns: number) => void;
}

/** Byte classes for the scanner: anything non-zero ends the tight per-field loop. */
const ORDINARY = 0;
const DELIMITER = 1;
const LINE_FEED = 2;
const SPECIAL = 3; // quote, CR, NUL: rare, handled outside the hot loop

/**
 * Reads a plain (quote-free, LF or CRLF) CSV file into encoded columns, with the same errors as the general
 * reader. Returns `'fallback'` when the file needs a real CSV parser.
 */
export async function readPlainCsvFile(path: string, options: FastCsvOptions): Promise<CsvTable | 'fallback'> {
  const delimiter = options.delimiter.charCodeAt(0);
  if (options.delimiter.length !== 1 || delimiter >= 0x80) return 'fallback';
  const byteClass = new Uint8Array(256);
  byteClass[delimiter] = DELIMITER;
  byteClass[LF] = LINE_FEED;
  byteClass[QUOTE] = byteClass[CR] = byteClass[NUL] = SPECIAL;
  const { maxFieldBytes } = options;
  const handle = await open(path, 'r');
  try {
    let buffer = new Uint8Array(CHUNK_BYTES);
    let filled = 0;
    let consumedBytes = 0;
    let line = 1;
    let header: string[] | undefined;
    let width = 0;
    let dictionaries: ByteDictionary[] = [];
    let codes: Int32Array[] = [];
    let lines = new Int32Array(1024);
    let rows = 0;
    let eof = false;
    let crlf: boolean | undefined;
    let firstRead = true;

    for (;;) {
      if (!eof && filled < buffer.length) {
        const { bytesRead } = await handle.read(buffer, filled, buffer.length - filled, null);
        if (bytesRead === 0) eof = true;
        filled += bytesRead;
      }
      let position = 0;
      if (firstRead) {
        firstRead = false;
        if (filled >= 3 && buffer[0] === 0xef && buffer[1] === 0xbb && buffer[2] === 0xbf) position = 3;
      }
      let recordStart = position;

      // One record per iteration; an incomplete record at the end of the buffer waits for the next read.
      records: while (recordStart < filled) {
        let cursor = recordStart;
        let column = 0;
        const headerFields: string[] | undefined = header === undefined ? [] : undefined;
        if (header !== undefined && rows === codes[0].length) {
          codes = codes.map((columnCodes) => grow(columnCodes, rows * 2));
          lines = grow(lines, rows * 2);
        }
        for (;;) {
          const fieldStart = cursor;
          const limit = Math.min(filled, fieldStart + maxFieldBytes + 1);
          let hash = FNV_OFFSET;
          let kind = ORDINARY;
          while (cursor < limit) {
            const byte = buffer[cursor];
            kind = byteClass[byte];
            if (kind !== ORDINARY) {
              if (kind !== SPECIAL) break;
              if (byte === CR && crlf !== false && (cursor + 1 === filled || buffer[cursor + 1] === LF)) {
                kind = ORDINARY; // the CR of a CRLF, trimmed below
              } else if (byte === NUL) {
                throw inputError('CSV_NUL_BYTE', `${path}: NUL byte at byte offset ${consumedBytes + cursor}; the input looks binary, not CSV text`, { location: { file: path } });
              } else {
                return 'fallback';
              }
            }
            hash = Math.imul(hash ^ byte, FNV_PRIME);
            cursor++;
          }
          if (cursor - fieldStart > maxFieldBytes) {
            const name = header?.[column];
            throw inputError('CSV_FIELD_TOO_LARGE', `${path}:${line}: a field${name === undefined ? '' : ` of column "${name}"`} exceeds ${maxFieldBytes} bytes (--max-field-bytes)`, {
              location: { file: path, line, column: name },
            });
          }
          const atEnd = cursor === filled;
          if (atEnd && !eof) break records; // incomplete record
          if (atEnd && cursor === recordStart && column === 0) break records; // nothing left
          const endsLine = atEnd || kind === LINE_FEED;
          let end = cursor;
          if (endsLine) {
            // The first line fixes the record delimiter (LF or CRLF), as csv-parse does; a mix is its business.
            const endsWithCr = end > fieldStart && buffer[end - 1] === CR;
            if (atEnd) {
              if (endsWithCr) return 'fallback';
            } else if (crlf === undefined) crlf = endsWithCr;
            else if (crlf !== endsWithCr) return 'fallback';
            if (endsWithCr) {
              end--;
              hash = fnv1a(buffer, fieldStart, end);
            }
            if (column === 0 && end === fieldStart) {
              // A blank line: skipped, like the general reader does.
              recordStart = cursor + 1;
              line++;
              continue records;
            }
          }
          if (headerFields !== undefined) {
            const field = decodeStrictUtf8(buffer, fieldStart, end);
            if (field === undefined) throw invalidUtf8(path, line);
            headerFields.push(field);
            if (headerFields.length > options.maxColumns) options.checkHeader(headerFields, path, options.maxColumns);
          } else {
            if (column >= width) throw ragged(path, line, width, endsLine ? column + 1 : fieldsOnLine(buffer, cursor, filled, delimiter, column));
            const code = dictionaries[column].codeOf(buffer, fieldStart, end, hash);
            if (code === undefined) throw invalidUtf8(path, line);
            codes[column][rows] = code;
          }
          column++;
          cursor++;
          if (endsLine) break;
        }
        if (headerFields !== undefined) {
          options.checkHeader(headerFields, path, options.maxColumns);
          header = headerFields;
          width = header.length;
          dictionaries = header.map(() => new ByteDictionary(decodeStrictUtf8));
          codes = header.map(() => new Int32Array(1024));
        } else {
          if (column !== width) throw ragged(path, line, width, column);
          lines[rows++] = line;
        }
        line++;
        recordStart = cursor;
      }

      if (eof) break;
      // Keep the incomplete tail for the next read; grow the buffer when one record fills it.
      consumedBytes += recordStart;
      if (recordStart === 0 && filled === buffer.length) {
        const bigger = new Uint8Array(buffer.length * 2);
        bigger.set(buffer.subarray(0, filled));
        buffer = bigger;
      } else {
        buffer.copyWithin(0, recordStart, filled);
        filled -= recordStart;
      }
    }

    if (header === undefined) throw inputError('CSV_EMPTY', `${path}: the input is empty; a header row and at least one record are required`, { location: { file: path } });
    if (rows === 0) throw inputError('CSV_NO_RECORDS', `${path}: the file has a header but no records`, { location: { file: path, line: 2 } });
    const columns: EncodedColumn[] = header.map((name, c) => ({ name, codes: codes[c].slice(0, rows), dictionary: dictionaries[c].values }));
    return { table: { columns, rowCount: rows }, delimiter: options.delimiter, lineOfRow: lines.slice(0, rows) };
  } finally {
    await handle.close();
  }
}

/** Fields of the current line, for the ragged-row message: `before` ended ones, this one, and what follows the delimiter at `cursor`. */
function fieldsOnLine(bytes: Uint8Array, cursor: number, filled: number, delimiter: number, before: number): number {
  let fields = before + 2;
  for (let i = cursor + 1; i < filled && bytes[i] !== LF; i++) if (bytes[i] === delimiter) fields++;
  return fields;
}

function ragged(file: string, line: number, width: number, fields: number) {
  return inputError('CSV_RAGGED_ROW', `${file}:${line}: the record has ${fields} fields, the header has ${width}`, { location: { file, line } });
}

function invalidUtf8(file: string, line: number) {
  return inputError('CSV_INVALID_UTF8', `${file}:${line}: invalid UTF-8; re-encode the file as UTF-8`, { location: { file, line } });
}
