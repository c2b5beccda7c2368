// Tests of the spec union: JSON validation with every problem reported and located, and
// `buildHierarchy` dispatching each type (and both group variants) to its builder.

import { describe, expect, it } from 'vitest';
import { buildHierarchy } from '../../../src/hierarchy/builders/build.js';
import { parseSpecDocument } from '../../../src/hierarchy/builders/shipped.js';
import { parseHierarchySpec, type HierarchySpec } from '../../../src/hierarchy/builders/spec.js';
import { expectCloakError, expectWellFormedHierarchy } from './hierarchy-checks.js';

describe('parseHierarchySpec', () => {
  it('accepts every spec type as JSON and round-trips it unchanged', () => {
    const specs: HierarchySpec[] = [
      { type: 'interval', width: 5, fanout: [2, 2], lower: 0, upper: 90 },
      { type: 'mask', direction: 'left-to-right', maskChar: '#', levels: 3 },
      { type: 'date', chain: 'week', format: 'DD/MM/YYYY' },
      { type: 'group', levels: [{ A: ['a'], B: ['b'] }] },
      { type: 'group', runSize: 2, fanout: [2] },
      { type: 'mask', align: 'right', padChar: '0', domain: ['1', '22'], missing: { label: 'Unknown', values: ['?'] } },
      { type: 'interval', width: 5, domain: { from: 0, to: 120 }, missing: 'error' },
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
    for (const raw of [null, [], 'interval', { type: 'zip' }, { type: 'group' }, { type: 'group', levels: [], runSize: 2 }, { type: 'group', levels: [], fanout: [2] }, { type: 'group', levels: [{ A: 'a' }] }]) {
      expectCloakError(() => parseHierarchySpec(raw), 'HIERARCHY_SPEC_INVALID', { exitCode: 2 });
    }
  });
});

describe('parseHierarchySpec: declared domains, missing values and the old runSizes', () => {
  it('reports bad domain and missing fields with their paths', () => {
    const error = expectCloakError(
      () => parseHierarchySpec({ type: 'mask', domain: { from: 5, to: 1, step: 2 }, missing: { lable: 'x' } }),
      'HIERARCHY_SPEC_INVALID',
    );
    expect(error.problems).toEqual([
      '$.domain.step is not a field of a declared domain (from, to)',
      '$.domain must be { "from": integer, "to": integer } with from <= to, or an array of values',
      '$.missing.lable is not a field of "missing" (label, values)',
      '$.missing.label must be a non-empty string',
    ]);
    expectCloakError(() => parseHierarchySpec({ type: 'interval', width: 1, domain: { from: 0, to: 5_000_000 } }), 'HIERARCHY_SPEC_INVALID');
    expectCloakError(() => parseHierarchySpec({ type: 'interval', width: 1, domain: [1, 2] }), 'HIERARCHY_SPEC_INVALID');
  });

  it('refuses the old absolute runSizes with the equivalent relative fields', () => {
    const error = expectCloakError(() => parseHierarchySpec({ type: 'group', runSizes: [5, 10] }, { file: 'spec.json' }), 'HIERARCHY_SPEC_INVALID');
    expect(error.problems).toEqual([
      '$.runSizes (absolute run sizes) is replaced by runSize and fanout, relative like an interval\'s width and fanout: runSizes [5,10] is "runSize": 5, "fanout": [2]',
    ]);
  });
});

describe('parseSpecDocument', () => {
  it('takes a builder spec as it is, and a spec document\'s domain into its builder spec', () => {
    expect(parseSpecDocument({ type: 'interval', width: 5 })).toEqual({ type: 'interval', width: 5 });
    const document = { attribute: 'age', description: 'Age', domain: { from: 0, to: 120 }, hierarchy: { type: 'interval', width: 5 } };
    expect(parseSpecDocument(document)).toEqual({ type: 'interval', width: 5, domain: { from: 0, to: 120 } });
    expect(parseSpecDocument({ hierarchy: { type: 'mask', domain: ['1'] } })).toEqual({ type: 'mask', domain: ['1'] });
  });

  it('lists every problem of a document with its path', () => {
    const error = expectCloakError(
      () => parseSpecDocument({ attribute: 1, domain: { from: 0, to: 1 }, hierarchy: { type: 'interval', domain: ['1'] }, extra: true }, { file: 'spec.json', path: '$.age' }),
      'HIERARCHY_SPEC_INVALID',
      { exitCode: 2 },
    );
    expect(error.problems).toEqual([
      '$.age.extra is not a field of a spec document (attribute, description, domain, hierarchy)',
      '$.age.attribute must be a string',
      '$.age.hierarchy.width is required',
      '$.age.domain and $.age.hierarchy.domain cannot both be given',
    ]);
    expect(error.message).toContain('spec.json');
  });
});

describe('buildHierarchy', () => {
  it('dispatches each spec type to its builder', () => {
    const cases: Array<[HierarchySpec, string[], string[]]> = [
      [{ type: 'interval', width: 10 }, ['23', '37'], ['23', '[20, 30)', '*']],
      [{ type: 'mask' }, ['123', '456'], ['123', '12*', '1**', '*']],
      [{ type: 'date' }, ['2024-05-17'], ['2024-05-17', '2024-05', '2024-Q2', '2024', '2020s', '*']],
      [{ type: 'group', levels: [{ AB: ['a', 'b'], C: ['c'] }] }, ['a', 'b'], ['a', 'AB', '*']],
      [{ type: 'group', runSize: 2 }, ['b', 'a', 'c'], ['a', '[a, b]', '*']],
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
