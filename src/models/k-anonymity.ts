// k-anonymity: every released class holds at least k records.
// Monotone for any suppression limit: merged classes only grow, so failing records only shrink.

import type { EquivalenceClasses } from '../groupify/equivalence-classes.js';
import type { PrivacyModel } from './privacy-model.js';

export function createKAnonymity(k: number): PrivacyModel {
  return {
    spec: { type: 'k-anonymity', k },
    label: `${k}-anonymity`,
    minClassSize: k,
    monotoneWithSuppression: true,
    monotoneWithoutSuppression: true,
    isClassValid: (classes: EquivalenceClasses, c: number) => classes.sizes[c] >= k,
    classMeasure: (classes: EquivalenceClasses, c: number) => classes.sizes[c],
    worst: 'min',
  };
}
