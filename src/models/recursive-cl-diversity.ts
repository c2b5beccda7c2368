// Recursive (c,l)-diversity: the most frequent sensitive value is rarer than c times the l-th to last most frequent together.
// With counts sorted descending r₁ ≥ … ≥ r_m, a class passes iff m ≥ l and r₁ < c·(r_l + … + r_m).

import type { EquivalenceClasses } from '../groupify/equivalence-classes.js';
import type { ModelSpec } from '../options.js';
import type { PrivacyModel, SensitiveAttribute } from './privacy-model.js';
import { recordsAtLeast, sortPrefixAscending } from './sensitive-support.js';

export type RecursiveClDiversitySpec = Extract<ModelSpec, { type: 'recursive-cl-diversity' }>;

class RecursiveClDiversity implements PrivacyModel {
  readonly label: string;
  readonly minClassSize: number;
  readonly monotoneWithSuppression = false;
  readonly monotoneWithoutSuppression = true;
  readonly worst = 'max' as const;
  private readonly slot: number;
  /** The parameter c: r₁ / (r_l + … + r_m) must stay below it. */
  private readonly ratioBound: number;
  private readonly l: number;
  /** Holds one class's counts while they are sorted; a class never has more values than the domain. */
  private readonly sortedCounts: Int32Array;

  constructor(readonly spec: RecursiveClDiversitySpec, attribute: SensitiveAttribute) {
    this.slot = attribute.slot;
    this.ratioBound = spec.c;
    this.l = spec.l;
    this.minClassSize = spec.l;
    this.sortedCounts = new Int32Array(Math.max(1, attribute.dictionary.length));
    this.label = `recursive (${spec.c},${spec.l})-diversity (${attribute.name})`;
  }

  isClassValid(classes: EquivalenceClasses, c: number): boolean {
    const histograms = classes.sensitive[this.slot];
    const distinct = histograms.offsets[c + 1] - histograms.offsets[c];
    if (distinct < this.l) return false;
    const tail = this.sortAndSumTail(classes, c, distinct);
    return this.sortedCounts[distinct - 1] < this.ratioBound * tail;
  }

  /**
   * Too few values: every subclass has too few too. Otherwise g = c·(r_l + … + r_m) − r₁ (the class passes iff
   * g > 0) is superadditive over count vectors (the sum of the l − 1 largest counts and the largest count are
   * subadditive), so the released part P (g(P) > 0 or empty) and the rest F give g(class) ≥ g(P) + g(F) ≥ −|F|:
   * at least r₁ − c·(r_l + … + r_m) records go.
   */
  suppressedBelow(classes: EquivalenceClasses, c: number): number {
    const histograms = classes.sensitive[this.slot];
    const distinct = histograms.offsets[c + 1] - histograms.offsets[c];
    const size = classes.sizes[c];
    if (distinct < this.l) return size;
    const tail = this.sortAndSumTail(classes, c, distinct);
    return recordsAtLeast(this.sortedCounts[distinct - 1] - this.ratioBound * tail, size);
  }

  /** r₁ / (r_l + … + r_m): the class passes iff this is below c; Infinity when it has fewer than l values. */
  classMeasure(classes: EquivalenceClasses, c: number): number {
    const histograms = classes.sensitive[this.slot];
    const distinct = histograms.offsets[c + 1] - histograms.offsets[c];
    if (distinct < this.l) return Infinity;
    const tail = this.sortAndSumTail(classes, c, distinct);
    return this.sortedCounts[distinct - 1] / tail;
  }

  /** Sorts the class's counts ascending into `sortedCounts` and returns r_l + … + r_m (the smallest m − l + 1). */
  private sortAndSumTail(classes: EquivalenceClasses, c: number, distinct: number): number {
    const histograms = classes.sensitive[this.slot];
    const start = histograms.offsets[c];
    const sorted = this.sortedCounts;
    for (let i = 0; i < distinct; i++) sorted[i] = histograms.counts[start + i];
    sortPrefixAscending(sorted, distinct);
    let tail = 0;
    for (let i = distinct - this.l; i >= 0; i--) tail += sorted[i];
    return tail;
  }
}

export function createRecursiveClDiversity(spec: RecursiveClDiversitySpec, attribute: SensitiveAttribute): PrivacyModel {
  return new RecursiveClDiversity(spec, attribute);
}
