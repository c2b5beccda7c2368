// Tests of the interval builder: structural properties over random numeric domains, containment of
// every value in its labelled range, exact decimal bounds, coding labels, and option/value errors.

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { buildIntervalHierarchy, type IntervalOptions } from '../../../src/hierarchy/builders/interval.js';
import { expectCloakError, expectWellFormedHierarchy } from './hierarchy-checks.js';

/** Checks a label against the number it generalizes: a range `[a, b)` containing it, or a coding label. */
function expectLabelContains(label: string, value: number, options: IntervalOptions): void {
  if (label.startsWith('<')) {
    expect(Number(label.slice(1))).toBe(options.lower);
    expect(value).toBeLessThan(options.lower!);
    return;
  }
  if (label.startsWith('≥')) {
    expect(Number(label.slice(1))).toBe(options.upper);
    expect(value).toBeGreaterThanOrEqual(options.upper!);
    return;
  }
  const match = /^\[(-?[\d.]+), (-?[\d.]+)\)$/.exec(label);
  expect(match).not.toBeNull();
  const [start, end] = [Number(match![1]), Number(match![2])];
  expect(start).toBeLessThanOrEqual(value);
  expect(value).toBeLessThan(end);
}

const optionsArbitrary = fc
  .record({
    width: fc.integer({ min: 1, max: 40 }),
    fanout: fc.array(fc.integer({ min: 2, max: 4 }), { maxLength: 3 }),
    bounds: fc.option(fc.tuple(fc.integer({ min: -500, max: 500 }), fc.integer({ min: 1, max: 800 }))),
    origin: fc.option(fc.integer({ min: -50, max: 50 })),
  })
  .map(({ width, fanout, bounds, origin }): IntervalOptions => ({
    width,
    fanout,
    ...(bounds === null ? {} : { lower: bounds[0], upper: bounds[0] + bounds[1] }),
    ...(origin === null ? {} : { origin }),
  }));

describe('buildIntervalHierarchy', () => {
  it('is well formed and every integer lies in its range at every level', () => {
    fc.assert(
      fc.property(fc.uniqueArray(fc.integer({ min: -1000, max: 1000 }), { minLength: 1, maxLength: 60 }), optionsArbitrary, (numbers, options) => {
        const values = numbers.map(String);
        const rows = buildIntervalHierarchy(values, options);
        expectWellFormedHierarchy(values, rows);
        expect(rows[0].length).toBe(2 + 1 + options.fanout!.length);
        for (const row of rows) {
          for (const label of row.slice(1, -1)) expectLabelContains(label, Number(row[0]), options);
        }
      }),
    );
  });

  it('keeps decimal bounds exact for decimal widths and values', () => {
    fc.assert(
      fc.property(
        fc.uniqueArray(fc.integer({ min: -5000, max: 5000 }), { minLength: 1, maxLength: 40 }),
        fc.constantFrom(0.1, 0.25, 0.05, 1.5, 0.3),
        fc.array(fc.integer({ min: 2, max: 3 }), { maxLength: 2 }),
        (hundredths, width, fanout) => {
          const values = hundredths.map((n) => (n / 100).toFixed(2));
          const rows = buildIntervalHierarchy(values, { width, fanout });
          expectWellFormedHierarchy(values, rows);
          for (const row of rows) {
            for (const label of row.slice(1, -1)) {
              expect(label).toMatch(/^\[-?\d+(\.\d{1,4})?, -?\d+(\.\d{1,4})?\)$/);
              expectLabelContains(label, Number(row[0]), { width });
            }
          }
        },
      ),
    );
  });

  it('labels ranges without float drift', () => {
    const values = Array.from({ length: 11 }, (_, tenth) => (tenth / 10).toFixed(1));
    const rows = buildIntervalHierarchy(values, { width: 0.1, fanout: [3] });
    expect(rows.find((row) => row[0] === '0.3')).toEqual(['0.3', '[0.3, 0.4)', '[0.3, 0.6)', '*']);
    expect(rows.find((row) => row[0] === '0.7')).toEqual(['0.7', '[0.7, 0.8)', '[0.6, 0.9)', '*']);
  });

  it('bottom- and top-codes values outside [lower, upper) and clips the ranges to it', () => {
    const rows = buildIntervalHierarchy(['5', '18', '19', '47', '89', '90', '120'], { width: 5, fanout: [2, 2], lower: 18, upper: 90 });
    expect(rows).toEqual([
      ['5', '<18', '<18', '<18', '*'],
      ['18', '[18, 23)', '[18, 28)', '[18, 38)', '*'],
      ['19', '[18, 23)', '[18, 28)', '[18, 38)', '*'],
      ['47', '[43, 48)', '[38, 48)', '[38, 58)', '*'],
      ['89', '[88, 90)', '[88, 90)', '[78, 90)', '*'],
      ['90', '≥90', '≥90', '≥90', '*'],
      ['120', '≥90', '≥90', '≥90', '*'],
    ]);
  });

  it('anchors the grid at origin and clips the first range at lower', () => {
    const rows = buildIntervalHierarchy(['18', '21'], { width: 5, origin: 0, lower: 18 });
    expect(rows).toEqual([
      ['18', '[18, 20)', '*'],
      ['21', '[20, 25)', '*'],
    ]);
  });

  it('handles negative numbers, exponent notation, surrounding blanks and duplicates', () => {
    const rows = buildIntervalHierarchy(['-7', '1e1', ' 3 ', '-7'], { width: 5 });
    expect(rows).toEqual([
      ['-7', '[-10, -5)', '*'],
      ['1e1', '[10, 15)', '*'],
      [' 3 ', '[0, 5)', '*'],
    ]);
  });

  it('names the position of a non-numeric value, never the value', () => {
    for (const bad of ['abc', 'NaN', 'Infinity', '0x10', '', '1e400']) {
      const error = expectCloakError(() => buildIntervalHierarchy(['1', '2', bad], { width: 5 }, { column: 'age' }), 'HIERARCHY_VALUE_INVALID', {
        exitCode: 3,
        secret: bad === '' ? undefined : bad,
      });
      expect(error.message).toContain('index 2');
      expect(error.message).toContain('"age"');
    }
  });

  it('rejects bad options with a usage error', () => {
    const invalid: IntervalOptions[] = [
      { width: 0 },
      { width: -1 },
      { width: Number.NaN },
      { width: Number.POSITIVE_INFINITY },
      { width: 5, fanout: [1] },
      { width: 5, fanout: [2.5] },
      { width: 5, lower: 10, upper: 10 },
      { width: 5, upper: Number.NaN },
      { width: 1e308, fanout: [10] },
    ];
    for (const options of invalid) expectCloakError(() => buildIntervalHierarchy(['1'], options), 'HIERARCHY_SPEC_INVALID', { exitCode: 2 });
  });

  it('rejects an empty domain', () => {
    expectCloakError(() => buildIntervalHierarchy([], { width: 5 }), 'HIERARCHY_DOMAIN_EMPTY', { exitCode: 3 });
  });

  it('refuses a range whose bound would overflow a double', () => {
    expectCloakError(() => buildIntervalHierarchy(['1.7976931348623157e308'], { width: 1e308 }), 'HIERARCHY_VALUE_INVALID');
  });
});
