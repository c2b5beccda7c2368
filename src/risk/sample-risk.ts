// Re-identification risks read directly off the class sizes: prosecutor, journalist, marketer,
// sample uniqueness and the distribution of records over risk bands.

import { usageError } from '../errors.js';
import { countAndFraction, type CountAndFraction } from './estimates.js';

export interface RecordsAtRisk extends CountAndFraction {
  /** Records count as at risk when their risk is strictly above this. */
  readonly threshold: number;
}

/** Risks of one attacker model, each record's risk being 1/(size of the group it hides in). */
export interface AttackerRisk {
  readonly highestRisk: number;
  readonly lowestRisk: number;
  /** Mean risk over records = expected share re-identified when every record is attacked. */
  readonly averageRisk: number;
  readonly recordsAffectedByHighestRisk: CountAndFraction;
  readonly recordsAtRisk: RecordsAtRisk;
}

export interface RiskBand extends CountAndFraction {
  /** Upper bound of the band's prosecutor risk; the band starts above the previous band's bound. */
  readonly upTo: number;
}

/** Upper bounds of the risk bands: 0.1 %, 1 %, 5 %, 10 %, 20 %, 50 %, 100 %. */
export const RISK_BAND_LIMITS: readonly number[] = [0.001, 0.01, 0.05, 0.1, 0.2, 0.5, 1];

/** Throws unless the population counts pair up with the classes and each covers its class. */
export function validatePopulationCounts(classSizes: ArrayLike<number>, populationCounts: Float64Array): void {
  if (populationCounts.length !== classSizes.length) {
    throw usageError(
      'RISK_POPULATION_COUNTS',
      `Population counts must give one count per class: ${populationCounts.length} counts ` +
        `for ${classSizes.length} classes.`,
    );
  }
  for (let c = 0; c < classSizes.length; c++) {
    if (!(populationCounts[c] >= classSizes[c]) || !Number.isFinite(populationCounts[c])) {
      throw usageError(
        'RISK_POPULATION_COUNTS',
        `Population count at index ${c} must be a finite number at least its class size ${classSizes[c]}, ` +
          `got ${populationCounts[c]}.`,
      );
    }
  }
}

/**
 * Risks when record group c has `groupSizes[c]` members the attacker cannot tell apart: the class
 * itself (prosecutor) or its population counterpart F_E (journalist).
 */
export function attackerRisk(
  classSizes: ArrayLike<number>,
  groupSizes: ArrayLike<number>,
  records: number,
  threshold: number,
): AttackerRisk {
  if (records === 0) {
    return {
      highestRisk: 0,
      lowestRisk: 0,
      averageRisk: 0,
      recordsAffectedByHighestRisk: countAndFraction(0, 0),
      recordsAtRisk: { ...countAndFraction(0, 0), threshold },
    };
  }
  let smallestGroup = Number.POSITIVE_INFINITY;
  let largestGroup = 0;
  let expectedReidentified = 0;
  let atRisk = 0;
  for (let c = 0; c < classSizes.length; c++) {
    const group = groupSizes[c];
    smallestGroup = Math.min(smallestGroup, group);
    largestGroup = Math.max(largestGroup, group);
    expectedReidentified += classSizes[c] / group;
    if (1 / group > threshold) atRisk += classSizes[c];
  }
  let affected = 0;
  for (let c = 0; c < classSizes.length; c++) if (groupSizes[c] === smallestGroup) affected += classSizes[c];
  return {
    highestRisk: 1 / smallestGroup,
    lowestRisk: 1 / largestGroup,
    averageRisk: expectedReidentified / records,
    recordsAffectedByHighestRisk: countAndFraction(affected, records),
    recordsAtRisk: { ...countAndFraction(atRisk, records), threshold },
  };
}

/** Records per prosecutor-risk band; each record falls in the first band whose bound its risk does not exceed. */
export function riskDistribution(classSizes: ArrayLike<number>, records: number): RiskBand[] {
  const counts = new Array<number>(RISK_BAND_LIMITS.length).fill(0);
  for (let c = 0; c < classSizes.length; c++) {
    const risk = 1 / classSizes[c];
    const band = RISK_BAND_LIMITS.findIndex((limit) => risk <= limit);
    counts[band] += classSizes[c];
  }
  return RISK_BAND_LIMITS.map((upTo, band) => ({ upTo, ...countAndFraction(counts[band], records) }));
}
