// Byte-level scan of a plain CSV file reporting per record the dictionary codes of the columns asked for (no string
// per field), or on request every field decoded. Declines (`'fallback'`) whenever csv-parse could read it differently.

import { open, type FileHandle } from 'node:fs/promises';
import { ByteDictionary, decodeLenientUtf8, fnv1a, FNV_OFFSET, FNV_PRIME } from './byte-dictionary.js';
import { isCrOfCrlf, lastFieldEnd, type LineEnding } from './line-ends.js';

const QUOTE = 0x22;
const LF = 0x0a;
const CR = 0x0d;
const CHUNK_BYTES = 4 * 1024 * 1024;
/**
 * Reads when every field is decoded: the consumer takes the records of each read as one batch, and a batch small
 * enough to die young keeps the garbage collector cheap (4 MiB batches cost a third of the time in promotions).
 */
const FIELDS_CHUNK_BYTES = 256 * 1024;

/** Byte classes: anything non-zero ends the tight per-field loops. */
const ORDINARY = 0;
const DELIMITER = 1;
const LINE_FEED = 2;
const SPECIAL = 3; // quote or CR: rare, handled outside the hot loop

/** What a scan reports to its consumer. */
export interface PlainCsvVisitor {
  /** The header's fields; returns the columns whose codes each record reports (distinct, else the scan declines), or undefined to decline. */
  header(names: string[]): readonly number[] | undefined;
  /**
   * One record, whose last line is `line` (csv-parse's count): `codes[i]` is the code of selected column i in
   * `values[i]`, the distinct values seen so far (they only grow); `fields` holds every field when the scan decodes
   * them (a new array per record), else nothing. Returns false to stop; the scan then declines.
   */
  record(codes: Int32Array, values: readonly (readonly string[])[], fields: string[], line: number): boolean;
}

export interface PlainCsvScanOptions {
  /** Decode every field of every record into `fields`, as csv-parse would (default: only the selected columns' codes). */
  readonly fields?: boolean;
  /** Bytes per read (default 4 MiB, or 256 KiB with `fields`); tests make it tiny to put records across reads. */
  readonly chunkBytes?: number;
}

/** `scanPlainCsvChunks` run to its end. */
export async function scanPlainCsv(path: string, delimiter: string, visitor: PlainCsvVisitor, options: PlainCsvScanOptions = {}): Promise<'done' | 'fallback'> {
  const chunks = scanPlainCsvChunks(path, delimiter, visitor, options);
  for (;;) {
    const next = await chunks.next();
    if (next.done === true) return next.value;
  }
}

/**
 * Scans `path` as csv-parse reads it with `{ delimiter, bom: true, relax_column_count: true, skip_empty_lines: true }`
 * — values decoded as it decodes them (invalid UTF-8 replaced), blank lines skipped, the first line break fixing LF
 * or CRLF — yielding after the records of each read (so that a consumer can hand them on), and returns `'done'`, or
 * `'fallback'` at the first quote, lone CR, change of line break, UTF-16 BOM, or record whose field count differs
 * from the header's: records the consumer must then read with csv-parse.
 */
