// Tests of the t-closeness checker of cloak/testing: hand-computed equal, ordered and hierarchical distances,
// plus fast-check comparisons of the fast ordered and hierarchical distances with direct textbook evaluations.

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { checkTCloseness, type ClassFailure, type Verdict } from '../../src/testing/index.js';

function table(classes: string[][]): Record<string, string>[] {
  return classes.flatMap((values, index) => values.map((value) => ({ zip: `z${index}`, value })));
}

function measures(verdict: Verdict): number[] {
  if (verdict.ok) throw new Error('expected a failure');
  return verdict.failures.map((failure) => (failure as ClassFailure).measure);
}

describe('equal distance', () => {
  // p = (a ½, b ¼, c ¼). Class 0 q = (1, 0, 0): ½(½ + ¼ + ¼) = ½. Class 1 q = (0, ½, ½): ½(½ + ¼ + ¼) = ½.
  const data = table([['a', 'a', 'a', 'a'], ['b', 'b', 'c', 'c']]);

  it('passes at t = ½ and fails both classes by 0.1 at t = 0.4', () => {
    expect(checkTCloseness(data, { qi: ['zip'], sensitive: 'value', t: 0.5, distance: 'equal' })).toMatchObject({
      ok: true,
      check: '0.5-closeness (value, equal distance)',
      stats: { worst: 0.5 },
    });
    const verdict = checkTCloseness(data, { qi: ['zip'], sensitive: 'value', t: 0.4, distance: 'equal' });
    expect(measures(verdict)).toEqual([0.5, 0.5]);
    if (verdict.ok) return;
    expect((verdict.failures[1] as ClassFailure).margin).toBeCloseTo(0.1, 12);
    expect(verdict.failures[1].message).toBe('class #1 (4 records): equal distance of "value" to the reference is 0.5 > t = 0.4 (by 0.1).');
  });

  it('measures against a given reference table', () => {
    // The output keeps only class 0; against the original it is still ½ away.
    const output = data.slice(0, 4);
    expect(measures(checkTCloseness(output, { qi: ['zip'], sensitive: 'value', t: 0.1, distance: 'equal', reference: data }))).toEqual([0.5]);
    expect(checkTCloseness(output, { qi: ['zip'], sensitive: 'value', t: 0, distance: 'equal' }).ok).toBe(true);
  });
});

describe('ordered distance', () => {
  // Li, Li & Venkatasubramanian's salary example: 3k … 11k once each; {3,4,5} is 0.375 away, {6,8,11} 0.1667.
  const salaries = table([['3', '4', '5'], ['6', '8', '11'], ['7', '9', '10']]);

  it('reproduces the textbook distances, sorting numerically', () => {
    const verdict = checkTCloseness(salaries, { qi: ['zip'], sensitive: 'value', t: 0.1, distance: 'ordered' });
    const [first, second] = measures(verdict);
    expect(first).toBeCloseTo(0.375, 12);
    expect(second).toBeCloseTo(1 / 6, 12);
  });

  it('follows an explicit order, and needs it to cover every value', () => {
    // By code point the order is high < low < mid; the given order low < mid < high changes the distance.
    const levels = table([['low', 'low'], ['mid', 'high']]);
    const byCodePoint = checkTCloseness(levels, { qi: ['zip'], sensitive: 'value', t: 0, distance: 'ordered' });
    const byOrder = checkTCloseness(levels, { qi: ['zip'], sensitive: 'value', t: 0, distance: 'ordered', order: ['low', 'mid', 'high'] });
    // p = (low ½, mid ¼, high ¼). Given order, class 0: cumulative q − p = (½, ¼, 0) → ¾ / 2 = 0.375.
    expect(measures(byOrder)[0]).toBeCloseTo(0.375, 12);
    // Code-point order high, low, mid: class 0 cumulative q − p = (−¼, ¼, 0) → ½ / 2 = 0.25.
    expect(measures(byCodePoint)[0]).toBeCloseTo(0.25, 12);
    expect(() => checkTCloseness(levels, { qi: ['zip'], sensitive: 'value', t: 0, distance: 'ordered', order: ['low'] })).toThrow(
      /misses 2 of its values/,
    );
  });
});

