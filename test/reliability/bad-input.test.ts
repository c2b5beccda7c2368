// The bad-input corpus (test/fixtures/bad/<case>/case.json) run through the built CLI, one test per case.
// Each case must end with its exit code and one clear message, no stack, no leaked cell value, nothing left behind.

import { chmodSync, closeSync, cpSync, existsSync, mkdirSync, openSync, readdirSync, readFileSync, rmSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildCli, listFiles, makeTempDir, REPO, runCliAsync, temporaryFiles } from './cli-harness.js';

const CORPUS = join(REPO, 'test', 'fixtures', 'bad');
/** Every non-quasi-identifier cell of the corpus carries this marker; it must never reach stderr or a report. */
const CELL_MARKER = 'SECRET_4711';
/** Quasi-identifier cells carry this one; it may appear only with --show-values. */
const QI_MARKER = 'QI_4711';

interface BadCase {
  readonly id: string;
  readonly category: 'csv' | 'hierarchy' | 'policy' | 'cli';
  readonly why: string;
  readonly argv: string[];
  readonly exit: number;
  /** Fragments of the one error message, all required (empty for successful cases). */
  readonly message: string | string[];
  /** Option errors list every problem: `cloak: error: N problems…` then `  - …` lines. */
  readonly multi?: boolean;
  /** Successful but unusual input: this warning must be on stderr. */
  readonly warning?: string;
  readonly generate?: 'field-100mb' | 'columns-1m';
  /** Files of the common directory this case removes. */
  readonly remove?: string[];
  /** A directory created without write permission. */
  readonly readOnlyDir?: string;
  /** The quasi-identifiers the report's transformation must hold as keys. */
  readonly transformationKeys?: string[];
  readonly outputContains?: string[];
}

function loadCorpus(): BadCase[] {
  return readdirSync(CORPUS)
    .filter((entry) => !entry.startsWith('_'))
    .sort()
    .map((id) => ({ id, ...JSON.parse(readFileSync(join(CORPUS, id, 'case.json'), 'utf8')) }) as BadCase);
}

/** Writes a large file in 1 MiB chunks so that the test itself never holds it in memory. */
function writeLarge(path: string, head: string, chunk: string, chunks: number, tail: string): void {
  const fd = openSync(path, 'w');
  try {
    writeSync(fd, head);
    const block = Buffer.from(chunk);
    for (let i = 0; i < chunks; i++) writeSync(fd, block);
    writeSync(fd, tail);
  } finally {
    closeSync(fd);
  }
}

const GENERATORS: Record<NonNullable<BadCase['generate']>, (work: string) => void> = {
  // One 100 MiB field: the record-size bound of the parser must stop it long before memory runs out.
  'field-100mb': (work) => {
    const mib = `${CELL_MARKER}_`.repeat(Math.ceil((1024 * 1024) / 12)).slice(0, 1024 * 1024);
    writeLarge(join(work, 'data.csv'), `age,zip,diag,note\n${QI_MARKER}_30,${QI_MARKER}_z1,${CELL_MARKER}_flu,`, mib, 100, '\n');
  },
  'columns-1m': (work) => {
    const names = Array.from({ length: 1_000_000 }, (_, c) => `c${c}`);
    writeLarge(join(work, 'data.csv'), names.join(',') + '\n', `${CELL_MARKER},`.repeat(1000), 1, `${CELL_MARKER}\n`);
  },
};

const cases = loadCorpus();
let cli = '';
const workDirs: string[] = [];

beforeAll(async () => {
  cli = await buildCli();
}, 240_000);

afterAll(() => {
  for (const directory of workDirs) {
    chmodSync(directory, 0o755);
    rmSync(directory, { recursive: true, force: true });
  }
});

function prepare(testCase: BadCase): string {
  const work = makeTempDir(`bad-${testCase.id}`);
  workDirs.push(work);
  cpSync(join(CORPUS, '_common'), work, { recursive: true });
  // The output directory every case writes into; git keeps no empty directories, so it is made here.
  mkdirSync(join(work, 'out'), { recursive: true });
  cpSync(join(CORPUS, testCase.id), work, { recursive: true, filter: (source) => !source.endsWith('case.json') });
  for (const path of testCase.remove ?? []) rmSync(join(work, path));
  if (testCase.generate !== undefined) GENERATORS[testCase.generate](work);
  if (testCase.readOnlyDir !== undefined) {
    mkdirSync(join(work, testCase.readOnlyDir));
    chmodSync(join(work, testCase.readOnlyDir), 0o555);
  }
  return work;
}

