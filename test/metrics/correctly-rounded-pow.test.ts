// Checks the double-double pow against values rounded from 50-digit decimal arithmetic, and against Math.pow.
// The vectors are cases where V8's Math.pow is one ulp off, including the factor that shifted an Adult loss score.

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { correctlyRoundedPow } from '../../src/metrics/correctly-rounded-pow.js';

// [x, y, x^y correctly rounded], computed with Python's decimal module at 50 digits.
const VECTORS: [number, number, number][] = [
  [1.3064518268, 1 / 9, 1.0301471532409308],
  [80.33156557178498, -0.20625710487365723, 0.40467248927678573],
  [30.977295471191407, 0.038461538461538464, 1.141163380476064],
  [24.475820494651796, 0.09090909090909091, 1.3373615776122578],
  [1.2346112728118896, 0.16666666666666666, 1.0357502330133872],
  [98.27961785888672, 0.05, 1.2578335457727332],
  [37.99395425415039, 0.14285714285714285, 1.6814095096554944],
  [96.2854729423523, 0.06666666666666667, 1.3559303587626548],
  [1.3885716199874878, -0.6945478916168213, 0.7961217672560698],
  [29.212592674255372, 0.06666666666666667, 1.2522893107016857],
  [78.95083291625977, 0.25, 2.9808435252933223],
  [70.82453830337525, 0.14285714285714285, 1.8378580486871765],
  [17.29059083557129, 0.047619047619047616, 1.145363463996054],
];

describe('correctlyRoundedPow', () => {
  it.each(VECTORS)('%s ^ %s', (x, y, expected) => {
    expect(correctlyRoundedPow(x, y)).toBe(expected);
  });

  it('keeps the special values', () => {
    expect(correctlyRoundedPow(1, 0.3)).toBe(1);
    expect(correctlyRoundedPow(0, 1 / 9)).toBe(0);
    expect(correctlyRoundedPow(2, 0)).toBe(1);
    expect(correctlyRoundedPow(4, 0.5)).toBe(2);
    expect(correctlyRoundedPow(1024, 0.1)).toBe(2);
  });

  it('is within one ulp of Math.pow', () => {
    fc.assert(
      fc.property(fc.double({ min: 1e-3, max: 1e3, noNaN: true }), fc.double({ min: -4, max: 4, noNaN: true }), (x, y) => {
        const expected = Math.pow(x, y);
        expect(Math.abs(correctlyRoundedPow(x, y) - expected)).toBeLessThanOrEqual(2 * Number.EPSILON * expected);
      }),
    );
  });
});
