// Risk of a table: estimateRisk over records, Arrow and CSV input, the exclusion of suppressed records,
// population sizes and presets, population tables (format, every validation error), and the anonymize report section.

import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { anonymizeEncoded } from '../../src/anonymize.js';
import { CloakError } from '../../src/errors.js';
import { estimateRisk } from '../../src/risk/estimate-risk.js';
import { estimateRiskFromClassSizes, POPULATION_PRESETS } from '../../src/risk/index.js';
import { resolvePopulationSize } from '../../src/risk/table-risk.js';
import { toArrowTable } from '../../src/table/to-arrow.js';
import { encodeRows } from '../../src/table/encoded-table.js';

const directory = mkdtempSync(join(tmpdir(), 'cloak-risk-'));
afterAll(() => rmSync(directory, { recursive: true, force: true }));

function file(name: string, text: string): string {
  const path = join(directory, name);
  writeFileSync(path, text);
  return path;
}

// Classes (Zorro, 1)×3, (Zorro, 2)×1, (Yves, 1)×2, and one suppressed record; `note` is not a quasi-identifier.
const RECORDS = [
  ...Array.from({ length: 3 }, (_, i) => ({ name: 'Zorro', zip: '1', note: `n${i}` })),
  { name: 'Zorro', zip: '2', note: 'n3' },
  { name: 'Yves', zip: '1', note: 'n4' },
  { name: 'Yves', zip: '1', note: 'n5' },
  { name: '*', zip: '*', note: 'n6' },
];
const QI = ['name', 'zip'];
const POPULATION = 'name,zip,count\nZorro,1,30\nZorro,2,10\nYves,1,20\nYves,2,40\n';

/** Asserts a CloakError with `code` whose message holds none of the data's values. */
async function expectError(promise: Promise<unknown>, code: string): Promise<CloakError> {
  const error = await promise.then(
    () => undefined,
    (caught: unknown) => caught,
  );
  expect(error).toBeInstanceOf(CloakError);
  expect((error as CloakError).code).toBe(code);
  for (const value of ['Zorro', 'Yves']) expect((error as CloakError).message).not.toContain(value);
  return error as CloakError;
}

describe('estimateRisk', () => {
  it('groups by the quasi-identifiers and leaves out records suppressed in every one', async () => {
    const report = await estimateRisk(RECORDS, { quasiIdentifiers: QI });
    expect(report).toMatchObject({ quasiIdentifiers: QI, rows: 7, excludedRecords: 1, records: 6, classes: 3 });
    expect(report.prosecutor).toEqual({
      highestRisk: 1,
      lowestRisk: 1 / 3,
      averageRisk: 3 / 6,
      recordsAffectedByHighestRisk: { count: 1, fraction: 1 / 6 },
      recordsAtRisk: { count: 6, fraction: 1, threshold: 0.2 },
    });
    expect(report.sampleUniqueness).toEqual({ count: 1, fraction: 1 / 6 });
    expect(report.populationUniqueness.estimate).toEqual({ available: false, reason: 'no population size given' });
    // The same figures as the numeric core over the class sizes.
    const { quasiIdentifiers, rows, excludedRecords, ...figures } = report;
    expect(figures).toEqual(estimateRiskFromClassSizes([3, 1, 2]));
    expect([quasiIdentifiers, rows, excludedRecords]).toEqual([QI, 7, 1]);
  });

  it('keeps a record with only some quasi-identifiers suppressed', async () => {
    const report = await estimateRisk([...RECORDS, { name: '*', zip: '1', note: 'n7' }], { quasiIdentifiers: QI });
    expect([report.records, report.classes, report.excludedRecords]).toEqual([7, 4, 1]);
  });

  it('reads Arrow tables and CSV files to the same report', async () => {
    const fromRecords = await estimateRisk(RECORDS, { quasiIdentifiers: QI, population: 1000, threshold: 0.4 });
    const header = 'name;zip;note\n';
    const csv = file('people.csv', header + RECORDS.map((r) => `${r.name};${r.zip};${r.note}`).join('\n') + '\n');
    const table = encodeRows(['name', 'zip', 'note'], RECORDS.map((r) => [r.name, r.zip, r.note]));
    expect(await estimateRisk(csv, { quasiIdentifiers: QI, population: 1000, threshold: 0.4 })).toEqual(fromRecords);
    expect(await estimateRisk(toArrowTable(table), { quasiIdentifiers: QI, population: '1000', threshold: 0.4 })).toEqual(fromRecords);
    // Risks 1 and 1/2 are above 0.4, 1/3 is not.
    expect(fromRecords.prosecutor.recordsAtRisk).toEqual({ count: 3, fraction: 3 / 6, threshold: 0.4 });
    expect(fromRecords.populationUniqueness.populationSize).toBe(1000);
  });

  it('is plain JSON: a report survives a round trip unchanged', async () => {
    const report = await estimateRisk(RECORDS, { quasiIdentifiers: QI, population: 'USA' });
    expect(JSON.parse(JSON.stringify(report))).toEqual(report);
  });

  it('refuses unknown, repeated or missing quasi-identifiers, all at once', async () => {
    const error = await expectError(estimateRisk(RECORDS, { quasiIdentifiers: ['name', 'name', 'age'] }), 'RISK_QUASI_IDENTIFIERS');
    expect(error.problems).toEqual(['quasi-identifier "name" is given twice', 'quasi-identifier "age" is not in the header of records']);
    await expectError(estimateRisk(RECORDS, { quasiIdentifiers: [] }), 'RISK_QUASI_IDENTIFIERS');
  });

  it('refuses bad thresholds, populations and models', async () => {
    await expectError(estimateRisk(RECORDS, { quasiIdentifiers: QI, threshold: 1.5 }), 'RISK_THRESHOLD');
    await expectError(estimateRisk(RECORDS, { quasiIdentifiers: QI, population: 'Atlantis' }), 'RISK_POPULATION_SIZE');
    await expectError(estimateRisk(RECORDS, { quasiIdentifiers: QI, population: 5 }), 'RISK_POPULATION_SIZE');
    await expectError(estimateRisk(RECORDS, { quasiIdentifiers: QI, populationModel: 'gauss' as never }), 'RISK_POPULATION_MODEL');
  });
});

