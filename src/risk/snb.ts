// Chen & Keller-McNulty's (1998) slide negative binomial (SNB) model of population uniques.
// Owns Shlosser's estimate of the number of population classes, the SNB moment equations and their solver.

import type { ClassSizeProfile } from './class-size-profile.js';
import { classesOfSize } from './class-size-profile.js';
import { countAndFraction, unavailable, type PopulationEstimate } from './estimates.js';

/*
 * Model. The population has K non-empty classes; each class size F is 1 + G with G negative binomial,
 * P(G = g) = C(g+α−1, g)·β^α·(1−β)^g (α > 0, 0 < β < 1) — the "slide" by one makes F ≥ 1. Each
 * record is sampled independently with probability f = n/N, so a class's sample size is Binomial(F, f).
 * With q = 1 − f, d = (1−β)q and s = 1 − d = f + qβ (written so for precision when β is tiny), the
 * probability generating function of G gives
 *   P(sample size 1) = f·(β/s)^α·(s + αd)/s
 *   P(sample size 2) = (f²/2)·α(1−β)·(β/s)^α·(2 − (1−α)d)/s²,
 * and (α, β) solve the moment equations K·P(1) = c₁, K·P(2) = c₂. Population uniques: K·P(F = 1) = K·β^α.
 *
 * K is Shlosser's estimator (see Haas et al. 1995): K = c + c₁·Σ_i q^i c_i / Σ_i i f q^(i−1) c_i.
 *
 * Solver. The equations are solved in log form, r = (ln(K·P(1)/c₁), ln(K·P(2)/c₂)), over the unbounded
 * parameters u = ln α and v = logit β, so every iterate is a valid model. A grid over u ∈ [−8, 8],
 * v ∈ [−40, 40] locates the region of the solution (the surface is far from quadratic, so Newton from a
 * fixed start often diverges); Newton with step halving on |r|² then runs from the best grid points in
 * turn. Converged means both equations hold to 1e-10 relative. When no start converges, the model has
 * no (α, β) reproducing c₁ and c₂ and the estimate is reported unavailable.
 */

const RESIDUAL_TOLERANCE = 1e-10;
const MAX_ITERATIONS = 100;
const MAX_STEP_HALVINGS = 40;
const GRID_LOG_ALPHA = { from: -8, to: 8, step: 0.25 } as const;
const GRID_LOGIT_BETA = { from: -40, to: 40, step: 0.5 } as const;
/** Newton runs from this many of the best grid points before giving up. */
const STARTS = 6;
/** Iterates beyond these bounds (α or β at 0 or 1 in double precision) are a divergence. */
const MAX_ABS_LOG_ALPHA = 60;
const MAX_ABS_LOGIT_BETA = 700;

export interface SnbEquations {
  /** K: estimated non-empty population classes. */
  readonly populationClasses: number;
  readonly samplingFraction: number;
  /** c₁ and c₂: sample classes of size 1 and 2. */
  readonly uniques: number;
  readonly pairs: number;
}

export type SnbSolution =
  | { readonly converged: true; readonly alpha: number; readonly beta: number }
  | { readonly converged: false; readonly reason: string };

/** Shlosser's estimate of the number of non-empty population classes. */
export function shlosserClassCount(profile: ClassSizeProfile, samplingFraction: number): number {
  const logRemaining = Math.log1p(-samplingFraction); // ln q; −Infinity for a census (f = 1)
  let unsampledWeight = 0;
  let onceWeight = 0;
  for (let k = 0; k < profile.sizes.length; k++) {
    const size = profile.sizes[k];
    unsampledWeight += Math.exp(size * logRemaining) * profile.frequencies[k];
    // q^(i−1) with q^0 = 1 even for a census.
    const remainingPower = size === 1 ? 1 : Math.exp((size - 1) * logRemaining);
    onceWeight += size * samplingFraction * remainingPower * profile.frequencies[k];
  }
  return profile.classes + (classesOfSize(profile, 1) * unsampledWeight) / onceWeight;
}

/** ln(1 + e^z) without overflow. */
function softplus(z: number): number {
  return Math.max(z, 0) + Math.log1p(Math.exp(-Math.abs(z)));
}

interface ResidualsAndJacobian {
  readonly residualUniques: number;
  readonly residualPairs: number;
  /** ∂r/∂u and ∂r/∂v for both residuals. */
  readonly uniquesByLogAlpha: number;
  readonly uniquesByLogitBeta: number;
  readonly pairsByLogAlpha: number;
  readonly pairsByLogitBeta: number;
}

function evaluate(equations: SnbEquations, logAlpha: number, logitBeta: number): ResidualsAndJacobian {
  const f = equations.samplingFraction;
  const q = 1 - f;
  const alpha = Math.exp(logAlpha);
  const logBeta = -softplus(-logitBeta);
  const logOneMinusBeta = -softplus(logitBeta);
  const beta = Math.exp(logBeta);
  const oneMinusBeta = Math.exp(logOneMinusBeta);
  const d = oneMinusBeta * q;
  const s = f + q * beta;
  const w = s + alpha * d;
  const z = 2 - (1 - alpha) * d;
  const logS = Math.log(s);
  const logK = Math.log(equations.populationClasses);
  const logRatio = logBeta - logS;

  const residualUniques = logK + Math.log(f) + alpha * logRatio + Math.log(w) - logS - Math.log(equations.uniques);
  const residualPairs =
    logK + 2 * Math.log(f) - Math.LN2 + logAlpha + logOneMinusBeta + alpha * logRatio + Math.log(z) - 2 * logS -
    Math.log(equations.pairs);

  // Chain rule: ∂/∂u = α·∂/∂α and ∂/∂v = β(1−β)·∂/∂β; the β(1−β) is folded in to avoid 1/β.
  const betaSpread = beta * oneMinusBeta;
  const ratioByLogitBeta = oneMinusBeta - (q * betaSpread) / s; // β(1−β)·(1/β − q/s)
  return {
    residualUniques,
    residualPairs,
    uniquesByLogAlpha: alpha * (logRatio + d / w),
    uniquesByLogitBeta: alpha * ratioByLogitBeta + ((q * (1 - alpha)) / w - q / s) * betaSpread,
    pairsByLogAlpha: 1 + alpha * (logRatio + d / z),
    pairsByLogitBeta: -beta + alpha * ratioByLogitBeta + (((1 - alpha) * q) / z - (2 * q) / s) * betaSpread,
  };
}

