// Tests of checkModels (a policy's models on one table), of checkPolicy's declared-type order for ordered t-closeness,
// and of readCsvTable, on hand-computed tables.

import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { AnonymizeOptions } from '../../src/options.js';
import { assertModels, AnonymizationAssertionError, checkKAnonymity, checkModels, checkPolicy, readCsvTable, type ClassFailure } from '../../src/testing/index.js';

const flat = (values: string[]): string[][] => values.map((value) => [value, '*']);

describe('checkModels', () => {
  const table = [
    { zip: 'a', disease: 'flu' },
    { zip: 'a', disease: 'cold' },
    { zip: 'b', disease: 'flu' },
    { zip: 'b', disease: 'flu' },
  ];
  const policy: AnonymizeOptions = {
    attributes: { zip: { role: 'quasi-identifying' }, disease: { role: 'sensitive' } },
    models: [
      { type: 'k-anonymity', k: 2 },
      { type: 'distinct-l-diversity', attribute: 'disease', l: 2 },
      { type: 't-closeness', attribute: 'disease', t: 0.3, distance: 'equal' },
    ],
  };

  it('checks every model, with the table itself as the reference by default', () => {
    // p = (flu ¾, cold ¼); class b q = (1, 0): ½(¼ + ¼) = ¼ ≤ 0.3; class a q = (½, ½): ½(¼ + ¼) = ¼.
    const verdict = checkModels(table, policy);
    expect(verdict.check).toBe('privacy models');
    expect(verdict.verdicts.map((v) => [v.check, v.ok])).toEqual([
      ['2-anonymity', true],
      ['distinct 2-diversity (disease)', false],
      ['0.3-closeness (disease, equal distance)', true],
    ]);
    expect(verdict.stats).toEqual({ rowCount: 4, classCount: 2, suppressedCount: 0 });
    expect(() => assertModels(table, policy)).toThrow(AnonymizationAssertionError);
  });

  it('measures against a reference table when given one', () => {
    // Reference p = (flu ¼, cold ¾): class b q = (1, 0) is ¾ away.
    const reference = [{ disease: 'flu' }, { disease: 'cold' }, { disease: 'cold' }, { disease: 'cold' }];
    const verdict = checkModels(table, { ...policy, models: [policy.models[2]] }, { reference });
    expect(verdict.ok).toBe(false);
    if (verdict.ok) return;
    expect((verdict.failures[0] as ClassFailure).measure).toBeCloseTo(0.75, 12);
  });

  it('agrees with the single checkers, and refuses a missing column', () => {
    expect(checkModels(table, { ...policy, models: [policy.models[0]] }).verdicts[0]).toEqual(checkKAnonymity(table, { qi: ['zip'], k: 2 }));
    expect(() => checkModels(table, { ...policy, attributes: { ...policy.attributes, age: { role: 'quasi-identifying' } } })).toThrow(/no column "age"/);
  });
});

describe('checkPolicy: ordered t-closeness follows the declared type', () => {
  // Class {x}: values A, B; class {y}: values C, C. The worst distance depends only on where C sorts.
  function verdictFor(values: [string, string, string], attribute: AnonymizeOptions['attributes'][string]) {
    const [a, b, c] = values;
    const table = [
      { q: 'x', s: a },
      { q: 'x', s: b },
      { q: 'y', s: c },
      { q: 'y', s: c },
    ];
    const policy: AnonymizeOptions = {
      attributes: { q: { role: 'quasi-identifying', hierarchy: flat(['x', 'y']) }, s: attribute },
      models: [{ type: 't-closeness', attribute: 's', t: 1, distance: 'ordered' }],
    };
    const verdict = checkPolicy(table, table, policy);
    return verdict.verdicts[2].stats.worst;
  }

  // p = (A ¼, B ¼, C ½). C between A and B: class {x} = (½, 0, ½) against (¼, ½, ¼) gives differences ¼, −¼, 0, so
  // (¼ + ¼)/2 = ¼, and class {y} likewise ¼. C at either end: class {x} gives ¼, ½ (or −½, −¼), so (¼ + ½)/2 = ⅜.
  it('sorts strings by code point, integers numerically, dates through their format', () => {
    // Numerically 2 < 9 < 10, by code point "10" < "2" < "9".
    expect(verdictFor(['2', '10', '9'], { role: 'sensitive' })).toBeCloseTo(0.375, 12);
    expect(verdictFor(['2', '10', '9'], { role: 'sensitive', type: 'integer' })).toBeCloseTo(0.25, 12);
    // Chronologically Feb 2020 < Mar 2020 < Jan 2021; as text "01.01.2021" sorts first.
    const dates: [string, string, string] = ['01.02.2020', '01.01.2021', '01.03.2020'];
    expect(verdictFor(dates, { role: 'sensitive', type: 'date', format: 'DD.MM.YYYY' })).toBeCloseTo(0.25, 12);
    expect(verdictFor(dates, { role: 'sensitive' })).toBeCloseTo(0.375, 12);
  });

  it('refuses values that do not parse as the declared type', () => {
    expect(() => verdictFor(['2', 'x', '10'], { role: 'sensitive', type: 'decimal' })).toThrow(/1 value\(s\) of "s" do not parse as its declared type decimal/);
  });
});

describe('readCsvTable', () => {
  it('reads a CSV file into a columnar table every checker accepts', async () => {
    const directory = mkdtempSync(join(tmpdir(), 'cloak-testing-csv-'));
    try {
      const path = join(directory, 'export.csv');
      writeFileSync(path, 'zip;disease\na;flu\na;cold\nb;"flu"\n');
      const file = await readCsvTable(path);
      expect(file.delimiter).toBe(';');
      expect(file.columnNames).toEqual(['zip', 'disease']);
      expect(file.table.rowCount).toBe(3);
      expect(checkKAnonymity(file.table, { qi: ['zip'], k: 2 }).ok).toBe(false);
      await expect(readCsvTable(join(directory, 'absent.csv'))).rejects.toMatchObject({ exitCode: 3 });
    } finally {
      rmSync(directory, { recursive: true, force: true });
    }
  });
});
