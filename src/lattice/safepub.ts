// SafePub's search (Bild, Kuhn and Prasser 2018, as ARX's DataDependentEDDPAlgorithm runs it): from the top of the
// lattice, each step adds the pivot's direct predecessors to the candidates and picks the next pivot among all of them
// by the exponential mechanism; one more draw of the mechanism picks the result among the pivots.

import { drawCandidate } from '../models/dp/exponential-mechanism.js';
import type { RandomSource } from '../models/dp/random.js';
import { Lattice } from './lattice.js';

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
export function safePubSearch(problem: SafePubProblem, steps: number, epsilonPerStep: number, epsilonFinal: number, random: RandomSource): SafePubResult {
  const lattice = new Lattice(problem.maxLevels);
  const scores = new Map<number, number>();
  const scoreOf = (id: number): number => {
    let score = scores.get(id);
    if (score === undefined) scores.set(id, (score = problem.score(lattice.levels(id))));
    return score;
  };
  let pivot = lattice.size - 1;
  const candidates = new Map<number, number>([[pivot, scoreOf(pivot)]]);
  const pivots = new Set<number>([pivot]);
  let taken = 0;
  for (let step = 1; step <= steps; step++) {
    lattice.forEachPredecessor(pivot, (predecessor) => {
      if (!candidates.has(predecessor)) candidates.set(predecessor, scoreOf(predecessor));
    });
    candidates.delete(pivot);
    if (candidates.size === 0) break;
    const ids = [...candidates.keys()];
    pivot = ids[drawCandidate(Float64Array.from(ids, (id) => candidates.get(id)!), epsilonPerStep, random)];
    pivots.add(pivot);
    taken++;
  }
  const chosen = [...pivots];
  const optimum = chosen.length === 1 ? chosen[0] : chosen[drawCandidate(Float64Array.from(chosen, scoreOf), epsilonFinal, random)];
  const checkedPerHeight = new Array<number>(lattice.heights[lattice.size - 1] + 1).fill(0);
  for (const id of scores.keys()) checkedPerHeight[lattice.heights[id]]++;
  return { optimum: lattice.levels(optimum), score: scoreOf(optimum), latticeSize: lattice.size, nodesChecked: scores.size, steps: taken, draws: taken + (chosen.length === 1 ? 0 : 1), checkedPerHeight };
}
