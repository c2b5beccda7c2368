// SNB model: Shlosser's class count by hand, and the solver recovering (α, β) from expectations that are
// computed here by summing the slid negative binomial and binomial sampling term by term.

import { describe, expect, it } from 'vitest';
import { buildClassSizeProfile } from '../../src/risk/class-size-profile.js';
import { isEstimateAvailable } from '../../src/risk/estimates.js';
import { shlosserClassCount, snbUniques, solveSlideNegativeBinomial } from '../../src/risk/snb.js';

/** P(a class yields 1 sample record) and P(2), with F = 1 + NB(α, β) and sample ~ Binomial(F, f). */
function sampleSizeProbabilities(alpha: number, beta: number, f: number): [number, number] {
  let probabilityOne = 0;
  let probabilityTwo = 0;
  let pmf = beta ** alpha; // P(G = 0)
  for (let g = 0; g < 200_000; g++) {
    const F = g + 1;
    probabilityOne += pmf * F * f * (1 - f) ** (F - 1);
    if (F >= 2) probabilityTwo += pmf * ((F * (F - 1)) / 2) * f * f * (1 - f) ** (F - 2);
    pmf *= ((g + alpha) / (g + 1)) * (1 - beta);
    if (g > 100 && pmf < 1e-300) break;
  }
  return [probabilityOne, probabilityTwo];
}

describe('shlosserClassCount', () => {
  it('is c + c₁·Σ qⁱcᵢ / Σ i·f·qⁱ⁻¹cᵢ', () => {
    // c₁ = 3, c₂ = 1, c₄ = 1 at f = 0.5: 5 + 3·1.8125/2.25.
    expect(shlosserClassCount(buildClassSizeProfile([1, 1, 1, 2, 4]), 0.5)).toBeCloseTo(5 + (3 * 1.8125) / 2.25, 14);
  });

  it('is the number of sample classes in a census', () => {
    expect(shlosserClassCount(buildClassSizeProfile([1, 1, 3, 2]), 1)).toBe(4);
  });
});

describe('solveSlideNegativeBinomial', () => {
  it.each([
    [0.8, 0.3, 0.2, 5000],
    [2.5, 0.05, 0.01, 100_000],
    [0.3, 0.6, 0.5, 800],
    [1.2, 0.4, 1, 1000],
  ])('recovers α = %d, β = %d at f = %d from exact expectations', (alpha, beta, f, populationClasses) => {
    const [one, two] = sampleSizeProbabilities(alpha, beta, f);
    const solution = solveSlideNegativeBinomial({
      populationClasses,
      samplingFraction: f,
      uniques: populationClasses * one,
      pairs: populationClasses * two,
    });
    if (!solution.converged) throw new Error(solution.reason);
    expect(Math.abs(solution.alpha / alpha - 1)).toBeLessThan(1e-7);
    expect(Math.abs(solution.beta / beta - 1)).toBeLessThan(1e-7);
  });

  it('reports no solution when no (α, β) reproduces the counts', () => {
    // More sample uniques than the model can produce from K classes: K·P(1) ≤ K·f < c₁.
    const equations = { populationClasses: 100, samplingFraction: 0.1, uniques: 50, pairs: 5 };
    const solution = solveSlideNegativeBinomial(equations);
    expect(solution.converged).toBe(false);
  });
});

describe('snbUniques', () => {
  it('is K·β^α for the fitted parameters and reproduces c₁ and c₂', () => {
    const sizes = [...Array(600).fill(1), ...Array(120).fill(2), ...Array(40).fill(3), ...Array(10).fill(5)];
    const profile = buildClassSizeProfile(sizes);
    const populationSize = 4000;
    const estimate = snbUniques(profile, populationSize);
    if (!isEstimateAvailable(estimate)) throw new Error(estimate.reason);
    const f = profile.records / populationSize;
    const populationClasses = shlosserClassCount(profile, f);
    const solution = solveSlideNegativeBinomial({ populationClasses, samplingFraction: f, uniques: 600, pairs: 120 });
    if (!solution.converged) throw new Error(solution.reason);
    const [one, two] = sampleSizeProbabilities(solution.alpha, solution.beta, f);
    expect(populationClasses * one).toBeCloseTo(600, 6);
    expect(populationClasses * two).toBeCloseTo(120, 6);
    expect(estimate.count).toBeCloseTo(populationClasses * solution.beta ** solution.alpha, 6);
  });

  it('needs a class of size 2', () => {
    expect(snbUniques(buildClassSizeProfile([1, 1, 3]), 100)).toEqual({
      available: false,
      reason: 'SNB: the moment equations need at least one class of size 2',
    });
  });
});
