// Optimal lattice search (Flash-style binary search on successor paths, predictive tagging, lower-bound pruning)
// and the exhaustive reference. Receives `evaluate(levels)`; imports no data code.

import { Lattice } from './lattice.js';
import { MinHeap } from './min-heap.js';

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

/**
 * Phase 1 settles the monotone condition of every node with few checks: bottom-up, binary search along
 * upward paths of unknown nodes, tagging successors of a node that holds and predecessors of one that fails.
 * Phase 2 visits the nodes where the condition holds but that were not checked, best-first by the largest
 * lower bound of any checked node below them, and skips those whose bound cannot beat the incumbent.
 */
function optimal(lattice: Lattice, problem: SearchProblem): SearchResult {
  const condition = new Uint8Array(lattice.size);
  const checked = new Uint8Array(lattice.size);
  /** Largest lower bound of any checked node at or below each node. */
  const boundBelow = new Float64Array(lattice.size).fill(-Infinity);
  const incumbent = new Incumbent();
  let nodesChecked = 0;
  let prunedByBounds = 0;
  const stack: number[] = [];

  const tagFrom = (id: number, value: typeof HOLDS | typeof FAILS): void => {
    const visit = (neighbour: number) => {
      if (condition[neighbour] === UNKNOWN) {
        condition[neighbour] = value;
        stack.push(neighbour);
      }
    };
    stack.push(id);
    while (stack.length > 0) {
      const node = stack.pop()!;
      if (value === HOLDS) lattice.forEachSuccessor(node, visit);
      else lattice.forEachPredecessor(node, visit);
    }
  };

  const check = (id: number): boolean => {
    const result = problem.evaluate(lattice.levels(id));
    nodesChecked++;
    checked[id] = 1;
    if (result.lowerBound > boundBelow[id]) boundBelow[id] = result.lowerBound;
    if (result.anonymous) incumbent.offer(lattice, id, result.score);
    condition[id] = result.monotoneConditionHolds ? HOLDS : FAILS;
    tagFrom(id, condition[id] as typeof HOLDS | typeof FAILS);
    return result.monotoneConditionHolds;
  };

  for (let index = 0; index < lattice.size; index++) {
    const start = lattice.byHeight[index];
    if (condition[start] !== UNKNOWN) continue;
    const path = unknownPath(lattice, condition, start);
    let low = 0;
    let high = path.length; // "beyond the top" holds by convention
    while (low < high) {
      const middle = (low + high) >>> 1;
      const known = condition[path[middle]];
      const holds = known === UNKNOWN ? check(path[middle]) : known === HOLDS;
      if (holds) high = middle;
      else low = middle + 1;
    }
  }

  for (let index = 0; index < lattice.size; index++) {
    const id = lattice.byHeight[index];
    lattice.forEachPredecessor(id, (predecessor) => {
      if (boundBelow[predecessor] > boundBelow[id]) boundBelow[id] = boundBelow[predecessor];
    });
  }
  const candidates = new MinHeap();
  for (let id = 0; id < lattice.size; id++) if (condition[id] === HOLDS && checked[id] === 0) candidates.push(id, boundBelow[id]);

  const raiseBoundsAbove = (id: number): void => {
    stack.push(id);
    while (stack.length > 0) {
      const node = stack.pop()!;
      const bound = boundBelow[node];
      lattice.forEachSuccessor(node, (successor) => {
        if (boundBelow[successor] < bound) {
          boundBelow[successor] = bound;
          stack.push(successor);
        }
      });
    }
  };

  const queuedBound = new Float64Array(boundBelow);
  while (candidates.size > 0) {
    const id = candidates.pop();
    if (checked[id] === 1) continue;
    if (queuedBound[id] < boundBelow[id]) {
      queuedBound[id] = boundBelow[id];
      candidates.push(id, boundBelow[id]);
      continue;
    }
    if (!incumbent.couldBeBeaten(lattice, id, boundBelow[id])) {
      prunedByBounds++;
      continue;
    }
    check(id);
    raiseBoundsAbove(id);
  }

  let prunedByTags = 0;
  for (let id = 0; id < lattice.size; id++) if (condition[id] === FAILS && checked[id] === 0) prunedByTags++;
  return result(lattice, incumbent, nodesChecked, prunedByTags, prunedByBounds);
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
