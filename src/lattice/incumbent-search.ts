// Finds good transformations early and keeps improving them between the bound-driven search's steps: a best-first
// descent from the top by score, exchange moves around the incumbent, and perturbed restarts (iterated local search).

import { FrontierHeap } from './frontier-heap.js';
import type { SearchState } from './frontier-search.js';

/**
 * A resumable local search over anonymous nodes. `step` does a little work (a few checks) and says whether any is
 * left; the frontier search interleaves it with its own steps. Every node it checks is recorded as any check is, so
 * the bound-driven search profits from each of them, and it profits from theirs (known failures are never checked).
 */
export class IncumbentSearch {
  /** Anonymous nodes to expand, best score first (entries index `nodes`). */
  private readonly open = new FrontierHeap();
  private readonly nodes: Int32Array[] = [];
  private started = false;
  /** Expansions since the descent last improved the incumbent. */
  private idle = 0;
  /** Exchanges of the incumbent still to try (undefined: not computed for the current incumbent). */
  private exchanges: Int32Array[] | undefined;
  private exchangesOf = -1;
  /** The PRNG state of the perturbations (xorshift32, fixed seed: runs are reproducible). */
  private random = 0x9e3779b9;
  private restarts = 0;
  /** Restarts since the incumbent last improved: the search gives up after RESTARTS_PER_ATTRIBUTE per attribute. */
  private fruitless = 0;
  private lastIncumbentScore = Infinity;
  /** Attributes a perturbation raised: the descent from it does not lower them again (it would fall back at once). */
  private tabu = new Set<number>();
  /** Nodes queued since the descent last restarted: checked nodes are queued again for a new descent, once each. */
  private queued = new Set<number>();

  constructor(private readonly state: SearchState) {}

  /** The search renumbered its nodes (to stay within its memory budget): drops what refers to their numbers. */
  forget(): void {
    this.queued.clear();
    this.exchangesOf = -1;
  }

  /** Queues an anonymous node found elsewhere (by the frontier search) as a start for the descent. */
  offer(levels: Int32Array, score: number): void {
    this.tabu.clear();
    this.queued.clear();
    this.queue(levels.slice(), score);
    this.idle = 0;
  }

  /** One unit of work; false once there is nothing left to try. */
  step(): boolean {
    const { state } = this;
    if (!this.started) {
      this.started = true;
      const top = Int32Array.from(state.maxLevels);
      const start = this.anonymousScore(top) !== undefined ? top : this.firstAnonymousOnDiagonal();
      if (start !== undefined) this.queue(start, this.anonymousScore(start)!);
      return true;
    }
    // Best-first descent until it has expanded as many nodes as there are attributes without improving.
    if (this.open.size > 0 && this.idle < state.width) {
      const before = state.incumbentScore;
      this.expand(this.nodes[this.open.pop()]);
      this.idle = state.incumbentScore < before ? 0 : this.idle + 1;
      return true;
    }
    const incumbent = this.incumbentLevels();
    if (incumbent === undefined) return false;
    // Then the exchanges of the incumbent, one check per step, until one improves on it.
    if (this.exchangesOf !== state.incumbent) {
      this.exchangesOf = state.incumbent;
      this.exchanges = this.neighbours(incumbent, true).reverse();
    }
    const candidate = this.exchanges!.pop();
    if (candidate !== undefined) {
      const score = this.anonymousScore(candidate);
      if (score !== undefined && state.table.find(candidate) === state.incumbent) {
        this.queue(candidate, score);
        this.idle = 0;
      }
      return true;
    }
    return this.perturb(incumbent);
  }

  private incumbentLevels(): Int32Array | undefined {
    const { state } = this;
    return state.incumbent === -1 ? undefined : state.table.levelsInto(state.incumbent, new Int32Array(state.width));
  }

  private queue(levels: Int32Array, score: number): void {
    const node = this.state.table.intern(levels);
    if (this.queued.has(node)) return;
    this.queued.add(node);
    this.nodes.push(levels);
    this.open.push(this.nodes.length - 1, score, 0);
  }

  /** The score of the node at `levels` if it is anonymous, else undefined (checking it if needed). */
  private anonymousScore(levels: Int32Array): number | undefined {
    const { state } = this;
    if (state.knownToFail(levels) || state.outOfTime()) return undefined;
    const entry = state.check(state.table.intern(levels));
    return state.log.anonymous[entry] === 1 ? state.log.score[entry] : undefined;
  }

  /**
   * Checks the predecessors of an anonymous node (one attribute one level lower) that are not known to fail and whose
   * bound could beat the incumbent, and queues the anonymous ones. Their common lower node is prepared first, so
   * that each of them is rolled up from it rather than from the data.
   */
  private expand(levels: Int32Array): void {
    const { state } = this;
    const candidates = this.neighbours(levels, false);
    const unchecked = candidates.filter((candidate) => state.table.checks[state.table.intern(candidate)] === -1);
    if (unchecked.length > 1) state.problem.prepare?.(meet(unchecked));
    for (const candidate of candidates) {
      const score = this.anonymousScore(candidate);
      if (score !== undefined) this.queue(candidate, score);
      if (this.state.outOfTime()) return;
    }
  }

