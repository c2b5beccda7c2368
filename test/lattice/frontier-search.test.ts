import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { search, type NodeCheck, type SearchProblem } from '../../src/lattice/search.js';
import { arbitraryProblem, buildProblem, stepClock } from './random-problems.js';

const levelsOf = (result: ReturnType<typeof search>) => (result.optimum === null ? null : Array.from(result.optimum));

describe('frontier search', () => {
  it('returns exactly the exhaustive optimum (node and score, ties by height then id), with either node lookup', () => {
    fc.assert(
      fc.property(arbitraryProblem, (spec) => {
        const exhaustive = search(buildProblem(spec).problem, 'exhaustive');
        for (const lookup of ['dense', 'sparse'] as const) {
          const result = search(buildProblem(spec).problem, 'optimal', { lookup });
          expect(levelsOf(result)).toEqual(levelsOf(exhaustive));
          if (exhaustive.optimum !== null) expect(result.score).toBe(exhaustive.score);
          expect(result.optimal).toBe(true);
          expect(result.representation).toBe(lookup);
        }
      }),
      { seed: 17, numRuns: 3000 },
    );
  });

  it('makes the same checks in the same order and returns the same result with the sparse lookup as with the dense one', () => {
    fc.assert(
      fc.property(arbitraryProblem, fc.option(fc.nat({ max: 60 }), { nil: undefined }), (spec, limit) => {
        const dense = buildProblem(spec);
        const sparse = buildProblem(spec);
        const fromDense = search(dense.problem, 'optimal', { lookup: 'dense', timeLimitMs: limit, now: stepClock(dense) });
        const fromSparse = search(sparse.problem, 'optimal', { lookup: 'sparse', timeLimitMs: limit, now: stepClock(sparse) });
        expect(sparse.evaluated).toEqual(dense.evaluated);
        expect({ ...fromSparse, representation: undefined, trace: undefined }).toEqual({ ...fromDense, representation: undefined, trace: undefined });
      }),
      { seed: 19, numRuns: 1500 },
    );
  });

  it('stays valid within a tiny memory budget: it forgets open nodes, keeps its bound below the optimum, and ends', () => {
    fc.assert(
      fc.property(arbitraryProblem, (spec) => {
        const built = buildProblem(spec);
        const result = search(built.problem, 'optimal', { lookup: 'sparse', memoryBytes: 1 });
        if (Number.isNaN(built.optimum)) return;
        expect(result.lowerBound).toBeLessThanOrEqual(built.optimum);
        if (result.optimum !== null) expect(result.score).toBeGreaterThanOrEqual(built.optimum);
        if (result.optimal) expect(result.score).toBe(built.optimum);
        else expect(result.stoppedBy).toBe('memory');
      }),
      { seed: 23, numRuns: 1000 },
    );
  });
});

/**
 * 24 attributes of height 3 (2.8·10^14 nodes): the condition holds where the levels sum to at least `threshold`, and
 * the score is Σ w_j·l_j, so the optimum raises the cheapest attributes first — known without searching.
 */
function separableProblem(threshold: number): { problem: SearchProblem; optimum: number; checks: () => number } {
  const width = 24;
  const weights = Array.from({ length: width }, (_, j) => 1 + ((j * 7) % 5));
  let checks = 0;
  const cost = (levels: ArrayLike<number>) => {
    let sum = 0;
    for (let j = 0; j < width; j++) sum += weights[j] * levels[j];
    return sum;
  };
  const problem: SearchProblem = {
    maxLevels: Array.from({ length: width }, () => 3),
    evaluate(levels: Int32Array): NodeCheck {
      checks++;
      const holds = levels.reduce((a, b) => a + b, 0) >= threshold;
      return { anonymous: holds, monotoneConditionHolds: holds, score: holds ? cost(levels) : NaN, lowerBound: cost(levels), forcedSuppression: 0 };
    },
    boundAbove: cost,
  };
  const sorted = [...weights].sort((a, b) => a - b);
  let optimum = 0;
  for (let left = threshold, i = 0; left > 0; i++, left -= 3) optimum += sorted[i] * Math.min(3, left);
  return { problem, optimum, checks: () => checks };
}

describe('frontier search on a huge lattice', () => {
  it('proves the optimum of a lattice of 2.8·10^14 nodes with a sparse lookup, checking few of them', () => {
    const { problem, optimum, checks } = separableProblem(5);
    const result = search(problem, 'optimal');
    expect(result.representation).toBe('sparse');
    expect(result.latticeSize).toBe(4 ** 24);
    expect(result.optimal).toBe(true);
    expect(result.score).toBe(optimum);
    expect(result.lowerBound).toBe(optimum);
    expect(checks()).toBe(result.nodesChecked);
    expect(result.nodesChecked).toBeLessThan(10_000);
  });

  it('stopped early, it reports its best node and a lower bound no higher than the optimum', () => {
    const { problem, optimum } = separableProblem(30);
    let clock = 0;
    const result = search(problem, 'optimal', { timeLimitMs: 200, now: () => clock++ });
    expect(result.optimal).toBe(false);
    expect(result.stoppedBy).toBe('time-limit');
    expect(result.score).toBeGreaterThanOrEqual(optimum);
    expect(result.lowerBound).toBeLessThanOrEqual(optimum);
  });
});
