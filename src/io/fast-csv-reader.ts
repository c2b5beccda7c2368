// Fast path for plain CSV files: scans bytes and dictionary-encodes each field by hashing its byte slice, creating a
// string only for a new distinct value. Declines (returns `'fallback'`) at the first quote or lone CR: csv-parse owns those.

import { open } from 'node:fs/promises';
import { inputError } from '../errors.js';
import { ByteDictionary, decodeStrictUtf8, fnv1a, FNV_OFFSET, FNV_PRIME, growInt32 as grow } from './byte-dictionary.js';
import type { EncodedColumn } from '../table/encoded-table.js';
import type { CsvTable } from './csv-reader.js';
import { isCrOfCrlf, lastFieldEnd } from './line-ends.js';

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
  /** Bytes per read (default 4 MiB); tests make it tiny to put records across reads. */
  readonly chunkBytes?: number;
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
  const handle = await open(path, 'r');
  try {
    const scan = new PlainCsvScan(path, options, delimiter, options.chunkBytes ?? CHUNK_BYTES);
    let firstRead = true;
    for (;;) {
      const { buffer, filled } = scan;
      if (!scan.eof && filled < buffer.length) {
        const { bytesRead } = await handle.read(buffer, filled, buffer.length - filled, null);
        if (bytesRead === 0) scan.eof = true;
        scan.filled += bytesRead;
      }
      let position = 0;
      if (firstRead) {
        firstRead = false;
        if (scan.filled >= 3 && buffer[0] === 0xef && buffer[1] === 0xbb && buffer[2] === 0xbf) position = 3;
      }
      const recordStart = scan.scanRecords(position);
      if (recordStart === 'fallback') return 'fallback';
      if (scan.eof) break;
      scan.keepTail(recordStart);
    }
    return scan.result();
  } finally {
    await handle.close();
  }
}

/**
 * The scanner's state across reads. The record loop lives in a synchronous method over fields of fixed shape: inside
 * the async reader it was compiled several times per file and ran at half the speed (1M-row Adult: 1.0–1.7 s a read).
 */
class PlainCsvScan {
  buffer: Uint8Array;
  filled = 0;
  eof = false;
  private consumedBytes = 0;
  private line = 1;
  private header: string[] | undefined = undefined;
  private width = 0;
  private dictionaries: ByteDictionary[] = [];
  private codes: Int32Array[] = [];
  private lines = new Int32Array(1024);
  private rows = 0;
  /** Whether records end in CRLF (see line-ends.ts). */
  crlf: boolean | undefined = undefined;
  private readonly byteClass = new Uint8Array(256);

  constructor(
    private readonly path: string,
    private readonly options: FastCsvOptions,
    private readonly delimiter: number,
    chunkBytes: number,
  ) {
    this.buffer = new Uint8Array(chunkBytes);
    this.byteClass[delimiter] = DELIMITER;
    this.byteClass[LF] = LINE_FEED;
    this.byteClass[QUOTE] = this.byteClass[CR] = this.byteClass[NUL] = SPECIAL;
  }

