// DuckDB's quoting and the class keys, checked by DuckDB itself: any string survives as a literal and as a column name,
// and the SQL class key equals Cloak's for any codes, packed or joined.

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { classKeyExpression, duckDbIdentifier, duckDbString, slotLevels, slotLookup } from '../../src/engines/duckdb.js';
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

describe('suppressed-class lookup in DuckDB', () => {
  it('finds exactly the members of any key set, however the keys collide', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.oneof(fc.nat(50), fc.nat(2 ** 40), fc.nat(1000).map((n) => n * 97)), { minLength: 1, maxLength: 200 }),
        fc.array(fc.nat(2 ** 40), { maxLength: 20 }),
        async (keys, others) => {
          const probes = [...new Set([...keys, ...others, 0, 1])];
          const rows = await duckdb(`SELECT cloak_probe, ${slotLookup('cloak_probe', keys)} FROM (SELECT unnest([${probes.join(',')}]::BIGINT[]) AS cloak_probe)`);
          const members = new Set(keys);
          for (const [probe, found] of rows) expect(found).toBe(members.has(Number(probe)));
        },
      ),
      { numRuns: 40, seed: 13 },
    );
  });

  it('keeps the levels few: each holds a good share of the keys left', () => {
    const keys = Array.from({ length: 20_000 }, (_, i) => i * 7919 + (i % 13));
    expect(slotLevels(keys).length).toBeLessThan(16);
  });
});