describe('population sizes', () => {
  it('resolves presets in any letter case, integers and integer strings', () => {
    expect(resolvePopulationSize('USA')).toBe(317238626);
    expect(resolvePopulationSize('germany')).toBe(POPULATION_PRESETS.Germany);
    expect(resolvePopulationSize(' 100000 ')).toBe(100000);
    expect(resolvePopulationSize(42)).toBe(42);
    for (const bad of ['', '1e5', '-3', 'Mars', 0, 2.5, Number.NaN]) expect(() => resolvePopulationSize(bad)).toThrow(CloakError);
  });
});

describe('population tables', () => {
  it('give the journalist and marketer risks; combinations absent from the data may be listed', async () => {
    const report = await estimateRisk(RECORDS, { quasiIdentifiers: QI, populationTable: file('population.csv', POPULATION) });
    // F_E = 30, 10, 20 for classes of 3, 1, 2 records: every record's risk is 1/10.
    expect(report.journalist).toEqual({
      highestRisk: 1 / 10,
      lowestRisk: 1 / 30,
      averageRisk: (3 / 30 + 1 / 10 + 2 / 20) / 6,
      recordsAffectedByHighestRisk: { count: 1, fraction: 1 / 6 },
      recordsAtRisk: { count: 0, fraction: 0, threshold: 0.2 },
    });
    expect(report.marketer.averageRisk).toBe(report.journalist.averageRisk);
    expect(report.prosecutor.highestRisk).toBe(1);
  });

  it('may be given as records, in any column order, with counts as numbers', async () => {
    const rows = [
      { count: 30, zip: '1', name: 'Zorro' },
      { count: 10, zip: '2', name: 'Zorro' },
      { count: 20, zip: '1', name: 'Yves' },
      { count: 40, zip: '2', name: 'Yves' },
    ];
    const fromFile = await estimateRisk(RECORDS, { quasiIdentifiers: QI, populationTable: file('population2.csv', POPULATION) });
    expect(await estimateRisk(RECORDS, { quasiIdentifiers: QI, populationTable: rows })).toEqual(fromFile);
  });

  it.each([
    ['no count column', 'name,zip\nZorro,1\n', 'RISK_POPULATION_TABLE_HEADER', /lacks the column\(s\) "count"/],
    ['a column that is not a quasi-identifier', 'name,zip,note,count\nZorro,1,x,3\n', 'RISK_POPULATION_TABLE_HEADER', /"note"/],
    ['a fractional count', 'name,zip,count\nZorro,1,30\nZorro,2,1.5\n', 'RISK_POPULATION_COUNT', /line 3: "count" must be a non-negative integer/],
    ['a negative count', 'name,zip,count\nZorro,1,-30\n', 'RISK_POPULATION_COUNT', /line 2/],
    ['an empty count', 'name,zip,count\nZorro,1,\n', 'RISK_POPULATION_COUNT', /line 2/],
    ['a repeated combination', POPULATION + 'Yves,1,20\n', 'RISK_POPULATION_DUPLICATE', /line 6: the same combination as line 4/],
    ['a combination of the data missing', 'name,zip,count\nZorro,1,30\nYves,1,20\n', 'RISK_POPULATION_UNKNOWN_COMBINATION', /1 combination\(s\) of the data \(1 record\(s\)\) have no row/],
    ['a count below the records', 'name,zip,count\nZorro,1,2\nZorro,2,10\nYves,1,20\n', 'RISK_POPULATION_COUNT_TOO_SMALL', /1 combination\(s\) count fewer people/],
  ])('refuses a table with %s, naming the problem without values', async (_, text, code, message) => {
    const error = await expectError(estimateRisk(RECORDS, { quasiIdentifiers: QI, populationTable: file(`bad-${code}.csv`, text) }), code);
    expect(error.message).toMatch(message);
  });
});

