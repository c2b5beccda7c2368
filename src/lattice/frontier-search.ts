// The anytime optimal search for lattices of any size: best-first over an open frontier keyed by lower bounds, with
// known failures to leap over the non-anonymous region; memory grows with the nodes reached, never the lattice.

import { DominanceIndex } from './dominance-index.js';
import { SearchClock } from './flash-search.js';
import { FrontierHeap } from './frontier-heap.js';
import { IncumbentSearch } from './incumbent-search.js';
import { EXPANDED, NodeTable, QUEUED, type NodeLookupKind } from './node-table.js';
import type { HeightCounts, NodeCheck, SearchProblem, SearchResult, SearchSettings } from './search.js';

/** What each check found, by entry (in check order). */
class CheckLog {
  count = 0;
  node = new Int32Array(256);
  score = new Float64Array(256);
  lowerBound = new Float64Array(256);
  anonymous = new Uint8Array(256);
  holds = new Uint8Array(256);

  add(node: number, check: NodeCheck): number {
    if (this.count === this.node.length) this.grow();
    const entry = this.count++;
    this.node[entry] = node;
    this.score[entry] = check.score;
    this.lowerBound[entry] = check.lowerBound;
    this.anonymous[entry] = check.anonymous ? 1 : 0;
    this.holds[entry] = check.monotoneConditionHolds ? 1 : 0;
    return entry;
  }

  private grow(): void {
    const capacity = this.node.length * 2;
    const widen = <T extends Int32Array | Float64Array | Uint8Array>(old: T): T => {
      const wider = new (old.constructor as new (length: number) => T)(capacity);
      wider.set(old as never);
      return wider;
    };
    this.node = widen(this.node);
    this.score = widen(this.score);
    this.lowerBound = widen(this.lowerBound);
    this.anonymous = widen(this.anonymous);
    this.holds = widen(this.holds);
  }
}

/** Checked nodes with a number each, answering "the largest number at or above (below) this node". */
class ValuedNodes {
  private readonly index: DominanceIndex;
  private values = new Float64Array(64);

  constructor(maxLevels: readonly number[]) {
    this.index = new DominanceIndex(maxLevels);
  }

  add(levels: ArrayLike<number>, value: number): void {
    const entry = this.index.add(levels);
    if (entry >= this.values.length) {
      const wider = new Float64Array(this.values.length * 2);
      wider.set(this.values);
      this.values = wider;
    }
    this.values[entry] = value;
  }

  /** The largest value of an entry at or above (`above`) or at or below `levels`, or `floor` if larger. */
  largest(levels: ArrayLike<number>, above: boolean, floor: number): number {
    let most = floor;
    this.index.forEach(levels, above, (entry) => {
      if (this.values[entry] > most) most = this.values[entry];
    });
    return most;
  }
}

/** Heap room the search allows itself by default: a quarter of V8's limit, so the rest of the run keeps its share. */
export function defaultMemoryBytes(heapLimitBytes: number): number {
  return Math.floor(heapLimitBytes / 4);
}

/**
 * What the frontier search and the local search share: the nodes reached, the checks made and what they imply
 * (maximal known failures, minimal known holds, forced suppression and lower bounds), the incumbent and the clock.
 */
export class SearchState {
  readonly width: number;
  readonly maxLevels: Int32Array;
  readonly table: NodeTable;
  readonly log = new CheckLog();
  /** Checked nodes that failed the monotone condition, maximal ones only: everything at or below them fails. */
  readonly failing: DominanceIndex;
  /** Checked nodes where it held, minimal ones only: what lies above them is presumed to hold. */
  readonly holding: DominanceIndex;
  /** Checked nodes that force suppression, with that count: everything below them suppresses at least as much. */
  private readonly forcing: ValuedNodes;
  /** Checked nodes whose lower bound (valid above them) beats their levels' bound. */
  private readonly bounding: ValuedNodes;
  readonly clock: SearchClock;
  /** Why the search stopped early, if it did. */
  stopped: 'time-limit' | 'memory' | undefined;
  incumbent = -1;
  incumbentScore = Infinity;
  /** The proven lower bound on the optimum as things stand (the frontier search keeps it current). */
  lowerBound = -Infinity;
  prunedByTags = 0;
  prunedByBounds = 0;

