// `shift-dates`: every date of a subject moves by the same keyed offset in [−days, +days], so the intervals within
// one subject's records survive; the offset is HMAC-SHA-256(key, domain ‖ 0x00 ‖ subject) reduced to that range.

import { typedValue } from '../table/attribute-types.js';
import type { EncodedColumn } from '../table/encoded-table.js';
import { domainPrefix } from './hmac-tokens.js';
import { hmacSha256Many } from './hmac-sha256-many.js';

export interface ShiftDatesOptions {
  /** Largest shift in days, either way. */
  readonly days: number;
  /** Key separation: columns shifted under the same domain (by default the subject column's name) move together. */
  readonly domain: string;
  /** Date format with YYYY, MM and DD, read and written. */
  readonly format: string;
}

/** A row whose date cannot be shifted: not a date in the format, or shifted beyond year 0–9999. */
export interface ShiftDatesProblem {
  readonly row: number;
  readonly reason: 'not-a-date' | 'out-of-range';
}

const DAY_MS = 86_400_000;

/** The offset in days of every subject value, in order. */
export function subjectOffsets(key: Uint8Array, subjects: readonly string[], options: Pick<ShiftDatesOptions, 'days' | 'domain'>): Int32Array {
  const digests = hmacSha256Many(key, domainPrefix(options.domain), subjects);
  const span = 2 * options.days + 1;
  const offsets = new Int32Array(subjects.length);
  for (let s = 0; s < subjects.length; s++) {
    // The digest's first 48 bits as a number: reducing them modulo a span of at most a few thousand is unbiased
    // to within 2^-36.
    const high = digests[s * 8] >>> 0;
    const low = digests[s * 8 + 1] >>> 16;
    offsets[s] = ((high * 65536 + low) % span) - options.days;
  }
  return offsets;
}

/** The dates of `dates` shifted by their row's subject offset; an empty cell stays empty. */
export function shiftDates(key: Uint8Array, dates: EncodedColumn, subjects: EncodedColumn, options: ShiftDatesOptions): EncodedColumn | ShiftDatesProblem {
  const offsets = subjectOffsets(key, subjects.dictionary, options);
  const typed = { type: 'date', format: options.format } as const;
  const times = dates.dictionary.map((value) => (value === '' ? NaN : typedValue(value, typed)));
  const codeOf = new Map<number, number>();
  const dictionary: string[] = [];
  const codes = new Int32Array(dates.codes.length);
  let emptyCode = -1;
  for (let row = 0; row < codes.length; row++) {
    const dateCode = dates.codes[row];
    const time = times[dateCode];
    if (Number.isNaN(time)) {
      if (dates.dictionary[dateCode] !== '') return { row, reason: 'not-a-date' };
      if (emptyCode === -1) emptyCode = dictionary.push('') - 1;
      codes[row] = emptyCode;
      continue;
    }
    const shifted = time + offsets[subjects.codes[row]] * DAY_MS;
    let code = codeOf.get(shifted);
    if (code === undefined) {
      const text = formatDate(shifted, options.format);
      if (text === undefined) return { row, reason: 'out-of-range' };
      code = dictionary.push(text) - 1;
      codeOf.set(shifted, code);
    }
    codes[row] = code;
  }
  return { name: dates.name, codes, dictionary };
}

/** The date at `time` (UTC midnight) in `format`, or undefined beyond what YYYY can write. */
function formatDate(time: number, format: string): string | undefined {
  const date = new Date(time);
  const year = date.getUTCFullYear();
  if (year < 0 || year > 9999) return undefined;
  const parts: Record<string, string> = {
    YYYY: String(year).padStart(4, '0'),
    MM: String(date.getUTCMonth() + 1).padStart(2, '0'),
    DD: String(date.getUTCDate()).padStart(2, '0'),
  };
  let text = '';
  for (let i = 0; i < format.length; ) {
    const token = ['YYYY', 'MM', 'DD'].find((candidate) => format.startsWith(candidate, i));
    if (token === undefined) text += format[i++];
    else {
      text += parts[token];
      i += token.length;
    }
  }
  return text;
}
