// Population records per class of the released data at any node: a population (a counts table, or the whole data of
// which a subset is released) grouped with the same hierarchies by its own roll-up grouper, matched to the classes.

import type { CompiledHierarchy } from '../hierarchy/compiled-hierarchy.js';
import type { EquivalenceClasses } from './equivalence-classes.js';
import type { TupleHistogram } from './collapse.js';
import { NodeGrouper } from './node-grouper.js';
import { keyPacking } from './regroup.js';

/** What population-based models read: per class of the released data, the population records it stands for. */
export interface PopulationCounter {
  /** Population records in each class of `classes` (same order); memoized per classes object. */
  countsOf(classes: EquivalenceClasses): Float64Array;
  /** How many population classes at the node of `classes` hold none of their records. */
  unmatchedOf(classes: EquivalenceClasses): number;
  /** Population records in all. */
  readonly total: number;
}

interface Counted {
  readonly counts: Float64Array;
  readonly unmatched: number;
}

/**
 * A population grouped by its own NodeGrouper. Its level-0 codes must agree with the data's wherever a value occurs
 * in both (the data's dictionary first, values of the population alone after it), and its hierarchies must be
 * compiled from the same rows (label codes above level 0 follow the rows, not the data), so that a class key of the
 * data names the same labels in the population's code space.
 */
export class GroupedPopulation implements PopulationCounter {
  private readonly grouper: NodeGrouper;
  private readonly memo = new WeakMap<EquivalenceClasses, Counted>();
  private readonly strides: Float64Array;
  private readonly exact: boolean;
  readonly total: number;

  constructor(histogram: TupleHistogram, hierarchies: readonly CompiledHierarchy[], cacheBytes: number) {
    this.grouper = new NodeGrouper(histogram, hierarchies, cacheBytes, false);
    this.strides = histogram.packing.strides;
    this.exact = histogram.packing.exact;
    let total = 0;
    for (const size of histogram.tuples.sizes) total += size;
    this.total = total;
  }

  countsOf(classes: EquivalenceClasses): Float64Array {
    return this.count(classes).counts;
  }

  unmatchedOf(classes: EquivalenceClasses): number {
    return this.count(classes).unmatched;
  }

  /**
   * The data's classes hashed by their key in the population's packing, then every population class at the node
   * looked up: the population's classes are many (a large population) and the data's few, so the small table is the
   * one built.
   */
  private count(classes: EquivalenceClasses): Counted {
    let counted = this.memo.get(classes);
    if (counted !== undefined) return counted;
    const population = this.grouper.classesAt(classes.levels);
    const counts = new Float64Array(classes.count);
    const width = classes.width;
    const keys = classes.keys;
    let unmatched = 0;
    if (this.exact) {
      const classOf = new Map<number, number>();
      for (let c = 0; c < classes.count; c++) {
        let key = 0;
        for (let j = 0; j < width; j++) key += keys[c * width + j] * this.strides[j];
        classOf.set(key, c);
      }
      const packed = population.packedKeys ?? packedKeysOf(population, this.strides);
      for (let p = 0; p < population.count; p++) {
        const c = classOf.get(packed[p]);
        if (c === undefined) unmatched++;
        else counts[c] += population.sizes[p];
      }
    } else {
      const classOf = new Map<string, number>();
      for (let c = 0; c < classes.count; c++) classOf.set(keys.subarray(c * width, (c + 1) * width).join(','), c);
      const populationKeys = population.keys;
      for (let p = 0; p < population.count; p++) {
        const c = classOf.get(populationKeys.subarray(p * width, (p + 1) * width).join(','));
        if (c === undefined) unmatched++;
        else counts[c] += population.sizes[p];
      }
    }
    counted = { counts, unmatched };
    this.memo.set(classes, counted);
    return counted;
  }
}

function packedKeysOf(classes: EquivalenceClasses, strides: Float64Array): Float64Array {
  const packed = new Float64Array(classes.count);
  for (let c = 0; c < classes.count; c++) {
    let key = 0;
    for (let j = 0; j < classes.width; j++) key += classes.keys[c * classes.width + j] * strides[j];
    packed[c] = key;
  }
  return packed;
}

/**
 * A histogram of population tuples given as level-0 codes per quasi-identifier (row-major, `width` codes per tuple)
 * with a record count each, packed for codes below `domainSizes` (per attribute, the largest label domain over all
 * its levels, population-only values included).
 */
export function populationHistogram(codes: Int32Array, counts: Int32Array, domainSizes: readonly number[]): TupleHistogram {
  const width = domainSizes.length;
  const count = counts.length;
  const packing = keyPacking(domainSizes);
  const levels = new Int32Array(width);
  const keys = packing.newLabelCodes(count * width);
  keys.set(codes);
  const plain: EquivalenceClasses = { count, width, levels, keys, sizes: counts, sensitive: [] };
  // Like the data's histogram: codes at hand and, where exact, packed keys (the grouper adds coarse keys to both).
  const tuples: EquivalenceClasses = packing.exact ? { ...plain, packedKeys: packedKeysOf(plain, packing.strides) } : plain;
  return { tuples, rowToTuple: new Int32Array(0), packing, domainSizes };
}
