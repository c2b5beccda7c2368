// Local recoding's second pass: the greedy's most expensive clusters are dissolved and their tuples released again,
// cheapest first, where a group too small to stand alone may absorb cheaper released clusters whole.

import type { EquivalenceClasses } from '../groupify/equivalence-classes.js';
import type { CompiledHierarchy } from '../hierarchy/compiled-hierarchy.js';
import type { PrivacyModel } from '../models/privacy-model.js';
import { ClassCheck } from './class-check.js';
import type { LabelIdentity } from './label-identity.js';
import { labelsByLevel } from './lattice-greedy.js';
import { NodeQueue } from './node-queue.js';

export interface ReleaseSetup {
  readonly tuples: EquivalenceClasses;
  readonly hierarchies: readonly CompiledHierarchy[];
  readonly models: readonly PrivacyModel[];
  readonly minClassSize: number;
  readonly shares: readonly Float64Array[][];
  readonly identity: LabelIdentity;
}

/** Tuples grouped into clusters, one level vector each; tuples in none (−1) are left over. */
export interface Clustering {
  readonly clusterOfTuple: Int32Array;
  /** clusterLevels[c · width + j]. */
  readonly clusterLevels: Int32Array;
  readonly clusterCount: number;
}

/** The share of released records whose clusters are dissolved: the most expensive ones (8% did best on Adult). */
const DISSOLVED_SHARE = 0.08;

/** Nodes whose absorbable clusters are kept at once (cleared beyond). */
const ABSORBABLE_NODES = 4096;

/** Tuple indices the group cache may hold: a node evicted is grouped anew. */
const CACHED_MEMBERS = 8_000_000;

/**
 * The greedy releases each record into the cheapest class it can get at that moment, so a record whose companions
 * were taken by cheaper classes ends up far up the lattice, with other such records. Here those clusters (the most
 * expensive, DISSOLVED_SHARE of the records, and the tuples left over) are released again, cheapest class first over
 * the level vectors the clusters use and their neighbours; a group of them too small for a class of its own may
 * absorb released clusters that read like it at that node, whole, each at the cost of raising its records —
 * charged to the group. Every class formed is checked against every model; a cluster is only ever absorbed whole
 * (its records keep one level vector). Tuples that find nothing are left over. The caller keeps whichever
 * clustering, this or the greedy's, loses less once the leftovers are dealt with.
 */
