// Pitman model: closed-form likelihood sums against direct sums, Newton convergence on realistic profiles,
// and the population-uniques formula; score equations are re-checked here by plain summation.

import { describe, expect, it } from 'vitest';
import { buildClassSizeProfile, type ClassSizeProfile } from '../../src/risk/class-size-profile.js';
import { isEstimateAvailable } from '../../src/risk/estimates.js';
import { classCountSums, fitPitman, pitmanDerivatives, pitmanUniques } from '../../src/risk/pitman.js';
import { logGamma } from '../../src/risk/special-functions.js';

/** A small deterministic PRNG (mulberry32), so the simulated profiles are the same on every run. */
function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * Class sizes of n records drawn from a Pitman(θ, α) partition by the Chinese restaurant process:
 * record m+1 opens a new class with probability (θ + kα)/(θ + m), else joins class j with
 * probability ∝ (n_j − α), drawn by picking an earlier record's class (∝ n_j) and accepting it with
 * probability (n_j − α)/n_j.
 */
function simulatePitman(n: number, theta: number, alpha: number, seed: number): Int32Array {
  const random = seededRandom(seed);
  const classOfRecord = new Int32Array(n);
  const sizes: number[] = [];
  for (let m = 0; m < n; m++) {
    if (random() * (theta + m) < theta + sizes.length * alpha) {
      classOfRecord[m] = sizes.length;
      sizes.push(1);
      continue;
    }
    for (;;) {
      const candidate = classOfRecord[Math.floor(random() * m)];
      if (random() * sizes[candidate] < sizes[candidate] - alpha) {
        classOfRecord[m] = candidate;
        sizes[candidate] += 1;
        break;
      }
    }
  }
  return Int32Array.from(sizes);
}

/** The two score equations, summed term by term as written in the issue. */
function scoreByDirectSums(profile: ClassSizeProfile, theta: number, alpha: number): [number, number] {
  let classTerm = 0;
  let weightedClassTerm = 0;
  for (let i = 1; i <= profile.classes - 1; i++) {
    classTerm += 1 / (theta + i * alpha);
    weightedClassTerm += i / (theta + i * alpha);
  }
  let recordTerm = 0;
  for (let i = 1; i <= profile.records - 1; i++) recordTerm += 1 / (theta + i);
  let sizeTerm = 0;
  profile.sizes.forEach((size, k) => {
    for (let l = 1; l <= size - 1; l++) sizeTerm += profile.frequencies[k] / (l - alpha);
  });
  return [(classTerm - recordTerm) / recordTerm, (weightedClassTerm - sizeTerm) / sizeTerm];
}

describe('likelihood sums', () => {
  it.each([
    [0, 0.5, 1000],
    [3176.2, 0.718, 19501],
    [10, 0.99, 100000],
    [5, 0.3, 40],
    [1e6, 1e-4, 500], // x = θ/α ≫ m: the closed forms cancel and direct sums take over
    [250, 0.01, 3000],
  ])('closed forms match direct sums at θ = %d, α = %d, m = %d', (theta, alpha, terms) => {
    const fast = classCountSums(theta, alpha, terms);
    const direct = { inverse: 0, weighted: 0, inverseSquare: 0, weightedSquare: 0, doublyWeightedSquare: 0 };
    for (let i = 1; i <= terms; i++) {
      const r = 1 / (theta + i * alpha);
      direct.inverse += r;
      direct.weighted += i * r;
      direct.inverseSquare += r * r;
      direct.weightedSquare += i * r * r;
      direct.doublyWeightedSquare += i * i * r * r;
    }
    for (const key of Object.keys(direct) as (keyof typeof direct)[]) {
      expect(Math.abs(fast[key] - direct[key]) / direct[key]).toBeLessThan(1e-11);
    }
  });

  it('the Hessian is the derivative of the score', () => {
    const profile = buildClassSizeProfile(simulatePitman(5000, 200, 0.5, 7));
    const [theta, alpha] = [150, 0.45];
    const at = pitmanDerivatives(profile, theta, alpha);
    const h = 1e-5;
    const [thetaUp, thetaDown] = [theta * (1 + h), theta * (1 - h)].map((t) => pitmanDerivatives(profile, t, alpha));
    const [alphaUp, alphaDown] = [alpha + h, alpha - h].map((a) => pitmanDerivatives(profile, theta, a));
    const relative = (a: number, b: number): number => Math.abs(a - b) / Math.abs(b);
    const thetaTheta = (thetaUp.scoreTheta - thetaDown.scoreTheta) / (2 * h * theta);
    expect(relative(thetaTheta, at.hessianThetaTheta)).toBeLessThan(1e-6);
    expect(relative((alphaUp.scoreTheta - alphaDown.scoreTheta) / (2 * h), at.hessianThetaAlpha)).toBeLessThan(1e-6);
    expect(relative((alphaUp.scoreAlpha - alphaDown.scoreAlpha) / (2 * h), at.hessianAlphaAlpha)).toBeLessThan(1e-6);
  });
});

