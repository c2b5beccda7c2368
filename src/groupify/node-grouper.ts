// Produces the classes of any lattice node, rolling up from the cheapest cached finer node when one exists.
// Owns the bounded roll-up cache; falls back to the collapsed tuple histogram.

import type { CompiledHierarchy } from '../hierarchy/compiled-hierarchy.js';
import type { EquivalenceClasses } from './equivalence-classes.js';
import type { TupleHistogram } from './collapse.js';
import { regroup } from './regroup.js';

interface CacheEntry {
  readonly classes: EquivalenceClasses;
  readonly bytes: number;
}

export interface GrouperStatistics {
  /** Nodes grouped from a cached finer node's classes. */
  rollUps: number;
  /** Nodes grouped from the tuple histogram. */
  fromHistogram: number;
}

export const DEFAULT_CACHE_MB = 256;

export class NodeGrouper {
  readonly statistics: GrouperStatistics = { rollUps: 0, fromHistogram: 0 };
  /** Least recently used first. */
  private cache: CacheEntry[] = [];
  private cachedBytes = 0;

  constructor(
    private readonly histogram: TupleHistogram,
    private readonly hierarchies: readonly CompiledHierarchy[],
    private readonly cacheBytes: number = DEFAULT_CACHE_MB * 1024 * 1024,
  ) {}

  /** The classes of the node with the given levels; cached for later roll-ups. */
  classesAt(levels: Int32Array): EquivalenceClasses {
    const base = this.finestCachedBelow(levels);
    const source = base ?? this.histogram.tuples;
    if (base === undefined) this.statistics.fromHistogram++;
    else this.statistics.rollUps++;
    const classes = this.regroupTo(source, levels).classes;
    this.remember(classes);
    return classes;
  }

  /** Groups straight from the tuple histogram and returns the tuple → class map too (for applying a node). */
  classesWithTupleMap(levels: Int32Array): { classes: EquivalenceClasses; tupleToClass: Int32Array } {
    const { classes, sourceToClass } = this.regroupTo(this.histogram.tuples, levels);
    return { classes, tupleToClass: sourceToClass };
  }

  private regroupTo(source: EquivalenceClasses, levels: Int32Array) {
    const width = levels.length;
    const maps: (Int32Array | null)[] = new Array(width);
    const domainSizes: number[] = new Array(width);
    for (let j = 0; j < width; j++) {
      const from = source.levels[j];
      maps[j] = from === levels[j] ? null : this.hierarchies[j].levelMap(from, levels[j]);
      domainSizes[j] = this.hierarchies[j].labels[levels[j]].length;
    }
    return regroup(source, maps, Int32Array.from(levels), domainSizes);
  }

  /** The cached node M ≤ N (every level of M ≤ that of N) with the fewest classes. */
  private finestCachedBelow(levels: Int32Array): EquivalenceClasses | undefined {
    let best: CacheEntry | undefined;
    let bestIndex = -1;
    for (let i = 0; i < this.cache.length; i++) {
      const entry = this.cache[i];
      if (!isBelowOrEqual(entry.classes.levels, levels)) continue;
      if (best === undefined || entry.classes.count < best.classes.count) {
        best = entry;
        bestIndex = i;
      }
    }
    if (best === undefined) return undefined;
    this.cache.splice(bestIndex, 1);
    this.cache.push(best);
    return best.classes;
  }

  private remember(classes: EquivalenceClasses): void {
    const bytes = classBytes(classes);
    if (bytes > this.cacheBytes) return;
    this.cache.push({ classes, bytes });
    this.cachedBytes += bytes;
    while (this.cachedBytes > this.cacheBytes) {
      const evicted = this.cache.shift()!;
      this.cachedBytes -= evicted.bytes;
    }
  }
}

function isBelowOrEqual(lower: Int32Array, upper: Int32Array): boolean {
  for (let j = 0; j < lower.length; j++) if (lower[j] > upper[j]) return false;
  return true;
}

function classBytes(classes: EquivalenceClasses): number {
  let bytes = classes.keys.byteLength + classes.sizes.byteLength + 64;
  for (const histograms of classes.sensitive) bytes += histograms.offsets.byteLength + histograms.codes.byteLength + histograms.counts.byteLength;
  return bytes;
}
