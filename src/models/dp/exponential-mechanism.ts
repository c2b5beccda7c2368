// The exponential mechanism (McSherry and Talwar 2007) over a finite set of candidates: candidate i is drawn with
// probability ∝ exp(ε·score_i/2), scores divided by their sensitivity beforehand. Sampled exactly, not in floats.

import { nextDown } from './interval.js';
import { uniformBelow, type RandomSource } from './random.js';

/**
 * Bound on the relative error of the scores handed in: each score is a sum of non-negative terms over at most a few
 * dozen rounded operations (see scores.ts), each within 2⁻⁵³ of its exact value.
 */
export const SCORE_RELATIVE_ERROR = 2 ** -44;

/** Candidates whose weight is below 2^−WEIGHT_FLOOR_BITS of the largest are given weight 0 (see `drawCandidate`). */
const WEIGHT_FLOOR_BITS = 1100;

/**
 * The ε the mechanism actually runs with so that it stays within `epsilon` although scores and weights are computed
 * in floating point: with scores off by at most e (absolute) the scores' sensitivity is 1 + 2e, and with weights off
 * by a relative η every probability ratio grows by at most ((1 + η)/(1 − η))². So
 * ε_used = (ε − 2 ln((1 + η)/(1 − η))) / (1 + 2e), rounded down.
 */
export function mechanismEpsilon(epsilon: number, scores: Float64Array): number {
  let largest = 0;
  let lowest = Infinity;
  let highest = -Infinity;
  for (const score of scores) {
    largest = Math.max(largest, Math.abs(score));
    lowest = Math.min(lowest, score);
    highest = Math.max(highest, score);
  }
  const scoreError = largest * SCORE_RELATIVE_ERROR;
  // |y| ≤ ε·(spread + 2e)/(2 ln 2) bounds the exponents of base 2; each is computed with a handful of roundings
  // (relative 2⁻⁵⁰ is ample) and 2^frac by Math.pow within a few ulps (2⁻⁵⁰ again).
  const exponentBound = (epsilon * (highest - lowest + 2 * scoreError)) / (2 * Math.LN2);
  const eta = (exponentBound + 1) * 2 ** -49;
  const used = (epsilon - 2 * (Math.log1p(eta) - Math.log1p(-eta)) * (1 + 2 ** -40)) / (1 + 2 * scoreError);
  return nextDown(Math.max(0, used));
}

/**
 * Draws one index with probability ∝ exp(ε_used·score/2), ε_used from `mechanismEpsilon`. Each weight is written as
 * 2^y, y = ε_used·(score − best)/(2 ln 2) ≤ 0, and turned into an integer: the 53-bit mantissa of 2^frac(y) shifted
 * by ⌊y⌋ above the smallest exponent kept. The integers are summed exactly and the draw is a uniform integer below
 * the sum (cryptographic or seeded bits, by rejection), so the probabilities are exactly the computed weights over
 * their sum: no rounding of a sum, no absorption of small weights, no bias of a floating-point uniform. Weights below
 * 2⁻¹¹⁰⁰ of the best are dropped; their total probability is below (candidates)·2⁻¹¹⁰⁰, far below any δ.
 */
export function drawCandidate(scores: Float64Array, epsilon: number, random: RandomSource): number {
  if (scores.length === 0) throw new RangeError('the exponential mechanism needs at least one candidate');
  const used = mechanismEpsilon(epsilon, scores);
  let best = -Infinity;
  for (const score of scores) best = Math.max(best, score);
  const exponents = Array.from(scores, (score) => (used * (score - best)) / 2 / Math.LN2);
  const floors = exponents.map((y) => Math.floor(y));
  const lowest = Math.max(-WEIGHT_FLOOR_BITS, Math.min(...floors));
  const weights = exponents.map((y, i) => {
    if (floors[i] < lowest) return 0n;
    const mantissa = Math.pow(2, y - floors[i]) * 2 ** 52; // in [2⁵², 2⁵³): an integer double
    return BigInt(Math.min(mantissa, 2 ** 53 - 1)) << BigInt(floors[i] - lowest);
  });
  let total = 0n;
  for (const weight of weights) total += weight;
  let draw = uniformBelow(random, total);
  for (let i = 0; i < weights.length; i++) {
    if (draw < weights[i]) return i;
    draw -= weights[i];
  }
  throw new Error('unreachable: the draw lies below the total weight');
}
