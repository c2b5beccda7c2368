// Tests of ARX hierarchy file I/O: quoting on write, delimiter detection on read (commas inside
// labels, ties, quotes, BOM, CRLF, blank lines), error lines, and a write-then-read round trip.

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { readHierarchyRows } from '../../../src/hierarchy/builders/read-rows.js';
import { writeHierarchyCsv } from '../../../src/hierarchy/builders/write-csv.js';
import { expectCloakError } from './hierarchy-checks.js';

describe('writeHierarchyCsv', () => {
  it('writes ; separated lines ending in \\n and quotes only fields that need it', () => {
    expect(writeHierarchyCsv([['20', '[20, 25)', '*'], ['a;b', 'say "hi"', 'two\nlines'], ['cr\r', '', '*']])).toBe(
      '20;[20, 25);*\n"a;b";"say ""hi""";"two\nlines"\n"cr\r";;*\n',
    );
    expect(writeHierarchyCsv([])).toBe('');
  });
});

describe('readHierarchyRows', () => {
  it('prefers ; when commas inside labels also give a constant count', () => {
    const text = '20;[20, 25);*\n21;[20, 25);*\n30;[30, 35);*\n';
    expect(readHierarchyRows(text, 'age.csv')).toEqual([
      ['20', '[20, 25)', '*'],
      ['21', '[20, 25)', '*'],
      ['30', '[30, 35)', '*'],
    ]);
  });

  it('detects a comma delimiter when labels with commas are quoted', () => {
    const text = '20,"[20, 25)",*\n21,"[20, 25)",*\n';
    expect(readHierarchyRows(text, 'age.csv')).toEqual([
      ['20', '[20, 25)', '*'],
      ['21', '[20, 25)', '*'],
    ]);
  });

  it('skips a delimiter whose count varies, even if it comes first in preference', () => {
    const text = 'a;b,x,*\nc,y,*\n';
    expect(readHierarchyRows(text, 'h.csv')).toEqual([
      ['a;b', 'x', '*'],
      ['c', 'y', '*'],
    ]);
  });

  it('detects tab and pipe delimiters', () => {
    expect(readHierarchyRows('a, b\tA\t*\nc\tC\t*\n', 'h.tsv')).toEqual([
      ['a, b', 'A', '*'],
      ['c', 'C', '*'],
    ]);
    expect(readHierarchyRows('a|A|*\nb|B|*\n', 'h.txt')).toEqual([
      ['a', 'A', '*'],
      ['b', 'B', '*'],
    ]);
  });

  it('tolerates a BOM, CRLF line ends, blank lines and quoted line breaks', () => {
    const text = '\uFEFFa;A;*\r\n\r\n   \r\n"b\r\nc";"B;C";*\r\n';
    expect(readHierarchyRows(text, 'h.csv')).toEqual([
      ['a', 'A', '*'],
      ['b\r\nc', 'B;C', '*'],
    ]);
  });

  it('names the file and the first inconsistent line of a ";" file with a short row', () => {
    const text = 'a;A;*\nb;B;*\n\n"multi\r\nline";M;*\nsecret;S\n';
    const error = expectCloakError(() => readHierarchyRows(text, 'broken.csv'), 'HIERARCHY_RAGGED', { exitCode: 3, secret: 'secret' });
    expect(error.location).toEqual({ file: 'broken.csv', line: 6 });
    expect(error.message).toContain('broken.csv:6');
  });

  it('refuses single-column and empty files', () => {
    expectCloakError(() => readHierarchyRows('a\nb\n', 'one.csv'), 'HIERARCHY_FILE_DELIMITER');
    expectCloakError(() => readHierarchyRows('\uFEFF\n\r\n', 'empty.csv'), 'HIERARCHY_FILE_EMPTY');
  });

  it('reads back what writeHierarchyCsv wrote', () => {
    const field = fc.string({ unit: fc.constantFrom('a', 'Z', ' ', ',', ';', '"', '\n', '\r', '\t', '|', '[', ')', 'é'), maxLength: 6 });
    const rows = fc
      .integer({ min: 2, max: 5 })
      .chain((width) => fc.array(fc.array(field, { minLength: width, maxLength: width }), { minLength: 1, maxLength: 12 }))
      .map((generated) => generated.filter((row) => row.some((cell) => cell.trim() !== '')))
      .filter((generated) => generated.length > 0);
    fc.assert(
      fc.property(rows, (generated) => {
        expect(readHierarchyRows(writeHierarchyCsv(generated), 'round-trip.csv')).toEqual(generated);
      }),
    );
  });
});
