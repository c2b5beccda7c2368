// The optimal search for lattices small enough to hold dense per-node arrays (Flash-style binary search on
// successor paths, predictive tagging both ways, lower-bound pruning), stopping with a proven bound at a time limit.

import { Lattice } from './lattice.js';
import { MinHeap } from './min-heap.js';
import type { SearchProblem, SearchResult, SearchSettings, SearchTracePoint } from './search.js';

/** What the search did with a node, for the per-height counts. */
const CHECKED = 1;
const PRUNED_BY_TAGS = 2;
const PRUNED_BY_BOUNDS = 3;

/** What is known of a node's monotone condition. */
const UNKNOWN = 0;
const HOLDS = 1;
const FAILS = 2;

class Incumbent {
  id = -1;
  score = Infinity;

  /** Ties go to the lower height, then the lower id, so every strategy returns the same node. */
  offer(lattice: Lattice, id: number, score: number): void {
    if (this.id === -1 || score < this.score || (score === this.score && beats(lattice, id, this.id))) {
      this.id = id;
      this.score = score;
    }
  }

  /** Whether a node whose score is at least `bound` could still win (a tie it would win by height/id). */
  couldBeBeaten(lattice: Lattice, id: number, bound: number): boolean {
    if (this.id === -1 || bound < this.score) return true;
    return bound === this.score && beats(lattice, id, this.id);
  }
}

function beats(lattice: Lattice, id: number, other: number): boolean {
  const height = lattice.heights[id];
  const otherHeight = lattice.heights[other];
  return height < otherHeight || (height === otherHeight && id < other);
}

/**
 * Phase 1 settles the monotone condition with few checks: bottom-up, binary search along upward paths of
 * unknown nodes, tagging successors of a node that holds and predecessors of one that fails; it starts no path at
 * a node that cannot beat the incumbent, and checks none on a path that neither could nor would tag one that could.
 * Phase 2 visits every node neither checked nor known to fail, best-first by its bound — the largest lower bound
 * checked below it, refined by its levels and the largest forced suppression checked above it — and skips those
 * whose bound cannot beat the incumbent.
 */
