// `mask`: the first and last characters kept, the others replaced one for one, by code point.

import { describe, expect, it } from 'vitest';
import { maskValues } from '../../src/pseudonymize/mask.js';

describe('maskValues', () => {
  it('keeps the last or first characters and replaces the others', () => {
    expect(maskValues(['4111111111111234'], { keepFirst: 0, keepLast: 4, char: '*' })).toEqual(['************1234']);
    expect(maskValues(['4111111111111234'], { keepFirst: 6, keepLast: 4, char: '#' })).toEqual(['411111######1234']);
    expect(maskValues(['secret'], { keepFirst: 0, keepLast: 0, char: '•' })).toEqual(['••••••']);
  });

  it('counts code points, so a character outside the BMP is one character', () => {
    expect(maskValues(['a😀b😀c'], { keepFirst: 1, keepLast: 1, char: '*' })).toEqual(['a***c']);
    expect(maskValues(['abc'], { keepFirst: 0, keepLast: 1, char: '😀' })).toEqual(['😀😀c']);
  });

  it('leaves a value no longer than what is kept, and the empty value, as they are', () => {
    expect(maskValues(['123', ''], { keepFirst: 0, keepLast: 4, char: '*' })).toEqual(['123', '']);
  });
});
