// (ε, δ)-differential privacy by SafePub: the per-class part of it, k-anonymity of the sample with k derived from
// ε_anon and δ. The sampling and the choice of the transformation belong to the release (dp-release.ts).

import { usageError } from '../errors.js';
import type { EquivalenceClasses } from '../groupify/equivalence-classes.js';
import type { ModelSpec } from '../options.js';
import { dpParameters, epsilonAnon } from './dp/parameters.js';
import type { PrivacyModel } from './privacy-model.js';

type DifferentialPrivacySpec = Extract<ModelSpec, { type: 'differential-privacy' }>;

/** A class-size bound, so monotone with and without suppression (the search it runs under relies on neither). */
export function createDifferentialPrivacy(spec: DifferentialPrivacySpec): PrivacyModel {
  let parameters: { k: number; beta: number };
  try {
    parameters = dpParameters(epsilonAnon(spec), spec.delta);
  } catch (cause) {
    // Parameters beyond the reach of doubles (e^ε overflows) or of any practical k.
    if (cause instanceof RangeError) throw usageError('DP_PARAMETERS', `differential privacy: ε_anon = ${epsilonAnon(spec)} and δ = ${spec.delta} give no usable class size (${cause.message})`, { cause });
    throw cause;
  }
  const { k, beta } = parameters;
  return {
    spec,
    label: `(${spec.epsilon}, ${spec.delta})-differential privacy (k = ${k})`,
    minClassSize: k,
    monotoneWithSuppression: true,
    monotoneWithoutSuppression: true,
    isClassValid: (classes: EquivalenceClasses, c: number) => classes.sizes[c] >= k,
    classMeasure: (classes: EquivalenceClasses, c: number) => classes.sizes[c],
    worst: 'min',
    derived: { k, beta },
  };
}
