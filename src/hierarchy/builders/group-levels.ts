// Group mappings read from JSON (an array of `{ label: [values] }`) or from a CSV in ARX layout,
// with a shape check shared with the spec parser.

import { inputError } from '../../errors.js';
import type { GroupLevel } from './group.js';
import { readHierarchyRows } from './read-rows.js';

export const GroupLevelsErrorCode = {
  /** The mapping file is not valid JSON or does not have the expected shape. */
  invalid: 'HIERARCHY_GROUPS_INVALID',
} as const;

/** Appends to `problems` what is wrong with the shape of `raw` as a list of group levels at JSON path `path`. */
export function collectGroupLevelProblems(raw: unknown, path: string, problems: string[]): void {
  if (!Array.isArray(raw)) {
    problems.push(`${path} must be an array of objects mapping group labels to arrays of values`);
    return;
  }
  raw.forEach((level: unknown, position) => {
    if (typeof level !== 'object' || level === null || Array.isArray(level)) {
      problems.push(`${path}[${position}] must be an object mapping group labels to arrays of values`);
      return;
    }
    for (const [label, members] of Object.entries(level)) {
      if (!Array.isArray(members) || !members.every((member) => typeof member === 'string')) {
        problems.push(`${path}[${position}]["${label}"] must be an array of strings`);
      }
    }
  });
}

/** Reads group levels from JSON text: `[{ "label": ["value", …], … }, …]`, most specific level first. */
export function groupLevelsFromJson(text: string, fileName: string): GroupLevel[] {
  let raw: unknown;
  try {
    raw = JSON.parse(text.replace(/^\uFEFF/, ''));
  } catch (error) {
    // JSON.parse messages quote the offending text, which may be data.
    throw inputError(GroupLevelsErrorCode.invalid, `${fileName}: the group mapping is not valid JSON`, { location: { file: fileName }, cause: error });
  }
  const problems: string[] = [];
  collectGroupLevelProblems(raw, '$', problems);
  if (problems.length > 0) {
    throw inputError(GroupLevelsErrorCode.invalid, `${fileName}: ${problems.join('; ')}`, { location: { file: fileName }, problems });
  }
  return raw as GroupLevel[];
}

/**
 * Reads group levels from a CSV laid out like an ARX hierarchy (`value;level 1;…`, any of the
 * delimiters `readHierarchyRows` detects). A last column made only of `*` is dropped, since the
 * builder appends it; each value must appear on one row only.
 */
export function groupLevelsFromCsv(text: string, fileName: string): GroupLevel[] {
  const rows = readHierarchyRows(text, fileName);
  const labelColumns = rows[0].length - 1;
  const lastIsStar = rows.every((row) => row[labelColumns] === '*');
  // Without a prototype, a label such as `__proto__` is an ordinary key.
  const levels: GroupLevel[] = Array.from({ length: lastIsStar ? labelColumns - 1 : labelColumns }, () => Object.create(null) as GroupLevel);
  const rowOfValue = new Map<string, number>();
  rows.forEach(([value, ...labels], position) => {
    const earlier = rowOfValue.get(value);
    if (earlier !== undefined) {
      throw inputError(GroupLevelsErrorCode.invalid, `${fileName}: row ${position + 1} repeats the value of row ${earlier + 1}`, {
        location: { file: fileName },
      });
    }
    rowOfValue.set(value, position);
    levels.forEach((level, index) => (level[labels[index]] ??= []).push(value));
  });
  return levels;
}
