import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DominanceIndex } from '../../src/lattice/dominance-index.js';

const maxLevels = [3, 1, 4, 2, 2];
const node = fc.tuple(...maxLevels.map((max) => fc.integer({ min: 0, max })));
const atOrAbove = (entry: number[], levels: number[]) => entry.every((level, j) => level >= levels[j]);

describe('DominanceIndex', () => {
  it('finds exactly the live entries at or above and at or below a node, in entry order, through adds, removals and compaction', () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(node, fc.boolean()), { minLength: 1, maxLength: 120 }), fc.array(node, { minLength: 1, maxLength: 20 }), fc.boolean(), (adds, queries, compact) => {
        const index = new DominanceIndex(maxLevels);
        const live: { levels: number[]; entry: number }[] = [];
        for (const [levels, keep] of adds) {
          const entry = index.add(levels);
          if (keep) live.push({ levels, entry });
          else index.remove(entry);
        }
        if (compact) {
          const remap = index.compact();
          for (const item of live) item.entry = remap[item.entry];
        }
        expect(index.size).toBe(live.length);
        for (const query of queries) {
          for (const above of [true, false]) {
            const expected = live.filter((item) => (above ? atOrAbove(item.levels, query) : atOrAbove(query, item.levels))).map((item) => item.entry);
            const found: number[] = [];
            index.forEach(query, above, (entry) => {
              found.push(entry);
            });
            expect(found).toEqual(expected);
            expect(index.first(query, above)).toBe(expected[0] ?? -1);
            for (const entry of found) expect(Array.from(maxLevels, (_, j) => index.levelOf(entry, j))).toEqual(live.find((item) => item.entry === entry)!.levels);
          }
        }
      }),
      { seed: 7, numRuns: 300 },
    );
  });
});
