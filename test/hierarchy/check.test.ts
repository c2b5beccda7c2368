// Tests of the hierarchy validation report: statistics, coverage, every problem kind with its line,
// values only when allowed, listing caps, and agreement with compileHierarchy, which throws its first problem.

import { describe, expect, it } from 'vitest';
import { CloakError } from '../../src/errors.js';
import { validateHierarchy } from '../../src/hierarchy/check.js';
import { compileHierarchy, type HierarchyRowsSource } from '../../src/hierarchy/compile.js';
import { parseHierarchyText } from '../../src/hierarchy/load.js';
import { encodeRows } from '../../src/table/encoded-table.js';

const column = (values: string[]) => encodeRows(['age'], values.map((value) => [value])).columns[0];
const rowsOf = (rows: string[][]): HierarchyRowsSource => ({ rows, origin: 'age.csv' });
const AGE_TEXT = '21;20-24;20-29;*\n22;20-24;20-29;*\n27;25-29;20-29;*\n35;35-39;30-39;*\n99;95-99;90-99;*\n';

describe('validateHierarchy', () => {
  it('reports height, rows, distinct values per level in the data and in the hierarchy, and absent values', () => {
    const report = validateHierarchy(column(['27', '21', '35', '21', '22']), parseHierarchyText(AGE_TEXT, 'age.csv'));
    expect(report).toMatchObject({ attribute: 'age', origin: 'age.csv', usable: true, height: 3, rowCount: 5, absentFromData: 1, problems: [], unlistedProblems: 0 });
    expect(report.levels).toEqual([
      { level: 0, dataValues: 4, hierarchyLabels: 5 },
      { level: 1, dataValues: 3, hierarchyLabels: 4 },
      { level: 2, dataValues: 2, hierarchyLabels: 3 },
      { level: 3, dataValues: 1, hierarchyLabels: 1 },
    ]);
    expect(report.missing).toEqual({ distinctValues: 0, records: 0, firstDataLines: [] });
  });

  it('counts missing values, the records holding them and their first data lines, without the values', () => {
    const data = column(['21', 'secret-1', '22', 'secret-2', 'secret-1', 'secret-3', 'secret-1', 'secret-2', 'secret-3']);
    const report = validateHierarchy(data, parseHierarchyText(AGE_TEXT, 'age.csv'), { dataFile: 'people.csv' });
    expect(report.usable).toBe(false);
    expect(report.missing).toEqual({ distinctValues: 3, records: 7, firstDataLines: [3, 5, 6, 7, 8] });
    expect(report.problems).toHaveLength(1);
    const [problem] = report.problems;
    expect(problem.code).toBe('HIERARCHY_MISSING_VALUES');
    expect(problem.message).toContain('3 distinct value(s)');
    expect(problem.message).toContain('7 record(s)');
    expect(problem.message).toContain('people.csv lines 3, 5, 6, 7, 8');
    expect(JSON.stringify(report)).not.toContain('secret');
    // Level statistics count the covered values only.
    expect(report.levels[0].dataValues).toBe(5);
    expect(report.levels[1].dataValues).toBe(1);
  });

  it('takes data lines from the reader when given, and shows missing values only with showValues', () => {
    const data = column(['21', 'secret-1']);
    const report = validateHierarchy(data, parseHierarchyText(AGE_TEXT, 'age.csv'), { dataLineOfRow: Int32Array.from([4, 9]), showValues: true });
    expect(report.missing).toEqual({ distinctValues: 1, records: 1, firstDataLines: [9], values: ['secret-1'] });
    expect(report.problems[0].message).toContain('"secret-1"');
    expect(report.problems[0].message).toContain('data lines 9');
  });

  it('reports ragged rows with their line, still counting them for coverage but not for the levels', () => {
    const report = validateHierarchy(column(['21', '22', '27']), { rows: [['21', 'A', '*'], ['22', 'A'], ['27', 'B', '*']], origin: 'age.csv', lineOfRow: [1, 3, 4] });
    expect(report.problems.map((problem) => [problem.code, problem.location.line])).toEqual([['HIERARCHY_RAGGED', 3]]);
    expect(report.problems[0].message).toContain('age.csv:3: the row has 2 columns, the first row has 3');
    expect(report.missing.distinctValues).toBe(0);
    expect(report.levels[1]).toEqual({ level: 1, dataValues: 2, hierarchyLabels: 2 });
  });

  it('reports a value with two rows (not functional) with both lines', () => {
    const report = validateHierarchy(column(['21']), rowsOf([['21', 'A', '*'], ['22', 'A', '*'], ['21', 'A', '*']]));
    expect(report.problems).toHaveLength(1);
    expect(report.problems[0]).toMatchObject({ code: 'HIERARCHY_NOT_FUNCTIONAL', location: { file: 'age.csv', line: 3, column: 'age' } });
    expect(report.problems[0].message).toContain('already has a row at line 1');
  });

  it('reports a label with two different parents (not nested) with both lines', () => {
    const report = validateHierarchy(column(['21', '22', '27']), rowsOf([['21', 'A', 'X', '*'], ['22', 'B', 'X', '*'], ['27', 'A', 'Y', '*']]));
    expect(report.problems).toHaveLength(1);
    expect(report.problems[0]).toMatchObject({ code: 'HIERARCHY_NOT_NESTED', location: { line: 3 } });
    expect(report.problems[0].message).toContain('than at line 1');
  });

  it('reports an empty hierarchy', () => {
    const report = validateHierarchy(column(['21']), rowsOf([]));
    expect(report).toMatchObject({ usable: false, height: 0, rowCount: 0 });
    expect(report.problems.map((problem) => problem.code)).toEqual(['HIERARCHY_EMPTY', 'HIERARCHY_MISSING_VALUES']);
    expect(validateHierarchy(column(['21']), rowsOf([[]])).problems[0].code).toBe('HIERARCHY_EMPTY');
  });

  it('accepts a one-column hierarchy (height 0), from rows and from a file', () => {
    const fromRows = validateHierarchy(column(['a', 'b']), rowsOf([['a'], ['b']]));
    expect(fromRows).toMatchObject({ usable: true, height: 0, levels: [{ level: 0, dataValues: 2, hierarchyLabels: 2 }] });
    const file = parseHierarchyText('a\n\n"b,c"\n', 'one.csv');
    expect(file.rows).toEqual([['a'], ['b,c']]);
    expect(file.lineOfRow).toEqual([1, 3]);
    expect(validateHierarchy(column(['a', 'b,c']), file).usable).toBe(true);
  });

  it('lists every kind of problem in one report, in the order compileHierarchy would throw them', () => {
    const rows = [['21', 'A', 'X', '*'], ['22', 'A', 'Y', '*'], ['27', 'B'], ['21', 'A', 'X', '*']];
    const report = validateHierarchy(column(['21', '22', '99']), rowsOf(rows));
    expect(report.problems.map((problem) => problem.code)).toEqual(['HIERARCHY_RAGGED', 'HIERARCHY_NOT_FUNCTIONAL', 'HIERARCHY_MISSING_VALUES', 'HIERARCHY_NOT_NESTED']);
    expect(report.problems.map((problem) => problem.location.line)).toEqual([3, 4, 4, 2]);
  });

  it('lists the first five problems of a kind and counts the rest', () => {
    const rows = [['v0', 'A', '*'], ...Array.from({ length: 8 }, (_, index) => [`v${index + 1}`, 'A'])];
    const report = validateHierarchy(column(['v0']), rowsOf(rows));
    expect(report.problems).toHaveLength(5);
    expect(report.problems.map((problem) => problem.location.line)).toEqual([2, 3, 4, 5, 6]);
    expect(report.unlistedProblems).toBe(3);
  });

  it('is what compileHierarchy checks: compile throws exactly the first problem, or compiles when there is none', () => {
    const cases: Array<[string[], string[][]]> = [
      [['21', '22'], [['21', 'A', '*'], ['22', 'A', '*']]],
      [['21'], [['21', 'A', '*'], ['22', 'A']]],
      [['21'], [['21', 'A', '*'], ['21', 'B', '*']]],
      [['21', '99'], [['21', 'A', '*']]],
      [['21', '22'], [['21', 'A', 'X', '*'], ['22', 'A', 'Y', '*']]],
      [['x'], []],
    ];
    for (const [values, rows] of cases) {
      const report = validateHierarchy(column(values), rowsOf(rows));
      let thrown: unknown;
      try {
        compileHierarchy(column(values), rowsOf(rows));
      } catch (error) {
        thrown = error;
      }
      if (report.usable) expect(thrown).toBeUndefined();
      else {
        expect(thrown).toBeInstanceOf(CloakError);
        expect((thrown as CloakError).code).toBe(report.problems[0].code);
        expect((thrown as CloakError).message).toBe(report.problems[0].message);
      }
    }
  });
});

