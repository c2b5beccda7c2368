// Reads an ARX hierarchy file into rows, detecting its delimiter among `;` `,` tab `|` as the one
// that gives every non-empty line the same quote-aware field count (at least 2).

import { parse } from 'csv-parse/sync';
import { inputError } from '../../errors.js';

/** In order of preference, used to break ties when several delimiters give a constant field count. */
const DELIMITERS = [';', ',', '\t', '|'] as const;
type Delimiter = (typeof DELIMITERS)[number];

export const HierarchyFileErrorCode = {
  /** No candidate delimiter splits every line into the same number of fields. */
  noDelimiter: 'HIERARCHY_FILE_DELIMITER',
  /** The file holds no non-empty line. */
  empty: 'HIERARCHY_FILE_EMPTY',
} as const;

interface ParsedRecord {
  record: string[];
  info: { lines: number };
}

type Attempt =
  | { delimiter: Delimiter; rows: string[][] }
  | { delimiter: Delimiter; failedLine: number; problem: string };

/**
 * Parses `text` (BOM and CRLF tolerated, blank lines ignored) into rows of equal length.
 * A comma is a common character inside labels such as `[20, 25)`, so a delimiter is chosen by a
 * constant field count rather than by counting characters; `;` wins ties, being ARX's own.
 */
export function readHierarchyRows(text: string, fileName: string): string[][] {
  // Candidates are tried in order of preference, so the first that fits wins any tie.
  const failures: Array<Extract<Attempt, { failedLine: number }>> = [];
  for (const delimiter of DELIMITERS) {
    const attempt = attemptDelimiter(text, delimiter);
    if ('failedLine' in attempt) {
      failures.push(attempt);
      continue;
    }
    if (attempt.rows.length === 0) {
      throw inputError(HierarchyFileErrorCode.empty, `${fileName}: the hierarchy file has no rows`, { location: { file: fileName } });
    }
    return attempt.rows;
  }
  // Report the delimiter that went furthest before failing: it is most likely the intended one.
  const closest = failures.reduce((best, attempt) => (attempt.failedLine > best.failedLine ? attempt : best));
  const shown = closest.delimiter === '\t' ? 'tab' : `"${closest.delimiter}"`;
  throw inputError(
    HierarchyFileErrorCode.noDelimiter,
    `${fileName}:${closest.failedLine}: no delimiter among ";", ",", tab and "|" gives every line the same number of fields ` +
      `(at least 2); with ${shown}, line ${closest.failedLine} ${closest.problem}`,
    { location: { file: fileName, line: closest.failedLine } },
  );
}

function attemptDelimiter(text: string, delimiter: Delimiter): Attempt {
  let records: ParsedRecord[];
  try {
    records = parse(text, { delimiter, bom: true, relax_column_count: true, skip_empty_lines: true, info: true }) as unknown as ParsedRecord[];
  } catch (error) {
    // csv-parse messages can quote file content, so only its code and line are kept.
    const { code, lines } = error as { code?: string; lines?: number };
    return { delimiter, failedLine: lines ?? 1, problem: `cannot be parsed (${code ?? 'unknown CSV error'})` };
  }
  const rows: string[][] = [];
  let expectedFields = 0;
  // csv-parse counts `\r` and `\n` as separate lines inside quoted fields, so each quoted CRLF
  // adds a line too many; subtracting them makes the numbers in messages match an editor's.
  let extraLineCount = 0;
  for (const { record, info } of records) {
    const inner = record.join(' ');
    extraLineCount += countMatches(inner, /\r\n/g);
    if (record.every((field) => field.trim() === '')) continue;
    const line = info.lines - extraLineCount - countMatches(inner, /\r\n|\r|\n/g);
    if (record.length < 2) return { delimiter, failedLine: line, problem: 'has a single field' };
    if (expectedFields === 0) expectedFields = record.length;
    if (record.length !== expectedFields) {
      return { delimiter, failedLine: line, problem: `has ${record.length} fields where the first row has ${expectedFields}` };
    }
    rows.push(record);
  }
  return { delimiter, rows };
}

function countMatches(text: string, pattern: RegExp): number {
  return text.match(pattern)?.length ?? 0;
}
