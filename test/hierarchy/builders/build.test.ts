// Tests of buildHierarchy's handling of the data around the builders: declared domains (ranges and lists), missing
// values (an error saying how to opt in, or their own label), and errors that name the data line instead of an index.

import { describe, expect, it } from 'vitest';
import { buildHierarchy } from '../../../src/hierarchy/builders/build.js';
import type { BuildContext } from '../../../src/hierarchy/builders/failures.js';
import type { HierarchySpec } from '../../../src/hierarchy/builders/spec.js';
import { expectCloakError, expectWellFormedHierarchy } from './hierarchy-checks.js';

/** A context whose data lines are the values' positions + 2 (one header line), as a CSV reader would give. */
function dataContext(values: readonly string[], showValues = false): BuildContext {
  return { column: 'c', file: 'data.csv', lineOf: (value) => values.indexOf(value) + 2, showValues };
}

describe('declared domains', () => {
  it('covers every whole number of a range, then the data values the range holds that it does not list', () => {
    const rows = buildHierarchy({ type: 'interval', width: 5, domain: { from: 0, to: 9 } }, ['3', '7.5', '03']);
    expect(rows.map((row) => row[0])).toEqual(['0', '1', '2', '3', '4', '5', '6', '7', '8', '9', '7.5', '03']);
    expectWellFormedHierarchy(rows.map((row) => row[0]), rows);
    expect(rows.find((row) => row[0] === '7.5')).toEqual(['7.5', '[5, 10)', '*']);
  });

  it('covers a listed domain in its order, for any builder', () => {
    const spec: HierarchySpec = { type: 'mask', domain: ['02139', '02140', '10001'] };
    expect(buildHierarchy(spec, ['10001']).map((row) => row[0])).toEqual(['02139', '02140', '10001']);
    const frequency = buildHierarchy({ type: 'frequency', threshold: 2, domain: ['a', 'b', 'c'] }, ['a', 'a', 'b']);
    expect(frequency).toEqual([
      ['a', 'a', '*'],
      ['b', 'Other', '*'],
      ['c', 'Other', '*'],
    ]);
  });

  it('refuses a data value outside the domain, naming file, column and line but not the value', () => {
    const values = ['5', '130', '140'];
    const error = expectCloakError(
      () => buildHierarchy({ type: 'interval', width: 10, domain: { from: 0, to: 120 } }, values, dataContext(values)),
      'HIERARCHY_VALUE_OUTSIDE_DOMAIN',
      { exitCode: 3, secret: '130' },
    );
    expect(error.message).toBe('Interval hierarchy for column "c": the value at data.csv line 3 is outside the declared domain, the numbers 0 to 120 (2 distinct values are)');
    expect(error.location).toEqual({ file: 'data.csv', line: 3, column: 'c' });
    const shown = expectCloakError(() => buildHierarchy({ type: 'mask', domain: ['1'] }, values, dataContext(values, true)), 'HIERARCHY_VALUE_OUTSIDE_DOMAIN');
    expect(shown.message).toContain('the value "5" at data.csv line 2 is outside the declared domain, the 1 value(s) it lists');
  });

  it('reports a declared value the builder cannot label as a spec error', () => {
    const error = expectCloakError(() => buildHierarchy({ type: 'date', domain: { from: 1, to: 3 } }, []), 'HIERARCHY_SPEC_INVALID', { exitCode: 2 });
    expect(error.message).toContain('the value at position 1 of the declared domain does not match the date format YYYY-MM-DD');
  });
});

