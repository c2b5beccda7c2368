// Finds and reads hierarchy files in ARX's format (`value;level1;…;levelN`, no header) from a directory.
// Lookup order per attribute: `<attribute>.csv`, then `*_hierarchy_<attribute>.csv`.

import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { parse } from 'csv-parse/sync';
import { CsvError } from 'csv-parse';
import { inputError } from '../errors.js';
import { detectDelimiter } from '../io/delimiter.js';
import type { HierarchyRowsSource } from './compile.js';

/** ARX writes `;`; it is preferred when a label's commas make `,` look just as regular. */
const HIERARCHY_DELIMITERS = [';', ',', '\t', '|'] as const;

/** Path of the hierarchy file for `attribute` in `directory`, or undefined when there is none. */
export async function findHierarchyFile(directory: string, attribute: string): Promise<string | undefined> {
  let entries: string[];
  try {
    entries = await readdir(directory);
  } catch (cause) {
    throw inputError('HIERARCHY_DIR_UNREADABLE', `cannot read the hierarchies directory ${directory}`, { location: { file: directory }, cause });
  }
  if (entries.includes(`${attribute}.csv`)) return join(directory, `${attribute}.csv`);
  const suffix = `_hierarchy_${attribute}.csv`;
  const matches = entries.filter((entry) => entry.endsWith(suffix)).sort();
  return matches.length > 0 ? join(directory, matches[0]) : undefined;
}

/** Parses hierarchy text; `origin` names the file in errors. Empty lines are ignored. */
export function parseHierarchyText(text: string, origin: string): HierarchyRowsSource {
  const body = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  if (body.includes('\u0000')) throw inputError('HIERARCHY_BINARY', `${origin}: NUL byte found; the hierarchy file looks binary`, { location: { file: origin } });
  const delimiter = detectDelimiter(body, false, HIERARCHY_DELIMITERS);
  let records: { record: string[]; info: { lines: number } }[];
  try {
    records = parse(body, { delimiter, relax_column_count: true, skip_empty_lines: true, info: true }) as unknown as typeof records;
  } catch (cause) {
    const line = cause instanceof CsvError ? (cause as unknown as { lines?: number }).lines : undefined;
    throw inputError('HIERARCHY_MALFORMED', `${origin}${line !== undefined ? `:${line}` : ''}: malformed hierarchy file (${cause instanceof CsvError ? cause.code : 'parse error'})`, {
      location: { file: origin, line },
      cause,
    });
  }
  return { rows: records.map((entry) => entry.record), origin, lineOfRow: records.map((entry) => entry.info.lines) };
}

/** Reads one hierarchy file. */
export async function readHierarchyFile(path: string): Promise<HierarchyRowsSource> {
  let bytes: Buffer;
  try {
    bytes = await readFile(path);
  } catch (cause) {
    throw inputError('HIERARCHY_UNREADABLE', `cannot read hierarchy file ${path}`, { location: { file: path }, cause });
  }
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch (cause) {
    throw inputError('HIERARCHY_INVALID_UTF8', `${path}: invalid UTF-8; re-encode the hierarchy file as UTF-8`, { location: { file: path }, cause });
  }
  return parseHierarchyText(text, path);
}
