// SafePub's search (Bild, Kuhn and Prasser 2018, as ARX's DataDependentEDDPAlgorithm runs it): from the top of the
// lattice, each step adds the pivot's direct predecessors to the candidates and picks the next pivot among all of them
// by the exponential mechanism; one more draw of the mechanism picks the result among the pivots.

import { drawCandidate } from '../models/dp/exponential-mechanism.js';
import type { RandomSource } from '../models/dp/random.js';

export interface SafePubProblem {
  readonly maxLevels: readonly number[];
  /** The node's score (higher is better), divided by its sensitivity. */
  score(levels: Int32Array): number;
}

export interface SafePubResult {
  readonly optimum: Int32Array;
  readonly score: number;
  readonly latticeSize: number;
  /** Nodes scored (each once). */
  readonly nodesChecked: number;
  /** Pivots chosen by the mechanism (the steps taken; fewer when the candidates ran out). */
  readonly steps: number;
  /** Draws of the mechanism: the steps taken and the final choice among the pivots (0 when only the top was seen). */
  readonly draws: number;
  /** Scored nodes per height, bottom first. */
  readonly checkedPerHeight: number[];
  /** Whether the time limit ended the walk before its steps were taken. */
  readonly stoppedByTimeLimit: boolean;
}

/**
 * Stops the walk once this much time has passed: fewer steps spend less of the budget, and the final draw among the
 * pivots so far is made as ever.
 */
export interface SafePubLimit {
  readonly timeLimitMs?: number;
  /** The clock in ms (default performance.now). */
  readonly now?: () => number;
}

/**
 * Runs `steps` steps, each drawing from the candidates with `epsilonPerStep`. As in ARX: the top is the first pivot; a
 * candidate is a predecessor of some pivot, added when not a candidate already (a former pivot may come back); the
 * pivot leaves the candidates; the search ends early only when no candidate is left. Which nodes are scored depends
 * only on the pivots drawn.
 *
 * The result differs from ARX's on purpose: ARX releases the pivot of the highest exact score, a choice made on the
 * data outside every mechanism, which the composition of the steps does not cover (two neighbouring data sets whose
 * best pivots tie one way and the other release different transformations with certainty). Here the result is one
 * more draw of the mechanism among the distinct pivots, with `epsilonFinal`: the caller funds the steps and that draw
 * from the search budget, and the whole search is then covered by sequential composition.
 */
export function safePubSearch(problem: SafePubProblem, steps: number, epsilonPerStep: number, epsilonFinal: number, random: RandomSource, limit: SafePubLimit = {}): SafePubResult {
  // Nodes are kept by their levels (a string of char codes), never in an array over the lattice: any size will do.
  const width = problem.maxLevels.length;
  const keyOf = (levels: ArrayLike<number>): string => String.fromCharCode(...Array.from(levels));
  const levelsOf = new Map<string, Int32Array>();
  const scores = new Map<string, number>();
  const scoreOf = (key: string): number => {
    let score = scores.get(key);
    if (score === undefined) scores.set(key, (score = problem.score(levelsOf.get(key)!)));
    return score;
  };
  const nodeOf = (levels: Int32Array): string => {
    const key = keyOf(levels);
    if (!levelsOf.has(key)) levelsOf.set(key, levels);
    return key;
  };
  const now = limit.now ?? (() => performance.now());
  const deadline = now() + (limit.timeLimitMs ?? Infinity);
  let pivot = nodeOf(Int32Array.from(problem.maxLevels));
  const candidates = new Map<string, number>([[pivot, scoreOf(pivot)]]);
  const pivots = new Set<string>([pivot]);
  let taken = 0;
  let stoppedByTimeLimit = false;
  for (let step = 1; step <= steps; step++) {
    if (now() >= deadline) {
      stoppedByTimeLimit = true;
      break;
    }
    // Predecessors in the order of the attributes, as the lattice's ids listed them.
    const levels = levelsOf.get(pivot)!;
    for (let j = 0; j < width; j++) {
      if (levels[j] === 0) continue;
      const lower = levels.slice();
      lower[j]--;
      const predecessor = nodeOf(lower);
      if (!candidates.has(predecessor)) candidates.set(predecessor, scoreOf(predecessor));
    }
    candidates.delete(pivot);
    if (candidates.size === 0) break;
    const keys = [...candidates.keys()];
    pivot = keys[drawCandidate(Float64Array.from(keys, (key) => candidates.get(key)!), epsilonPerStep, random)];
    pivots.add(pivot);
    taken++;
  }
  const chosen = [...pivots];
  const optimum = chosen.length === 1 ? chosen[0] : chosen[drawCandidate(Float64Array.from(chosen, scoreOf), epsilonFinal, random)];
  const heightOf = (key: string): number => levelsOf.get(key)!.reduce((sum, level) => sum + level, 0);
  const checkedPerHeight = new Array<number>(problem.maxLevels.reduce((sum, level) => sum + level, 0) + 1).fill(0);
  for (const key of scores.keys()) checkedPerHeight[heightOf(key)]++;
  const latticeSize = problem.maxLevels.reduce((size, level) => size * (level + 1), 1);
  return {
    optimum: levelsOf.get(optimum)!.slice(),
    score: scoreOf(optimum),
    latticeSize,
    nodesChecked: scores.size,
    steps: taken,
    draws: taken + (chosen.length === 1 ? 0 : 1),
    checkedPerHeight,
    stoppedByTimeLimit,
  };
}
