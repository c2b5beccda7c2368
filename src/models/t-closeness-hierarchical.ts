// t-closeness with hierarchical ground distance: the earth mover's distance between class and input over the
// sensitive attribute's hierarchy, where moving one unit of mass through a node at level λ costs λ/H.

import { usageError } from '../errors.js';
import type { EquivalenceClasses } from '../groupify/equivalence-classes.js';
import type { PrivacyModel, SensitiveAttribute } from './privacy-model.js';
import { convexShortfall } from './sensitive-support.js';
import type { TClosenessSpec } from './t-closeness-equal.js';

/*
 * Each leaf v carries the surplus e_v = p_v − q_v (scaled by n·Q to stay integral: g_v·Q − c_v·n).
 * An inner node at level λ sums its children's positive surpluses (pos) and negative ones (neg), matches
 * min(pos, −neg) units inside its subtree at cost λ/H each, and passes pos + neg up; the cost sum is the EMD.
 *
 * Only nodes above the class's own values are visited: a subtree without class values holds only input mass,
 * so it does not pay and passes up its input count × Q, which `subtreeGlobal` gives without descending.
 * Hierarchies with several labels at the top level are joined by a virtual root at the maximal distance 1.
 */

/** The nodes touched at one level of the walk, as parallel arrays indexed by slot. */
interface TouchedLevel {
  readonly labels: Int32Array;
  /** Surplus passed up by the node (pos + neg), scaled. */
  readonly surplus: Float64Array;
  /** Input records under the node. */
  readonly global: Float64Array;
  /** Accumulators while the node's children are being summed. */
  readonly positive: Float64Array;
  readonly negative: Float64Array;
  readonly childGlobal: Float64Array;
}

function touchedLevel(capacity: number): TouchedLevel {
  return {
    labels: new Int32Array(capacity),
    surplus: new Float64Array(capacity),
    global: new Float64Array(capacity),
    positive: new Float64Array(capacity),
    negative: new Float64Array(capacity),
    childGlobal: new Float64Array(capacity),
  };
}

class HierarchicalDistanceTCloseness implements PrivacyModel {
  readonly label: string;
  readonly minClassSize = 1;
  readonly monotoneWithSuppression = false;
  readonly monotoneWithoutSuppression = true;
  readonly worst = 'max' as const;
  private readonly slot: number;
  private readonly t: number;
  private readonly rowCount: number;
  private readonly globalCounts: Int32Array;
  /** H: the hierarchy's top level. */
  private readonly height: number;
  /** parentOf[λ][label at λ − 1] → label at λ, for λ = 1..H (index 0 unused). */
  private readonly parentOf: readonly Int32Array[];
  /** subtreeGlobal[λ][label]: input records whose value generalizes to that label at level λ (index 0 unused). */
  private readonly subtreeGlobal: readonly Float64Array[];
  /** Scratch: slot of a label in the level being built, −1 when untouched; reset after each level. */
  private readonly slotOfLabel: Int32Array;
  private readonly levelA: TouchedLevel;
  private readonly levelB: TouchedLevel;
  /** The largest distance of any distribution, reached by a class holding one value. */
  private readonly maxDistance: number;

