// Date builder: calendar dates generalized along day → month → quarter → year → decade → `*`,
// or along day → ISO week → ISO week-year → decade → `*`, from ISO or a YYYY/MM/DD pattern.

import { distinctValues, type HierarchyDomain } from './domain.js';
import { invalidSpec, type BuildContext } from './failures.js';
import { labelRows, type Labeler } from './labeler.js';

const BUILDER = 'Date';

export type DateChain = 'calendar' | 'week';

export interface DateOptions {
  /** `calendar` (month, quarter, year, decade) or `week` (ISO week, ISO week-year, decade); default `calendar`. */
  chain?: DateChain;
  /**
   * How values are written, from the tokens `YYYY`, `MM`, `DD` (each exactly once, zero-padded)
   * and any literal separators; default `YYYY-MM-DD`. Labels are ISO whatever the input format.
   */
  format?: string;
}

interface CalendarDate {
  year: number;
  month: number;
  day: number;
}

/**
 * Builds `[value, …labels, *]` for each distinct value. Labels look like `2023-02`, `2023-Q1`,
 * `2023`, `2020s` (calendar) or `2023-W05`, `2023`, `2020s` (week, where the year is the ISO
 * week-year, which differs from the calendar year around New Year).
 */
export function buildDateHierarchy(values: HierarchyDomain, options: DateOptions, context?: BuildContext): string[][] {
  return labelRows(distinctValues(values, BUILDER, context), dateLabeler(options, context), BUILDER, context);
}

/** The labels of any date written in the options' format; the options are validated once, here. */
export function dateLabeler(options: DateOptions, context?: BuildContext): Labeler {
  const chain = options.chain ?? 'calendar';
  if (chain !== 'calendar' && chain !== 'week') throw invalidSpec(BUILDER, context, 'chain must be "calendar" or "week"');
  const format = options.format ?? 'YYYY-MM-DD';
  const parse = compileFormat(format, context);
  const labelsOf = (value: string): readonly string[] | string => {
    const date = parse(value.trim());
    if (date === undefined) return `does not match the date format ${format}`;
    if (!isCalendarDate(date)) return 'is not a calendar date (month or day out of range)';
    return chain === 'calendar' ? calendarLabels(date) : weekLabels(date);
  };
  // Month, quarter, year, decade; or ISO week, ISO week-year, decade.
  return { height: chain === 'calendar' ? 4 : 3, labelsOf };
}

/** Turns a format such as `DD.MM.YYYY` into a parser; every token must occur exactly once. */
function compileFormat(format: string, context: BuildContext | undefined): (text: string) => CalendarDate | undefined {
  if (typeof format !== 'string') throw invalidSpec(BUILDER, context, 'format must be a string');
  const order: Array<keyof CalendarDate> = [];
  let pattern = '';
  for (const piece of format.split(/(YYYY|MM|DD)/)) {
    if (piece === 'YYYY' || piece === 'MM' || piece === 'DD') {
      order.push(piece === 'YYYY' ? 'year' : piece === 'MM' ? 'month' : 'day');
      pattern += piece === 'YYYY' ? '(\\d{4})' : '(\\d{2})';
    } else {
      pattern += piece.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
    }
  }
  const complete = ['year', 'month', 'day'].every((part) => order.filter((seen) => seen === part).length === 1);
  if (!complete) throw invalidSpec(BUILDER, context, 'format must contain each of YYYY, MM and DD exactly once');
  const matcher = new RegExp(`^${pattern}$`);
  return (text) => {
    const match = matcher.exec(text);
    if (match === null) return undefined;
    const date: CalendarDate = { year: 0, month: 0, day: 0 };
    order.forEach((part, position) => (date[part] = Number(match[position + 1])));
    return date;
  };
}

function isLeapYear(year: number): boolean {
  return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
}

function daysInMonth(year: number, month: number): number {
  if (month === 2) return isLeapYear(year) ? 29 : 28;
  return [4, 6, 9, 11].includes(month) ? 30 : 31;
}

/** Year 0000 is refused: ISO 8601 allows it only by mutual agreement, and no data set means it. */
function isCalendarDate({ year, month, day }: CalendarDate): boolean {
  return year >= 1 && month >= 1 && month <= 12 && day >= 1 && day <= daysInMonth(year, month);
}

function pad(number: number, width: number): string {
  return String(number).padStart(width, '0');
}

function decadeLabel(year: number): string {
  return `${pad(Math.floor(year / 10) * 10, 4)}s`;
}

function calendarLabels({ year, month }: CalendarDate): string[] {
  const quarter = Math.floor((month - 1) / 3) + 1;
  return [`${pad(year, 4)}-${pad(month, 2)}`, `${pad(year, 4)}-Q${quarter}`, pad(year, 4), decadeLabel(year)];
}

function weekLabels(date: CalendarDate): string[] {
  const { weekYear, week } = isoWeek(date);
  return [`${pad(weekYear, 4)}-W${pad(week, 2)}`, pad(weekYear, 4), decadeLabel(weekYear)];
}

/**
 * Days since 1970-01-01 in the proleptic Gregorian calendar, by plain arithmetic: JavaScript's
 * Date maps years 0–99 to 1900–1999, which would corrupt early dates.
 */
function dayNumber({ year, month, day }: CalendarDate): number {
  const shiftedYear = month <= 2 ? year - 1 : year;
  const era = Math.floor(shiftedYear / 400);
  const yearOfEra = shiftedYear - era * 400;
  const dayOfYear = Math.floor((153 * (month + (month > 2 ? -3 : 9)) + 2) / 5) + day - 1;
  const dayOfEra = yearOfEra * 365 + Math.floor(yearOfEra / 4) - Math.floor(yearOfEra / 100) + dayOfYear;
  return era * 146097 + dayOfEra - 719468;
}

/** ISO 8601 week: weeks start on Monday and belong to the year that holds their Thursday. */
function isoWeek(date: CalendarDate): { weekYear: number; week: number } {
  const days = dayNumber(date);
  const isoWeekday = ((((days + 3) % 7) + 7) % 7) + 1;
  const thursday = days - isoWeekday + 4;
  const thursdayYear = date.month === 1 && thursday < dayNumber({ year: date.year, month: 1, day: 1 })
    ? date.year - 1
    : date.month === 12 && thursday >= dayNumber({ year: date.year + 1, month: 1, day: 1 })
      ? date.year + 1
      : date.year;
  const week = Math.floor((thursday - dayNumber({ year: thursdayYear, month: 1, day: 1 })) / 7) + 1;
  return { weekYear: thursdayYear, week };
}
