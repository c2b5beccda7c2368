// δ-disclosure privacy: for every sensitive value present in a class, |log₂(q_v / p_v)| < δ (strict).
// Values absent from the class are not constrained (as in ARX); the model is not monotone at all.

import type { EquivalenceClasses } from '../groupify/equivalence-classes.js';
import type { ModelSpec } from '../options.js';
import type { PrivacyModel, SensitiveAttribute } from './privacy-model.js';
import { valueCapShortfall } from './sensitive-support.js';

export type DeltaDisclosureSpec = Extract<ModelSpec, { type: 'delta-disclosure' }>;

class DeltaDisclosurePrivacy implements PrivacyModel {
  readonly label: string;
  readonly minClassSize = 1;
  readonly monotoneWithSuppression = false;
  readonly monotoneWithoutSuppression = false;
  readonly worst = 'max' as const;
  private readonly slot: number;
  private readonly delta: number;
  private readonly rowCount: number;
  private readonly globalCounts: Int32Array;

  constructor(readonly spec: DeltaDisclosureSpec, attribute: SensitiveAttribute, rowCount: number) {
    this.slot = attribute.slot;
    this.delta = spec.delta;
    this.rowCount = rowCount;
    this.globalCounts = attribute.globalCounts;
    this.label = `${spec.delta}-disclosure privacy (${attribute.name})`;
  }

  isClassValid(classes: EquivalenceClasses, c: number): boolean {
    return this.classMeasure(classes, c) < this.delta;
  }

  /**
   * Only the upper half of the condition survives merging: a released part holds each value below 2^δ·p_v (or not
   * at all), so a value above it forces out records. A value too rare (below p_v / 2^δ) may just vanish below.
   */
  suppressedBelow(classes: EquivalenceClasses, c: number): number {
    const histograms = classes.sensitive[this.slot];
    const size = classes.sizes[c];
    const factor = 2 ** this.delta / this.rowCount;
    let records = 0;
    for (let i = histograms.offsets[c], end = histograms.offsets[c + 1]; i < end; i++) {
      records = Math.max(records, valueCapShortfall(size, histograms.counts[i], this.globalCounts[histograms.codes[i]] * factor));
    }
    return records;
  }

  /** max over the class's values of |log₂(q_v / p_v)|. */
  classMeasure(classes: EquivalenceClasses, c: number): number {
    const histograms = classes.sensitive[this.slot];
    const size = classes.sizes[c];
    let worst = 0;
    for (let i = histograms.offsets[c], end = histograms.offsets[c + 1]; i < end; i++) {
      // q/p = (c_v / Q) / (g_v / n) as one quotient of integers, so exact powers of two give exact logarithms.
      const ratio = (histograms.counts[i] * this.rowCount) / (this.globalCounts[histograms.codes[i]] * size);
      worst = Math.max(worst, Math.abs(Math.log2(ratio)));
    }
    return worst;
  }
}

export function createDeltaDisclosurePrivacy(spec: DeltaDisclosureSpec, attribute: SensitiveAttribute, rowCount: number): PrivacyModel {
  return new DeltaDisclosurePrivacy(spec, attribute, rowCount);
}