  constructor(
    readonly problem: SearchProblem,
    readonly settings: SearchSettings,
    lookup: NodeLookupKind,
    latticeSize: number,
  ) {
    this.width = problem.maxLevels.length;
    this.maxLevels = Int32Array.from(problem.maxLevels);
    this.table = new NodeTable(this.width, problem.maxLevels, latticeSize, lookup);
    this.failing = new DominanceIndex(problem.maxLevels);
    this.holding = new DominanceIndex(problem.maxLevels);
    this.forcing = new ValuedNodes(problem.maxLevels);
    this.bounding = new ValuedNodes(problem.maxLevels);
    this.clock = new SearchClock(settings);
  }

  now(): number {
    return this.clock.now();
  }

  /** Whether the search must stop (time limit passed, or stopped for memory); records the reason. */
  outOfTime(): boolean {
    this.clock.tick();
    if (this.clock.stopped && this.stopped === undefined) this.stopped = 'time-limit';
    return this.stopped !== undefined;
  }

  /** A lower bound valid at the node and every generalization of it, from the levels alone (−∞ without one). */
  boundAbove(levels: Int32Array): number {
    return this.problem.boundAbove?.(levels) ?? -Infinity;
  }

  /** The node's check entry, evaluating it first if it never was (each node is evaluated at most once). */
  check(node: number): number {
    const known = this.table.checks[node];
    if (known !== -1) return known;
    const levels = this.table.levelsInto(node, new Int32Array(this.width));
    const result = this.problem.evaluate(levels);
    const entry = this.log.add(node, result);
    this.table.checks[node] = entry;
    if (result.monotoneConditionHolds) addExtreme(this.holding, levels, false);
    else this.addFailing(levels);
    if (result.forcedSuppression > 0) this.forcing.add(levels, result.forcedSuppression);
    if (result.lowerBound > this.boundAbove(levels)) this.bounding.add(levels, result.lowerBound);
    const improved = result.anonymous && this.offer(node, result.score);
    this.clock.tick();
    this.report(improved);
    return entry;
  }

  report(force: boolean): void {
    this.clock.report(force, () => ({
      nodesChecked: this.log.count,
      score: this.incumbent === -1 ? NaN : this.incumbentScore,
      lowerBound: Math.min(this.lowerBound, this.incumbentScore),
    }));
  }

  /** Adds a failing node to the maximal failures unless one already covers it; drops those it covers. */
  addFailing(levels: ArrayLike<number>): void {
    addExtreme(this.failing, levels, true);
  }

  /** Whether the monotone condition is known to fail at `levels` (a checked failure lies at or above it). */
  knownToFail(levels: ArrayLike<number>): boolean {
    return this.failing.first(levels, true) !== -1;
  }

  /** Whether it is presumed to hold (a checked success lies at or below it). */
  presumedToHold(levels: ArrayLike<number>): boolean {
    return this.holding.first(levels, false) !== -1;
  }

  /** Whether the monotone condition fails at `levels`: known, presumed, or found by a check (not once time is up). */
  failsAt(levels: Int32Array): boolean {
    if (this.knownToFail(levels)) return true;
    if (this.presumedToHold(levels) || this.outOfTime()) return false;
    return this.log.holds[this.check(this.table.intern(levels))] === 0;
  }

  /** A bound valid at `levels` and everything above it: `key`, or a checked lower bound below it if larger. */
  boundBelow(levels: ArrayLike<number>, key: number): number {
    return this.bounding.largest(levels, false, key);
  }

