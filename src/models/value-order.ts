// The order of a sensitive attribute's values for ordered-distance t-closeness, by the attribute's declared type.
// Numbers compare numerically, dates chronologically, strings by Unicode code point; ties fall back to code points.

import { inputError } from '../errors.js';
import { typedValue } from '../table/attribute-types.js';
import type { SensitiveAttribute } from './privacy-model.js';

export interface ValueOrder {
  /**
   * rankOfCode[dataCode]: 0-based position among the values present in the input. A code with no record (a value
   * new to a plan's distribution) takes the rank of the nearest present value below it, or 0 below them all.
   */
  readonly rankOfCode: Int32Array;
  /** codeAtRank[rank]: the code of the present value at each rank. */
  readonly codeAtRank: Int32Array;
}

/** ISO-8601 dates and zone-less date-times: fixed-width fields, so string order is chronological order. */
const ISO_LOCAL_DATE_TIME = /^\d{4}-\d{2}-\d{2}(?:T\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?)?$/;

export function orderValues(attribute: SensitiveAttribute): ValueOrder {
  const codes = Array.from({ length: attribute.dictionary.length }, (_, code) => code);
  const keys = sortKeys(attribute, codes);
  const byCodePoint = (a: number, b: number): number => compareCodePoints(attribute.dictionary[a], attribute.dictionary[b]);
  const compare =
    keys === undefined ? byCodePoint : (a: number, b: number): number => keys[a] - keys[b] || byCodePoint(a, b);
  codes.sort(compare);

  const rankOfCode = new Int32Array(attribute.dictionary.length);
  const present: number[] = [];
  for (const code of codes) {
    if (attribute.globalCounts[code] > 0) present.push(code);
    rankOfCode[code] = Math.max(0, present.length - 1);
  }
  return { rankOfCode, codeAtRank: Int32Array.from(present) };
}

/** Numeric sort keys by data code, or undefined when code-point order is the order itself. */
function sortKeys(attribute: SensitiveAttribute, codes: readonly number[]): Float64Array | undefined {
  const { type, dictionary } = attribute;
  if (type === 'string') return undefined;
  if (type === 'date' && attribute.format === undefined && codes.every((code) => ISO_LOCAL_DATE_TIME.test(dictionary[code]))) return undefined;
  const keys = new Float64Array(dictionary.length);
  const typed = { type, format: attribute.format };
  for (const code of codes) {
    // The same parser that validated the column against its declared type (and date format).
    const key = typedValue(dictionary[code], typed);
    if (Number.isNaN(key)) {
      throw inputError(
        'MODEL_VALUE_NOT_ORDERED',
        `ordered-distance t-closeness: a value of attribute "${attribute.name}" is not a valid ${type}`,
        { location: { column: attribute.name } },
      );
    }
    keys[code] = key;
  }
  return keys;
}

/** Compares by Unicode code point (plain `<` compares UTF-16 units, which misorders astral characters). */
export function compareCodePoints(a: string, b: string): number {
  let i = 0;
  let j = 0;
  while (i < a.length && j < b.length) {
    const pointA = a.codePointAt(i) as number;
    const pointB = b.codePointAt(j) as number;
    if (pointA !== pointB) return pointA - pointB;
    i += pointA > 0xffff ? 2 : 1;
    j += pointB > 0xffff ? 2 : 1;
  }
  return a.length - i - (b.length - j);
}
