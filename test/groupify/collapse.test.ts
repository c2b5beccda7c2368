import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { collapseTuples, recordsPerCode } from '../../src/groupify/collapse.js';
import { encodeRows } from '../../src/table/encoded-table.js';

const rowsOfThree = fc.array(fc.array(fc.constantFrom('a', 'b', 'c', 'd'), { minLength: 3, maxLength: 3 }), { minLength: 1, maxLength: 80 });

describe('collapseTuples', () => {
  it('gives each row the tuple of its own codes, one tuple per distinct row, in order of first appearance, with packed keys and beyond 2^53 alike, and counts records per code from the tuples', () => {
    fc.assert(
      fc.property(rowsOfThree, fc.constantFrom([0, 0, 0], [2 ** 20, 2 ** 20, 2 ** 20]), (rows, domains) => {
        const table = encodeRows(['x', 'y', 'z'], rows);
        const histogram = collapseTuples(table, [0, 1, 2], [], domains);
        expect(histogram.packing.exact).toBe(domains[0] === 0);
        const { tuples, rowToTuple } = histogram;
        const firstRowOf = new Map<string, number>();
        rows.forEach((row, r) => {
          if (!firstRowOf.has(row.join())) firstRowOf.set(row.join(), r);
        });
        expect(tuples.count).toBe(firstRowOf.size);
        // Tuple t is the t-th distinct row to appear.
        expect([...firstRowOf.values()].map((r) => rowToTuple[r])).toEqual([...firstRowOf.keys()].map((_, t) => t));
        const sizes = new Int32Array(tuples.count);
        for (let r = 0; r < rows.length; r++) {
          const t = rowToTuple[r];
          sizes[t]++;
          for (let j = 0; j < 3; j++) expect(tuples.keys[t * 3 + j]).toBe(table.columns[j].codes[r]);
        }
        expect(Array.from(tuples.sizes)).toEqual(Array.from(sizes));
        for (let j = 0; j < 3; j++) {
          const { codes, dictionary } = table.columns[j];
          const perCode = new Array<number>(dictionary.length).fill(0);
          for (const code of codes) perCode[code]++;
          expect(Array.from(recordsPerCode(tuples, j, dictionary.length))).toEqual(perCode);
        }
      }),
      { seed: 11, numRuns: 200 },
    );
  });
});