export function flashSearch(problem: SearchProblem, settings: SearchSettings): SearchResult {
  const lattice = new Lattice(problem.maxLevels);
  const condition = new Uint8Array(lattice.size);
  const checked = new Uint8Array(lattice.size);
  /** Largest lower bound of any checked node at or below each node (kept current after every check). */
  const boundBelow = new Float64Array(lattice.size).fill(-Infinity);
  /** Largest forced suppression of any checked node at or above each node (kept current after every check). */
  const forcedAbove = new Float64Array(lattice.size);
  const prunedByBounds = new Uint8Array(lattice.size);
  const incumbent = new Incumbent();
  const refine = problem.refineBound;
  // Refined bounds are asked for again and again (phase 1 starts, heap keys) while their inputs rarely change.
  const refinedBound = new Float64Array(lattice.size);
  const refinedFrom = new Float64Array(lattice.size * 2).fill(NaN);
  const scratchLevels = new Int32Array(lattice.width);
  const boundOf =
    refine === undefined
      ? (id: number) => boundBelow[id]
      : (id: number) => {
          if (refinedFrom[2 * id] !== boundBelow[id] || refinedFrom[2 * id + 1] !== forcedAbove[id]) {
            refinedFrom[2 * id] = boundBelow[id];
            refinedFrom[2 * id + 1] = forcedAbove[id];
            refinedBound[id] = refine(lattice.levelsInto(id, scratchLevels), boundBelow[id], forcedAbove[id]);
          }
          return refinedBound[id];
        };

  // Both propagations run after every check, over up to the whole lattice: plain functions over typed arrays.
  const stack = new Int32Array(lattice.size);
  const spread = (id: number, values: Float64Array, upward: boolean): void => raiseFrom(lattice, id, values, upward, stack);
  // A failure overrides a presumed success: a condition that is not exactly monotone may hold below a failure.
  const tagFrom = (id: number, value: typeof HOLDS | typeof FAILS): void => tagReachable(lattice, id, condition, value, stack);

  // The clock is read after each check: checks are what takes time.
  const clock = new SearchClock(settings);
  let nodesChecked = 0;
  /** A proven lower bound on the optimum as things stand: the best incumbent, or an unsettled node's bound. */
  const currentBound = (): number => {
    let bound = incumbent.score;
    for (let id = 0; id < lattice.size; id++) if (checked[id] === 0 && condition[id] !== FAILS && boundOf(id) < bound) bound = boundOf(id);
    return bound;
  };
  const report = (force: boolean): void => clock.report(force, () => ({ nodesChecked, score: incumbent.id === -1 ? NaN : incumbent.score, lowerBound: currentBound() }));

  const check = (id: number): boolean => {
    const result = problem.evaluate(lattice.levels(id));
    nodesChecked++;
    checked[id] = 1;
    if (result.anonymous) incumbent.offer(lattice, id, result.score);
    condition[id] = result.monotoneConditionHolds ? HOLDS : FAILS;
    tagFrom(id, condition[id] as typeof HOLDS | typeof FAILS);
    if (result.lowerBound > boundBelow[id]) {
      boundBelow[id] = result.lowerBound;
      spread(id, boundBelow, true);
    }
    if (refine !== undefined && result.forcedSuppression > forcedAbove[id]) {
      forcedAbove[id] = result.forcedSuppression;
      spread(id, forcedAbove, false);
    }
    clock.tick();
    // Periodic only: each report scans the lattice for the bound, which a report per improvement would repeat dozens
    // of times in a search that takes tens of milliseconds (Adult without suppression: +30 % search time).
    report(false);
    return result.monotoneConditionHolds;
  };

  const couldWin = (id: number): boolean => incumbent.couldBeBeaten(lattice, id, boundOf(id));
  /** Whether a failure at `id` would tag a direct predecessor that is still open and could beat the incumbent. */
  const failureWouldTell = (id: number): boolean => {
    let tells = false;
    lattice.forEachPredecessor(id, (predecessor) => {
      if (!tells && checked[predecessor] === 0 && condition[predecessor] !== FAILS && couldWin(predecessor)) tells = true;
    });
    return tells;
  };

  // Phase 1: settle the monotone condition bottom-up, by binary search along paths of unknown nodes — but only
  // from nodes that could still beat the incumbent; the others are left to the bounds of phase 2. A node on the
  // path that cannot win either is worth a check only for the failure it may tag below: when that would reach no
  // node that could win, it is presumed to hold, unchecked (phase 2 still sees it).
  const settleAlongPath = (start: number): void => {
    if (condition[start] !== UNKNOWN || !couldWin(start)) return;
    const path = unknownPath(lattice, condition, start);
    let low = 0;
    let high = path.length; // "beyond the top" holds by convention
    while (low < high && !clock.stopped) {
      const middle = (low + high) >>> 1;
      const id = path[middle];
      const known = condition[id];
      if (known === UNKNOWN && !couldWin(id) && !failureWouldTell(id)) {
        high = middle;
        continue;
      }
      const holds = known === UNKNOWN ? check(id) : known === HOLDS;
      if (holds) high = middle;
      else low = middle + 1;
    }
  };
  /**
   * Where the binary searches from these starts will look, as things stand and if every probe holds (as most do):
   * the middle of each path, then halfway down to the start, and so on.
   */
  const likelyProbes = (ordered: Int32Array): Int32Array[] => {
    const probes: Int32Array[] = [];
    for (const start of ordered) {
      if (!couldWin(start)) continue;
      const path = unknownPath(lattice, condition, start);
      for (let high = path.length; high > 0; high >>>= 1) probes.push(lattice.levels(path[high >>> 1]));
    }
    return probes;
  };
  // Within a height, starts go best-first by their bound as the height is reached: a good incumbent found early
  // keeps later paths from starting at all (1M-row Adult: 720 phase-1 checks instead of 743, search −5 to −8 %).
  const starts = new Int32Array(lattice.size);
  const startBound = new Float64Array(lattice.size);
  for (let heightStart = 0; heightStart < lattice.size && !clock.stopped; ) {
    let heightEnd = heightStart;
    const height = lattice.heights[lattice.byHeight[heightStart]];
    while (heightEnd < lattice.size && lattice.heights[lattice.byHeight[heightEnd]] === height) heightEnd++;
    let startCount = 0;
    for (let index = heightStart; index < heightEnd; index++) {
      const id = lattice.byHeight[index];
      if (condition[id] !== UNKNOWN) continue;
      startBound[id] = boundOf(id);
      starts[startCount++] = id;
    }
    heightStart = heightEnd;
    const ordered = starts.subarray(0, startCount).sort((a, b) => startBound[a] - startBound[b] || a - b);
    if (problem.anticipate !== undefined) problem.anticipate(likelyProbes(ordered));
    for (const start of ordered) {
      if (clock.stopped) break;
      settleAlongPath(start);
    }
  }

  // Phase 2: every node not known to fail and not checked, best-first by its bound (keys go stale as bounds rise).
  const candidates = new MinHeap();
  const queuedBound = new Float64Array(lattice.size);
  for (let id = 0; id < lattice.size; id++) {
    if (condition[id] === FAILS || checked[id] === 1) continue;
    queuedBound[id] = boundOf(id);
    candidates.push(id, queuedBound[id]);
  }
  while (candidates.size > 0 && !clock.stopped) {
    const id = candidates.pop();
    if (checked[id] === 1 || condition[id] === FAILS) continue;
    const bound = boundOf(id);
    if (queuedBound[id] < bound) {
      queuedBound[id] = bound;
      candidates.push(id, bound);
      continue;
    }
    if (!incumbent.couldBeBeaten(lattice, id, bound)) {
      prunedByBounds[id] = 1;
      continue;
    }
    check(id);
  }

  // Stopped before any transformation passed: one more check, of the top — the node most likely to pass and the
  // cheapest to group — so that a tight limit still finds a release where one exists at the top (as the frontier does).
  const top = lattice.size - 1;
  if (clock.stopped && incumbent.id === -1 && checked[top] === 0 && condition[top] !== FAILS) check(top);

  const status = new Uint8Array(lattice.size);
  for (let id = 0; id < lattice.size; id++) {
    if (checked[id] === 1) status[id] = CHECKED;
    else if (condition[id] === FAILS) status[id] = PRUNED_BY_TAGS;
    else if (prunedByBounds[id] === 1) status[id] = PRUNED_BY_BOUNDS;
  }
  const lowerBound = clock.stopped ? currentBound() : incumbent.score;
  clock.report(true, () => ({ nodesChecked, score: incumbent.id === -1 ? NaN : incumbent.score, lowerBound }));
  return result(lattice, incumbent, status, !clock.stopped, lowerBound, clock);
}

