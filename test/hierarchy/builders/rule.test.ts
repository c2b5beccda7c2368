// Tests of hierarchy rules: a rule labels every value of the built hierarchy exactly as buildHierarchy did, labels
// values the planning data lacked consistently with it (same height, nested), survives JSON, and is validated.

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { buildHierarchy } from '../../../src/hierarchy/builders/build.js';
import type { GroupLevel } from '../../../src/hierarchy/builders/group.js';
import { hierarchyRule, parseHierarchyRule, ruleLabels, type HierarchyRule } from '../../../src/hierarchy/builders/rule.js';
import type { HierarchySpec } from '../../../src/hierarchy/builders/spec.js';
import { expectCloakError } from './hierarchy-checks.js';

const RUNS = Number(process.env.CLOAK_FC_RUNS ?? 100);
const missing = fc.constantFrom(undefined, { label: 'Unknown' });
/** Planning values (duplicates allowed, NA sometimes) and further values the planning data does not hold. */
interface Case {
  spec: HierarchySpec;
  planning: string[];
  unseen: string[];
}

const number = fc.oneof(
  fc.integer({ min: -300, max: 300 }).map(String),
  fc.tuple(fc.integer({ min: -300, max: 300 }), fc.integer({ min: 0, max: 99 })).map(([whole, cents]) => `${whole}.${String(cents).padStart(2, '0')}`),
);
const intervalCase: fc.Arbitrary<Case> = fc
  .record({
    width: fc.constantFrom(0.5, 1, 2.5, 5, 10),
    fanout: fc.array(fc.integer({ min: 2, max: 3 }), { maxLength: 2 }),
    bounds: fc.option(fc.tuple(fc.integer({ min: -100, max: 0 }), fc.integer({ min: 1, max: 100 }))),
    domain: fc.boolean(),
    missing,
  })
  .chain(({ width, fanout, bounds, domain, missing }) => {
    const spec: HierarchySpec = {
      type: 'interval',
      width,
      fanout,
      ...(bounds === null ? {} : { lower: bounds[0], upper: bounds[1] }),
      ...(domain ? { domain: { from: -301, to: 301 } } : {}),
      ...(missing === undefined ? {} : { missing }),
    };
    const values = missing === undefined ? number : fc.oneof(number, fc.constant('NA'));
    return fc.record({ spec: fc.constant(spec), planning: fc.array(values, { minLength: 1, maxLength: 30 }), unseen: fc.array(values, { maxLength: 20 }) });
  });

const code = fc.string({ unit: fc.constantFrom('0', '1', '7', 'A'), minLength: 1, maxLength: 6 });
const maskCase: fc.Arbitrary<Case> = fc
  .record({
    direction: fc.constantFrom('right-to-left' as const, 'left-to-right' as const),
    align: fc.constantFrom(undefined, 'left' as const, 'right' as const),
    padChar: fc.constantFrom(undefined, '0', ' '),
    missing,
  })
  .chain(({ direction, align, padChar, missing }) => {
    const spec: HierarchySpec = {
      type: 'mask',
      direction,
      ...(align === undefined ? {} : { align, ...(padChar === undefined ? {} : { padChar }) }),
      ...(missing === undefined ? {} : { missing }),
    };
    const values = missing === undefined ? code : fc.oneof(code, fc.constant(''));
    return fc.record({ spec: fc.constant(spec), planning: fc.array(values, { minLength: 1, maxLength: 30 }), unseen: fc.array(values, { maxLength: 20 }) });
  });

const date = fc
  .record({ year: fc.integer({ min: 1, max: 2999 }), month: fc.integer({ min: 1, max: 12 }), day: fc.integer({ min: 1, max: 28 }) })
  .map(({ year, month, day }) => `${String(year).padStart(4, '0')}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`);
const dateCase: fc.Arbitrary<Case> = fc.record({
  spec: fc.constantFrom<HierarchySpec>({ type: 'date' }, { type: 'date', chain: 'week' }),
  planning: fc.array(date, { minLength: 1, maxLength: 20 }),
  unseen: fc.array(date, { maxLength: 20 }),
});

