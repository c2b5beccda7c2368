// Fast path for plain CSV files, whole or by byte range: dictionary-encodes each field by hashing its byte slice, making
// a string only for a new distinct value. Declines (`'fallback'`) at the first quote or lone CR: csv-parse owns those.

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
  const scan = await scanPlainCsvRange(path, options, 0, Infinity, false);
  return scan === 'fallback' ? 'fallback' : plainCsvTable(path, options.delimiter, scan);
}

/** What a scan of part of a file found (see `scanPlainCsvRange`). */
export interface PlainCsvRange {
  /** The header; undefined for a headerless scan (or a range without any line). */
  readonly header: string[] | undefined;
  /** Fields per record: the header's, or for a headerless scan the first record's (0 before either). */
  readonly width: number;
  readonly rows: number;
  /** Per column, one distinct-value dictionary and the codes of the records (arrays at least `rows` long). */
  readonly dictionaries: readonly ByteDictionary[];
  readonly codes: readonly Int32Array[];
  /** Each record's line, counted from 1 at the range's first line (at least `rows` long). */
  readonly lines: Int32Array;
  /** The line the next record would start on: one more than the range's lines. */
  readonly nextLine: number;
  /** Whether the range's lines end in CRLF; undefined when it ended no line. */
  readonly crlf: boolean | undefined;
}

/**
 * Scans bytes [start, end) of a plain CSV file (end may be past the end of the file) exactly as `readPlainCsvFile`
 * scans the whole file, with the same errors and `'fallback'`s: the parallel reader's two parts. `headerless`: the
 * range holds records only (it starts after the header), and the first record fixes their field count; a record with
 * another count is then a ragged-row error. The BOM is skipped only at offset 0.
 */
export async function scanPlainCsvRange(path: string, options: FastCsvOptions, start: number, end: number, headerless: boolean): Promise<PlainCsvRange | 'fallback'> {
  const delimiter = options.delimiter.charCodeAt(0);
  if (options.delimiter.length !== 1 || delimiter >= 0x80) return 'fallback';
  const handle = await open(path, 'r');
  try {
    const scan = new PlainCsvScan(path, options, delimiter, options.chunkBytes ?? CHUNK_BYTES, headerless);
    /** The file offset of buffer[filled]. */
    let offset = start;
    let firstRead = true;
    for (;;) {
      const { buffer, filled } = scan;
      if (!scan.eof && filled < buffer.length) {
        const length = Math.min(buffer.length - filled, end - offset);
        const { bytesRead } = length > 0 ? await handle.read(buffer, filled, length, offset) : { bytesRead: 0 };
        if (bytesRead === 0) scan.eof = true;
        scan.filled += bytesRead;
        offset += bytesRead;
      }
      let position = 0;
      if (firstRead) {
        firstRead = false;
        if (start === 0 && scan.filled >= 3 && buffer[0] === 0xef && buffer[1] === 0xbb && buffer[2] === 0xbf) position = 3;
      }
      const recordStart = scan.scanRecords(position);
      if (recordStart === 'fallback') return 'fallback';
      if (scan.eof) break;
      scan.keepTail(recordStart);
    }
    return scan.range();
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
    /** The records start at once: the first one is a record that fixes the field count, not a header. */
    private readonly headerless: boolean,
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
    /** For a headerless scan, the first record's field bounds: start, end, start, end, … */
    const firstRecordBounds: number[] = [];
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
          if (this.headerless) firstRecordBounds.push(fieldStart, end);
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
        if (!this.headerless) this.options.checkHeader(headerFields, path, this.options.maxColumns);
        // A headerless scan's first record names no column (and its values must not reach a message).
        this.header = this.headerless ? [] : headerFields;
        this.width = headerFields.length;
        dictionaries = headerFields.map(() => new ByteDictionary(decodeStrictUtf8));
        codes = headerFields.map(() => new Int32Array(1024));
        if (this.headerless) {
          // The first record was scanned as a header to learn the field count; its codes come from its bytes, still in the buffer.
          for (let c = 0; c < headerFields.length; c++) {
            const fieldStart = firstRecordBounds[2 * c];
            const fieldEnd = firstRecordBounds[2 * c + 1];
            codes[c][0] = dictionaries[c].codeOf(buffer, fieldStart, fieldEnd, fnv1a(buffer, fieldStart, fieldEnd))!; // decoded above
          }
          firstRecordBounds.length = 0;
          lines[rows++] = line;
        }
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

  range(): PlainCsvRange {
    const { header, width, rows, dictionaries, codes, lines, line, crlf, headerless } = this;
    return { header: headerless ? undefined : header, width, rows, dictionaries, codes, lines, nextLine: line, crlf };
  }
}

/** The table of a whole file's scan, or the error of a file without a header or without records. */
function plainCsvTable(path: string, delimiter: string, scan: PlainCsvRange): CsvTable {
  const { header, rows } = scan;
  if (header === undefined) throw inputError('CSV_EMPTY', `${path}: the input is empty; a header row and at least one record are required`, { location: { file: path } });
  if (rows === 0) throw inputError('CSV_NO_RECORDS', `${path}: the file has a header but no records`, { location: { file: path, line: 2 } });
  const columns: EncodedColumn[] = header.map((name, c) => ({ name, codes: scan.codes[c].slice(0, rows), dictionary: scan.dictionaries[c].values }));
  return { table: { columns, rowCount: rows }, delimiter, lineOfRow: scan.lines.slice(0, rows) };
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
