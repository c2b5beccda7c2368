// Resolves where an attribute's hierarchy comes from: inline rows, a file path, a builder spec, or the directory.
// Returns raw rows with their origin; compiling and validating them is compile.ts's job.

import { join } from 'node:path';
import { inputError, usageError } from '../errors.js';
import type { HierarchySource } from '../options.js';
import type { EncodedColumn } from '../table/encoded-table.js';
import type { HierarchyRowsSource } from './compile.js';
import { findHierarchyFile, readHierarchyFile } from './load.js';
import { buildHierarchy, hierarchyRule, parseHierarchySpec, type BuildContext, type HierarchyRule } from './builders/index.js';

/** Hierarchy rows, and for a builder whose labels follow from each value alone, its rule (which plans keep). */
export interface ResolvedHierarchy extends HierarchyRowsSource {
  readonly rule?: HierarchyRule;
}

/** Where the column's values come from, so that builder errors can name the data file and line of a value. */
export interface HierarchyDataSource {
  /** The data file's name in messages (a path, `<stdin>`). */
  readonly file?: string;
  /**
   * 1-based file line per row; without it, row r is taken to be on line r + 2 (one header line). `null`: the data has
   * no lines (an engine's aggregated table), and messages name none.
   */
  readonly lineOfRow?: Int32Array | null;
  /** Records per row of an aggregated table (see `EncodedTable.weights`): the builders' value counts. */
  readonly weights?: Int32Array;
  /** Quote offending values in messages (`--show-values`). */
  readonly showValues?: boolean;
}

export async function resolveHierarchy(
  attribute: string,
  source: HierarchySource | undefined,
  directory: string | undefined,
  column: EncodedColumn,
  data: HierarchyDataSource = {},
): Promise<ResolvedHierarchy> {
  if (typeof source === 'string') return readHierarchyFile(directory !== undefined && !source.startsWith('/') && !source.includes('/') ? join(directory, source) : source);
  if (Array.isArray(source)) {
    const origin = `hierarchy of "${attribute}" (inline rows)`;
    // Rows may come from untyped JSON, and everything downstream reads their cells as strings.
    const bad = source.findIndex((row: unknown) => !Array.isArray(row) || !row.every((cell) => typeof cell === 'string'));
    if (bad !== -1) {
      throw usageError('HIERARCHY_ROWS_INVALID', `${origin}: row ${bad + 1} must be an array of strings`, { location: { column: attribute, path: `attributes.${attribute}.hierarchy[${bad}]` } });
    }
    return { rows: source as readonly (readonly string[])[], origin };
  }
  if (source !== undefined) {
    const spec = parseHierarchySpec(source, { column: attribute, path: `attributes.${attribute}.hierarchy` });
    const lineOf = data.lineOfRow === null ? undefined : firstLineOfValue(column, data.lineOfRow);
    const context: BuildContext = { column: attribute, file: data.file, lineOf, showValues: data.showValues };
    const values = valueCounts(column, data.weights);
    const rows = buildHierarchy(spec, values, context);
    const rule = hierarchyRule(spec, values, context);
    return { rows, origin: `hierarchy of "${attribute}" (built from a ${(source as { type: string }).type} spec)`, ...(rule === undefined ? {} : { rule }) };
  }
  if (directory !== undefined) {
    const path = await findHierarchyFile(directory, attribute);
    if (path !== undefined) return readHierarchyFile(path);
  }
  throw inputError(
    'HIERARCHY_NOT_FOUND',
    directory === undefined
      ? `no hierarchy for attribute "${attribute}": give --hierarchies DIR or a hierarchy in the options`
      : `no hierarchy file for attribute "${attribute}" in ${directory} (looked for ${attribute}.csv and *_hierarchy_${attribute}.csv)`,
    { location: { column: attribute, file: directory } },
  );
}

/** Distinct values with their record counts (the frequency builder needs counts; the others read the keys). */
function valueCounts(column: EncodedColumn, weights: Int32Array | undefined): Map<string, number> {
  const counts = new Int32Array(column.dictionary.length);
  for (let r = 0; r < column.codes.length; r++) counts[column.codes[r]] += weights?.[r] ?? 1;
  return new Map(column.dictionary.map((value, code) => [value, counts[code]]));
}

/**
 * The data line of each value's first record, computed on the first call only: builders ask for it when they report
 * an error, which most runs never do.
 */
function firstLineOfValue(column: EncodedColumn, lineOfRow: Int32Array | undefined): (value: string) => number | undefined {
  let firstRowOfCode: Int32Array | undefined;
  let codeOf: Map<string, number> | undefined;
  return (value) => {
    if (firstRowOfCode === undefined || codeOf === undefined) {
      firstRowOfCode = new Int32Array(column.dictionary.length).fill(-1);
      for (let row = column.codes.length - 1; row >= 0; row--) firstRowOfCode[column.codes[row]] = row;
      codeOf = new Map(column.dictionary.map((entry, code) => [entry, code]));
    }
    const code = codeOf.get(value);
    const row = code === undefined ? -1 : firstRowOfCode[code];
    return row === -1 ? undefined : (lineOfRow?.[row] ?? row + 2);
  };
}
