// Local recoding by the generalization lattice, cheapest class first: among the classes the records not yet released
// form at any node, the one whose records lose the least granularity is released next, until none is left.

import type { EquivalenceClasses } from '../groupify/equivalence-classes.js';
import type { CompiledHierarchy } from '../hierarchy/compiled-hierarchy.js';
import { Lattice } from '../lattice/lattice.js';
import { MinHeap } from '../lattice/min-heap.js';
import type { PrivacyModel } from '../models/privacy-model.js';
import { ClassCheck } from './class-check.js';
import type { LabelIdentity } from './label-identity.js';

export interface GreedySetup {
  /** The input's distinct quasi-identifier tuples (level-0 classes) with their records and sensitive histograms. */
  readonly tuples: EquivalenceClasses;
  readonly hierarchies: readonly CompiledHierarchy[];
  /** The per-class models (criteria over the whole release are refused before). */
  readonly models: readonly PrivacyModel[];
  readonly minClassSize: number;
  /** granularityShares: what one record's cell costs at a level and label. */
  readonly shares: readonly Float64Array[][];
  readonly identity: LabelIdentity;
}

/** Record groups released at one level vector each: clusters. Tuples in no cluster are left for suppression. */
export interface GreedyResult {
  /** clusterOfTuple[t]: the cluster of tuple t, −1 when no cluster took it. */
  readonly clusterOfTuple: Int32Array;
  /** clusterLevels[c · width + j]. */
  readonly clusterLevels: Int32Array;
  readonly clusterCount: number;
  /** Lattice nodes grouped anew (a node popped again refreshes its classes instead). */
  readonly nodeEvaluations: number;
}

/**
 * The greedy. Every node waits in a queue keyed by a lower bound of the cheapest class it can still release; the
 * node popped is grouped over the remaining tuples, releases its admissible classes that cost no more than the next
 * key (nothing anywhere is cheaper), and goes back with its next cheapest class. Keys only rise as records leave
 * while admissibility is monotone (k, highest risk, distinct l-diversity); for the other models a node whose
 * classes all fail waits aside and is tried again once records have left elsewhere.
 *
 * Each record thus takes the cheapest class it can get at the moment it is released. A class that reads `*` in
 * every quasi-identifier is never released: such records count as suppressed.
 */
