// `ff1` over text values: round trip for every alphabet and length, format kept (length, alphabet, other characters in
// place), determinism, key and domain separation, and the values it refuses.

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { NAMED_ALPHABETS, resolveAlphabet, type Alphabet } from '../../src/pseudonymize/alphabet.js';
import { FF1_MIN_DOMAIN, ff1Values, type Ff1ValueOptions } from '../../src/pseudonymize/ff1-values.js';

const RUNS = Number(process.env.CLOAK_FC_RUNS ?? 100);

const ALPHABETS = [...Object.keys(NAMED_ALPHABETS), '01', 'ACGT', '0123456789ABCDEF', 'äöüßéèêàç'];
const alphabetOf = (spec: string) => resolveAlphabet(spec) as Alphabet;

/** Values of one alphabet with other characters (dashes, spaces, letters outside it) mixed in. */
function valuesOf(alphabet: Alphabet): fc.Arbitrary<string[]> {
  const minimum = Math.ceil(Math.log(FF1_MIN_DOMAIN) / Math.log(alphabet.radix) - 1e-9);
  const inside = fc.constantFrom(...alphabet.characters);
  const outside = fc.constantFrom('-', ' ', '/', '.', '€').filter((character) => alphabet.numeralOf[character.charCodeAt(0)] < 0);
  const value = fc
    .tuple(fc.array(inside, { minLength: minimum, maxLength: minimum + 30 }), fc.array(fc.tuple(fc.nat(), outside), { maxLength: 4 }))
    .map(([characters, others]) => {
      const result = [...characters];
      for (const [position, character] of others) result.splice(position % (result.length + 1), 0, character);
      return result.join('');
    });
  return fc.uniqueArray(value, { minLength: 1, maxLength: 30 });
}

const job = fc.record({ spec: fc.constantFrom(...ALPHABETS), key: fc.uint8Array({ minLength: 32, maxLength: 32 }), domain: fc.string({ maxLength: 12 }) }).chain((settings) => {
  const alphabet = alphabetOf(settings.spec);
  return valuesOf(alphabet).map((values) => ({ ...settings, alphabet, values }));
});

const options = (alphabet: Alphabet, domain: string, other: 'keep' | 'error' = 'keep'): Ff1ValueOptions => ({ alphabet, tweak: Buffer.from(domain, 'utf8'), other });

describe('ff1Values', () => {
  it('decrypts what it encrypted, for every alphabet and length, other characters included', () => {
    fc.assert(
      fc.property(job, ({ alphabet, key, domain, values }) => {
        const encrypted = ff1Values(key, values, options(alphabet, domain), 'encrypt') as string[];
        expect(ff1Values(key, encrypted, options(alphabet, domain), 'decrypt')).toEqual(values);
      }),
      { seed: 2001, numRuns: RUNS },
    );
  });

  it('keeps the format: the length, alphabet characters where they were, every other character in place', () => {
    fc.assert(
      fc.property(job, ({ alphabet, key, domain, values }) => {
        const encrypted = ff1Values(key, values, options(alphabet, domain), 'encrypt') as string[];
        encrypted.forEach((output, v) => {
          expect(output.length).toBe(values[v].length);
          for (let i = 0; i < output.length; i++) {
            const inAlphabet = alphabet.numeralOf[values[v].charCodeAt(i)] >= 0;
            if (inAlphabet) expect(alphabet.numeralOf[output.charCodeAt(i)]).toBeGreaterThanOrEqual(0);
            else expect(output[i]).toBe(values[v][i]);
          }
        });
      }),
      { seed: 2002, numRuns: RUNS },
    );
  });

  it('is deterministic, a permutation of the values, and depends on key and domain', () => {
    fc.assert(
      fc.property(job, fc.uint8Array({ minLength: 32, maxLength: 32 }), ({ alphabet, key, domain, values }, otherKey) => {
        fc.pre(Buffer.compare(Buffer.from(key), Buffer.from(otherKey)) !== 0);
        const once = ff1Values(key, values, options(alphabet, domain), 'encrypt') as string[];
        // Values in another order, alone or in other company, get the same ciphertexts.
        const reversed = ff1Values(key, [...values].reverse(), options(alphabet, domain), 'encrypt') as string[];
        expect(reversed.reverse()).toEqual(once);
        expect(new Set(once).size).toBe(values.length);
        // With the smallest domain (10^6 values of 6 digits) a collision between keys has a chance of 10^-6 per value;
        // the whole column differing is what is asserted.
        const otherKeyed = ff1Values(otherKey, values, options(alphabet, domain), 'encrypt') as string[];
        expect(otherKeyed).not.toEqual(once);
        const otherDomain = ff1Values(key, values, options(alphabet, `${domain}x`), 'encrypt') as string[];
        expect(otherDomain).not.toEqual(once);
      }),
      { seed: 2003, numRuns: RUNS },
    );
  });

  it('leaves the empty value empty', () => {
    expect(ff1Values(new Uint8Array(16), ['', '123456'], options(alphabetOf('digits'), 'd'), 'encrypt')).toEqual(['', expect.stringMatching(/^\d{6}$/)]);
  });

  it('refuses a value with a character outside the alphabet under other=error, naming its index only', () => {
    const result = ff1Values(new Uint8Array(16), ['1234567', '123-4567'], options(alphabetOf('digits'), 'd', 'error'), 'encrypt');
    expect(result).toEqual({ index: 1, reason: 'outside-alphabet' });
  });

  it('refuses a value whose alphabet characters make fewer than 10^6 combinations (other characters do not count)', () => {
    const digits = options(alphabetOf('digits'), 'd');
    expect(ff1Values(new Uint8Array(16), ['123456', '12-345'], digits, 'encrypt')).toEqual({ index: 1, reason: 'too-short' });
    expect(ff1Values(new Uint8Array(16), ['---'], digits, 'encrypt')).toEqual({ index: 0, reason: 'too-short' });
    // 36^4 = 1,679,616 is enough, 36^3 is not.
    const base36 = options(alphabetOf('lower-alnum'), 'd');
    expect(Array.isArray(ff1Values(new Uint8Array(16), ['ab12'], base36, 'encrypt'))).toBe(true);
    expect(ff1Values(new Uint8Array(16), ['ab1'], base36, 'encrypt')).toEqual({ index: 0, reason: 'too-short' });
  });
});

describe('resolveAlphabet', () => {
  it('knows the named alphabets and explicit ones in radix order', () => {
    expect(alphabetOf('digits').radix).toBe(10);
    expect(alphabetOf('lower-alnum').characters).toBe('0123456789abcdefghijklmnopqrstuvwxyz');
    expect(alphabetOf('alnum').radix).toBe(62);
    expect(alphabetOf('ACGT').numeralOf['G'.charCodeAt(0)]).toBe(2);
  });

  it('refuses alphabets FF1 cannot use', () => {
    expect(resolveAlphabet('a')).toHaveProperty('problem');
    expect(resolveAlphabet('abca')).toEqual({ problem: 'repeats a character (position 4)' });
    expect(resolveAlphabet('ab😀')).toHaveProperty('problem');
  });
});
