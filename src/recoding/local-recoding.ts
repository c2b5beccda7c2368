// Local recoding end to end: the lattice greedy, then the records it left over — suppressed within the budget, or
// merged into the released class that loses least by generalizing further — as a tuple recoding.

import type { EquivalenceClasses } from '../groupify/equivalence-classes.js';
import type { CompiledHierarchy } from '../hierarchy/compiled-hierarchy.js';
import type { PrivacyModel } from '../models/privacy-model.js';
import { ClassCheck } from './class-check.js';
import { latticeGreedy } from './lattice-greedy.js';
import type { LabelIdentity } from './label-identity.js';
import type { TupleRecoding } from './tuple-recoding.js';

export interface LocalRecodingSetup {
  readonly tuples: EquivalenceClasses;
  readonly hierarchies: readonly CompiledHierarchy[];
  readonly models: readonly PrivacyModel[];
  readonly minClassSize: number;
  /** Records that may be suppressed. */
  readonly suppressionBudget: number;
  readonly shares: readonly Float64Array[][];
  readonly identity: LabelIdentity;
}

export interface LocalRecoding {
  readonly recoding: TupleRecoding;
  readonly nodeEvaluations: number;
  /** Records the greedy left over that were merged into a class (which was generalized further). */
  readonly mergedRecords: number;
}

/** The local recoding, or undefined when the records the greedy left over can neither be suppressed nor merged. */
export function recodeLocally(setup: LocalRecodingSetup): LocalRecoding | undefined {
  const { tuples, hierarchies, shares, identity } = setup;
  const width = hierarchies.length;
  const greedy = latticeGreedy(setup);
  const clusters = new Clusters(tuples, hierarchies, greedy.clusterOfTuple, greedy.clusterLevels, greedy.clusterCount, identity);

  const leftovers: number[] = [];
  for (let t = 0; t < tuples.count; t++) if (greedy.clusterOfTuple[t] < 0) leftovers.push(t);
  // Suppressing a record costs a share of 1 in every attribute; merging it costs what generalizing the class it
  // joins adds. Merge where that is cheaper, most saved first; suppress the others while the budget lasts, and merge
  // the rest anyway.
  const check = new ClassCheck(tuples, setup.models, setup.minClassSize);
  const suppressionCost = (tuple: number) => tuples.sizes[tuple] * width;
  const merges = leftovers.map((tuple) => ({ tuple, merge: clusters.cheapestMerge(tuple, shares, identity, check) }));
  // How much a merge saves over suppression (negative when suppression is cheaper); −∞ without a merge.
  const savingOf = ({ tuple, merge }: (typeof merges)[number]) => (merge === undefined ? -Infinity : suppressionCost(tuple) - merge.added);
  merges.sort((a, b) => savingOf(b) - savingOf(a));
  let budget = setup.suppressionBudget;
  let mergedRecords = 0;
  for (const { tuple } of merges) {
    const records = tuples.sizes[tuple];
    // Earlier merges may have changed the clusters: look again (the first look only set the order).
    const current = clusters.cheapestMerge(tuple, shares, identity, check);
    if ((current === undefined || current.added >= suppressionCost(tuple)) && records <= budget) {
      budget -= records;
      continue;
    }
    if (current === undefined) return undefined;
    clusters.merge(tuple, current, identity);
    mergedRecords += records;
  }
  return { ...clusters.result(), nodeEvaluations: greedy.nodeEvaluations, mergedRecords };
}

interface Merge {
  readonly cluster: number;
  readonly levels: Int32Array;
  /** Granularity shares the merge adds: the tuple's cells and the cluster's raised cells. */
  readonly added: number;
  /** Other clusters whose records read like the raised cluster's: in the output they form one class with it. */
  readonly joins: readonly number[];
}

/** The greedy's clusters, with their member tuples, open to merges. */
class Clusters {
  private readonly levels: Int32Array[];
  private readonly members: number[][];
  private readonly records: number[];

  constructor(
    private readonly tuples: EquivalenceClasses,
    private readonly hierarchies: readonly CompiledHierarchy[],
    clusterOfTuple: Int32Array,
    clusterLevels: Int32Array,
    count: number,
    identity: LabelIdentity,
  ) {
    const width = hierarchies.length;
    this.levels = Array.from({ length: count }, (_, c) => clusterLevels.slice(c * width, (c + 1) * width));
    this.members = Array.from({ length: count }, () => []);
    this.records = new Array<number>(count).fill(0);
    for (let t = 0; t < clusterOfTuple.length; t++) {
      const c = clusterOfTuple[t];
      if (c < 0) continue;
      this.members[c].push(t);
      this.records[c] += tuples.sizes[t];
    }
    for (let c = 0; c < count; c++) this.index(c, identity);
  }