  /**
   * A restart for the descent: the incumbent with a few of its generalized attributes raised to their top (more of
   * them as restarts go on), which is anonymous whenever the incumbent is and has room to descend elsewhere.
   */
  private perturb(incumbent: Int32Array): boolean {
    const { state } = this;
    this.fruitless = state.incumbentScore < this.lastIncumbentScore ? 0 : this.fruitless + 1;
    this.lastIncumbentScore = state.incumbentScore;
    if (this.fruitless > RESTARTS_PER_ATTRIBUTE * state.width) return false;
    const lowered = [];
    for (let j = 0; j < state.width; j++) if (incumbent[j] < state.maxLevels[j]) lowered.push(j);
    if (lowered.length === 0) return false;
    this.restarts++;
    const count = Math.min(lowered.length, 1 + (this.restarts % 3));
    const start = incumbent.slice();
    this.tabu.clear();
    for (let i = 0; i < count; i++) {
      const pick = i + (this.next() % (lowered.length - i));
      [lowered[i], lowered[pick]] = [lowered[pick], lowered[i]];
      start[lowered[i]] = state.maxLevels[lowered[i]];
      this.tabu.add(lowered[i]);
    }
    const score = this.anonymousScore(start);
    if (score !== undefined) {
      while (this.open.size > 0) this.open.pop();
      this.queued.clear();
      this.queue(start, score);
      this.idle = 0;
    }
    return true;
  }

  private next(): number {
    let x = this.random;
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    this.random = x >>> 0;
    return this.random;
  }

  /**
   * From the bottom to the top, raising each time the attribute proportionally least generalized, the lowest node
   * where the monotone condition holds (binary search), then up the path to the first anonymous node.
   */
  private firstAnonymousOnDiagonal(): Int32Array | undefined {
    const { state } = this;
    const { width, maxLevels } = state;
    const path: Int32Array[] = [new Int32Array(width)];
    for (;;) {
      const last = path[path.length - 1];
      let best = -1;
      let bestRatio = Infinity;
      for (let j = 0; j < width; j++) {
        if (last[j] >= maxLevels[j]) continue;
        const ratio = (last[j] + 1) / maxLevels[j];
        if (ratio < bestRatio) {
          bestRatio = ratio;
          best = j;
        }
      }
      if (best === -1) break;
      const next = last.slice();
      next[best]++;
      path.push(next);
    }
    let low = 0;
    let high = path.length - 1;
    while (low < high && !state.outOfTime()) {
      const middle = (low + high) >>> 1;
      if (!state.knownToFail(path[middle]) && state.log.holds[state.check(state.table.intern(path[middle]))] === 1) high = middle;
      else low = middle + 1;
    }
    for (let at = low; at < path.length && !state.outOfTime(); at++) if (this.anonymousScore(path[at]) !== undefined) return path[at];
    return undefined;
  }

  /**
   * The predecessors of `levels` (one attribute one level lower), or its exchanges (one lower, another one higher),
   * not known to fail nor to be other than anonymous, whose bound could beat the incumbent, lowest bound first.
   * Checked exchanges are left out: what they could give, the incumbent has.
   */
  private neighbours(levels: Int32Array, exchanges: boolean): Int32Array[] {
    const { state } = this;
    const { width, maxLevels } = state;
    const found: { levels: Int32Array; bound: number }[] = [];
    const consider = (candidate: Int32Array): void => {
      const node = state.table.find(candidate);
      const entry = node === -1 ? -1 : state.table.checks[node];
      if ((entry !== -1 && (exchanges || state.log.anonymous[entry] === 0)) || state.knownToFail(candidate)) return;
      const bound = state.boundAbove(candidate);
      if (bound >= state.incumbentScore) return;
      found.push({ levels: candidate, bound });
    };
    for (let lowered = 0; lowered < width; lowered++) {
      if (levels[lowered] === 0 || (!exchanges && this.tabu.has(lowered))) continue;
      if (!exchanges) {
        const candidate = levels.slice();
        candidate[lowered]--;
        consider(candidate);
        continue;
      }
      for (let raised = 0; raised < width; raised++) {
        if (raised === lowered || levels[raised] >= maxLevels[raised]) continue;
        const candidate = levels.slice();
        candidate[lowered]--;
        candidate[raised]++;
        consider(candidate);
      }
    }
    return found.sort((a, b) => a.bound - b.bound).map((entry) => entry.levels);
  }
}

const RESTARTS_PER_ATTRIBUTE = 8;

/** The greatest node below all of them: their levels' minimum. */
function meet(nodes: readonly Int32Array[]): Int32Array {
  const result = nodes[0].slice();
  for (const node of nodes) for (let j = 0; j < result.length; j++) if (node[j] < result[j]) result[j] = node[j];
  return result;
}
