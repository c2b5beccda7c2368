// Hand-computed scores and bounds of every metric on a six-record table, with and without suppression, per gs factor.
// The arithmetic behind each expected value is spelled out next to it.

import { describe, expect, it } from 'vitest';
import { createMetric } from '../../src/metrics/index.js';
import type { MetricName } from '../../src/options.js';
import { contextFor, encodeFixture, groupAt, suppressSmallerThan, type Fixture } from './fixtures.js';

// age: |D| = 4, h = 2 (20-29 and 30-39 cover two file rows each). sex: |D| = 3 ("Other" is absent from the data), h = 1.
const fixture: Fixture = {
  attributes: ['age', 'sex'],
  records: [
    ['20', 'M'],
    ['20', 'M'],
    ['25', 'F'],
    ['30', 'M'],
    ['30', 'M'],
    ['35', 'F'],
  ],
  hierarchyRows: [
    [
      ['20', '20-29', '*'],
      ['25', '20-29', '*'],
      ['30', '30-39', '*'],
      ['35', '30-39', '*'],
    ],
    [
      ['M', '*'],
      ['F', '*'],
      ['Other', '*'],
    ],
  ],
};
const encoded = encodeFixture(fixture);
// Node [1, 0]: (20-29, M) 2, (20-29, F) 1, (30-39, M) 2, (30-39, F) 1; suppressing size < 2 removes the two F records.
const classes = groupAt(encoded, [1, 0]);
const twoSuppressed = suppressSmallerThan(classes, 2);
const noneSuppressed = new Uint8Array(classes.count);

function metric(name: MetricName, gsFactor = 0.5) {
  return createMetric({ name, gsFactor }, contextFor(encoded));
}
const geometric = (values: number[]): number => values.reduce((product, v) => product * Math.pow(v + 1, 1 / values.length), 1) - 1;

describe('loss', () => {
  // age: shares 2/4; kept 2·½ + 2·½ = 2, min = gF·6/4. sex: shares 1/3; kept 2/3 + 2/3, min = gF·6/3.
  const cases: [number, number, number][] = [
    // gs, L_age, L_sex
    [0.5, 0.5555555555, 0.3333333333], // suppressed cost |E|: age (2+2−1.5)/4.5, sex (4/3+2−2)/4
    [0.25, 0.4444444444, 0.1666666666], // sF = ½: a suppressed cell costs share + ½(1 − share): age (2+1.5−1.5)/4.5, sex (4/3+4/3−2)/4
    [0.75, 0.4285714285, 0.3333333333], // gF = ½: age (1+2−0.75)/5.25, sex (2/3+2−1)/5
    [0, 0.3333333333, 0], // sF = 0: a suppressed cell costs its share only: age (2+1−1.5)/4.5, sex (4/3+2/3−2)/4
    [1, 0.3333333333, 0.3333333333], // gF = 0: only the 2 suppressed records count: 2/6 for both
  ];
  it.each(cases)('gs %s', (gs, age, sex) => {
    const value = metric('loss', gs).score(classes, twoSuppressed);
    expect(Array.from(value.perAttribute!)).toEqual([age, sex]);
    expect(value.value).toBe(geometric([age, sex]));
  });
  it('bounds with nothing suppressed', () => {
    // age: 6·½ = 3 → (3 − 1.5)/4.5; sex: 6/3 = 2 → 0.
    expect(metric('loss').lowerBound(classes)).toBe(geometric([0.3333333333, 0]));
    expect(metric('loss').score(classes, noneSuppressed).value).toBe(metric('loss').lowerBound(classes));
  });
});

