// SafePub's search (Bild, Kuhn and Prasser 2018, as ARX's DataDependentEDDPAlgorithm runs it): from the top of the
// lattice, each step adds the pivot's direct predecessors to the candidates and picks the next pivot among all of them
// by the exponential mechanism; the best pivot by score is the result.

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
  /** Scored nodes per height, bottom first. */
  readonly checkedPerHeight: number[];
  /** Whether the time limit ended the search before its steps were taken. */
  readonly stoppedByTimeLimit: boolean;
}

/** Stops the search once this much time has passed (taking fewer steps spends less budget: still private). */
export interface SafePubLimit {
  readonly timeLimitMs?: number;
  /** The clock in ms (default performance.now). */
  readonly now?: () => number;
}

/**
 * Runs `steps` steps, each drawing from the candidates with `epsilonPerStep`. As in ARX: the top is the first pivot; a
 * candidate is a predecessor of some pivot, added when not a candidate already (a former pivot may come back); the
 * pivot leaves the candidates; the search ends early only when no candidate is left. The optimum is the pivot of the
 * highest score, ties going to the lower height. Which nodes are scored depends only on the pivots drawn.
 */
export function safePubSearch(problem: SafePubProblem, steps: number, epsilonPerStep: number, random: RandomSource, limit: SafePubLimit = {}): SafePubResult {
  // Nodes are kept by their levels (a string of char codes), never as an array over the lattice: any size will do.
  const width = problem.maxLevels.length;
  const keyOf = (levels: ArrayLike<number>): string => String.fromCharCode(...Array.from(levels));
  const levelsOf = new Map<string, Int32Array>();
  const scores = new Map<string, number>();
  const heightOf = (key: string): number => levelsOf.get(key)!.reduce((sum, level) => sum + level, 0);
  const scoreOf = (levels: Int32Array): number => {
    const key = keyOf(levels);
    let score = scores.get(key);
    if (score === undefined) {
      levelsOf.set(key, levels);
      scores.set(key, (score = problem.score(levels)));
    }
    return score;
  };
  const now = limit.now ?? (() => performance.now());
  const deadline = now() + (limit.timeLimitMs ?? Infinity);
  const top = Int32Array.from(problem.maxLevels);
  let pivot = keyOf(top);
  let optimum = pivot;
  let best = scoreOf(top);
  const candidates = new Map<string, number>([[pivot, best]]);
  let taken = 0;
  let stoppedByTimeLimit = false;
  for (let step = 1; step <= steps; step++) {
    if (now() >= deadline) {
      stoppedByTimeLimit = true;
      break;
    }
    const pivotLevels = levelsOf.get(pivot)!;
    for (let j = 0; j < width; j++) {
      if (pivotLevels[j] === 0) continue;
      const predecessor = pivotLevels.slice();
      predecessor[j]--;
      const key = keyOf(predecessor);
      if (!candidates.has(key)) candidates.set(key, scoreOf(predecessor));
    }
    candidates.delete(pivot);
    if (candidates.size === 0) break;
    const keys = [...candidates.keys()];
    pivot = keys[drawCandidate(Float64Array.from(keys, (key) => candidates.get(key)!), epsilonPerStep, random)];
    taken++;
    const score = candidates.get(pivot)!;
    if (score > best || (score === best && heightOf(pivot) < heightOf(optimum))) {
      optimum = pivot;
      best = score;
    }
  }
  const checkedPerHeight = new Array<number>(problem.maxLevels.reduce((sum, level) => sum + level, 0) + 1).fill(0);
  for (const key of scores.keys()) checkedPerHeight[heightOf(key)]++;
  const latticeSize = problem.maxLevels.reduce((size, level) => size * (level + 1), 1);
  return { optimum: levelsOf.get(optimum)!.slice(), score: best, latticeSize, nodesChecked: scores.size, steps: taken, checkedPerHeight, stoppedByTimeLimit };
}
