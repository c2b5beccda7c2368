import { Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { stringify } from 'csv-stringify/sync';
import { readCsvStream } from '../../src/io/csv-reader.js';
import { detectDelimiter } from '../../src/io/delimiter.js';
import { CloakError } from '../../src/errors.js';
import { decodeRow } from '../../src/table/encoded-table.js';

const read = (text: string | Buffer, delimiter?: string) => readCsvStream(Readable.from([typeof text === 'string' ? Buffer.from(text) : text]), 'in.csv', { delimiter });

async function failure(text: string | Buffer, delimiter?: string): Promise<CloakError> {
  try {
    await read(text, delimiter);
  } catch (error) {
    expect(error).toBeInstanceOf(CloakError);
    return error as CloakError;
  }
  throw new Error('expected a CloakError');
}

describe('detectDelimiter', () => {
  it('picks the candidate with a constant field count', () => {
    expect(detectDelimiter('a;b;c\n1;2;3\n', false)).toBe(';');
    expect(detectDelimiter('a\tb\n1\t2\n', false)).toBe('\t');
    expect(detectDelimiter('a|b\n1|2\n', false)).toBe('|');
    expect(detectDelimiter('a,b\n1,2\n', false)).toBe(',');
  });
  it('ignores delimiters inside quotes, including quoted line breaks', () => {
    expect(detectDelimiter('a;b\n"x,y";"1\n2,3"\n"p,q";r\n', false)).toBe(';');
  });
  it('is not fooled by commas inside labels', () => {
    expect(detectDelimiter('age;range\n21;"[20, 25)"\n30;"[30, 35)"\n', false)).toBe(';');
    expect(detectDelimiter('age;range\n21;[20, 25)\n30;[30, 35)\n', false)).toBe(';');
  });
  it('drops a truncated last record', () => {
    expect(detectDelimiter('a,b\n1,2\n3', true)).toBe(',');
  });
  it('decides as counting each candidate separately, record by record, would', () => {
    /** The rule stated plainly: quote-aware field counts per complete record, one candidate at a time. */
    const counted = (sample: string, delimiter: string, truncated: boolean): number[] => {
      const counts: number[] = [];
      let inQuotes = false;
      let fields = 1;
      let content = false;
      for (let i = 0; i < sample.length; i++) {
        const ch = sample[i];
        if (inQuotes) {
          if (ch === '"') {
            if (sample[i + 1] === '"') i++;
            else inQuotes = false;
          }
        } else if (ch === '\n' || ch === '\r') {
          if (ch === '\r' && sample[i + 1] === '\n') i++;
          if (content) counts.push(fields);
          fields = 1;
          content = false;
        } else {
          content = true;
          if (ch === '"') inQuotes = true;
          else if (ch === delimiter) fields++;
        }
      }
      if (content && !truncated) counts.push(fields);
      return counts;
    };
    const expected = (sample: string, truncated: boolean): string => {
      let best = ',';
      let bestFields = 1;
      for (const candidate of [',', ';', '\t', '|']) {
        const counts = counted(sample, candidate, truncated);
        if (counts.length > 0 && counts[0] >= 2 && counts.every((count) => count === counts[0]) && counts[0] > bestFields) {
          best = candidate;
          bestFields = counts[0];
        }
      }
      return best;
    };
    const sample = (alphabet: string[]) => fc.array(fc.constantFrom(...alphabet), { maxLength: 60 }).map((chars) => chars.join(''));
    const unquoted = [',', ';', '\t', '|', '\n', '\r', 'a', ' '];
    for (const alphabet of [unquoted, [...unquoted, '"']]) {
      fc.assert(fc.property(sample(alphabet), fc.boolean(), (text, truncated) => detectDelimiter(text, truncated) === expected(text, truncated)), { numRuns: 2000 });
    }
  });
});

describe('readCsvStream', () => {
  it('encodes each column as codes plus a dictionary', async () => {
    const { table, delimiter, lineOfRow } = await read('x,y\na,1\nb,1\na,2\n');
    expect(delimiter).toBe(',');
    expect(table.rowCount).toBe(3);
    expect(table.columns.map((c) => c.name)).toEqual(['x', 'y']);
    expect(Array.from(table.columns[0].codes)).toEqual([0, 1, 0]);
    expect(table.columns[0].dictionary).toEqual(['a', 'b']);
    expect(Array.from(lineOfRow)).toEqual([2, 3, 4]);
  });
  it('handles quotes, CRLF, a BOM and blank lines', async () => {
    const { table } = await read('\uFEFFname;note\r\n"Doe; J";"say ""hi"""\r\n\r\nX;"two\nlines"\r\n');
    expect(table.columns[0].name).toBe('name');
    expect(decodeRow(table, 0)).toEqual(['Doe; J', 'say "hi"']);
    expect(decodeRow(table, 1)).toEqual(['X', 'two\nlines']);
  });
  it('honours an explicit delimiter', async () => {
    const { table } = await read('a|b;c\n1|2;3\n', ';');
    expect(table.columns.map((c) => c.name)).toEqual(['a|b', 'c']);
  });
  it('round-trips arbitrary fields written by csv-stringify', async () => {
    const field = fc.string({ unit: fc.constantFrom('a', 'b', ',', ';', '"', '\n', ' ', 'é', '\t') });
    await fc.assert(
      fc.asyncProperty(fc.array(fc.tuple(field, field), { minLength: 1, maxLength: 20 }), async (rows) => {
        fc.pre(rows.every(([a, b]) => !(a === '' && b === '')));
        const text = stringify([['left', 'right'], ...rows], { delimiter: ',', quoted: true });
        const { table } = await read(text, ',');
        expect(table.rowCount).toBe(rows.length);
        rows.forEach((row, index) => expect(decodeRow(table, index)).toEqual(row));
      }),
      { seed: 42, numRuns: 100 },
    );
  });

  it.each([
    ['empty input', '', 'CSV_EMPTY'],
    ['whitespace only', '  \n\n \t\n', 'CSV_EMPTY'],
    ['header only', 'a,b\n', 'CSV_NO_RECORDS'],
    ['ragged row', 'a,b\n1,2\n3\n', 'CSV_RAGGED_ROW'],
    ['unclosed quote', 'a,b\n1,"2\n', 'CSV_UNCLOSED_QUOTE'],
    ['duplicate column', 'a,b,a\n1,2,3\n', 'CSV_DUPLICATE_COLUMN'],
    ['empty column name', 'a,,c\n1,2,3\n', 'CSV_EMPTY_COLUMN_NAME'],
    ['NUL byte', 'a,b\n1,\u00002\n', 'CSV_NUL_BYTE'],
  ])('rejects %s with a located error', async (_name, text, code) => {
    const error = await failure(text);
    expect(error.code).toBe(code);
    expect(error.exitCode).toBe(3);
    expect(error.message).toContain('in.csv');
  });
  it('names the line of a ragged row and never quotes its values', async () => {
    const error = await failure('a,b\n1,2\nsecret,x,y\n');
    expect(error.message).toContain('in.csv:3');
    expect(error.message).not.toContain('secret');
  });
  it('rejects invalid UTF-8', async () => {
    const error = await failure(Buffer.from([0x61, 0x2c, 0x62, 0x0a, 0xff, 0xfe, 0x2c, 0x31, 0x0a]));
    expect(error.code).toBe('CSV_INVALID_UTF8');
  });
  it('enforces the field size and column limits', async () => {
    const big = 'a,b\n' + 'x'.repeat(2000) + ',1\n';
    const error = await readCsvStream(Readable.from([Buffer.from(big)]), 'in.csv', { maxFieldBytes: 1000 }).catch((e) => e);
    expect(error.code).toBe('CSV_FIELD_TOO_LARGE');
    const wide = await readCsvStream(Readable.from([Buffer.from('a,b,c\n1,2,3\n')]), 'in.csv', { maxColumns: 2 }).catch((e) => e);
    expect(wide.code).toBe('CSV_TOO_MANY_COLUMNS');
  });
});