describe('precision', () => {
  // U = 4, S = 2, n = 6; age at level 1 of 2 (½), sex at 0 of 1.
  it.each([
    [0.5, 2 / 3, 1 / 3], // age (4·½ + 2)/6, sex 2/6
    [0.25, 0.5, 1 / 6], // sF = ½: age (2 + 1)/6, sex 1/6
    [0.75, 0.5, 1 / 3], // gF = ½: age (4·½·½ + 2)/6, sex 2/6
  ])('gs %s', (gs, age, sex) => {
    const value = metric('precision', gs).score(classes, twoSuppressed);
    expect(value.perAttribute![0]).toBeCloseTo(age, 15);
    expect(value.perAttribute![1]).toBeCloseTo(sex, 15);
    expect(value.value).toBeCloseTo((age + sex) / 2, 15);
  });
  it('bounds with (l/h)·min(gF, sF)', () => {
    expect(metric('precision', 0.25).lowerBound(classes)).toBe(0.125); // (½·½ + 0)/2
    expect(metric('precision', 0.5).lowerBound(classes)).toBe(0.25);
    expect(metric('precision', 0).lowerBound(classes)).toBe(0); // sF = 0: suppressing everything costs nothing
  });
  it('monotonic variant is (l/h)·gF and ignores suppression', () => {
    expect(metric('precision-monotonic').score(classes, twoSuppressed).value).toBe(0.25);
    expect(metric('precision-monotonic', 0.75).score(classes, twoSuppressed).value).toBe(0.125);
    expect(metric('precision-monotonic', 0.75).lowerBound(classes)).toBe(0.125);
  });
});

describe('discernibility', () => {
  it('charges suppressed records n each', () => {
    expect(metric('discernibility').score(classes, twoSuppressed).value).toBe(2 * 2 + 2 * 2 + 6 * 1 + 6 * 1);
    expect(metric('discernibility').score(classes, noneSuppressed).value).toBe(10);
    expect(metric('discernibility').lowerBound(classes)).toBe(10);
  });
  it('monotonic variant sums squares over all classes', () => {
    expect(metric('discernibility-monotonic').score(classes, twoSuppressed).value).toBe(4 + 1 + 4 + 1);
    expect(metric('discernibility-monotonic').lowerBound(classes)).toBe(10);
  });
});

describe('aecs', () => {
  it.each([
    [0.5, 6 / (2 * 1 + 1)],
    [0.25, 6 / (2 * 0.5 + 1)], // kept classes weigh sF, the suppressed class gF
    [0.75, 6 / (2 * 1 + 0.5)],
    [1, 6 / 2], // gF = 0: the suppressed class does not count
  ])('gs %s', (gs, expected) => {
    expect(metric('aecs', gs).score(classes, twoSuppressed).value).toBe(expected);
  });
  it('without suppression and as a bound: n over all classes', () => {
    expect(metric('aecs').score(classes, noneSuppressed).value).toBe(1.5);
    expect(metric('aecs', 0.25).lowerBound(classes)).toBe(1.5);
  });
});

describe('entropy', () => {
  // age at level 1: a = 2, 1, 2, 1 over b = 3 per range: 4·log₂(3/2) + 2·log₂ 3. sex at level 0: a = b, so 0.
  it('generalization term by hand', () => {
    expect(4 * Math.log2(1.5) + 2 * Math.log2(3)).toBeCloseTo(5.509775004326936, 14);
  });
  // Suppressed: one F record per age range, S = 2: 2·(−log₂ ½) = 2 bits for age; sex is F for both: 0 bits.
  it.each([
    [0.5, 7.5097750043],
    [0.25, 6.5097750043], // sF = ½
    [0.75, 4.7548875021], // gF = ½: 2.754887502… + 2
    [0, 5.5097750043], // sF = 0
    [1, 2], // gF = 0
  ])('gs %s', (gs, age) => {
    const value = metric('entropy', gs).score(classes, twoSuppressed);
    expect(Array.from(value.perAttribute!)).toEqual([age, 0]);
    expect(value.value).toBe(age);
  });
  it('monotonic variant and bound keep the generalization part', () => {
    expect(metric('entropy-monotonic').score(classes, twoSuppressed).value).toBe(5.5097750043);
    expect(metric('entropy').lowerBound(classes)).toBe(5.5097750043);
    expect(metric('entropy', 0.75).lowerBound(classes)).toBe(2.7548875021);
  });
  it('is 0 at the bottom node', () => {
    const bottom = groupAt(encoded, [0, 0]);
    expect(metric('entropy').score(bottom, new Uint8Array(bottom.count)).value).toBe(0);
  });
});

describe('height', () => {
  it('sums weighted levels', () => {
    const top = groupAt(encoded, [2, 1]);
    expect(metric('height').score(classes, twoSuppressed).value).toBe(1);
    const weighted = createMetric({ name: 'height' }, contextFor(encoded, { weights: { age: 2, sex: 1 } }));
    expect(weighted.score(top, new Uint8Array(top.count)).value).toBe(2 * 1 + 1 * 0.5);
    expect(weighted.lowerBound(top)).toBe(2.5);
  });
});
