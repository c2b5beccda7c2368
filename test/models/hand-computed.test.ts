// Hand-computed small tables for every model, with the boundary cases of each definition.
// Input of the main table: codes a, b, c, d with 4, 2, 1, 1 records (p = ½, ¼, ⅛, ⅛).

import { describe, expect, it } from 'vitest';
import { createModel } from '../../src/models/index.js';
import type { ModelSpec } from '../../src/options.js';
import { classesOf, contextOf, hierarchyOf } from './fixtures.js';

const GLOBAL = [4, 2, 1, 1];
const DICTIONARY = ['a', 'b', 'c', 'd'];
const TREE_ROWS = [
  ['a', 'ab', '*'],
  ['b', 'ab', '*'],
  ['c', 'cd', '*'],
  ['d', 'cd', '*'],
];
const context = contextOf(GLOBAL, { dictionary: DICTIONARY, hierarchy: hierarchyOf(DICTIONARY, TREE_ROWS) });

/** Class 0: a, b once each. Class 1: c alone. Class 2: a ×2, b, c. Class 3: every value in input proportion. */
const classes = classesOf([
  [
    [0, 1],
    [1, 1],
  ],
  [[2, 1]],
  [
    [0, 2],
    [1, 1],
    [2, 1],
  ],
  [
    [0, 4],
    [1, 2],
    [2, 1],
    [3, 1],
  ],
]);

function evaluate(spec: ModelSpec, c: number): { valid: boolean; measure: number } {
  const model = createModel(spec, context);
  return { valid: model.isClassValid(classes, c), measure: model.classMeasure(classes, c) };
}

const attribute = 'diagnosis';

describe('distinct l-diversity', () => {
  it('counts distinct values, passing at equality', () => {
    expect(evaluate({ type: 'distinct-l-diversity', attribute, l: 2 }, 0)).toEqual({ valid: true, measure: 2 });
    expect(evaluate({ type: 'distinct-l-diversity', attribute, l: 3 }, 0)).toEqual({ valid: false, measure: 2 });
    expect(evaluate({ type: 'distinct-l-diversity', attribute, l: 1 }, 1)).toEqual({ valid: true, measure: 1 });
  });
});

describe('entropy l-diversity', () => {
  it('passes at ln l exactly and reports the effective l', () => {
    const atTwo = evaluate({ type: 'entropy-l-diversity', attribute, l: 2 }, 0);
    expect(atTwo.valid).toBe(true);
    expect(atTwo.measure).toBeCloseTo(2, 12);
    expect(evaluate({ type: 'entropy-l-diversity', attribute, l: 2.0001 }, 0).valid).toBe(false);
  });

  it('needs ceil(l) distinct values and entropy ln l', () => {
    // Class 2: q = ½, ¼, ¼: H = 1.5 ln 2 ≈ 1.0397, effective l = 2^1.5 ≈ 2.83.
    const spec = { type: 'entropy-l-diversity', attribute, l: 2.8 } as const;
    expect(evaluate(spec, 2).valid).toBe(true);
    expect(evaluate(spec, 2).measure).toBeCloseTo(2 ** 1.5, 12);
    expect(evaluate({ ...spec, l: 2.9 }, 2).valid).toBe(false);
    expect(createModel({ ...spec, l: 2.5 }, context).minClassSize).toBe(3);
  });

  it('lets a single-valued class pass only l = 1', () => {
    expect(evaluate({ type: 'entropy-l-diversity', attribute, l: 1 }, 1)).toEqual({ valid: true, measure: 1 });
    expect(evaluate({ type: 'entropy-l-diversity', attribute, l: 1.5 }, 1).valid).toBe(false);
    // Six records of one value: ln 6 − 6·ln 6 / 6 rounds to −2.2e-16, which must not fail l = 1.
    const sixOfOne = classesOf([[[0, 6]]]);
    expect(createModel({ type: 'entropy-l-diversity', attribute, l: 1 }, context).isClassValid(sixOfOne, 0)).toBe(true);
  });

  it('Grassberger: G(N) − Σ n G(n)/N, with G₁ = −γ − ln 2 and G_{2k} = G_{2k−1} + 2/(2k−1)', () => {
    // Class 0 (counts 1, 1): H = G₂ − G₁ = 2, so exp(H) ≈ 7.39 is capped by the 2 distinct values.
    const spec = { type: 'entropy-l-diversity', attribute, l: 2, estimator: 'grassberger' } as const;
    expect(evaluate(spec, 0)).toEqual({ valid: true, measure: 2 });
    // Counts 2, 2 (class 0 merged with a copy of itself): H = G₄ − G₂ = 2/3 < ln 2, although Shannon gives
    // exactly ln 2 — so Grassberger's variant is not monotone, and says so.
    const twoByTwo = classesOf([
      [
        [0, 2],
        [1, 2],
      ],
    ]);
    const grassberger = createModel(spec, context);
    expect(grassberger.isClassValid(twoByTwo, 0)).toBe(false);
    expect(grassberger.classMeasure(twoByTwo, 0)).toBeCloseTo(Math.exp(2 / 3), 12);
    expect(createModel({ ...spec, estimator: 'shannon' }, context).isClassValid(twoByTwo, 0)).toBe(true);
    expect(grassberger.monotoneWithoutSuppression).toBe(false);
  });
});

