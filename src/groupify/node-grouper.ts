// Produces the classes of any lattice node, rolling up from the cheapest cached finer node when one exists.
// Owns the roll-up cache, the key packing and the anchor prefetcher, whose worker close() ends.

import type { CompiledHierarchy } from '../hierarchy/compiled-hierarchy.js';
import type { EquivalenceClasses } from './equivalence-classes.js';
import type { TupleHistogram } from './collapse.js';
import { keyPacking, regroup, RegroupWorkspace, withCoarseKeys, type KeyPacking, type RegroupResult } from './regroup.js';
import { anchorPattern, AnchorPrefetcher } from './anchor-prefetch.js';
import { DominanceIndex } from '../lattice/dominance-index.js';

interface CacheEntry {
  readonly classes: EquivalenceClasses;
  readonly bytes: number;
  /** The node's entry in the index of cached levels. */
  entry: number;
}

/** A node's key in the cache: its mixed-radix id where ids are exact doubles, else its levels as a string. */
type NodeKey = number | string;

export interface GrouperStatistics {
  /** Nodes grouped from a cached finer node's classes. */
  rollUps: number;
  /** Nodes grouped from the tuple histogram. */
  fromHistogram: number;
  /**
   * Of those, anchors the prefetcher's worker had built (timing-dependent, so not in the report; the classes are the
   * same either way).
   */
  prefetched: number;
}

export const DEFAULT_CACHE_MB = 512;

/** Per attribute, the largest label domain over all levels: what a run's key packing must cover. */
export function levelDomainSizes(hierarchies: readonly CompiledHierarchy[]): number[] {
  return hierarchies.map((hierarchy) => Math.max(...hierarchy.labels.map((labels) => labels.length)));
}

export class NodeGrouper {
  readonly statistics: GrouperStatistics = { rollUps: 0, fromHistogram: 0, prefetched: 0 };
  /** Keyed by node (see NodeKey); iteration order is least recently used first. */
  private readonly cache = new Map<NodeKey, CacheEntry>();
  private cachedBytes = 0;
  /** The levels of the cached nodes, to find those below a node without scanning the cache. */
  private readonly cachedLevels: DominanceIndex;
  /** keyOfEntry[entry]: the cache key of an index entry. */
  private keyOfEntry: NodeKey[] = [];
  private readonly radixStrides: number[];
  /** Whether mixed-radix ids are exact: the lattice has fewer than 2^53 nodes. */
  private readonly exactIds: boolean;
  private readonly packing: KeyPacking;
  private readonly workspace = new RegroupWorkspace();
  /** The histogram's tuples, with their keys at level min(1, max) of every attribute: where anchors start from. */
  private readonly tuples: EquivalenceClasses;
  private readonly prefetcher: AnchorPrefetcher | undefined;

  constructor(
    private readonly histogram: TupleHistogram,
    private readonly hierarchies: readonly CompiledHierarchy[],
    private readonly cacheBytes: number = DEFAULT_CACHE_MB * 1024 * 1024,
    /** Build hinted anchors ahead on a worker thread (see anchor-prefetch.ts); worth it for large histograms only. */
    prefetchAnchors = false,
  ) {
    const needed = levelDomainSizes(hierarchies);
    if (needed.some((size, j) => size > histogram.domainSizes[j])) {
      throw new RangeError('the tuple histogram was packed for smaller domains than the hierarchies have; pass levelDomainSizes to collapseTuples');
    }
    // Where the run's keys do not pack exactly, each node's own label domains are used instead (see regroup).
    this.packing = histogram.packing.exact ? histogram.packing : { ...histogram.packing, levelDomains: keyPacking(histogram.domainSizes, hierarchies.map((hierarchy) => hierarchy.labels.map((labels) => labels.length))).levelDomains };
    const levelOne = Int32Array.from(hierarchies, (hierarchy) => Math.min(1, hierarchy.maxLevel));
    const toLevelOne = hierarchies.map((hierarchy, j) => (levelOne[j] === 0 ? null : hierarchy.levelMap(0, 1)));
    this.tuples = withCoarseKeys(histogram.tuples, levelOne, toLevelOne, this.packing);
    if (prefetchAnchors) this.prefetcher = AnchorPrefetcher.start(this.tuples, toLevelOne, histogram.domainSizes, this.packing);
    this.radixStrides = [];
    let stride = 1;
    for (const hierarchy of hierarchies) {
      this.radixStrides.push(stride);
      stride *= hierarchy.maxLevel + 1;
    }
    this.exactIds = stride <= 2 ** 53;
    this.cachedLevels = new DominanceIndex(hierarchies.map((hierarchy) => hierarchy.maxLevel));
  }

