// Tests of the date builder: both chains over random dates checked against an independent ISO week
// computation, custom formats, leap years, and invalid dates reported by position only.

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { buildDateHierarchy } from '../../../src/hierarchy/builders/date.js';
import { expectCloakError, expectWellFormedHierarchy } from './hierarchy-checks.js';

const DAY_MS = 86_400_000;

/** ISO dates between 1900 and 2100, as `YYYY-MM-DD` via Date, which is reliable in that range. */
const isoDates = fc
  .uniqueArray(fc.integer({ min: Date.UTC(1900, 0, 1) / DAY_MS, max: Date.UTC(2100, 11, 31) / DAY_MS }), { minLength: 1, maxLength: 60 })
  .map((days) => days.map((day) => new Date(day * DAY_MS).toISOString().slice(0, 10)));

/** Reference ISO week: the week-year is the year of the week's Thursday, counted from its first Thursday. */
function referenceIsoWeek(iso: string): string {
  const date = new Date(`${iso}T00:00:00Z`);
  const mondayBased = (date.getUTCDay() + 6) % 7;
  const thursday = new Date(date.getTime() + (3 - mondayBased) * DAY_MS);
  const weekYear = thursday.getUTCFullYear();
  const dayOfYear = (thursday.getTime() - Date.UTC(weekYear, 0, 1)) / DAY_MS;
  return `${weekYear}-W${String(Math.floor(dayOfYear / 7) + 1).padStart(2, '0')}`;
}

describe('buildDateHierarchy', () => {
  it('calendar chain: well formed with month, quarter, year and decade labels', () => {
    fc.assert(
      fc.property(isoDates, (values) => {
        const rows = buildDateHierarchy(values, {});
        expectWellFormedHierarchy(values, rows);
        for (const [value, month, quarter, year, decade] of rows) {
          expect(month).toBe(value.slice(0, 7));
          expect(quarter).toBe(`${value.slice(0, 4)}-Q${Math.ceil(Number(value.slice(5, 7)) / 3)}`);
          expect(year).toBe(value.slice(0, 4));
          expect(decade).toBe(`${value.slice(0, 3)}0s`);
        }
      }),
    );
  });

  it('week chain: well formed with ISO week, week-year and decade labels', () => {
    fc.assert(
      fc.property(isoDates, (values) => {
        const rows = buildDateHierarchy(values, { chain: 'week' });
        expectWellFormedHierarchy(values, rows);
        for (const [value, week, weekYear, decade] of rows) {
          expect(week).toBe(referenceIsoWeek(value));
          expect(weekYear).toBe(week.slice(0, 4));
          expect(decade).toBe(`${weekYear.slice(0, 3)}0s`);
        }
      }),
    );
  });

  it('assigns ISO weeks across year boundaries', () => {
    const weeks = (values: string[]) => buildDateHierarchy(values, { chain: 'week' }).map((row) => row[1]);
    expect(weeks(['2020-12-31', '2021-01-03', '2021-01-04', '2019-12-30', '2008-12-29', '2010-01-03', '0001-01-01'])).toEqual([
      '2020-W53',
      '2020-W53',
      '2021-W01',
      '2020-W01',
      '2009-W01',
      '2009-W53',
      '0001-W01',
    ]);
  });

  it('reads other formats and always labels in ISO', () => {
    expect(buildDateHierarchy(['31.12.1999'], { format: 'DD.MM.YYYY' })).toEqual([['31.12.1999', '1999-12', '1999-Q4', '1999', '1990s', '*']]);
    expect(buildDateHierarchy(['20240229'], { format: 'YYYYMMDD' })).toEqual([['20240229', '2024-02', '2024-Q1', '2024', '2020s', '*']]);
    expect(buildDateHierarchy(['07/04/1776'], { format: 'MM/DD/YYYY', chain: 'week' })).toEqual([['07/04/1776', '1776-W27', '1776', '1770s', '*']]);
  });

  it('names the position of an impossible or malformed date, never the value', () => {
    for (const bad of ['2023-02-30', '2023-02-29', '1900-02-29', '2023-13-01', '2023-00-10', '0000-01-01', '2023-2-3', '2023/02/03', 'yesterday']) {
      const error = expectCloakError(() => buildDateHierarchy(['2000-02-29', '2024-01-01', bad], {}, { column: 'visit' }), 'HIERARCHY_VALUE_INVALID', {
        exitCode: 3,
        secret: bad,
      });
      expect(error.message).toContain('index 2');
    }
  });

  it('rejects a format without each token exactly once, an unknown chain, and an empty domain', () => {
    for (const format of ['YYYY-MM', 'YYYY-MM-DD-DD', 'DD']) {
      expectCloakError(() => buildDateHierarchy(['2020-01-01'], { format }), 'HIERARCHY_SPEC_INVALID', { exitCode: 2 });
    }
    expectCloakError(() => buildDateHierarchy(['2020-01-01'], { chain: 'lunar' as 'week' }), 'HIERARCHY_SPEC_INVALID');
    expectCloakError(() => buildDateHierarchy([], {}), 'HIERARCHY_DOMAIN_EMPTY');
  });
});