describe('recursive (c,l)-diversity', () => {
  it('requires r₁ < c·(r_l + … + r_m), strictly', () => {
    // Class 0: counts 1, 1; l = 2: r₁ = 1, tail = 1.
    expect(evaluate({ type: 'recursive-cl-diversity', attribute, c: 1, l: 2 }, 0)).toEqual({ valid: false, measure: 1 });
    expect(evaluate({ type: 'recursive-cl-diversity', attribute, c: 1.5, l: 2 }, 0).valid).toBe(true);
    // Class 2: counts 2, 1, 1; l = 2: tail = 2, ratio 1; l = 3: tail = 1, ratio 2.
    expect(evaluate({ type: 'recursive-cl-diversity', attribute, c: 2, l: 3 }, 2)).toEqual({ valid: false, measure: 2 });
    expect(evaluate({ type: 'recursive-cl-diversity', attribute, c: 2.01, l: 3 }, 2).valid).toBe(true);
  });

  it('fails with fewer than l values, measure Infinity', () => {
    expect(evaluate({ type: 'recursive-cl-diversity', attribute, c: 100, l: 2 }, 1)).toEqual({ valid: false, measure: Infinity });
  });
});

describe('t-closeness, equal distance', () => {
  it('is half the L1 distance, passing at equality', () => {
    // Class 0: ½(0 + ¼ + ⅛ + ⅛) = ¼, with c and d absent.
    expect(evaluate({ type: 't-closeness', attribute, t: 0.25, distance: 'equal' }, 0)).toEqual({ valid: true, measure: 0.25 });
    expect(evaluate({ type: 't-closeness', attribute, t: 0.2499, distance: 'equal' }, 0).valid).toBe(false);
    // Class 1: ½(½ + ¼ + ⅞ + ⅛) = ⅞.
    expect(evaluate({ type: 't-closeness', attribute, t: 0.875, distance: 'equal' }, 1)).toEqual({ valid: true, measure: 0.875 });
    expect(evaluate({ type: 't-closeness', attribute, t: 0, distance: 'equal' }, 3)).toEqual({ valid: true, measure: 0 });
  });
});

describe('t-closeness, ordered distance', () => {
  it('sums the absolute cumulative differences over m − 1', () => {
    // Class 0: cumulative q − p = 0, ¼, ⅛, 0 → ⅜ / 3 = ⅛.
    expect(evaluate({ type: 't-closeness', attribute, t: 0.125, distance: 'ordered' }, 0)).toEqual({ valid: true, measure: 0.125 });
    expect(evaluate({ type: 't-closeness', attribute, t: 0.1249, distance: 'ordered' }, 0).valid).toBe(false);
    // Class 1 (c alone): −½, −¾, ⅛, 0 → 11/8 / 3.
    expect(evaluate({ type: 't-closeness', attribute, t: 0.5, distance: 'ordered' }, 1).measure).toBeCloseTo(11 / 24, 15);
  });

  it('orders integers numerically, not as text', () => {
    // Dictionary order 10, 9, 100; numeric order 9, 10, 100. Input 1 each; class holds only 100.
    const numeric = contextOf([1, 1, 1], { type: 'integer', dictionary: ['10', '9', '100'] });
    const model = createModel({ type: 't-closeness', attribute, t: 1, distance: 'ordered' }, numeric);
    // Numeric order: cumulative −⅓, −⅔, 0 → 1 / 2 = ½. Text order (10, 100, 9) would give −⅓, ⅓, 0 → ⅓.
    expect(model.classMeasure(classesOf([[[2, 1]]]), 0)).toBeCloseTo(0.5, 15);
  });
});

