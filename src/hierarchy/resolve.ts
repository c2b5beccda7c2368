// Resolves where an attribute's hierarchy comes from: inline rows, a file path, a builder spec, or the directory.
// Returns raw rows with their origin; compiling and validating them is compile.ts's job.

import { join } from 'node:path';
import { inputError, usageError } from '../errors.js';
import type { HierarchySource } from '../options.js';
import type { EncodedColumn } from '../table/encoded-table.js';
import type { HierarchyRowsSource } from './compile.js';
import { findHierarchyFile, readHierarchyFile } from './load.js';
import { buildHierarchy, parseHierarchySpec } from './builders/index.js';

export async function resolveHierarchy(
  attribute: string,
  source: HierarchySource | undefined,
  directory: string | undefined,
  column: EncodedColumn,
): Promise<HierarchyRowsSource> {
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
    const rows = buildHierarchy(spec, valueCounts(column), { column: attribute });
    return { rows, origin: `hierarchy of "${attribute}" (built from a ${(source as { type: string }).type} spec)` };
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
function valueCounts(column: EncodedColumn): Map<string, number> {
  const counts = new Int32Array(column.dictionary.length);
  for (let r = 0; r < column.codes.length; r++) counts[column.codes[r]]++;
  return new Map(column.dictionary.map((value, code) => [value, counts[code]]));
}
