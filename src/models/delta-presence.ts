// δ-presence: a research subset of a population is released, and in every class the share of the population's
// records that belong to the subset lies in [δmin, δmax] (Nergiz, Atzori and Clifton 2007, as ARX checks it).

import { usageError } from '../errors.js';
import type { EquivalenceClasses } from '../groupify/equivalence-classes.js';
import type { ModelSpec } from '../options.js';
import type { ModelContext, PrivacyModel } from './privacy-model.js';

type DeltaPresenceSpec = Extract<ModelSpec, { type: 'delta-presence' }>;

/**
 * Monotone without suppression: a merged class's share is the population-weighted mean of its parts' shares, so
 * parts within [δmin, δmax] give a merged class within it. Not with suppression: a class suppressed below may merge
 * with passing ones into a class that fails (shares 0.9 and 0.2 with δmax 0.5, say), so more is suppressed above.
 * A failing class splits below into parts that cannot all pass (their union would then pass too), and a failing part
 * holds a released record or, holding none, makes the node invalid: every specialization suppresses at least one
 * record of it or is not anonymous (`suppressedBelow` = 1).
 */
export function createDeltaPresence(spec: DeltaPresenceSpec, context: ModelContext): PrivacyModel {
  const population = context.presencePopulation;
  if (population === undefined) throw usageError('DELTA_PRESENCE_NO_POPULATION', 'δ-presence needs the population its subset is drawn from');
  const share = (classes: EquivalenceClasses, c: number) => classes.sizes[c] / population.countsOf(classes)[c];
  const { deltaMin, deltaMax } = spec;
  return {
    spec,
    label: `(${deltaMin}, ${deltaMax})-presence`,
    minClassSize: 1,
    monotoneWithSuppression: false,
    monotoneWithoutSuppression: true,
    isClassValid: (classes: EquivalenceClasses, c: number) => {
      const value = share(classes, c);
      return value >= deltaMin && value <= deltaMax;
    },
    suppressedBelow: () => 1,
    // A class of the population without a subset record has share 0, which only δmin > 0 refuses.
    isNodeValid: deltaMin > 0 ? (classes: EquivalenceClasses) => population.unmatchedOf(classes) === 0 : undefined,
    classMeasure: share,
    worst: 'max',
  };
}
