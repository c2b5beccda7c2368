// Pitman's model of population uniques: a maximum-likelihood fit of the Pitman sampling formula.
// Owns the likelihood's score and Hessian, the Newton solver with its start/restart rule, and the estimate.

import type { ClassSizeProfile } from './class-size-profile.js';
import { classesOfSize } from './class-size-profile.js';
import { countAndFraction, unavailable, type PopulationEstimate } from './estimates.js';
import { digammaDifference, logGammaDifference, trigammaDifference } from './special-functions.js';

/*
 * With n = N_r records in c classes, c_j classes of size j, the log-likelihood of the Pitman sampling
 * formula is, up to a constant,
 *   L(θ, α) = Σ_{i=1}^{c−1} ln(θ + iα) − Σ_{i=1}^{n−1} ln(θ + i) + Σ_{j≥2} c_j Σ_{l=1}^{j−1} ln(l − α),
 * and its two score equations are the maximum-likelihood equations:
 *   ∂L/∂θ = Σ_{i=1}^{c−1} 1/(θ+iα) − Σ_{i=1}^{n−1} 1/(θ+i) = 0
 *   ∂L/∂α = Σ_{i=1}^{c−1} i/(θ+iα) − Σ_{j≥2} c_j Σ_{l=1}^{j−1} 1/(l−α) = 0.
 * Each sum is a digamma or trigamma difference, so an evaluation costs O(distinct class sizes), not O(n).
 * The population uniques are Γ(θ+1)/Γ(θ+α)·N^α (Hoshino 2001), evaluated in log space.
 */

/** Newton stops when a full step moves θ by at most this much (relative, θ > 1) and α by at most this. */
const TOLERANCE = 1e-6;
const MAX_ITERATIONS = 100;
/** A step is halved at most this often to stay inside θ ≥ 0, 0 < α < 1. */
const MAX_STEP_HALVINGS = 60;
/** Restart values of α after the data-driven start; θ is always profiled for the given α. */
const RESTART_ALPHAS: readonly number[] = [0.5, 0.25, 0.75, 0.1, 0.9];
/** Closed forms that lose more than four digits to cancellation are replaced by direct sums. */
const CANCELLATION_LIMIT = 1e-4;
/** Below this many terms direct summation is cheap and exact enough. */
const DIRECT_SUM_LIMIT = 64;

export interface PitmanParameters {
  readonly theta: number;
  readonly alpha: number;
}

export type PitmanFit = (PitmanParameters & { readonly converged: true; readonly iterations: number }) | {
  readonly converged: false;
  readonly reason: string;
};

/** Score (gradient of L) and Hessian at (θ, α). */
export interface PitmanDerivatives {
  readonly scoreTheta: number;
  readonly scoreAlpha: number;
  readonly hessianThetaTheta: number;
  readonly hessianThetaAlpha: number;
  readonly hessianAlphaAlpha: number;
}

/** Σ_{i=1}^{m} of 1/(θ+iα), i/(θ+iα), 1/(θ+iα)², i/(θ+iα)², i²/(θ+iα)². */
interface ClassCountSums {
  readonly inverse: number;
  readonly weighted: number;
  readonly inverseSquare: number;
  readonly weightedSquare: number;
  readonly doublyWeightedSquare: number;
}

function classCountSumsDirect(theta: number, alpha: number, terms: number): ClassCountSums {
  let inverse = 0;
  let weighted = 0;
  let inverseSquare = 0;
  let weightedSquare = 0;
  let doublyWeightedSquare = 0;
  for (let i = 1; i <= terms; i++) {
    const reciprocal = 1 / (theta + i * alpha);
    const reciprocalSquare = reciprocal * reciprocal;
    inverse += reciprocal;
    weighted += i * reciprocal;
    inverseSquare += reciprocalSquare;
    weightedSquare += i * reciprocalSquare;
    doublyWeightedSquare += i * i * reciprocalSquare;
  }
  return { inverse, weighted, inverseSquare, weightedSquare, doublyWeightedSquare };
}

/**
 * The sums over i = 1…m as digamma/trigamma differences in x = θ/α:
 *   Σ 1/(x+i) = ψ(x+m+1) − ψ(x+1),  Σ i/(x+i) = m − x·Σ 1/(x+i),
 *   Σ i/(x+i)² = Σ 1/(x+i) − x·Σ 1/(x+i)²,  Σ i²/(x+i)² = Σ i/(x+i) − x·Σ i/(x+i)².
 * The subtractions cancel when x ≫ m (α → 0); then the direct sums are used.
 */
