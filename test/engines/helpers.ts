// Shared by the engine tests: random jobs as files (values with quotes, commas, backslashes, accents and empty ones),
// DuckDB as a test tool (Parquet conversion, reading results), and the comparison of two releases by row id.

import { writeFileSync } from 'node:fs';
import { parse } from 'csv-parse/sync';
import { DuckDBInstance } from '@duckdb/node-api';
import { expect } from 'vitest';
import type { AnonymizationReport, AnonymizeOptions, ModelSpec } from '../../src/index.js';
import { formatField } from '../../src/io/csv-writer.js';
import type { RandomDataset } from '../groupify/random-data.js';

/** Prefixes that make values hard to quote: each dataset's values get one, so that escaping is exercised. */
export const AWKWARD_PREFIXES = ["'", '"', ',', '\\', ' ', 'é', ';', "O'Brien \\\"", ''];

/** A random dataset as a CSV file with an `id` column, and the options anonymizing it (hierarchies inline). */
export function datasetJob(dataset: RandomDataset, path: string, settings: { prefix: string; k: number; limit: number; diverse: boolean; emptyValue: boolean }): AnonymizeOptions {
  const rename = (value: string) => (settings.emptyValue && value === 'v0' ? '' : `${settings.prefix}${value}`);
  const header = ['id', ...dataset.qi, 's'];
  const lines = [header.join(',')];
  dataset.rows.forEach((row, index) => lines.push([String(index), ...dataset.qi.map((q) => rename(row[q])), row.s].map((value) => formatField(value, ',')).join(',')));
  writeFileSync(path, lines.join('\n') + '\n');
  const attributes: Record<string, AnonymizeOptions['attributes'][string]> = { s: { role: settings.diverse ? 'sensitive' : 'insensitive' } };
  for (const name of dataset.qi) {
    // Labels above level 0 keep their form: they are labels, and the prefix already makes level 0 awkward.
    attributes[name] = { role: 'quasi-identifying', hierarchy: dataset.hierarchyRows[name].map((row) => [rename(row[0]), ...row.slice(1)]) };
  }
  const models: ModelSpec[] = [{ type: 'k-anonymity', k: Math.min(settings.k, dataset.rows.length) }];
  if (settings.diverse) models.push({ type: 'distinct-l-diversity', attribute: 's', l: 2 });
  return { attributes, models, suppressionLimit: settings.limit, metric: 'loss' };
}

/** Rows of a CSV file (header first), as strings. */
export function csvRows(text: string, delimiter = ','): string[][] {
  return parse(text, { delimiter, relax_column_count: false }) as string[][];
}

/** Rows sorted by their first column read as a number (the row id), header first. */
export function byId(rows: readonly (readonly string[])[]): (readonly string[])[] {
  const [header, ...body] = rows;
  return [header, ...[...body].sort((a, b) => Number(a[0]) - Number(b[0]))];
}

/** Runs SQL in a throwaway in-memory DuckDB (converting test files, reading results). */
export async function duckdb(sql: string): Promise<unknown[][]> {
  const instance = await DuckDBInstance.create(':memory:');
  const connection = await instance.connect();
  try {
    return (await connection.runAndReadAll(sql)).getRows() as unknown[][];
  } finally {
    connection.closeSync();
    instance.closeSync();
  }
}

/** A Parquet file's rows as text (NULL as ''), header first, in file order; and its column types. */
export async function parquetRows(path: string): Promise<{ rows: string[][]; types: Record<string, string> }> {
  const quoted = `'${path.replace(/'/g, "''")}'`;
  const described = await duckdb(`DESCRIBE SELECT * FROM read_parquet(${quoted})`);
  const names = described.map((row) => String(row[0]));
  const body = await duckdb(`SELECT ${names.map((name) => `coalesce(CAST("${name.replace(/"/g, '""')}" AS VARCHAR), '')`).join(', ')} FROM read_parquet(${quoted})`);
  return { rows: [names, ...body.map((row) => row.map(String))], types: Object.fromEntries(described.map((row) => [String(row[0]), String(row[1])])) };
}

/** The two runs found the same transformation, score and suppression. */
export function expectSameSolution(actual: AnonymizationReport, expected: AnonymizationReport): void {
  expect(actual.transformation).toEqual(expected.transformation);
  expect(actual.metric.value).toBeCloseTo(expected.metric.value, 9);
  expect(actual.suppressed).toBe(expected.suppressed);
  expect(actual.classes).toBe(expected.classes);
  expect(actual.rows).toBe(expected.rows);
}
