import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { parse } from 'csv-parse/sync';
import { scanPlainCsv } from '../../src/io/plain-csv-scanner.js';
import { temporaryFiles } from '../temporary-files.js';

const { directory, file } = temporaryFiles('cloak-plain-scan-');

/** What the plan's csv-parse pass reads: the header, the records and their lines, or 'error' for a refused or ragged file. */
function viaParser(bytes: Buffer, delimiter = ','): { header: string[]; records: string[][]; lines: number[] } | 'error' {
  try {
    const parsed = parse(bytes, { delimiter, bom: true, relax_column_count: true, skip_empty_lines: true, info: true }) as unknown as { record: string[]; info: { lines: number } }[];
    if (parsed.length === 0) return 'error';
    const [header, ...records] = parsed.map((entry) => entry.record);
    if (records.some((record) => record.length !== header.length)) return 'error';
    return { header, records, lines: parsed.slice(1).map((entry) => entry.info.lines) };
  } catch {
    return 'error';
  }
}

/** The scan's header, the selected columns of every record decoded through the dictionaries, and with `fields` every field and line. */
async function viaScanner(path: string, pick: (width: number) => number[], delimiter = ',', fields = false, chunkBytes?: number) {
  let header: string[] = [];
  let selected: number[] = [];
  const records: string[][] = [];
  const rows: string[][] = [];
  const lines: number[] = [];
  const outcome = await scanPlainCsv(
    path,
    delimiter,
    {
      header(names) {
        header = names;
        selected = pick(names.length);
        return selected;
      },
      record(codes, values, row, line) {
        records.push(Array.from(codes, (code, i) => values[i][code]));
        rows.push(row);
        lines.push(line);
        return true;
      },
    },
    { fields, chunkBytes },
  );
  return { outcome, header, selected, records, rows, lines };
}