  /** The bound of one unchecked node: its key refined by its levels and the forced suppression above it. */
  refinedBound(levels: Int32Array, key: number): number {
    const refine = this.problem.refineBound;
    return refine === undefined ? key : Math.max(key, refine(levels, key, this.forcing.largest(levels, true, 0)));
  }

  /** Ties go to the lower height, then the lower mixed-radix id; returns whether the node is the new incumbent. */
  private offer(node: number, score: number): boolean {
    if (this.incumbent !== -1 && !(score < this.incumbentScore || (score === this.incumbentScore && this.precedes(node, this.incumbent)))) return false;
    this.incumbent = node;
    this.incumbentScore = score;
    return true;
  }

  /** Whether node a comes before node b in the tie order: lower height, then lower id (last attribute most significant). */
  precedes(a: number, b: number): boolean {
    const { heights, levels, width } = this.table;
    if (heights[a] !== heights[b]) return heights[a] < heights[b];
    for (let j = width - 1; j >= 0; j--) {
      const difference = levels[a * width + j] - levels[b * width + j];
      if (difference !== 0) return difference < 0;
    }
    return false;
  }

  /**
   * Whether some node at or above a node at `height` with this bound could still beat the incumbent: a lower bound,
   * or an equal one with a height that could win the tie (the nodes above are at least as high).
   */
  regionCouldWin(bound: number, height: number): boolean {
    if (this.incumbent === -1 || bound < this.incumbentScore) return true;
    return bound === this.incumbentScore && height <= this.table.heights[this.incumbent];
  }

  /** Whether this one node, with this bound, could beat the incumbent. */
  nodeCouldWin(node: number, bound: number): boolean {
    if (this.incumbent === -1 || bound < this.incumbentScore) return true;
    return bound === this.incumbentScore && this.precedes(node, this.incumbent);
  }
}

/**
 * Keeps `index` an antichain of maximal (`maximal`) or minimal nodes: adds `levels` unless an entry already lies at
 * or above it (below it), and removes the entries it now covers; renumbers once removed entries are the majority.
 */
function addExtreme(index: DominanceIndex, levels: ArrayLike<number>, maximal: boolean): void {
  if (index.first(levels, maximal) !== -1) return;
  index.forEach(levels, !maximal, (entry) => {
    index.remove(entry);
  });
  index.add(levels);
  if (index.entries > 2 * index.size + 1024) index.compact();
}

/** Checks per turn of the frontier and of the local search: the frontier's first, the least and the most. */
const FRONTIER_FIRST_TURN = 16;
const MIN_TURN = 1;
const MAX_TURN = 128;
/** The share of the gap by which a frontier turn must raise the lower bound to count as progress. */
const BOUND_PROGRESS = 0.005;
/** Expansions per frontier turn at most, however few of them check a node (settling known failures checks none). */
const MAX_POPS_PER_TURN = 1 << 16;

/**
 * Best-first over the open frontier. Every node that could still beat the incumbent lies at or above some open node
 * whose key bounds its score from below, so the smallest open key is a lower bound on the optimum, and the search is
 * optimal once that key cannot beat the incumbent. Expanding an open node settles it and opens what lies above it:
 * - known to fail (at or below a maximal checked failure f): nothing to check; the nodes above it that are not
 *   below f are exactly those above one of its escapes: itself with one attribute raised just past f's level;
 * - unknown: checked; a failure is climbed to a larger one (see `climb`), which then serves for its escapes;
 * - presumed or known to hold: checked if its own refined bound could win; its direct successors open.
 * A local search (IncumbentSearch) takes turns with it, each side getting more checks while it makes progress.
 */
