// Tests of the ordered grouping builder: runs over random numeric and text domains are well formed,
// consecutive in the sort order, and of the requested size; bad run sizes are refused.

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { buildOrderedHierarchy } from '../../../src/hierarchy/builders/ordered.js';
import { expectCloakError, expectWellFormedHierarchy } from './hierarchy-checks.js';

const runSizes = fc.array(fc.integer({ min: 2, max: 3 }), { minLength: 1, maxLength: 3 }).map((factors) => {
  const sizes: number[] = [];
  for (const factor of factors) sizes.push((sizes[sizes.length - 1] ?? 1) * factor);
  return sizes;
});

describe('buildOrderedHierarchy', () => {
  it('is well formed and cuts the sorted values into runs of the given sizes', () => {
    const domains = fc.oneof(
      fc.uniqueArray(fc.integer({ min: -500, max: 500 }), { minLength: 1, maxLength: 50 }).map((numbers) => numbers.map(String)),
      fc.uniqueArray(fc.string({ maxLength: 4 }), { minLength: 1, maxLength: 50 }),
    );
    fc.assert(
      fc.property(domains, runSizes, (values, sizes) => {
        const rows = buildOrderedHierarchy(values, { runSizes: sizes });
        expectWellFormedHierarchy(values, rows);
        sizes.forEach((size, level) => {
          const members = new Map<string, number>();
          for (const row of rows) members.set(row[level + 1], (members.get(row[level + 1]) ?? 0) + 1);
          expect(members.size).toBe(Math.ceil(values.length / size));
          for (const count of members.values()) expect(count).toBeLessThanOrEqual(size);
        });
      }),
    );
  });

  it('orders numerically when every value is a number, else by code point', () => {
    expect(buildOrderedHierarchy(['10', '9', '100', '2.5'], { runSizes: [2] }).map((row) => row.slice(0, 2))).toEqual([
      ['2.5', '[2.5, 9]'],
      ['9', '[2.5, 9]'],
      ['10', '[10, 100]'],
      ['100', '[10, 100]'],
    ]);
    expect(buildOrderedHierarchy(['b', 'a', '10', '\u{1F600}', '\uFFFD'], { runSizes: [2, 4] })).toEqual([
      ['10', '[10, a]', '[10, \uFFFD]', '*'],
      ['a', '[10, a]', '[10, \uFFFD]', '*'],
      ['b', '[b, \uFFFD]', '[10, \uFFFD]', '*'],
      ['\uFFFD', '[b, \uFFFD]', '[10, \uFFFD]', '*'],
      ['\u{1F600}', '[\u{1F600}, \u{1F600}]', '[\u{1F600}, \u{1F600}]', '*'],
    ]);
  });

  it('refuses run sizes that do not nest, and an empty domain', () => {
    for (const sizes of [[1], [0], [3, 4], [4, 4], [2.5], [4, 2]]) {
      expectCloakError(() => buildOrderedHierarchy(['a'], { runSizes: sizes }), 'HIERARCHY_SPEC_INVALID', { exitCode: 2 });
    }
    expectCloakError(() => buildOrderedHierarchy([], { runSizes: [2] }), 'HIERARCHY_DOMAIN_EMPTY');
  });
});
