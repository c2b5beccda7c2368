import { PassThrough } from 'node:stream';
import { parse } from 'csv-parse/sync';
import { stringify } from 'csv-stringify/sync';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { formatField, writeCsv } from '../../src/io/csv-writer.js';
import { encodeRows } from '../../src/table/encoded-table.js';

async function written(delimiter: string, names: string[], rows: string[][]): Promise<string> {
  const stream = new PassThrough();
  const chunks: Buffer[] = [];
  stream.on('data', (chunk: Buffer) => chunks.push(chunk));
  await writeCsv(encodeRows(names, rows), delimiter, stream);
  stream.end();
  return Buffer.concat(chunks).toString('utf8');
}

describe('writeCsv', () => {
  it('keeps the delimiter and header, quotes only fields holding the delimiter, a quote or a line break, and ends records with \\n', async () => {
    const text = await written(';', ['a', 'b;c'], [
      ['plain', 'has;semicolon'],
      ['say "hi"', 'two\nlines'],
      ['comma,is,fine', ''],
    ]);
    expect(text).toBe('a;"b;c"\nplain;"has;semicolon"\n"say ""hi""";"two\nlines"\ncomma,is,fine;\n');
  });
});

describe('writeCsv across chunks', () => {
  it('writes records spanning its 1 MiB chunks and cells larger than a chunk unchanged', async () => {
    const long = 'é'.repeat(300_000); // 600,000 bytes: two of them overflow a chunk
    const rows = Array.from({ length: 4000 }, (_, r) => [`v${r % 7}`, r % 500 === 0 ? long : `"q${r % 3}"`, `ü,${r % 11}`]);
    const expected = ['a,b,c', ...rows.map((row) => row.map((value) => formatField(value, ',')).join(','))].join('\n') + '\n';
    expect(await written(',', ['a', 'b', 'c'], rows)).toBe(expected);
  });
});

describe('writeCsv with neighbouring columns combined', () => {
  it('writes every record as the fields joined, whether columns are combined into one cell per value combination or not', async () => {
    // Columns drawing from 1 to 90 values: runs of neighbours stay within or pass the limit on combined cells.
    const column = fc.integer({ min: 1, max: 90 }).chain((values) => fc.array(fc.nat({ max: values - 1 }).map((v) => (v % 5 === 0 ? `"v${v};` : `v${v}`)), { minLength: 400, maxLength: 400 }));
    await fc.assert(
      fc.asyncProperty(fc.array(column, { minLength: 1, maxLength: 7 }), fc.integer({ min: 1, max: 400 }), async (columns, rowCount) => {
        const names = columns.map((_, c) => `c${c}`);
        const rows = Array.from({ length: rowCount }, (_, r) => columns.map((values) => values[r]));
        const expected = [names.join(';'), ...rows.map((row) => row.map((value) => formatField(value, ';')).join(';'))].join('\n') + '\n';
        expect(await written(';', names, rows)).toBe(expected);
      }),
      { seed: 5, numRuns: 60 },
    );
  });
});

describe('writeCsv with combined cells across chunks', () => {
  it('resumes records mid-row at 1 MiB chunk ends, with combined runs, a column of many values and long values beside them', async () => {
    // Runs: [a, b] combined (6 × 5 values), c alone (5,000 values), d alone (a 40 KB value), [e, f] combined.
    const long = 'ü'.repeat(20_000);
    const rows = Array.from({ length: 60_000 }, (_, r) => [`a${r % 6}`, `b${r % 5}`, `c${r % 5000}`, r % 997 === 0 ? long : `d${r % 4}`, `"e${r % 3}`, `f${r % 2}`]);
    const names = ['a', 'b', 'c', 'd', 'e', 'f'];
    const expected = [names.join(','), ...rows.map((row) => row.map((value) => formatField(value, ',')).join(','))].join('\n') + '\n';
    const text = await written(',', names, rows);
    expect(Buffer.byteLength(text)).toBeGreaterThan(3 * 1024 * 1024);
    expect(text).toBe(expected);
  });
});

describe('formatField', () => {
  it('quotes exactly the fields holding the delimiter, a quote or a line break, and csv-parse reads them back', () => {
    const text = fc.string({ unit: fc.constantFrom('a', ' ', ',', ';', '\t', '|', '"', '\n', '\r', 'é', "'"), minLength: 1 });
    fc.assert(
      fc.property(text, fc.constantFrom(',', ';', '\t', '|'), (value, delimiter) => {
        const field = formatField(value, delimiter);
        expect(field.startsWith('"')).toBe(/["\r\n]/.test(value) || value.includes(delimiter));
        expect(parse(`${field}${delimiter}x\n`, { delimiter })).toEqual([[value, 'x']]);
      }),
      { numRuns: 2000 },
    );
  });

  it('quotes a lone carriage return, which csv-stringify leaves bare (a reader would see a line break)', () => {
    expect(formatField('a\rb', ',')).toBe('"a\rb"');
    expect(stringify([['a\rb']], { delimiter: ',', record_delimiter: '\n' })).toBe('a\rb\n');
  });
});
