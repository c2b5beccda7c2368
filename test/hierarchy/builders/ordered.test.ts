// Tests of the ordered grouping builder: runs over random numeric and text domains are well formed,
// consecutive in the sort order, of the requested (relative) size; lone values keep their label; bad sizes are refused.

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { buildOrderedHierarchy } from '../../../src/hierarchy/builders/ordered.js';
import { expectCloakError, expectWellFormedHierarchy } from './hierarchy-checks.js';

const runSpecs = fc.record({ runSize: fc.integer({ min: 2, max: 4 }), fanout: fc.array(fc.integer({ min: 2, max: 3 }), { maxLength: 2 }) });

describe('buildOrderedHierarchy', () => {
  it('is well formed and cuts the sorted values into runs of the given sizes', () => {
    const domains = fc.oneof(
      fc.uniqueArray(fc.integer({ min: -500, max: 500 }), { minLength: 1, maxLength: 50 }).map((numbers) => numbers.map(String)),
      fc.uniqueArray(fc.string({ maxLength: 4 }), { minLength: 1, maxLength: 50 }),
    );
    fc.assert(
      fc.property(domains, runSpecs, (values, { runSize, fanout }) => {
        const rows = buildOrderedHierarchy(values, { runSize, fanout });
        expectWellFormedHierarchy(values, rows);
        // Each level's runs hold runSize × the fanouts so far values; a level of one run is left to `*`.
        const sizes = fanout.reduce((all, factor) => [...all, all[all.length - 1] * factor], [runSize]).filter((size) => size < values.length);
        expect(rows[0]).toHaveLength(sizes.length + 2);
        sizes.forEach((size, level) => {
          const members = new Map<string, number>();
          for (const row of rows) members.set(row[level + 1], (members.get(row[level + 1]) ?? 0) + 1);
          expect(members.size).toBe(Math.ceil(values.length / size));
          for (const count of members.values()) expect(count).toBeLessThanOrEqual(size);
          for (const row of rows) if (members.get(row[level + 1]) === 1) expect(row[level + 1]).toBe(row[0]);
        });
      }),
    );
  });

  it('orders numerically when every value is a number, else by code point', () => {
    expect(buildOrderedHierarchy(['10', '9', '100', '2.5'], { runSize: 2 }).map((row) => row.slice(0, 2))).toEqual([
      ['2.5', '[2.5, 9]'],
      ['9', '[2.5, 9]'],
      ['10', '[10, 100]'],
      ['100', '[10, 100]'],
    ]);
    expect(buildOrderedHierarchy(['b', 'a', '10', '\u{1F600}', '\uFFFD'], { runSize: 2, fanout: [2] })).toEqual([
      ['10', '[10, a]', '[10, \uFFFD]', '*'],
      ['a', '[10, a]', '[10, \uFFFD]', '*'],
      ['b', '[b, \uFFFD]', '[10, \uFFFD]', '*'],
      ['\uFFFD', '[b, \uFFFD]', '[10, \uFFFD]', '*'],
      ['\u{1F600}', '\u{1F600}', '\u{1F600}', '*'],
    ]);
  });

  it('uses the relative convention of an interval\'s fanout, labels a run of one value by the value, and never repeats *', () => {
    const values = ['1', '2', '3', '4', '5'];
    expect(buildOrderedHierarchy(values, { runSize: 2, fanout: [2, 2] })).toEqual([
      ['1', '[1, 2]', '[1, 4]', '*'],
      ['2', '[1, 2]', '[1, 4]', '*'],
      ['3', '[3, 4]', '[1, 4]', '*'],
      ['4', '[3, 4]', '[1, 4]', '*'],
      ['5', '5', '5', '*'],
    ]);
    // Runs of 5 (or more) hold every value: that level is `*` itself.
    expect(buildOrderedHierarchy(values, { runSize: 5 })).toEqual(values.map((value) => [value, '*']));
  });

  it('refuses bad run sizes and fanouts, and an empty domain', () => {
    for (const options of [{ runSize: 1 }, { runSize: 0 }, { runSize: 2.5 }, { runSize: 2, fanout: [1] }, { runSize: 2, fanout: [2, 1.5] }]) {
      expectCloakError(() => buildOrderedHierarchy(['a'], options), 'HIERARCHY_SPEC_INVALID', { exitCode: 2 });
    }
    expectCloakError(() => buildOrderedHierarchy([], { runSize: 2 }), 'HIERARCHY_DOMAIN_EMPTY');
  });

  it('refuses the old absolute runSizes with the equivalent relative spec rather than reading them differently', () => {
    const error = expectCloakError(() => buildOrderedHierarchy(['a'], { runSizes: [5, 10, 40] } as never), 'HIERARCHY_SPEC_INVALID', { exitCode: 2 });
    expect(error.message).toContain('runSizes [5,10,40] is "runSize": 5, "fanout": [2,4]');
  });
});
