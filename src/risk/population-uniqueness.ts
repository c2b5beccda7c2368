// Population uniqueness: the Zayatz, Pitman and SNB estimates and Dankar et al.'s rule choosing among them.
// Owns the population-size presets and the validation of a population size against the sample.

import { usageError } from '../errors.js';
import { buildClassSizeProfile, type ClassSizeProfile } from './class-size-profile.js';
import {
  isEstimateAvailable,
  unavailable,
  type CountAndFraction,
  type PopulationEstimate,
  type UnavailableEstimate,
} from './estimates.js';
import { pitmanUniques } from './pitman.js';
import { snbUniques } from './snb.js';
import { zayatzUniques } from './zayatz.js';

/** Population sizes (persons) to use for N when the data is a sample of a whole country or region. */
export const POPULATION_PRESETS = {
  USA: 317238626,
  UK: 63705000,
  Germany: 80767000,
  France: 65820916,
  Canada: 34834841,
  EU: 507420000,
} as const;

export type PopulationModel = 'pitman' | 'zayatz' | 'snb' | 'dankar';

/** Dankar's estimate also names the model whose figure it took. */
export type DankarEstimate =
  | (CountAndFraction & { readonly model: Exclude<PopulationModel, 'dankar'> })
  | UnavailableEstimate;

export interface PopulationUniquenessReport {
  /** N, or null when none was given. */
  readonly populationSize: number | null;
  /** f = N_r / N, or null when no population size was given. */
  readonly samplingFraction: number | null;
  /** The model asked for in the options (default Dankar's rule) and its estimate, repeated here. */
  readonly model: PopulationModel;
  readonly estimate: PopulationEstimate;
  readonly zayatz: PopulationEstimate;
  readonly pitman: PopulationEstimate;
  readonly snb: PopulationEstimate;
  readonly dankar: DankarEstimate;
}

/** Dankar et al. (2012) pick Pitman for small samples and the more cautious of Zayatz/SNB otherwise. */
const DANKAR_SAMPLING_FRACTION_LIMIT = 0.1;

export function validatePopulationSize(populationSize: number, records: number): void {
  if (!Number.isInteger(populationSize) || populationSize < 1) {
    throw usageError('RISK_POPULATION_SIZE', `Population size must be a positive integer, got ${populationSize}.`);
  }
  if (populationSize < records) {
    throw usageError(
      'RISK_POPULATION_SIZE',
      `Population size ${populationSize} is smaller than the ${records} records it is said to contain.`,
    );
  }
}

/** Lazily computed estimates, so that the decision rule only fits the models it consults. */
interface EstimateSources {
  readonly zayatz: () => CountAndFraction;
  readonly pitman: () => PopulationEstimate;
  readonly snb: () => PopulationEstimate;
}

/**
 * Dankar et al.'s decision rule: f ≤ 0.1 → Pitman if it is available, else Zayatz; f > 0.1 → the smaller
 * of Zayatz and SNB when SNB is available, else Zayatz (ties go to Zayatz).
 */
export function dankarRule(samplingFraction: number, sources: EstimateSources): DankarEstimate {
  if (samplingFraction <= DANKAR_SAMPLING_FRACTION_LIMIT) {
    const pitman = sources.pitman();
    return isEstimateAvailable(pitman) ? { ...pitman, model: 'pitman' } : { ...sources.zayatz(), model: 'zayatz' };
  }
  const zayatz = sources.zayatz();
  const snb = sources.snb();
  if (isEstimateAvailable(snb) && snb.count < zayatz.count) return { ...snb, model: 'snb' };
  return { ...zayatz, model: 'zayatz' };
}

/** Every population estimate for a non-empty profile; the caller has validated N ≥ N_r. */
export function estimatePopulationUniqueness(
  profile: ClassSizeProfile,
  populationSize: number,
  model: PopulationModel,
): PopulationUniquenessReport {
  const samplingFraction = profile.records / populationSize;
  const zayatz = zayatzUniques(profile, populationSize);
  const pitman = pitmanUniques(profile, populationSize);
  const snb = snbUniques(profile, populationSize);
  const dankar = dankarRule(samplingFraction, { zayatz: () => zayatz, pitman: () => pitman, snb: () => snb });
  const byModel = { zayatz, pitman, snb, dankar };
  return { populationSize, samplingFraction, model, estimate: byModel[model], zayatz, pitman, snb, dankar };
}

/** One model's estimate for a non-empty profile, fitting only what that model needs. */
function estimateWithModel(
  profile: ClassSizeProfile,
  populationSize: number,
  model: PopulationModel,
): PopulationEstimate {
  const sources: EstimateSources = {
    zayatz: () => zayatzUniques(profile, populationSize),
    pitman: () => pitmanUniques(profile, populationSize),
    snb: () => snbUniques(profile, populationSize),
  };
  return model === 'dankar' ? dankarRule(profile.records / populationSize, sources) : sources[model]();
}

/** The report section when no figure can be given, for the same reason for every model. */
export function unavailablePopulationUniqueness(
  reason: string,
  populationSize: number | null,
  model: PopulationModel,
): PopulationUniquenessReport {
  const none = unavailable(reason);
  return {
    populationSize,
    samplingFraction: populationSize === null ? null : 0,
    model,
    estimate: none,
    zayatz: none,
    pitman: none,
    snb: none,
    dankar: none,
  };
}

/**
 * The estimated fraction of the population that is unique on the quasi-identifiers, for risk-based
 * privacy models. Returns undefined when the model gives no estimate (e.g. its solver fails, or every
 * record is suppressed): the caller must decide how to treat that, never read it as zero risk.
 */
export function populationUniqueness(
  classSizes: ArrayLike<number>,
  populationSize: number,
  model: PopulationModel = 'dankar',
): number | undefined {
  const profile = buildClassSizeProfile(classSizes);
  validatePopulationSize(populationSize, profile.records);
  if (profile.records === 0) return undefined;
  const estimate = estimateWithModel(profile, populationSize, model);
  return isEstimateAvailable(estimate) ? estimate.fraction : undefined;
}
