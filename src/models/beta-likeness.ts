// β-likeness: no sensitive value may be much more frequent in a class than in the input.
// Basic: (q_v − p_v)/p_v ≤ β for every value in the class; enhanced: ≤ min(β, −ln p_v) (Cao & Karras 2012, as in ARX).

import type { EquivalenceClasses } from '../groupify/equivalence-classes.js';
import type { ModelSpec } from '../options.js';
import type { PrivacyModel, SensitiveAttribute } from './privacy-model.js';
import { valueCapShortfall } from './sensitive-support.js';

export type BetaLikenessSpec = Extract<ModelSpec, { type: 'beta-likeness' }>;

class BetaLikeness implements PrivacyModel {
  readonly label: string;
  readonly minClassSize = 1;
  readonly monotoneWithSuppression = false;
  readonly monotoneWithoutSuppression = true;
  readonly worst = 'max' as const;
  private readonly slot: number;
  private readonly rowCount: number;
  private readonly globalCounts: Int32Array;
  /** The bound on each value's relative gain, by data code: β, or min(β, −ln p_v) when enhanced. */
  private readonly gainBound: Float64Array;
  /** −ln p_v by data code (enhanced only; empty otherwise). */
  private readonly informationContent: Float64Array;

  constructor(readonly spec: BetaLikenessSpec, attribute: SensitiveAttribute, rowCount: number) {
    this.slot = attribute.slot;
    this.rowCount = rowCount;
    this.globalCounts = attribute.globalCounts;
    const enhanced = spec.enhanced === true;
    const domain = attribute.globalCounts.length;
    this.informationContent = new Float64Array(enhanced ? domain : 0);
    this.gainBound = new Float64Array(domain).fill(spec.beta);
    if (enhanced) {
      for (let code = 0; code < domain; code++) {
        this.informationContent[code] = -Math.log(attribute.globalCounts[code] / rowCount);
        this.gainBound[code] = Math.min(spec.beta, this.informationContent[code]);
      }
    }
    this.label = `${enhanced ? 'enhanced' : 'basic'} ${spec.beta}-likeness (${attribute.name})`;
  }

  isClassValid(classes: EquivalenceClasses, c: number): boolean {
    const histograms = classes.sensitive[this.slot];
    const size = classes.sizes[c];
    for (let i = histograms.offsets[c], end = histograms.offsets[c + 1]; i < end; i++) {
      const code = histograms.codes[i];
      if (this.relativeGain(histograms.counts[i], code, size) > this.gainBound[code]) return false;
    }
    return true;
  }

  /** Each value's condition is q_v ≤ p_v·(1 + bound_v): the most demanding one over the class's values. */
  suppressedBelow(classes: EquivalenceClasses, c: number): number {
    const histograms = classes.sensitive[this.slot];
    const size = classes.sizes[c];
    let records = 0;
    for (let i = histograms.offsets[c], end = histograms.offsets[c + 1]; i < end; i++) {
      const code = histograms.codes[i];
      const cap = (this.globalCounts[code] * (1 + this.gainBound[code])) / this.rowCount;
      records = Math.max(records, valueCapShortfall(size, histograms.counts[i], cap));
    }
    return records;
  }

  /**
   * The smallest β the class satisfies: its largest relative gain. Under enhanced likeness a class with a gain
   * above −ln p_v fails for every β, so its measure is Infinity.
   */
  classMeasure(classes: EquivalenceClasses, c: number): number {
    const histograms = classes.sensitive[this.slot];
    const size = classes.sizes[c];
    const enhanced = this.informationContent.length > 0;
    let worst = -Infinity;
    for (let i = histograms.offsets[c], end = histograms.offsets[c + 1]; i < end; i++) {
      const code = histograms.codes[i];
      const gain = this.relativeGain(histograms.counts[i], code, size);
      if (enhanced && gain > this.informationContent[code]) return Infinity;
      worst = Math.max(worst, gain);
    }
    return worst;
  }

  /** (q_v − p_v)/p_v, as one quotient of integers: (c_v·n − g_v·Q) / (g_v·Q). */
  private relativeGain(classCount: number, code: number, size: number): number {
    const globalTimesSize = this.globalCounts[code] * size;
    return (classCount * this.rowCount - globalTimesSize) / globalTimesSize;
  }
}

export function createBetaLikeness(spec: BetaLikenessSpec, attribute: SensitiveAttribute, rowCount: number): PrivacyModel {
  return new BetaLikeness(spec, attribute, rowCount);
}
