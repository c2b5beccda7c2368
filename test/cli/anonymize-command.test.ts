// `cloak anonymize` and wide tables: --time-limit parsing, the summary's verdict in words, the progress line, and a
// whole run on 24 survey attributes cut short by its time limit (a best transformation, a proven lower bound, a gap).

import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { generateSurveyCsvChunks } from '../../datasets/survey-generator.js';
import { surveyQuasiIdentifiers } from '../../datasets/survey-domain.js';
import { parseAnonymizeArgs, searchVerdict } from '../../src/cli/anonymize-command.js';
import { progressLine } from '../../src/cli/progress-bar.js';
import { CloakError, type AnonymizationReport } from '../../src/index.js';
import { buildCli, makeTempDir, runCli } from '../reliability/cli-harness.js';

const BASE = ['in.csv', '-o', 'out.csv', '--qi', 'age', '--hierarchies', 'h', '--k', '2'];

function usageMessage(argv: string[]): string {
  try {
    parseAnonymizeArgs(argv);
  } catch (error) {
    expect(error).toBeInstanceOf(CloakError);
    expect((error as CloakError).exitCode).toBe(2);
    return (error as Error).message;
  }
  throw new Error('no usage error');
}

describe('--time-limit', () => {
  it('becomes search.timeLimitMs; --max-nodes is a refusal only when given', () => {
    const parsed = parseAnonymizeArgs([...BASE, '--time-limit', '1500']);
    if (parsed.help) throw new Error('help');
    expect(parsed.request.options.search).toEqual({ strategy: undefined, maxNodes: undefined, cacheMb: undefined, timeLimitMs: 1500 });
  });

  it('refuses what is not a positive number of milliseconds, naming the flag', () => {
    for (const value of ['0', '-5', 'soon', '']) expect(usageMessage([...BASE, `--time-limit=${value}`])).toContain('--time-limit: expected a number > 0');
  });
});

const report = (fields: Partial<AnonymizationReport>, search: Partial<AnonymizationReport['search']> = {}): AnonymizationReport =>
  ({ metric: { name: 'loss', value: 0.6 }, optimal: true, lowerBound: 0.6, gap: 0, ...fields, search: { stoppedBy: 'completed', timeLimitMs: 60000, ...search } }) as AnonymizationReport;

describe('the summary', () => {
  it('says the transformation is proven optimal, or how far from the optimum it can be and why the search stopped', () => {
    expect(searchVerdict(report({}))).toBe('optimal (proven)');
    expect(searchVerdict(report({ optimal: false, lowerBound: 0.4512345, gap: 0.2512345 }, { stoppedBy: 'time-limit', timeLimitMs: 5000 }))).toBe(
      "not proven optimal (time limit of 5000 ms reached): the optimum's loss is at least 0.4512, so at most 25.1% of this one's loss could still be saved",
    );
    expect(searchVerdict(report({ optimal: false, lowerBound: 0.3, gap: 0.5 }, { stoppedBy: 'memory' }))).toContain('memory budget reached');
    const differentialPrivacy = { epsilon: 2 } as AnonymizationReport['differentialPrivacy'];
    expect(searchVerdict(report({ optimal: false, lowerBound: null, gap: null, differentialPrivacy }))).toBe('chosen at random by the exponential mechanism, not optimized');
    expect(searchVerdict(report({ optimal: false, lowerBound: null, gap: null, recoding: 'local' }))).toBe('levels chosen per group of records by local recoding, with no proven bound');
  });
});

describe('the progress line', () => {
  it('shows the search’s nodes checked, best score, gap and time, and a bar only for reading and writing', () => {
    expect(progressLine({ phase: 'search', done: 1234, total: 11059200, score: 0.5712, lowerBound: 0.5, gap: 0.1246, elapsedMs: 3210 })).toBe(
      'search: 1234 nodes checked · best 0.571200 · gap 12.5% · 3.2 s',
    );
    expect(progressLine({ phase: 'search', done: 3, elapsedMs: 20 })).toBe('search: 3 nodes checked · 0.0 s');
    expect(progressLine({ phase: 'read', done: 5, total: 10 })).toBe(`read: [${'#'.repeat(15)}${'.'.repeat(15)}] 5/10 rows read`);
  });
});

describe('a wide table cut short by the time limit', () => {
  let cli: string;
  let dir: string;
  beforeAll(async () => {
    cli = await buildCli();
    dir = makeTempDir('wide-cli');
    writeFileSync(join(dir, 'survey.csv'), [...generateSurveyCsvChunks({ rows: 2000, seed: 3 })].join(''));
  }, 200_000);

  it('releases its best transformation, verified, with optimal false, a lower bound and the gap, also in words', () => {
    const hierarchies = fileURLToPath(new URL('../../hierarchies/survey', import.meta.url));
    const run = runCli(
      cli,
      ['anonymize', 'survey.csv', '-o', 'out.csv', '--qi', surveyQuasiIdentifiers(24).join(','), '--hierarchies', hierarchies, '--k', '5', '--suppression', '0.05', '--time-limit', '400', '--report', 'report.json'],
      { cwd: dir },
    );
    expect(run.stderr).toContain('(verified)');
    expect(run.status).toBe(0);
    const written = JSON.parse(readFileSync(join(dir, 'report.json'), 'utf8')) as AnonymizationReport;
    expect(written.latticeSize).toBeGreaterThan(1e11);
    expect(written.optimal).toBe(false);
    expect(written.search.stoppedBy).toBe('time-limit');
    expect(written.search.nodeMemory).toBe('sparse');
    expect(written.lowerBound).toBeLessThan(written.metric.value);
    expect(written.gap).toBeCloseTo((written.metric.value - written.lowerBound) / written.metric.value, 12);
    expect(written.search.progress.length).toBeGreaterThan(0);
    expect(run.stderr).toMatch(/search: not proven optimal \(time limit of 400 ms reached\): the optimum's loss is at least [0-9.e-]+, so at most [0-9.]+% of this one's loss could still be saved/);
    expect(run.stderr).toMatch(/nodes checked in \d+ ms/);
  });
});
