// fast-check arbitraries of cloak/testing for data: table schemas, record tables and nested ARX hierarchies.
// Built from map/tuple rather than chain where possible, so counterexamples shrink to few rows and coarse hierarchies.

import fc from 'fast-check';
import { usageError } from '../errors.js';

/** A column of a generated table: its values come from `domain` (`{ size: n }` means the strings `'0'` … `'n−1'`). */
export interface ColumnSchema {
  readonly name: string;
  readonly domain: readonly string[] | { readonly size: number };
  /** Draw the first domain value about three times in four, for heavily skewed columns. Default false: uniform. */
  readonly skew?: boolean;
}

/** The shape of a generated table. */
export interface TableSchema {
  readonly columns: readonly ColumnSchema[];
  /** Bounds on the row count (inclusive). */
  readonly rows: { readonly min: number; readonly max: number };
}

/** Inclusive bounds of a generated integer. */
export interface IntegerRange {
  readonly min: number;
  readonly max: number;
}

/** The distinct values of a column schema, in order. */
export function domainOf(column: ColumnSchema): readonly string[] {
  const domain = Array.isArray(column.domain)
    ? [...new Set(column.domain as readonly string[])]
    : Array.from({ length: (column.domain as { size: number }).size }, (_, index) => String(index));
  if (domain.length === 0) {
    throw usageError('TESTING_EMPTY_DOMAIN', `Column "${column.name}" of the schema has an empty domain.`, { location: { column: column.name } });
  }
  return domain;
}

/** One cell of a column: uniform over the domain, or skewed towards its first value; shrinks towards the first value. */
function arbitraryCell(column: ColumnSchema): fc.Arbitrary<string> {
  const domain = domainOf(column);
  const uniform = fc.integer({ min: 0, max: domain.length - 1 }).map((index) => domain[index]);
  if (!column.skew) return uniform;
  return fc.oneof({ arbitrary: fc.constant(domain[0]), weight: 3 }, { arbitrary: uniform, weight: 1 });
}

/**
 * Tables of records following `schema`: each record has one value per column, drawn from the column's domain.
 * Shrinks towards fewer rows and towards each domain's first value.
 */
export function arbitraryTable(schema: TableSchema): fc.Arbitrary<Record<string, string>[]> {
  const record: Record<string, fc.Arbitrary<string>> = {};
  for (const column of schema.columns) record[column.name] = arbitraryCell(column);
  return fc.array(fc.record(record), { minLength: schema.rows.min, maxLength: schema.rows.max });
}

/** Options of {@link arbitrarySchema}. */
export interface SchemaArbitraryOptions {
  /** Column count; default 1 … 4. Columns are named `c0`, `c1`, …. */
  readonly columns?: IntegerRange;
  /** Domain size per column; default 1 … 6 (tiny domains included). */
  readonly domainSize?: IntegerRange;
  /** Row count of the tables; default 0 … 30. */
  readonly rows?: IntegerRange;
}

/** Table schemas with `{ size }` domains, some skewed. */
export function arbitrarySchema(options: SchemaArbitraryOptions = {}): fc.Arbitrary<TableSchema> {
  const columns = options.columns ?? { min: 1, max: 4 };
  const domainSize = options.domainSize ?? { min: 1, max: 6 };
  const rows = options.rows ?? { min: 0, max: 30 };
  const column = fc.record({ size: fc.integer(domainSize), skew: fc.boolean() });
  return fc.array(column, { minLength: columns.min, maxLength: columns.max }).map((drafts) => ({
    columns: drafts.map((draft, index) => ({ name: `c${index}`, domain: { size: draft.size }, skew: draft.skew })),
    rows,
  }));
}

/** Options of {@link arbitraryHierarchy}. */
export interface HierarchyArbitraryOptions {
  /** H, the number of levels above the values (rows get H + 1 columns, the last `*`); a number or a range, ≥ 1. */
  readonly height: number | IntegerRange;
}

/**
 * Valid nested ARX hierarchies over `domain`: one row per value, `[value, level 1, …, '*']`. Each level groups the
 * labels of the level below into random groups (labels `L<level>.<group>`, made distinct from the domain), the last
 * level is `*`. Shrinks towards coarse groupings (everything in one group).
 */
export function arbitraryHierarchy(domain: readonly string[], options: HierarchyArbitraryOptions): fc.Arbitrary<string[][]> {
  const values = [...new Set(domain)];
  if (values.length === 0) throw usageError('TESTING_EMPTY_DOMAIN', 'A hierarchy needs a non-empty domain.');
  const height = typeof options.height === 'number' ? { min: options.height, max: options.height } : options.height;
  if (!(height.min >= 1 && height.max >= height.min)) {
    throw usageError('TESTING_BAD_HEIGHT', `The hierarchy height must be ≥ 1 (got ${height.min} … ${height.max}).`);
  }
  // One group choice per label and intermediate level, drawn for the largest case so no chain is needed.
  const groupChoices = fc.array(fc.array(fc.nat({ max: values.length - 1 }), { minLength: values.length, maxLength: values.length }), {
    minLength: height.max - 1,
    maxLength: height.max - 1,
  });
  return fc.tuple(fc.integer(height), groupChoices).map(([levels, choices]) => buildHierarchy(values, levels, choices));
}

function buildHierarchy(values: readonly string[], height: number, choices: readonly (readonly number[])[]): string[][] {
  const taken = new Set([...values, '*']);
  const rows = values.map((value) => [value]);
  // labelOfRow[i]: row i's label at the current level, as an index numbered in order of first appearance.
  let labelOfRow = values.map((_, index) => index);
  let labelCount = values.length;
  for (let level = 1; level < height; level++) {
    const choice = choices[level - 1];
    const groupOfDraw = new Map<number, number>();
    const groupOfLabel = new Map<number, number>();
    const names: string[] = [];
    labelOfRow = labelOfRow.map((label) => {
      let group = groupOfLabel.get(label);
      if (group === undefined) {
        const drawn = choice[label] % labelCount;
        group = groupOfDraw.get(drawn);
        if (group === undefined) {
          group = names.length;
          groupOfDraw.set(drawn, group);
          let name = `L${level}.${group}`;
          while (taken.has(name)) name += "'";
          taken.add(name);
          names.push(name);
        }
        groupOfLabel.set(label, group);
      }
      return group;
    });
    labelOfRow.forEach((group, row) => rows[row].push(names[group]));
    labelCount = names.length;
  }
  for (const row of rows) row.push('*');
  return rows;
}