  /** The classes of the node with the given levels; cached for later roll-ups. */
  classesAt(levels: Int32Array): EquivalenceClasses {
    const id = this.nodeId(levels);
    let base = this.finestCachedBelow(id, levels);
    if (base === undefined) {
      // Nothing finer is cached: go through the anchor min(levels, 1) rather than straight to the histogram.
      // Every node with the same zero levels shares it, so the histogram is regrouped once per such pattern.
      const anchor = levels.map((level) => Math.min(level, 1));
      if (anchor.some((level, j) => level !== levels[j])) base = this.classesAt(anchor);
    }
    if (base === undefined) this.statistics.fromHistogram++;
    else this.statistics.rollUps++;
    const prefetched = base === undefined && this.prefetcher !== undefined && levels.every((level) => level <= 1) ? this.prefetcher.take(levels) : undefined;
    if (prefetched !== undefined) this.statistics.prefetched++;
    const classes = prefetched ?? this.regroupTo(base ?? this.tuples, levels).classes;
    this.remember(id, classes);
    return classes;
  }

  /** Whether anchors are built ahead on a worker: only then is `anticipate` worth calling. */
  get prefetches(): boolean {
    return this.prefetcher !== undefined;
  }

  /**
   * Nodes the search expects to check soon, most likely first: their anchors are built ahead on the prefetcher's
   * worker, where there is one. Replaces earlier expectations.
   */
  anticipate(nodes: readonly Int32Array[]): void {
    if (this.prefetcher === undefined) return;
    const patterns: number[] = [];
    const seen = new Set<number>();
    for (const levels of nodes) {
      // A node with a finer one cached is rolled up from that one and needs no anchor.
      if (this.cachedBelow(this.nodeId(levels), levels) !== undefined) continue;
      const pattern = anchorPattern(levels);
      if (seen.has(pattern)) continue;
      seen.add(pattern);
      patterns.push(pattern);
    }
    this.prefetcher.hint(Int32Array.from(patterns));
  }

  /** Stops the prefetcher's worker, if any; the grouper still works afterwards, on this thread alone. */
  close(): void {
    this.prefetcher?.stop();
  }

  /** Groups straight from the tuple histogram and returns the tuple → class map too (for applying a node). */
  classesWithTupleMap(levels: Int32Array): { classes: EquivalenceClasses; tupleToClass: Int32Array } {
    const { classes, sourceToClass } = this.regroupTo(this.tuples, levels);
    return { classes, tupleToClass: sourceToClass.slice() };
  }

  private nodeId(levels: Int32Array): NodeKey {
    if (!this.exactIds) return String.fromCharCode(...levels);
    let id = 0;
    for (let j = 0; j < levels.length; j++) id += levels[j] * this.radixStrides[j];
    return id;
  }

  /** The key of the node at `levels` with attribute `j` (and `k`, if given) one level lower. */
  private keyBelow(id: NodeKey, levels: Int32Array, j: number, k = -1): NodeKey {
    if (typeof id === 'number') return id - this.radixStrides[j] - (k === -1 ? 0 : this.radixStrides[k]);
    const lower = levels.slice();
    lower[j]--;
    if (k !== -1) lower[k]--;
    return String.fromCharCode(...lower);
  }