/** A random nested mapping; the planning data holds some of its values, the rest are unseen. */
const groupCase: fc.Arbitrary<Case> = fc
  .uniqueArray(fc.string({ unit: fc.constantFrom('a', 'b', 'c', 'd'), minLength: 1, maxLength: 3 }), { minLength: 2, maxLength: 30 })
  .chain((values) => fc.tuple(fc.constant(values), fc.array(fc.array(fc.nat(), { minLength: values.length, maxLength: values.length }), { maxLength: 3 }), fc.subarray(values, { minLength: 1 }), missing))
  .map(([values, choices, planning, missing]) => {
    let groupOf = values.map((_, position) => position);
    const levels: GroupLevel[] = choices.map((choice, level) => {
      groupOf = groupOf.map((group) => choice[group] % Math.max(1, values.length >> (level + 1)));
      const mapping: GroupLevel = {};
      values.forEach((value, position) => (mapping[`L${level + 1}-${groupOf[position]}`] ??= []).push(value));
      return mapping;
    });
    return {
      spec: { type: 'group', levels, ...(missing === undefined ? {} : { missing }) } as HierarchySpec,
      planning: missing === undefined ? planning : [...planning, 'NA'],
      unseen: values.filter((value) => !planning.includes(value)),
    };
  });

const anyCase = fc.oneof(intervalCase, maskCase, dateCase, groupCase);

/** Each label of a level has one parent at the next level, across all rows. */
function expectNested(rows: string[][]): void {
  for (let level = 1; level < rows[0].length - 1; level++) {
    const parentOf = new Map<string, string>();
    for (const row of rows) {
      const known = parentOf.get(row[level]);
      if (known !== undefined) expect(row[level + 1]).toBe(known);
      parentOf.set(row[level], row[level + 1]);
    }
  }
}

describe('hierarchyRule and ruleLabels', () => {
  it('give every value of the built hierarchy exactly its built row, also after a JSON round trip', () => {
    fc.assert(
      fc.property(anyCase, ({ spec, planning }) => {
        const rows = buildHierarchy(spec, planning);
        const rule = hierarchyRule(spec, planning)!;
        const readBack = parseHierarchyRule(JSON.parse(JSON.stringify(rule)));
        expect(readBack).toEqual(rule);
        for (const row of rows) {
          expect(ruleLabels(rule, row[0])).toEqual(row);
          expect(ruleLabels(readBack, row[0])).toEqual(row);
        }
      }),
      { numRuns: RUNS },
    );
  });

  it('label values the planning data lacked with the same height, nested with the built rows', () => {
    fc.assert(
      fc.property(anyCase, ({ spec, planning, unseen }) => {
        const rows = buildHierarchy(spec, planning);
        const rule = hierarchyRule(spec, planning)!;
        const width = Math.max(...rows.filter(([value]) => value !== 'NA' && value !== '').map(([value]) => value.length));
        const extended = [...rows];
        for (const value of unseen) {
          const row = ruleLabels(rule, value);
          // Every value the builder's kind covers is covered: any number, date or listed value; a code that fits.
          const fits = spec.type !== 'mask' || Array.from(value).length <= width;
          const isMissing = value === 'NA' || value === '';
          if (isMissing) expect(row !== undefined).toBe(spec.missing !== undefined);
          else expect(row !== undefined).toBe(fits);
          if (row === undefined) continue;
          expect(row).toHaveLength(rows[0].length);
          expect(row[0]).toBe(value);
          expect(row[row.length - 1]).toBe('*');
          extended.push(row);
        }
        expectNested(extended);
      }),
      { numRuns: RUNS },
    );
  });

  it('cover what the planning batch lacked: any number, a group value it lists, a code of the fixed width', () => {
    const interval = hierarchyRule({ type: 'interval', width: 5, fanout: [2] }, ['23', '37'])!;
    expect(ruleLabels(interval, '88.5')).toEqual(['88.5', '[85, 90)', '[80, 90)', '*']);
    const group = hierarchyRule({ type: 'group', levels: [{ low: ['1', '2'], high: ['8', '9'] }] }, ['1', '8'])!;
    expect(ruleLabels(group, '9')).toEqual(['9', 'high', '*']);
    expect(ruleLabels(group, '5')).toBeUndefined();
    const mask = hierarchyRule({ type: 'mask' }, ['02139', '02140'])!;
    expect(mask).toEqual({ type: 'mask', direction: 'right-to-left', maskChar: '*', length: 5, levels: 4 });
    expect(ruleLabels(mask, '10001')).toEqual(['10001', '1000*', '100**', '10***', '1****', '*']);
    expect(ruleLabels(mask, '100010')).toBeUndefined();
    const date = hierarchyRule({ type: 'date' }, ['2024-01-31'])!;
    expect(date).toEqual({ type: 'date', chain: 'calendar', format: 'YYYY-MM-DD' });
    expect(ruleLabels(date, '1999-12-31')).toEqual(['1999-12-31', '1999-12', '1999-Q4', '1999', '1990s', '*']);
    expect(ruleLabels(date, '1999-02-30')).toBeUndefined();
  });

  it('keep a declared domain and missing label: values outside or unlabelled missing ones are not covered', () => {
    const rule = hierarchyRule({ type: 'interval', width: 10, domain: { from: 0, to: 120 }, missing: { label: 'Unknown' } }, ['30'])!;
    expect(ruleLabels(rule, '119.5')).toEqual(['119.5', '[110, 120)', '*']);
    expect(ruleLabels(rule, '121')).toBeUndefined();
    expect(ruleLabels(rule, 'NA')).toEqual(['NA', 'Unknown', '*']);
    expect(ruleLabels(hierarchyRule({ type: 'interval', width: 10 }, ['30'])!, 'NA')).toBeUndefined();
  });

  it('are undefined for specs whose labels depend on the whole data set', () => {
    expect(hierarchyRule({ type: 'frequency', threshold: 2 }, ['a', 'a', 'b'])).toBeUndefined();
    expect(hierarchyRule({ type: 'group', runSize: 2 }, ['1', '2', '3'])).toBeUndefined();
  });
});