describe('fitPitman', () => {
  it('converges on a simulated Pitman(500, 0.6) sample of 20,000 records and solves both equations', () => {
    const profile = buildClassSizeProfile(simulatePitman(20_000, 500, 0.6, 42));
    const fit = fitPitman(profile);
    if (!fit.converged) throw new Error(fit.reason);
    expect(fit.alpha).toBeGreaterThan(0.55);
    expect(fit.alpha).toBeLessThan(0.65);
    expect(fit.theta).toBeGreaterThan(250);
    expect(fit.theta).toBeLessThan(1000);
    const [first, second] = scoreByDirectSums(profile, fit.theta, fit.alpha);
    expect(Math.abs(first)).toBeLessThan(1e-9);
    expect(Math.abs(second)).toBeLessThan(1e-9);
  });

  it('converges on a census-like profile (Adult-style frequencies: many uniques, long tail)', () => {
    const sizes: number[] = [];
    const frequencies: Record<number, number> = {
      ...{ 1: 15512, 2: 2098, 3: 754, 4: 375, 5: 189, 6: 155, 7: 97, 8: 73, 9: 39, 10: 37 },
      ...{ 20: 40, 50: 12, 120: 3, 400: 1 },
    };
    for (const [size, count] of Object.entries(frequencies)) for (let c = 0; c < count; c++) sizes.push(Number(size));
    const profile = buildClassSizeProfile(sizes);
    const fit = fitPitman(profile);
    if (!fit.converged) throw new Error(fit.reason);
    expect(fit.iterations).toBeLessThan(30);
    const [first, second] = scoreByDirectSums(profile, fit.theta, fit.alpha);
    expect(Math.abs(first)).toBeLessThan(1e-9);
    expect(Math.abs(second)).toBeLessThan(1e-9);
  });

  it('refuses profiles without a maximum inside the domain, with a reason', () => {
    const allUnique = fitPitman(buildClassSizeProfile([1, 1, 1, 1]));
    expect(allUnique.converged).toBe(false);
    if (!allUnique.converged) expect(allUnique.reason).toMatch(/every record is unique/);
    expect(fitPitman(buildClassSizeProfile([7])).converged).toBe(false);
    // Few large classes and one unique: the likelihood peaks outside θ ≥ 0, 0 < α < 1.
    const coarse = fitPitman(buildClassSizeProfile([1, 2, 3, 40, 55, 60, 70, 80, 90, 100, 120, 150]));
    expect(coarse.converged).toBe(false);
    if (!coarse.converged) expect(coarse.reason).toMatch(/outside/);
  });
});

describe('pitmanUniques', () => {
  it('is Γ(θ+1)/Γ(θ+α)·N^α for the fitted parameters', () => {
    const profile = buildClassSizeProfile(simulatePitman(3000, 100, 0.5, 3));
    const fit = fitPitman(profile);
    if (!fit.converged) throw new Error(fit.reason);
    const populationSize = 1_000_000;
    const logRatio = logGamma(fit.theta + 1) - logGamma(fit.theta + fit.alpha);
    const expected = Math.exp(logRatio + fit.alpha * Math.log(populationSize));
    const estimate = pitmanUniques(profile, populationSize);
    if (!isEstimateAvailable(estimate)) throw new Error(estimate.reason);
    expect(Math.abs(estimate.count / expected - 1)).toBeLessThan(1e-12);
    expect(estimate.fraction).toBe(estimate.count / populationSize);
  });

  it('says why when the model cannot be fitted, never reporting 0', () => {
    expect(pitmanUniques(buildClassSizeProfile([1, 1, 1]), 100)).toEqual({
      available: false,
      reason: expect.stringMatching(/^Pitman: every record is unique/),
    });
  });
});
