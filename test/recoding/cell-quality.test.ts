// The report's cell-level quality on hand-computed releases, one global and one local: granularity loss, non-uniform
// entropy, discernibility, AECS, suppressed records and cells, and the records per level of each attribute.

import { describe, expect, it } from 'vitest';
import { anonymize, type AnonymizeOptions } from '../../src/index.js';

const AGE_ROWS = [
  ['10', '10-19', '*'],
  ['11', '10-19', '*'],
  ['12', '10-19', '*'],
  ['20', '20-29', '*'],
  ['21', '20-29', '*'],
];
// Every record is F but 11, the one that ends suppressed in both releases below.
const records = ['10', '10', '11', '20', '20', '21'].map((age) => ({ age, sex: age === '11' ? 'M' : 'F' }));
const policy = (recoding: 'global' | 'local', suppressionLimit: number): AnonymizeOptions => ({
  attributes: { age: { role: 'quasi-identifying', hierarchy: AGE_ROWS }, sex: { role: 'quasi-identifying', hierarchy: [['F', '*'], ['M', '*']] } },
  models: [{ type: 'k-anonymity', k: 2 }],
  suppressionLimit,
  recoding,
});
const log2 = Math.log2;

describe('cell-level quality', () => {
  it('of a local release mixing levels: 10, 10, *, 20-29, 20-29, 20-29 (sex kept, F, but for the suppressed record)', async () => {
    const { table, report } = await anonymize(records, policy('local', 1 / 3));
    expect(table.toArray().map((row) => `${row.age}/${row.sex}`)).toEqual(['10/F', '10/F', '*/*', '20-29/F', '20-29/F', '20-29/F']);
    const { quality } = report;
    // age: r = (1/5 + 1/5 + 1 + 3 × 2/5)/6 = 13/30; sex: (5 × 1/2 + 1)/6 = 7/12. d̄ = (1/5 + 1/2)/2 = 0.35.
    const r = [13 / 30, 7 / 12];
    expect(quality.granularityLoss.value).toBeCloseTo(((r[0] + r[1]) / 2 - 0.35) / 0.65, 12);
    expect(quality.granularityLoss.perAttribute.age).toBeCloseTo((13 / 30 - 0.2) / 0.8, 12);
    expect(quality.granularityLoss.perAttribute.sex).toBeCloseTo((7 / 12 - 0.5) / 0.5, 12);
    // age: 10 at level 0 loses nothing; 11 suppressed: log2(6/1); 20 at 20-29 (3 records): log2(3/2) twice; 21: log2(3).
    // sex: the F cells keep their value; the suppressed M (one of six records) loses log2(6/1).
    expect(quality.nonUniformEntropy.perAttribute.age).toBeCloseTo(log2(6) + 2 * log2(3 / 2) + log2(3), 12);
    expect(quality.nonUniformEntropy.perAttribute.sex).toBeCloseTo(log2(6), 12);
    expect(quality.nonUniformEntropy.value).toBeCloseTo(2 * log2(6) + 2 * log2(3 / 2) + log2(3), 12);
    // Classes {10, 10} and {20-29 ×3}, one suppressed record charged n = 6: 4 + 9 + 6.
    expect(quality.discernibility).toBe(19);
    expect(quality.aecs).toBe(6 / 3);
    expect(quality.classes).toBe(2);
    expect(quality.recordsSuppressed).toBe(1);
    expect(quality.cellsSuppressed).toEqual({ total: 2, perAttribute: { age: 1, sex: 1 } });
    expect(quality.levels).toEqual({ age: [{ level: 0, records: 2 }, { level: 1, records: 3 }], sex: [{ level: 0, records: 5 }] });
  });

  it('of the global release of the same policy: age at level 1, 11 suppressed', async () => {
    const { table, report } = await anonymize(records, policy('global', 1 / 3));
    expect(report.transformation).toEqual({ age: 1, sex: 0 });
    expect(table.toArray().map((row) => `${row.age}/${row.sex}`)).toEqual(['10-19/F', '10-19/F', '*/*', '20-29/F', '20-29/F', '20-29/F']);
    const { quality } = report;
    // age: r = (2 × 3/5 + 1 + 3 × 2/5)/6 = 3.4/6.
    expect(quality.granularityLoss.perAttribute.age).toBeCloseTo((3.4 / 6 - 0.2) / 0.8, 12);
    // 10 at 10-19 (3 records hold 10 or 11): log2(3/2) twice; 11 suppressed: log2(6); 20-29 as before.
    expect(quality.nonUniformEntropy.perAttribute.age).toBeCloseTo(4 * log2(3 / 2) + log2(6) + log2(3), 12);
    expect(quality.discernibility).toBe(4 + 9 + 6);
    expect(quality.aecs).toBe(2);
    expect(quality.recordsSuppressed).toBe(1);
    expect(quality.levels).toEqual({ age: [{ level: 1, records: 5 }], sex: [{ level: 0, records: 5 }] });
  });

  it('counts records generalized to * in every attribute as suppressed (the top node), and no class for them', async () => {
    const top = await anonymize(records, { ...policy('global', 0), models: [{ type: 'k-anonymity', k: 6 }] });
    expect(top.report.transformation).toEqual({ age: 2, sex: 1 });
    expect(top.report.suppressed).toBe(0);
    expect(top.report.quality.recordsSuppressed).toBe(6);
    expect(top.report.quality.classes).toBe(0);
    expect(top.report.quality.granularityLoss.value).toBe(1);
    expect(top.report.quality.discernibility).toBe(6 * 6);
    expect(top.report.quality.cellsSuppressed.total).toBe(12);
  });

  it('with no quasi-identifier suppresses nothing and has nothing to recode locally', async () => {
    const { table, report } = await anonymize(
      [{ name: 'ann', x: '1' }, { name: 'bob', x: '2' }],
      { attributes: { name: { role: 'identifying' } }, models: [], recoding: 'local' },
    );
    expect(table.toArray().map((row) => `${row.name}/${row.x}`)).toEqual(['*/1', '*/2']);
    expect(report.recoding).toBe('global');
    expect(report.quality.recordsSuppressed).toBe(0);
    expect(report.quality.cellsSuppressed.total).toBe(0);
    expect(report.quality.granularityLoss.value).toBe(0);
  });
});