export function latticeGreedy(setup: GreedySetup): GreedyResult {
  const { tuples, hierarchies, shares, identity } = setup;
  const width = hierarchies.length;
  const lattice = new Lattice(hierarchies.map((hierarchy) => hierarchy.maxLevel));
  const labelAt = labelsByLevel(tuples, hierarchies);
  const check = new ClassCheck(tuples, setup.models, setup.minClassSize);
  const minClassSize = setup.minClassSize;
  const weights = tuples.sizes;

  const queue = new MinHeap();
  const lowest = shares.map((perLevel, j) => perLevel.map((levelShares, level) => smallestShare(levelShares, labelAt[j][level])));
  for (let node = 0; node < lattice.size; node++) {
    let bound = 0;
    for (let j = 0; j < width; j++) bound += lowest[j][lattice.levelOf(node, j)];
    queue.push(node, bound);
  }

  const clusterOfTuple = new Int32Array(tuples.count).fill(-1);
  const clusterLevels: number[] = [];
  let clusterCount = 0;
  const live = Int32Array.from({ length: tuples.count }, (_, t) => t);
  let liveCount = live.length;
  let releasedSinceCompaction = false;
  const grouping = new LiveGrouping(width, weights, minClassSize, hierarchies.map((hierarchy) => Math.max(...hierarchy.labels.map((labels) => labels.length))));
  const cache = new CandidateCache(CACHED_MEMBERS);
  const levels = new Int32Array(width);
  // Released strings → their tuples, only where one string occurs at two levels (two vectors may then share a class).
  const released = identity.sharedAcrossLevels ? new Map<string, number[]>() : undefined;
  const plainSizes = !check.readsValues && released === undefined;
  let dormant: number[] = [];
  let releasesSinceDormant = 0;
  let nodeEvaluations = 0;

  while (liveCount > 0) {
    if (queue.size === 0) {
      // Nodes whose classes all failed a model may pass now that records have left; once nothing moves, stop.
      if (dormant.length === 0 || releasesSinceDormant === 0) break;
      for (const node of dormant) queue.push(node, 0);
      dormant = [];
      releasesSinceDormant = 0;
    }
    const node = queue.pop();
    for (let j = 0; j < width; j++) levels[j] = lattice.levelOf(node, j);
    let candidates = cache.take(node);
    if (candidates === undefined) {
      if (releasedSinceCompaction) {
        let kept = 0;
        for (let i = 0; i < liveCount; i++) if (clusterOfTuple[live[i]] < 0) live[kept++] = live[i];
        liveCount = kept;
        releasedSinceCompaction = false;
        if (liveCount === 0) break;
      }
      candidates = grouping.candidates(live, liveCount, levels, labelAt, shares, identity);
      nodeEvaluations++;
    } else candidates.refresh(clusterOfTuple, weights, minClassSize);
    const limit = queue.peekKey();
    const { count, sizes, costs, order, start } = candidates;
    // Those within the limit are released if admissible; the others only say when to come back: the cheapest
    // admissible one.
    const above: number[] = [];
    let nextKey = Infinity;
    let failed = false;
    for (let c = 0; c < count; c++) {
      if (costs[c] > limit) {
        if (plainSizes) nextKey = Math.min(nextKey, costs[c]);
        else above.push(c);
        continue;
      }
      const sameStrings = admissible(c);
      if (sameStrings === false) {
        failed = true;
        continue;
      }
      const cluster = clusterCount++;
      for (let j = 0; j < width; j++) clusterLevels.push(levels[j]);
      for (let i = start[c]; i < start[c + 1]; i++) clusterOfTuple[order[i]] = cluster;
      if (released !== undefined) {
        const list = sameStrings ?? [];
        for (let i = start[c]; i < start[c + 1]; i++) list.push(order[i]);
        if (sameStrings === undefined) released.set(stringKey(c), list);
      }
      sizes[c] = 0;
      releasedSinceCompaction = true;
      releasesSinceDormant++;
    }
    if (!plainSizes) {
      above.sort((a, b) => costs[a] - costs[b]);
      for (const c of above) {
        if (admissible(c) !== false) {
          nextKey = costs[c];
          break;
        }
        failed = true;
      }
    }
    // Sizes only shrink: a node without a large enough class is done; one whose classes failed a model may pass later.
    if (nextKey !== Infinity) queue.push(node, nextKey);
    else if (failed) dormant.push(node);
    if (nextKey !== Infinity || failed) cache.put(node, candidates);

    /** false when class c may not be released; else the tuples already released under its strings, if any. */
    function admissible(c: number): number[] | undefined | false {
      const { sizes, order, start, verdicts } = candidates!;
      // A class keeps its verdict until it loses records (refresh forgets it then).
      if (verdicts[c] === 0) verdicts[c] = check.passes(sizes[c], order, start[c], start[c + 1]) ? 1 : -1;
      if (verdicts[c] < 0) return false;
      if (released === undefined) return undefined;
      const sameStrings = released.get(stringKey(c));
      // Another vector released these strings already: the records join that class, which must still pass.
      if (sameStrings !== undefined && !check.passes(sizes[c] + recordsOf(sameStrings, weights), order, start[c], start[c + 1], sameStrings)) return false;
      return sameStrings;
    }

    /** Class c's released strings, as label ids joined: equal keys read alike in the output. */
    function stringKey(c: number): string {
      const tuple = candidates!.order[candidates!.start[c]];
      let key = '';
      for (let j = 0; j < width; j++) key += `${identity.ids[j][levels[j]][labelAt[j][levels[j]][tuple]]},`;
      return key;
    }
  }
  return { clusterOfTuple, clusterLevels: Int32Array.from(clusterLevels), clusterCount, nodeEvaluations };
}

/** Tuple indices the candidate cache may hold (4 bytes each): re-grouping a node from scratch costs more. */
const CACHED_MEMBERS = 8_000_000;

