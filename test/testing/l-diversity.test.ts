// Tests of the l-diversity checkers of cloak/testing: distinct, entropy (Shannon, Grassberger) and recursive (c,l).
// Every expected figure below is computed by hand in the comments.

import { describe, expect, it } from 'vitest';
import { assertLDiverse, checkLDiversity, type ClassFailure, type Verdict } from '../../src/testing/index.js';
import { digamma } from '../../src/testing/l-diversity.js';

/** One class per `zip`; `values` lists each class's sensitive values. */
function table(classes: string[][]): Record<string, string>[] {
  return classes.flatMap((values, index) => values.map((disease) => ({ zip: `z${index}`, disease })));
}

function firstFailure(verdict: Verdict): ClassFailure {
  if (verdict.ok) throw new Error('expected a failure');
  return verdict.failures[0] as ClassFailure;
}

const EULER_GAMMA = 0.5772156649015329;

describe('distinct l-diversity', () => {
  const data = table([['a', 'b', 'c'], ['a', 'a', 'b'], ['c', 'c']]);

  it('passes when every class has l distinct values', () => {
    const verdict = checkLDiversity(data.slice(0, 6), { qi: ['zip'], sensitive: 'disease', l: 2, variant: 'distinct' });
    expect(verdict).toMatchObject({ ok: true, check: 'distinct 2-diversity (disease)', stats: { worst: 2 } });
  });

  it('names the class with too few values and by how much', () => {
    const failure = firstFailure(checkLDiversity(data, { qi: ['zip'], sensitive: 'disease', l: 3, variant: 'distinct' }));
    expect(failure).toMatchObject({ classIndex: 1, size: 3, measure: 2, required: 3, margin: 1 });
    expect(failure.message).toBe('class #1 (3 records): 2 distinct values of "disease" < l = 3.');
    expect(() => assertLDiverse(data, { qi: ['zip'], sensitive: 'disease', l: 2, variant: 'distinct' })).toThrow(/class #2/);
  });
});

describe('entropy l-diversity', () => {
  // Counts (2, 1, 1): H = −(½ ln ½ + 2 · ¼ ln ¼) = 1.5 ln 2, so the effective l is e^H = 2√2 ≈ 2.8284.
  const skewed = table([['a', 'a', 'b', 'c']]);

  it('compares −Σ q ln q with ln l', () => {
    expect(checkLDiversity(skewed, { qi: ['zip'], sensitive: 'disease', l: 2.8, variant: 'entropy' }).ok).toBe(true);
    const failure = firstFailure(checkLDiversity(skewed, { qi: ['zip'], sensitive: 'disease', l: 2.9, variant: 'entropy' }));
    expect(failure.measure).toBeCloseTo(2 * Math.SQRT2, 12);
    expect(failure.required).toBe(2.9);
    expect(failure.margin).toBeCloseTo(2.9 - 2 * Math.SQRT2, 12);
  });

  it('accepts a uniform class exactly at the bound thanks to the relative tolerance', () => {
    // Ten values once each: −Σ 0.1 ln 0.1 evaluates to ln 10 − 4.4e-16, below ln 10 without the tolerance.
    const ten = table([Array.from({ length: 10 }, (_, i) => `v${i}`)]);
    expect(checkLDiversity(ten, { qi: ['zip'], sensitive: 'disease', l: 10, variant: 'entropy' }).ok).toBe(true);
    expect(checkLDiversity(table([['a', 'b']]), { qi: ['zip'], sensitive: 'disease', l: 2, variant: 'entropy' }).ok).toBe(true);
  });

  it('requires ceil(l) distinct values', () => {
    const failure = firstFailure(checkLDiversity(table([['a', 'b']]), { qi: ['zip'], sensitive: 'disease', l: 2.5, variant: 'entropy' }));
    expect(failure.measure).toBeCloseTo(2, 12);
    expect(failure.message).toContain('≥ 3 values');
  });

  it('uses the Grassberger estimator when asked', () => {
    // Counts (1, 1): G(1) = ψ(1) − ½(ψ(1) − ψ(½)) = −γ − ln 2 and G(2) = G(1) + 2, so H = G(2) − ½ · 2 · G(1) = 2.
    const verdict = checkLDiversity(table([['a', 'b']]), {
      qi: ['zip'],
      sensitive: 'disease',
      l: 10,
      variant: 'entropy',
      estimator: 'grassberger',
    });
    expect(firstFailure(verdict).measure).toBeCloseTo(Math.exp(2), 10);
    expect(verdict.check).toBe('entropy (Grassberger) 10-diversity (disease)');
  });

  it('computes the digamma function accurately', () => {
    expect(digamma(1)).toBeCloseTo(-EULER_GAMMA, 13);
    expect(digamma(0.5)).toBeCloseTo(-EULER_GAMMA - 2 * Math.LN2, 13);
    expect(digamma(7)).toBeCloseTo(-EULER_GAMMA + 1 + 1 / 2 + 1 / 3 + 1 / 4 + 1 / 5 + 1 / 6, 13);
    expect(digamma(123.25) - digamma(122.25)).toBeCloseTo(1 / 122.25, 13);
  });
});

describe('recursive (c,l)-diversity', () => {
  // Counts sorted descending (3, 2, 1).
  const data = table([['a', 'a', 'a', 'b', 'b', 'c']]);
  const check = (c: number, l: number): Verdict => checkLDiversity(data, { qi: ['zip'], sensitive: 'disease', l, c, variant: 'recursive' });

  it('compares r1 with c times the tail from rank l', () => {
    // l = 2: tail 2 + 1 = 3, so 3 < 2·3 holds and 3 < 1·3 does not (strict).
    expect(check(2, 2)).toMatchObject({ ok: true, check: 'recursive (2, 2)-diversity (disease)', stats: { worst: 1 } });
    expect(firstFailure(check(1, 2))).toMatchObject({ measure: 1, required: 1, margin: 0 });
    // l = 3: tail 1, so 3 < 3.5 holds and 3 < 3 does not.
    expect(check(3.5, 3).ok).toBe(true);
    const failure = firstFailure(check(3, 3));
    expect(failure).toMatchObject({ measure: 3, required: 3 });
    expect(failure.message).toContain('occurs 3 times');
  });

  it('fails classes with fewer than l values', () => {
    const failure = firstFailure(check(10, 4));
    expect(failure.measure).toBe(Infinity);
    expect(failure.message).toContain('3 distinct values of "disease" < l = 4');
  });

  it('needs c', () => {
    expect(() => checkLDiversity(data, { qi: ['zip'], sensitive: 'disease', l: 2, variant: 'recursive' })).toThrow(/needs a finite c/);
  });
});
