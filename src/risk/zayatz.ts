// Zayatz's (1991) estimate of population uniques from the sample's class-size frequencies.
// Owns the hypergeometric "exactly one copy sampled" probabilities, computed in log space.

import type { ClassSizeProfile } from './class-size-profile.js';
import { classesOfSize } from './class-size-profile.js';
import { countAndFraction, type CountAndFraction } from './estimates.js';

/*
 * Definition implemented (Zayatz 1991, as restated in Dankar et al. 2012, appendix A):
 *
 *   P_i = P(f = 1 | F = i): the hypergeometric probability that a population class of i records
 *         contributes exactly one record to a sample of n = N_r drawn from N,
 *         P_i = i·C(N−i, n−1) / C(N, n) = i·(n/N)·Π_{t=1}^{i−1} (1 − (n−1)/(N−t)).
 *   The population's class-size distribution is estimated by the sample's (p_i ∝ c_i), so Bayes' rule
 *   gives the share of sample uniques that are population uniques:
 *         P(F = 1 | f = 1) = c₁·P₁ / Σ_i c_i·P_i.
 *   Sample uniques that are population uniques: c₁·P(F = 1 | f = 1). Every population unique is in
 *   the sample with probability n/N, so the population uniques are
 *         count = c₁·P(F = 1 | f = 1)·N/n,   fraction = count/N = c₁·P(F = 1 | f = 1)/n.
 *
 * The issue's "c₁ × P(F=1|f=1), fraction = count/N" omits the N/n scale-up: that product counts the
 * sampled population uniques, whose share of the population would shrink with the sampling fraction.
 * The scaled definition is the one in Zayatz's paper, in Dankar et al. and in ARX, and it makes the
 * count comparable with Pitman's and SNB's, which estimate uniques in the whole population.
 */

/** ln P_i for each distinct size, ascending; −Infinity where the class cannot yield exactly one record. */
export function logProbabilitiesOneSampled(
  sizes: Float64Array,
  sampleSize: number,
  populationSize: number,
): Float64Array {
  const logProbabilities = new Float64Array(sizes.length);
  const logSamplingFraction = Math.log(sampleSize) - Math.log(populationSize);
  let logProduct = 0; // Σ_{t=1}^{i−1} ln(1 − (n−1)/(N−t)), extended incrementally as i grows
  let t = 1;
  for (let k = 0; k < sizes.length; k++) {
    const size = sizes[k];
    for (; t < size && logProduct > Number.NEGATIVE_INFINITY; t++) {
      const share = (sampleSize - 1) / (populationSize - t);
      // share ≥ 1 means the other n−1 draws cannot all avoid the class: probability 0 from here on.
      logProduct = share >= 1 ? Number.NEGATIVE_INFINITY : logProduct + Math.log1p(-share);
    }
    logProbabilities[k] = Math.log(size) + logSamplingFraction + logProduct;
  }
  return logProbabilities;
}

/** Zayatz's estimate, which always exists; the caller guarantees 0 < N_r ≤ N. */
export function zayatzUniques(profile: ClassSizeProfile, populationSize: number): CountAndFraction {
  const uniques = classesOfSize(profile, 1);
  if (uniques === 0) return countAndFraction(0, populationSize);
  const logProbabilities = logProbabilitiesOneSampled(profile.sizes, profile.records, populationSize);
  // Σ c_i P_i / P₁, scaled by P₁ (sizes[0] is 1 here) so that no term underflows before the division.
  let weightedSum = 0;
  for (let k = 0; k < profile.sizes.length; k++) {
    weightedSum += profile.frequencies[k] * Math.exp(logProbabilities[k] - logProbabilities[0]);
  }
  const uniqueGivenSampleUnique = uniques / weightedSum;
  const count = (uniques * uniqueGivenSampleUnique * populationSize) / profile.records;
  return countAndFraction(count, populationSize);
}