export function classCountSums(theta: number, alpha: number, terms: number): ClassCountSums {
  if (terms <= DIRECT_SUM_LIMIT) return classCountSumsDirect(theta, alpha, terms);
  const x = theta / alpha;
  const inverseX = digammaDifference(x + 1, terms);
  const inverseSquareX = trigammaDifference(x + 1, terms);
  const weightedX = terms - x * inverseX;
  const weightedSquareX = inverseX - x * inverseSquareX;
  const doublyWeightedSquareX = weightedX - x * weightedSquareX;
  if (
    !(weightedX > CANCELLATION_LIMIT * terms) ||
    !(weightedSquareX > CANCELLATION_LIMIT * inverseX) ||
    !(doublyWeightedSquareX > CANCELLATION_LIMIT * weightedX)
  ) {
    return classCountSumsDirect(theta, alpha, terms);
  }
  const alphaSquare = alpha * alpha;
  return {
    inverse: inverseX / alpha,
    weighted: weightedX / alpha,
    inverseSquare: inverseSquareX / alphaSquare,
    weightedSquare: weightedSquareX / alphaSquare,
    doublyWeightedSquare: doublyWeightedSquareX / alphaSquare,
  };
}

export function pitmanDerivatives(profile: ClassSizeProfile, theta: number, alpha: number): PitmanDerivatives {
  const classSums = classCountSums(theta, alpha, profile.classes - 1);
  // Σ_{i=1}^{n−1} 1/(θ+i) and its squares.
  const recordSum = digammaDifference(theta + 1, profile.records - 1);
  const recordSquareSum = trigammaDifference(theta + 1, profile.records - 1);
  // Σ_j c_j Σ_{l=1}^{j−1} 1/(l−α) = Σ_j c_j (ψ(j−α) − ψ(1−α)) and its squares.
  let sizeSum = 0;
  let sizeSquareSum = 0;
  for (let k = 0; k < profile.sizes.length; k++) {
    const size = profile.sizes[k];
    if (size < 2) continue;
    sizeSum += profile.frequencies[k] * digammaDifference(1 - alpha, size - 1);
    sizeSquareSum += profile.frequencies[k] * trigammaDifference(1 - alpha, size - 1);
  }
  return {
    scoreTheta: classSums.inverse - recordSum,
    scoreAlpha: classSums.weighted - sizeSum,
    hessianThetaTheta: recordSquareSum - classSums.inverseSquare,
    hessianThetaAlpha: -classSums.weightedSquare,
    hessianAlphaAlpha: -classSums.doublyWeightedSquare - sizeSquareSum,
  };
}

/**
 * For fixed α, the θ ≥ 0 where ∂L/∂θ = 0, by bisection on a log scale (0 when the score is already
 * negative at θ = 0). ∂L/∂θ → (c − n)/θ < 0 as θ → ∞, so a sign change is bracketed by doubling.
 */
function profileTheta(profile: ClassSizeProfile, alpha: number): number {
  const scoreTheta = (theta: number): number =>
    classCountSums(theta, alpha, profile.classes - 1).inverse - digammaDifference(theta + 1, profile.records - 1);
  if (!(scoreTheta(0) > 0)) return 0;
  let low = 0;
  let high = 1;
  for (let doublings = 0; scoreTheta(high) > 0; doublings++) {
    if (doublings > 200) return high;
    low = high;
    high *= 2;
  }
  for (let step = 0; step < 100 && high - low > 1e-10 * high; step++) {
    const middle = low > 0 ? Math.sqrt(low * high) : high / 2;
    if (scoreTheta(middle) > 0) low = middle;
    else high = middle;
  }
  return (low + high) / 2;
}

function isInsideDomain(theta: number, alpha: number): boolean {
  return theta >= 0 && alpha > 0 && alpha < 1;
}

/** Why Newton, pinned against a bound, cannot proceed; α ≤ 0 is common for coarse data with few uniques. */
function leavingReason(nextTheta: number, nextAlpha: number): string {
  if (!Number.isFinite(nextTheta) || !Number.isFinite(nextAlpha)) return 'the Newton step is not finite';
  if (nextAlpha <= 0) {
    return 'the likelihood increases towards α ≤ 0 (finitely many population classes), outside the model\'s 0 < α < 1';
  }
  if (nextAlpha >= 1) return 'the likelihood increases towards α ≥ 1, outside the model\'s 0 < α < 1';
  return 'the likelihood increases towards θ < 0, outside θ ≥ 0';
}