export function rerelease(setup: ReleaseSetup, greedy: Clustering): Clustering {
  const { tuples, hierarchies, shares, identity, minClassSize } = setup;
  const width = hierarchies.length;
  const weights = tuples.sizes;
  const labelAt = labelsByLevel(tuples, hierarchies);
  const check = new ClassCheck(tuples, setup.models, minClassSize);
  const clusters = new ClusterSet(width, labelAt, shares, identity, weights);
  for (let c = 0; c < greedy.clusterCount; c++) clusters.add(greedy.clusterLevels.slice(c * width, (c + 1) * width), []);
  for (let t = 0; t < tuples.count; t++) if (greedy.clusterOfTuple[t] >= 0) clusters.members[greedy.clusterOfTuple[t]].push(t);
  for (let c = 0; c < greedy.clusterCount; c++) clusters.settle(c);
  const byNode = new ClustersByNode();

  // Dissolve the most expensive clusters, up to the share of the released records.
  const live = new Uint8Array(tuples.count);
  let released = 0;
  for (let c = 0; c < greedy.clusterCount; c++) released += clusters.records[c];
  const byCost = Array.from({ length: greedy.clusterCount }, (_, c) => c).sort((a, b) => clusters.cost[b] - clusters.cost[a]);
  let dissolved = 0;
  for (const c of byCost) {
    if (dissolved + clusters.records[c] > released * DISSOLVED_SHARE) break;
    dissolved += clusters.records[c];
    for (const t of clusters.members[c]) live[t] = 1;
    clusters.remove(c);
  }
  for (let c = 0; c < greedy.clusterCount; c++) if (clusters.alive[c]) byNode.add(clusters.levels[c], c);
  for (let t = 0; t < tuples.count; t++) if (greedy.clusterOfTuple[t] < 0) live[t] = 1;
  let liveTuples = Array.from({ length: tuples.count }, (_, t) => t).filter((t) => live[t] === 1);
  if (liveTuples.length === 0) return greedy;

  // Candidate nodes: the level vectors of the greedy's clusters, one level up or down in any attribute.
  const nodes = new Map<string, Int32Array>();
  for (let c = 0; c < greedy.clusterCount; c++) {
    const levels = greedy.clusterLevels.subarray(c * width, (c + 1) * width);
    nodes.set(levels.join(','), levels.slice());
    for (let j = 0; j < width; j++) {
      for (const step of [-1, 1]) {
        const level = levels[j] + step;
        if (level < 0 || level > hierarchies[j].maxLevel) continue;
        const neighbour = levels.slice();
        neighbour[j] = level;
        nodes.set(neighbour.join(','), neighbour);
      }
    }
  }
  const nodeLevels = [...nodes.values()];
  const grouping = new Grouping(width, labelAt, hierarchies);

  /** The cheapest release at a node: live tuples with equal labels, plus the clusters they absorb. */
  const cache = new GroupCache(CACHED_MEMBERS);
  // Per node, the clusters a group there may absorb (by labels); a cluster formed drops the entries that could hold it.
  const absorbableCache = new Map<number, Map<number | string, number[]>>();
  const nodeOf = new Map(nodeLevels.map((levels, node) => [levels.join(','), node]));
  const absorbableAt = (node: number) => {
    let found = absorbableCache.get(node);
    if (found === undefined) {
      if (absorbableCache.size >= ABSORBABLE_NODES) absorbableCache.clear();
      absorbableCache.set(node, (found = grouping.absorbable(clusters, byNode, nodeLevels[node])));
    }
    return found;
  };
  const formedAt = (levels: Int32Array) => {
    const above = levels.slice();
    absorbableCache.delete(nodeOf.get(above.join(',')) ?? -1);
    for (let j = 0; j < width; j++) {
      above[j]++;
      absorbableCache.delete(nodeOf.get(above.join(',')) ?? -1);
      above[j]--;
    }
  };
  const evaluate = (node: number): Candidate | undefined => {
    const levels = nodeLevels[node];
    const absorbable = absorbableAt(node);
    let entry = cache.take(node);
    if (entry === undefined) {
      liveTuples = liveTuples.filter((t) => live[t] === 1);
      const groups = [...grouping.group(liveTuples, levels).values()].map((members) => ({ members, cost: clusters.costOf(levels, members[0]) })).sort((a, b) => a.cost - b.cost);
      entry = { groups, parked: [], absorbable };
    } else if (entry.absorbable !== absorbable) {
      // Clusters formed near the node: the groups parked for want of any may find some now.
      entry.groups.push(...entry.parked);
      entry.groups.sort((a, b) => a.cost - b.cost);
      entry.parked = [];
      entry.absorbable = absorbable;
    }
    const ordered = entry.groups;
    let best: Candidate | undefined;
    // Cheapest group first: the first that stands alone ends the look. Released tuples leave the groups on the way;
    // a group too small even with all it could absorb is parked until clusters form near the node.
    let kept = 0;
    let index = 0;
    for (; index < ordered.length; index++) {
      const group = ordered[index];
      if (best !== undefined && group.cost >= best.key) break;
      const members = group.members;
      let alive = 0;
      for (const t of members) if (live[t] === 1) members[alive++] = t;
      members.length = alive;
      if (alive === 0) continue;
      const first = members[0];
      // Never released: such records count as suppressed.
      if (clusters.readsAllStars(levels, first)) continue;
      let records = 0;
      for (const t of members) records += weights[t];
      const near = absorbable.get(grouping.keyOf(first, levels)) ?? [];
      let reachable = records;
      for (const c of near) if (clusters.alive[c] && clusters.cost[c] <= group.cost) reachable += clusters.records[c];
      if (reachable < minClassSize) {
        entry.parked.push(group);
        continue;
      }
      ordered[kept++] = group;
      const cost = group.cost;
      // Records reading like released clusters join them: only where those have these levels (absorbed below).
      const sameStrings = identity.sharedAcrossLevels ? (clusters.byStrings.get(clusters.stringKey(levels, first)) ?? []).filter((c) => clusters.alive[c]) : near.filter((c) => clusters.alive[c] && sameLevels(clusters.levels[c], levels));
      if (sameStrings.some((c) => !sameLevels(clusters.levels[c], levels))) continue;
      const absorbed: number[] = [];
      let key = cost;
      if (records < minClassSize || sameStrings.length > 0 || !check.passes(records, Int32Array.from(members), 0, members.length)) {
        const options = near.filter((c) => clusters.alive[c] && !sameStrings.includes(c) && clusters.cost[c] <= cost);
        options.sort((a, b) => (cost - clusters.cost[a]) * clusters.records[a] - (cost - clusters.cost[b]) * clusters.records[b]);
        let size = records;
        let added = 0;
        // The cluster already reading these strings is joined whatever the size: it is the same class in the output.
        for (const c of sameStrings) {
          absorbed.push(c);
          size += clusters.records[c];
        }
        for (const c of options) {
          if (size >= minClassSize && (!check.readsValues || check.passes(size, Int32Array.from(members), 0, members.length, absorbedTuples(clusters, absorbed)))) break;
          absorbed.push(c);
          size += clusters.records[c];
          added += (cost - clusters.cost[c]) * clusters.records[c];
        }
        if (size < minClassSize || (check.readsValues && !check.passes(size, Int32Array.from(members), 0, members.length, absorbedTuples(clusters, absorbed)))) continue;
        key = cost + added / records;
        if (best !== undefined && key >= best.key) continue;
      }
      best = { key, levels, members, absorbed };
    }
    while (index < ordered.length) ordered[kept++] = ordered[index++];
    ordered.length = kept;
    if (kept + entry.parked.length > 0) cache.put(node, entry);
    return best;
  };

  // Nodes wait keyed by a lower bound of any class there (the cheapest labels of the live tuples): most are grouped
  // only when their turn comes, by then over fewer live tuples.
  const queue = new NodeQueue();
  const lowest = hierarchies.map((hierarchy, j) =>
    Array.from({ length: hierarchy.maxLevel + 1 }, (_, level) => {
      let smallest = Infinity;
      for (const t of liveTuples) smallest = Math.min(smallest, shares[j][level][labelAt[j][level][t]]);
      return smallest;
    }),
  );
  nodeLevels.forEach((levels, node) => {
    let bound = 0;
    for (let j = 0; j < width; j++) bound += lowest[j][levels[j]];
    queue.push(node, bound);
  });
  let liveCount = liveTuples.length;
  while (queue.size > 0 && liveCount > 0) {
    const node = queue.pop();
    const candidate = evaluate(node);
    if (candidate === undefined) continue;
    // Keys only rise as tuples leave and clusters are absorbed: look again before releasing above the next key.
    if (candidate.key > queue.peekKey()) {
      queue.push(node, candidate.key);
      continue;
    }
    const members = [...candidate.members];
    for (const c of candidate.absorbed) {
      members.push(...clusters.members[c]);
      clusters.remove(c);
    }
    for (const t of candidate.members) live[t] = 0;
    liveCount -= candidate.members.length;
    const formed = clusters.add(candidate.levels.slice(), members);
    clusters.settle(formed);
    byNode.add(clusters.levels[formed], formed);
    formedAt(clusters.levels[formed]);
    const next = evaluate(node);
    if (next !== undefined) queue.push(node, next.key);
  }
  return clusters.clustering(tuples.count);
}