/**
 * Walks from `start` through direct successors (upward) or predecessors, into each neighbour that `enter` accepts
 * (and updates). `enter` accepts a node at most once per walk, so `stack` needs no more than the lattice's size.
 */
function walk(lattice: Lattice, start: number, upward: boolean, stack: Int32Array, enter: (neighbour: number) => boolean): void {
  const { width, strides, maxLevels, levelTable } = lattice;
  let top = 0;
  stack[top++] = start;
  while (top > 0) {
    const node = stack[--top];
    for (let j = 0, at = node * width; j < width; j++, at++) {
      const level = levelTable[at];
      if (upward ? level === maxLevels[j] : level === 0) continue;
      const neighbour = upward ? node + strides[j] : node - strides[j];
      if (enter(neighbour)) stack[top++] = neighbour;
    }
  }
}

/** Raises `values` over the up-set (or down-set) of `start` to at least `values[start]`, stopping where already that high. */
function raiseFrom(lattice: Lattice, start: number, values: Float64Array, upward: boolean, stack: Int32Array): void {
  const value = values[start];
  walk(lattice, start, upward, stack, (neighbour) => {
    if (values[neighbour] >= value) return false;
    values[neighbour] = value;
    return true;
  });
}

/**
 * Tags `value` over the up-set of `start` (HOLDS) or its down-set (FAILS), through nodes still UNKNOWN — and, for a
 * failure, through presumed successes.
 */
function tagReachable(lattice: Lattice, start: number, condition: Uint8Array, value: typeof HOLDS | typeof FAILS, stack: Int32Array): void {
  walk(lattice, start, value === HOLDS, stack, (neighbour) => {
    if (condition[neighbour] !== UNKNOWN && !(value === FAILS && condition[neighbour] === HOLDS)) return false;
    condition[neighbour] = value;
    return true;
  });
}

/**
 * A path of unknown successors from `start`, raising at each step the attribute that is proportionally
 * least generalized, so the path crosses the lattice diagonally.
 */