export function frontierSearch(problem: SearchProblem, settings: SearchSettings, latticeSize: number, lookup: NodeLookupKind, memoryBytes: number): SearchResult {
  const state = new SearchState(problem, settings, lookup, latticeSize);
  const { table, width, maxLevels } = state;
  const heap = new FrontierHeap();
  const levels = new Int32Array(width);
  const child = new Int32Array(width);
  /** The smallest key of an open node forgotten to stay within the memory budget. */
  let forgottenBound = Infinity;
  const heuristic = new IncumbentSearch(state);

  const open = (levelsOfChild: Int32Array, key: number): void => {
    // Past a forgetting, what lies at or beyond the forgotten bound cannot raise the proven bound any more.
    if (key >= forgottenBound) return;
    const node = table.intern(levelsOfChild);
    if ((table.flags[node] & EXPANDED) !== 0 || table.keys[node] <= key) return;
    table.keys[node] = key;
    table.flags[node] |= QUEUED;
    heap.push(node, key, table.heights[node]);
  };

  /** Opens the escapes of the node at `levels` from the maximal failure `entry` that covers it. */
  const openEscapes = (entry: number, key: number): void => {
    for (let j = 0; j < width; j++) {
      const top = state.failing.levelOf(entry, j);
      if (top >= maxLevels[j]) continue;
      child.set(levels);
      child[j] = top + 1;
      open(child, Math.max(key, state.boundAbove(child)));
    }
  };

  const openSuccessors = (key: number): void => {
    for (let j = 0; j < width; j++) {
      if (levels[j] >= maxLevels[j]) continue;
      child.set(levels);
      child[j]++;
      open(child, Math.max(key, state.boundAbove(child)));
    }
  };

  const expand = (node: number, popped: number): void => {
    table.flags[node] |= EXPANDED;
    table.levelsInto(node, levels);
    const key = state.boundBelow(levels, popped);
    let failure = coveringFailure(state, levels);
    let entry = table.checks[node];
    if (failure === -1 && entry === -1) {
      if (!state.presumedToHold(levels) || state.nodeCouldWin(node, state.refinedBound(levels, key))) {
        entry = state.check(node);
        if (state.log.holds[entry] === 0) {
          climb(state, levels);
          failure = coveringFailure(state, levels);
        }
      } else state.prunedByBounds++;
    } else if (failure !== -1 && entry === -1) state.prunedByTags++;
    if (failure !== -1) openEscapes(failure, key);
    else openSuccessors(entry === -1 ? key : Math.max(key, state.log.lowerBound[entry]));
  };

  /** Forgets the open nodes with the largest keys (and the expanded, unchecked ones) to free half the budget. */
  const forget = (): void => {
    const isOpen = (node: number): boolean => (table.flags[node] & (QUEUED | EXPANDED)) === QUEUED;
    let openCount = 0;
    for (let node = 0; node < table.count; node++) if (isOpen(node)) openCount++;
    // A typed array sorts numerically in native code: millions of keys in a fraction of a second, where an array
    // with a comparator takes seconds, past the time limit.
    const openKeys = new Float64Array(openCount);
    for (let node = 0, i = 0; node < table.count; node++) if (isOpen(node)) openKeys[i++] = table.keys[node];
    openKeys.sort();
    const threshold = openKeys.length === 0 ? Infinity : openKeys[openKeys.length >>> 1];
    if (threshold < forgottenBound) forgottenBound = threshold;
    const remap = table.compact((node) => table.checks[node] !== -1 || (isOpen(node) && table.keys[node] < threshold));
    for (let entry = 0; entry < state.log.count; entry++) state.log.node[entry] = remap[state.log.node[entry]];
    if (state.incumbent !== -1) state.incumbent = remap[state.incumbent];
    // A forgotten node met again is opened afresh; a checked one stays settled (the keys of its forgotten successors
    // are within the forgotten bound).
    heap.rebuild((node, key) => (remap[node] !== -1 && table.keys[remap[node]] === key && (table.flags[remap[node]] & EXPANDED) === 0 ? remap[node] : -1));
    heuristic.forget();
  };

  /** Whether the frontier shows that nothing open can beat the incumbent (stale entries are dropped first). */
  const settled = (): boolean => {
    while (heap.size > 0 && (table.flags[heap.topNode] & EXPANDED) !== 0) heap.pop();
    return heap.size === 0 || !state.regionCouldWin(table.keys[heap.topNode], table.heights[heap.topNode]);
  };

  /** Expands open nodes until `checks` more have been made; false once the frontier is settled. */
  const frontierTurn = (checks: number): boolean => {
    const target = state.log.count + checks;
    for (let pops = 0; state.log.count < target && pops < MAX_POPS_PER_TURN; pops++) {
      if (settled()) return false;
      if (state.outOfTime()) return true;
      const node = heap.pop();
      const key = table.keys[node];
      state.lowerBound = Math.min(key, forgottenBound);
      expand(node, key);
      if (table.bytes > memoryBytes) forget();
    }
    return true;
  };

  const bottom = new Int32Array(width);
  state.lowerBound = state.boundAbove(bottom);
  open(bottom, state.lowerBound);

  // The local search and the frontier take turns, counted in checks (not time, so that a run is reproducible). A turn
  // that made progress (a better incumbent; a lower bound risen by a share of the gap) doubles its side's next turn,
  // one that did not halves it: the side that pays gets the checks, and neither starves.
  let heuristicChecks = MAX_TURN;
  let frontierChecks = FRONTIER_FIRST_TURN;
  const adjust = (turn: number, progress: boolean): number => Math.min(MAX_TURN, Math.max(MIN_TURN, progress ? turn * 2 : turn / 2));
  let heuristicAlive = true;
  let frontierAlive = true;
  while ((heuristicAlive || frontierAlive) && !state.outOfTime()) {
    if (heuristicAlive) {
      const before = state.incumbentScore;
      const target = state.log.count + heuristicChecks;
      for (let steps = 0; heuristicAlive && state.log.count < target && steps < 4 * heuristicChecks + 8 && !state.outOfTime(); steps++) heuristicAlive = heuristic.step();
      heuristicChecks = adjust(heuristicChecks, state.incumbentScore < before);
    }
    if (!frontierAlive || state.outOfTime()) continue;
    const incumbentBefore = state.incumbent;
    const boundBefore = state.lowerBound;
    frontierAlive = frontierTurn(frontierChecks);
    if (state.incumbent !== incumbentBefore && state.incumbent !== -1) heuristic.offer(table.levelsInto(state.incumbent, new Int32Array(width)), state.incumbentScore);
    const gap = state.incumbentScore - boundBefore;
    frontierChecks = adjust(frontierChecks, !(gap < Infinity) || state.lowerBound - boundBefore >= BOUND_PROGRESS * gap);
    // Settled without forgetting anything: proven optimal. Settled after forgetting, the bound is final, but the
    // local search goes on improving the incumbent until the time limit.
    if (!frontierAlive && forgottenBound === Infinity) break;
  }

  // Stopped before any transformation passed: one more check, of the top — the node most likely to pass and the
  // cheapest to group — so that a tight limit still finds a release where one exists at the top.
  const top = Int32Array.from(maxLevels);
  if (state.stopped !== undefined && state.incumbent === -1 && !state.knownToFail(top)) state.check(table.intern(top));

  // Settled, the frontier proves the incumbent optimal even if the clock ran out meanwhile: every expansion completes.
  const optimal = settled() && forgottenBound === Infinity;
  if (optimal) state.stopped = undefined;
  else if (forgottenBound < Infinity) state.stopped = 'memory';
  state.lowerBound = optimal ? state.incumbentScore : Math.min(heap.size > 0 ? heap.topKey : Infinity, forgottenBound, state.incumbentScore);
  state.report(true);
  return resultOf(state, optimal, latticeSize);
}