function recordsOf(tupleList: readonly number[], weights: Int32Array): number {
  let records = 0;
  for (const tuple of tupleList) records += weights[tuple];
  return records;
}

/** labelAt[j][level][t]: the label code of tuple t's value of quasi-identifier j at that level. */
function labelsByLevel(tuples: EquivalenceClasses, hierarchies: readonly CompiledHierarchy[]): Int32Array[][] {
  const { keys, width, count } = tuples;
  return hierarchies.map((hierarchy, j) =>
    hierarchy.dataToLevel.map((toLevel) => {
      const labels = new Int32Array(count);
      for (let t = 0, k = j; t < count; t++, k += width) labels[t] = toLevel[keys[k]];
      return labels;
    }),
  );
}

function smallestShare(levelShares: Float64Array, labels: Int32Array): number {
  let smallest = Infinity;
  for (let t = 0; t < labels.length; t++) if (levelShares[labels[t]] < smallest) smallest = levelShares[labels[t]];
  return smallest === Infinity ? 0 : smallest;
}

/**
 * A node's classes that may be released, with their member tuples: class c's are order[start[c] .. start[c + 1]).
 * Classes only lose members as tuples are released elsewhere, so a node popped again refreshes these lists instead
 * of grouping anew; a class that falls below the smallest admissible size is dropped for good.
 */
class NodeCandidates {
  /** verdicts[c]: 1 when class c passed the models, −1 when it failed, 0 when not checked since it last changed. */
  readonly verdicts: Int8Array;

  constructor(
    public count: number,
    readonly sizes: Int32Array,
    readonly costs: Float64Array,
    readonly order: Int32Array,
    readonly start: Int32Array,
  ) {
    this.verdicts = new Int8Array(count);
  }

  get members(): number {
    return this.start[this.count];
  }

  /** Drops released tuples, and the classes left too small, compacting in place. */
  refresh(clusterOfTuple: Int32Array, weights: Int32Array, minClassSize: number): void {
    const { sizes, costs, order, start, verdicts } = this;
    let kept = 0;
    let written = 0;
    for (let c = 0; c < this.count; c++) {
      const from = start[c];
      const to = start[c + 1];
      const begin = written;
      let size = 0;
      for (let i = from; i < to; i++) {
        const tuple = order[i];
        if (clusterOfTuple[tuple] >= 0) continue;
        order[written++] = tuple;
        size += weights[tuple];
      }
      if (size < minClassSize) {
        written = begin;
        continue;
      }
      start[kept] = begin;
      verdicts[kept] = size === sizes[c] ? verdicts[c] : 0;
      sizes[kept] = size;
      costs[kept] = costs[c];
      kept++;
    }
    start[kept] = written;
    this.count = kept;
  }
}

/** Nodes' candidates kept for their next pop, least recently put first out, within a bound on member tuples. */
class CandidateCache {
  private readonly entries = new Map<number, NodeCandidates>();
  private members = 0;

  constructor(private readonly capacity: number) {}

  /** The node's candidates, removed from the cache; undefined when they were never kept or were evicted. */
  take(node: number): NodeCandidates | undefined {
    const found = this.entries.get(node);
    if (found !== undefined) {
      this.entries.delete(node);
      this.members -= found.members;
    }
    return found;
  }

  put(node: number, candidates: NodeCandidates): void {
    this.entries.set(node, candidates);
    this.members += candidates.members;
    for (const [evicted, entry] of this.entries) {
      if (this.members <= this.capacity) break;
      this.entries.delete(evicted);
      this.members -= entry.members;
    }
  }
}

/**
 * The classes of the remaining tuples at one node: label codes gathered row-major, hashed, and compared code by code
 * with the class's first tuple (exact whatever the domains). Buffers grow once and are reused node after node.
 */