describe('hierarchical distance', () => {
  // Leaves a, b under g1 and c, d under g2, root *; H = 2; p uniform ¼.
  const hierarchy = [
    ['a', 'g1', '*'],
    ['b', 'g1', '*'],
    ['c', 'g2', '*'],
    ['d', 'g2', '*'],
  ];

  it('pays at the root for mass moved between subtrees', () => {
    // {a, b}: g1 has only negative mass (−½), g2 only positive (½); the root pays (2/2)·½ = ½.
    const verdict = checkTCloseness(table([['a', 'b'], ['c', 'd']]), { qi: ['zip'], sensitive: 'value', t: 0.4, distance: 'hierarchical', hierarchy });
    expect(measures(verdict)).toEqual([0.5, 0.5]);
  });

  it('pays at level 1 for mass moved within a subtree', () => {
    // {a, c}: g1 pays (1/2)·min(¼, ¼) = ⅛ and nets 0, likewise g2; total ¼.
    const verdict = checkTCloseness(table([['a', 'c'], ['b', 'd']]), { qi: ['zip'], sensitive: 'value', t: 0.2, distance: 'hierarchical', hierarchy });
    expect(measures(verdict)).toEqual([0.25, 0.25]);
  });

  it('joins several top labels under a virtual root at distance 1', () => {
    // No `*` column: g1 and g2 are tops, H = 1. {a, b}: g1 nets −½ without pairing, so ½ crosses the virtual root.
    // {a, c}: g1 pays (1/1)·min(¼, ¼) = ¼ and nets 0, likewise g2; nothing crosses the root; total ½.
    const twoTops = hierarchy.map((row) => row.slice(0, 2));
    const options = { qi: ['zip'], sensitive: 'value', t: 0.4, distance: 'hierarchical', hierarchy: twoTops } as const;
    expect(measures(checkTCloseness(table([['a', 'b'], ['c', 'd']]), options))).toEqual([0.5, 0.5]);
    expect(measures(checkTCloseness(table([['a', 'c'], ['b', 'd']]), options))).toEqual([0.5, 0.5]);
    expect(checkTCloseness(table([['a', 'b'], ['c', 'd']]), { ...options, t: 0.5 }).ok).toBe(true);
  });

  it('rejects a hierarchy that misses a value or is not nested', () => {
    const data = table([['a', 'e']]);
    expect(() => checkTCloseness(data, { qi: ['zip'], sensitive: 'value', t: 1, distance: 'hierarchical', hierarchy })).toThrow(/no hierarchy row/);
    const broken = [...hierarchy, ['e', 'g1', 'top']];
    expect(() => checkTCloseness(data, { qi: ['zip'], sensitive: 'value', t: 1, distance: 'hierarchical', hierarchy: broken })).toThrow(
      /not nested/,
    );
  });
});

/** Direct evaluation of Σ_i |Σ_{j≤i} (q_j − p_j)| / (m − 1) over every value, for comparison. */
function naiveOrdered(reference: string[], members: string[]): number {
  const domain = [...new Set(reference)].sort((x, y) => Number(x) - Number(y));
  if (domain.length < 2) return 0;
  let cumulative = 0;
  let sum = 0;
  for (const value of domain) {
    cumulative += members.filter((v) => v === value).length / members.length - reference.filter((v) => v === value).length / reference.length;
    sum += Math.abs(cumulative);
  }
  return sum / (domain.length - 1);
}

/** Direct evaluation of the hierarchical EMD, walking the whole tree bottom-up. */
function naiveHierarchical(reference: string[], members: string[], rows: string[][]): number {
  const height = rows[0].length - 1;
  let extra = new Map<string, number>();
  for (const row of rows) {
    const share = (list: string[]): number => list.filter((v) => v === row[0]).length / list.length;
    extra.set(row[0], share(reference) - share(members));
  }
  let cost = 0;
  for (let level = 1; level <= height; level++) {
    const parentOf = new Map(rows.map((row) => [row[level - 1], row[level]]));
    const positive = new Map<string, number>();
    const negative = new Map<string, number>();
    for (const [child, parent] of parentOf) {
      const mass = extra.get(child) ?? 0;
      positive.set(parent, (positive.get(parent) ?? 0) + Math.max(mass, 0));
      negative.set(parent, (negative.get(parent) ?? 0) + Math.min(mass, 0));
    }
    const next = new Map<string, number>();
    for (const [label, pos] of positive) {
      const neg = negative.get(label)!;
      cost += (level / height) * Math.min(pos, -neg);
      next.set(label, pos + neg);
    }
    extra = next;
  }
  return cost;
}

describe('fast distances agree with direct evaluation', () => {
  const classes = fc.array(fc.array(fc.integer({ min: 0, max: 7 }).map(String), { minLength: 1, maxLength: 6 }), { minLength: 1, maxLength: 5 });

  it('ordered', () => {
    fc.assert(
      fc.property(classes, (values) => {
        const data = table(values);
        const verdict = checkTCloseness(data, { qi: ['zip'], sensitive: 'value', t: 0, distance: 'ordered', maxFailures: 100 });
        const reference = values.flat();
        const got = verdict.ok ? values.map(() => 0) : measuresByClass(verdict, values.length);
        values.forEach((members, index) => expect(got[index]).toBeCloseTo(naiveOrdered(reference, members), 10));
      }),
    );
  });

  it('hierarchical, and equal to the equal distance for a one-level hierarchy', () => {
    const hierarchy = Array.from({ length: 8 }, (_, v) => [String(v), `h${v >> 1}`, `q${v >> 2}`, '*']);
    const flat = Array.from({ length: 8 }, (_, v) => [String(v), '*']);
    fc.assert(
      fc.property(classes, (values) => {
        const data = table(values);
        const options = { qi: ['zip'], sensitive: 'value', t: 0, maxFailures: 100 } as const;
        const deep = measuresByClass(checkTCloseness(data, { ...options, distance: 'hierarchical', hierarchy }), values.length);
        const shallow = measuresByClass(checkTCloseness(data, { ...options, distance: 'hierarchical', hierarchy: flat }), values.length);
        const equal = measuresByClass(checkTCloseness(data, { ...options, distance: 'equal' }), values.length);
        const reference = values.flat();
        values.forEach((members, index) => {
          expect(deep[index]).toBeCloseTo(naiveHierarchical(reference, members, hierarchy), 10);
          expect(shallow[index]).toBeCloseTo(equal[index], 10);
        });
      }),
    );
  });
});

/** Each class's distance (0 for passing classes at t = 0). */
function measuresByClass(verdict: Verdict, classCount: number): number[] {
  const result = new Array<number>(classCount).fill(0);
  if (!verdict.ok) for (const failure of verdict.failures) result[(failure as ClassFailure).classIndex] = (failure as ClassFailure).measure;
  return result;
}