describe('parseHierarchyRule', () => {
  it('lists every shape problem with its JSON path', () => {
    const error = expectCloakError(
      () => parseHierarchyRule({ type: 'mask', direction: 'right-to-left', length: '5', colour: 1, domain: [] }, { file: 'plan.json', path: '$.hierarchies.zip' }),
      'HIERARCHY_RULE_INVALID',
      { exitCode: 2 },
    );
    expect(error.problems).toEqual([
      '$.hierarchies.zip.length must be a number',
      '$.hierarchies.zip.colour is not a field of "mask" rules',
      '$.hierarchies.zip.domain must list at least one value',
      '$.hierarchies.zip.maskChar is required',
      '$.hierarchies.zip.levels is required',
    ]);
    expect(error.location).toEqual({ file: 'plan.json', path: '$.hierarchies.zip' });
  });

  it('refuses invalid parameters and kinds that are not rules', () => {
    const bad: unknown[] = [
      null,
      { type: 'frequency', threshold: 2 },
      { type: 'interval', width: 0 },
      { type: 'date', chain: 'lunar', format: 'YYYY-MM-DD' },
      { type: 'mask', direction: 'right-to-left', maskChar: '*', length: 3, levels: 4 },
      { type: 'group', levels: [{ A: ['a'], B: ['a'] }] },
    ];
    for (const raw of bad) expectCloakError(() => parseHierarchyRule(raw), 'HIERARCHY_RULE_INVALID', { exitCode: 2 });
  });

  it('accepts the rules hierarchyRule makes', () => {
    const rules: HierarchyRule[] = [
      hierarchyRule({ type: 'interval', width: 5, fanout: [2], lower: 0, upper: 90, domain: { from: 0, to: 120 } }, ['1'])!,
      hierarchyRule({ type: 'mask', align: 'right', padChar: '0', missing: { label: 'U' } }, ['1', '22'])!,
      hierarchyRule({ type: 'date', chain: 'week', format: 'DD.MM.YYYY' }, ['01.02.2024'])!,
      hierarchyRule({ type: 'group', levels: [{ A: ['a'], B: ['b'] }], domain: ['a', 'b'] }, ['a'])!,
    ];
    for (const rule of rules) expect(parseHierarchyRule(JSON.parse(JSON.stringify(rule)))).toEqual(rule);
  });
});