class LiveGrouping {
  private sizes = new Int32Array(0);
  private costs = new Float64Array(0);
  private candidateOf = new Int32Array(0);
  /** classOf[i]: the class of the i-th remaining tuple. */
  private classOf = new Int32Array(0);
  /** The first remaining tuple of each class, as its index among the remaining. */
  private firstOf = new Int32Array(0);
  private codes = new Int32Array(0);
  private hashes = new Int32Array(0);
  private keys = new Float64Array(0);
  /** Per attribute, the place value of its label codes in a packed key; undefined when keys would not be exact. */
  private readonly strides: Float64Array | undefined;
  private slots = new Int32Array(0);
  private stamps = new Int32Array(0);
  private stamp = 0;

  /** Per attribute, the node's level's shares and label ids (resolved once per grouping). */
  private readonly shareRows: Float64Array[];
  private readonly idRows: Int32Array[];

  constructor(
    private readonly width: number,
    /** Records per tuple. */
    private readonly weights: Int32Array,
    /** Smaller classes are never released: their cost is not worked out. */
    private readonly minClassSize: number,
    /** Per attribute, the largest number of labels of any level. */
    labelDomains: readonly number[],
  ) {
    this.shareRows = new Array<Float64Array>(width);
    this.idRows = new Array<Int32Array>(width);
    const strides = new Float64Array(width);
    let space = 1;
    for (let j = 0; j < width; j++) {
      strides[j] = space;
      space *= labelDomains[j];
    }
    this.strides = space <= Number.MAX_SAFE_INTEGER ? strides : undefined;
  }

  /** The classes of the remaining tuples at `levels` that may be released (large enough, not all `*`). */
  candidates(
    live: Int32Array,
    count: number,
    levels: Int32Array,
    labelAt: readonly Int32Array[][],
    shares: readonly Float64Array[][],
    identity: LabelIdentity,
  ): NodeCandidates {
    const width = this.width;
    if (this.classOf.length < count) this.grow(count);
    const classes = this.strides === undefined ? this.groupByCodes(live, count, levels, labelAt) : this.groupByPackedKeys(live, count, levels, labelAt, this.strides);
    const { classOf, firstOf } = this;
    const { sizes, costs, weights, minClassSize } = this;
    sizes.fill(0, 0, classes);
    for (let i = 0; i < count; i++) sizes[classOf[i]] += weights[live[i]];
    // Costs only where a class is large enough to be released: most classes at fine nodes are single tuples.
    const shareRows = this.shareRows;
    const idRows = this.idRows;
    let mayReadStars = true as boolean;
    for (let j = 0; j < width; j++) {
      shareRows[j] = shares[j][levels[j]];
      idRows[j] = identity.ids[j][levels[j]];
      if (!identity.starAt[j][levels[j]]) mayReadStars = false;
    }
    // Candidates: large enough, and not all `*`. Costs only for them: most classes at fine nodes are single tuples.
    const candidateOf = this.candidateOf;
    let candidates = 0;
    let members = 0;
    for (let c = 0; c < classes; c++) {
      candidateOf[c] = -1;
      if (sizes[c] < minClassSize) continue;
      const tuple = live[firstOf[c]];
      let cost = 0;
      let stars = mayReadStars;
      for (let j = 0; j < width; j++) {
        const code = labelAt[j][levels[j]][tuple];
        cost += shareRows[j][code];
        if (stars && idRows[j][code] !== identity.starId[j]) stars = false;
      }
      if (stars) continue;
      costs[candidates] = cost;
      candidateOf[c] = candidates++;
    }
    const start = new Int32Array(candidates + 1);
    for (let i = 0; i < count; i++) {
      const candidate = candidateOf[classOf[i]];
      if (candidate >= 0) {
        start[candidate + 1]++;
        members++;
      }
    }
    for (let c = 0; c < candidates; c++) start[c + 1] += start[c];
    const fill = start.slice(0, candidates);
    const order = new Int32Array(members);
    const candidateSizes = new Int32Array(candidates);
    for (let i = 0; i < count; i++) {
      const candidate = candidateOf[classOf[i]];
      if (candidate < 0) continue;
      order[fill[candidate]++] = live[i];
      candidateSizes[candidate] += weights[live[i]];
    }
    return new NodeCandidates(candidates, candidateSizes, costs.slice(0, candidates), order, start);
  }