  private regroupTo(source: EquivalenceClasses, levels: Int32Array): RegroupResult {
    const width = levels.length;
    const maps: (Int32Array | null)[] = new Array(width);
    for (let j = 0; j < width; j++) {
      const from = source.levels[j];
      maps[j] = from === levels[j] ? null : this.hierarchies[j].levelMap(from, levels[j]);
    }
    return regroup(source, maps, Int32Array.from(levels), this.packing, this.workspace);
  }

  /**
   * The cached node M ≤ N with the fewest classes. Any cached M < N lies below some direct predecessor of N,
   * which has at most M's classes, so direct predecessors are tried first; the scan is the fallback.
   */
  private finestCachedBelow(id: NodeKey, levels: Int32Array): EquivalenceClasses | undefined {
    const found = this.cachedBelow(id, levels);
    if (found === undefined) return undefined;
    // Most recently used now: moved to the end of the eviction order.
    this.cache.delete(found.id);
    this.cache.set(found.id, found.entry);
    return found.entry.classes;
  }

  /** finestCachedBelow's choice, leaving the eviction order as it is. */
  private cachedBelow(id: NodeKey, levels: Int32Array): { id: NodeKey; entry: CacheEntry } | undefined {
    let best: CacheEntry | undefined;
    let bestId: NodeKey = -1;
    const consider = (candidate: NodeKey) => {
      const entry = this.cache.get(candidate);
      if (entry !== undefined && (best === undefined || entry.classes.count < best.classes.count)) {
        best = entry;
        bestId = candidate;
      }
    };
    for (let j = 0; j < levels.length; j++) if (levels[j] > 0) consider(this.keyBelow(id, levels, j));
    // Then two steps down (each pair of attributes, or one attribute twice): still a handful of lookups.
    for (let j = 0; best === undefined && typeof id === 'number' && j < levels.length; j++) {
      for (let k = j; k < levels.length; k++) {
        if (levels[j] - (j === k ? 1 : 0) > 0 && levels[k] > 0) consider(this.keyBelow(id, levels, j, k));
      }
    }
    // Then any cached node below, found through the index rather than by a scan of the cache.
    if (best === undefined) {
      this.cachedLevels.forEach(levels, false, (entry) => {
        const candidate = this.cache.get(this.keyOfEntry[entry])!;
        if (best === undefined || candidate.classes.count < best.classes.count) {
          best = candidate;
          bestId = this.keyOfEntry[entry];
        }
      });
    }
    return best === undefined ? undefined : { id: bestId, entry: best };
  }

  private remember(id: NodeKey, classes: EquivalenceClasses): void {
    const bytes = classBytes(classes, this.packing.labelCodeBytes);
    if (bytes > this.cacheBytes || this.cache.has(id)) return;
    const entry = this.cachedLevels.add(classes.levels);
    this.keyOfEntry[entry] = id;
    this.cache.set(id, { classes, bytes, entry });
    this.cachedBytes += bytes;
    for (const [evictedId, evicted] of this.cache) {
      if (this.cachedBytes <= this.cacheBytes) break;
      this.cache.delete(evictedId);
      this.cachedLevels.remove(evicted.entry);
      this.cachedBytes -= evicted.bytes;
    }
    // Evicted entries still cost every index query a bit each: renumber once they are the majority.
    if (this.cachedLevels.entries > 2 * this.cachedLevels.size + 1024) {
      const remap = this.cachedLevels.compact();
      const keys: NodeKey[] = [];
      for (const cached of this.cache.values()) {
        const old = cached.entry;
        cached.entry = remap[old];
        keys[cached.entry] = this.keyOfEntry[old];
      }
      this.keyOfEntry = keys;
    }
  }
}

/** Label codes count as if decoded, whether or not anything has asked for them yet (reading `keys` would decode them). */
function classBytes(classes: EquivalenceClasses, labelCodeBytes: number): number {
  let bytes = classes.count * classes.width * labelCodeBytes + classes.sizes.byteLength + (classes.packedKeys?.byteLength ?? 0) + 64;
  for (const histograms of classes.sensitive) bytes += histograms.offsets.byteLength + histograms.codes.byteLength + histograms.counts.byteLength;
  return bytes;
}
