// Tests of the fast-check arbitraries of cloak/testing: generated values are valid and counterexamples shrink small.
// Validity is judged with the kit's own hierarchy checker plus direct structural assertions.

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  arbitraryDataset,
  arbitraryHierarchy,
  arbitraryPolicy,
  arbitraryTable,
  checkHierarchy,
  domainOf,
  type TableSchema,
} from '../../src/testing/index.js';

const schema: TableSchema = {
  columns: [
    { name: 'age', domain: { size: 5 } },
    { name: 'sex', domain: ['M', 'F'], skew: true },
    { name: 'zip', domain: ['only'] },
    { name: 'disease', domain: ['flu', 'cold', 'cancer', 'none'] },
  ],
  rows: { min: 0, max: 20 },
};

/** The counterexample of a property expected to fail. */
function counterexample<T>(arbitrary: fc.Arbitrary<T>, predicate: (value: T) => boolean): T {
  const details = fc.check(fc.property(arbitrary, predicate), { seed: 42, numRuns: 200 });
  if (!details.failed || details.counterexample === null) throw new Error('expected the property to fail');
  return details.counterexample[0];
}

describe('arbitraryTable', () => {
  it('draws every cell from its column domain, within the row bounds', () => {
    fc.assert(
      fc.property(arbitraryTable(schema), (table) => {
        expect(table.length).toBeLessThanOrEqual(20);
        for (const row of table) {
          expect(Object.keys(row)).toEqual(['age', 'sex', 'zip', 'disease']);
          for (const column of schema.columns) expect(domainOf(column)).toContain(row[column.name]);
        }
      }),
    );
  });

  it('skews a skewed column towards its first value', () => {
    const [big] = fc.sample(arbitraryTable({ columns: [schema.columns[1]], rows: { min: 400, max: 400 } }), { numRuns: 1, seed: 7 });
    const males = big.filter((row) => row.sex === 'M').length;
    expect(males).toBeGreaterThan(260);
  });

  it('shrinks a table failing from three rows to exactly three rows of first values', () => {
    const found = counterexample(arbitraryTable(schema), (table) => table.length < 3);
    expect(found).toEqual(Array.from({ length: 3 }, () => ({ age: '0', sex: 'M', zip: 'only', disease: 'flu' })));
  });

  it('shrinks towards a minimal offending cell', () => {
    const found = counterexample(arbitraryTable(schema), (table) => !table.some((row) => row.disease === 'cancer'));
    expect(found).toEqual([{ age: '0', sex: 'M', zip: 'only', disease: 'cancer' }]);
  });
});

describe('arbitraryHierarchy', () => {
  const domain = ['a', 'b', 'c', 'd', 'e', 'f'];

  it('produces nested, functional hierarchies covering the domain, topped by *', () => {
    fc.assert(
      fc.property(arbitraryHierarchy(domain, { height: { min: 1, max: 4 } }), (rows) => {
        expect(checkHierarchy(rows, { domain }).ok).toBe(true);
        expect(rows.map((row) => row[0])).toEqual(domain);
        for (const row of rows) expect(row[row.length - 1]).toBe('*');
        // Each level has no more labels than the one below it.
        for (let level = 1; level < rows[0].length; level++) {
          expect(new Set(rows.map((row) => row[level])).size).toBeLessThanOrEqual(new Set(rows.map((row) => row[level - 1])).size);
        }
      }),
    );
  });

  it('honours a fixed height and keeps labels distinct from the domain', () => {
    const clashing = ['L1.0', 'L1.1', 'x'];
    fc.assert(
      fc.property(arbitraryHierarchy(clashing, { height: 3 }), (rows) => {
        expect(rows.every((row) => row.length === 4)).toBe(true);
        for (const row of rows) for (const label of row.slice(1)) expect(clashing).not.toContain(label);
      }),
    );
  });

  it('shrinks to the coarsest grouping that still fails', () => {
    const found = counterexample(arbitraryHierarchy(domain, { height: 2 }), (rows) => new Set(rows.map((row) => row[1])).size < 2);
    expect(new Set(found.map((row) => row[1])).size).toBe(2);
  });
});

describe('arbitraryPolicy and arbitraryDataset', () => {
  it('builds policies that only reference existing columns, with hierarchies where needed', () => {
    fc.assert(
      fc.property(arbitraryPolicy(schema), (policy) => {
        const names = schema.columns.map((column) => column.name);
        expect(Object.keys(policy.attributes)).toEqual(names);
        const qi = names.filter((name) => policy.attributes[name].role === 'quasi-identifying');
        expect(qi.length).toBeGreaterThan(0);
        for (const name of qi) {
          const column = schema.columns.find((c) => c.name === name)!;
          expect(checkHierarchy(policy.attributes[name].hierarchy as string[][], { domain: domainOf(column) }).ok).toBe(true);
        }
        expect(policy.models.length).toBeGreaterThan(0);
        expect(new Set(policy.models.map((model) => model.type)).size).toBe(policy.models.length);
        for (const model of policy.models) {
          if (!('attribute' in model)) continue;
          expect(policy.attributes[model.attribute].role).toBe('sensitive');
          if (model.type === 't-closeness' && model.distance === 'hierarchical') expect(policy.attributes[model.attribute].hierarchy).toBeDefined();
        }
        expect([0, 0.05, 0.2, 0.5]).toContain(policy.suppressionLimit);
      }),
    );
  });

  it('restricts models to the allowed types and always finds a sensitive column for them', () => {
    const twoColumns: TableSchema = { columns: schema.columns.slice(0, 2), rows: schema.rows };
    fc.assert(
      fc.property(arbitraryPolicy(twoColumns, { models: ['delta-disclosure', 'beta-likeness'] }), (policy) => {
        expect(policy.models.every((model) => model.type === 'delta-disclosure' || model.type === 'beta-likeness')).toBe(true);
        expect(Object.values(policy.attributes).some((attribute) => attribute.role === 'sensitive')).toBe(true);
      }),
    );
    expect(() => arbitraryPolicy({ columns: schema.columns.slice(0, 1), rows: schema.rows }, { models: ['t-closeness'] })).toThrow(/two columns/);
  });

  it('builds consistent datasets', () => {
    fc.assert(
      fc.property(arbitraryDataset(), ({ table, hierarchies, policy }) => {
        const names = Object.keys(policy.attributes);
        for (const row of table) expect(Object.keys(row)).toEqual(names);
        for (const [name, rows] of Object.entries(hierarchies)) {
          expect(policy.attributes[name].hierarchy).toBe(rows);
          expect(checkHierarchy(rows, { domain: table.map((row) => row[name]) }).ok).toBe(true);
        }
        for (const name of names) {
          if (policy.attributes[name].role === 'quasi-identifying') expect(hierarchies[name]).toBeDefined();
        }
      }),
    );
  });

  it('shrinks datasets to few rows', () => {
    const found = counterexample(arbitraryDataset(), (dataset) => dataset.table.length < 3);
    expect(found.table).toHaveLength(3);
  });
});
