// The lattice search's contract and entry: strategies (the optimal searches and the exhaustive reference), time
// limit, progress and the proven lower bound. Receives `evaluate(levels)`; imports no data code.

import { getHeapStatistics } from 'node:v8';
import { flashSearch, SearchClock } from './flash-search.js';
import { defaultMemoryBytes, frontierSearch, nodesPerHeight } from './frontier-search.js';

export { nodesPerHeight };
import { DENSE_LOOKUP_MAX_NODES, type NodeLookupKind } from './node-table.js';

export interface NodeCheck {
  /** Every model holds within the suppression budget. */
  readonly anonymous: boolean;
  /**
   * A necessary condition for `anonymous`, ideally monotone upward (e.g. "k-anonymous within the budget"). When it
   * fails at a node, no specialization is anonymous either: they are tagged without checking. (Where it holds, its
   * generalizations are only presumed to hold; that steers the binary search and never excludes a node.)
   */
  readonly monotoneConditionHolds: boolean;
  /** Utility score (lower is better); meaningful when anonymous. */
  readonly score: number;
  /** ≤ the score at this node and every generalization of it. */
  readonly lowerBound: number;
  /**
   * Records suppressed at this node and at every specialization of it, whatever else holds (e.g. those in classes
   * smaller than k), so a checked node bounds the suppression of every specialization from below.
   */
  readonly forcedSuppression: number;
}

export interface SearchProblem {
  readonly maxLevels: readonly number[];
  evaluate(levels: Int32Array): NodeCheck;
  /**
   * A lower bound on the score of the unchecked node at `levels`, from the largest lower bound of a checked node
   * below it and the largest forced suppression of a checked node above it. Absent: the first alone. `levels` is
   * scratch memory, valid during the call only.
   */
  refineBound?(levels: Int32Array, boundBelow: number, forcedSuppressionAtLeast: number): number;
  /** Nodes the search expects to check soon, most likely first (a hint: the problem may prepare them meanwhile). */
  anticipate?(nodes: readonly Int32Array[]): void;
  /**
   * ≤ the score at the node at `levels` and at every generalization of it, from the levels alone, and non-decreasing
   * upward. Absent: −∞. `levels` is scratch memory, valid during the call only.
   */
  boundAbove?(levels: Int32Array): number;
  /**
   * The search is about to check several generalizations of the node at `levels` (a hint, no verdict): the problem
   * may prepare what they have in common, e.g. group this node once so that each of them is rolled up from it.
   */
  prepare?(levels: Int32Array): void;
}

/** Where the search stands: what `onProgress` receives and the trace records. */
export interface SearchTracePoint {
  /** Since the search started. */
  readonly ms: number;
  readonly nodesChecked: number;
  /** The best score found so far (NaN while none). */
  readonly score: number;
  /** A proven lower bound on the optimal score (−∞ while nothing bounds it). */
  readonly lowerBound: number;
}

export interface SearchSettings {
  /** The search returns its best node when this much time has passed (default: no limit). */
  readonly timeLimitMs?: number;
  /** Called as the search goes (at most every 100 ms, and whenever the best score improves). */
  readonly onProgress?: (progress: SearchTracePoint) => void;
  /** The clock, in ms (default performance.now); tests step it. */
  readonly now?: () => number;
  /** How nodes are found by their levels: an array over the lattice, or a hash map (default: by lattice size). */
  readonly lookup?: NodeLookupKind;
  /** Bytes the search's own node memory may take (default: a quarter of the heap limit). */
  readonly memoryBytes?: number;
}

export interface SearchResult {
  /** Levels of the optimal node, or null when no node is anonymous. */
  readonly optimum: Int32Array | null;
  readonly score: number;
  readonly latticeSize: number;
  readonly nodesChecked: number;
  /** Nodes skipped because a checked generalization failed the monotone condition. */
  readonly nodesPrunedByTags: number;
  /** Nodes skipped because a lower bound below them reached the best score. */
  readonly nodesPrunedByBounds: number;
  /** The same counts per lattice height (sum of levels), bottom first: where the search spent its checks. */
  readonly perHeight: HeightCounts[];
  /** Whether `score` is proven optimal: the search ended before its time limit or memory budget. */
  readonly optimal: boolean;
  /** A proven lower bound on the optimal score: `score` when optimal (NaN when there is no optimum). */
  readonly lowerBound: number;
  readonly stoppedBy: 'completed' | 'time-limit' | 'memory';
  /** Incumbent score and lower bound over time. */
  readonly trace: readonly SearchTracePoint[];
  /** How the search held its nodes. */
  readonly representation: NodeLookupKind;
}

