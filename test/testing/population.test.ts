// cloak/testing's population checkers: k-map (counted from a population, or estimated), δ-presence (released classes
// and population classes left without a subset record) and differential privacy's class size, on hand-made tables.

import { describe, expect, it } from 'vitest';
import { dpParameters } from '../../src/models/dp/parameters.js';
import { estimateKMapK } from '../../src/risk/k-map-estimate.js';
import { arbitraryDataset, checkDeltaPresence, checkDifferentialPrivacy, checkKMap, checkPolicy, SUBSET_COLUMN } from '../../src/testing/index.js';
import fc from 'fast-check';

const ZIP = [
  ['101', '1xx', '*'],
  ['102', '1xx', '*'],
  ['201', '2xx', '*'],
];
const hierarchies = { zip: ZIP };

describe('checkKMap', () => {
  const output = [{ zip: '1xx' }, { zip: '1xx' }, { zip: '2xx' }];
  const population = [
    { zip: '101', count: '3' },
    { zip: '102', count: '1' },
    { zip: '201', count: '2' },
  ];

  it('counts the population generalized to the released labels; a class of exactly k people passes', () => {
    expect(checkKMap(output, { qi: ['zip'], k: 2, population, hierarchies }).ok).toBe(true);
    const verdict = checkKMap(output, { qi: ['zip'], k: 3, population, hierarchies });
    expect(verdict.ok).toBe(false);
    if (!verdict.ok) expect(verdict.failures).toEqual([expect.objectContaining({ kind: 'class', measure: 2, required: 3, margin: 1 })]);
    // Weights stand for the count column.
    const weighted = { rowCount: 3, columns: { zip: ['101', '102', '201'] }, weights: [3, 1, 2] };
    expect(checkKMap(output, { qi: ['zip'], k: 3, population: weighted, hierarchies }).ok).toBe(false);
    expect(checkKMap(output, { qi: ['zip'], k: 2, population: weighted, hierarchies }).ok).toBe(true);
  });

  it('estimates with ARX’s derived class size when given an estimator', () => {
    const derived = estimateKMapK(5, 3, 30, 0.01, 'poisson').k;
    const verdict = checkKMap(output, { qi: ['zip'], k: 5, estimator: 'poisson', populationSize: 30 });
    expect(verdict.check).toBe(`5-map (estimated: ${derived}-anonymity)`);
    expect(verdict.ok).toBe(derived <= 1);
  });

  it('needs a population or an estimator', () => {
    expect(() => checkKMap(output, { qi: ['zip'], k: 2 })).toThrow(expect.objectContaining({ code: 'TESTING_MISSING_POPULATION' }));
  });
});

