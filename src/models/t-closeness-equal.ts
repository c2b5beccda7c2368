// t-closeness with equal ground distance: the total variation ½ Σ_v |p_v − q_v| between class and input is at most t.
// Computed over the class's values only: values absent from the class contribute p_v, which sums to 1 − Σ_{v in class} p_v.

import type { EquivalenceClasses } from '../groupify/equivalence-classes.js';
import type { ModelSpec } from '../options.js';
import type { PrivacyModel, SensitiveAttribute } from './privacy-model.js';
import { convexShortfall } from './sensitive-support.js';

export type TClosenessSpec = Extract<ModelSpec, { type: 't-closeness' }>;

class EqualDistanceTCloseness implements PrivacyModel {
  readonly label: string;
  readonly minClassSize = 1;
  readonly monotoneWithSuppression = false;
  readonly monotoneWithoutSuppression = true;
  readonly worst = 'max' as const;
  private readonly slot: number;
  private readonly t: number;
  private readonly globalCounts: Int32Array;
  private readonly rowCount: number;
  /** The largest distance of any distribution: 1 − min_v p_v, reached by a class holding only the rarest value. */
  private readonly maxDistance: number;

  constructor(readonly spec: TClosenessSpec, attribute: SensitiveAttribute, rowCount: number) {
    this.slot = attribute.slot;
    this.t = spec.t;
    this.globalCounts = attribute.globalCounts;
    this.rowCount = rowCount;
    let rarest = rowCount;
    for (const count of attribute.globalCounts) if (count > 0 && count < rarest) rarest = count;
    this.maxDistance = 1 - rarest / rowCount;
    this.label = `${spec.t}-closeness, equal distance (${attribute.name})`;
  }

  isClassValid(classes: EquivalenceClasses, c: number): boolean {
    const scale = this.rowCount * classes.sizes[c];
    return this.scaledDoubleDistance(classes, c) <= 2 * this.t * scale;
  }

  /** Total variation is convex in the distribution (see `convexShortfall`). */
  suppressedBelow(classes: EquivalenceClasses, c: number): number {
    return convexShortfall(classes.sizes[c], this.classMeasure(classes, c), this.t, this.maxDistance);
  }

  classMeasure(classes: EquivalenceClasses, c: number): number {
    const scale = this.rowCount * classes.sizes[c];
    return this.scaledDoubleDistance(classes, c) / (2 * scale);
  }

  /**
   * Σ_v |p_v − q_v| multiplied by n·|class|, so that every term is an integer and the sum is exact:
   * Σ_{v in class} (|g_v·Q − c_v·n| − g_v·Q) + n·Q.
   */
  private scaledDoubleDistance(classes: EquivalenceClasses, c: number): number {
    const histograms = classes.sensitive[this.slot];
    const codes = histograms.codes;
    const counts = histograms.counts;
    const size = classes.sizes[c];
    const rowCount = this.rowCount;
    let sum = rowCount * size;
    for (let i = histograms.offsets[c], end = histograms.offsets[c + 1]; i < end; i++) {
      const globalTimesSize = this.globalCounts[codes[i]] * size;
      sum += Math.abs(globalTimesSize - counts[i] * rowCount) - globalTimesSize;
    }
    return sum;
  }
}

export function createEqualDistanceTCloseness(spec: TClosenessSpec, attribute: SensitiveAttribute, rowCount: number): PrivacyModel {
  return new EqualDistanceTCloseness(spec, attribute, rowCount);
}
