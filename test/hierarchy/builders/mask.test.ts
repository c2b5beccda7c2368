// Tests of the masking builder: structure over random codes of equal and varying length, the
// padding rule, both directions, custom mask characters, and option errors.

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { buildMaskHierarchy, type MaskDirection } from '../../../src/hierarchy/builders/mask.js';
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

  it('rejects bad options and an empty domain', () => {
    for (const options of [{ maskChar: '' }, { maskChar: '**' }, { levels: 6 }, { levels: -1 }, { levels: 1.5 }, { direction: 'up' as MaskDirection }]) {
      expectCloakError(() => buildMaskHierarchy(['12345'], options), 'HIERARCHY_SPEC_INVALID', { exitCode: 2, secret: '12345' });
    }
    expectCloakError(() => buildMaskHierarchy([], {}), 'HIERARCHY_DOMAIN_EMPTY');
  });
});

function countOf(text: string, character: string): number {
  return text.split(character).length - 1;
}
