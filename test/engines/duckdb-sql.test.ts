// DuckDB's quoting and the class keys, checked by DuckDB itself: any string survives as a literal and as a column name,
// and the SQL class key equals Cloak's for any codes, packed or joined.

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { classKeyExpression, duckDbIdentifier, duckDbString } from '../../src/engines/duckdb.js';
import { classKey } from '../../src/engines/engine.js';
import { duckdb } from './helpers.js';

/** Strings without NUL (which DuckDB cannot hold in a literal; refused with an error of its own). */
const text = fc.string({ unit: fc.constantFrom('a', "'", '"', '\\', ',', ';', '\n', '\t', ' ', 'é', '😀', '$', '--', '/*', 'x') , maxLength: 12 });

describe('duckdb quoting', () => {
  it('reads every string back from its literal and its identifier', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(text, { minLength: 1, maxLength: 8 }), async (values) => {
        const names = values.map((value, index) => `${value}#${index}`);
        const rows = await duckdb(`SELECT ${values.map((value, index) => `${duckDbString(value)} AS ${duckDbIdentifier(names[index])}`).join(', ')}`);
        expect(rows[0]).toEqual(values);
        const described = await duckdb(`DESCRIBE SELECT ${values.map((value, index) => `${duckDbString(value)} AS ${duckDbIdentifier(names[index])}`).join(', ')}`);
        expect(described.map((row) => row[0])).toEqual(names);
      }),
      { numRuns: 40, seed: 7 },
    );
  });

  it('refuses NUL instead of cutting a literal short', () => {
    expect(() => duckDbString('a\u0000b')).toThrow(/NUL/);
    expect(() => duckDbIdentifier('a\u0000b')).toThrow(/NUL/);
  });
});

describe('class keys in DuckDB', () => {
  it('computes the key Cloak computes, packed when the key space fits 2^53 and joined otherwise', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.integer({ min: 1, max: 2 ** 20 }), { minLength: 1, maxLength: 5 }).chain((radices) => fc.tuple(fc.constant(radices), fc.tuple(...radices.map((radix) => fc.integer({ min: 0, max: radix - 1 }))))),
        async ([radices, codes]) => {
          const expression = classKeyExpression(radices.map((radix, j) => ({ codes: `CAST(${codes[j]} AS INTEGER)`, radix })));
          const [[key]] = await duckdb(`SELECT CAST(${expression} AS VARCHAR)`);
          expect(key).toBe(classKey(codes, radices));
        },
      ),
      { numRuns: 60, seed: 11 },
    );
  });
});
