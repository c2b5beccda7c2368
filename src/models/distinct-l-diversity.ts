// Distinct l-diversity: every class holds at least l distinct values of the sensitive attribute.
// The only sensitive-attribute model whose check stays monotone under suppression.

import type { EquivalenceClasses } from '../groupify/equivalence-classes.js';
import type { ModelSpec } from '../options.js';
import type { PrivacyModel, SensitiveAttribute } from './privacy-model.js';

export type DistinctLDiversitySpec = Extract<ModelSpec, { type: 'distinct-l-diversity' }>;

class DistinctLDiversity implements PrivacyModel {
  readonly label: string;
  readonly minClassSize: number;
  readonly monotoneWithSuppression = true;
  readonly monotoneWithoutSuppression = true;
  readonly worst = 'min' as const;
  private readonly slot: number;
  private readonly l: number;

  constructor(readonly spec: DistinctLDiversitySpec, attribute: SensitiveAttribute) {
    this.l = spec.l;
    this.slot = attribute.slot;
    this.minClassSize = Math.ceil(spec.l);
    this.label = `distinct ${spec.l}-diversity (${attribute.name})`;
  }

  isClassValid(classes: EquivalenceClasses, c: number): boolean {
    return this.classMeasure(classes, c) >= this.l;
  }

  /** Every subclass holds at most the class's values: all of it goes. */
  suppressedBelow(classes: EquivalenceClasses, c: number): number {
    return classes.sizes[c];
  }

  /** The number of distinct sensitive values in the class. */
  classMeasure(classes: EquivalenceClasses, c: number): number {
    const offsets = classes.sensitive[this.slot].offsets;
    return offsets[c + 1] - offsets[c];
  }
}

export function createDistinctLDiversity(spec: DistinctLDiversitySpec, attribute: SensitiveAttribute): PrivacyModel {
  return new DistinctLDiversity(spec, attribute);
}