describe('the population size a population table implies', () => {
  it('is the sum of its counts when no population is given', async () => {
    const report = await estimateRisk(RECORDS, { quasiIdentifiers: QI, populationTable: file('population-implied.csv', POPULATION) });
    expect(report.populationUniqueness.populationSize).toBe(30 + 10 + 20 + 40);
    expect(report).toEqual(await estimateRisk(RECORDS, { quasiIdentifiers: QI, population: 100, populationTable: file('population-implied.csv', POPULATION) }));
  });

  it('gives way to an explicit population', async () => {
    const report = await estimateRisk(RECORDS, { quasiIdentifiers: QI, population: 'USA', populationTable: file('population-explicit.csv', POPULATION) });
    expect(report.populationUniqueness.populationSize).toBe(POPULATION_PRESETS.USA);
  });
});

describe('the risk section of an anonymization', () => {
  const hierarchies = {
    name: [
      ['Zorro', 'ZY', '*'],
      ['Yves', 'ZY', '*'],
    ],
    zip: [
      ['1', '1-2', '*'],
      ['2', '1-2', '*'],
    ],
  };
  const table = encodeRows(['name', 'zip', 'note'], RECORDS.slice(0, 6).map((r) => [r.name, r.zip, r.note]));
  const options = (risk: object) => ({
    attributes: { name: { role: 'quasi-identifying' as const, hierarchy: hierarchies.name }, zip: { role: 'quasi-identifying' as const, hierarchy: hierarchies.zip } },
    models: [{ type: 'k-anonymity' as const, k: 6 }],
    risk,
  });

  it('reports input and released output side by side, the population table carried through the hierarchies', async () => {
    const { report } = await anonymizeEncoded(table, options({ population: 1000, populationTable: file('population3.csv', POPULATION) }), { file: 'people' });
    expect(report.transformation).toEqual({ name: 1, zip: 1 });
    expect(report.risk.input).toEqual(
      estimateRiskFromClassSizes([3, 1, 2], { populationSize: 1000, populationCounts: Float64Array.of(30, 10, 20) }),
    );
    // One output class (ZY, 1-2) of 6 records; the population has 30 + 10 + 20 + 40 people with it.
    expect(report.risk.output).toEqual(estimateRiskFromClassSizes([6], { populationSize: 1000, populationCounts: Float64Array.of(100) }));
    expect(report.risk.output.journalist.highestRisk).toBe(1 / 100);
  });

  it('leaves suppressed records out of the output figures', async () => {
    const suppressing = { ...options({}), models: [{ type: 'k-anonymity' as const, k: 2 }], suppressionLimit: 1 / 6, search: { strategy: 'exhaustive' as const } };
    const { report } = await anonymizeEncoded(table, { ...suppressing, metric: 'height' }, { file: 'people' });
    expect(report.transformation).toEqual({ name: 0, zip: 0 });
    expect(report.suppressed).toBe(1);
    expect(report.risk.output).toEqual(estimateRiskFromClassSizes([3, 2]));
  });

  it('refuses, before searching, population values that are not in the hierarchy', async () => {
    const bad = file('population4.csv', POPULATION + 'Zelda,2,5\n');
    const error = await expectError(anonymizeEncoded(table, options({ populationTable: bad }), { file: 'people' }), 'RISK_POPULATION_NOT_IN_HIERARCHY');
    expect(error.message).toMatch(/line 6: the value of "name" is not in its hierarchy/);
    expect(error.message).not.toContain('Zelda');
  });

  it('refuses a population smaller than the input', async () => {
    await expectError(anonymizeEncoded(table, options({ population: 5 }), { file: 'people' }), 'RISK_POPULATION_SIZE');
  });
});