describe('t-closeness, hierarchical distance', () => {
  it('pays λ/H per unit moved through a node at level λ', () => {
    // Class 0: leaf surpluses 0, −¼, ⅛, ⅛: nothing matches below the root, ¼ crosses it at cost 1.
    expect(evaluate({ type: 't-closeness', attribute, t: 0.25, distance: 'hierarchical' }, 0)).toEqual({ valid: true, measure: 0.25 });
    expect(evaluate({ type: 't-closeness', attribute, t: 0.2499, distance: 'hierarchical' }, 0).valid).toBe(false);
    // Class 2: surpluses 0, 0, −⅛, ⅛: ⅛ moves inside "cd" at cost ½.
    expect(evaluate({ type: 't-closeness', attribute, t: 0.0625, distance: 'hierarchical' }, 2)).toEqual({ valid: true, measure: 0.0625 });
    expect(evaluate({ type: 't-closeness', attribute, t: 0, distance: 'hierarchical' }, 3)).toEqual({ valid: true, measure: 0 });
  });

  it('joins several top-level labels at distance 1', () => {
    const forest = hierarchyOf(DICTIONARY, [
      ['a', 'x'],
      ['b', 'x'],
      ['c', 'y'],
      ['d', 'y'],
    ]);
    const model = createModel({ type: 't-closeness', attribute, t: 1, distance: 'hierarchical' }, contextOf(GLOBAL, { dictionary: DICTIONARY, hierarchy: forest }));
    // Class 2: ⅛ matched inside y at cost 1 (H = 1); class 0: ¼ leaves x for y through the virtual root.
    expect(model.classMeasure(classes, 2)).toBe(0.125);
    expect(model.classMeasure(classes, 0)).toBe(0.25);
  });

  it('is a usage error without a hierarchy', () => {
    expect(() => createModel({ type: 't-closeness', attribute, t: 0.2, distance: 'hierarchical' }, contextOf(GLOBAL))).toThrow(
      expect.objectContaining({ code: 'MODEL_HIERARCHY_REQUIRED', exitCode: 2 }),
    );
  });
});

describe('δ-disclosure privacy', () => {
  it('is strict: |log₂(q/p)| equal to δ fails', () => {
    // Class 0: a: q/p = 1, b: q/p = 2 → 1; c and d are absent and unconstrained.
    expect(evaluate({ type: 'delta-disclosure', attribute, delta: 1 }, 0)).toEqual({ valid: false, measure: 1 });
    expect(evaluate({ type: 'delta-disclosure', attribute, delta: 1.0001 }, 0).valid).toBe(true);
    // Class 1: c: q/p = 8 → 3.
    expect(evaluate({ type: 'delta-disclosure', attribute, delta: 3 }, 1)).toEqual({ valid: false, measure: 3 });
    // Class 2: a: 1, b: 1, c: 2 → 1; a ratio below 1 counts by its absolute log.
    const under = classesOf([
      [
        [0, 1],
        [2, 3],
      ],
    ]);
    // a: q = ¼, p = ½ → |log₂ ½| = 1; c: q = ¾, p = ⅛ → log₂ 6.
    expect(createModel({ type: 'delta-disclosure', attribute, delta: 3 }, context).classMeasure(under, 0)).toBeCloseTo(Math.log2(6), 15);
  });
});

describe('β-likeness', () => {
  it('basic: relative gain at most β, passing at equality', () => {
    // Class 0: a gains 0, b gains (½ − ¼)/¼ = 1.
    expect(evaluate({ type: 'beta-likeness', attribute, beta: 1 }, 0)).toEqual({ valid: true, measure: 1 });
    expect(evaluate({ type: 'beta-likeness', attribute, beta: 0.999 }, 0).valid).toBe(false);
    // Class 1: c gains (1 − ⅛)/⅛ = 7.
    expect(evaluate({ type: 'beta-likeness', attribute, beta: 7 }, 1)).toEqual({ valid: true, measure: 7 });
  });

  it('enhanced: the bound is min(β, −ln p)', () => {
    // Class 0: b's bound is min(1, ln 4) = 1.
    expect(evaluate({ type: 'beta-likeness', attribute, beta: 1, enhanced: true }, 0)).toEqual({ valid: true, measure: 1 });
    // Class 1: c gains 7 > −ln ⅛ = ln 8: fails for every β, measure Infinity.
    expect(evaluate({ type: 'beta-likeness', attribute, beta: 100, enhanced: true }, 1)).toEqual({ valid: false, measure: Infinity });
    expect(evaluate({ type: 'beta-likeness', attribute, beta: 100 }, 1).valid).toBe(true);
  });
});

describe('a sensitive attribute with one distinct value', () => {
  const single = contextOf([5]);
  const whole = classesOf([[[0, 3]]]);
  const cases: [ModelSpec, boolean, number][] = [
    [{ type: 'distinct-l-diversity', attribute, l: 2 }, false, 1],
    [{ type: 'entropy-l-diversity', attribute, l: 1 }, true, 1],
    [{ type: 'recursive-cl-diversity', attribute, c: 1, l: 1 }, false, 1],
    [{ type: 't-closeness', attribute, t: 0, distance: 'equal' }, true, 0],
    [{ type: 't-closeness', attribute, t: 0, distance: 'ordered' }, true, 0],
    [{ type: 'delta-disclosure', attribute, delta: 0.001 }, true, 0],
    [{ type: 'beta-likeness', attribute, beta: 0.001 }, true, 0],
    [{ type: 'beta-likeness', attribute, beta: 0.001, enhanced: true }, true, 0],
  ];
  it.each(cases)('%o → valid %s, measure %s', (spec, valid, measure) => {
    const model = createModel(spec, single);
    expect(model.isClassValid(whole, 0)).toBe(valid);
    expect(model.classMeasure(whole, 0)).toBe(measure);
  });
});
