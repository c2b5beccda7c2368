// Tests of aggregated tables in cloak/testing (ColumnarTable.weights): a table of distinct rows with record counts
// must get the verdicts of the table it stands for, and the ordered distance's rule for values the reference lacks.

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { arbitraryDataset, checkGeneralizes, checkModels, checkSuppressionWithin, checkTCloseness, type ColumnarTable, type PolicyVerdict } from '../../src/testing/index.js';

/** Groups identical records of the chosen columns into rows with weights. */
function aggregate(table: readonly Record<string, string>[], columns: readonly string[]): ColumnarTable {
  const counts = new Map<string, number>();
  for (const record of table) {
    const key = JSON.stringify(columns.map((name) => record[name]));
    counts.set(key, (counts.get(key) ?? 0) + 1);
  }
  const rows = [...counts.keys()].map((key) => JSON.parse(key) as string[]);
  return {
    rowCount: rows.length,
    columns: Object.fromEntries(columns.map((name, c) => [name, rows.map((row) => row[c])])),
    weights: [...counts.values()],
  };
}

/** What a verdict says, part by part: pass or fail, how many failures, and the worst measure. */
function summary(verdict: PolicyVerdict) {
  return verdict.verdicts.map((part) => ({ check: part.check, ok: part.ok, failures: part.ok ? 0 : part.failureCount, worst: part.stats.worst, records: part.stats.rowCount, suppressed: part.stats.suppressedCount }));
}

describe('aggregated tables (weights)', () => {
  it('get exactly the verdicts of the records they stand for, for every model', () => {
    fc.assert(
      fc.property(arbitraryDataset({ rows: { min: 1, max: 40 } }), fc.array(fc.boolean(), { minLength: 4, maxLength: 4 }), ({ table, policy, hierarchies }, starred) => {
        // Coarsen some quasi-identifiers to * so that classes of every size occur, some passing, some not.
        const qi = Object.keys(policy.attributes).filter((name) => policy.attributes[name].role === 'quasi-identifying');
        const output = table.map((record) => ({ ...record, ...Object.fromEntries(qi.filter((_, q) => starred[q % 4]).map((name) => [name, '*'])) }));
        const columns = Object.keys(table[0]);
        const options = { hierarchies, suppressedRows: 'infer' as const };
        // δ-presence counts against a population: the original, as records and aggregated.
        const expanded = summary(checkModels(output, policy, { ...options, reference: table, population: table }));
        const aggregated = summary(checkModels(aggregate(output, columns), policy, { ...options, reference: aggregate(table, columns), population: aggregate(table, columns) }));
        expect(aggregated.map(({ worst, ...rest }) => rest)).toEqual(expanded.map(({ worst, ...rest }) => rest));
        aggregated.forEach((part, i) => {
          if (typeof part.worst === 'number' && Number.isFinite(part.worst)) expect(part.worst).toBeCloseTo(expanded[i].worst as number, 9);
          else expect(part.worst).toBe(expanded[i].worst);
        });
      }),
      { numRuns: 300, seed: 17 },
    );
  });

  it('count records in the suppression budget, and cannot be matched row by row', () => {
    const original = { rowCount: 2, columns: { zip: ['a', 'b'] }, weights: [8, 2] };
    const output = { rowCount: 2, columns: { zip: ['a', '*'] }, weights: [8, 2] };
    expect(checkSuppressionWithin(original, output, { qi: ['zip'], limit: 0.2 }).ok).toBe(true);
    const verdict = checkSuppressionWithin(original, output, { qi: ['zip'], limit: 0.1 });
    expect(verdict.stats).toMatchObject({ rowCount: 10, suppressedCount: 2, allowedSuppressed: 1 });
    expect(() => checkGeneralizes(original, output, { qi: ['zip'], hierarchies: { zip: [['a', '*'], ['b', '*']] } })).toThrow(expect.objectContaining({ code: 'TESTING_AGGREGATED_TABLE' }));
    expect(() => checkSuppressionWithin(original, { ...output, weights: [8, 0] }, { qi: ['zip'], limit: 1 })).toThrow(expect.objectContaining({ code: 'TESTING_BAD_WEIGHT' }));
  });
});

describe('ordered distance against a reference that lacks a value', () => {
  it('places the value at the nearest reference value below it (the first below them all)', () => {
    const reference = ['10', '20', '30', '40'].map((income) => ({ income }));
    const measure = (incomes: string[]) => {
      const verdict = checkTCloseness(incomes.map((income) => ({ zip: 'a', income })), { qi: ['zip'], sensitive: 'income', t: 0, distance: 'ordered', reference });
      return verdict.ok ? 0 : verdict.stats.worst;
    };
    // {20, 40} against uniform p over 4 positions: |−¼| + |¼ − ½ + ½ − … |: cumulative differences −¼, ¼, 0 → ½ / 3.
    expect(measure(['20', '40'])).toBeCloseTo(1 / 6, 12);
    expect(measure(['25', '45'])).toBeCloseTo(1 / 6, 12);
    expect(measure(['5', '10'])).toBeCloseTo(measure(['10', '10']), 12);
  });
});
