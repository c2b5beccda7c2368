// End-to-end tests of `cloak risk` and of the risk flags of `cloak anonymize` and `cloak check` on the built CLI:
// one JSON document equal to the library's, the summary, exit codes, one-line errors without values.

import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildCli } from '../reliability/cli-harness.js';
import { estimateRisk } from '../../src/risk/estimate-risk.js';

/** The CLI built once per test run, shared by every file that runs it (see cli-harness.ts). */
let CLI: string;

let directory: string;

function cloak(args: string[], input?: string): { status: number | null; stdout: string; stderr: string } {
  const result = spawnSync(process.execPath, [CLI, ...args], { cwd: directory, encoding: 'utf8', input });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

/** A failed run: one `cloak: error:` line, no stack trace, none of the data's values. */
function expectOneLineError(run: { stderr: string; stdout: string }): void {
  const lines = run.stderr.trimEnd().split('\n');
  expect(lines).toHaveLength(1);
  expect(lines[0]).toMatch(/^cloak: error: /);
  expect(run.stderr).not.toMatch(/\n\s+at /);
  for (const secret of ['Zorro', 'Yves', 'Xena']) expect(run.stderr).not.toContain(secret);
  expect(run.stdout).toBe('');
}

// Classes (Zorro, 10)×3, (Zorro, 20)×1, (Yves, 10)×2, (Xena, 30)×4; `visit` is not a quasi-identifier.
const DATA = [
  'name,zip,visit',
  'Zorro,10,a',
  'Zorro,10,b',
  'Zorro,10,c',
  'Zorro,20,d',
  'Yves,10,e',
  'Yves,10,f',
  'Xena,30,g',
  'Xena,30,h',
  'Xena,30,i',
  'Xena,30,j',
].join('\n');
const POPULATION = 'name,zip,count\nZorro,10,30\nZorro,20,10\nYves,10,20\nXena,30,400\n';

beforeAll(async () => {
  CLI = await buildCli();
  directory = mkdtempSync(join(tmpdir(), 'cloak-risk-cli-'));
  writeFileSync(join(directory, 'data.csv'), DATA + '\n');
  writeFileSync(join(directory, 'population.csv'), POPULATION);
  writeFileSync(join(directory, 'name.csv'), 'Zorro,ZY,*\nYves,ZY,*\nXena,X,*\n');
  writeFileSync(join(directory, 'zip.csv'), '10,10-20,*\n20,10-20,*\n30,30,*\n');
}, 240_000);
afterAll(() => rmSync(directory, { recursive: true, force: true }));

describe('cloak risk', () => {
  it('prints exactly one JSON document, equal to estimateRisk', async () => {
    const run = cloak(['risk', 'data.csv', '--qi', 'name,zip', '--population', 'USA', '--risk-threshold', '0.3', '--population-table', 'population.csv', '--json']);
    expect(run.status).toBe(0);
    expect(run.stderr).toBe('');
    const printed = JSON.parse(run.stdout);
    const expected = await estimateRisk(join(directory, 'data.csv'), {
      quasiIdentifiers: ['name', 'zip'],
      population: 'USA',
      threshold: 0.3,
      populationTable: join(directory, 'population.csv'),
    });
    expect(printed).toEqual(JSON.parse(JSON.stringify(expected)));
    expect(printed.records).toBe(10);
    expect(printed.sampleUniqueness).toEqual({ count: 1, fraction: 0.1 });
    expect(printed.journalist.highestRisk).toBe(0.1);
    expect(printed.populationUniqueness.populationSize).toBe(317238626);
  });

  it('reads stdin and prints a readable summary', () => {
    const run = cloak(['risk', '-', '--qi', 'name,zip'], DATA + '\n');
    expect(run.status).toBe(0);
    expect(run.stdout).toContain('records: 10 in 4 classes');
    expect(run.stdout).toContain('sample uniques: 1 (10%)');
    expect(run.stdout).toContain('population uniqueness: not computed (give --population or --population-table)');
    expect(run.stdout).toContain('prosecutor: highest 100% (1 record), average 40%, lowest 25%');
  });

  it('rounds the summary\'s figures for reading, and takes the population size from a population table', () => {
    const run = cloak(['risk', 'data.csv', '--qi', 'name,zip', '--population-table', 'population.csv']);
    expect(run.status).toBe(0);
    // 30 + 10 + 20 + 400 people; the journalist's average risk is 0.03125 (3.1%), N = 460 gives 10/460 = 0.021739…
    expect(run.stdout).toContain('  journalist: highest 10%, average 3.1%, records at risk 0 (0%)');
    expect(run.stdout).toContain('  population uniqueness (N = 460, sampling fraction 0.02174):');
    expect(run.stdout).toMatch(/^ {4}zayatz {3}\d+(\.\d{1,3})? uniques, \d+(\.\d)?% of the population$/m);
    expect(JSON.parse(cloak(['risk', 'data.csv', '--qi', 'name,zip', '--population-table', 'population.csv', '--json']).stdout).populationUniqueness.samplingFraction).toBe(10 / 460);
  });

  it.for(['arrow', 'arrows'] as const)('reads what cloak anonymize --output-format %s writes, with the figures of its CSV twin', (format) => {
    const flags = ['--qi', 'name,zip', '--hierarchies', '.', '--k', '2', '-q'];
    expect(cloak(['anonymize', 'data.csv', '-o', `twin.${format}`, ...flags]).status).toBe(0);
    expect(cloak(['anonymize', 'data.csv', '-o', 'twin.csv', ...flags]).status).toBe(0);
    const fromArrow = cloak(['risk', `twin.${format}`, '--qi', 'name,zip', '--json']);
    expect(fromArrow.stderr).toBe('');
    expect(fromArrow.status).toBe(0);
    expect(JSON.parse(fromArrow.stdout)).toEqual(JSON.parse(cloak(['risk', 'twin.csv', '--qi', 'name,zip', '--json']).stdout));
    expect(JSON.parse(fromArrow.stdout).records).toBe(10);
    // Any name, and stdin, with --input-format.
    writeFileSync(join(directory, 'twin.bin'), readFileSync(join(directory, `twin.${format}`)));
    expect(cloak(['risk', 'twin.bin', '--qi', 'name,zip', '--input-format', format, '--json']).stdout).toBe(fromArrow.stdout);
    const piped = spawnSync(process.execPath, [CLI, 'risk', '-', '--qi', 'name,zip', '--input-format', format, '--json'], { cwd: directory, input: readFileSync(join(directory, 'twin.bin')) });
    expect(piped.stdout.toString()).toBe(fromArrow.stdout);
  });

  it('refuses a CSV file read as Arrow with one line (exit 3)', () => {
    const run = cloak(['risk', 'data.csv', '--qi', 'name', '--input-format', 'arrow']);
    expect(run.status).toBe(3);
    expectOneLineError(run);
    expect(run.stderr).toContain('data.csv: not an Arrow IPC file or stream');
  });

  it('prints its help, with the population table format', () => {
    const run = cloak(['risk', '--help']);
    expect(run.status).toBe(0);
    expect(run.stdout).toMatch(/^Usage: cloak risk/);
    expect(run.stdout).toContain('"count"');
    expect(cloak(['--help']).stdout).toContain('risk        estimate the re-identification risk');
  });

  it.each([
    [['risk', 'data.csv'], 2, /--qi is required/],
    [['risk', 'data.csv', '--qi', 'name', '--population', 'Atlantis'], 2, /--population: expected a positive integer or USA/],
    [['risk', 'data.csv', '--qi', 'name', '--risk-threshold', '2'], 2, /--risk-threshold: expected a number in \[0, 1\]/],
    [['risk', 'data.csv', '--qi', 'name', '--population-model', 'gauss'], 2, /--population-model: expected one of pitman/],
    [['risk', 'data.csv', '--qi', 'name,age'], 2, /quasi-identifier "age" is not in the header of data.csv$/m],
    [['risk', 'data.csv', '--qi', 'Name,zip'], 2, /quasi-identifier "Name" is not in the header of data.csv; did you mean "name"\?/],
    [['risk', 'data.csv', '--qi', 'name,zip', '--delimiter', ';'], 2, /the header of data.csv has one column; is the delimiter ","\? \(--delimiter ','\)/],
    [['risk', 'data.csv', '--qi', 'name', '--population', '5'], 2, /population size 5 is smaller than the 10 records/],
    [['risk', 'missing.csv', '--qi', 'name'], 3, /cannot read input file/],
    [['risk', 'data.csv', '--qi', 'name,zip', '--bogus'], 2, /unknown option --bogus; see cloak risk --help/],
  ])('%j exits %i with one line', (args, status, message) => {
    const run = cloak(args);
    expect(run.status).toBe(status);
    expectOneLineError(run);
    expect(run.stderr).toMatch(message);
  });

  it('names a bad population table by line and column, never by value', () => {
    writeFileSync(join(directory, 'bad-population.csv'), 'name,zip,count\nZorro,10,30\nZorro,20,ten\n');
    const run = cloak(['risk', 'data.csv', '--qi', 'name,zip', '--population-table', 'bad-population.csv']);
    expect(run.status).toBe(3);
    expectOneLineError(run);
    expect(run.stderr).toContain('line 3: "count" must be a non-negative integer');
  });
});

describe('risk flags of cloak anonymize and cloak check', () => {
  const anonymize = (...flags: string[]) =>
    cloak(['anonymize', 'data.csv', '-o', 'out.csv', '--qi', 'name,zip', '--hierarchies', '.', '--report', 'report.json', '-q', ...flags]);

  it('anonymizes under a risk model and reports input and output risk side by side', () => {
    const run = anonymize('--max-average-risk', '0.25', '--population', '1000', '--population-table', 'population.csv');
    expect(run.status).toBe(0);
    const report = JSON.parse(readFileSync(join(directory, 'report.json'), 'utf8'));
    expect(report.models[0].spec).toEqual({ type: 'average-risk', maxRisk: 0.25 });
    expect(report.models[0].worst).toBeLessThanOrEqual(0.25);
    expect(report.risk.input.prosecutor.averageRisk).toBe(0.4);
    expect(report.risk.output.prosecutor.averageRisk).toBe(report.models[0].worst);
    expect(report.risk.output.populationUniqueness.populationSize).toBe(1000);
    // The output's population counts are sums over the combinations its classes generalize.
    expect(report.risk.output.journalist.highestRisk).toBeLessThanOrEqual(report.risk.input.journalist.highestRisk);
  });

  it('applies --max-risk as a minimum class size and --max-records-at-risk with the threshold', () => {
    expect(anonymize('--max-risk', '0.25').status).toBe(0);
    const report = JSON.parse(readFileSync(join(directory, 'report.json'), 'utf8'));
    expect(report.minClassSize).toBeGreaterThanOrEqual(4);
    expect(anonymize('--max-records-at-risk', '0', '--risk-threshold', '0.5').status).toBe(0);
    expect(JSON.parse(readFileSync(join(directory, 'report.json'), 'utf8')).models[0].spec).toEqual({ type: 'records-at-risk', maxShare: 0, threshold: 0.5 });
  });

  it('exits 4 when no transformation is safe enough', () => {
    const run = anonymize('--max-risk', '0.01');
    expect(run.status).toBe(4);
    expectOneLineError(run);
  });

  it('needs --population for --max-population-uniqueness', () => {
    const run = anonymize('--max-population-uniqueness', '0.1');
    expect(run.status).toBe(2);
    expectOneLineError(run);
    expect(run.stderr).toContain('--max-population-uniqueness needs --population');
    expect(anonymize('--max-population-uniqueness', '0.5', '--population', '100', '--population-model', 'zayatz').status).toBe(0);
  });

  it('checks an export against the risk models', () => {
    writeFileSync(join(directory, 'export.csv'), 'name,zip\nZY,10-20\nZY,10-20\nZY,10-20\nZY,10-20\n*,*\nX,30\nX,30\nX,30\nX,30\nX,30\n');
    expect(cloak(['check', 'export.csv', '--qi', 'name,zip', '--max-risk', '0.25', '--max-average-risk', '0.25']).status).toBe(0);
    expect(cloak(['check', 'export.csv', '--qi', 'name,zip', '--max-average-risk', '0.2']).status).toBe(6);
  });
});
