import { Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { readCsvFile, readCsvStream, checkHeader, DEFAULT_MAX_COLUMNS } from '../../src/io/csv-reader.js';
import { readPlainCsvFile } from '../../src/io/fast-csv-reader.js';
import { decodeRow, type EncodedTable } from '../../src/table/encoded-table.js';
import { temporaryFiles } from '../temporary-files.js';

const { file } = temporaryFiles('cloak-fast-csv-');

const decoded = (table: EncodedTable) => ({
  names: table.columns.map((c) => c.name),
  rows: Array.from({ length: table.rowCount }, (_, r) => decodeRow(table, r)),
});

const fast = (path: string, delimiter = ',', maxFieldBytes = 1 << 20, chunkBytes?: number) =>
  readPlainCsvFile(path, { delimiter, maxFieldBytes, maxColumns: DEFAULT_MAX_COLUMNS, checkHeader, chunkBytes });

async function outcome(run: () => Promise<unknown>): Promise<unknown> {
  try {
    const result = await run();
    if (result === 'fallback') return 'fallback';
    const { table, lineOfRow } = result as { table: EncodedTable; lineOfRow: Int32Array };
    return { ...decoded(table), lines: Array.from(lineOfRow) };
  } catch (error) {
    return { code: (error as { code?: string }).code, message: (error as Error).message.replace(/^[^:]*:/, '') };
  }
}

describe('the plain-CSV fast path', () => {
  it('reads plain files exactly as csv-parse does: values, lines, and errors, whatever the reads cut (differential property)', async () => {
    const cell = fc.string({ unit: fc.constantFrom('a', 'b', 'é', '€', ' ', '1', '-', ',', '\n', ';') });
    await fc.assert(
      // Reads of 1–64 bytes put records, fields and multi-byte characters across reads and make the buffer grow.
      fc.asyncProperty(fc.array(cell, { minLength: 1, maxLength: 40 }), fc.boolean(), fc.boolean(), fc.option(fc.integer({ min: 1, max: 64 })), async (cells, bom, crlf, chunkBytes) => {
        const lf = 'x,y\n' + cells.join(',');
        const text = (bom ? '\uFEFF' : '') + (crlf ? lf.replaceAll('\n', '\r\n') : lf);
        const path = file(text);
        const viaFast = await outcome(() => fast(path, ',', 1 << 20, chunkBytes ?? undefined));
        const viaParser = await outcome(() => readCsvStream(Readable.from([Buffer.from(text)]), path, { delimiter: ',' }));
        expect(viaFast).toEqual(viaParser);
        expect(await outcome(() => readCsvFile(path, { delimiter: ',' }))).toEqual(viaParser);
      }),
      { seed: 17, numRuns: 300 },
    );
  });

  it('skips a BOM that the first read cuts (a pipe returning a byte or two), like one it reads whole', async () => {
    const path = file('\uFEFFx,y\n1,2\n');
    for (const chunkBytes of [1, 2, 3, 4, 1 << 20]) {
      const result = await fast(path, ',', 1 << 20, chunkBytes);
      if (result === 'fallback') throw new Error('unexpected fallback');
      expect(result.table.columns.map((c) => c.name)).toEqual(['x', 'y']);
      expect(decodeRow(result.table, 0)).toEqual(['1', '2']);
    }
  });

  it('shares dictionaries by bytes, handles CRLF and blank lines, and grows across chunk boundaries', async () => {
    const rows = Array.from({ length: 200_000 }, (_, i) => `${i % 7},v${i % 1000},tail`);
    const path = file('a,b,c\r\n' + rows.join('\r\n') + '\r\n\r\n');
    const result = await fast(path);
    if (result === 'fallback') throw new Error('unexpected fallback');
    expect(result.table.rowCount).toBe(200_000);
    expect(result.table.columns[0].dictionary.length).toBe(7);
    expect(result.table.columns[1].dictionary.length).toBe(1000);
    expect(decodeRow(result.table, 123_456)).toEqual(['4', 'v456', 'tail']);
    expect(result.lineOfRow[199_999]).toBe(200_001);
  });

  it('gives equal empty fields one code (the hash of an empty field once never matched its stored hash)', async () => {
    const result = await fast(file('x,y\n,1\n,2\nz,\n,\n'));
    if (result === 'fallback') throw new Error('unexpected fallback');
    expect(result.table.columns.map((column) => column.dictionary)).toEqual([['', 'z'], ['1', '2', '']]);
    expect(Array.from(result.table.columns[0].codes)).toEqual([0, 0, 1, 0]);
    expect(Array.from(result.table.columns[1].codes)).toEqual([0, 1, 2, 2]);
  });

  it('declines quoted fields and lone CRs, leaving them to csv-parse', async () => {
    expect(await fast(file('a,b\n"1",2\n'))).toBe('fallback');
    expect(await fast(file('a,b\r1,2\r'))).toBe('fallback');
    expect(await fast(file('a,b\n1,2\r\n3,4\n'))).toBe('fallback');
    expect(await fast(file('a,b\r\n1,2\n'))).toBe('fallback');
    const viaReader = await readCsvFile(file('a,b\n"x,y",2\n'));
    expect(decodeRow(viaReader.table, 0)).toEqual(['x,y', '2']);
  });

  it('reports invalid UTF-8, NUL bytes and oversized fields with the same codes as the general reader', async () => {
    const bad = Buffer.concat([Buffer.from('a,b\n1,'), Buffer.from([0xff, 0xfe]), Buffer.from('\n')]);
    expect(await outcome(() => fast(file(bad)))).toMatchObject({ code: 'CSV_INVALID_UTF8' });
    expect(await outcome(() => fast(file('a,b\n1,\u00002\n')))).toMatchObject({ code: 'CSV_NUL_BYTE' });
    expect(await outcome(() => fast(file('a,b\n' + 'x'.repeat(5000) + ',1\n'), ',', 1000))).toMatchObject({ code: 'CSV_FIELD_TOO_LARGE' });
  });
});
