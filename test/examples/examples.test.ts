// Runs the examples of the README: the ETL plan/apply job, the Arrow pipeline, and the CSV pipe through the CLI.

import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { tableFromArrays, tableFromIPC } from 'apache-arrow';
import { beforeAll, describe, expect, it } from 'vitest';
import { parsePolicy } from '../../src/index.js';
import { main as arrowPipeline } from './arrow-pipeline.js';
import { main as etl } from './etl-plan-apply.js';

const SAMPLE = readFileSync('datasets/sample.csv', 'utf8').trimEnd().split('\n');
const POLICY = new URL('./policy.json', import.meta.url).pathname;

function split(): { dir: string; day1: string; day2: string } {
  const dir = mkdtempSync(join(tmpdir(), 'cloak-examples-'));
  const [header, ...rows] = SAMPLE;
  const day1 = join(dir, 'day1.csv');
  const day2 = join(dir, 'day2.csv');
  writeFileSync(day1, [header, ...rows.slice(0, 1000)].join('\n') + '\n');
  writeFileSync(day2, [header, ...rows.slice(1000)].join('\n') + '\n');
  return { dir, day1, day2 };
}

describe('examples', () => {
  it('ETL: plans on day 1 and applies the saved plan to day 2', async () => {
    const { dir, day1, day2 } = split();
    const result = await etl(dir, day1, day2);
    const out = readFileSync(result.output, 'utf8').trimEnd().split('\n');
    expect(out).toHaveLength(SAMPLE.length - 1000);
    expect(result.rows).toBe(SAMPLE.length - 1001);
    expect(out.slice(1).every((line) => line.startsWith('*,'))).toBe(true);
  });

  it('Arrow in, Arrow out', async () => {
    const ages = Array.from({ length: 40 }, (_, i) => String(20 + (i % 8)));
    const input = tableFromArrays({ age: ages, sex: ages.map((_, i) => (i % 2 === 0 ? 'Male' : 'Female')) });
    const policy = parsePolicy({ attributes: { age: { role: 'quasi-identifying', hierarchy: 'age.csv' }, sex: { role: 'quasi-identifying', hierarchy: 'sex.csv' } }, models: [{ type: 'k-anonymity', k: 5 }], hierarchiesDir: 'hierarchies/census' });
    const { ipc, policySha256 } = await arrowPipeline(input, policy);
    const output = tableFromIPC(ipc);
    expect(output.numRows).toBe(40);
    expect(output.schema.fields.map((f) => f.name)).toEqual(['age', 'sex']);
    expect(policySha256).toMatch(/^[0-9a-f]{64}$/);
  });

  describe('CSV pipe through the built CLI', () => {
    const build = join('test-artifacts', 'examples-dist');
    beforeAll(() => {
      execFileSync('npx', ['tsc', '-p', 'tsconfig.json', '--outDir', build], { stdio: 'inherit' });
    }, 120_000);

    it('reads stdin and writes stdout', () => {
      const result = spawnSync('sh', [new URL('./csv-pipe.sh', import.meta.url).pathname, join(build, 'cli', 'main.js'), POLICY], { input: readFileSync('datasets/sample.csv'), encoding: 'utf8' });
      expect(result.stderr).toBe('');
      expect(result.status).toBe(0);
      const lines = result.stdout.trimEnd().split('\n');
      expect(lines[0]).toBe(SAMPLE[0]);
      expect(lines).toHaveLength(SAMPLE.length);
    });
  });
});
