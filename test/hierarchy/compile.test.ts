import { parse } from 'csv-parse/sync';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { compileHierarchy } from '../../src/hierarchy/compile.js';
import { hierarchyCsvOptions, parseHierarchyText, splitUnquoted } from '../../src/hierarchy/load.js';
import { CloakError } from '../../src/errors.js';
import { encodeRows } from '../../src/table/encoded-table.js';

const column = (values: string[]) => encodeRows(['age'], values.map((v) => [v])).columns[0];

function compileError(values: string[], text: string): CloakError {
  try {
    compileHierarchy(column(values), parseHierarchyText(text, 'age.csv'));
  } catch (error) {
    expect(error).toBeInstanceOf(CloakError);
    return error as CloakError;
  }
  throw new Error('expected an error');
}

describe('compileHierarchy', () => {
  const text = '21;20-24;20-29;*\n22;20-24;20-29;*\n27;25-29;20-29;*\n35;35-39;30-39;*\n99;95-99;90-99;*\n';

  it('compiles per-level dictionaries, code maps and file-row counts', () => {
    const hierarchy = compileHierarchy(column(['27', '21', '35', '21']), parseHierarchyText(text, 'age.csv'));
    expect(hierarchy.maxLevel).toBe(3);
    expect(hierarchy.fileRowCount).toBe(5);
    expect(hierarchy.labels[0]).toEqual(['27', '21', '35']);
    const labelOf = (level: number, code: number) => hierarchy.labels[level][hierarchy.dataToLevel[level][code]];
    expect([0, 1, 2].map((code) => labelOf(1, code))).toEqual(['25-29', '20-24', '35-39']);
    expect([0, 1, 2].map((code) => labelOf(2, code))).toEqual(['20-29', '20-29', '30-39']);
    const rowsOf = (level: number, label: string) => hierarchy.fileRowsPerLabel[level][hierarchy.labels[level].indexOf(label)];
    expect(rowsOf(1, '20-24')).toBe(2);
    expect(rowsOf(2, '20-29')).toBe(3);
    expect(rowsOf(3, '*')).toBe(5);
  });

  it('composes level maps between any two levels', () => {
    const hierarchy = compileHierarchy(column(['27', '21', '35', '99']), parseHierarchyText(text, 'age.csv'));
    for (let from = 0; from <= 3; from++) {
      for (let to = from; to <= 3; to++) {
        const map = hierarchy.levelMap(from, to);
        for (let code = 0; code < 4; code++) {
          expect(map[hierarchy.dataToLevel[from][code]]).toBe(hierarchy.dataToLevel[to][code]);
        }
      }
    }
  });

  it('reports values missing from the hierarchy with a count and data lines, without the values', () => {
    const error = compileError(['21', 'secret-1', '22', 'secret-2', 'secret-1'], text);
    expect(error.code).toBe('HIERARCHY_MISSING_VALUES');
    expect(error.message).toContain('2 distinct value(s)');
    expect(error.message).toContain('3 record(s)');
    expect(error.message).toContain('lines 3, 5, 6');
    expect(error.message).not.toContain('secret');
  });

  it('shows the missing values only when asked to', () => {
    try {
      compileHierarchy(column(['21', 'secret-1']), parseHierarchyText(text, 'age.csv'), { showValues: true });
    } catch (error) {
      expect((error as Error).message).toContain('secret-1');
      return;
    }
    throw new Error('expected an error');
  });

  it('rejects rows of unequal length, naming the line', () => {
    // A file with ragged lines already fails to parse (no delimiter fits), so inline rows reach this check.
    let error: unknown;
    try {
      compileHierarchy(column(['21']), { rows: [['21', '20-24', '*'], ['22', '20-24']], origin: 'age.csv' });
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(CloakError);
    expect((error as CloakError).code).toBe('HIERARCHY_RAGGED');
    expect((error as CloakError).message).toContain('age.csv:2');
  });

  it('rejects a value with two rows (not functional)', () => {
    const error = compileError(['21'], '21;20-24;*\n21;20-29;*\n');
    expect(error.code).toBe('HIERARCHY_NOT_FUNCTIONAL');
    expect(error.message).toContain('age.csv:2');
  });

  it('rejects levels that are not nested', () => {
    const error = compileError(['21', '22'], '21;20-24;A;*\n22;20-24;B;*\n');
    expect(error.code).toBe('HIERARCHY_NOT_NESTED');
    expect(error.message).toContain('age.csv:2');
  });

  it('accepts hierarchy values that are absent from the data', () => {
    expect(() => compileHierarchy(column(['21']), parseHierarchyText(text, 'age.csv'))).not.toThrow();
  });

  it('detects the delimiter of a hierarchy whose labels contain commas', () => {
    const source = parseHierarchyText('21;[20, 25);*\n27;[25, 30);*\n', 'age.csv');
    expect(source.rows[0]).toEqual(['21', '[20, 25)', '*']);
    const comma = parseHierarchyText('21,"[20; 25)",*\n27,"[25; 30)",*\n', 'age.csv');
    expect(comma.rows[1]).toEqual(['27', '[25; 30)', '*']);
  });
});

describe('splitUnquoted', () => {
  it('returns what csv-parse returns for text without quotes', () => {
    const text = fc.string({ unit: fc.constantFrom('a', ' ', ',', ';', '\t', '|', '\n', '\r', '\uFEFF'), maxLength: 40 });
    fc.assert(
      fc.property(text, fc.constantFrom(';', ',', '\t', '|'), (sample, delimiter) => {
        expect(splitUnquoted(sample, delimiter)).toEqual(parse(sample, hierarchyCsvOptions(delimiter)).map(({ record, info }) => ({ record, info: { lines: info.lines } })));
      }),
      { numRuns: 3000 },
    );
  });
});
