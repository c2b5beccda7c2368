// `shift-dates`: one offset per subject within [−days, +days], intervals within a subject kept, the declared format
// read and written, empty cells kept, and the rows it refuses.

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { shiftDates, subjectOffsets, type ShiftDatesOptions } from '../../src/pseudonymize/shift-dates.js';
import { encodeRows, type EncodedColumn } from '../../src/table/encoded-table.js';

const RUNS = Number(process.env.CLOAK_FC_RUNS ?? 100);
const DAY = 86_400_000;

const iso = (time: number) => new Date(time).toISOString().slice(0, 10);
const timeOf = (text: string) => Date.parse(`${text}T00:00:00Z`);

/** Rows (subject, date) as two encoded columns. */
function columns(rows: readonly (readonly [string, string])[]): { dates: EncodedColumn; subjects: EncodedColumn } {
  const table = encodeRows(['subject', 'date'], rows);
  return { subjects: table.columns[0], dates: table.columns[1] };
}

const decoded = (column: EncodedColumn) => Array.from(column.codes, (code) => column.dictionary[code]);

const rowsArbitrary = fc.array(
  fc.tuple(
    fc.constantFrom('p1', 'p2', 'p3', 'p4', 'p5', ''),
    fc.integer({ min: timeOf('1900-01-01') / DAY, max: timeOf('2099-12-31') / DAY }).map((day) => iso(day * DAY)),
  ),
  { minLength: 1, maxLength: 60 },
);

describe('shiftDates', () => {
  it('moves all dates of a subject by one offset within ±days, so intervals within a subject are kept', () => {
    fc.assert(
      fc.property(rowsArbitrary, fc.uint8Array({ minLength: 16, maxLength: 32 }), fc.integer({ min: 1, max: 400 }), (rows, key, days) => {
        const { dates, subjects } = columns(rows);
        const shifted = shiftDates(key, dates, subjects, { days, domain: 'patient', format: 'YYYY-MM-DD' }) as EncodedColumn;
        const output = decoded(shifted);
        const offsetOf = new Map<string, number>();
        rows.forEach(([subject, date], row) => {
          const offset = (timeOf(output[row]) - timeOf(date)) / DAY;
          expect(Math.abs(offset)).toBeLessThanOrEqual(days);
          expect(offset).toBe(offsetOf.get(subject) ?? offset);
          offsetOf.set(subject, offset);
        });
        expect(new Set(shifted.dictionary).size).toBe(shifted.dictionary.length);
      }),
      { seed: 2020, numRuns: RUNS },
    );
  });

  it('gives the same subject the same offset in every run and column of one domain, another in another domain', () => {
    const key = Buffer.alloc(32, 5);
    const subjects = Array.from({ length: 200 }, (_, i) => `patient ${i}`);
    const once = subjectOffsets(key, subjects, { days: 30, domain: 'patient_id' });
    expect(subjectOffsets(key, [...subjects].reverse(), { days: 30, domain: 'patient_id' }).reverse()).toEqual(once);
    expect(subjectOffsets(key, subjects, { days: 30, domain: 'visit' })).not.toEqual(once);
    // Offsets spread over the whole range: with 200 subjects and 61 offsets, both ends are reached.
    expect(Math.min(...once)).toBe(-30);
    expect(Math.max(...once)).toBe(30);
  });

  it('reads and writes the declared format and keeps empty cells empty', () => {
    const { dates, subjects } = columns([
      ['a', '31/12/1999'],
      ['a', ''],
      ['a', '01/01/2000'],
    ]);
    const options: ShiftDatesOptions = { days: 20, domain: 'd', format: 'DD/MM/YYYY' };
    const output = decoded(shiftDates(Buffer.alloc(16, 9), dates, subjects, options) as EncodedColumn);
    expect(output[1]).toBe('');
    const parse = (text: string) => Date.UTC(Number(text.slice(6)), Number(text.slice(3, 5)) - 1, Number(text.slice(0, 2)));
    expect(output[0]).toMatch(/^\d{2}\/\d{2}\/\d{4}$/);
    expect(parse(output[2]) - parse(output[0])).toBe(DAY);
  });

  it('refuses a value that is not a date in the format, and a shift beyond year 9999, naming the row', () => {
    const bad = columns([
      ['a', '2020-01-01'],
      ['b', '2020-13-01'],
    ]);
    expect(shiftDates(Buffer.alloc(16), bad.dates, bad.subjects, { days: 5, domain: 'd', format: 'YYYY-MM-DD' })).toEqual({ row: 1, reason: 'not-a-date' });
    const late = columns([['a', '9999-12-31']]);
    // Some key moves the date forward: find one, then the row is refused.
    const key = [...Array(64).keys()].map((seed) => Buffer.alloc(16, seed)).find((candidate) => subjectOffsets(candidate, ['a'], { days: 5, domain: 'd' })[0] > 0)!;
    expect(shiftDates(key, late.dates, late.subjects, { days: 5, domain: 'd', format: 'YYYY-MM-DD' })).toEqual({ row: 0, reason: 'out-of-range' });
  });
});