function unknownPath(lattice: Lattice, condition: Uint8Array, start: number): number[] {
  const path = [start];
  let id = start;
  for (;;) {
    let bestAttribute = -1;
    let bestRatio = Infinity;
    for (let j = 0; j < lattice.width; j++) {
      const max = lattice.maxLevels[j];
      const level = lattice.levelOf(id, j);
      if (level >= max || condition[id + lattice.strides[j]] !== UNKNOWN) continue;
      const ratio = (level + 1) / max;
      if (ratio < bestRatio) {
        bestRatio = ratio;
        bestAttribute = j;
      }
    }
    if (bestAttribute === -1) return path;
    id += lattice.strides[bestAttribute];
    path.push(id);
  }
}

/** The result from one status per node: CHECKED, PRUNED_BY_TAGS or PRUNED_BY_BOUNDS (or none: not settled). */
function result(lattice: Lattice, incumbent: Incumbent, status: Uint8Array, optimal: boolean, lowerBound: number, clock: SearchClock): SearchResult {
  const maxHeight = lattice.maxLevels.reduce((sum, level) => sum + level, 0);
  const counts = Array.from({ length: maxHeight + 1 }, (_, height) => ({ height, nodes: 0, checked: 0, prunedByTags: 0, prunedByBounds: 0 }));
  for (let id = 0; id < lattice.size; id++) {
    const at = counts[lattice.heights[id]];
    at.nodes++;
    if (status[id] === CHECKED) at.checked++;
    else if (status[id] === PRUNED_BY_TAGS) at.prunedByTags++;
    else if (status[id] === PRUNED_BY_BOUNDS) at.prunedByBounds++;
  }
  const total = (key: 'checked' | 'prunedByTags' | 'prunedByBounds') => counts.reduce((sum, at) => sum + at[key], 0);
  return {
    optimum: incumbent.id === -1 ? null : lattice.levels(incumbent.id),
    score: incumbent.id === -1 ? NaN : incumbent.score,
    latticeSize: lattice.size,
    nodesChecked: total('checked'),
    nodesPrunedByTags: total('prunedByTags'),
    nodesPrunedByBounds: total('prunedByBounds'),
    perHeight: counts,
    optimal,
    lowerBound: optimal && incumbent.id === -1 ? NaN : lowerBound,
    stoppedBy: optimal ? 'completed' : 'time-limit',
    trace: clock.trace,
    representation: 'dense',
  };
}

/** Time limit, progress reports and the trace of a search: read after each check, reported at most every 100 ms. */
export class SearchClock {
  readonly started: number;
  private readonly deadline: number;
  stopped = false;
  readonly trace: SearchTracePoint[] = [];
  /** The first report comes an interval after the start: a search that takes less reports only its end. */
  private lastReport: number;

  constructor(private readonly settings: SearchSettings) {
    this.started = this.now();
    this.lastReport = this.started;
    this.deadline = this.started + (settings.timeLimitMs ?? Infinity);
  }

  now(): number {
    return this.settings.now?.() ?? performance.now();
  }

  /** Notes whether the time limit has passed. */
  tick(): void {
    if (!this.stopped && this.now() >= this.deadline) this.stopped = true;
  }

  /** Calls onProgress and records a trace point, when forced or PROGRESS_INTERVAL_MS after the last. */
  report(force: boolean, where: () => Omit<SearchTracePoint, 'ms'>): void {
    const now = this.now();
    if (!force && now - this.lastReport < PROGRESS_INTERVAL_MS) return;
    this.lastReport = now;
    const point: SearchTracePoint = { ms: now - this.started, ...where() };
    const last = this.trace.at(-1);
    if (last === undefined || last.score !== point.score || last.lowerBound !== point.lowerBound || point.ms - last.ms >= TRACE_INTERVAL_MS) {
      this.trace.push(point);
      if (this.trace.length > MAX_TRACE_POINTS) thinTrace(this.trace);
    }
    this.settings.onProgress?.(point);
  }
}

const PROGRESS_INTERVAL_MS = 100;
const TRACE_INTERVAL_MS = 250;
const MAX_TRACE_POINTS = 400;

/** Halves the trace, keeping the first and last points and every change of the score. */
function thinTrace(trace: SearchTracePoint[]): void {
  const kept = trace.filter((point, i) => i === 0 || i === trace.length - 1 || i % 2 === 0 || point.score !== trace[i - 1].score);
  trace.length = 0;
  trace.push(...kept);
}
