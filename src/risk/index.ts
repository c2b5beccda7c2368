// Public API of the re-identification risk estimator: a plain-JSON risk report from equivalence-class sizes.
// Owns the options, the report shape and the handling of an empty (fully suppressed) input.

import { usageError } from '../errors.js';
import { buildClassSizeProfile, classesOfSize } from './class-size-profile.js';
import { countAndFraction, type CountAndFraction } from './estimates.js';
import {
  estimatePopulationUniqueness,
  unavailablePopulationUniqueness,
  validatePopulationSize,
  type PopulationModel,
  type PopulationUniquenessReport,
} from './population-uniqueness.js';
import {
  attackerRisk,
  riskDistribution,
  validatePopulationCounts,
  type AttackerRisk,
  type RiskBand,
} from './sample-risk.js';

export type { CountAndFraction, PopulationEstimate, UnavailableEstimate } from './estimates.js';
export { isEstimateAvailable } from './estimates.js';
export type { DankarEstimate, PopulationModel, PopulationUniquenessReport } from './population-uniqueness.js';
export { POPULATION_PRESETS, populationUniqueness } from './population-uniqueness.js';
export type { AttackerRisk, RecordsAtRisk, RiskBand } from './sample-risk.js';
export { RISK_BAND_LIMITS } from './sample-risk.js';

/** Options of {@link estimateRiskFromClassSizes}. */
export interface RiskOptions {
  /** Records whose risk is strictly above this are "at risk"; default 0.2. */
  threshold?: number;
  /** N: size of the population the records were sampled from; enables population uniqueness. */
  populationSize?: number;
  /** F_E per class, same order as the class sizes; enables the journalist and marketer population risks. */
  populationCounts?: Float64Array;
  /** The population model repeated as `populationUniqueness.estimate`; default Dankar's rule. */
  populationModel?: PopulationModel;
}

/** Every risk figure of one set of classes, as plain JSON (numbers at full precision, counts with fractions). */
export interface RiskReport {
  /** N_r: records whose quasi-identifiers are not all suppressed. */
  readonly records: number;
  /** c: equivalence classes among them. */
  readonly classes: number;
  readonly prosecutor: AttackerRisk;
  /** Against F_E when population counts are given, else identical to the prosecutor risks. */
  readonly journalist: AttackerRisk;
  /** Mean of 1/F_E over records with population counts, else c/N_r. */
  readonly marketer: { readonly averageRisk: number };
  /** Records alone in their class: c₁ and c₁/N_r. */
  readonly sampleUniqueness: CountAndFraction;
  readonly populationUniqueness: PopulationUniquenessReport;
  readonly distribution: RiskBand[];
}

const DEFAULT_THRESHOLD = 0.2;
const POPULATION_MODELS: readonly PopulationModel[] = ['pitman', 'zayatz', 'snb', 'dankar'];

/**
 * The risk report of records grouped into classes of the given sizes (suppressed records already left out).
 * @throws CloakError (usage) for a size that is not a positive integer, a threshold outside [0, 1], an unknown
 * population model, a population smaller than the records, or population counts that do not cover their classes.
 */
export function estimateRiskFromClassSizes(classSizes: ArrayLike<number>, options: RiskOptions = {}): RiskReport {
  const threshold = options.threshold ?? DEFAULT_THRESHOLD;
  if (!(threshold >= 0 && threshold <= 1)) {
    throw usageError('RISK_THRESHOLD', `Risk threshold must be in [0, 1], got ${threshold}.`);
  }
  const model = options.populationModel ?? 'dankar';
  if (!POPULATION_MODELS.includes(model)) {
    throw usageError('RISK_POPULATION_MODEL', `Population model must be one of ${POPULATION_MODELS.join(', ')}.`);
  }
  const profile = buildClassSizeProfile(classSizes);
  const { records } = profile;
  const populationSize = options.populationSize;
  if (populationSize !== undefined) validatePopulationSize(populationSize, records);
  const populationCounts = options.populationCounts;
  if (populationCounts !== undefined) validatePopulationCounts(classSizes, populationCounts);

  const prosecutor = attackerRisk(classSizes, classSizes, records, threshold);
  const journalist =
    populationCounts === undefined ? prosecutor : attackerRisk(classSizes, populationCounts, records, threshold);
  // With population counts the marketer's expected share re-identified is the mean of 1/F_E over
  // records, which is exactly the journalist's average; without them both reduce to c/N_r.
  const marketer = { averageRisk: journalist.averageRisk };

  let populationUniqueness: PopulationUniquenessReport;
  if (populationSize === undefined) {
    populationUniqueness = unavailablePopulationUniqueness('no population size given', null, model);
  } else if (records === 0) {
    const reason = 'no records: every record is suppressed';
    populationUniqueness = unavailablePopulationUniqueness(reason, populationSize, model);
  } else {
    populationUniqueness = estimatePopulationUniqueness(profile, populationSize, model);
  }

  return {
    records,
    classes: profile.classes,
    prosecutor,
    journalist,
    marketer,
    sampleUniqueness: countAndFraction(classesOfSize(profile, 1), records),
    populationUniqueness,
    distribution: riskDistribution(classSizes, records),
  };
}
