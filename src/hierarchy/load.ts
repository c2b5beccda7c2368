// Finds and reads hierarchy files in ARX's format (`value;level1;…;levelN`, no header): the one hierarchy-file parser.
// Lookup order per attribute: `<attribute>.csv`, then `*_hierarchy_<attribute>.csv`.

import { readdir, readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import type * as CsvParseSync from 'csv-parse/sync';
import { inputError } from '../errors.js';
import type { HierarchyRowsSource } from './compile.js';

/** In order of preference, used to break ties when several delimiters give a constant field count; ARX writes `;`. */
const HIERARCHY_DELIMITERS = [';', ',', '\t', '|'] as const;
type HierarchyDelimiter = (typeof HIERARCHY_DELIMITERS)[number];

export const HierarchyFileErrorCode = {
  /** No candidate delimiter splits every line into the same number of fields. */
  noDelimiter: 'HIERARCHY_FILE_DELIMITER',
  /** The file holds no non-empty line. */
  empty: 'HIERARCHY_FILE_EMPTY',
  /** The file holds a NUL byte. */
  binary: 'HIERARCHY_BINARY',
  unreadable: 'HIERARCHY_UNREADABLE',
  invalidUtf8: 'HIERARCHY_INVALID_UTF8',
  directoryUnreadable: 'HIERARCHY_DIR_UNREADABLE',
  /** Most lines split into one number of fields with `;`, but some rows have another (a short or long row). */
  ragged: 'HIERARCHY_RAGGED',
} as const;

/** Parsed hierarchy text: rows of equal length and the 1-based file line where each row starts. */
export interface HierarchyFileRows extends HierarchyRowsSource {
  readonly rows: string[][];
  readonly lineOfRow: number[];
}

export interface ParseHierarchyOptions {
  /**
   * Fewest fields per row. A one-column hierarchy (height 0: values that are never generalized) is a
   * legal hierarchy; readers of group mappings ask for 2 since a mapping needs a label column.
   */
  readonly minColumns?: 1 | 2;
}

export interface ParsedRecord {
  record: string[];
  info: { lines: number };
}

type Attempt =
  | { delimiter: HierarchyDelimiter; rows: string[][]; lineOfRow: number[]; modalCount: number; linesAtModalCount: number }
  | { delimiter: HierarchyDelimiter; failedLine: number; problem: string };
type Split = Extract<Attempt, { rows: string[][] }>;

/** The most lines shown when a file's rows do not all have the same number of fields. */
const MAX_LINES_SHOWN = 5;

/** Path of the hierarchy file for `attribute` in `directory`, or undefined when there is none. */
export async function findHierarchyFile(directory: string, attribute: string): Promise<string | undefined> {
  let entries: string[];
  try {
    entries = await readdir(directory);
  } catch (cause) {
    throw inputError(HierarchyFileErrorCode.directoryUnreadable, `cannot read the hierarchies directory ${directory}`, { location: { file: directory }, cause });
  }
  if (entries.includes(`${attribute}.csv`)) return join(directory, `${attribute}.csv`);
  const suffix = `_hierarchy_${attribute}.csv`;
  const matches = entries.filter((entry) => entry.endsWith(suffix)).sort();
  return matches.length > 0 ? join(directory, matches[0]) : undefined;
}

/**
 * Parses hierarchy text (BOM and CRLF tolerated, blank lines ignored) into rows of equal length;
 * `origin` names the file in errors. A comma is common inside labels such as `[20, 25)`, so the
 * delimiter is not the most frequent character but the candidate giving every line the same quote-aware
 * field count (at least 2). `;`, the format ARX and Cloak write, is preferred: it is chosen as soon as most
 * lines split into the same number of fields with it, so that a short row is reported as such (with its
 * line) instead of the file being read as `,`-separated because its labels hold commas. When no candidate
 * splits any line, the file has one column.
 */
export function parseHierarchyText(text: string, origin: string, options: ParseHierarchyOptions = {}): HierarchyFileRows {
  if (text.includes('\u0000')) {
    throw inputError(HierarchyFileErrorCode.binary, `${origin}: NUL byte found; the hierarchy file looks binary`, { location: { file: origin } });
  }
  const attempts = HIERARCHY_DELIMITERS.map((delimiter) => attemptDelimiter(text, delimiter));
  const splits = attempts.filter((attempt): attempt is Split => 'rows' in attempt);
  if (splits.some((attempt) => attempt.rows.length === 0)) {
    throw inputError(HierarchyFileErrorCode.empty, `${origin}: the hierarchy file has no rows`, { location: { file: origin } });
  }
  const consistent = (attempt: Split) => attempt.linesAtModalCount === attempt.rows.length;
  const semicolon = splits.find((attempt) => attempt.delimiter === ';');
  if (semicolon !== undefined && semicolon.modalCount >= 2 && 2 * semicolon.linesAtModalCount > semicolon.rows.length) {
    if (consistent(semicolon)) return { rows: semicolon.rows, origin, lineOfRow: semicolon.lineOfRow };
    throw raggedRows(semicolon, origin);
  }
  // Candidates are in order of preference, so the first that fits wins any tie.
  const split = splits.find((attempt) => attempt.modalCount >= 2 && consistent(attempt));
  if (split !== undefined) return { rows: split.rows, origin, lineOfRow: split.lineOfRow };
  if (splits.length === attempts.length && splits.every((attempt) => attempt.modalCount === 1 && consistent(attempt))) {
    // Every candidate sees one field per line: a one-column hierarchy.
    if ((options.minColumns ?? 1) <= 1) return { rows: splits[0].rows, origin, lineOfRow: splits[0].lineOfRow };
    throw inputError(
      HierarchyFileErrorCode.noDelimiter,
      `${origin}: no delimiter among ";", ",", tab and "|" splits the lines; this file needs at least 2 columns`,
      { location: { file: origin, line: splits[0].lineOfRow[0] } },
    );
  }
  // The delimiter under which most lines agree is most likely the intended one (the first in preference on a tie).
  const closest = splits
    .filter((attempt) => !consistent(attempt))
    .reduce<Split | undefined>((best, attempt) => (best === undefined || attempt.linesAtModalCount / attempt.rows.length > best.linesAtModalCount / best.rows.length ? attempt : best), undefined);
  if (closest !== undefined) throw raggedRows(closest, origin, HierarchyFileErrorCode.noDelimiter);
  const failure = attempts.find((attempt) => 'failedLine' in attempt)!;
  throw inputError(
    HierarchyFileErrorCode.noDelimiter,
    `${origin}:${failure.failedLine}: no delimiter among ";", ",", tab and "|" gives every line the same number of fields; ` +
      `with ${shownDelimiter(failure.delimiter)}, line ${failure.failedLine} ${failure.problem}`,
    { location: { file: origin, line: failure.failedLine } },
  );
}

function shownDelimiter(delimiter: HierarchyDelimiter): string {
  return delimiter === '\t' ? 'tab' : `"${delimiter}"`;
}

/**
 * The error for a file whose lines mostly agree on a field count under `split`'s delimiter: it names the first
 * lines that do not (the short or long rows), never their content.
 */
function raggedRows(split: Split, origin: string, code: string = HierarchyFileErrorCode.ragged) {
  const deviating = split.rows.flatMap((row, index) => (row.length === split.modalCount ? [] : [index]));
  const first = deviating[0];
  const line = split.lineOfRow[first];
  const others = deviating.length > 1 ? `; ${deviating.length} such rows, at lines ${deviating.slice(0, MAX_LINES_SHOWN).map((index) => split.lineOfRow[index]).join(', ')}${deviating.length > MAX_LINES_SHOWN ? ', …' : ''}` : '';
  const delimiter = shownDelimiter(split.delimiter);
  const problem =
    code === HierarchyFileErrorCode.noDelimiter
      ? `no delimiter among ";", ",", tab and "|" gives every line the same number of fields; with ${delimiter}, line ${line} has ${split.rows[first].length} field(s) where most rows have ${split.modalCount}${others}`
      : `line ${line} has ${split.rows[first].length} field(s) separated by ${delimiter} where most rows have ${split.modalCount}${others}; every row of a hierarchy needs the same number of levels`;
  return inputError(
    code,
    `${origin}:${line}: ${problem}`,
    { location: { file: origin, line } },
  );
}

/** csv-parse's options for hierarchy text; every line ending is accepted, even mixed in one file (edited on two systems). */
export function hierarchyCsvOptions(delimiter: string) {
  return { delimiter, bom: true, relax_column_count: true, skip_empty_lines: true, info: true, record_delimiter: ['\r\n', '\n', '\r'] };
}

/**
 * What csv-parse returns with `hierarchyCsvOptions` for text without a quote: with nothing quoted, every line is a
 * record and every delimiter separates fields. Four candidate delimiters × every hierarchy file made csv-parse's
 * character-by-character state machine a visible share of start-up (~30 ms on Adult).
 */
export function splitUnquoted(text: string, delimiter: string): ParsedRecord[] {
  const records: ParsedRecord[] = [];
  const lines = (text.charCodeAt(0) === 0xfeff ? text.slice(1) : text).split(/\r\n|\n|\r/);
  // A final line ending ends the last record rather than starting an empty one.
  const count = lines[lines.length - 1] === '' ? lines.length - 1 : lines.length;
  for (let index = 0; index < count; index++) {
    if (lines[index] !== '') records.push({ record: lines[index].split(delimiter), info: { lines: index + 1 } });
  }
  return records;
}

/**
 * csv-parse's synchronous parser, loaded on the first quoted hierarchy file: most hierarchy files hold no quote, and
 * parsing is synchronous here, so its CommonJS build is required rather than imported at start-up.
 */
function csvParseSync(): typeof CsvParseSync.parse {
  return (requireFromHere('csv-parse/sync') as typeof CsvParseSync).parse;
}

const requireFromHere = createRequire(import.meta.url);

function attemptDelimiter(text: string, delimiter: HierarchyDelimiter): Attempt {
  let records: ParsedRecord[];
  try {
    records = text.includes('"') ? (csvParseSync()(text, hierarchyCsvOptions(delimiter)) as unknown as ParsedRecord[]) : splitUnquoted(text, delimiter);
  } catch (error) {
    // csv-parse messages can quote file content, so only its code and line are kept.
    const { code, lines } = error as { code?: string; lines?: number };
    return { delimiter, failedLine: lines ?? 1, problem: `cannot be parsed (${code ?? 'unknown CSV error'})` };
  }
  const rows: string[][] = [];
  const lineOfRow: number[] = [];
  const rowsPerFieldCount = new Map<number, number>();
  // csv-parse counts `\r` and `\n` as separate lines inside quoted fields, so each quoted CRLF
  // adds a line too many; subtracting them makes the numbers in messages match an editor's.
  let extraLineCount = 0;
  for (const { record, info } of records) {
    const inner = record.join(' ');
    extraLineCount += countMatches(inner, /\r\n/g);
    if (record.every((field) => field.trim() === '')) continue;
    rows.push(record);
    lineOfRow.push(info.lines - extraLineCount - countMatches(inner, /\r\n|\r|\n/g));
    rowsPerFieldCount.set(record.length, (rowsPerFieldCount.get(record.length) ?? 0) + 1);
  }
  // The most common field count; ties go to the first row's, which is the count a reader expects the others to have.
  let modalCount = rows[0]?.length ?? 0;
  for (const [count, lines] of rowsPerFieldCount) if (lines > (rowsPerFieldCount.get(modalCount) ?? 0)) modalCount = count;
  return { delimiter, rows, lineOfRow, modalCount, linesAtModalCount: rowsPerFieldCount.get(modalCount) ?? 0 };
}

function countMatches(text: string, pattern: RegExp): number {
  return text.match(pattern)?.length ?? 0;
}

/** Reads one hierarchy file. */
export async function readHierarchyFile(path: string): Promise<HierarchyFileRows> {
  let bytes: Buffer;
  try {
    bytes = await readFile(path);
  } catch (cause) {
    throw inputError(HierarchyFileErrorCode.unreadable, `cannot read hierarchy file ${path}`, { location: { file: path }, cause });
  }
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch (cause) {
    throw inputError(HierarchyFileErrorCode.invalidUtf8, `${path}: invalid UTF-8; re-encode the hierarchy file as UTF-8`, { location: { file: path }, cause });
  }
  return parseHierarchyText(text, path);
}