  /** Clusters by the strings their records read: one class in the output. */
  private readonly byStrings = new Map<string, number[]>();

  private index(c: number, identity: LabelIdentity): void {
    const key = this.stringKey(this.levels[c], this.members[c][0], identity);
    const list = this.byStrings.get(key);
    if (list === undefined) this.byStrings.set(key, [c]);
    else list.push(c);
  }

  private stringKey(levels: Int32Array, representative: number, identity: LabelIdentity): string {
    let key = '';
    for (let j = 0; j < levels.length; j++) key += `${identity.ids[j][levels[j]][this.labelOf(j, levels[j], representative)]},`;
    return key;
  }

  /** The cheapest admissible merge of `tuple` into a cluster, raised to where their labels meet; undefined if none. */
  cheapestMerge(tuple: number, shares: readonly Float64Array[][], identity: LabelIdentity, check: ClassCheck): Merge | undefined {
    const width = this.hierarchies.length;
    let best: Merge | undefined;
    const raised = new Int32Array(width);
    clusters: for (let c = 0; c < this.levels.length; c++) {
      const representative = this.members[c][0];
      for (let j = 0; j < width; j++) {
        raised[j] = this.meetLevel(j, this.levels[c][j], representative, tuple);
        if (raised[j] < 0) continue clusters;
      }
      const added = this.costAt(raised, c, tuple, shares) - this.costAt(this.levels[c], c, -1, shares);
      if (best !== undefined && added >= best.added) continue;
      if (this.readsAllStars(raised, representative, identity)) continue;
      const joins = (this.byStrings.get(this.stringKey(raised, representative, identity)) ?? []).filter((other) => other !== c);
      const extra = [tuple, ...joins.flatMap((other) => this.members[other])];
      let size = this.records[c] + this.tuples.sizes[tuple];
      for (const other of joins) size += this.records[other];
      const members = Int32Array.from(this.members[c]);
      if (!check.passes(size, members, 0, members.length, extra)) continue;
      best = { cluster: c, levels: raised.slice(), added, joins };
    }
    return best;
  }

  /** Applies a merge: the cluster's levels rise and the tuple joins it (clusters it now reads like stay apart). */
  merge(tuple: number, merge: Merge, identity: LabelIdentity): void {
    const c = merge.cluster;
    const representative = this.members[c][0];
    const before = this.stringKey(this.levels[c], representative, identity);
    const list = this.byStrings.get(before)!;
    list.splice(list.indexOf(c), 1);
    this.levels[c] = merge.levels;
    this.members[c].push(tuple);
    this.records[c] += this.tuples.sizes[tuple];
    this.index(c, identity);
  }

  /** The recoding: a group per distinct level vector. */
  result(): { recoding: TupleRecoding } {
    const width = this.hierarchies.length;
    const groupOfTuple = new Int32Array(this.tuples.count).fill(-1);
    const groupOf = new Map<string, number>();
    const groupLevels: number[] = [];
    for (let c = 0; c < this.levels.length; c++) {
      const levels = this.levels[c];
      const vector = levels.join(',');
      let group = groupOf.get(vector);
      if (group === undefined) {
        groupOf.set(vector, (group = groupOf.size));
        groupLevels.push(...levels);
      }
      for (const t of this.members[c]) groupOfTuple[t] = group;
    }
    return { recoding: { width, groupOfTuple, groupLevels: Int32Array.from(groupLevels), groupCount: groupOf.size } };
  }

  private labelOf(j: number, level: number, tuple: number): number {
    return this.hierarchies[j].dataToLevel[level][this.tuples.keys[tuple * this.hierarchies.length + j]];
  }

  /** The lowest level ≥ `from` at which the two tuples' values of attribute j share a label; −1 if none does. */
  private meetLevel(j: number, from: number, a: number, b: number): number {
    for (let level = from; level <= this.hierarchies[j].maxLevel; level++) if (this.labelOf(j, level, a) === this.labelOf(j, level, b)) return level;
    return -1;
  }

  /** Cluster c's records at `levels`, plus `tuple`'s if ≥ 0, in granularity shares. */
  private costAt(levels: Int32Array, c: number, tuple: number, shares: readonly Float64Array[][]): number {
    const representative = this.members[c][0];
    let perRecord = 0;
    for (let j = 0; j < levels.length; j++) perRecord += shares[j][levels[j]][this.labelOf(j, levels[j], representative)];
    return perRecord * (this.records[c] + (tuple >= 0 ? this.tuples.sizes[tuple] : 0));
  }

  private readsAllStars(levels: Int32Array, representative: number, identity: LabelIdentity): boolean {
    for (let j = 0; j < levels.length; j++) if (identity.ids[j][levels[j]][this.labelOf(j, levels[j], representative)] !== identity.starId[j]) return false;
    return true;
  }
}