  constructor(readonly spec: TClosenessSpec, attribute: SensitiveAttribute, rowCount: number) {
    const hierarchy = attribute.hierarchy;
    if (hierarchy === undefined) {
      throw usageError(
        'MODEL_HIERARCHY_REQUIRED',
        `hierarchical-distance t-closeness needs a hierarchy for sensitive attribute "${attribute.name}"`,
        { location: { column: attribute.name } },
      );
    }
    if (hierarchy.maxLevel < 1) {
      throw usageError(
        'MODEL_HIERARCHY_TOO_SHALLOW',
        `hierarchical-distance t-closeness needs at least one level above the values in the hierarchy of "${attribute.name}"`,
        { location: { column: attribute.name } },
      );
    }
    this.slot = attribute.slot;
    this.t = spec.t;
    this.rowCount = rowCount;
    this.globalCounts = attribute.globalCounts;
    this.height = hierarchy.maxLevel;
    const parentOf: Int32Array[] = [new Int32Array(0)];
    const subtreeGlobal: Float64Array[] = [new Float64Array(0)];
    let widestLevel = 1;
    for (let level = 1; level <= this.height; level++) {
      parentOf.push(hierarchy.levelMap(level - 1, level));
      const labelCount = hierarchy.labels[level].length;
      widestLevel = Math.max(widestLevel, labelCount);
      const totals = new Float64Array(labelCount);
      const toLevel = hierarchy.dataToLevel[level];
      for (let code = 0; code < attribute.globalCounts.length; code++) totals[toLevel[code]] += attribute.globalCounts[code];
      subtreeGlobal.push(totals);
    }
    this.parentOf = parentOf;
    this.subtreeGlobal = subtreeGlobal;
    this.slotOfLabel = new Int32Array(widestLevel).fill(-1);
    const capacity = Math.max(1, attribute.dictionary.length);
    this.levelA = touchedLevel(capacity);
    this.levelB = touchedLevel(capacity);
    // A class holding only v moves the input mass first met at level λ above v at cost λ/H, the rest at cost 1.
    let largest = 0;
    for (let code = 0; code < attribute.globalCounts.length; code++) {
      let cost = 0;
      let reached = attribute.globalCounts[code];
      for (let level = 1; level <= this.height; level++) {
        const subtree = subtreeGlobal[level][hierarchy.dataToLevel[level][code]];
        cost += (level / this.height) * (subtree - reached);
        reached = subtree;
      }
      largest = Math.max(largest, (cost + (rowCount - reached)) / rowCount);
    }
    this.maxDistance = largest;
    this.label = `${spec.t}-closeness, hierarchical distance (${attribute.name})`;
  }

  isClassValid(classes: EquivalenceClasses, c: number): boolean {
    return this.scaledCost(classes, c) <= this.t * this.rowCount * classes.sizes[c];
  }

  /** The earth mover's distance to a fixed distribution is convex in q (see `convexShortfall`). */
  suppressedBelow(classes: EquivalenceClasses, c: number): number {
    return convexShortfall(classes.sizes[c], this.classMeasure(classes, c), this.t, this.maxDistance);
  }

  classMeasure(classes: EquivalenceClasses, c: number): number {
    return this.scaledCost(classes, c) / (this.rowCount * classes.sizes[c]);
  }

  /** The EMD multiplied by n·Q. */
  private scaledCost(classes: EquivalenceClasses, c: number): number {
    const histograms = classes.sensitive[this.slot];
    const start = histograms.offsets[c];
    const size = classes.sizes[c];
    let current = this.levelA;
    let next = this.levelB;
    let count = histograms.offsets[c + 1] - start;
    for (let i = 0; i < count; i++) {
      const code = histograms.codes[start + i];
      const global = this.globalCounts[code];
      current.labels[i] = code;
      current.global[i] = global;
      current.surplus[i] = global * size - histograms.counts[start + i] * this.rowCount;
    }

    let cost = 0;
    for (let level = 1; level <= this.height; level++) {
      const parents = this.parentOf[level];
      let nextCount = 0;
      for (let i = 0; i < count; i++) {
        const parent = parents[current.labels[i]];
        let slot = this.slotOfLabel[parent];
        if (slot < 0) {
          slot = nextCount++;
          this.slotOfLabel[parent] = slot;
          next.labels[slot] = parent;
          next.positive[slot] = 0;
          next.negative[slot] = 0;
          next.childGlobal[slot] = 0;
        }
        next.childGlobal[slot] += current.global[i];
        const surplus = current.surplus[i];
        if (surplus > 0) next.positive[slot] += surplus;
        else next.negative[slot] += surplus;
      }
      const weight = level / this.height;
      const totals = this.subtreeGlobal[level];
      for (let slot = 0; slot < nextCount; slot++) {
        const label = next.labels[slot];
        this.slotOfLabel[label] = -1;
        const global = totals[label];
        // Children without class values hold only input mass: a surplus of their input count × Q.
        const positive = next.positive[slot] + (global - next.childGlobal[slot]) * size;
        const negative = next.negative[slot];
        cost += weight * Math.min(positive, -negative);
        next.surplus[slot] = positive + negative;
        next.global[slot] = global;
      }
      const finished = current;
      current = next;
      next = finished;
      count = nextCount;
    }
    // Surpluses sum to zero, so what is still negative at the top must cross the virtual root (distance 1).
    for (let i = 0; i < count; i++) if (current.surplus[i] < 0) cost -= current.surplus[i];
    return cost;
  }
}

export function createHierarchicalDistanceTCloseness(
  spec: TClosenessSpec,
  attribute: SensitiveAttribute,
  rowCount: number,
): PrivacyModel {
  return new HierarchicalDistanceTCloseness(spec, attribute, rowCount);
}
