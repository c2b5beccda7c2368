// Large plain CSV files read in two parts at once: the main thread scans the first half (header included) while a
// worker thread scans the second as headerless records; the merge gives exactly the sequential fast reader's table.

import { existsSync } from 'node:fs';
import { open } from 'node:fs/promises';
import type { CsvTable } from './csv-reader.js';
import { scanPlainCsvRange, type FastCsvOptions, type PlainCsvRange } from './fast-csv-reader.js';
import type { EncodedColumn } from '../table/encoded-table.js';
import { startWorkerTask } from './worker-task.js';

const LF = 0x0a;

/**
 * Files smaller than this are read on one thread: starting a worker costs some 30–50 ms, which a scan of 16 MiB
 * (about 0.15 s on one thread) more than pays back, and smaller inputs are not worth a second thread.
 */
export const PARALLEL_MIN_BYTES = 16 * 1024 * 1024;

/** How far past the middle the split looks for a line feed; a file without one there is read sequentially. */
const SPLIT_SEARCH_BYTES = 1024 * 1024;

/** What the main thread asks the worker for: records from byte `start` of `path` to the end of the file. */
export interface PartRequest {
  readonly path: string;
  readonly start: number;
  readonly delimiter: string;
  readonly maxFieldBytes: number;
  readonly maxColumns: number;
  readonly chunkBytes?: number;
}

/** One column's distinct values as the worker's dictionary holds them: strings, and their bytes for the merge. */
export interface PartDictionary {
  readonly values: string[];
  /** Value i is bytes[starts[i], starts[i] + lengths[i]), with FNV-1a hash hashes[i]. */
  readonly bytes: Uint8Array;
  readonly starts: Int32Array;
  readonly lengths: Int32Array;
  readonly hashes: Int32Array;
}

/** The records of the second part, as plain data that crosses threads (the typed arrays are transferred). */
export interface PlainCsvPart {
  /** Fields per record: every record has as many as the first. */
  readonly width: number;
  readonly rows: number;
  /** Per column, codes into that column's part dictionary (at least `rows` long). */
  readonly codes: Int32Array[];
  readonly dictionaries: PartDictionary[];
  /** Each record's line, counted from 1 at the part's first line (at least `rows` long). */
  readonly lines: Int32Array;
  /** The part's line ends (see line-ends.ts); undefined when it ended no line (one last line without a line feed). */
  readonly crlf: boolean | undefined;
}

/**
 * Reads a plain CSV file of at least `minBytes` bytes in two parts, one on a worker thread. Returns `'declined'` —
 * the caller then reads the file sequentially — for a smaller file, when no worker can start (no compiled worker
 * next to this module: TypeScript sources under a test runner), and for anything other than a clean file: an error,
 * a quote or anything else the sequential reader declines, a ragged row, a failing worker. The sequential reader
 * then gives every error and fallback exactly as it always has; this path only ever returns its table.
 */
export async function readPlainCsvFileInParts(path: string, options: FastCsvOptions, minBytes = PARALLEL_MIN_BYTES): Promise<CsvTable | 'declined'> {
  const delimiter = options.delimiter.charCodeAt(0);
  if (options.delimiter.length !== 1 || delimiter >= 0x80 || delimiter === LF) return 'declined';
  const workerFile = new URL('./csv-part-worker.js', import.meta.url);
  if (!existsSync(workerFile)) return 'declined';
  let split: number | undefined;
  try {
    split = await findSplit(path, minBytes);
  } catch {
    return 'declined'; // unreadable: the sequential reader says so
  }
  if (split === undefined) return 'declined';
  // Started before the first half is scanned, so that its start-up overlaps the scan.
  const request: PartRequest = { path, start: split, delimiter: options.delimiter, maxFieldBytes: options.maxFieldBytes, maxColumns: options.maxColumns, chunkBytes: options.chunkBytes };
  const worker = startWorkerTask<PlainCsvPart | 'declined'>(workerFile, request);
  try {
    let head: PlainCsvRange | 'fallback';
    try {
      head = await scanPlainCsvRange(path, options, 0, split, false);
    } catch {
      return 'declined';
    }
    if (head === 'fallback') return 'declined';
    const part = await worker.answer;
    return part === 'declined' ? 'declined' : mergePlainCsvParts(head, part, options.delimiter);
  } finally {
    // Also after its answer, and when the first part gave up first: the worker never outlives the read.
    worker.stop();
  }
}

/**
 * Where the second part starts: just after the first line feed at or after the middle of the file, or undefined for
 * a file smaller than `minBytes`, or without a line feed within `SPLIT_SEARCH_BYTES` of the middle, or whose second
 * part would be empty.
 */