  /**
   * Scans the complete records of buffer[position, filled), one per iteration; returns where the first incomplete
   * one starts (it waits for the next read), or `'fallback'`.
   */
  scanRecords(position: number): number | 'fallback' {
    const { buffer, filled, eof, byteClass, path } = this;
    const { maxFieldBytes } = this.options;
    // The per-record state in locals, written back once at the end (an error or a fallback ends the read anyway).
    let { rows, line, codes, lines, dictionaries } = this;
    let recordStart = position;
    records: while (recordStart < filled) {
      let cursor = recordStart;
      let column = 0;
      const headerFields: string[] | undefined = this.header === undefined ? [] : undefined;
      if (headerFields === undefined && rows === codes[0].length) {
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
            if (isCrOfCrlf(buffer, cursor, filled, this)) {
              kind = ORDINARY; // the CR of a CRLF, trimmed below
            } else if (byte === NUL) {
              throw inputError('CSV_NUL_BYTE', `${path}: NUL byte at byte offset ${this.consumedBytes + cursor}; the input looks binary, not CSV text`, { location: { file: path } });
            } else {
              return 'fallback';
            }
          }
          hash = Math.imul(hash ^ byte, FNV_PRIME);
          cursor++;
        }
        if (cursor - fieldStart > maxFieldBytes) {
          const name = this.header?.[column];
          throw inputError('CSV_FIELD_TOO_LARGE', `${path}:${line}: a field${name === undefined ? '' : ` of column "${name}"`} exceeds ${maxFieldBytes} bytes (--max-field-bytes)`, {
            location: { file: path, line: line, column: name },
          });
        }
        const atEnd = cursor === filled;
        if (atEnd && !eof) break records; // incomplete record
        if (atEnd && cursor === recordStart && column === 0) break records; // nothing left
        const endsLine = atEnd || kind === LINE_FEED;
        let end = cursor;
        if (endsLine) {
          const lineEnd = lastFieldEnd(buffer, fieldStart, cursor, atEnd, this);
          if (lineEnd === 'fallback') return 'fallback';
          if (lineEnd < end) {
            end = lineEnd;
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
          if (headerFields.length > this.options.maxColumns) this.options.checkHeader(headerFields, path, this.options.maxColumns);
        } else {
          if (column >= this.width) {
            // The message counts the line's fields: wait for the rest of the line if this read cut it.
            if (!endsLine && !eof && buffer.subarray(cursor, filled).indexOf(LF) < 0) break records;
            throw ragged(path, line, this.width, endsLine ? column + 1 : fieldsOnLine(buffer, cursor, filled, this.delimiter, column));
          }
          const code = dictionaries[column].codeOf(buffer, fieldStart, end, hash);
          if (code === undefined) throw invalidUtf8(path, line);
          codes[column][rows] = code;
        }
        column++;
        cursor++;
        if (endsLine) break;
      }
      if (headerFields !== undefined) {
        this.options.checkHeader(headerFields, path, this.options.maxColumns);
        this.header = headerFields;
        this.width = headerFields.length;
        dictionaries = headerFields.map(() => new ByteDictionary(decodeStrictUtf8));
        codes = headerFields.map(() => new Int32Array(1024));
      } else {
        if (column !== this.width) throw ragged(path, line, this.width, column);
        lines[rows++] = line;
      }
      line++;
      recordStart = cursor;
    }
    this.rows = rows;
    this.line = line;
    this.codes = codes;
    this.lines = lines;
    this.dictionaries = dictionaries;
    return recordStart;
  }

  /** Keeps the incomplete tail from `recordStart` for the next read; grows the buffer when one record fills it. */
  keepTail(recordStart: number): void {
    this.consumedBytes += recordStart;
    if (recordStart === 0 && this.filled === this.buffer.length) {
      const bigger = new Uint8Array(this.buffer.length * 2);
      bigger.set(this.buffer.subarray(0, this.filled));
      this.buffer = bigger;
    } else {
      this.buffer.copyWithin(0, recordStart, this.filled);
      this.filled -= recordStart;
    }
  }

  result(): CsvTable {
    const { header, rows, path } = this;
    if (header === undefined) throw inputError('CSV_EMPTY', `${path}: the input is empty; a header row and at least one record are required`, { location: { file: path } });
    if (rows === 0) throw inputError('CSV_NO_RECORDS', `${path}: the file has a header but no records`, { location: { file: path, line: 2 } });
    const columns: EncodedColumn[] = header.map((name, c) => ({ name, codes: this.codes[c].slice(0, rows), dictionary: this.dictionaries[c].values }));
    return { table: { columns, rowCount: rows }, delimiter: this.options.delimiter, lineOfRow: this.lines.slice(0, rows) };
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
