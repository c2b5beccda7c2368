// Tests of the masking builder: structure over random codes of equal and varying length, the
// padding rule, alignment with visible padding, both directions, custom mask characters, and option errors.

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { buildMaskHierarchy, type MaskAlign, type MaskDirection } from '../../../src/hierarchy/builders/mask.js';
import { expectCloakError, expectWellFormedHierarchy } from './hierarchy-checks.js';

const codes = fc.uniqueArray(fc.string({ unit: fc.constantFrom('0', '1', '2', '9', 'A'), minLength: 0, maxLength: 7 }), { minLength: 1, maxLength: 50 });

describe('buildMaskHierarchy', () => {
  it('is well formed for codes of varying length in both directions, keeping each value length', () => {
    fc.assert(
      fc.property(codes, fc.constantFrom<MaskDirection>('right-to-left', 'left-to-right'), fc.constantFrom('*', '#', 'x'), (values, direction, maskChar) => {
        const rows = buildMaskHierarchy(values, { direction, maskChar });
        expectWellFormedHierarchy(values, rows);
        for (const row of rows) {
          const value = row[0];
          row.slice(1, -1).forEach((label, offset) => {
            expect(label.length).toBe(value.length);
            // Positions still visible show the original characters; the hidden count only grows.
            for (let position = 0; position < value.length; position++) {
              if (label[position] !== maskChar) expect(label[position]).toBe(value[position]);
            }
            const previous = offset === 0 ? value : row[offset];
            expect(countOf(label, maskChar)).toBeGreaterThanOrEqual(countOf(previous, maskChar));
          });
        }
      }),
    );
  });

  it('masks five-digit ZIP codes one digit per level from the right', () => {
    expect(buildMaskHierarchy(['02139', '02140'], {})).toEqual([
      ['02139', '0213*', '021**', '02***', '0****', '*'],
      ['02140', '0214*', '021**', '02***', '0****', '*'],
    ]);
  });

  it('masks from the left and honours levels and the mask character', () => {
    expect(buildMaskHierarchy(['5551234'], { direction: 'left-to-right', maskChar: 'X', levels: 3 })).toEqual([['5551234', 'X551234', 'XX51234', 'XXX1234', '*']]);
    expect(buildMaskHierarchy(['12'], { levels: 2 })).toEqual([['12', '1*', '**', '*']]);
  });

  it('pads shorter values at the far end so a level masks the same aligned positions', () => {
    expect(buildMaskHierarchy(['12345', '123'], {})).toEqual([
      ['12345', '1234*', '123**', '12***', '1****', '*'],
      ['123', '123', '123', '12*', '1**', '*'],
    ]);
    expect(buildMaskHierarchy(['12345', '345'], { direction: 'left-to-right' })).toEqual([
      ['12345', '*2345', '**345', '***45', '****5', '*'],
      ['345', '345', '345', '*45', '**5', '*'],
    ]);
  });

  it('counts code points, not UTF-16 units', () => {
    expect(buildMaskHierarchy(['a😀b'], {})).toEqual([['a😀b', 'a😀*', 'a**', '*']]);
  });

  it('with align, pads every code to the longest length and masks the padded code, so lengths merge before *', () => {
    fc.assert(
      fc.property(codes, fc.constantFrom<MaskDirection>('right-to-left', 'left-to-right'), fc.constantFrom<MaskAlign>('left', 'right'), fc.constantFrom('*', '0', ' '), (values, direction, align, padChar) => {
        const rows = buildMaskHierarchy(values, { direction, align, padChar });
        expectWellFormedHierarchy(values, rows);
        const longest = Math.max(...values.map((value) => value.length));
        for (const row of rows) {
          const padded = align === 'left' ? row[0].padEnd(longest, padChar) : row[0].padStart(longest, padChar);
          row.slice(1, -1).forEach((label, offset) => {
            const hidden = offset + 1;
            expect(label).toBe(direction === 'right-to-left' ? padded.slice(0, longest - hidden) + '*'.repeat(hidden) : '*'.repeat(hidden) + padded.slice(hidden));
          });
        }
      }),
    );
  });

  it('aligns right with a padding character, as numeric codes of varying length need', () => {
    expect(buildMaskHierarchy(['7', '42', '105'], { align: 'right', padChar: '0' })).toEqual([
      ['7', '00*', '0**', '*'],
      ['42', '04*', '0**', '*'],
      ['105', '10*', '1**', '*'],
    ]);
    // Padding with the mask character (the default) reads as "any character": 123 meets 12345 at level 2.
    expect(buildMaskHierarchy(['12345', '123'], { align: 'left' })).toEqual([
      ['12345', '1234*', '123**', '12***', '1****', '*'],
      ['123', '123**', '123**', '12***', '1****', '*'],
    ]);
    // Unaligned, the same codes stay apart until *.
    expect(buildMaskHierarchy(['12345', '123'], {}).map((row) => row[2])).toEqual(['123**', '123']);
  });

  it('rejects bad options and an empty domain', () => {
    const bad = [
      { maskChar: '' },
      { maskChar: '**' },
      { levels: 6 },
      { levels: -1 },
      { levels: 1.5 },
      { direction: 'up' as MaskDirection },
      { align: 'centre' as MaskAlign },
      { padChar: '0' },
      { align: 'left' as MaskAlign, padChar: '00' },
    ];
    for (const options of bad) {
      expectCloakError(() => buildMaskHierarchy(['12345'], options), 'HIERARCHY_SPEC_INVALID', { exitCode: 2, secret: '12345' });
    }
    expectCloakError(() => buildMaskHierarchy([], {}), 'HIERARCHY_DOMAIN_EMPTY');
  });
});

function countOf(text: string, character: string): number {
  return text.split(character).length - 1;
}
