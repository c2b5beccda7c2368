// Validates ARX-style hierarchy rows against a data column and compiles them into per-level code maps.
// Every check happens here, before any search: coverage, equal row lengths, functional, nested.

import { inputError } from '../errors.js';
import type { EncodedColumn } from '../table/encoded-table.js';
import type { CompiledHierarchy } from './compiled-hierarchy.js';

export interface HierarchyRowsSource {
  readonly rows: readonly (readonly string[])[];
  /** File name (or a description such as `policy spec`) for error messages. */
  readonly origin: string;
  /** 1-based file line of each row, when rows come from a file. */
  readonly lineOfRow?: readonly number[];
}

export interface CompileHierarchyOptions {
  /** 1-based data-file line of each data row, to point at rows whose value is missing. */
  readonly dataLineOfRow?: Int32Array;
  readonly dataFile?: string;
  /** Allow values in messages (`--show-values`). */
  readonly showValues?: boolean;
}

const MAX_MISSING_LINES_SHOWN = 5;

/** Compiles the rows of one attribute's hierarchy for the given data column. */
export function compileHierarchy(column: EncodedColumn, source: HierarchyRowsSource, options: CompileHierarchyOptions = {}): CompiledHierarchy {
  const { rows, origin } = source;
  const attribute = column.name;
  const lineOf = (rowIndex: number): number => source.lineOfRow?.[rowIndex] ?? rowIndex + 1;
  if (rows.length === 0) {
    throw inputError('HIERARCHY_EMPTY', `${origin}: the hierarchy of "${attribute}" has no rows`, { location: { file: origin, column: attribute } });
  }
  const width = rows[0].length;
  for (let r = 0; r < rows.length; r++) {
    if (rows[r].length !== width) {
      throw inputError(
        'HIERARCHY_RAGGED',
        `${origin}:${lineOf(r)}: the row has ${rows[r].length} columns, the first row has ${width}; all rows of a hierarchy need the same number of levels`,
        { location: { file: origin, line: lineOf(r), column: attribute } },
      );
    }
  }
  const maxLevel = width - 1;

  // Level 0: the data dictionary. Each data value must have exactly one hierarchy row.
  const rowOfDataCode = new Int32Array(column.dictionary.length).fill(-1);
  const dataCodeOf = new Map<string, number>();
  column.dictionary.forEach((value, code) => dataCodeOf.set(value, code));
  const firstRowOfValue = new Map<string, number>();
  for (let r = 0; r < rows.length; r++) {
    const value = rows[r][0];
    const earlier = firstRowOfValue.get(value);
    if (earlier !== undefined) {
      throw inputError(
        'HIERARCHY_NOT_FUNCTIONAL',
        `${origin}:${lineOf(r)}: the value in column 1 already has a row at line ${lineOf(earlier)}; each value needs exactly one generalization per level`,
        { location: { file: origin, line: lineOf(r), column: attribute } },
      );
    }
    firstRowOfValue.set(value, r);
    const code = dataCodeOf.get(value);
    if (code !== undefined) rowOfDataCode[code] = r;
  }
  reportMissingValues(column, rowOfDataCode, origin, options);

  // Higher levels: dictionaries of labels per level, with the file rows that hold each label.
  const labels: string[][] = [column.dictionary.slice()];
  const fileRowsPerLabel: Int32Array[] = [new Int32Array(column.dictionary.length).fill(1)];
  const labelOfRow: Int32Array[] = [];
  for (let level = 1; level <= maxLevel; level++) {
    const codeOf = new Map<string, number>();
    const levelLabels: string[] = [];
    const perRow = new Int32Array(rows.length);
    for (let r = 0; r < rows.length; r++) {
      const label = rows[r][level];
      let code = codeOf.get(label);
      if (code === undefined) {
        code = levelLabels.length;
        codeOf.set(label, code);
        levelLabels.push(label);
      }
      perRow[r] = code;
    }
    const counts = new Int32Array(levelLabels.length);
    for (let r = 0; r < rows.length; r++) counts[perRow[r]]++;
    labels.push(levelLabels);
    fileRowsPerLabel.push(counts);
    labelOfRow[level] = perRow;
  }

  // Nesting: each label at level i must have one parent at level i+1 (then sharing propagates to every higher level).
  const parentMaps: Int32Array[] = [];
  for (let level = 1; level < maxLevel; level++) {
    const parent = new Int32Array(labels[level].length).fill(-1);
    const firstRowOfLabel = new Int32Array(labels[level].length).fill(-1);
    const here = labelOfRow[level];
    const above = labelOfRow[level + 1];
    for (let r = 0; r < rows.length; r++) {
      const label = here[r];
      if (parent[label] === -1) {
        parent[label] = above[r];
        firstRowOfLabel[label] = r;
      } else if (parent[label] !== above[r]) {
        throw inputError(
          'HIERARCHY_NOT_NESTED',
          `${origin}:${lineOf(r)}: column ${level + 1} generalizes to a different column ${level + 2} label than at line ${lineOf(firstRowOfLabel[label])}; values that share a generalization must share it at every higher level`,
          { location: { file: origin, line: lineOf(r), column: attribute } },
        );
      }
    }
    parentMaps[level] = parent;
  }

  const dataToLevel: Int32Array[] = [Int32Array.from({ length: column.dictionary.length }, (_, code) => code)];
  for (let level = 1; level <= maxLevel; level++) {
    const map = new Int32Array(column.dictionary.length);
    for (let code = 0; code < map.length; code++) map[code] = labelOfRow[level][rowOfDataCode[code]];
    dataToLevel.push(map);
  }

  const levelMapCache = new Map<number, Int32Array>();
  const levelMap = (from: number, to: number): Int32Array => {
    if (from < 0 || to > maxLevel || from > to) throw new RangeError(`no level map from ${from} to ${to} for "${attribute}"`);
    if (from === 0) return dataToLevel[to];
    const key = from * (maxLevel + 1) + to;
    let map = levelMapCache.get(key);
    if (map === undefined) {
      map = Int32Array.from({ length: labels[from].length }, (_, code) => code);
      for (let level = from; level < to; level++) {
        const parent = parentMaps[level];
        for (let code = 0; code < map.length; code++) map[code] = parent[map[code]];
      }
      levelMapCache.set(key, map);
    }
    return map;
  };

  return { attribute, maxLevel, fileRowCount: rows.length, labels, dataToLevel, fileRowsPerLabel, levelMap };
}