interface Candidate {
  /** What the group's records pay per record: their class's cost plus the raise of the clusters absorbed. */
  readonly key: number;
  readonly levels: Int32Array;
  readonly members: readonly number[];
  readonly absorbed: readonly number[];
}

function absorbedTuples(clusters: ClusterSet, absorbed: readonly number[]): number[] {
  return absorbed.flatMap((c) => clusters.members[c]);
}

function sameLevels(a: Int32Array, b: Int32Array): boolean {
  for (let j = 0; j < a.length; j++) if (a[j] !== b[j]) return false;
  return true;
}

/** Clusters with their members, records, cost per record and released strings; removed ones stay as holes. */
class ClusterSet {
  readonly levels: Int32Array[] = [];
  readonly members: number[][] = [];
  readonly records: number[] = [];
  readonly cost: number[] = [];
  readonly alive: boolean[] = [];
  /** Released strings (label ids) → the live clusters reading them (several only where labels recur across levels). */
  readonly byStrings = new Map<string, number[]>();

  constructor(
    private readonly width: number,
    private readonly labelAt: readonly Int32Array[][],
    private readonly shares: readonly Float64Array[][],
    private readonly identity: LabelIdentity,
    private readonly weights: Int32Array,
  ) {}

  add(levels: Int32Array, members: number[]): number {
    const c = this.levels.length;
    this.levels.push(levels);
    this.members.push(members);
    this.records.push(0);
    this.cost.push(0);
    this.alive.push(true);
    return c;
  }