describe('checkDeltaPresence', () => {
  // The population: 101 ×2, 102 ×1, 201 ×2; the subset: one 101, the 102 and one 201, released at level 1.
  const population = ['101', '101', '102', '201', '201'].map((zip) => ({ zip }));
  const output = [{ zip: '1xx' }, { zip: '1xx' }, { zip: '2xx' }];

  it('bounds each released class’s share of the population: at the bound passes, beyond fails', () => {
    // 1xx: 2 of 3; 2xx: 1 of 2.
    expect(checkDeltaPresence(output, { qi: ['zip'], deltaMin: 0.5, deltaMax: 2 / 3, population, hierarchies }).ok).toBe(true);
    const verdict = checkDeltaPresence(output, { qi: ['zip'], deltaMin: 0, deltaMax: 0.6, population, hierarchies });
    expect(verdict.ok).toBe(false);
    if (!verdict.ok) expect(verdict.failures).toEqual([expect.objectContaining({ measure: 2 / 3, required: 0.6 })]);
  });

  it('fails a population class holding no subset record when δmin > 0, unless its subset records were suppressed', () => {
    // Released at level 0: 101 (1 of 2) and 102 (1 of 1); 201 has no released record.
    const released = [{ zip: '101' }, { zip: '102' }, { zip: '*' }];
    const withSuppressed201 = [{ zip: '101' }, { zip: '102' }, { zip: '201' }];
    const noSubsetIn201 = [{ zip: '101' }, { zip: '102' }, { zip: '101' }];
    const options = { qi: ['zip'], deltaMin: 0.4, deltaMax: 1, population, hierarchies, levels: { zip: 0 } };
    expect(checkDeltaPresence(released.slice(0, 2), { ...options, deltaMin: 0 }).ok).toBe(true);
    expect(checkDeltaPresence(released, { ...options, original: withSuppressed201 }).ok).toBe(true);
    const verdict = checkDeltaPresence(released, { ...options, original: noSubsetIn201 });
    expect(verdict.ok).toBe(false);
    if (!verdict.ok) expect(verdict.failures[0]).toMatchObject({ kind: 'table', message: expect.stringMatching(/1 class\(es\) of the population \(2 people\) hold no record of the subset/) });
  });

  it('checkPolicy takes the original as the population and its subset column as the release', () => {
    const original = [
      { zip: '101', in: 'true' },
      { zip: '101', in: 'false' },
      { zip: '102', in: 'yes' },
      { zip: '201', in: '1' },
      { zip: '201', in: 'no' },
    ];
    const policy = { attributes: { zip: { role: 'quasi-identifying' as const, hierarchy: ZIP }, in: { role: 'insensitive' as const } }, models: [{ type: 'delta-presence' as const, deltaMin: 0, deltaMax: 2 / 3, subsetColumn: 'in' }] };
    const release = [
      { zip: '1xx', in: 'true' },
      { zip: '1xx', in: 'yes' },
      { zip: '2xx', in: '1' },
    ];
    expect(checkPolicy(original, release, policy).ok).toBe(true);
    // A row of the population that is not in the subset may not appear.
    expect(checkPolicy(original, [...release, { zip: '2xx', in: 'no' }], policy).ok).toBe(false);
  });
});

describe('checkDifferentialPrivacy', () => {
  it('requires the k derived from ε_anon and δ of every released class', () => {
    const k = dpParameters(1.9, 0.5).k;
    const table = [...Array.from({ length: k }, () => ({ zip: 'a' })), ...Array.from({ length: k - 1 }, () => ({ zip: 'b' })), { zip: '*' }];
    const verdict = checkDifferentialPrivacy(table, { qi: ['zip'], epsilon: 2, delta: 0.5 });
    expect(verdict.ok).toBe(false);
    if (!verdict.ok) expect(verdict.failures).toEqual([expect.objectContaining({ measure: k - 1, required: k })]);
    // Fixed levels spend nothing on a search: ε_anon = ε, a smaller k.
    const fixedK = dpParameters(2, 0.5).k;
    expect(checkDifferentialPrivacy(table, { qi: ['zip'], epsilon: 2, delta: 0.5, fixedLevels: true }).ok).toBe(fixedK <= k - 1);
  });
});

describe('arbitraryDataset with the population models', () => {
  it('adds a subset column holding the first record, and counts a population covering the table', () => {
    fc.assert(
      fc.property(arbitraryDataset({ models: ['delta-presence', 'k-map'], rows: { min: 1, max: 20 } }), ({ table, policy }) => {
        if (policy.models.some((model) => model.type === 'delta-presence')) {
          expect(table[0][SUBSET_COLUMN]).toBe('true');
          expect(policy.attributes[SUBSET_COLUMN]).toEqual({ role: 'insensitive' });
        }
        const kMap = policy.models.find((model) => model.type === 'k-map');
        if (kMap?.type === 'k-map' && kMap.estimator === undefined) {
          const qi = Object.keys(policy.attributes).filter((name) => policy.attributes[name].role === 'quasi-identifying');
          const population = policy.risk!.populationTable as Record<string, string | number>[];
          for (const record of table) {
            const row = population.find((candidate) => qi.every((name) => candidate[name] === record[name]))!;
            expect(Number(row.count)).toBeGreaterThanOrEqual(table.filter((other) => qi.every((name) => other[name] === record[name])).length);
          }
        } else if (kMap?.type === 'k-map') expect(kMap.populationSize).toBeGreaterThanOrEqual(table.length);
      }),
      { numRuns: 200 },
    );
  });
});
