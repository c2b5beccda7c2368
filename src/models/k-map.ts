// k-map: every released class stands for at least k people of the population — counted from a population table
// generalized like the data, or, knowing only the population's size, estimated as ARX does (a class size k′).

import { usageError } from '../errors.js';
import type { EquivalenceClasses } from '../groupify/equivalence-classes.js';
import type { ModelSpec } from '../options.js';
import { DEFAULT_K_MAP_SIGNIFICANCE, estimateKMapK } from '../risk/k-map-estimate.js';
import type { ModelContext, PrivacyModel } from './privacy-model.js';

type KMapSpec = Extract<ModelSpec, { type: 'k-map' }>;

/**
 * Monotonicity: counted k-map is monotone with and without suppression. A class above merges classes below; its
 * population count is the sum of theirs, so a class that fails above (count < k) consists of classes that fail
 * below. That is also why every specialization suppresses all of a failing class (`suppressedBelow`).
 * Estimated k-map is k′-anonymity: monotone likewise.
 */
export function createKMap(spec: KMapSpec, context: ModelContext): PrivacyModel {
  if (spec.estimator === undefined) return createCountedKMap(spec, context);
  const sampleSize = context.recordCount ?? context.rowCount;
  const populationSize = spec.populationSize!;
  if (populationSize < sampleSize) {
    throw usageError('K_MAP_POPULATION_SIZE', `k-map: the population size ${populationSize} is smaller than the ${sampleSize} records it is said to contain`);
  }
  const significance = spec.significance ?? DEFAULT_K_MAP_SIGNIFICANCE;
  const estimate = estimateKMapK(spec.k, sampleSize, populationSize, significance, spec.estimator);
  const name = spec.estimator === 'poisson' ? 'Poisson' : 'zero-truncated Poisson';
  return {
    spec,
    label: `${spec.k}-map (${name}, N = ${populationSize}: ${estimate.k}-anonymity)`,
    minClassSize: estimate.k,
    monotoneWithSuppression: true,
    monotoneWithoutSuppression: true,
    isClassValid: (classes: EquivalenceClasses, c: number) => classes.sizes[c] >= estimate.k,
    classMeasure: (classes: EquivalenceClasses, c: number) => classes.sizes[c],
    worst: 'min',
    derived: { k: estimate.k, typeOneError: estimate.typeOneError, significance },
  };
}

function createCountedKMap(spec: KMapSpec, context: ModelContext): PrivacyModel {
  const population = context.populationTable;
  if (population === undefined) {
    throw usageError('K_MAP_NO_POPULATION', 'k-map without an estimator counts the population from a population table (--population-table, risk.populationTable)');
  }
  const counts = (classes: EquivalenceClasses, c: number) => population.countsOf(classes)[c];
  return {
    spec,
    label: `${spec.k}-map (population table)`,
    minClassSize: 1,
    monotoneWithSuppression: true,
    monotoneWithoutSuppression: true,
    isClassValid: (classes: EquivalenceClasses, c: number) => counts(classes, c) >= spec.k,
    suppressedBelow: (classes: EquivalenceClasses, c: number) => classes.sizes[c],
    classMeasure: counts,
    worst: 'min',
  };
}
