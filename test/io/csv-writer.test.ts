import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { writeCsv } from '../../src/io/csv-writer.js';
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