  /** Records, cost and strings of cluster c once its members are in. */
  settle(c: number): void {
    let records = 0;
    for (const t of this.members[c]) records += this.weights[t];
    this.records[c] = records;
    this.cost[c] = this.costOf(this.levels[c], this.members[c][0]);
    const key = this.stringKey(this.levels[c], this.members[c][0]);
    const list = this.byStrings.get(key);
    if (list === undefined) this.byStrings.set(key, [c]);
    else list.push(c);
  }

  remove(c: number): void {
    const key = this.stringKey(this.levels[c], this.members[c][0]);
    const list = this.byStrings.get(key)!.filter((other) => other !== c);
    if (list.length === 0) this.byStrings.delete(key);
    else this.byStrings.set(key, list);
    this.alive[c] = false;
  }

  costOf(levels: Int32Array, tuple: number): number {
    let cost = 0;
    for (let j = 0; j < this.width; j++) cost += this.shares[j][levels[j]][this.labelAt[j][levels[j]][tuple]];
    return cost;
  }

  stringKey(levels: Int32Array, tuple: number): string {
    let key = '';
    for (let j = 0; j < this.width; j++) key += `${this.identity.ids[j][levels[j]][this.labelAt[j][levels[j]][tuple]]},`;
    return key;
  }

  readsAllStars(levels: Int32Array, tuple: number): boolean {
    for (let j = 0; j < this.width; j++) if (this.identity.ids[j][levels[j]][this.labelAt[j][levels[j]][tuple]] !== this.identity.starId[j]) return false;
    return true;
  }

  clustering(tupleCount: number): Clustering {
    const clusterOfTuple = new Int32Array(tupleCount).fill(-1);
    const clusterLevels: number[] = [];
    let clusterCount = 0;
    for (let c = 0; c < this.levels.length; c++) {
      if (!this.alive[c]) continue;
      for (const t of this.members[c]) clusterOfTuple[t] = clusterCount;
      clusterLevels.push(...this.levels[c]);
      clusterCount++;
    }
    return { clusterOfTuple, clusterLevels: Int32Array.from(clusterLevels), clusterCount };
  }
}

/** Tuples grouped by their labels at a node: packed into one exact number where the label domains allow. */
class Grouping {
  private readonly strides: Float64Array | undefined;