  /**
   * Groups by one exact number per tuple, Σ label · stride: the usual case, where the product of the attributes'
   * label domains stays below 2^53. Returns the number of classes.
   */
  private groupByPackedKeys(live: Int32Array, count: number, levels: Int32Array, labelAt: readonly Int32Array[][], strides: Float64Array): number {
    const keys = this.keys;
    keys.fill(0, 0, count);
    for (let j = 0; j < this.width; j++) {
      const labels = labelAt[j][levels[j]];
      const stride = strides[j];
      for (let i = 0; i < count; i++) keys[i] += labels[live[i]] * stride;
    }
    const mask = this.slots.length - 1;
    const stamp = ++this.stamp;
    const { slots, stamps, firstOf, classOf } = this;
    let classes = 0;
    for (let i = 0; i < count; i++) {
      const key = keys[i];
      let slot = finalMix(Math.imul(key >>> 0, 0x9e3779b1) ^ ((key / 4294967296) | 0)) & mask;
      let found = -1;
      while (stamps[slot] === stamp) {
        const c = slots[slot];
        if (keys[firstOf[c]] === key) {
          found = c;
          break;
        }
        slot = (slot + 1) & mask;
      }
      if (found < 0) {
        found = classes++;
        stamps[slot] = stamp;
        slots[slot] = found;
        firstOf[found] = i;
      }
      classOf[i] = found;
    }
    return classes;
  }

  /** Groups by label codes compared one by one, for label domains too large to pack. Returns the number of classes. */
  private groupByCodes(live: Int32Array, count: number, levels: Int32Array, labelAt: readonly Int32Array[][]): number {
    const width = this.width;
    const { codes, hashes } = this;
    hashes.fill(0, 0, count);
    for (let j = 0; j < width; j++) {
      const labels = labelAt[j][levels[j]];
      for (let i = 0, at = j; i < count; i++, at += width) {
        const code = labels[live[i]];
        codes[at] = code;
        hashes[i] = Math.imul(hashes[i] ^ code, 0x9e3779b1) + j;
      }
    }
    const mask = this.slots.length - 1;
    const stamp = ++this.stamp;
    const { slots, stamps, firstOf, classOf } = this;
    let classes = 0;
    for (let i = 0; i < count; i++) {
      let slot = finalMix(hashes[i]) & mask;
      let found = -1;
      while (stamps[slot] === stamp) {
        const c = slots[slot];
        if (sameCodes(codes, firstOf[c] * width, i * width, width)) {
          found = c;
          break;
        }
        slot = (slot + 1) & mask;
      }
      if (found < 0) {
        found = classes++;
        stamps[slot] = stamp;
        slots[slot] = found;
        firstOf[found] = i;
      }
      classOf[i] = found;
    }
    return classes;
  }

  private grow(count: number): void {
    const capacity = Math.max(16, count);
    this.classOf = new Int32Array(capacity);
    this.firstOf = new Int32Array(capacity);
    if (this.strides === undefined) {
      this.codes = new Int32Array(capacity * this.width);
      this.hashes = new Int32Array(capacity);
    } else this.keys = new Float64Array(capacity);
    this.sizes = new Int32Array(capacity);
    this.costs = new Float64Array(capacity);
    this.candidateOf = new Int32Array(capacity);
    let slots = 16;
    while (slots < capacity * 2) slots *= 2;
    this.slots = new Int32Array(slots);
    this.stamps = new Int32Array(slots);
    this.stamp = 0;
  }
}

/** MurmurHash3's finalizer: the low bits the table reads depend on every bit of the combined codes. */
function finalMix(hash: number): number {
  hash ^= hash >>> 16;
  hash = Math.imul(hash, 0x85ebca6b);
  hash ^= hash >>> 13;
  hash = Math.imul(hash, 0xc2b2ae35);
  return hash ^ (hash >>> 16);
}

function sameCodes(codes: Int32Array, a: number, b: number, width: number): boolean {
  for (let j = 0; j < width; j++) if (codes[a + j] !== codes[b + j]) return false;
  return true;
}