describe('bad-input corpus', () => {
  it('has at least 40 cases in every category', () => {
    expect(cases.length).toBeGreaterThanOrEqual(40);
    for (const category of ['csv', 'hierarchy', 'policy', 'cli']) expect(cases.some((c) => c.category === category)).toBe(true);
    const byCategory = new Map<string, number[]>();
    for (const c of cases) byCategory.set(c.category, [...(byCategory.get(c.category) ?? []), c.exit]);
    console.log(`bad-input corpus: ${cases.length} cases; ${[...byCategory].map(([category, exits]) => `${category} ${exits.length} (exit ${[...new Set(exits)].sort().join('/')})`).join(', ')}`);
  });

  it.concurrent.for(cases)('$category/$id: $why', async (testCase, context) => {
    const work = prepare(testCase);
    const before = listFiles(work);
    // As root (CI), the CLI runs without the power to override permissions, so the read-only directory holds.
    const run = await runCliAsync(cli, testCase.argv, { cwd: work, withoutWriteOverride: testCase.readOnlyDir !== undefined });
    const { stderr } = run;

    const { expect } = context;
    expect(run.signal, stderr).toBeNull();
    expect(run.status, stderr).toBe(testCase.exit);
    expect(stderr, 'stack trace on stderr').not.toMatch(/^\s+at /m);
    expect(stderr, 'a non-QI cell value on stderr').not.toContain(CELL_MARKER);
    if (!testCase.argv.includes('--show-values')) expect(stderr, 'a QI value on stderr without --show-values').not.toContain(QI_MARKER);
    expect(temporaryFiles(work)).toEqual([]);

    if (testCase.exit !== 0) {
      const lines = stderr.trimEnd().split('\n');
      expect(lines[0]).toMatch(/^cloak: error: /);
      for (const fragment of [testCase.message].flat()) expect(stderr).toContain(fragment);
      if (testCase.multi) {
        expect(lines[0]).toMatch(/^cloak: error: \d+ problems/);
        for (const line of lines.slice(1)) expect(line).toMatch(/^ {2}- /);
      } else {
        expect(lines.length, stderr).toBeLessThanOrEqual(2);
      }
      // Nothing created, nothing touched: no output, no report, no temporary file, the inputs unchanged.
      expect(listFiles(work)).toEqual(before);
      return;
    }

    expect(stderr).not.toMatch(/error/i);
    if (testCase.warning !== undefined) expect(stderr).toMatch(new RegExp(`^cloak: warning: .*${testCase.warning}`, 'm'));
    const after = listFiles(work);
    for (const [path, stamp] of before) expect(after.get(path), path).toBe(stamp);
    for (const path of after.keys()) if (!before.has(path)) expect(path).toMatch(/^out\//);
    expect(existsSync(join(work, 'out', 'anon.csv'))).toBe(true);
    const output = readFileSync(join(work, 'out', 'anon.csv'), 'utf8');
    for (const fragment of testCase.outputContains ?? []) expect(output).toContain(fragment);
    const reportPath = join(work, 'out', 'report.json');
    if (existsSync(reportPath)) {
      const report = readFileSync(reportPath, 'utf8');
      expect(report).not.toContain(CELL_MARKER);
      // Generalized labels may be reported (with their counts); the original quasi-identifier values may not.
      const originals = originalQuasiIdentifierValues(work, testCase.argv);
      expect(originals.length, 'the case has marked quasi-identifier values to look for').toBeGreaterThan(0);
      for (const value of originals) expect(report).not.toContain(JSON.stringify(value));
      if (testCase.transformationKeys !== undefined) {
        const { transformation } = JSON.parse(report) as { transformation: Record<string, number> };
        expect(Object.keys(transformation).sort()).toEqual([...testCase.transformationKeys].sort());
      }
    }
  });
});

/** The distinct values of the quasi-identifier columns named by `--qi` in the case's data.csv (plain CSV fixtures). */
function originalQuasiIdentifierValues(work: string, argv: readonly string[]): string[] {
  const qi = (argv[argv.indexOf('--qi') + 1] ?? '').split(',');
  const [header, ...rows] = readFileSync(join(work, 'data.csv'), 'utf8').replace(/^\uFEFF/, '').split(/\r?\n/).filter((line) => line !== '');
  const delimiter = [',', ';', '\t', '|'].find((candidate) => header.includes(candidate)) ?? ',';
  const columns = header.split(delimiter).map((name, index) => (qi.includes(name) ? index : -1)).filter((index) => index >= 0);
  const values = new Set<string>();
  for (const row of rows) for (const index of columns) values.add(row.split(delimiter)[index]);
  return [...values].filter((value) => value !== undefined && value.includes(QI_MARKER));
}