/**
 * The maximal failure covering `levels` with the fewest attributes below their top (the fewest escapes), the first
 * such in check order; −1 when none covers it.
 */
function coveringFailure(state: SearchState, levels: Int32Array): number {
  let best = -1;
  let fewest = Infinity;
  state.failing.forEach(levels, true, (entry) => {
    let escapes = 0;
    for (let j = 0; j < state.width; j++) if (state.failing.levelOf(entry, j) < state.maxLevels[j]) escapes++;
    if (escapes < fewest) {
      fewest = escapes;
      best = entry;
    }
    return escapes > 1;
  });
  return best;
}

/**
 * Raises a failing node to a larger failure, with checks as high in the lattice as possible (where grouping is cheap
 * and a failure covers the most). Its "kept" attributes are those below their top; first the coarsest node keeping
 * the same ones (each at the level below its top): if that fails, kept attributes are dropped (raised to the top),
 * the cheapest to drop first, while it still fails. Otherwise each kept attribute in turn is raised as far towards
 * that node as it keeps failing (binary search). The result is recorded as a known failure. On the 16-attribute
 * survey this needs fewer checks than Flash's diagonal path (16,333 against 18,234 to the proof).
 */
function climb(state: SearchState, start: Int32Array): void {
  const top = state.maxLevels;
  const target = Int32Array.from(start, (level, j) => (level < top[j] ? top[j] - 1 : top[j]));
  if (state.failsAt(target)) {
    const dropCost = (j: number): number => {
      const level = target[j];
      target[j] = top[j];
      const bound = state.boundAbove(target);
      target[j] = level;
      return bound;
    };
    const kept = Array.from({ length: state.width }, (_, j) => j).filter((j) => target[j] < top[j]);
    const costs = kept.map(dropCost);
    const order = kept.map((j, i) => ({ j, cost: costs[i] })).sort((a, b) => a.cost - b.cost || a.j - b.j);
    for (const { j } of order) {
      const level = target[j];
      target[j] = top[j];
      if (!state.failsAt(target)) target[j] = level;
    }
    state.addFailing(target);
    return;
  }
  const current = start.slice();
  for (let j = 0; j < state.width; j++) {
    let low = current[j];
    let high = target[j];
    while (low < high) {
      const middle = (low + high + 1) >>> 1;
      current[j] = middle;
      if (state.failsAt(current)) low = middle;
      else high = middle - 1;
    }
    current[j] = low;
  }
  state.addFailing(current);
}