export interface HeightCounts {
  readonly height: number;
  readonly nodes: number;
  readonly checked: number;
  readonly prunedByTags: number;
  readonly prunedByBounds: number;
}

export type SearchStrategy = 'optimal' | 'exhaustive';

/**
 * The search the strategy names. `optimal`: on lattices of up to FLASH_MAX_NODES nodes the Flash-style search over
 * dense per-node arrays (fewest checks there); above, the frontier search, whose memory grows with the nodes it
 * reaches (found through an id-indexed array up to DENSE_LOOKUP_MAX_NODES nodes, a hash map beyond). Each stops at
 * the time limit with the best node found and a proven lower bound.
 */
export function search(problem: SearchProblem, strategy: SearchStrategy, settings: SearchSettings = {}): SearchResult {
  const size = latticeSize(problem.maxLevels);
  if (strategy === 'exhaustive') return exhaustive(problem, settings, size);
  if (size <= FLASH_MAX_NODES && settings.lookup === undefined) return flashSearch(problem, settings);
  const lookup = settings.lookup ?? (size <= DENSE_LOOKUP_MAX_NODES ? 'dense' : 'sparse');
  return frontierSearch(problem, settings, size, lookup, settings.memoryBytes ?? defaultMemoryBytes(getHeapStatistics().heap_size_limit));
}

/** Lattices up to this size are searched with dense per-node arrays (today's workloads: Adult has 12,960 nodes). */
export const FLASH_MAX_NODES = 100_000;

/** Nodes of the lattice with these maximal levels (beyond 2^53, rounded). */
export function latticeSize(maxLevels: readonly number[]): number {
  return maxLevels.reduce((product, level) => product * (level + 1), 1);
}

/**
 * Every node in id order (mixed radix, first attribute fastest), counted by an odometer so that no per-node array
 * is needed; stopped by the time limit, it bounds the optimum by the lowest bound a node can have at all.
 */
function exhaustive(problem: SearchProblem, settings: SearchSettings, size: number): SearchResult {
  const { maxLevels } = problem;
  const width = maxLevels.length;
  const clock = new SearchClock(settings);
  const levels = new Int32Array(width);
  const floor = problem.boundAbove?.(new Int32Array(width)) ?? -Infinity;
  const perHeight: HeightCounts[] = nodesPerHeight(maxLevels).map((nodes, height) => ({ height, nodes, checked: 0, prunedByTags: 0, prunedByBounds: 0 }));
  let best: Int32Array | null = null;
  let bestScore = NaN;
  let bestHeight = 0;
  let checked = 0;
  let complete = false;
  for (let height = 0; !clock.stopped; ) {
    const check = problem.evaluate(levels);
    checked++;
    (perHeight[height] as { checked: number }).checked++;
    // Ids only grow, so among equal scores and heights the first found has the lowest id.
    if (check.anonymous && (best === null || check.score < bestScore || (check.score === bestScore && height < bestHeight))) {
      best = levels.slice();
      bestScore = check.score;
      bestHeight = height;
    }
    clock.tick();
    clock.report(false, () => ({ nodesChecked: checked, score: bestScore, lowerBound: Math.min(bestScore, floor) }));
    let j = 0;
    for (; j < width && levels[j] === maxLevels[j]; j++) {
      height -= levels[j];
      levels[j] = 0;
    }
    if (j === width) {
      complete = true;
      break;
    }
    levels[j]++;
    height++;
  }
  const lowerBound = complete ? bestScore : best === null ? floor : Math.min(bestScore, floor);
  clock.report(true, () => ({ nodesChecked: checked, score: bestScore, lowerBound }));
  return {
    optimum: best,
    score: bestScore,
    latticeSize: size,
    nodesChecked: checked,
    nodesPrunedByTags: 0,
    nodesPrunedByBounds: 0,
    perHeight,
    optimal: complete,
    lowerBound,
    stoppedBy: complete ? 'completed' : 'time-limit',
    trace: clock.trace,
    representation: 'sparse',
  };
}
