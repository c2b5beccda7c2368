// `--safe-csv`: which cells get the `'` prefix, the count in the report and summary, off by default, and every
// other cell byte-identical to the unguarded output.

import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'csv-parse/sync';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { guardFormula, guardFormulaCells, needsFormulaGuard } from '../../src/io/safe-csv.js';
import { encodeRows } from '../../src/table/encoded-table.js';
import { buildCli, makeTempDir, runCli } from './cli-harness.js';

describe('needsFormulaGuard', () => {
  it.for([
    ['=1+1', true],
    ['=', true],
    ['+', true],
    ['-', true],
    ['@SUM(A1)', true],
    ['\t=cmd', true],
    ['\rfoo', true],
    ['-1-1', true],
    ['--5', true],
    ['+x', true],
    ['-Infinity', true],
    ['-0x10', true],
    ['-5', false],
    ['+1.5e3', false],
    ['-.5', false],
    ['-7.', false],
    ['a=1', false],
    [' =1', false],
    ['', false],
    ['[20, 30)', false],
    ['*', false],
  ] as const)('%j → %s', ([value, guarded]) => {
    expect(needsFormulaGuard(value)).toBe(guarded);
    expect(guardFormula(value)).toBe(guarded ? `'${value}` : value);
  });
});

describe('guardFormulaCells', () => {
  it('counts every changed cell (header included) and shares the codes', () => {
    const table = encodeRows(
      ['=name', 'b'],
      [
        ['=1', '-5'],
        ['=1', '@x'],
        ['ok', '-'],
      ],
    );
    const { table: guarded, cellsChanged } = guardFormulaCells(table);
    expect(cellsChanged).toBe(1 + 2 + 2);
    expect(guarded.columns.map((column) => column.name)).toEqual(["'=name", 'b']);
    expect(guarded.columns[0].dictionary).toEqual(["'=1", 'ok']);
    expect(guarded.columns[1].dictionary).toEqual(['-5', "'@x", "'-"]);
    expect(guarded.columns[0].codes).toBe(table.columns[0].codes);
  });
});

describe('cloak anonymize --safe-csv', () => {
  let cli = '';
  const work = makeTempDir('safe-csv');
  const dangerous = ['=HYPERLINK("http://x","y")', '@SUM(1)', '+cmd', '-2+3', '\tTAB', '-5', '+7.5', 'plain', 'a=b'];
  beforeAll(async () => {
    cli = await buildCli();
    const rows = Array.from({ length: 18 }, (_, r) => [String(30 + (r % 3)), dangerous[r % dangerous.length]]);
    writeFileSync(join(work, 'data.csv'), ['age,note', ...rows.map((row) => row.map((cell) => (/[",\n]/.test(cell) ? `"${cell.replaceAll('"', '""')}"` : cell)).join(','))].join('\n') + '\n');
    mkdirSync(join(work, 'h'));
    // A hierarchy label that starts with "-" and is not a number: quasi-identifier output is guarded too.
    writeFileSync(join(work, 'h', 'age.csv'), '30;-3x-;*\n31;-3x-;*\n32;-3x-;*\n');
  }, 240_000);
  afterAll(() => rmSync(work, { recursive: true, force: true }));

  const run = (extra: string[], name: string) => {
    const result = runCli(cli, ['anonymize', 'data.csv', '-o', `${name}.csv`, '--report', `${name}.json`, '--qi', 'age', '--hierarchies', 'h', '--k', '18', ...extra], { cwd: work });
    expect(result.status, result.stderr).toBe(0);
    return {
      stderr: result.stderr,
      rows: parse(readFileSync(join(work, `${name}.csv`), 'utf8'), { relax_column_count: false }) as string[][],
      report: JSON.parse(readFileSync(join(work, `${name}.json`), 'utf8')) as { safeCsvCellsChanged?: number },
    };
  };

  it('is off by default: formula-like cells are written as they are, and the report has no count', () => {
    const plain = run([], 'plain');
    expect(plain.rows.map((row) => row[1])).toContain('=HYPERLINK("http://x","y")');
    expect(plain.report.safeCsvCellsChanged).toBeUndefined();
    expect(plain.stderr).not.toContain('safe-csv');
  });

  it("prefixes ' exactly to the cells that need it, reports the count, and leaves every other cell unchanged", () => {
    const plain = run([], 'plain');
    const safe = run(['--safe-csv'], 'safe');
    expect(safe.rows.length).toBe(plain.rows.length);
    let changed = 0;
    plain.rows.forEach((row, r) =>
      row.forEach((cell, c) => {
        const written = safe.rows[r][c];
        if (needsFormulaGuard(cell)) {
          expect(written).toBe(`'${cell}`);
          changed++;
        } else {
          expect(written).toBe(cell);
        }
      }),
    );
    // 18 generalized ages "-3x-", and per 9 rows: =HYPERLINK, @SUM, +cmd, -2+3, tab.
    expect(changed).toBe(18 + 2 * 5);
    expect(safe.report.safeCsvCellsChanged).toBe(changed);
    expect(safe.stderr).toContain(`safe-csv: ${changed} cells prefixed with '`);
    expect(safe.rows.map((row) => row[1])).toEqual(expect.arrayContaining(['-5', '+7.5', 'plain', 'a=b']));
  });
});
