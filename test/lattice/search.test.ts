import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { Lattice } from '../../src/lattice/lattice.js';
import { search, type NodeCheck } from '../../src/lattice/search.js';

describe('Lattice', () => {
  it('numbers nodes in mixed radix, first attribute fastest, and orders them by height', () => {
    const lattice = new Lattice([1, 2]);
    expect(lattice.size).toBe(6);
    expect(Array.from(lattice.levels(3))).toEqual([1, 1]);
    expect(lattice.idOf([1, 2])).toBe(5);
    expect(Array.from(lattice.byHeight)).toEqual([0, 1, 2, 3, 4, 5]);
    const successors: number[] = [];
    lattice.forEachSuccessor(0, (id) => successors.push(id));
    expect(successors).toEqual([1, 2]);
    const predecessors: number[] = [];
    lattice.forEachPredecessor(5, (id) => predecessors.push(id));
    expect(predecessors).toEqual([4, 3]);
  });
});

describe('Lattice levels', () => {
  it('gives every node the mixed-radix digits of its id as levels, their sum as height, and its neighbours', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 0, max: 4 }), { minLength: 1, maxLength: 5 }), (maxLevels) => {
        const lattice = new Lattice(maxLevels);
        for (let id = 0; id < lattice.size; id++) {
          const digits: number[] = [];
          let rest = id;
          for (const max of maxLevels) {
            digits.push(rest % (max + 1));
            rest = Math.floor(rest / (max + 1));
          }
          expect(Array.from(lattice.levels(id))).toEqual(digits);
          digits.forEach((digit, j) => expect(lattice.levelOf(id, j)).toBe(digit));
          expect(lattice.heights[id]).toBe(digits.reduce((a, b) => a + b, 0));
          expect(lattice.idOf(digits)).toBe(id);
          const successors: number[] = [];
          lattice.forEachSuccessor(id, (successor) => successors.push(successor));
          expect(successors).toEqual(digits.flatMap((digit, j) => (digit < maxLevels[j] ? [id + lattice.strides[j]] : [])));
        }
      }),
      { seed: 23, numRuns: 200 },
    );
  });
});

/**
 * A random search problem over a small lattice: a monotone necessary condition (up-closure of random seeds),
 * anonymity inside it (monotone or not), random scores with ties, and the tightest valid lower bound
 * (the minimum score over all generalizations), optionally loosened.
 */
const arbitraryProblem = fc
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
    });
  });

type ProblemSpec = typeof arbitraryProblem extends fc.Arbitrary<infer S> ? S : never;

function buildProblem(spec: ProblemSpec) {
  const lattice = new Lattice(spec.maxLevels);
  const below = (a: number, b: number) => {
    for (let j = 0; j < lattice.width; j++) if (lattice.levelOf(a, j) > lattice.levelOf(b, j)) return false;
    return true;
  };
  const condition = (id: number) => spec.seeds.some((seed) => below(seed, id));
  const anonymous = (id: number) => condition(id) && (spec.monotoneAnonymity || spec.anonymousMask[id]);
  const bound = (id: number) => {
    let min = Infinity;
    for (let other = 0; other < lattice.size; other++) if (below(id, other)) min = Math.min(min, spec.scores[other]);
    return spec.loosen ? min / 2 : min;
  };
  // Forced suppression never increases upward; the score pays for it, so a refined bound may add it.
  const maxHeight = spec.maxLevels.reduce((a, b) => a + b, 0);
  const forced = (id: number) => spec.forcedScale * (maxHeight - lattice.heights[id]);
  const score = (id: number) => spec.scores[id] + (spec.refine ? forced(id) : 0);
  let evaluations = 0;
  const evaluate = (levels: Int32Array): NodeCheck => {
    evaluations++;
    const id = lattice.idOf(levels);
    return { anonymous: anonymous(id), monotoneConditionHolds: condition(id), score: anonymous(id) ? score(id) : NaN, lowerBound: bound(id), forcedSuppression: forced(id) };
  };
  const refineBound = spec.refine ? (_levels: Int32Array, boundBelow: number, forcedAtLeast: number) => boundBelow + forcedAtLeast : undefined;
  return { problem: { maxLevels: spec.maxLevels, evaluate, refineBound }, evaluations: () => evaluations };
}

describe('search', () => {
  it('the optimal search returns exactly the exhaustive optimum (node and score, ties by height then id)', () => {
    fc.assert(
      fc.property(arbitraryProblem, (spec) => {
        const optimal = search(buildProblem(spec).problem, 'optimal');
        const exhaustive = search(buildProblem(spec).problem, 'exhaustive');
        expect(optimal.optimum === null ? null : Array.from(optimal.optimum)).toEqual(exhaustive.optimum === null ? null : Array.from(exhaustive.optimum));
        if (exhaustive.optimum !== null) expect(optimal.score).toBe(exhaustive.score);
        expect(optimal.nodesChecked).toBeLessThanOrEqual(optimal.latticeSize);
        expect(exhaustive.nodesChecked).toBe(exhaustive.latticeSize);
      }),
      { seed: 3, numRuns: 4000 },
    );
  });

  it('counts every node as checked or pruned, and evaluates each node at most once', () => {
    fc.assert(
      fc.property(arbitraryProblem, (spec) => {
        const built = buildProblem(spec);
        const result = search(built.problem, 'optimal');
        expect(built.evaluations()).toBe(result.nodesChecked);
        expect(result.nodesChecked + result.nodesPrunedByTags + result.nodesPrunedByBounds).toBeLessThanOrEqual(result.latticeSize);
      }),
      { seed: 5, numRuns: 300 },
    );
  });

  it('prunes: a monotone problem with a frontier low in the lattice checks far fewer nodes than exist', () => {
    const maxLevels = [3, 3, 3, 3];
    const lattice = new Lattice(maxLevels);
    let checked = 0;
    const result = search(
      {
        maxLevels,
        evaluate: (levels) => {
          checked++;
          const height = levels.reduce((a, b) => a + b, 0);
          return { anonymous: height >= 5, monotoneConditionHolds: height >= 5, score: height, lowerBound: height, forcedSuppression: 0 };
        },
      },
      'optimal',
    );
    expect(lattice.heights[lattice.idOf(result.optimum!)]).toBe(5);
    expect(checked).toBeLessThan(lattice.size / 2);
  });
});
