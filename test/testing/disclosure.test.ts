// Tests of the δ-disclosure and β-likeness checkers of cloak/testing on hand-computed tables.
// Includes the exact bounds (strict for δ, non-strict for β) and the hiding of sensitive values.

import { describe, expect, it } from 'vitest';
import { assertBetaLike, assertDeltaDisclosure, checkBetaLikeness, checkDeltaDisclosure, type ClassFailure, type Verdict } from '../../src/testing/index.js';

function table(classes: string[][]): Record<string, string>[] {
  return classes.flatMap((values, index) => values.map((value) => ({ zip: `z${index}`, value })));
}

function failures(verdict: Verdict): ClassFailure[] {
  if (verdict.ok) throw new Error('expected a failure');
  return verdict.failures as ClassFailure[];
}

// p = (a ½, b ½). Class 0 q = (a ¾, b ¼): log₂(¾/½) ≈ 0.585, log₂(¼/½) = −1. Class 1 mirrors it.
const data = table([['a', 'a', 'a', 'b'], ['b', 'b', 'b', 'a']]);

describe('checkDeltaDisclosure', () => {
  it('is strict: |log₂(q/p)| = 1 fails δ = 1 with margin 0 and passes δ = 1.01', () => {
    const found = failures(checkDeltaDisclosure(data, { qi: ['zip'], sensitive: 'value', delta: 1 }));
    expect(found.map((f) => [f.classIndex, f.measure, f.margin])).toEqual([
      [0, 1, 0],
      [1, 1, 0],
    ]);
    expect(found[0].message).toBe('class #0 (4 records): a value of "value" has |log₂(q/p)| = 1, not < δ = 1.');
    expect(checkDeltaDisclosure(data, { qi: ['zip'], sensitive: 'value', delta: 1.01 })).toMatchObject({
      ok: true,
      check: '1.01-disclosure privacy (value)',
      stats: { worst: 1 },
    });
  });

  it('quotes the value only with showValues, and fails values absent from the reference', () => {
    const shown = failures(checkDeltaDisclosure(data, { qi: ['zip'], sensitive: 'value', delta: 1, showValues: true }));
    expect(shown[0].message).toContain('value "b" of "value"');
    const output = table([['a', 'c']]);
    const absent = failures(checkDeltaDisclosure(output, { qi: ['zip'], sensitive: 'value', delta: 5, reference: data }));
    expect(absent[0].measure).toBe(Infinity);
    expect(() => assertDeltaDisclosure(output, { qi: ['zip'], sensitive: 'value', delta: 5, reference: data })).toThrow(/1 failure/);
  });
});

describe('checkBetaLikeness', () => {
  it('basic: (q − p)/p ≤ β, non-strict', () => {
    // Class 0: a gains (¾ − ½)/½ = ½.
    expect(checkBetaLikeness(data, { qi: ['zip'], sensitive: 'value', beta: 0.5 })).toMatchObject({ ok: true, stats: { worst: 0.5 } });
    const found = failures(checkBetaLikeness(data, { qi: ['zip'], sensitive: 'value', beta: 0.4 }));
    expect(found[0]).toMatchObject({ classIndex: 0, measure: 0.5, required: 0.4 });
    expect(found[0].margin).toBeCloseTo(0.1, 12);
    expect(found[0].message).toBe('class #0 (4 records): a value of "value" has (q − p)/p = 0.5 > 0.4 = β.');
  });

  it('enhanced: the bound is min(β, −ln p)', () => {
    // p(a) = 0.1 over ten rows; class 0 holds a, a, b, b: gain (½ − 0.1)/0.1 = 4 for a; −ln 0.1 ≈ 2.303.
    const reference = table([['a', 'b', 'b', 'b', 'b', 'b', 'b', 'b', 'b', 'b']]);
    const output = table([['a', 'b', 'b', 'b', 'b', 'b', 'b', 'b', 'b', 'b'], ['a', 'b']]).slice(10);
    const options = { qi: ['zip'], sensitive: 'value', beta: 5, reference } as const;
    expect(checkBetaLikeness(output, options).ok).toBe(true);
    const found = failures(checkBetaLikeness(output, { ...options, enhanced: true }));
    expect(found[0].measure).toBeCloseTo(4, 12);
    expect(found[0].required).toBeCloseTo(-Math.log(0.1), 12);
    expect(found[0].message).toContain('= min(β, −ln p)');
    expect(() => assertBetaLike(output, { ...options, enhanced: true })).toThrow(/enhanced 5-likeness/);
  });
});
