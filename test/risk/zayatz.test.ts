// Zayatz's estimate checked against hypergeometric probabilities from exact big-integer binomials.
// Also checks that population sizes in the billions neither overflow nor lose the probabilities.

import { describe, expect, it } from 'vitest';
import { buildClassSizeProfile } from '../../src/risk/class-size-profile.js';
import { logProbabilitiesOneSampled, zayatzUniques } from '../../src/risk/zayatz.js';

function binomial(n: number, k: number): bigint {
  if (k < 0 || k > n) return 0n;
  let result = 1n;
  for (let i = 1; i <= k; i++) result = (result * BigInt(n - k + i)) / BigInt(i);
  return result;
}

/** P(exactly one of i population copies is among n draws from N) = i·C(N−i, n−1)/C(N, n), exactly. */
function probabilityOneSampled(i: number, n: number, populationSize: number): number {
  const numerator = BigInt(i) * binomial(populationSize - i, n - 1);
  const denominator = binomial(populationSize, n);
  if (numerator === 0n) return 0;
  // Scale before dividing so that the integer quotient keeps about 20 significant digits.
  const shift = Math.max(0, denominator.toString().length - numerator.toString().length + 20);
  return Number((numerator * 10n ** BigInt(shift)) / denominator) / 10 ** shift;
}

describe('hypergeometric probabilities', () => {
  it('match exact binomials for small populations', () => {
    for (const [n, populationSize] of [
      [8, 20],
      [30, 100],
      [1, 7],
      [12, 12],
    ]) {
      // Every size a population class can have, up to one past the last with a nonzero probability.
      const sizes = Float64Array.from({ length: Math.min(populationSize - n + 2, populationSize) }, (_, k) => k + 1);
      const logs = logProbabilitiesOneSampled(sizes, n, populationSize);
      sizes.forEach((size, k) => {
        const exact = probabilityOneSampled(size, n, populationSize);
        if (exact === 0) expect(Math.exp(logs[k])).toBe(0);
        else expect(Math.abs(Math.exp(logs[k]) - exact) / exact).toBeLessThan(1e-12);
      });
    }
  });

  it('stay finite and accurate for a population in the billions', () => {
    const populationSize = 8e9;
    const n = 1_000_000;
    const logs = logProbabilitiesOneSampled(Float64Array.of(1, 2, 1000), n, populationSize);
    let product = 1;
    for (let t = 1; t < 1000; t++) product *= 1 - (n - 1) / (populationSize - t);
    expect(Math.exp(logs[0])).toBeCloseTo(n / populationSize, 17);
    expect(Math.abs(Math.exp(logs[2]) / ((1000 * n * product) / populationSize) - 1)).toBeLessThan(1e-12);
    expect(logs.every(Number.isFinite)).toBe(true);
  });
});

describe('zayatzUniques', () => {
  it('scales the sample uniques that are population uniques up by N/n', () => {
    // Sample of n = 8 from N = 20: classes of sizes 1, 1, 1, 2, 3.
    const populationSize = 20;
    const profile = buildClassSizeProfile([1, 1, 1, 2, 3]);
    const [p1, p2, p3] = [1, 2, 3].map((i) => probabilityOneSampled(i, 8, populationSize));
    const uniqueGivenSampleUnique = (3 * p1) / (3 * p1 + p2 + p3);
    const count = (3 * uniqueGivenSampleUnique * populationSize) / 8;
    const estimate = zayatzUniques(profile, populationSize);
    expect(estimate.count).toBeCloseTo(count, 12);
    expect(estimate.fraction).toBeCloseTo(count / populationSize, 14);
  });

  it('counts exactly the sample uniques in a census', () => {
    const estimate = zayatzUniques(buildClassSizeProfile([1, 1, 4, 2, 1]), 9);
    expect(estimate).toEqual({ count: 3, fraction: 3 / 9 });
  });

  it('is zero without sample uniques', () => {
    expect(zayatzUniques(buildClassSizeProfile([2, 3]), 1000)).toEqual({ count: 0, fraction: 0 });
  });
});