function residualNorm(point: ResidualsAndJacobian): number {
  const norm = Math.max(Math.abs(point.residualUniques), Math.abs(point.residualPairs));
  return Number.isNaN(norm) ? Number.POSITIVE_INFINITY : norm;
}

function gridStarts(equations: SnbEquations): Array<{ logAlpha: number; logitBeta: number }> {
  const scored: Array<{ logAlpha: number; logitBeta: number; norm: number }> = [];
  for (let u = GRID_LOG_ALPHA.from; u <= GRID_LOG_ALPHA.to; u += GRID_LOG_ALPHA.step) {
    for (let v = GRID_LOGIT_BETA.from; v <= GRID_LOGIT_BETA.to; v += GRID_LOGIT_BETA.step) {
      scored.push({ logAlpha: u, logitBeta: v, norm: residualNorm(evaluate(equations, u, v)) });
    }
  }
  scored.sort((a, b) => a.norm - b.norm);
  return scored.slice(0, STARTS);
}

function newtonSnb(equations: SnbEquations, start: { logAlpha: number; logitBeta: number }): SnbSolution {
  let { logAlpha, logitBeta } = start;
  let point = evaluate(equations, logAlpha, logitBeta);
  let norm = residualNorm(point);
  for (let iteration = 0; iteration < MAX_ITERATIONS; iteration++) {
    if (norm <= RESIDUAL_TOLERANCE) {
      return { converged: true, alpha: Math.exp(logAlpha), beta: 1 / (1 + Math.exp(-logitBeta)) };
    }
    const determinant =
      point.uniquesByLogAlpha * point.pairsByLogitBeta - point.uniquesByLogitBeta * point.pairsByLogAlpha;
    if (!Number.isFinite(determinant) || determinant === 0) {
      return { converged: false, reason: 'the Jacobian became singular' };
    }
    const stepU = -(point.pairsByLogitBeta * point.residualUniques - point.uniquesByLogitBeta * point.residualPairs) /
      determinant;
    const stepV = -(point.uniquesByLogAlpha * point.residualPairs - point.pairsByLogAlpha * point.residualUniques) /
      determinant;
    let scale = 1;
    let accepted = false;
    for (let halvings = 0; halvings <= MAX_STEP_HALVINGS; halvings++, scale /= 2) {
      const nextU = logAlpha + scale * stepU;
      const nextV = logitBeta + scale * stepV;
      if (Math.abs(nextU) > MAX_ABS_LOG_ALPHA || Math.abs(nextV) > MAX_ABS_LOGIT_BETA) continue;
      const next = evaluate(equations, nextU, nextV);
      const nextNorm = residualNorm(next);
      if (nextNorm < norm) {
        logAlpha = nextU;
        logitBeta = nextV;
        point = next;
        norm = nextNorm;
        accepted = true;
        break;
      }
    }
    if (!accepted) return { converged: false, reason: `Newton stalled with relative mismatch ${norm}` };
  }
  return norm <= RESIDUAL_TOLERANCE
    ? { converged: true, alpha: Math.exp(logAlpha), beta: 1 / (1 + Math.exp(-logitBeta)) }
    : { converged: false, reason: `Newton did not converge within ${MAX_ITERATIONS} iterations` };
}

/** Solves K·P(1) = c₁, K·P(2) = c₂ for (α, β); needs K > 0, 0 < f ≤ 1, c₁ > 0, c₂ > 0. */
export function solveSlideNegativeBinomial(equations: SnbEquations): SnbSolution {
  let lastFailure = 'no start was tried';
  for (const start of gridStarts(equations)) {
    const solution = newtonSnb(equations, start);
    if (solution.converged) return solution;
    lastFailure = solution.reason;
  }
  return {
    converged: false,
    reason: `no (α > 0, 0 < β < 1) reproduces c₁ and c₂ from the ${STARTS} best grid starts; last: ${lastFailure}`,
  };
}

/** The SNB estimate; the caller guarantees 0 < N_r ≤ N. */
export function snbUniques(profile: ClassSizeProfile, populationSize: number): PopulationEstimate {
  const uniques = classesOfSize(profile, 1);
  if (uniques === 0) return countAndFraction(0, populationSize);
  const pairs = classesOfSize(profile, 2);
  if (pairs === 0) return unavailable('SNB: the moment equations need at least one class of size 2');
  const samplingFraction = profile.records / populationSize;
  const populationClasses = shlosserClassCount(profile, samplingFraction);
  const solution = solveSlideNegativeBinomial({ populationClasses, samplingFraction, uniques, pairs });
  if (!solution.converged) return unavailable(`SNB: ${solution.reason}`);
  const count = populationClasses * Math.exp(solution.alpha * Math.log(solution.beta));
  if (!(count >= 0 && count <= populationSize)) {
    return unavailable(`SNB: the fitted model gives ${count} uniques, outside [0, N]`);
  }
  return countAndFraction(count, populationSize);
}
