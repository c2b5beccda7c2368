// The flags of k-map, δ-presence and differential privacy: what they parse into, their problems (all at once), and
// whole runs through anonymizeCsv: the written subset, the report's sections, the summary's seeded-run warning.

import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseAnonymizeArgs, summarize } from '../../src/cli/anonymize-command.js';
import { anonymizeCsv } from '../../src/api.js';
import { renderHtmlReport } from '../../src/report-html/index.js';

const BASE = ['data.csv', '-o', 'out.csv', '--qi', 'zip,age', '--hierarchies', 'h'];

function models(argv: string[]) {
  const parsed = parseAnonymizeArgs([...BASE, ...argv]);
  if (parsed.help) throw new Error('help');
  return parsed.request.options.models;
}

function problems(argv: string[]): string[] {
  try {
    parseAnonymizeArgs([...BASE, ...argv]);
  } catch (error) {
    return (error as { problems?: string[] }).problems ?? [(error as Error).message];
  }
  throw new Error('no problem reported');
}

describe('model flags', () => {
  it('parse k-map counted or estimated, δ-presence by column or file, and differential privacy with its tuning', () => {
    expect(models(['--k-map', '5', '--population-table', 'p.csv'])).toEqual([{ type: 'k-map', k: 5 }]);
    expect(models(['--k-map', '5', '--estimator', 'poisson', '--population', 'USA', '--significance', '0.05'])).toEqual([
      { type: 'k-map', k: 5, estimator: 'poisson', populationSize: 317_238_626, significance: 0.05 },
    ]);
    expect(models(['--delta-presence', '0.1,0.6', '--subset-column', 'in'])).toEqual([{ type: 'delta-presence', deltaMin: 0.1, deltaMax: 0.6, subsetColumn: 'in' }]);
    expect(models(['--delta-presence', '0,1', '--subset-file', 'subset.csv'])).toEqual([{ type: 'delta-presence', deltaMin: 0, deltaMax: 1, subsetFile: 'subset.csv' }]);
    expect(models(['--epsilon', '2', '--delta', '1e-5'])).toEqual([{ type: 'differential-privacy', epsilon: 2, delta: 1e-5 }]);
    expect(models(['--epsilon', '2', '--delta', '1e-5', '--dp-search-budget', '0.2', '--dp-steps', '50', '--seed', '7', '--k', '100'])).toEqual([
      { type: 'k-anonymity', k: 100 },
      { type: 'differential-privacy', epsilon: 2, delta: 1e-5, searchBudget: 0.2, steps: 50, seed: 7 },
    ]);
    expect(models(['--epsilon', '1', '--delta', '1e-6', '--dp-levels', 'zip=1,age=0'])).toEqual([{ type: 'differential-privacy', epsilon: 1, delta: 1e-6, levels: { zip: 1, age: 0 } }]);
  });

  it('report every problem at once', () => {
    expect(problems(['--estimator', 'poisson', '--subset-column', 'in', '--seed', '3', '--dp-steps', '2'])).toEqual([
      '--estimator tunes --k-map, which is not given',
      '--subset-column tunes --delta-presence, which is not given',
      '--dp-steps tunes --epsilon, which is not given',
      '--seed tunes --epsilon, which is not given',
      'no privacy model given: use --k and/or an l-diversity, t-closeness, δ-disclosure, β-likeness, risk, --k-map, --delta-presence or --epsilon flag',
    ]);
    expect(problems(['--k-map', '0', '--delta-presence', '0.5', '--epsilon=-1', '--delta', '2', '--dp-levels', 'zip', '--dp-search-budget', '0.1'])).toEqual([
      '--k-map: expected an integer ≥ 1, got "0"',
      '--delta-presence: expected MIN,MAX (e.g. 0,0.5), got "0.5"',
      '--delta-presence needs exactly one of --subset-column C and --subset-file F',
      '--epsilon: expected a number > 0, got "-1"',
      '--delta: expected a number in (0, 1), got "2"',
      '--dp-search-budget and --dp-steps tune the search; --dp-levels fixes the transformation instead',
      '--dp-levels: expected attribute=level entries, got "zip"',
    ]);
    expect(problems(['--k-map', '3', '--estimator', 'normal'])).toEqual(['--estimator: expected one of poisson, zero-truncated-poisson, got "normal"']);
    expect(problems(['--k-map', '3', '--estimator', 'poisson'])).toEqual(['--estimator needs --population (the population size N, or USA, UK, Germany, France, Canada, EU)']);
    expect(problems(['--epsilon', '1'])).toEqual(['--epsilon and --delta go together: (ε, δ)-differential privacy needs both']);
  });
});