describe('missing values', () => {
  it('are an error by default that names the line and says how to opt in', () => {
    const values = ['12', 'NA', ''];
    const error = expectCloakError(() => buildHierarchy({ type: 'interval', width: 5 }, values, dataContext(values)), 'HIERARCHY_VALUE_MISSING', { exitCode: 3 });
    expect(error.message).toBe(
      'Interval hierarchy for column "c": the value at data.csv line 3 is missing (empty or NA); add "missing": { "label": "…" } to the spec to give missing values a label of their own',
    );
    // Frequency counts would otherwise quietly merge NA into Other or keep it as a category.
    expectCloakError(() => buildHierarchy({ type: 'frequency', threshold: 1 }, [' ', 'x']), 'HIERARCHY_VALUE_MISSING');
  });

  it('get their label at every level below * with missing.label, for every builder', () => {
    const missing = { label: 'Unknown' };
    const cases: Array<[HierarchySpec, string[]]> = [
      [{ type: 'interval', width: 5, fanout: [2, 2], missing }, ['3', 'NA', '17']],
      [{ type: 'mask', missing }, ['021', '', '100']],
      [{ type: 'date', missing }, ['2024-01-31', ' NA ']],
      [{ type: 'group', levels: [{ A: ['a'], B: ['b'] }], missing }, ['a', 'b', 'NA']],
      [{ type: 'group', runSize: 2, missing }, ['1', '2', '3', 'NA']],
      [{ type: 'frequency', threshold: 2, missing }, ['x', 'x', 'y', 'NA']],
    ];
    for (const [spec, values] of cases) {
      const rows = buildHierarchy(spec, values);
      expectWellFormedHierarchy(values, rows);
      for (const row of rows.filter(([value]) => value.trim() === '' || value.trim() === 'NA')) {
        expect(row).toEqual([row[0], ...Array<string>(rows[0].length - 2).fill('Unknown'), '*']);
      }
    }
  });

  it('are what missing.values lists, and never a value a group mapping lists', () => {
    expect(buildHierarchy({ type: 'interval', width: 10, missing: { label: '?', values: ['-99'] } }, ['-99', '5'])).toEqual([
      ['5', '[0, 10)', '*'],
      ['-99', '?', '*'],
    ]);
    expect(buildHierarchy({ type: 'group', levels: [{ Known: ['a'], 'Not known': ['NA'] }] }, ['a', 'NA'])).toEqual([
      ['a', 'Known', '*'],
      ['NA', 'Not known', '*'],
    ]);
  });

  it('refuses a missing label that another value already has', () => {
    const error = expectCloakError(() => buildHierarchy({ type: 'frequency', threshold: 1, missing: { label: 'x' } }, ['x', 'NA']), 'HIERARCHY_SPEC_INVALID');
    expect(error.message).toContain('missing.label "x" is also the label of other values');
  });

  it('give a column of missing values only a hierarchy of the spec\'s height', () => {
    const missing = { label: 'U' };
    expect(buildHierarchy({ type: 'interval', width: 5, fanout: [2], missing }, ['NA'])).toEqual([['NA', 'U', 'U', '*']]);
    expect(buildHierarchy({ type: 'frequency', threshold: 2, missing }, ['', ''])).toEqual([['', 'U', '*']]);
    expect(buildHierarchy({ type: 'group', runSize: 2, missing }, ['NA'])).toEqual([['NA', '*']]);
    expectCloakError(() => buildHierarchy({ type: 'mask', missing }, []), 'HIERARCHY_DOMAIN_EMPTY');
  });
});

describe('builder errors', () => {
  it('name the data line of the value, not its index, when the context knows the lines', () => {
    const values = ['2024-01-01', '2024-13-01'];
    const error = expectCloakError(() => buildHierarchy({ type: 'date' }, values, dataContext(values)), 'HIERARCHY_VALUE_INVALID', { secret: '2024-13-01' });
    expect(error.message).toBe('Date hierarchy for column "c": the value at data.csv line 3 is not a calendar date (month or day out of range)');
    expect(error.location).toEqual({ file: 'data.csv', line: 3, column: 'c' });
    const group = expectCloakError(() => buildHierarchy({ type: 'group', levels: [{ A: ['a'], B: ['b'] }] }, ['a', 'z'], dataContext(['a', 'z'])), 'HIERARCHY_VALUE_INVALID');
    expect(group.message).toBe('Group hierarchy for column "c": the value at data.csv line 3 is in no group of level 1');
  });
});
