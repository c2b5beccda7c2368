import { describe, expect, it } from 'vitest';
import { ByteDictionary, decodeLenientUtf8, decodeStrictUtf8, fnv1a, FNV_OFFSET } from '../../src/io/byte-dictionary.js';

const bytes = (text: string) => new Uint8Array(Buffer.from(text));

describe('ByteDictionary', () => {
  it('gives equal bytes one code wherever they sit, and decodes each value once', () => {
    const dictionary = new ByteDictionary(decodeStrictUtf8);
    const line = bytes('ab,é,ab,x');
    const code = (start: number, end: number) => dictionary.codeOf(line, start, end, fnv1a(line, start, end));
    expect([code(0, 2), code(3, 5), code(6, 8), code(9, 10), code(3, 3)]).toEqual([0, 1, 0, 2, 3]);
    expect(dictionary.values).toEqual(['ab', 'é', 'x', '']);
  });

  it('gives the empty value one code, whether its hash comes from the scan’s start value or from fnv1a', () => {
    const dictionary = new ByteDictionary(decodeStrictUtf8);
    const line = bytes('a,,b,');
    expect([dictionary.codeOf(line, 2, 2, FNV_OFFSET), dictionary.codeOf(line, 0, 1, fnv1a(line, 0, 1)), dictionary.codeOf(line, 5, 5, fnv1a(line, 5, 5))]).toEqual([0, 1, 0]);
    expect(dictionary.values).toEqual(['', 'a']);
  });

  it('keeps codes through its growth (many values, long values)', () => {
    const dictionary = new ByteDictionary(decodeStrictUtf8);
    const values = Array.from({ length: 5000 }, (_, i) => `v${i}-${'y'.repeat(i % 50)}`);
    for (const value of values) {
      const encoded = bytes(value);
      dictionary.codeOf(encoded, 0, encoded.length, fnv1a(encoded, 0, encoded.length));
    }
    const again = bytes(values[4321]);
    expect(dictionary.codeOf(again, 0, again.length, fnv1a(again, 0, again.length))).toBe(4321);
    expect(dictionary.values).toEqual(values);
  });

  it('refuses invalid UTF-8 when strict, and replaces it as Buffer (and csv-parse) does when lenient', () => {
    const invalid = new Uint8Array([0x61, 0xff, 0xe2, 0x82, 0x62]);
    const hash = fnv1a(invalid, 0, invalid.length);
    expect(new ByteDictionary(decodeStrictUtf8).codeOf(invalid, 0, invalid.length, hash)).toBeUndefined();
    const lenient = new ByteDictionary(decodeLenientUtf8);
    expect(lenient.codeOf(invalid, 0, invalid.length, hash)).toBe(0);
    expect(lenient.values[0]).toBe(Buffer.from(invalid).toString('utf8'));
  });
});
