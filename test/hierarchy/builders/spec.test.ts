// Tests of the spec union: JSON validation with every problem reported and located, and
// `buildHierarchy` dispatching each type (and both group variants) to its builder.

import { describe, expect, it } from 'vitest';
import { buildHierarchy, parseHierarchySpec, type HierarchySpec } from '../../../src/hierarchy/builders/spec.js';
import { expectCloakError, expectWellFormedHierarchy } from './hierarchy-checks.js';

describe('parseHierarchySpec', () => {
  it('accepts every spec type as JSON and round-trips it unchanged', () => {
    const specs: HierarchySpec[] = [
      { type: 'interval', width: 5, fanout: [2, 2], lower: 0, upper: 90 },
      { type: 'mask', direction: 'left-to-right', maskChar: '#', levels: 3 },
      { type: 'date', chain: 'week', format: 'DD/MM/YYYY' },
      { type: 'group', levels: [{ A: ['a'], B: ['b'] }] },
      { type: 'group', runSizes: [2, 4] },
      { type: 'frequency', threshold: 10, otherLabel: 'Rare' },
    ];
    for (const spec of specs) expect(parseHierarchySpec(JSON.parse(JSON.stringify(spec)))).toEqual(spec);
  });

  it('reports every problem at once, with JSON paths and the file', () => {
    const error = expectCloakError(
      () => parseHierarchySpec({ type: 'interval', widht: 5, fanout: 'x' }, { file: 'policy.json', path: '$.attributes.age.hierarchy' }),
      'HIERARCHY_SPEC_INVALID',
      { exitCode: 2 },
    );
    expect(error.problems).toEqual([
      '$.attributes.age.hierarchy.widht is not a field of "interval" specs',
      '$.attributes.age.hierarchy.fanout must be an array of numbers',
      '$.attributes.age.hierarchy.width is required',
    ]);
    expect(error.message).toContain('policy.json');
    expect(error.location).toEqual({ file: 'policy.json', path: '$.attributes.age.hierarchy' });
  });

  it('refuses unknown types, non-objects and group specs with both or neither variant', () => {
    for (const raw of [null, [], 'interval', { type: 'zip' }, { type: 'group' }, { type: 'group', levels: [], runSizes: [2] }, { type: 'group', levels: [{ A: 'a' }] }]) {
      expectCloakError(() => parseHierarchySpec(raw), 'HIERARCHY_SPEC_INVALID', { exitCode: 2 });
    }
  });
});

describe('buildHierarchy', () => {
  it('dispatches each spec type to its builder', () => {
    const cases: Array<[HierarchySpec, string[], string[]]> = [
      [{ type: 'interval', width: 10 }, ['23', '37'], ['23', '[20, 30)', '*']],
      [{ type: 'mask' }, ['123', '456'], ['123', '12*', '1**', '*']],
      [{ type: 'date' }, ['2024-05-17'], ['2024-05-17', '2024-05', '2024-Q2', '2024', '2020s', '*']],
      [{ type: 'group', levels: [{ AB: ['a', 'b'] }] }, ['a', 'b'], ['a', 'AB', '*']],
      [{ type: 'group', runSizes: [2] }, ['b', 'a', 'c'], ['a', '[a, b]', '*']],
      [{ type: 'frequency', threshold: 2 }, ['x', 'x', 'y'], ['x', 'x', '*']],
    ];
    for (const [spec, values, firstRow] of cases) {
      const rows = buildHierarchy(spec, values, { column: 'c' });
      expectWellFormedHierarchy(values, rows);
      expect(rows[0]).toEqual(firstRow);
    }
  });

  it('accepts value counts as the domain', () => {
    expect(buildHierarchy({ type: 'interval', width: 5 }, new Map([['7', 3]]))).toEqual([['7', '[5, 10)', '*']]);
  });
});
