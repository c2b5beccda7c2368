// Tests of the census generator and its data: determinism, the committed sample and hierarchy files being current,
// hierarchy shape (functional, nested, `*` on top), value coverage, growth of distinct tuples, argument checking.

import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { CENSUS_COLUMNS, CENSUS_HIERARCHIES, CENSUS_QUASI_IDENTIFIERS, hierarchyCsv, latticeSize } from '../../datasets/census-domain.js';
import { generateCsvChunks, generateRecords } from '../../datasets/census-generator.js';
import { parseGenerateArgs } from '../../datasets/generate.js';

const csv = (rows: number, seed: number, chunkRows?: number): string => [...generateCsvChunks({ rows, seed, chunkRows })].join('');

function distinctTuples(rows: number, seed: number): number {
  const seen = new Set<string>();
  for (const record of generateRecords({ rows, seed })) seen.add(CENSUS_QUASI_IDENTIFIERS.map((qi) => record[qi]).join('\u0000'));
  return seen.size;
}

/** Simple reader for our own files: no field here holds a quote, so splitting is exact. */
function readRows(path: string, delimiter: string): string[][] {
  const text = readFileSync(new URL(`../../${path}`, import.meta.url), 'utf8');
  expect(text).not.toContain('"');
  return text.trimEnd().split('\n').map((line) => line.split(delimiter));
}

describe('census generator', () => {
  it('is deterministic: same seed, same text, whatever the chunk size', () => {
    const a = csv(3000, 42);
    expect(csv(3000, 42)).toBe(a);
    expect(csv(3000, 42, 7)).toBe(a);
    expect(a.split('\n')).toHaveLength(3002); // header, rows, final empty string
  });

  it('gives different data for different seeds', () => {
    expect(csv(500, 1)).not.toBe(csv(500, 2));
    expect(csv(500, 0)).not.toBe(csv(500, 0xffffffff));
  });

  it('writes the same rows as CSV and as records, ids 1..N', () => {
    const lines = csv(200, 9).trimEnd().split('\n');
    expect(lines[0]).toBe(CENSUS_COLUMNS.join(','));
    const records = [...generateRecords({ rows: 200, seed: 9 })];
    expect(records.map((r) => CENSUS_COLUMNS.map((c) => r[c]).join(','))).toEqual(lines.slice(1));
    expect(records.map((r) => r.id)).toEqual(Array.from({ length: 200 }, (_, i) => String(i + 1)));
  });

  it('is lazy: the first rows of a huge table come at once', () => {
    const records = generateRecords({ rows: 1e12, seed: 1 });
    expect(records.next().value?.id).toBe('1');
    const chunks = generateCsvChunks({ rows: 1e12, seed: 1, chunkRows: 10 });
    expect(chunks.next().value?.split('\n')).toHaveLength(12);
  });

  it('rejects bad sizes and seeds', () => {
    expect(() => generateRecords({ rows: -1, seed: 1 }).next()).toThrow(RangeError);
    expect(() => generateRecords({ rows: 10, seed: 2 ** 32 }).next()).toThrow(RangeError);
    expect(() => generateCsvChunks({ rows: 10, seed: 1, chunkRows: 0 }).next()).toThrow(RangeError);
  });

  it('has more distinct quasi-identifier tuples as the table grows', () => {
    const small = distinctTuples(1_000, 1);
    const large = distinctTuples(10_000, 1);
    expect(small).toBeGreaterThan(800);
    expect(large).toBeGreaterThan(3 * small);
    expect(large).toBeLessThan(10_000);
  });
});

describe('census hierarchies', () => {
  it('are functional and nested, with `*` on top and the declared number of levels', () => {
    for (const domain of CENSUS_HIERARCHIES) {
      const height = domain.levels.length;
      expect(domain.levels[height - 1]).toBe('*');
      const values = new Set<string>();
      for (const row of domain.rows) {
        expect(row, domain.name).toHaveLength(height);
        expect(row[height - 1]).toBe('*');
        expect(values.has(row[0]), `${domain.name}: ${row[0]} twice`).toBe(false);
        values.add(row[0]);
      }
      // Nested: every label of level l has exactly one parent on level l + 1.
      for (let level = 1; level < height - 1; level++) {
        const parent = new Map<string, string>();
        for (const row of domain.rows) {
          const known = parent.get(row[level]);
          expect(known === undefined || known === row[level + 1], `${domain.name}: ${row[level]} has two parents`).toBe(true);
          parent.set(row[level], row[level + 1]);
        }
      }
    }
  });

  it('give the Adult-like lattice of 6480 nodes for the eight quasi-identifiers', () => {
    expect(latticeSize(CENSUS_QUASI_IDENTIFIERS)).toBe(2 * 5 * 2 * 3 * 4 * 3 * 3 * 3);
  });

  it('are the committed files, byte for byte (regenerate with npm run gen -- --hierarchies hierarchies/census)', () => {
    for (const domain of CENSUS_HIERARCHIES) {
      expect(readFileSync(new URL(`../../hierarchies/census/${domain.name}.csv`, import.meta.url), 'utf8'), domain.name).toBe(hierarchyCsv(domain));
    }
  });
});

describe('bundled sample', () => {
  const sample = readRows('datasets/sample.csv', ',');

  it('is the generator output for 2000 rows, seed 1', () => {
    expect(readFileSync(new URL('../../datasets/sample.csv', import.meta.url), 'utf8')).toBe(csv(2000, 1));
  });

  it('has every value of every hierarchy attribute covered by its hierarchy file', () => {
    const header = sample[0];
    expect(header).toEqual([...CENSUS_COLUMNS]);
    for (const domain of CENSUS_HIERARCHIES) {
      const column = header.indexOf(domain.name);
      expect(column, domain.name).toBeGreaterThanOrEqual(0);
      const covered = new Set(readRows(`hierarchies/census/${domain.name}.csv`, ';').map((row) => row[0]));
      const missing = new Set(sample.slice(1).map((row) => row[column]).filter((value) => !covered.has(value)));
      expect([...missing], domain.name).toEqual([]);
    }
  });
});

describe('gen arguments', () => {
  it('parses the documented forms', () => {
    expect(parseGenerateArgs(['--rows', '10', '--seed', '3'])).toMatchObject({ rows: 10, seed: 3 });
    expect(parseGenerateArgs(['--rows', '10'])).toMatchObject({ rows: 10, seed: 1, out: undefined });
    expect(parseGenerateArgs(['--hierarchies', 'h'])).toMatchObject({ hierarchies: 'h', rows: undefined });
  });

  it('rejects bad arguments with a one-line message', () => {
    for (const argv of [[], ['--rows', 'x'], ['--rows', '-1'], ['--rows', '5', '--seed', '4294967296'], ['--bogus'], ['--rows', '5', 'extra'], ['--seed', '3']]) {
      expect(() => parseGenerateArgs(argv), argv.join(' ')).toThrow(/^[^\n]+$/);
    }
  });
});
