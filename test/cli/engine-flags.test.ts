// The engine flags of cloak anonymize, plan and apply: parsed into the library's request, every problem reported at
// once, and a whole duckdb run through the CLI — exit codes, one line per error, nothing published on failure.

import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { parseAnonymizeArgs } from '../../src/cli/anonymize-command.js';
import { CloakError } from '../../src/index.js';
import { buildCli, runCli } from '../reliability/cli-harness.js';

const policy = ['--qi', 'age', '--hierarchies', 'h', '--k', '2'];

function problems(argv: string[]): readonly string[] {
  try {
    parseAnonymizeArgs(argv);
  } catch (error) {
    return (error as CloakError).problems;
  }
  return [];
}

describe('engine flags', () => {
  it('become the request: engine options, source and target instead of the input and -o', () => {
    const parsed = parseAnonymizeArgs(['--engine', 'duckdb', '--source', 'duckdb:w.duckdb#people', '--target', 'duckdb:w.duckdb#out', '--overwrite', '--engine-memory', '512MB', '--engine-temp', '/tmp/spill', ...policy]);
    if (parsed.help) throw new Error('help');
    expect(parsed.request).toMatchObject({
      input: undefined,
      output: undefined,
      source: 'duckdb:w.duckdb#people',
      target: 'duckdb:w.duckdb#out',
      overwrite: true,
      engine: { type: 'duckdb', memoryLimit: '512MB', tempDirectory: '/tmp/spill' },
    });
    const files = parseAnonymizeArgs(['big.parquet', '-o', 'out.parquet', '--engine', 'clickhouse', '--engine-memory', '4GB', ...policy]);
    if (files.help) throw new Error('help');
    expect(files.request).toMatchObject({ input: 'big.parquet', output: 'out.parquet', engine: { type: 'clickhouse', memoryLimit: '4GB' } });
    const parquet = parseAnonymizeArgs(['a.csv', '-o', 'b', '--output-format', 'parquet', ...policy]);
    if (parquet.help) throw new Error('help');
    expect(parquet.request.outputFormat).toBe('parquet');
  });

  it('reports every misuse at once', () => {
    expect(problems(['in.csv', '-o', 'out.csv', '--source', 'x', '--overwrite', '--engine-temp', 'd', ...policy])).toEqual([
      '--source, --overwrite, --engine-temp go with --engine duckdb or --engine clickhouse',
      '--source replaces the positional input: give one or the other',
    ]);
    expect(problems(['--engine', 'spark', '--source', 's', '--target', 't', '-o', 'o', '--engine-memory', 'lots', ...policy])).toEqual([
      '--engine: expected one of duckdb, clickhouse, got "spark"',
      '--engine-memory: expected a size such as 512MB or 2GiB, got "lots"',
      '--target replaces -o/--output: give one or the other',
    ]);
    expect(problems(['--engine', 'clickhouse', '--source', 's', '--target', 't', '--engine-temp', 'd', ...policy])).toEqual(['--engine-temp is for --engine duckdb (ClickHouse spills where its server is configured to)']);
  });
});

describe('cloak anonymize --engine duckdb', () => {
  const directory = mkdtempSync(join(tmpdir(), 'cloak-engine-cli-'));
  afterAll(() => rmSync(directory, { recursive: true, force: true }));
  const input = join(directory, 'people.csv');
  writeFileSync(input, ['id;age;city', ...Array.from({ length: 60 }, (_, i) => `${i};${30 + (i % 6)};secret-${i % 5}`)].join('\n') + '\n');
  writeFileSync(join(directory, 'age.csv'), Array.from({ length: 6 }, (_, a) => `${30 + a};${a < 3 ? '30-32' : '33-35'};*`).join('\n') + '\n');
  const base = ['anonymize', '--engine', 'duckdb', '--qi', 'age', '--hierarchies', directory, '--k', '12'];

  it('writes the same file as the in-memory engine, and refuses an existing table target with exit 2', async () => {
    const cli = await buildCli();
    const expected = join(directory, 'memory.csv');
    const actual = join(directory, 'engine.csv');
    expect(runCli(cli, ['anonymize', input, '-o', expected, '--qi', 'age', '--hierarchies', directory, '--k', '12', '-q'], { cwd: directory }).status).toBe(0);
    const run = runCli(cli, [...base, input, '-o', actual], { cwd: directory });
    expect(run.status).toBe(0);
    expect(run.stderr).toContain('engine: duckdb');
    expect(readFileSync(actual, 'utf8')).toBe(readFileSync(expected, 'utf8'));

    const database = join(directory, 'w.duckdb');
    const table = runCli(cli, [...base, '--source', input, '--target', `duckdb:${database}#people`, '-q'], { cwd: directory });
    expect(table.status).toBe(0);
    const again = runCli(cli, [...base, '--source', input, '--target', `duckdb:${database}#people`, '-q'], { cwd: directory });
    expect(again.status).toBe(2);
    expect(again.stderr).toBe(`cloak: error: duckdb:${database}#people exists; give --overwrite (overwrite: true) to replace it\n`);
    expect(runCli(cli, [...base, '--source', input, '--target', `duckdb:${database}#people`, '--overwrite', '-q'], { cwd: directory }).status).toBe(0);
  }, 120_000);

  it('plans and applies on the engine: cloak plan --source, cloak apply --source --target', async () => {
    const cli = await buildCli();
    const plan = join(directory, 'plan.json');
    const planned = runCli(cli, ['plan', '--engine', 'duckdb', '--source', input, '-o', plan, '--qi', 'age', '--hierarchies', directory, '--k', '12', '-q'], { cwd: directory });
    expect(planned.status).toBe(0);
    const database = join(directory, 'applied.duckdb');
    const apply = (extra: string[] = []) => runCli(cli, ['apply', plan, '--engine', 'duckdb', '--source', input, '--target', `duckdb:${database}#batch`, ...extra], { cwd: directory });
    const applied = apply();
    expect(applied.status).toBe(0);
    expect(applied.stderr).toMatch(/applied the plan to 60 records → duckdb:.*#batch \(verified\)/);
    expect(apply().status).toBe(2);
    expect(apply(['--mode', 'one-pass']).stderr).toContain("--mode is for Cloak's own reading");
    expect(runCli(cli, ['plan', '--engine', 'duckdb', '--source', input, '--target', 'x', '-o', plan, '--qi', 'age', '--hierarchies', directory, '--k', '12'], { cwd: directory }).status).toBe(2);
  }, 120_000);

  it('fails with exit 3 and writes nothing when the engine runs out of memory or a value is uncovered', async () => {
    const cli = await buildCli();
    const output = join(directory, 'none.csv');
    const partial = join(directory, 'partial');
    mkdirSync(partial);
    writeFileSync(join(partial, 'age.csv'), '30;*\n31;*\n');
    const uncovered = runCli(cli, ['anonymize', '--engine', 'duckdb', input, '-o', output, '--qi', 'age', '--hierarchies', partial, '--k', '2'], { cwd: directory });
    expect(uncovered.status).toBe(3);
    expect(existsSync(output)).toBe(false);
    const memory = runCli(cli, [...base, input, '-o', output, '--sensitive', 'city', '--l-distinct', '2', '--engine-memory', '1KB'], { cwd: directory });
    expect([memory.status, memory.stderr.includes('secret-')]).toEqual([3, false]);
    expect(existsSync(output)).toBe(false);
  }, 120_000);
});
