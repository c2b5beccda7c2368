// `ff1` over text values: the characters of the alphabet become numerals, are encrypted (or decrypted) in batches of
// one length, and go back in place; other characters stay where they are, or make the value an error.

import type { Alphabet } from './alphabet.js';
import { decodeStrings } from './decode-strings.js';
import { ff1Many, type Ff1Direction } from './ff1.js';

export interface Ff1ValueOptions {
  readonly alphabet: Alphabet;
  readonly tweak: Uint8Array;
  /** `keep`: characters outside the alphabet stay in place; `error`: such a value is refused. */
  readonly other: 'keep' | 'error';
}

/** A value FF1 cannot take: its index among the values, and why (never the value). */
export interface Ff1ValueProblem {
  readonly index: number;
  readonly reason: 'outside-alphabet' | 'too-short';
}

/** SP 800-38G Rev. 1: radix^minlen ≥ 1,000,000. */
export const FF1_MIN_DOMAIN = 1_000_000;

/**
 * The encryption (or decryption) of every value, in order; the empty value stays empty. Returns the first problem
 * instead when a value has a character outside the alphabet (with `other: 'error'`) or too few numerals.
 */
export function ff1Values(key: Uint8Array, values: readonly string[], options: Ff1ValueOptions, direction: Ff1Direction): string[] | Ff1ValueProblem {
  const { numeralOf, radix, characters } = options.alphabet;
  // Pass 1: numerals per value, and the problems.
  const lengths = new Int32Array(values.length);
  const pure = new Uint8Array(values.length);
  let longest = 0;
  for (let v = 0; v < values.length; v++) {
    const value = values[v];
    let n = 0;
    for (let i = 0; i < value.length; i++) if (numeralOf[value.charCodeAt(i)] >= 0) n++;
    if (n !== value.length && options.other === 'error') return { index: v, reason: 'outside-alphabet' };
    if (value.length > 0 && radix ** n < FF1_MIN_DOMAIN) return { index: v, reason: 'too-short' };
    lengths[v] = n;
    pure[v] = n === value.length ? 1 : 0;
    if (n > longest) longest = n;
  }
  // Pass 2: values grouped by length (a counting sort), one batch per length.
  const perLength = new Int32Array(longest + 2);
  for (let v = 0; v < values.length; v++) perLength[lengths[v] + 1]++;
  for (let n = 1; n < perLength.length; n++) perLength[n] += perLength[n - 1];
  const order = new Int32Array(values.length);
  const cursor = perLength.slice();
  for (let v = 0; v < values.length; v++) order[cursor[lengths[v]]++] = v;
  const numerals = new Uint16Array(values.reduce((sum, value, v) => sum + lengths[v], 0));
  const numeralStart = new Int32Array(values.length);
  for (let position = 0, offset = 0; position < order.length; position++) {
    const v = order[position];
    numeralStart[v] = offset;
    const value = values[v];
    for (let i = 0; i < value.length; i++) {
      const numeral = numeralOf[value.charCodeAt(i)];
      if (numeral >= 0) numerals[offset++] = numeral;
    }
  }
  for (let n = 1; n <= longest; n++) {
    const first = perLength[n];
    const last = perLength[n + 1];
    if (last === first) continue;
    const start = numeralStart[order[first]];
    ff1Many(key, options.tweak, { radix, length: n, numerals: numerals.subarray(start, start + (last - first) * n) }, direction);
  }
  // Pass 3: the outputs, written as UTF-16 units and decoded in chunks.
  const ends = new Int32Array(values.length);
  let total = 0;
  for (let v = 0; v < values.length; v++) ends[v] = total += values[v].length;
  const units = new Uint16Array(total);
  const alphabetUnits = Uint16Array.from(characters, (character) => character.charCodeAt(0));
  for (let v = 0, out = 0; v < values.length; v++) {
    const value = values[v];
    let numeral = numeralStart[v];
    if (pure[v] === 1) {
      for (let i = 0; i < value.length; i++) units[out++] = alphabetUnits[numerals[numeral++]];
    } else {
      for (let i = 0; i < value.length; i++) {
        const unit = value.charCodeAt(i);
        units[out++] = numeralOf[unit] >= 0 ? alphabetUnits[numerals[numeral++]] : unit;
      }
    }
  }
  return decodeStrings(units, ends);
}