  constructor(
    private readonly width: number,
    private readonly labelAt: readonly Int32Array[][],
    hierarchies: readonly CompiledHierarchy[],
  ) {
    const strides = new Float64Array(width);
    let space = 1;
    for (let j = 0; j < width; j++) {
      strides[j] = space;
      space *= Math.max(...hierarchies[j].labels.map((labels) => labels.length));
    }
    this.strides = space <= Number.MAX_SAFE_INTEGER ? strides : undefined;
  }

  keyOf(tuple: number, levels: Int32Array): number | string {
    const { labelAt, strides } = this;
    if (strides !== undefined) {
      let key = 0;
      for (let j = 0; j < this.width; j++) key += labelAt[j][levels[j]][tuple] * strides[j];
      return key;
    }
    let key = '';
    for (let j = 0; j < this.width; j++) key += `${labelAt[j][levels[j]][tuple]},`;
    return key;
  }

  group(tupleList: readonly number[], levels: Int32Array): Map<number | string, number[]> {
    const groups = new Map<number | string, number[]>();
    for (const t of tupleList) {
      const key = this.keyOf(t, levels);
      const list = groups.get(key);
      if (list === undefined) groups.set(key, [t]);
      else list.push(t);
    }
    return groups;
  }

  /**
   * Live clusters at the node or one level below it in one attribute (all their tuples read alike at the node; a
   * raise of one step is what a group joining cheaper neighbours costs them), by their labels at the node.
   */
  absorbable(clusters: ClusterSet, byNode: ClustersByNode, levels: Int32Array): Map<number | string, number[]> {
    const found = new Map<number | string, number[]>();
    const visit = (c: number) => {
      if (!clusters.alive[c]) return;
      const key = this.keyOf(clusters.members[c][0], levels);
      const list = found.get(key);
      if (list === undefined) found.set(key, [c]);
      else list.push(c);
    };
    for (const c of byNode.at(levels)) visit(c);
    const below = levels.slice();
    for (let j = 0; j < this.width; j++) {
      if (levels[j] === 0) continue;
      below[j]--;
      for (const c of byNode.at(below)) visit(c);
      below[j]++;
    }
    return found;
  }
}

/** Clusters by level vector (removed ones are skipped by the reader). */
class ClustersByNode {
  private readonly lists = new Map<string, number[]>();

  add(levels: Int32Array, c: number): void {
    const key = levels.join(',');
    const list = this.lists.get(key);
    if (list === undefined) this.lists.set(key, [c]);
    else list.push(c);
  }

  at(levels: Int32Array): readonly number[] {
    return this.lists.get(levels.join(',')) ?? [];
  }
}

interface Group {
  readonly members: number[];
  readonly cost: number;
}

interface NodeGroups {
  /** Cheapest first. */
  groups: Group[];
  /** Too small, even with every cluster it could absorb when last looked. */
  parked: Group[];
  /** The absorbable clusters they were judged by. */
  absorbable: Map<number | string, number[]>;
}

/** Nodes' groups of live tuples, kept for the next look; least recently put first out. */
class GroupCache {
  private readonly entries = new Map<number, NodeGroups>();
  private readonly sizes = new Map<number, number>();
  private members = 0;

  constructor(private readonly capacity: number) {}

  take(node: number): NodeGroups | undefined {
    const found = this.entries.get(node);
    if (found !== undefined) {
      this.entries.delete(node);
      this.members -= this.sizes.get(node)!;
      this.sizes.delete(node);
    }
    return found;
  }

  put(node: number, entry: NodeGroups): void {
    let size = 0;
    for (const group of entry.groups) size += group.members.length;
    for (const group of entry.parked) size += group.members.length;
    this.entries.set(node, entry);
    this.sizes.set(node, size);
    this.members += size;
    for (const [evicted] of this.entries) {
      if (this.members <= this.capacity) break;
      this.members -= this.sizes.get(evicted)!;
      this.entries.delete(evicted);
      this.sizes.delete(evicted);
    }
  }
}
