// End-to-end tests of `cloak hierarchy build|check` and `cloak anonymize --hierarchy-spec` on the built CLI:
// exit codes, one-line errors without values or stack traces, no output on failure, and the shipped library.

import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildCli } from '../reliability/cli-harness.js';
import { readShippedSpecs, shippedDomain, shippedHierarchyRows } from '../../src/hierarchy/builders/shipped.js';
import { parseHierarchyText } from '../../src/hierarchy/load.js';
import { expectWellFormedHierarchy } from '../hierarchy/builders/hierarchy-checks.js';

const ROOT = resolve(import.meta.dirname, '../..');
/** The CLI built once per test run, shared by every file that runs it (see cli-harness.ts). */
let CLI: string;
const LIBRARY = join(ROOT, 'hierarchies');

let directory: string;

function cloak(...args: string[]): { status: number | null; stdout: string; stderr: string } {
  const result = spawnSync(process.execPath, [CLI, ...args], { cwd: directory, encoding: 'utf8' });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

/** A failed run: one `cloak: error:` line, no stack trace, none of the given values. */
function expectOneLineError(run: { stderr: string }, ...secrets: string[]): void {
  const lines = run.stderr.trimEnd().split('\n');
  expect(lines).toHaveLength(1);
  expect(lines[0]).toMatch(/^cloak: error: /);
  expect(run.stderr).not.toMatch(/\n\s+at /);
  for (const secret of secrets) expect(run.stderr).not.toContain(secret);
}

function csvField(value: string): string {
  return /[",\r\n]/.test(value) ? `"${value.replaceAll('"', '""')}"` : value;
}

function writeCsv(name: string, header: string[], rows: string[][]): string {
  const path = join(directory, name);
  writeFileSync(path, [header, ...rows].map((row) => row.map(csvField).join(',')).join('\n') + '\n');
  return path;
}

function readBuilt(path: string): string[][] {
  return parseHierarchyText(readFileSync(path, 'utf8'), path).rows;
}

const PEOPLE = [
  ['age', 'zip', 'visit', 'marital', 'rank', 'job'],
  ['23', '02139', '2024-01-31', 'Married', '3', 'nurse'],
  ['37', '02138', '2024-02-01', 'Divorced', '1', 'nurse'],
  ['41', '02139', '2023-12-31', 'Never married', '2', 'clerk'],
  ['58', '10001', '2024-01-01', 'Married', '5', 'clerk'],
  ['64', '10002', '2021-06-15', 'Widowed', '4', 'pilot'],
  ['95', '10002', '2024-01-31', 'Divorced', '6', 'nurse'],
];
const columnValues = (name: string) => PEOPLE.slice(1).map((row) => row[PEOPLE[0].indexOf(name)]);

beforeAll(async () => {
  CLI = await buildCli();
  expect(existsSync(CLI)).toBe(true);
  directory = mkdtempSync(join(tmpdir(), 'cloak-hierarchy-cli-'));
  writeCsv('people.csv', PEOPLE[0], PEOPLE.slice(1));
  writeFileSync(join(directory, 'old-runs.json'), JSON.stringify({ type: 'group', runSizes: [2, 4] }));
}, 240_000);

afterAll(() => rmSync(directory, { recursive: true, force: true }));

describe('cloak hierarchy build', () => {
  it.each([
    ['interval', 'age', ['--width', '10', '--fanout', '2,3', '--lower', '20', '--upper', '90']],
    ['mask', 'zip', ['--mask-char', 'x', '--direction', 'left-to-right']],
    ['date', 'visit', ['--chain', 'week']],
    ['group (ordered runs)', 'rank', ['--run-sizes', '2,2']],
    ['mask (aligned)', 'rank', ['--align', 'right', '--pad-char', '0']],
    ['frequency', 'job', ['--threshold', '2', '--other-label', 'rare']],
  ])('builds a %s hierarchy that is functional, nested and covers the column', (kind, column, options) => {
    const type = kind.split(' ')[0];
    const output = join(directory, `${column}-built.csv`);
    const run = cloak('hierarchy', 'build', '--type', type, '--data', 'people.csv', '--column', column, ...options, '-o', output);
    expect(run.stderr).toContain(`wrote ${output}`);
    expect(run.status).toBe(0);
    expectWellFormedHierarchy(columnValues(column), readBuilt(output));
  });

  it('builds a group hierarchy from a JSON mapping and writes to stdout with -o -', () => {
    writeFileSync(join(directory, 'marital.json'), JSON.stringify([{ 'Ever married': ['Married', 'Divorced', 'Widowed'], 'Never married': ['Never married'] }]));
    const run = cloak('hierarchy', 'build', '--type', 'group', '--groups', 'marital.json', '--data', 'people.csv', '--column', 'marital', '-o', '-');
    expect(run.status).toBe(0);
    const rows = parseHierarchyText(run.stdout, 'stdout').rows;
    expectWellFormedHierarchy(columnValues('marital'), rows);
    expect(rows.find((row) => row[0] === 'Widowed')).toEqual(['Widowed', 'Ever married', '*']);
  });

  it('builds from a --spec file in ARX format (; delimiter, labels with commas unquoted)', () => {
    writeFileSync(join(directory, 'age-spec.json'), JSON.stringify({ type: 'interval', width: 20 }));
    const output = join(directory, 'age-from-spec.csv');
    expect(cloak('hierarchy', 'build', '--spec', 'age-spec.json', '--data', 'people.csv', '--column', 'age', '-o', output).status).toBe(0);
    expect(readFileSync(output, 'utf8').split('\n')[0]).toBe('23;[20, 40);*');
  });

  it('builds over a shipped spec document\'s declared domain, where the data lacks most of it', () => {
    const output = join(directory, 'age-5-built.csv');
    const run = cloak('hierarchy', 'build', '--spec', join(LIBRARY, 'specs/age-5.json'), '--data', 'people.csv', '--column', 'age', '-o', output);
    expect(run.status).toBe(0);
    const rows = readBuilt(output);
    expect(rows).toHaveLength(121);
    expect(readFileSync(output, 'utf8')).toBe(readFileSync(join(LIBRARY, 'age-5.csv'), 'utf8'));
  });

  it('takes a declared range with --domain and refuses a data value outside it, naming file, column and line', () => {
    const output = join(directory, 'age-domain.csv');
    expect(cloak('hierarchy', 'build', '--type', 'interval', '--width', '10', '--domain', '0..120', '--data', 'people.csv', '--column', 'age', '-o', output).status).toBe(0);
    expect(readBuilt(output)).toHaveLength(121);
    const run = cloak('hierarchy', 'build', '--type', 'interval', '--width', '10', '--domain', '0..60', '--data', 'people.csv', '--column', 'age', '-o', join(directory, 'never.csv'));
    expect(run.status).toBe(3);
    expectOneLineError(run, '64', '95');
    expect(run.stderr).toContain('the value at people.csv line 6 is outside the declared domain, the numbers 0 to 60 (2 distinct values are)');
    expect(cloak('hierarchy', 'build', '--type', 'interval', '--width', '10', '--domain', '9..1', '--data', 'people.csv', '--column', 'age', '-o', '-').status).toBe(2);
  });

  it('names the data line of a value a builder cannot generalize, and quotes it only with --show-values', () => {
    const run = cloak('hierarchy', 'build', '--type', 'interval', '--width', '5', '--data', 'people.csv', '--column', 'job', '-o', join(directory, 'never.csv'));
    expect(run.status).toBe(3);
    expectOneLineError(run, 'nurse');
    expect(run.stderr).toContain('Interval hierarchy for column "job": the value at people.csv line 2 is not a finite decimal number');
    const shown = cloak('hierarchy', 'build', '--type', 'interval', '--width', '5', '--data', 'people.csv', '--column', 'job', '-o', '-', '--show-values');
    expect(shown.stderr).toContain('the value "nurse" at people.csv line 2');
  });

  it('refuses missing values unless --missing-label gives them a label', () => {
    writeCsv('with-gaps.csv', ['age', 'id'], [['23', '1'], ['NA', '2'], ['41', '3'], ['', '4'], ['NA', '5']]);
    const refused = cloak('hierarchy', 'build', '--type', 'interval', '--width', '10', '--data', 'with-gaps.csv', '--column', 'age', '-o', join(directory, 'never.csv'));
    expect(refused.status).toBe(3);
    expect(refused.stderr).toContain('the value at with-gaps.csv line 3 is missing (empty or NA); add "missing": { "label": "…" } to the spec');
    const built = cloak('hierarchy', 'build', '--type', 'interval', '--width', '10', '--fanout', '2', '--missing-label', 'Unknown', '--data', 'with-gaps.csv', '--column', 'age', '-o', '-');
    expect(built.status).toBe(0);
    expect(parseHierarchyText(built.stdout, 'stdout').rows).toEqual([
      ['23', '[20, 30)', '[20, 40)', '*'],
      ['41', '[40, 50)', '[40, 60)', '*'],
      ['NA', 'Unknown', 'Unknown', '*'],
      ['', 'Unknown', 'Unknown', '*'],
    ]);
  });

  it('reads --run-sizes as relative sizes, like --width and --fanout', () => {
    const run = cloak('hierarchy', 'build', '--type', 'group', '--run-sizes', '2,2', '--data', 'people.csv', '--column', 'rank', '-o', '-');
    expect(run.status).toBe(0);
    expect(parseHierarchyText(run.stdout, 'stdout').rows).toEqual([
      ['1', '[1, 2]', '[1, 4]', '*'],
      ['2', '[1, 2]', '[1, 4]', '*'],
      ['3', '[3, 4]', '[1, 4]', '*'],
      ['4', '[3, 4]', '[1, 4]', '*'],
      ['5', '[5, 6]', '[5, 6]', '*'],
      ['6', '[5, 6]', '[5, 6]', '*'],
    ]);
  });

  it('aligns codes of varying length with --align and --pad-char', () => {
    writeCsv('codes.csv', ['code'], [['7'], ['42'], ['105'], ['107']]);
    const run = cloak('hierarchy', 'build', '--type', 'mask', '--align', 'right', '--pad-char', '0', '--data', 'codes.csv', '--column', 'code', '-o', '-');
    expect(run.status).toBe(0);
    expect(parseHierarchyText(run.stdout, 'stdout').rows).toEqual([
      ['7', '00*', '0**', '*'],
      ['42', '04*', '0**', '*'],
      ['105', '10*', '1**', '*'],
      ['107', '10*', '1**', '*'],
    ]);
  });

  it('documents the --groups file formats in --help', () => {
    const help = cloak('hierarchy', '--help').stdout;
    expect(help).toContain('Group mapping files (--groups):');
    expect(help).toContain('JSON   [{"<label>": ["value", …], …}, …]');
    expect(help).toContain('CSV    any other extension: ARX layout');
  });

  it.each([
    ['an unknown type', ['--type', 'spiral'], 2],
    ['a flag of another type', ['--type', 'mask', '--width', '5'], 2],
    ['a missing required flag', ['--type', 'interval'], 2],
    ['a non-numeric width', ['--type', 'interval', '--width', '5x'], 2],
    ['a width of 0', ['--type', 'interval', '--width', '0'], 2],
    ['--align on an interval', ['--type', 'interval', '--width', '5', '--align', 'left'], 2],
    ['an empty --run-sizes', ['--type', 'group', '--run-sizes', ','], 2],
    ['the old absolute runSizes in a spec file', ['--spec', 'old-runs.json'], 2],
    ['both --type and --spec', ['--type', 'mask', '--spec', 'age-spec.json'], 2],
    ['an unknown column', ['--type', 'mask', '--column', 'nope'], 2],
    ['non-numeric values for an interval', ['--type', 'interval', '--width', '5', '--column', 'job'], 3],
    ['invalid dates', ['--type', 'date', '--column', 'job'], 3],
    ['a missing data file', ['--type', 'mask', '--data', 'absent.csv'], 3],
  ])('refuses %s with one error line and no output file', (_, flags, status) => {
    const output = join(directory, 'never-written.csv');
    const withDefaults = [...flags];
    if (!withDefaults.includes('--data')) withDefaults.push('--data', 'people.csv');
    if (!withDefaults.includes('--column')) withDefaults.push('--column', 'age');
    const run = cloak('hierarchy', 'build', ...withDefaults, '-o', output);
    expect(run.status).toBe(status);
    expectOneLineError(run, 'nurse', 'clerk');
    expect(existsSync(output)).toBe(false);
  });
});

describe('cloak hierarchy check', () => {
  beforeAll(() => {
    const hierarchies = join(directory, 'hierarchies');
    mkdirSync(hierarchies);
    writeFileSync(join(hierarchies, 'marital.csv'), 'Married;Ever;*\nDivorced;Ever;*\nWidowed;Ever;*\nNever married;Never;*\nSeparated;Ever;*\n');
    writeFileSync(join(hierarchies, 'job.csv'), 'nurse;Health;*\npilot;Transport;*\n');
    writeFileSync(join(hierarchies, 'rank.csv'), '1;low;*\n2;low;*\n3;low;*\n4;high;*\n5;high;*\n6;high;any\n6;high;*\n');
  });

  it('exits 0 when every hierarchy is usable, and prints the statistics', () => {
    const run = cloak('hierarchy', 'check', 'people.csv', '--hierarchies', 'hierarchies', '--qi', 'marital');
    expect(run.status).toBe(0);
    expect(run.stdout).toContain('marital: usable');
    expect(run.stdout).toContain('height 2, 5 row(s)');
    expect(run.stdout).toContain('level 1: 2 distinct in the data, 2 in the hierarchy');
    expect(run.stdout).toContain('hierarchy values absent from the data: 1 (not an error)');
  });

  it('exits 3 on missing values, naming the count, records and lines but not the value', () => {
    const run = cloak('hierarchy', 'check', 'people.csv', '--hierarchies', 'hierarchies', '--qi', 'marital,job');
    expect(run.status).toBe(3);
    expect(run.stdout).toContain('job: NOT USABLE');
    expect(run.stdout).toContain('1 distinct value(s) of column "job" are missing from its hierarchy, in 2 record(s); first at people.csv lines 4, 5');
    expect(run.stdout).not.toContain('clerk');
    expect(run.stderr).toBe('cloak: error: 1 of 2 hierarchies cannot be used with this data\n');
  });

  it('shows the missing values with --show-values', () => {
    const run = cloak('hierarchy', 'check', 'people.csv', '--hierarchies', 'hierarchies', '--qi', 'job', '--show-values');
    expect(run.status).toBe(3);
    expect(run.stdout).toContain('"clerk"');
  });

  it('reports non-functional and non-nested rows and a missing file, and prints JSON with --json', () => {
    const run = cloak('hierarchy', 'check', 'people.csv', '--hierarchies', 'hierarchies', '--qi', 'rank,zip', '--json');
    expect(run.status).toBe(3);
    const checks = JSON.parse(run.stdout) as Array<{ attribute: string; usable: boolean; report?: { problems: Array<{ code: string; location: { line: number } }> }; failure?: { code: string } }>;
    expect(checks.map((check) => [check.attribute, check.usable])).toEqual([['rank', false], ['zip', false]]);
    // Line 6 gives "high" a second parent; line 7 repeats the value of line 6.
    expect(checks[0].report!.problems.map((problem) => [problem.code, problem.location.line])).toEqual([
      ['HIERARCHY_NOT_FUNCTIONAL', 7],
      ['HIERARCHY_NOT_NESTED', 6],
    ]);
    expect(checks[1].failure!.code).toBe('HIERARCHY_NOT_FOUND');
  });

  it('refuses bad arguments with exit 2', () => {
    const run = cloak('hierarchy', 'check', 'people.csv', '--qi', 'job');
    expect(run.status).toBe(2);
    expectOneLineError(run);
    expect(cloak('hierarchy', 'check', 'people.csv', '--hierarchies', 'hierarchies', '--qi', 'nope').status).toBe(2);
    expect(cloak('hierarchy', 'frobnicate').status).toBe(2);
  });

  it('passes every shipped hierarchy against its own domain', () => {
    const shipped = readShippedSpecs(LIBRARY).filter((entry) => shippedHierarchyRows(entry) !== undefined);
    const domains = shipped.map((entry) => shippedDomain(entry.spec)!);
    const rowCount = Math.max(...domains.map((domain) => domain.length));
    const rows = Array.from({ length: rowCount }, (_, row) => domains.map((domain) => domain[row % domain.length]));
    writeCsv('shipped-domains.csv', shipped.map((entry) => entry.name), rows);
    const run = cloak('hierarchy', 'check', 'shipped-domains.csv', '--hierarchies', LIBRARY, '--qi', shipped.map((entry) => entry.name).join(','), '--json');
    const checks = JSON.parse(run.stdout) as Array<{ attribute: string; usable: boolean; report: { absentFromData: number } }>;
    expect(checks.map((check) => [check.attribute, check.usable, check.report.absentFromData])).toEqual(shipped.map((entry) => [entry.name, true, 0]));
    expect(run.status).toBe(0);
  });
});

describe('cloak anonymize --hierarchy-spec', () => {
  it('builds the hierarchies from the spec file, without hierarchy files', () => {
    writeFileSync(join(directory, 'spec.json'), JSON.stringify({ age: { type: 'interval', width: 20, fanout: [2] }, zip: { type: 'mask' } }));
    const output = join(directory, 'anonymized.csv');
    const run = cloak('anonymize', 'people.csv', '-o', output, '--qi', 'age,zip', '--hierarchy-spec', 'spec.json', '--k', '2', '-q');
    expect(run.stderr).toBe('');
    expect(run.status).toBe(0);
    const lines = readFileSync(output, 'utf8').trimEnd().split('\n');
    expect(lines[0]).toBe(PEOPLE[0].join(','));
    expect(lines).toHaveLength(PEOPLE.length);
    // Every age is generalized into a range or suppressed, every ZIP masked.
    for (const line of lines.slice(1)) expect(line).toMatch(/^("\[\d+, \d+\)"|\*),[0-9]*\*+,/);
  });

  it('reports every problem of the spec file with its JSON path, used entries or not', () => {
    writeFileSync(join(directory, 'bad-spec.json'), JSON.stringify({ age: { type: 'interval' }, zip: { type: 'mask', colour: 'red' }, rank: { type: 'group' } }));
    const run = cloak('anonymize', 'people.csv', '-o', join(directory, 'never.csv'), '--qi', 'age,zip', '--hierarchy-spec', 'bad-spec.json', '--k', '2');
    expect(run.status).toBe(2);
    expect(run.stderr).toContain('$.age.width is required');
    expect(run.stderr).toContain('$.zip.colour is not a field of "mask" specs');
    expect(run.stderr).toContain('$.rank must have exactly one of "levels" and "runSize"');
    expect(existsSync(join(directory, 'never.csv'))).toBe(false);
  });

  it('serves any choice of quasi-identifiers from one spec file, ignoring the entries this run does not use', () => {
    const spec = { age: { type: 'interval', width: 20, fanout: [2] }, zip: { type: 'mask' }, job: { type: 'frequency', threshold: 2 }, rank: { type: 'group', runSize: 2 } };
    writeFileSync(join(directory, 'all-columns.json'), JSON.stringify(spec));
    for (const qi of ['age', 'zip,job', 'rank,age']) {
      const run = cloak('anonymize', 'people.csv', '-o', join(directory, 'any-qi.csv'), '--qi', qi, '--hierarchy-spec', 'all-columns.json', '--k', '2', '-q');
      expect(run.stderr).toBe('');
      expect(run.status).toBe(0);
    }
  });

  it('takes a spec document as in hierarchies/specs as an entry, with its declared domain', () => {
    const document = JSON.parse(readFileSync(join(LIBRARY, 'specs/age-10.json'), 'utf8')) as unknown;
    writeFileSync(join(directory, 'document-spec.json'), JSON.stringify({ age: document }));
    const output = join(directory, 'document-anonymized.csv');
    const run = cloak('anonymize', 'people.csv', '-o', output, '--qi', 'age', '--hierarchy-spec', 'document-spec.json', '--k', '2', '-q');
    expect(run.stderr).toBe('');
    expect(run.status).toBe(0);
    for (const line of readFileSync(output, 'utf8').trimEnd().split('\n').slice(1)) expect(line).toMatch(/^("\[\d+, \d+\)"|≥90|\*),/);
  });

  it('names the data line of a value outside a declared domain, without the value', () => {
    writeFileSync(join(directory, 'narrow-spec.json'), JSON.stringify({ age: { type: 'interval', width: 10, domain: { from: 0, to: 90 } } }));
    const run = cloak('anonymize', 'people.csv', '-o', join(directory, 'never.csv'), '--qi', 'age', '--hierarchy-spec', 'narrow-spec.json', '--k', '2');
    expect(run.status).toBe(3);
    expectOneLineError(run, '95');
    expect(run.stderr).toContain('Interval hierarchy for column "age": the value at people.csv line 7 is outside the declared domain, the numbers 0 to 90');
    const shown = cloak('anonymize', 'people.csv', '-o', join(directory, 'never.csv'), '--qi', 'age', '--hierarchy-spec', 'narrow-spec.json', '--k', '2', '--show-values');
    expect(shown.stderr).toContain('the value "95" at people.csv line 7');
    expect(existsSync(join(directory, 'never.csv'))).toBe(false);
  });
  it('refuses a spec file that is not JSON, with one line', () => {
    writeFileSync(join(directory, 'broken.json'), '{ "age": secret');
    const run = cloak('anonymize', 'people.csv', '-o', join(directory, 'never.csv'), '--qi', 'age', '--hierarchy-spec', 'broken.json', '--k', '2');
    expect(run.status).toBe(2);
    expectOneLineError(run, 'secret');
  });
});
