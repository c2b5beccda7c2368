// The alphabets of `ff1`: the named ones (digits, lower-alnum, alnum) or explicit characters in radix order; a
// character's numeral is its position. One UTF-16 unit per character (surrogates are refused).

export interface Alphabet {
  /** How the transform named it: a name, or the characters themselves. */
  readonly name: string;
  readonly characters: string;
  readonly radix: number;
  /** numeralOf[unit] = position of the character in the alphabet, or −1. */
  readonly numeralOf: Int32Array;
}

const DIGITS = '0123456789';
const LOWER = 'abcdefghijklmnopqrstuvwxyz';

export const NAMED_ALPHABETS: Readonly<Record<string, string>> = {
  digits: DIGITS,
  'lower-alnum': DIGITS + LOWER,
  alnum: DIGITS + LOWER.toUpperCase() + LOWER,
};

/** FF1's radix is at most 2^16. */
const MAX_RADIX = 65536;

/** The alphabet a name or character list states, or the problem with it (no alphabet character is quoted). */
export function resolveAlphabet(spec: string): Alphabet | { problem: string } {
  const characters = Object.hasOwn(NAMED_ALPHABETS, spec) ? NAMED_ALPHABETS[spec] : spec;
  if (characters.length < 2) return { problem: `must be ${Object.keys(NAMED_ALPHABETS).join(', ')} or at least two characters` };
  if (characters.length > MAX_RADIX) return { problem: `has ${characters.length} characters; FF1 allows at most ${MAX_RADIX}` };
  const numeralOf = new Int32Array(65536).fill(-1);
  for (let i = 0; i < characters.length; i++) {
    const unit = characters.charCodeAt(i);
    if (unit >= 0xd800 && unit <= 0xdfff) return { problem: 'characters must be in the Basic Multilingual Plane (no surrogate pairs)' };
    if (numeralOf[unit] !== -1) return { problem: `repeats a character (position ${i + 1})` };
    numeralOf[unit] = i;
  }
  return { name: spec, characters, radix: characters.length, numeralOf };
}
