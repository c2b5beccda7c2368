// Tests of the search's per-height counts that the HTML report's lattice chart draws.
// Checked nodes are counted independently from the evaluate() calls; every node must be accounted for once.

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Lattice } from '../../src/lattice/lattice.js';
import { search, type NodeCheck, type SearchProblem } from '../../src/lattice/search.js';

/** Anonymous iff the node generalizes one of the seeds (monotone), scores from a table, 0 as a valid lower bound. */
function problem(maxLevels: number[], seeds: number[], scores: number[], calls: number[]): SearchProblem {
  const lattice = new Lattice(maxLevels);
  return {
    maxLevels,
    evaluate(levels: Int32Array): NodeCheck {
      const id = lattice.idOf(levels);
      calls[lattice.heights[id]]++;
      const holds = seeds.some((seed) => lattice.levels(seed).every((level, j) => levels[j] >= level));
      return { anonymous: holds, monotoneConditionHolds: holds, score: scores[id], lowerBound: 0 };
    },
  };
}

const arbitraryCase = fc.array(fc.integer({ min: 0, max: 3 }), { minLength: 1, maxLength: 4 }).chain((maxLevels) => {
  const size = Lattice.sizeOf(maxLevels);
  return fc.record({
    maxLevels: fc.constant(maxLevels),
    seeds: fc.uniqueArray(fc.nat({ max: size - 1 }), { maxLength: 3 }),
    scores: fc.array(fc.integer({ min: 0, max: 3 }), { minLength: size, maxLength: size }),
  });
});

describe('search per-height counts', () => {
  for (const strategy of ['optimal', 'exhaustive'] as const) {
    it(`${strategy}: every node is counted once at its height, checks match the evaluate calls`, () => {
      fc.assert(
        fc.property(arbitraryCase, ({ maxLevels, seeds, scores }) => {
          const lattice = new Lattice(maxLevels);
          const maxHeight = maxLevels.reduce((sum, level) => sum + level, 0);
          const calls = new Array<number>(maxHeight + 1).fill(0);
          const result = search(problem(maxLevels, seeds, scores, calls), strategy);

          expect(result.perHeight.map((at) => at.height)).toEqual(Array.from({ length: maxHeight + 1 }, (_, h) => h));
          for (const at of result.perHeight) {
            expect(at.nodes).toBe(lattice.heights.filter((height) => height === at.height).length);
            expect(at.checked).toBe(calls[at.height]);
            expect(at.checked + at.prunedByTags + at.prunedByBounds).toBe(at.nodes);
            if (strategy === 'exhaustive') expect(at.checked).toBe(at.nodes);
          }
          const sum = (key: 'checked' | 'prunedByTags' | 'prunedByBounds') => result.perHeight.reduce((total, at) => total + at[key], 0);
          expect(sum('checked')).toBe(result.nodesChecked);
          expect(sum('prunedByTags')).toBe(result.nodesPrunedByTags);
          expect(sum('prunedByBounds')).toBe(result.nodesPrunedByBounds);
        }),
        { numRuns: 300 },
      );
    });
  }

  it('prunes by bounds once a zero-score node is found, and by tags below a failing node', () => {
    // Everything at height ≥ 1 holds; the bottom fails. Scores 0 everywhere: the first anonymous node found wins.
    const calls = [0, 0, 0, 0, 0];
    const result = search(problem([2, 2], [1, 3], new Array(9).fill(0), calls), 'optimal');
    expect(result.nodesPrunedByBounds).toBeGreaterThan(0);
    expect(result.perHeight[0]).toEqual({ height: 0, nodes: 1, checked: 1, prunedByTags: 0, prunedByBounds: 0 });
  });
});
