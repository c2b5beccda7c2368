// Compiles ARX-style hierarchy rows for a data column into per-level code maps, before any search.
// Throws on the first problem that check.ts finds (coverage, equal row lengths, functional, nested).

import { inputError } from '../errors.js';
import type { EncodedColumn } from '../table/encoded-table.js';
import { analyzeHierarchy } from './check.js';
import type { CompiledHierarchy } from './compiled-hierarchy.js';

export interface HierarchyRowsSource {
  readonly rows: readonly (readonly string[])[];
  /** File name (or a description such as `policy spec`) for error messages. */
  readonly origin: string;
  /** 1-based file line of each row, when rows come from a file. */
  readonly lineOfRow?: readonly number[];
}

export interface CompileHierarchyOptions {
  /**
   * 1-based data-file line of each data row, to point at rows whose value is missing; default: row + 2 (one header
   * line). `null`: the data has no lines (an engine's aggregated table), and messages name none.
   */
  readonly dataLineOfRow?: Int32Array | null;
  /** Records per data row of an aggregated table (see `EncodedTable.weights`). */
  readonly dataWeights?: Int32Array;
  readonly dataFile?: string;
  /** Allow values in messages (`--show-values`). */
  readonly showValues?: boolean;
}

/** Compiles the rows of one attribute's hierarchy for the given data column. */
export function compileHierarchy(column: EncodedColumn, source: HierarchyRowsSource, options: CompileHierarchyOptions = {}): CompiledHierarchy {
  const { report, maxLevel, rowOfDataCode, labels, labelOfRow, fileRowsPerLabel, parentOfLabel } = analyzeHierarchy(column, source, options);
  const firstProblem = report.problems[0];
  if (firstProblem !== undefined) throw inputError(firstProblem.code, firstProblem.message, { location: firstProblem.location });
  const attribute = column.name;

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
        const parent = parentOfLabel[level];
        for (let code = 0; code < map.length; code++) map[code] = parent[map[code]];
      }
      levelMapCache.set(key, map);
    }
    return map;
  };

  return { attribute, maxLevel, fileRowCount: source.rows.length, labels, dataToLevel, fileRowsPerLabel, levelMap };
}