function resultOf(state: SearchState, optimal: boolean, latticeSize: number): SearchResult {
  const { table, log } = state;
  const perHeight: HeightCounts[] = nodesPerHeight(state.maxLevels).map((nodes, height) => ({ height, nodes, checked: 0, prunedByTags: 0, prunedByBounds: 0 }));
  for (let entry = 0; entry < log.count; entry++) (perHeight[table.heights[log.node[entry]]] as { checked: number }).checked++;
  const optimum = state.incumbent === -1 ? null : table.levelsInto(state.incumbent, new Int32Array(state.width));
  return {
    optimum,
    score: optimum === null ? NaN : state.incumbentScore,
    latticeSize,
    nodesChecked: log.count,
    nodesPrunedByTags: state.prunedByTags,
    nodesPrunedByBounds: state.prunedByBounds,
    perHeight,
    optimal,
    lowerBound: optimum === null && optimal ? NaN : state.lowerBound,
    stoppedBy: state.stopped ?? 'completed',
    trace: state.clock.trace,
    representation: table.kind,
  };
}

/** Nodes per height (sum of levels) of the lattice: the coefficients of Π_j (1 + x + … + x^{h_j}). */
export function nodesPerHeight(maxLevels: ArrayLike<number>): number[] {
  let counts = [1];
  for (let j = 0; j < maxLevels.length; j++) {
    const next = new Array<number>(counts.length + maxLevels[j]).fill(0);
    for (let h = 0; h < counts.length; h++) for (let l = 0; l <= maxLevels[j]; l++) next[h + l] += counts[h];
    counts = next;
  }
  return counts;
}