/** Fails with the number of data values (and first data lines) the hierarchy does not cover. */
function reportMissingValues(column: EncodedColumn, rowOfDataCode: Int32Array, origin: string, options: CompileHierarchyOptions): void {
  const missingCodes: number[] = [];
  for (let code = 0; code < rowOfDataCode.length; code++) if (rowOfDataCode[code] === -1) missingCodes.push(code);
  if (missingCodes.length === 0) return;
  const missing = new Uint8Array(rowOfDataCode.length);
  for (const code of missingCodes) missing[code] = 1;
  const lines: number[] = [];
  let affectedRows = 0;
  for (let row = 0; row < column.codes.length; row++) {
    if (missing[column.codes[row]] === 1) {
      affectedRows++;
      if (lines.length < MAX_MISSING_LINES_SHOWN) lines.push(options.dataLineOfRow?.[row] ?? row + 2);
    }
  }
  const where = options.dataFile !== undefined ? `${options.dataFile} lines ${lines.join(', ')}` : `data lines ${lines.join(', ')}`;
  const shown = options.showValues ? ` (${missingCodes.slice(0, MAX_MISSING_LINES_SHOWN).map((c) => JSON.stringify(column.dictionary[c])).join(', ')})` : '';
  throw inputError(
    'HIERARCHY_MISSING_VALUES',
    `${origin}: ${missingCodes.length} distinct value(s) of column "${column.name}"${shown} are missing from its hierarchy, in ${affectedRows} record(s); first at ${where}`,
    { location: { file: origin, column: column.name, line: lines[0] } },
  );
}