export async function findSplit(path: string, minBytes: number): Promise<number | undefined> {
  const handle = await open(path, 'r');
  try {
    const { size } = await handle.stat();
    if (size < minBytes || size < 2) return undefined;
    const middle = Math.floor(size / 2);
    const window = new Uint8Array(Math.min(SPLIT_SEARCH_BYTES, size - middle));
    let filled = 0;
    while (filled < window.length) {
      const { bytesRead } = await handle.read(window, filled, window.length - filled, middle + filled);
      if (bytesRead === 0) break;
      filled += bytesRead;
    }
    const lineFeed = window.subarray(0, filled).indexOf(LF);
    if (lineFeed < 0) return undefined;
    const split = middle + lineFeed + 1;
    return split < size ? split : undefined;
  } finally {
    await handle.close();
  }
}

/**
 * Scans bytes [start, end of file) as headerless records: what the worker does, callable in-process for tests.
 * `'declined'` for anything unusual — any error, any `'fallback'`, a record whose field count differs from the first
 * record's, no record at all — which the sequential reader must judge.
 */
export async function scanPlainCsvPart(request: PartRequest): Promise<PlainCsvPart | 'declined'> {
  const { maxColumns } = request;
  const options: FastCsvOptions = {
    delimiter: request.delimiter,
    maxFieldBytes: request.maxFieldBytes,
    maxColumns,
    // A headerless scan calls this only past the column limit, to bound its memory: any throw declines.
    checkHeader: (fields) => {
      if (fields.length > maxColumns) throw new RangeError('too many fields');
    },
    chunkBytes: request.chunkBytes,
  };
  let range: PlainCsvRange | 'fallback';
  try {
    range = await scanPlainCsvRange(request.path, options, request.start, Infinity, true);
  } catch {
    return 'declined';
  }
  if (range === 'fallback' || range.rows === 0) return 'declined';
  return {
    width: range.width,
    rows: range.rows,
    codes: [...range.codes],
    dictionaries: range.dictionaries.map((dictionary) => ({ values: dictionary.values, ...dictionary.entries() })),
    lines: range.lines,
    crlf: range.crlf,
  };
}

/** The buffers of a part, to transfer rather than copy it: each typed array has a buffer of its own. */
export function partTransferList(part: PlainCsvPart): ArrayBuffer[] {
  const buffers = [part.lines.buffer, ...part.codes.map((codes) => codes.buffer)];
  for (const dictionary of part.dictionaries) buffers.push(dictionary.bytes.buffer, dictionary.starts.buffer, dictionary.lengths.buffer, dictionary.hashes.buffer);
  return buffers as ArrayBuffer[];
}

/**
 * The table of the whole file from its first part (`head`, header included, scanned from offset 0 to the split) and
 * its second (`part`), or `'declined'` when they do not fit together: no record in the head, another field count,
 * another line end. The codes are the sequential reader's: each part numbers values by first appearance, so the
 * part's values new to the head's dictionary are appended in the part's order. The head's dictionaries grow.
 */
export function mergePlainCsvParts(head: PlainCsvRange, part: PlainCsvPart, delimiter: string): CsvTable | 'declined' {
  const { header } = head;
  if (header === undefined || head.rows === 0 || part.rows === 0) return 'declined';
  if (part.width !== head.width || part.codes.length !== head.width || part.dictionaries.length !== head.width) return 'declined';
  // The head always ends a line (its header's at least); a part that ended none has met no line end to disagree with.
  if (head.crlf === undefined || (part.crlf !== undefined && part.crlf !== head.crlf)) return 'declined';
  const rows = head.rows + part.rows;
  const columns: EncodedColumn[] = header.map((name, c) => {
    const dictionary = head.dictionaries[c];
    const { values, bytes, starts, lengths, hashes } = part.dictionaries[c];
    const codeInHead = new Int32Array(values.length);
    for (let v = 0; v < values.length; v++) codeInHead[v] = dictionary.codeOfDecoded(bytes, starts[v], starts[v] + lengths[v], hashes[v], values[v]);
    const codes = new Int32Array(rows);
    codes.set(head.codes[c].subarray(0, head.rows));
    remapInto(codes, head.rows, part.codes[c], part.rows, codeInHead);
    return { name, codes, dictionary: dictionary.values };
  });
  const lineOfRow = new Int32Array(rows);
  lineOfRow.set(head.lines.subarray(0, head.rows));
  // The part's line 1 is the file's line `head.nextLine`.
  shiftInto(lineOfRow, head.rows, part.lines, part.rows, head.nextLine - 1);
  return { table: { columns, rowCount: rows }, delimiter, lineOfRow };
}

/** target[at + r] = map[source[r]] for r < count. A function of its own: one compiled loop for every column. */
function remapInto(target: Int32Array, at: number, source: Int32Array, count: number, map: Int32Array): void {
  for (let r = 0; r < count; r++) target[at + r] = map[source[r]];
}

/** target[at + r] = source[r] + offset for r < count. */
function shiftInto(target: Int32Array, at: number, source: Int32Array, count: number, offset: number): void {
  for (let r = 0; r < count; r++) target[at + r] = source[r] + offset;
}
