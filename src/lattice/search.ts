// Optimal lattice search (Flash-style binary search on successor paths, predictive tagging, lower-bound pruning)
// and the exhaustive reference. Receives `evaluate(levels)`; imports no data code.

import { Lattice } from './lattice.js';

export interface NodeCheck {
  /** Every model holds within the suppression budget. */
  readonly anonymous: boolean;
  /**
   * A necessary condition for `anonymous` that is monotone upward (e.g. "k-anonymous within the budget").
   * When it fails at a node it fails at every specialization, which are then tagged without checking.
   */
  readonly monotoneConditionHolds: boolean;
  /** Utility score (lower is better); meaningful when anonymous. */
  readonly score: number;
  /** ≤ the score at this node and every generalization of it. */
  readonly lowerBound: number;
}

export interface SearchProblem {
  readonly maxLevels: readonly number[];
  evaluate(levels: Int32Array): NodeCheck;
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
}

export type SearchStrategy = 'optimal' | 'exhaustive';

const UNKNOWN = 0;
const CHECKED = 1;
/** Known to fail the monotone condition (hence not anonymous) without being checked. */
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

export function search(problem: SearchProblem, strategy: SearchStrategy): SearchResult {
  const lattice = new Lattice(problem.maxLevels);
  return strategy === 'exhaustive' ? exhaustive(lattice, problem) : optimal(lattice, problem);
}

function exhaustive(lattice: Lattice, problem: SearchProblem): SearchResult {
  const incumbent = new Incumbent();
  for (let id = 0; id < lattice.size; id++) {
    const check = problem.evaluate(lattice.levels(id));
    if (check.anonymous) incumbent.offer(lattice, id, check.score);
  }
  return result(lattice, incumbent, lattice.size, 0, 0);
}

function optimal(lattice: Lattice, problem: SearchProblem): SearchResult {
  const status = new Uint8Array(lattice.size);
  /** Own lower bound of checked nodes; −∞ otherwise. */
  const ownBound = new Float64Array(lattice.size).fill(-Infinity);
  /** Largest lower bound of any checked node at or below, filled in as the sweep reaches each node. */
  const boundBelow = new Float64Array(lattice.size).fill(-Infinity);
  const incumbent = new Incumbent();
  let nodesChecked = 0;
  let prunedByTags = 0;
  let prunedByBounds = 0;
  const stack: number[] = [];

  const tagFailingDownward = (id: number): void => {
    stack.push(id);
    while (stack.length > 0) {
      const node = stack.pop()!;
      lattice.forEachPredecessor(node, (predecessor) => {
        if (status[predecessor] === UNKNOWN) {
          status[predecessor] = FAILS;
          stack.push(predecessor);
        }
      });
    }
  };

  /** Whether a checked node failed the monotone condition. */
  const failedCondition = new Uint8Array(lattice.size);

  const check = (id: number): boolean => {
    const result = problem.evaluate(lattice.levels(id));
    nodesChecked++;
    status[id] = CHECKED;
    ownBound[id] = result.lowerBound;
    if (result.anonymous) incumbent.offer(lattice, id, result.score);
    if (!result.monotoneConditionHolds) {
      failedCondition[id] = 1;
      tagFailingDownward(id);
    }
    return result.monotoneConditionHolds;
  };

  /** The monotone condition at a node, checking it only when it is not known yet. */
  const conditionHolds = (id: number): boolean => {
    if (status[id] === FAILS) return false;
    if (status[id] === CHECKED) return failedCondition[id] === 0;
    return check(id);
  };

  /** Binary search for the lowest node satisfying the monotone condition on an upward path from `start`. */
  const searchPath = (start: number): void => {
    const path = upwardPath(lattice, start);
    let low = 0;
    let high = path.length; // path[high] is "holds" by convention (beyond the top)
    while (low < high) {
      const middle = (low + high) >>> 1;
      if (conditionHolds(path[middle])) high = middle;
      else low = middle + 1;
    }
  };

  for (let index = 0; index < lattice.size; index++) {
    const id = lattice.byHeight[index];
    let inherited = -Infinity;
    lattice.forEachPredecessor(id, (predecessor) => {
      if (boundBelow[predecessor] > inherited) inherited = boundBelow[predecessor];
    });
    boundBelow[id] = inherited;

    if (status[id] === FAILS) {
      prunedByTags++;
      continue;
    }
    if (!incumbent.couldBeBeaten(lattice, id, inherited)) {
      if (status[id] !== CHECKED) prunedByBounds++;
      continue;
    }
    if (status[id] === UNKNOWN) {
      // Afterwards the node is checked, or tagged by a failing node above it on the path.
      searchPath(id);
      if ((status[id] as number) === FAILS) {
        prunedByTags++;
        continue;
      }
    }
    if (ownBound[id] > boundBelow[id]) boundBelow[id] = ownBound[id];
  }
  return result(lattice, incumbent, nodesChecked, prunedByTags, prunedByBounds);
}

/**
 * A path of successors from `start` up to the top, raising at each step the attribute that is
 * proportionally least generalized, so the path crosses the lattice diagonally.
 */
function upwardPath(lattice: Lattice, start: number): number[] {
  const path = [start];
  let id = start;
  for (;;) {
    let bestAttribute = -1;
    let bestRatio = Infinity;
    for (let j = 0; j < lattice.width; j++) {
      const max = lattice.maxLevels[j];
      const level = lattice.levelOf(id, j);
      if (level >= max) continue;
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

function result(lattice: Lattice, incumbent: Incumbent, nodesChecked: number, prunedByTags: number, prunedByBounds: number): SearchResult {
  return {
    optimum: incumbent.id === -1 ? null : lattice.levels(incumbent.id),
    score: incumbent.id === -1 ? NaN : incumbent.score,
    latticeSize: lattice.size,
    nodesChecked,
    nodesPrunedByTags: prunedByTags,
    nodesPrunedByBounds: prunedByBounds,
  };
}
