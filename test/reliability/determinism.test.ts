// Determinism through the CLI: the same input, options and build give byte-identical output (file and stdout)
// and a report identical except for timingsMs; on a generated table and, when present, the Adult dataset.

import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildCli, makeTempDir, runCli } from './cli-harness.js';
import { ADULT_DIR, noteAdultSkip, SKIP_ADULT } from '../adult-dataset.js';

const ADULT = ADULT_DIR;
const work = makeTempDir('determinism');
let cli = '';

/** A seeded table with skewed values, so that the optimum needs generalization and some suppression. */
function generate(): void {
  let state = 20_261_123;
  const next = () => {
    state = (Math.imul(state, 1_103_515_245) + 12_345) >>> 0;
    return state / 2 ** 32;
  };
  const rows = Array.from({ length: 3000 }, () => {
    const age = 18 + Math.floor(next() ** 2 * 70);
    const zip = `z${Math.floor(next() * next() * 40)}`;
    const sex = next() < 0.5 ? 'F' : 'M';
    const diagnosis = ['flu', 'cold', 'asthma', 'ulcer', 'gastritis'][Math.floor(next() * 5)];
    return `${age},${zip},${sex},${diagnosis},note-${Math.floor(next() * 1e6)}`;
  });
  writeFileSync(join(work, 'data.csv'), ['age,zip,sex,diagnosis,note', ...rows].join('\n') + '\n');
  mkdirSync(join(work, 'h'));
  const ageRows = Array.from({ length: 70 }, (_, i) => {
    const age = 18 + i;
    const five = age - (age % 5);
    const ten = age - (age % 10);
    return `${age};${five}-${five + 4};${ten}-${ten + 9};*`;
  });
  writeFileSync(join(work, 'h', 'age.csv'), ageRows.join('\n') + '\n');
  writeFileSync(join(work, 'h', 'zip.csv'), Array.from({ length: 40 }, (_, z) => `z${z};z${Math.floor(z / 10)}x;*`).join('\n') + '\n');
  writeFileSync(join(work, 'h', 'sex.csv'), 'F;*\nM;*\n');
}

/** The report without its timings: `timingsMs`, and the search's progress over time (`search.progress`). */
function withoutTimings(reportPath: string): unknown {
  const report = JSON.parse(readFileSync(reportPath, 'utf8')) as Record<string, unknown> & { search: Record<string, unknown> };
  expect(report.timingsMs).toBeTypeOf('object');
  expect(report.search.progress).toBeInstanceOf(Array);
  delete report.timingsMs;
  delete report.search.progress;
  return report;
}

beforeAll(async () => {
  cli = await buildCli();
  generate();
}, 240_000);
afterAll(() => rmSync(work, { recursive: true, force: true }));

describe('determinism', () => {
  it('generated table: two runs give identical output bytes (file and stdout) and reports apart from timingsMs', () => {
    const argv = (output: string, report: string) => [
      'anonymize', 'data.csv', '-o', output, '--report', report, '--qi', 'age,zip,sex', '--sensitive', 'diagnosis',
      '--hierarchies', 'h', '--k', '5', '--l-distinct', '2', '--suppression', '0.05', '--quiet',
    ];
    for (const name of ['first', 'second']) {
      const run = runCli(cli, argv(`${name}.csv`, `${name}.json`), { cwd: work });
      expect(run.status, run.stderr).toBe(0);
    }
    const first = readFileSync(join(work, 'first.csv'));
    expect(readFileSync(join(work, 'second.csv')).equals(first)).toBe(true);
    expect(withoutTimings(join(work, 'second.json'))).toEqual(withoutTimings(join(work, 'first.json')));
    const toStdout = runCli(cli, argv('-', 'third.json'), { cwd: work });
    expect(toStdout.status, toStdout.stderr).toBe(0);
    expect(Buffer.from(toStdout.stdout).equals(first)).toBe(true);
    expect(withoutTimings(join(work, 'third.json'))).toEqual(withoutTimings(join(work, 'first.json')));
  });

  it.skipIf(SKIP_ADULT)('Adult: two runs give identical output bytes and reports apart from timingsMs', () => {
    for (const name of ['adult-1', 'adult-2']) {
      const run = runCli(
        cli,
        [
          'anonymize', join(ADULT, 'adult.csv'), '-o', `${name}.csv`, '--report', `${name}.json`,
          '--qi', 'sex,age,race,marital-status,education', '--hierarchies', ADULT, '--k', '5', '--suppression', '0.02', '--quiet',
        ],
        { cwd: work },
      );
      expect(run.status, run.stderr).toBe(0);
    }
    expect(readFileSync(join(work, 'adult-2.csv')).equals(readFileSync(join(work, 'adult-1.csv')))).toBe(true);
    expect(withoutTimings(join(work, 'adult-2.json'))).toEqual(withoutTimings(join(work, 'adult-1.json')));
  });
  noteAdultSkip('Adult determinism run');
});