function workspace(): string {
  const dir = mkdtempSync(join(tmpdir(), 'cloak-population-flags-'));
  const zip = ['101', '102', '201', '202'];
  const age = ['20', '30', '60', '70'];
  const rows = ['zip,age,in,note'];
  for (let i = 0; i < 400; i++) rows.push(`${zip[i % 4]},${age[(i >> 2) % 4]},${i % 3 === 0 ? 'true' : 'false'},n${i}`);
  writeFileSync(join(dir, 'data.csv'), rows.join('\n') + '\n');
  writeFileSync(join(dir, 'zip.csv'), zip.map((z) => `${z};${z[0]}xx;*`).join('\n') + '\n');
  writeFileSync(join(dir, 'age.csv'), age.map((a) => `${a};${Number(a) < 50 ? 'young' : 'old'};*`).join('\n') + '\n');
  return dir;
}

function request(dir: string, argv: string[]) {
  const parsed = parseAnonymizeArgs([join(dir, 'data.csv'), '-o', join(dir, 'out.csv'), '--qi', 'zip,age', '--hierarchies', dir, '--report', join(dir, 'report.json'), '--html-report', join(dir, 'report.html'), ...argv]);
  if (parsed.help) throw new Error('help');
  return parsed.request;
}

describe('runs', () => {
  it('δ-presence writes the research subset only, and the report says so', async () => {
    const dir = workspace();
    const report = await anonymizeCsv(request(dir, ['--delta-presence', '0,0.5', '--subset-column', 'in']));
    const written = readFileSync(join(dir, 'out.csv'), 'utf8').trimEnd().split('\n');
    expect(written).toHaveLength(1 + 134);
    expect(written.slice(1).every((line) => line.split(',')[2] === 'true')).toBe(true);
    expect(report.deltaPresence).toEqual({ populationRecords: 400, subsetRecords: 134 });
    expect(JSON.parse(readFileSync(join(dir, 'report.json'), 'utf8')).deltaPresence).toEqual(report.deltaPresence);
    expect(summarize(report, 'out.csv')).toMatch(/δ-presence: released the research subset, 134 of 400 records/);
    expect(readFileSync(join(dir, 'report.html'), 'utf8')).toMatch(/the output is the research subset \(134 of 400 records of the population\)/);
  });

  it('differential privacy reports its parameters and warns about a seeded run, in the summary and the HTML report', async () => {
    const dir = workspace();
    const report = await anonymizeCsv(request(dir, ['--epsilon', '2', '--delta', '0.01', '--seed', '5']));
    expect(report.differentialPrivacy).toMatchObject({ epsilon: 2, delta: 0.01, epsilonAnon: 1.9, searchBudget: 0.1, transformation: 'search', seed: 5 });
    const summary = summarize(report, 'out.csv');
    expect(summary).toMatch(/\(2, 0\.01\)-differential privacy: ε_anon 1\.9, k \d+, β 0\.8\d+; \d+ records not sampled \(exponential mechanism, 500 steps, search budget 0\.1\)/);
    expect(summary).toMatch(/warning: seeded run \(--seed 5\): its randomness is predictable, so this output is for testing only, never for release/);
    const html = await renderHtmlReport(report);
    expect(html).toMatch(/Seeded run \(seed 5\)/);
    expect(html).toMatch(/records not sampled \(released suppressed\)/);
    const unseeded = await anonymizeCsv(request(dir, ['--epsilon', '2', '--delta', '0.01']));
    expect(summarize(unseeded, 'out.csv')).not.toMatch(/warning: seeded/);
  });

  it('k-map counts a population table and reports its class counts; a bad subset column writes nothing', async () => {
    const dir = workspace();
    const people = ['zip,age,count'];
    for (const zip of ['101', '102', '201', '202']) for (const age of ['20', '30', '60', '70']) people.push(`${zip},${age},40`);
    writeFileSync(join(dir, 'population.csv'), people.join('\n') + '\n');
    const report = await anonymizeCsv(request(dir, ['--k-map', '40', '--population-table', join(dir, 'population.csv')]));
    expect(report.transformation).toEqual({ zip: 0, age: 0 });
    expect(report.models[0]).toMatchObject({ model: '40-map (population table)', worst: 40 });
    const fresh = workspace();
    await expect(anonymizeCsv(request(fresh, ['--delta-presence', '0,1', '--subset-column', 'note']))).rejects.toMatchObject({ code: 'SUBSET_NOT_BOOLEAN' });
    expect(existsSync(join(fresh, 'out.csv'))).toBe(false);
    expect(existsSync(join(fresh, 'report.json'))).toBe(false);
  });
});
