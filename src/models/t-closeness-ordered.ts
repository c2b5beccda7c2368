// t-closeness with ordered ground distance: Σ_{i=1..m} |Σ_{j≤i} (q_j − p_j)| ≤ t·(m − 1), values j in declared-type order.
// Per class it costs O(d log m) for d class values, not O(m): between two class values the sum is a closed form.

import type { EquivalenceClasses } from '../groupify/equivalence-classes.js';
import type { PrivacyModel, SensitiveAttribute } from './privacy-model.js';
import { convexShortfall, sortPrefixAscending } from './sensitive-support.js';
import type { TClosenessSpec } from './t-closeness-equal.js';
import { orderValues } from './value-order.js';

/*
 * Everything is scaled by n·Q (input records × class size) so that the partial sums are integers:
 * at rank i the term is |C(i)·n − G(i)·Q|, with C(i) the class records and G(i) the input records of ranks ≤ i.
 * Between two consecutive class values C is constant while G grows strictly, so the term changes sign at most
 * once in such a run; a binary search finds where, and prefix sums of G give both halves.
 */

class OrderedDistanceTCloseness implements PrivacyModel {
  readonly label: string;
  readonly minClassSize = 1;
  readonly monotoneWithSuppression = false;
  readonly monotoneWithoutSuppression = true;
  readonly worst = 'max' as const;
  private readonly slot: number;
  private readonly t: number;
  private readonly rowCount: number;
  /** m: distinct values in the input. */
  private readonly valueCount: number;
  private readonly rankOfCode: Int32Array;
  /** cumulativeGlobal[i + 1] = G(i); cumulativeGlobal[0] = 0. */
  private readonly cumulativeGlobal: Float64Array;
  /** doublyCumulativeGlobal[i + 1] = G(0) + … + G(i); index 0 holds 0. */
  private readonly doublyCumulativeGlobal: Float64Array;
  /** Scratch: the ranks of one class's values, sorted (a rank twice when two codes share it). */
  private readonly classRanks: Int32Array;
  /** Scratch: one class's count per rank; zero outside the class being evaluated. */
  private readonly countAtRank: Int32Array;
  /** The largest distance of any distribution, reached by a class holding one value (0 when m ≤ 1). */
  private readonly maxDistance: number;

  constructor(readonly spec: TClosenessSpec, attribute: SensitiveAttribute, rowCount: number) {
    this.slot = attribute.slot;
    this.t = spec.t;
    this.rowCount = rowCount;
    const { rankOfCode, codeAtRank } = orderValues(attribute);
    this.rankOfCode = rankOfCode;
    this.valueCount = codeAtRank.length;
    this.cumulativeGlobal = new Float64Array(this.valueCount + 1);
    this.doublyCumulativeGlobal = new Float64Array(this.valueCount + 1);
    for (let rank = 0; rank < this.valueCount; rank++) {
      this.cumulativeGlobal[rank + 1] = this.cumulativeGlobal[rank] + attribute.globalCounts[codeAtRank[rank]];
      this.doublyCumulativeGlobal[rank + 1] = this.doublyCumulativeGlobal[rank] + this.cumulativeGlobal[rank + 1];
    }
    // A class holding only the value of rank r: Σ_{i<r} G(i)/n + Σ_{i≥r} (1 − G(i)/n), over m − 1.
    let largest = 0;
    const m = this.valueCount;
    for (let rank = 0; rank < m; rank++) {
      const below = this.doublyCumulativeGlobal[rank];
      const above = (m - rank) * rowCount - (this.doublyCumulativeGlobal[m] - this.doublyCumulativeGlobal[rank]);
      largest = Math.max(largest, below + above);
    }
    this.maxDistance = m <= 1 ? 0 : largest / ((m - 1) * rowCount);
    // A class holds at most one entry per code; codes outnumber ranks when a plan's data has values new to it.
    this.classRanks = new Int32Array(Math.max(1, attribute.dictionary.length));
    this.countAtRank = new Int32Array(Math.max(1, this.valueCount));
    this.label = `${spec.t}-closeness, ordered distance (${attribute.name})`;
  }

  isClassValid(classes: EquivalenceClasses, c: number): boolean {
    const scale = this.rowCount * classes.sizes[c];
    return this.scaledDistanceSum(classes, c) <= this.t * (this.valueCount - 1) * scale;
  }

  /** The distance is a sum of absolute values of linear forms in q: convex (see `convexShortfall`). */
  suppressedBelow(classes: EquivalenceClasses, c: number): number {
    return convexShortfall(classes.sizes[c], this.classMeasure(classes, c), this.t, this.maxDistance);
  }

  classMeasure(classes: EquivalenceClasses, c: number): number {
    if (this.valueCount <= 1) return 0;
    const scale = this.rowCount * classes.sizes[c];
    return this.scaledDistanceSum(classes, c) / ((this.valueCount - 1) * scale);
  }

  /** Σ_i |C(i)·n − G(i)·Q| over all m ranks. */
  private scaledDistanceSum(classes: EquivalenceClasses, c: number): number {
    const histograms = classes.sensitive[this.slot];
    const start = histograms.offsets[c];
    const distinct = histograms.offsets[c + 1] - start;
    const ranks = this.classRanks;
    const countAtRank = this.countAtRank;
    for (let i = 0; i < distinct; i++) {
      const rank = this.rankOfCode[histograms.codes[start + i]];
      ranks[i] = rank;
      // += : a value new to a plan's distribution shares its rank with a planning value (see value-order.ts).
      countAtRank[rank] += histograms.counts[start + i];
    }
    sortPrefixAscending(ranks, distinct);

    const size = classes.sizes[c];
    let sum = 0;
    let classCumulative = 0;
    let runStart = 0;
    for (let i = 0; i < distinct; i++) {
      const rank = ranks[i];
      sum += this.runSum(runStart, rank - 1, classCumulative * this.rowCount, size);
      classCumulative += countAtRank[rank];
      countAtRank[rank] = 0;
      runStart = rank;
    }
    return sum + this.runSum(runStart, this.valueCount - 1, classCumulative * this.rowCount, size);
  }

  /** Σ_{i=first..last} |classTerm − Q·G(i)|, where classTerm = C·n is constant over the run. */
  private runSum(first: number, last: number, classTerm: number, size: number): number {
    if (first > last) return 0;
    const cumulative = this.cumulativeGlobal;
    const doubly = this.doublyCumulativeGlobal;
    // The first rank in [first, last + 1) whose Q·G exceeds classTerm; the terms before it are non-negative.
    let low = first;
    let high = last + 1;
    while (low < high) {
      const middle = (low + high) >>> 1;
      if (size * cumulative[middle + 1] > classTerm) high = middle;
      else low = middle + 1;
    }
    const crossing = low;
    const below = (crossing - first) * classTerm - size * (doubly[crossing] - doubly[first]);
    const above = size * (doubly[last + 1] - doubly[crossing]) - (last + 1 - crossing) * classTerm;
    return below + above;
  }
}

export function createOrderedDistanceTCloseness(spec: TClosenessSpec, attribute: SensitiveAttribute, rowCount: number): PrivacyModel {
  return new OrderedDistanceTCloseness(spec, attribute, rowCount);
}
