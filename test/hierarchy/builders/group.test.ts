// Tests of the grouping builder and its JSON/CSV mapping readers: random nested mappings, and the
// overlapping, missing and non-nested mappings that must be refused.

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { buildGroupHierarchy, type GroupLevel } from '../../../src/hierarchy/builders/group.js';
import { groupLevelsFromCsv, groupLevelsFromJson } from '../../../src/hierarchy/builders/group-levels.js';
import { expectCloakError, expectWellFormedHierarchy } from './hierarchy-checks.js';

/** A random domain with a random chain of coarsening partitions, written as per-level mappings of original values. */
const nestedMapping = fc
  .uniqueArray(fc.string({ minLength: 1, maxLength: 6 }), { minLength: 1, maxLength: 40 })
  .chain((values) =>
    fc.tuple(fc.constant(values), fc.array(fc.array(fc.nat(), { minLength: values.length, maxLength: values.length }), { maxLength: 3 })),
  )
  .map(([values, choices]) => {
    // Level i's group of a value is derived from its level i-1 group, which keeps the levels nested.
    let groupOf = values.map((_, position) => position);
    const levels: GroupLevel[] = choices.map((choice, level) => {
      groupOf = groupOf.map((group) => choice[group] % Math.max(1, values.length >> (level + 1)));
      const mapping: GroupLevel = {};
      values.forEach((value, position) => (mapping[`L${level + 1}-${groupOf[position]}`] ??= []).push(value));
      return mapping;
    });
    return { values, levels };
  });

describe('buildGroupHierarchy', () => {
  it('is well formed for random nested mappings and follows the mapping', () => {
    fc.assert(
      fc.property(nestedMapping, ({ values, levels }) => {
        const rows = buildGroupHierarchy(values, { levels });
        expectWellFormedHierarchy(values, rows);
        // Levels up to the first that holds every value in one group; that one is the final `*`.
        const kept = levels.findIndex((mapping) => Object.keys(mapping).length === 1);
        expect(rows[0]).toHaveLength((kept === -1 ? levels.length : kept) + 2);
        for (const row of rows) {
          row.slice(1, -1).forEach((label, level) => expect(levels[level][label]).toContain(row[0]));
        }
      }),
    );
  });

  it('groups categories level by level and does not repeat a final * level', () => {
    const levels: GroupLevel[] = [{ Married: ['married', 'partnered'], Single: ['single'] }, { '*': ['married', 'partnered', 'single'] }];
    expect(buildGroupHierarchy(['single', 'married'], { levels })).toEqual([
      ['single', 'Single', '*'],
      ['married', 'Married', '*'],
    ]);
    expect(buildGroupHierarchy(['a'], { levels: [] })).toEqual([['a', '*']]);
  });

  it('ends the hierarchy at a level that puts every value in one group, whatever its label', () => {
    const levels: GroupLevel[] = [{ Married: ['married', 'partnered'], Single: ['single'] }, { Everyone: ['married', 'partnered', 'single'] }];
    expect(buildGroupHierarchy(['single', 'married'], { levels })).toEqual([
      ['single', 'Single', '*'],
      ['married', 'Married', '*'],
    ]);
    expect(buildGroupHierarchy(['a', 'b'], { levels: [{ All: ['a', 'b'] }] })).toEqual([['a', '*'], ['b', '*']]);
    // One group that leaves out a value listed below is not the * level: the value missing from it is an error.
    expectCloakError(() => buildGroupHierarchy(['a', 'b'], { levels: [{ A: ['a'], B: ['b'] }, { AB: ['a'] }] }), 'HIERARCHY_VALUE_INVALID');
  });

  it('refuses a value in two groups of one level', () => {
    const error = expectCloakError(
      () => buildGroupHierarchy(['x'], { levels: [{ A: ['secret-value'], B: ['secret-value', 'x'] }] }),
      'HIERARCHY_SPEC_INVALID',
      { exitCode: 2, secret: 'secret-value' },
    );
    expect(error.message).toContain('level 1');
  });

  it('refuses a domain value missing from a level, naming its index', () => {
    const error = expectCloakError(
      () => buildGroupHierarchy(['a', 'secret-value'], { levels: [{ A: ['a'], S: ['secret-value'] }, { B: ['a'] }] }, { column: 'job' }),
      'HIERARCHY_VALUE_INVALID',
      { exitCode: 3, secret: 'secret-value' },
    );
    expect(error.message).toContain('index 1');
    expect(error.message).toContain('level 2');
  });

  it('refuses a non-nested mapping', () => {
    const levels: GroupLevel[] = [{ AB: ['a', 'b'], C: ['c'] }, { X: ['a', 'c'], Y: ['b'] }];
    const error = expectCloakError(() => buildGroupHierarchy(['a', 'b', 'c'], { levels }), 'HIERARCHY_SPEC_INVALID', { exitCode: 2 });
    expect(error.message).toContain('not nested');
  });

  it('refuses an empty domain', () => {
    expectCloakError(() => buildGroupHierarchy([], { levels: [{ A: ['a'] }] }), 'HIERARCHY_DOMAIN_EMPTY');
  });
});

describe('group mapping readers', () => {
  it('reads levels from JSON', () => {
    const levels = groupLevelsFromJson('\uFEFF[{"A": ["a"], "B": ["b"]}, {"*": ["a", "b"]}]', 'groups.json');
    expect(buildGroupHierarchy(['a', 'b'], { levels })).toEqual([
      ['a', 'A', '*'],
      ['b', 'B', '*'],
    ]);
  });

  it('refuses malformed JSON without quoting it, and a wrong shape with its JSON path', () => {
    expectCloakError(() => groupLevelsFromJson('[{"A": secret}]', 'groups.json'), 'HIERARCHY_GROUPS_INVALID', { exitCode: 3, secret: 'secret' });
    const error = expectCloakError(() => groupLevelsFromJson('[{"A": "a"}]', 'groups.json'), 'HIERARCHY_GROUPS_INVALID');
    expect(error.message).toContain('$[0]["A"]');
  });

  it('reads levels from a CSV in ARX layout, dropping a final * column', () => {
    const text = 'a;[1, 2];low;*\nb;[1, 2];low;*\nc;[3, 4];high;*\n';
    expect(groupLevelsFromCsv(text, 'groups.csv')).toEqual([{ '[1, 2]': ['a', 'b'], '[3, 4]': ['c'] }, { low: ['a', 'b'], high: ['c'] }]);
    expect(groupLevelsFromCsv('a,A\nb,B\n', 'groups.csv')).toEqual([{ A: ['a'], B: ['b'] }]);
  });

  it('refuses a CSV that lists a value twice, naming rows', () => {
    const error = expectCloakError(() => groupLevelsFromCsv('secret;A\nb;B\nsecret;C\n', 'groups.csv'), 'HIERARCHY_GROUPS_INVALID', { secret: 'secret' });
    expect(error.message).toContain('row 3 repeats the value of row 1');
  });
});