export async function* scanPlainCsvChunks(path: string, delimiter: string, visitor: PlainCsvVisitor, options: PlainCsvScanOptions = {}): AsyncGenerator<void, 'done' | 'fallback'> {
  const decodeFields = options.fields === true;
  const delimiterByte = delimiter.charCodeAt(0);
  if (delimiter.length !== 1 || delimiterByte >= 0x80 || delimiterByte === QUOTE || delimiterByte === CR || delimiterByte === LF) return 'fallback';
  const byteClass = new Uint8Array(256);
  byteClass[delimiterByte] = DELIMITER;
  byteClass[LF] = LINE_FEED;
  byteClass[QUOTE] = byteClass[CR] = SPECIAL;
  let handle: FileHandle;
  try {
    handle = await open(path, 'r');
  } catch {
    // The general path reports an unreadable file as it always has (and so any read error below).
    return 'fallback';
  }
  try {
    // A Buffer, for its native UTF-8 slicing of whole fields.
    let buffer = Buffer.allocUnsafe(options.chunkBytes ?? (decodeFields ? FIELDS_CHUNK_BYTES : CHUNK_BYTES));
    let filled = 0;
    let eof = false;
    let firstRead = true;
    let header: string[] | undefined;
    let width = 0;
    /** slotOf[column]: the column's index among the selected ones, or -1. */
    let slotOf = new Int32Array(0);
    let dictionaries: ByteDictionary[] = [];
    let values: string[][] = [];
    let codes = new Int32Array(0);
    const ending: LineEnding = { crlf: undefined };
    /** The line the next record starts on; csv-parse counts blank lines too. */
    let line = 1;
    const noFields: string[] = [];

    for (;;) {
      if (!eof && filled < buffer.length) {
        let bytesRead: number;
        try {
          ({ bytesRead } = await handle.read(buffer, filled, buffer.length - filled, null));
        } catch {
          return 'fallback'; // e.g. a directory: reported by the general path
        }
        if (bytesRead === 0) eof = true;
        filled += bytesRead;
      }
      if (firstRead && filled < 3 && !eof) {
        // The BOM is decided on the first three bytes: a short first read (a pipe, a tiny read size) waits for more.
        if (filled === buffer.length) {
          const bigger = Buffer.allocUnsafe(Math.max(4, buffer.length * 2));
          buffer.copy(bigger, 0, 0, filled);
          buffer = bigger;
        }
        continue;
      }
      let position = 0;
      if (firstRead) {
        firstRead = false;
        // csv-parse skips a UTF-8 BOM, and re-decodes everything as UTF-16 after a UTF-16LE one.
        if (filled >= 3 && buffer[0] === 0xef && buffer[1] === 0xbb && buffer[2] === 0xbf) position = 3;
        else if (filled >= 3 && buffer[0] === 0xff && buffer[1] === 0xfe) return 'fallback';
      }
      let recordStart = position;

      // One record per iteration; an incomplete record at the end of the buffer waits for the next read.
      records: while (recordStart < filled) {
        let cursor = recordStart;
        let column = 0;
        const headerFields: string[] | undefined = header === undefined ? [] : undefined;
        const fields = decodeFields && headerFields === undefined ? [] : noFields;
        for (;;) {
          const fieldStart = cursor;
          if (headerFields === undefined && column >= width) return 'fallback'; // more fields than the header
          const slot = headerFields === undefined ? slotOf[column] : -1;
          let hash = FNV_OFFSET;
          let kind = ORDINARY;
          // Two copies of the loop: only the selected columns pay for hashing their bytes.
          if (slot >= 0) {
            while (cursor < filled) {
              const byte = buffer[cursor];
              kind = byteClass[byte];
              if (kind !== ORDINARY) {
                if (kind !== SPECIAL) break;
                if (!isCrOfCrlf(buffer, cursor, filled, ending)) return 'fallback';
                kind = ORDINARY;
              }
              hash = Math.imul(hash ^ byte, FNV_PRIME);
              cursor++;
            }
          } else {
            while (cursor < filled) {
              kind = byteClass[buffer[cursor]];
              if (kind !== ORDINARY) {
                if (kind !== SPECIAL) break;
                if (!isCrOfCrlf(buffer, cursor, filled, ending)) return 'fallback';
                kind = ORDINARY;
              }
              cursor++;
            }
          }
          const atEnd = cursor === filled;
          if (atEnd && !eof) break records; // incomplete record
          const endsLine = atEnd || kind === LINE_FEED;
          let end = cursor;
          if (endsLine) {
            const lineEnd = lastFieldEnd(buffer, fieldStart, cursor, atEnd, ending);
            if (lineEnd === 'fallback') return 'fallback';
            if (lineEnd < end) {
              end = lineEnd;
              if (slot >= 0) hash = fnv1a(buffer, fieldStart, end);
            }
            if (column === 0 && end === fieldStart) {
              // A blank line: skipped (skip_empty_lines).
              recordStart = cursor + 1;
              line++;
              continue records;
            }
          }
          if (headerFields !== undefined) headerFields.push(decodeLenientUtf8(buffer, fieldStart, end));
          else {
            if (slot >= 0) codes[slot] = dictionaries[slot].codeOf(buffer, fieldStart, end, hash)!; // lenient decoding refuses nothing
            if (decodeFields) fields.push(buffer.toString('utf8', fieldStart, end));
          }
          column++;
          cursor++;
          if (endsLine) break;
        }
        if (headerFields !== undefined) {
          header = headerFields;
          width = header.length;
          const selected = visitor.header(header);
          if (selected === undefined) return 'fallback';
          slotOf = new Int32Array(width).fill(-1);
          for (let i = 0; i < selected.length; i++) {
            // A column selected twice (a hand-made plan giving one column two roles) is left to the general path.
            if (!(selected[i] >= 0 && selected[i] < width) || slotOf[selected[i]] !== -1) return 'fallback';
            slotOf[selected[i]] = i;
          }
          dictionaries = selected.map(() => new ByteDictionary(decodeLenientUtf8));
          values = dictionaries.map((dictionary) => dictionary.values);
          codes = new Int32Array(selected.length);
        } else {
          if (column !== width) return 'fallback'; // fewer fields than the header
          if (!visitor.record(codes, values, fields, line)) return 'fallback';
        }
        line++;
        recordStart = cursor;
      }

      if (eof) return 'done';
      yield;
      // Keep the incomplete tail for the next read; grow the buffer when one record fills it.
      if (recordStart === 0 && filled === buffer.length) {
        const bigger = Buffer.allocUnsafe(buffer.length * 2);
        buffer.copy(bigger, 0, 0, filled);
        buffer = bigger;
      } else {
        buffer.copyWithin(0, recordStart, filled);
        filled -= recordStart;
      }
    }
  } finally {
    await handle.close();
  }
}
