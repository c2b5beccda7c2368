// Known-value tests for log-gamma, digamma, trigamma and their cancellation-free differences.
// Reference values are closed forms or 17-digit values of the functions at the exact double arguments.

import { describe, expect, it } from 'vitest';
import {
  digamma,
  digammaDifference,
  logGamma,
  logGammaDifference,
  trigamma,
  trigammaDifference,
} from '../../src/risk/special-functions.js';

const EULER_MASCHERONI = 0.5772156649015329;
const CATALAN = 0.915965594177219;
const RELATIVE = 1e-12;

function expectRelative(actual: number, expected: number, tolerance = RELATIVE): void {
  if (expected === 0) expect(actual).toBe(0);
  else expect(Math.abs(actual - expected) / Math.abs(expected)).toBeLessThanOrEqual(tolerance);
}

function factorial(n: number): bigint {
  let product = 1n;
  for (let k = 2n; k <= BigInt(n); k++) product *= k;
  return product;
}

describe('logGamma', () => {
  it.each([
    [0.5, 0.5723649429247001],
    [1, 0],
    [2, 0],
    [10, 12.801827480081469],
    [1.5, Math.log(Math.sqrt(Math.PI) / 2)],
    [2.5, Math.log((3 * Math.sqrt(Math.PI)) / 4)],
    [1e-8, 18.420680738180209],
    [0.1, 2.2527126517342059],
    [0.9, 0.066376239734742954],
    [1.0000001, -5.7721558299185071e-8],
    [1.4, -0.11961291417237129],
    [1.9999999, -4.2278430309861298e-8],
    [7.3, 7.1478925230222487],
    [12.5, 18.734347511936446],
    [100, 359.1342053695754],
    [1e5, 1051287.7089736569],
    [1e10, 220258509288.81058],
  ])('lnΓ(%d) = %d', (x, expected) => expectRelative(logGamma(x), expected));

  it('equals ln((n−1)!) at the integers', () => {
    for (const n of [3, 4, 7, 11, 21, 35]) expectRelative(logGamma(n), Math.log(Number(factorial(n - 1))));
  });

  it('is NaN outside the positive reals', () => {
    expect(logGamma(0)).toBeNaN();
    expect(logGamma(-1.5)).toBeNaN();
    expect(logGamma(Number.NaN)).toBeNaN();
  });
});

describe('digamma', () => {
  it.each([
    [1, -EULER_MASCHERONI],
    [0.5, -1.9635100260214235],
    [0.25, -EULER_MASCHERONI - Math.PI / 2 - 3 * Math.LN2],
    [1e-10, -10000000000.577215],
    [0.001, -1000.5755719318103],
    [1.4, -0.061384544585116237],
    [1.46, -0.0015805619870834521],
    [3.3, 1.0348224890596217],
    [50.5, 3.912039670928392],
    [1e6, 13.815510057964191],
    [1e12, 27.631021115928048],
  ])('ψ(%d) = %d', (x, expected) => expectRelative(digamma(x), expected));

  it('equals H_(n−1) − γ at the integers', () => {
    let harmonic = 0;
    for (let n = 2; n <= 30; n++) {
      harmonic += 1 / (n - 1);
      expectRelative(digamma(n), harmonic - EULER_MASCHERONI, 1e-14);
    }
  });

  it('keeps relative precision next to its zero x₀ ≈ 1.4616321449683623', () => {
    expectRelative(digamma(1.4616321449653622), -2.9031523624790353e-12);
    expectRelative(digamma(1.4616321), -4.3514636958769774e-8);
    expect(Math.abs(digamma(1.4616321449683622))).toBeLessThan(1e-15);
  });
});

describe('trigamma', () => {
  it.each([
    [1, Math.PI ** 2 / 6],
    [0.5, Math.PI ** 2 / 2],
    [0.25, Math.PI ** 2 + 8 * CATALAN],
    [1e-10, 9.9999999999999993e19],
    [0.001, 1000001.6425331958],
    [1.4, 1.0253565905295975],
    [3.3, 0.35350154184106183],
    [50.5, 0.01999933342663716],
    [1e6, 1.0000005000001667e-6],
    [1e12, 1.0000000000005e-12],
  ])("ψ'(%d) = %d", (x, expected) => expectRelative(trigamma(x), expected));

  it('equals π²/6 − Σ_{k<n} 1/k² at small integers', () => {
    expectRelative(trigamma(2), Math.PI ** 2 / 6 - 1);
    expectRelative(trigamma(5), Math.PI ** 2 / 6 - (1 + 1 / 4 + 1 / 9 + 1 / 16));
  });
});

describe('differences', () => {
  it('digammaDifference and trigammaDifference equal the finite sums they stand for', () => {
    for (const x of [1e-6, 0.3, 1, 7.5, 123.25, 1e7]) {
      for (const terms of [1, 2, 17, 400]) {
        let inverseSum = 0;
        let inverseSquareSum = 0;
        for (let k = 0; k < terms; k++) {
          inverseSum += 1 / (x + k);
          inverseSquareSum += 1 / (x + k) ** 2;
        }
        expectRelative(digammaDifference(x, terms), inverseSum, 1e-13);
        expectRelative(trigammaDifference(x, terms), inverseSquareSum, 1e-13);
      }
    }
  });

  it('logGammaDifference equals ln of the rising product for integer steps', () => {
    for (const x of [0.01, 0.5, 3.25, 250.5, 3e6]) {
      let logProduct = 0;
      for (let k = 0; k < 12; k++) logProduct += Math.log(x + k);
      expectRelative(logGammaDifference(x, 12), logProduct, 1e-13);
    }
  });

  it('keeps precision for tiny gaps where the plain difference cancels', () => {
    // To first order in h: ψ(x+h) − ψ(x) = h·ψ'(x), ψ'(x) − ψ'(x+h) = −h·ψ''(x) ≈ h(1/x² + 1/x³),
    // lnΓ(x+h) − lnΓ(x) = h·ψ(x).
    const x = 1e4;
    const h = 1e-9;
    expectRelative(digammaDifference(x, h), h * trigamma(x), 1e-8);
    expectRelative(trigammaDifference(x, h), h * (1 / x ** 2 + 1 / x ** 3), 1e-6);
    expectRelative(logGammaDifference(x, h), h * digamma(x), 1e-8);
  });

  it('gives Γ(θ+1)/Γ(θ+α) at a large θ', () => {
    const [theta, alpha] = [3176.2335179029906, 0.7179489482476445];
    expectRelative(logGammaDifference(theta + alpha, 1 - alpha), 2.2743368091140867, 1e-11);
  });
});
