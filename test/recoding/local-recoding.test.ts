// Local recoding on hand-computed cases: which classes the greedy releases first, what it does with the records it
// leaves over (suppress or merge, whichever loses less), and what the report says — through the public API.

import { describe, expect, it } from 'vitest';
import { anonymize, type AnonymizeOptions } from '../../src/index.js';

/** age: |D| = 5 rows; 10-19 covers three of them (12 has no record), 20-29 two. */
const AGE_ROWS = [
  ['10', '10-19', '*'],
  ['11', '10-19', '*'],
  ['12', '10-19', '*'],
  ['20', '20-29', '*'],
  ['21', '20-29', '*'],
];
const AGES = ['10', '10', '11', '20', '20', '21'];

function column(table: Awaited<ReturnType<typeof anonymize>>['table'], name: string): string[] {
  const vector = table.getChild(name)!;
  return Array.from({ length: table.numRows }, (_, row) => String(vector.get(row)));
}

const agePolicy = (suppressionLimit: number): AnonymizeOptions => ({
  attributes: { age: { role: 'quasi-identifying', hierarchy: AGE_ROWS } },
  models: [{ type: 'k-anonymity', k: 2 }],
  suppressionLimit,
  recoding: 'local',
});

describe('local recoding, hand-computed', () => {
  it('releases 10 and 20 as they are, suppresses 11 (cheaper than 10-19 for three records) and merges 21 into 20-29', async () => {
    // Budget ⌊6/3⌋ = 2. The greedy releases {10, 10} and {20, 20} at level 0 (share 1/5 each) and finds nothing for
    // 11 and 21 below * (which would count as suppressed). Leftovers: merging 11 lifts {10, 10} to 10-19,
    // 3 × 3/5 − 2 × 1/5 = 1.4 shares against 1 for suppressing it; merging 21 lifts {20, 20} to 20-29,
    // 3 × 2/5 − 2 × 1/5 = 0.8 against 1.
    const { table, report } = await anonymize(AGES.map((age) => ({ age })), agePolicy(1 / 3));
    expect(column(table, 'age')).toEqual(['10', '10', '*', '20-29', '20-29', '20-29']);
    expect(report.recoding).toBe('local');
    expect(report.suppressed).toBe(1);
    expect(report.classes).toBe(2);
    expect(report.local!.released).toBe('local');
    expect(report.local!.mergedRecords).toBe(1);
    expect(report.local!.levelVectors).toEqual([
      { levels: { age: 1 }, records: 3, classes: 1 },
      { levels: { age: 0 }, records: 2, classes: 1 },
    ]);
    // r = (1/5 + 1/5 + 1 + 3 × 2/5)/6 = 2.6/6; d = 1/5: loss (2.6/6 − 0.2)/0.8 = 7/24. The global optimum, level 0 with
    // 11 and 21 suppressed: (4/5 + 2)/6 = 2.8/6, loss 1/3.
    expect(report.quality.granularityLoss.value).toBeCloseTo(7 / 24, 12);
    expect(report.metric).toEqual({ name: 'granularity', value: report.quality.granularityLoss.value });
    expect(report.local!.globalGranularityLoss).toBeCloseTo(1 / 3, 12);
  });

  it('with no suppression allowed, merges both leftovers: the global optimum (level 1) again, released as local', async () => {
    const { table, report } = await anonymize(AGES.map((age) => ({ age })), agePolicy(0));
    expect(column(table, 'age')).toEqual(['10-19', '10-19', '10-19', '20-29', '20-29', '20-29']);
    expect(report.local!.mergedRecords).toBe(2);
    expect(report.quality.granularityLoss.value).toBeCloseTo(report.local!.globalGranularityLoss!, 12);
    expect(report.local!.released).toBe('local');
  });

  it('generalizes the attribute whose label covers fewer hierarchy rows', async () => {
    // Either x (P covers both of x's rows: share 1) or y (low covers 2 of 4 rows: share 1/2) must go up a level
    // for classes of two; y costs less.
    const records = [
      { x: 'p', y: '1' },
      { x: 'q', y: '1' },
      { x: 'p', y: '2' },
      { x: 'q', y: '2' },
    ];
    const policy: AnonymizeOptions = {
      attributes: {
        x: { role: 'quasi-identifying', hierarchy: [['p', 'P', '*'], ['q', 'P', '*']] },
        y: { role: 'quasi-identifying', hierarchy: [['1', 'low', '*'], ['2', 'low', '*'], ['3', 'high', '*'], ['4', 'high', '*']] },
      },
      models: [{ type: 'k-anonymity', k: 2 }],
      recoding: 'local',
    };
    const { table } = await anonymize(records, policy);
    expect(column(table, 'x')).toEqual(['p', 'q', 'p', 'q']);
    expect(column(table, 'y')).toEqual(['low', 'low', 'low', 'low']);
  });

  it('keeps a class that fails a sensitive model out: its records go where the model holds', async () => {
    // {a, a} would be 2-anonymous, but both have flu: distinct 2-diversity sends them up to A with b's cold.
    const records = [
      { q: 'a', d: 'flu' },
      { q: 'a', d: 'flu' },
      { q: 'b', d: 'cold' },
      { q: 'b', d: 'flu' },
      { q: 'c', d: 'cold' },
      { q: 'c', d: 'flu' },
    ];
    const policy: AnonymizeOptions = {
      attributes: { q: { role: 'quasi-identifying', hierarchy: [['a', 'A', '*'], ['b', 'A', '*'], ['c', 'C', '*']] }, d: { role: 'sensitive' } },
      models: [{ type: 'distinct-l-diversity', attribute: 'd', l: 2 }],
      recoding: 'local',
    };
    const { table, report } = await anonymize(records, policy);
    expect(column(table, 'q')).toEqual(['A', 'A', 'A', 'A', 'c', 'c']);
    expect(report.models[0].worst).toBe(2);
  });

  it('refuses criteria over the whole release, saying why', async () => {
    const policy: AnonymizeOptions = { ...agePolicy(0), models: [{ type: 'average-risk', maxRisk: 0.5 }] };
    await expect(anonymize(AGES.map((age) => ({ age })), policy)).rejects.toMatchObject({
      code: 'INVALID_OPTIONS',
      exitCode: 2,
      message: expect.stringContaining('average-risk is not supported with local recoding: it bounds a figure of the whole release'),
    });
  });
});