/** Newton's method on the score equations from one start; succeeds only at a local maximum of L. */
function newtonPitman(profile: ClassSizeProfile, start: PitmanParameters): PitmanFit {
  let { theta, alpha } = start;
  for (let iteration = 1; iteration <= MAX_ITERATIONS; iteration++) {
    const d = pitmanDerivatives(profile, theta, alpha);
    const determinant = d.hessianThetaTheta * d.hessianAlphaAlpha - d.hessianThetaAlpha * d.hessianThetaAlpha;
    if (!Number.isFinite(determinant) || determinant === 0) {
      return { converged: false, reason: 'the Hessian became singular during the Newton iteration' };
    }
    const stepTheta = -(d.hessianAlphaAlpha * d.scoreTheta - d.hessianThetaAlpha * d.scoreAlpha) / determinant;
    const stepAlpha = -(d.hessianThetaTheta * d.scoreAlpha - d.hessianThetaAlpha * d.scoreTheta) / determinant;
    let scale = 1;
    let halvings = 0;
    while (!isInsideDomain(theta + scale * stepTheta, alpha + scale * stepAlpha)) {
      if (++halvings > MAX_STEP_HALVINGS) {
        return { converged: false, reason: leavingReason(theta + stepTheta, alpha + stepAlpha) };
      }
      scale /= 2;
    }
    const small = Math.abs(stepTheta) <= TOLERANCE * Math.max(1, theta) && Math.abs(stepAlpha) <= TOLERANCE;
    theta += scale * stepTheta;
    alpha += scale * stepAlpha;
    if (scale === 1 && small) {
      const at = pitmanDerivatives(profile, theta, alpha);
      const isMaximum =
        at.hessianThetaTheta < 0 &&
        at.hessianThetaTheta * at.hessianAlphaAlpha - at.hessianThetaAlpha * at.hessianThetaAlpha > 0;
      if (!isMaximum) return { converged: false, reason: 'Newton converged to a saddle point, not a maximum' };
      return { converged: true, theta, alpha, iterations: iteration };
    }
  }
  return { converged: false, reason: `Newton did not converge within ${MAX_ITERATIONS} iterations` };
}

/**
 * Maximum-likelihood (θ, α). Start: α₀ = c₁/c, because in a Pitman partition the share of classes
 * that are singletons tends to α as n grows (clamped into [0.01, 0.99]); θ₀ profiled for α₀.
 * Restart rule: if that run fails, α₀ = 0.5, 0.25, 0.75, 0.1, 0.9 in turn, each with its profiled θ₀;
 * the first run that converges to a maximum inside θ ≥ 0, 0 < α < 1 is the fit.
 */
export function fitPitman(profile: ClassSizeProfile): PitmanFit {
  const uniques = classesOfSize(profile, 1);
  if (profile.classes < 2) return { converged: false, reason: 'a single class carries no information on (θ, α)' };
  if (uniques === profile.records) {
    return { converged: false, reason: 'every record is unique: the likelihood grows without bound as α → 1' };
  }
  const dataAlpha = Math.min(0.99, Math.max(0.01, uniques / profile.classes));
  let lastFailure: PitmanFit = { converged: false, reason: 'no start was tried' };
  for (const alpha of [dataAlpha, ...RESTART_ALPHAS]) {
    const fit = newtonPitman(profile, { theta: profileTheta(profile, alpha), alpha });
    if (fit.converged) return fit;
    lastFailure = fit;
  }
  return {
    converged: false,
    reason: `no maximum-likelihood (θ, α) found from any start; last: ${lastFailure.reason}`,
  };
}

/** Population uniques Γ(θ+1)/Γ(θ+α)·N^α; the caller guarantees 0 < N_r ≤ N. */
export function pitmanUniques(profile: ClassSizeProfile, populationSize: number): PopulationEstimate {
  if (classesOfSize(profile, 1) === 0) return countAndFraction(0, populationSize);
  const fit = fitPitman(profile);
  if (!fit.converged) return unavailable(`Pitman: ${fit.reason}`);
  const logCount = logGammaDifference(fit.theta + fit.alpha, 1 - fit.alpha) + fit.alpha * Math.log(populationSize);
  const count = Math.exp(logCount);
  if (!(count >= 0 && count <= populationSize)) {
    return unavailable(
      `Pitman: the fitted model (θ = ${fit.theta}, α = ${fit.alpha}) gives ${count} uniques, outside [0, N]`,
    );
  }
  return countAndFraction(count, populationSize);
}
