import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { tableFromArrays, tableFromIPC, tableToIPC, vectorFromArray, Dictionary, Utf8, Int32, makeTable, Type } from 'apache-arrow';
import { ARROW_TYPE_ID, fromArrowTable, fromRecords } from '../../src/table/arrow.js';
import { toArrowTable } from '../../src/table/to-arrow.js';
import { decodeRow, encodeRows } from '../../src/table/encoded-table.js';
import { CloakError } from '../../src/errors.js';

describe('Arrow conversion', () => {
  it('reads type ids that are those of Arrow\'s own enum', () => {
    expect(ARROW_TYPE_ID).toEqual({ dictionary: Type.Dictionary, utf8: Type.Utf8 });
  });

  it('exports dictionary-encoded Utf8 columns that share the codes, and reads them back unchanged', () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.constantFrom('a', 'b', 'é', ''), fc.string()), { minLength: 1, maxLength: 50 }), (rows) => {
        const table = encodeRows(['x', 'y'], rows);
        const arrow = toArrowTable(table);
        expect(arrow.numRows).toBe(rows.length);
        expect(arrow.schema.fields.map((f) => f.name)).toEqual(['x', 'y']);
        expect(arrow.schema.fields[0].type).toBeInstanceOf(Dictionary);
        expect(arrow.getChild('x')!.get(0)).toBe(rows[0][0]);
        // Through IPC and back: same values in the same order.
        const back = fromArrowTable(tableFromIPC(tableToIPC(arrow)));
        rows.forEach((row, r) => expect(decodeRow(back, r)).toEqual(row));
      }),
      { seed: 8, numRuns: 50 },
    );
  });

  it('keeps the codes of a dictionary column without re-hashing rows', () => {
    const table = encodeRows(['x'], [['p'], ['q'], ['p']]);
    const back = fromArrowTable(toArrowTable(table));
    expect(Array.from(back.columns[0].codes)).toEqual([0, 1, 0]);
    expect(back.columns[0].dictionary).toEqual(['p', 'q']);
  });

  it('merges the dictionaries of several record batches and reads non-dictionary and null cells', () => {
    const type = new Dictionary(new Utf8(), new Int32());
    const first = makeTable({ v: vectorFromArray(['a', 'b', 'a'], type) });
    const second = makeTable({ v: vectorFromArray(['b', 'c'], type) });
    const both = first.concat(second);
    const encoded = fromArrowTable(both);
    expect(Array.from({ length: 5 }, (_, r) => decodeRow(encoded, r)[0])).toEqual(['a', 'b', 'a', 'b', 'c']);
    const plain = fromArrowTable(tableFromArrays({ n: Int32Array.from([3, 1, 3]), s: ['x', null as unknown as string, 'y'] }));
    expect(decodeRow(plain, 0)).toEqual(['3', 'x']);
    expect(decodeRow(plain, 1)).toEqual(['1', '']);
  });

  it('encodes records and refuses records of a different shape', () => {
    const encoded = fromRecords([{ a: '1', b: 2 }, { a: '3', b: 4 }]);
    expect(decodeRow(encoded, 1)).toEqual(['3', '4']);
    expect(() => fromRecords([{ a: '1' }, { b: '2' }])).toThrow(CloakError);
    expect(() => fromRecords([])).toThrow(CloakError);
  });
});