describe('parseHierarchyText', () => {
  it('gives the start line of each row, skipping blank lines and counting quoted line breaks once', () => {
    const parsed = parseHierarchyText('\uFEFFa;A;*\r\n\r\n"b\r\nc";B;*\r\nd;D;*\n', 'h.csv');
    expect(parsed.rows).toEqual([['a', 'A', '*'], ['b\r\nc', 'B', '*'], ['d', 'D', '*']]);
    expect(parsed.lineOfRow).toEqual([1, 3, 5]);
  });

  it('refuses a ragged file naming the first inconsistent line, and a binary one', () => {
    expect(() => parseHierarchyText('a;A;*\nb;B;*\nc;C\n', 'h.csv')).toThrow(/h\.csv:3: line 3 has 2 field\(s\) separated by ";" where most rows have 3/);
    expect(() => parseHierarchyText('a\nb,c\n', 'h.csv')).toThrow(/h\.csv:2/);
    expect(() => parseHierarchyText('a;\u0000;*\n', 'h.csv')).toThrow(/NUL/);
  });

  it('prefers ";" when most lines agree with it, so a short row is named even if its labels hold commas', () => {
    // Every line has the same number of commas, so "," alone would split the file consistently, into nonsense.
    const rows = Array.from({ length: 20 }, (_, index) => `${40 + index};[${40 + index - (index % 5)}, ${45 + index - (index % 5)});*`);
    rows[12] = rows[12].replace(/;\*$/, '');
    let thrown: unknown;
    try {
      parseHierarchyText(rows.join('\n') + '\n', 'age.csv');
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(CloakError);
    expect((thrown as CloakError).code).toBe('HIERARCHY_RAGGED');
    expect((thrown as CloakError).location).toEqual({ file: 'age.csv', line: 13 });
    expect((thrown as CloakError).message).toBe(
      'age.csv:13: line 13 has 2 field(s) separated by ";" where most rows have 3; every row of a hierarchy needs the same number of levels',
    );
    // With the short row fixed, the file reads as ";"-separated.
    rows[12] += ';*';
    expect(parseHierarchyText(rows.join('\n'), 'age.csv').rows[12]).toEqual(['52', '[50, 55)', '*']);
  });

  it('still reads a consistent ","-separated file whose labels hold a ";" on a few lines', () => {
    expect(parseHierarchyText('a,A;B,*\nb,B,*\nc,C,*\n', 'h.csv').rows).toEqual([['a', 'A;B', '*'], ['b', 'B', '*'], ['c', 'C', '*']]);
  });

  it('names every deviating line (up to five) when a file has several short rows', () => {
    const text = Array.from({ length: 12 }, (_, index) => (index % 2 === 1 && index < 10 ? `v${index};A` : `v${index};A;*`)).join('\n');
    expect(() => parseHierarchyText(text, 'h.csv')).toThrow('h.csv:2: line 2 has 2 field(s) separated by ";" where most rows have 3; 5 such rows, at lines 2, 4, 6, 8, 10;');
  });
});