describe('the plain-CSV scanner', () => {
  it('reads what csv-parse reads (values, lines), or declines, whatever the reads cut (differential property)', async () => {
    // '~' stands for an invalid UTF-8 byte; quotes, CRs and stray delimiters or line breaks, rare enough to leave
    // about two thirds of the files plain, make files it must decline (or read, e.g. a stray line break making a blank line).
    const unit = fc.oneof({ weight: 60, arbitrary: fc.constantFrom('a', 'b', 'é', '€', ' ', '1', '~', '\u0000') }, { weight: 1, arbitrary: fc.constantFrom(',', '\n', '\r', '"') });
    const cell = fc.string({ unit, maxLength: 4 });
    let read = 0;
    await fc.assert(
      // Reads of 1–64 bytes put records, fields and multi-byte characters across reads and make the buffer grow.
      fc.asyncProperty(fc.array(fc.array(cell, { minLength: 3, maxLength: 3 }), { maxLength: 30 }), fc.boolean(), fc.boolean(), fc.boolean(), fc.nat(7), fc.boolean(), fc.option(fc.integer({ min: 1, max: 64 })), async (rows, bom, crlf, trailing, mask, withFields, chunkBytes) => {
        const eol = crlf ? '\r\n' : '\n';
        const text = (bom ? '\uFEFF' : '') + ['x,y,z', ...rows.map((row) => row.join(','))].join(eol) + (trailing ? eol : '');
        const bytes = Buffer.from(text);
        for (let i = 0; i < bytes.length; i++) if (bytes[i] === 0x7e) bytes[i] = 0xff;
        const expected = viaParser(bytes);
        const scanned = await viaScanner(file(bytes), (width) => [0, 1, 2].filter((c) => c < width && (mask & (1 << c)) !== 0).reverse(), ',', withFields, chunkBytes ?? undefined);
        if (scanned.outcome === 'fallback') return;
        read++;
        expect(expected).not.toBe('error');
        if (expected === 'error') return;
        expect(scanned.header).toEqual(expected.header);
        expect(scanned.records).toEqual(expected.records.map((record) => scanned.selected.map((c) => record[c])));
        expect(scanned.rows).toEqual(withFields ? expected.records : expected.records.map(() => []));
        expect(scanned.lines).toEqual(expected.lines);
      }),
      { seed: 23, numRuns: 400 },
    );
    // Not vacuous: most generated files are read rather than declined.
    expect(read).toBeGreaterThan(200);
  });

  it('skips a BOM that the first read cuts (a pipe returning a byte or two), like one it reads whole', async () => {
    const path = file(Buffer.from('\uFEFFx,y\n1,2\n'));
    for (const chunkBytes of [1, 2, 3, 4, undefined]) {
      const scanned = await viaScanner(path, () => [0, 1], ',', true, chunkBytes);
      expect(scanned.outcome).toBe('done');
      expect(scanned.header).toEqual(['x', 'y']);
      expect(scanned.rows).toEqual([['1', '2']]);
    }
  });

  it('does not decline plain files, with LF or CRLF, blank lines, a BOM and any single-byte delimiter', async () => {
    const cell = fc.string({ unit: fc.constantFrom('a', 'é', '€', ' ', '1', '-', '\t', ';', '|'), maxLength: 3 });
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(',', ';', '\t', '|'), fc.array(fc.array(cell, { minLength: 2, maxLength: 2 }), { minLength: 1, maxLength: 20 }), fc.boolean(), fc.boolean(), async (delimiter, rows, bom, crlf) => {
        const safe = rows.map((row) => row.map((value) => value.replaceAll(delimiter, '')));
        const eol = crlf ? '\r\n' : '\n';
        const text = (bom ? '\uFEFF' : '') + [`p${delimiter}q`, ...safe.map((row) => row.join(delimiter) || delimiter), ''].join(eol) + eol;
        const expected = viaParser(Buffer.from(text), delimiter);
        const scanned = await viaScanner(file(text), () => [1, 0], delimiter);
        expect(scanned.outcome).toBe('done');
        if (expected === 'error') throw new Error('csv-parse refused a plain file');
        expect(scanned.records).toEqual(expected.records.map((record) => [record[1], record[0]]));
      }),
      { seed: 29, numRuns: 200 },
    );
  });

  it('gives equal empty fields one code (the hash of an empty field once never matched its stored hash)', async () => {
    const codes: number[][] = [];
    let dictionaries: readonly (readonly string[])[] = [];
    const outcome = await scanPlainCsv(file('x,y\n,1\n,2\nz,\n,\n'), ',', {
      header: () => [0, 1],
      record(recordCodes, values) {
        codes.push(Array.from(recordCodes));
        dictionaries = values;
        return true;
      },
    });
    expect(outcome).toBe('done');
    expect(codes).toEqual([[0, 0], [0, 1], [1, 2], [0, 2]]);
    expect(dictionaries.map((values) => [...values])).toEqual([['', 'z'], ['1', '2', '']]);
  });

  it('reads records across its 4 MiB reads, and grows for a record longer than one read', async () => {
    const rows = Array.from({ length: 300_000 }, (_, i) => `${i % 7},v${i % 1000},tail`);
    const long = 'y'.repeat(5 * 1024 * 1024);
    const scanned = await viaScanner(file('a,b,c\r\n' + rows.join('\r\n') + `\r\n1,${long},2\r\n\r\n`), () => [1, 0], ',', true);
    expect(scanned.outcome).toBe('done');
    expect(scanned.records).toHaveLength(300_001);
    expect(scanned.records[123_456]).toEqual(['v456', '4']);
    expect(scanned.rows[123_456]).toEqual(['4', 'v456', 'tail']);
    expect(scanned.lines[123_456]).toBe(123_458);
    expect(scanned.records[300_000]).toEqual([long, '1']);
    expect(scanned.lines[300_000]).toBe(300_002);
  });

  it('declines what csv-parse reads differently, and stops when the consumer does', async () => {
    const declined = async (content: string | Buffer, delimiter = ',') => (await viaScanner(file(content), () => [0], delimiter)).outcome;
    expect(await declined('a,b\n"1",2\n')).toBe('fallback');
    expect(await declined('a,b\n1,2\r3,4\n')).toBe('fallback');
    expect(await declined('a,b\n1,2\r\n')).toBe('fallback');
    expect(await declined('a,b\r\n1,2\n')).toBe('fallback');
    expect(await declined('a,b\n1,2\r')).toBe('fallback');
    expect(await declined('a,b\n1,2,3\n')).toBe('fallback');
    expect(await declined('a,b\n1\n')).toBe('fallback');
    expect(await declined(Buffer.from('\uFEFFa,b\n1,2\n', 'utf16le'))).toBe('fallback');
    expect(await declined('a::b\n1::2\n', '::')).toBe('fallback');
    expect(await declined('a"b\n1"2\n', '"')).toBe('fallback');
    expect((await viaScanner(join(directory, 'missing.csv'), () => [0])).outcome).toBe('fallback');
    expect((await viaScanner(directory, () => [0])).outcome).toBe('fallback');
    expect((await viaScanner(file('a,b\n1,2\n'), () => [0, 0])).outcome).toBe('fallback');
    const path = file('a,b\n1,2\n3,4\n');
    expect(await scanPlainCsv(path, ',', { header: () => undefined, record: () => true })).toBe('fallback');
    let seen = 0;
    expect(await scanPlainCsv(path, ',', { header: () => [1], record: () => ++seen < 1 })).toBe('fallback');
    expect(seen).toBe(1);
    expect(await scanPlainCsv(file(''), ',', { header: () => [0], record: () => true })).toBe('done');
  });
});
