import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { Lattice } from '../../src/lattice/lattice.js';
import { search, type SearchSettings } from '../../src/lattice/search.js';
import { arbitraryProblem, buildProblem, stepClock, type BuiltProblem } from './random-problems.js';

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
        expect(built.evaluated.length).toBe(result.nodesChecked);
        expect(new Set(built.evaluated.map((levels) => levels.join())).size).toBe(built.evaluated.length);
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

/** The searches behind each strategy: Flash on small lattices by default, the frontier search with either lookup. */
const VARIANTS: { name: string; strategy: 'optimal' | 'exhaustive'; settings: SearchSettings }[] = [
  { name: 'optimal (Flash)', strategy: 'optimal', settings: {} },
  { name: 'frontier, dense', strategy: 'optimal', settings: { lookup: 'dense' } },
  { name: 'frontier, sparse', strategy: 'optimal', settings: { lookup: 'sparse' } },
  { name: 'exhaustive', strategy: 'exhaustive', settings: {} },
];

/** lowerBound ≤ the exhaustive optimum ≤ score, and `optimal` only when all three are equal. */
function expectProvenBound(built: BuiltProblem, result: ReturnType<typeof search>): void {
  if (Number.isNaN(built.optimum)) {
    expect(result.optimum).toBeNull();
    return;
  }
  if (result.optimum !== null) expect(result.score).toBeGreaterThanOrEqual(built.optimum);
  expect(result.lowerBound).toBeLessThanOrEqual(built.optimum);
  if (result.optimal) {
    expect(result.score).toBe(built.optimum);
    expect(result.lowerBound).toBe(built.optimum);
  }
}

describe('search with a time limit', () => {
  it('for any time limit: lower bound ≤ exhaustive optimum ≤ reported score, and optimal only when they are equal', () => {
    fc.assert(
      fc.property(arbitraryProblem, fc.nat({ max: 80 }), (spec, limit) => {
        for (const variant of VARIANTS) {
          const built = buildProblem(spec);
          const result = search(built.problem, variant.strategy, { ...variant.settings, timeLimitMs: limit, now: stepClock(built) });
          expectProvenBound(built, result);
          // The clock is read around every check, so the search stops at most one check past the limit (two when,
          // stopped with nothing found, it checks the top as a last resort).
          if (!result.optimal) expect(result.stoppedBy).toBe('time-limit');
          expect(result.nodesChecked).toBeLessThanOrEqual(limit + 2);
        }
      }),
      { seed: 11, numRuns: 1500 },
    );
  });

  it('finds a transformation under any time limit when the top of the lattice is one', () => {
    fc.assert(
      fc.property(arbitraryProblem, fc.nat({ max: 3 }), (spec, limit) => {
        for (const variant of VARIANTS.filter((entry) => entry.strategy === 'optimal')) {
          const built = buildProblem(spec);
          const topPasses = built.problem.evaluate(Int32Array.from(spec.maxLevels)).anonymous;
          built.evaluated.length = 0;
          const result = search(built.problem, variant.strategy, { ...variant.settings, timeLimitMs: limit, now: stepClock(built) });
          if (topPasses) expect(result.optimum, variant.name).not.toBeNull();
        }
      }),
      { seed: 17, numRuns: 500 },
    );
  });

  it('reports progress: scores never worsen, bounds never exceed them, and the last point is the result', () => {
    fc.assert(
      fc.property(arbitraryProblem, fc.nat({ max: 40 }), (spec, limit) => {
        for (const variant of VARIANTS.slice(0, 3)) {
          const built = buildProblem(spec);
          const points: { score: number; lowerBound: number }[] = [];
          const result = search(built.problem, variant.strategy, { ...variant.settings, timeLimitMs: limit, now: stepClock(built), onProgress: (point) => points.push(point) });
          if (result.optimum !== null) expect(points.at(-1)!.lowerBound).toBe(result.lowerBound);
          for (let i = 1; i < points.length; i++) if (!Number.isNaN(points[i - 1].score)) expect(points[i].score).toBeLessThanOrEqual(points[i - 1].score);
          for (const point of points) if (!Number.isNaN(built.optimum)) expect(point.lowerBound).toBeLessThanOrEqual(built.optimum);
        }
      }),
      { seed: 13, numRuns: 300 },
    );
  });
});
