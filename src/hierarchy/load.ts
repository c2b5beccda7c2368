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
  | { delimiter: HierarchyDelimiter; rows: string[][]; lineOfRow: number[]; fieldCount: number }
  | { delimiter: HierarchyDelimiter; failedLine: number; problem: string };

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
 * delimiter is the first candidate giving every line the same quote-aware field count (at least 2),
 * not the most frequent character. When no candidate splits any line, the file has one column.
 */
export function parseHierarchyText(text: string, origin: string, options: ParseHierarchyOptions = {}): HierarchyFileRows {
  if (text.includes('\u0000')) {
    throw inputError(HierarchyFileErrorCode.binary, `${origin}: NUL byte found; the hierarchy file looks binary`, { location: { file: origin } });
  }
  const attempts = HIERARCHY_DELIMITERS.map((delimiter) => attemptDelimiter(text, delimiter));
  const fitting = attempts.filter((attempt) => 'rows' in attempt);
  if (fitting.some((attempt) => attempt.rows.length === 0)) {
    throw inputError(HierarchyFileErrorCode.empty, `${origin}: the hierarchy file has no rows`, { location: { file: origin } });
  }
  // Candidates are in order of preference, so the first that fits wins any tie.
  const split = fitting.find((attempt) => attempt.fieldCount >= 2);
  if (split !== undefined) return { rows: split.rows, origin, lineOfRow: split.lineOfRow };
  const failures = attempts.filter((attempt) => 'failedLine' in attempt);
  if (failures.length === 0) {
    // Every candidate sees one field per line: a one-column hierarchy.
    if ((options.minColumns ?? 1) <= 1) return { rows: fitting[0].rows, origin, lineOfRow: fitting[0].lineOfRow };
    throw inputError(
      HierarchyFileErrorCode.noDelimiter,
      `${origin}: no delimiter among ";", ",", tab and "|" splits the lines; this file needs at least 2 columns`,
      { location: { file: origin, line: fitting[0].lineOfRow[0] } },
    );
  }
  // The delimiter that went furthest before failing is most likely the intended one.
  const closest = failures.reduce((best, attempt) => (attempt.failedLine > best.failedLine ? attempt : best));
  const shown = closest.delimiter === '\t' ? 'tab' : `"${closest.delimiter}"`;
  throw inputError(
    HierarchyFileErrorCode.noDelimiter,
    `${origin}:${closest.failedLine}: no delimiter among ";", ",", tab and "|" gives every line the same number of fields; ` +
      `with ${shown}, line ${closest.failedLine} ${closest.problem}`,
    { location: { file: origin, line: closest.failedLine } },
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
  let fieldCount = 0;
  // csv-parse counts `\r` and `\n` as separate lines inside quoted fields, so each quoted CRLF
  // adds a line too many; subtracting them makes the numbers in messages match an editor's.
  let extraLineCount = 0;
  for (const { record, info } of records) {
    const inner = record.join(' ');
    extraLineCount += countMatches(inner, /\r\n/g);
    if (record.every((field) => field.trim() === '')) continue;
    const line = info.lines - extraLineCount - countMatches(inner, /\r\n|\r|\n/g);
    if (fieldCount === 0) fieldCount = record.length;
    if (record.length !== fieldCount) {
      return { delimiter, failedLine: line, problem: `has ${record.length} field(s) where the first row has ${fieldCount}` };
    }
    rows.push(record);
    lineOfRow.push(line);
  }
  return { delimiter, rows, lineOfRow, fieldCount };
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
