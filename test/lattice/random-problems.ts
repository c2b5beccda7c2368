// Random search problems over small lattices for the lattice tests: a monotone necessary condition, anonymity inside
// it (monotone or not), scores with ties, valid bounds (optionally loosened), and a step clock for time limits.

import fc from 'fast-check';
import { Lattice } from '../../src/lattice/lattice.js';
import type { NodeCheck, SearchProblem } from '../../src/lattice/search.js';

/**
 * The condition is the up-closure of random seeds; the tightest valid lower bound of a node is the minimum score over
 * its generalizations, which `loosen` halves; `levelBound` adds that bound as `boundAbove` (it is monotone upward).
 */
export const arbitraryProblem = fc
  .array(fc.integer({ min: 0, max: 3 }), { minLength: 1, maxLength: 4 })
  .chain((maxLevels) => {
    const size = Lattice.sizeOf(maxLevels);
    return fc.record({
      maxLevels: fc.constant(maxLevels),
      seeds: fc.uniqueArray(fc.nat({ max: size - 1 }), { minLength: 0, maxLength: 3 }),
      anonymousMask: fc.array(fc.boolean(), { minLength: size, maxLength: size }),
      monotoneAnonymity: fc.boolean(),
      scores: fc.array(fc.integer({ min: 0, max: 6 }), { minLength: size, maxLength: size }),
      loosen: fc.boolean(),
      forcedScale: fc.integer({ min: 0, max: 3 }),
      refine: fc.boolean(),
      levelBound: fc.boolean(),
    });
  });

export type ProblemSpec = typeof arbitraryProblem extends fc.Arbitrary<infer S> ? S : never;

export interface BuiltProblem {
  readonly problem: SearchProblem;
  /** The levels of every evaluation, in order. */
  readonly evaluated: number[][];
  /** The exhaustive optimum's score (NaN when no node is anonymous). */
  readonly optimum: number;
}

export function buildProblem(spec: ProblemSpec): BuiltProblem {
  const lattice = new Lattice(spec.maxLevels);
  const below = (a: number, b: number) => {
    for (let j = 0; j < lattice.width; j++) if (lattice.levelOf(a, j) > lattice.levelOf(b, j)) return false;
    return true;
  };
  const condition = (id: number) => spec.seeds.some((seed) => below(seed, id));
  const anonymous = (id: number) => condition(id) && (spec.monotoneAnonymity || spec.anonymousMask[id]);
  // Forced suppression never increases upward; the score pays for it, so a refined bound may add it.
  const maxHeight = spec.maxLevels.reduce((a, b) => a + b, 0);
  const forced = (id: number) => spec.forcedScale * (maxHeight - lattice.heights[id]);
  const score = (id: number) => spec.scores[id] + (spec.refine ? forced(id) : 0);
  const bound = (id: number) => {
    let min = Infinity;
    for (let other = 0; other < lattice.size; other++) if (below(id, other)) min = Math.min(min, spec.scores[other]);
    return spec.loosen ? min / 2 : min;
  };
  const evaluated: number[][] = [];
  const evaluate = (levels: Int32Array): NodeCheck => {
    evaluated.push(Array.from(levels));
    const id = lattice.idOf(levels);
    return { anonymous: anonymous(id), monotoneConditionHolds: condition(id), score: anonymous(id) ? score(id) : NaN, lowerBound: bound(id), forcedSuppression: forced(id) };
  };
  const refineBound = spec.refine ? (_levels: Int32Array, boundBelow: number, forcedAtLeast: number) => boundBelow + forcedAtLeast : undefined;
  const boundAbove = spec.levelBound ? (levels: Int32Array) => bound(lattice.idOf(levels)) : undefined;
  let optimum = NaN;
  for (let id = 0; id < lattice.size; id++) if (anonymous(id) && !(score(id) >= optimum)) optimum = score(id);
  return { problem: { maxLevels: spec.maxLevels, evaluate, refineBound, boundAbove }, evaluated, optimum };
}

/** A clock that advances one millisecond per evaluation: a time limit of n stops a search after its n-th check. */
export function stepClock(built: BuiltProblem): () => number {
  return () => built.evaluated.length;
}
