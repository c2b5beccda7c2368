// Atomic output under signals: SIGKILL mid-write leaves the earlier file intact; SIGINT/SIGTERM remove temporary files.
// Uses a generated 3,000,000-row input so that writing takes long enough to be interrupted.

import type { ChildProcess } from 'node:child_process';
import { closeSync, mkdirSync, openSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildCli, makeTempDir, startCli } from './cli-harness.js';

const ROWS = 3_000_000;
const EARLIER_OUTPUT = 'an earlier output that must survive\n';
const EARLIER_REPORT = '{"earlier": true}\n';
const work = makeTempDir('atomic');
let cli = '';
let fullSize = 0;

function generateInput(): void {
  const fd = openSync(join(work, 'big.csv'), 'w');
  try {
    writeSync(fd, 'age,zip,note\n');
    let chunk = '';
    for (let r = 0; r < ROWS; r++) {
      chunk += `${r % 100},z${r % 10},SECRET_4711_${r % 1000}\n`;
      if (chunk.length > 1 << 20) {
        writeSync(fd, chunk);
        chunk = '';
      }
    }
    writeSync(fd, chunk);
  } finally {
    closeSync(fd);
  }
  mkdirSync(join(work, 'h'));
  const decade = (age: number) => `${age - (age % 10)}-${age - (age % 10) + 9}`;
  writeFileSync(join(work, 'h', 'age.csv'), Array.from({ length: 100 }, (_, age) => `${age};${decade(age)};*`).join('\n') + '\n');
  writeFileSync(join(work, 'h', 'zip.csv'), Array.from({ length: 10 }, (_, zip) => `z${zip};z*;*`).join('\n') + '\n');
}

const ARGV = ['anonymize', 'big.csv', '-o', 'out/anon.csv', '--report', 'out/report.json', '--qi', 'age,zip', '--hierarchies', 'h', '--k', '5', '--quiet'];

function outputDir(): string[] {
  return readdirSync(join(work, 'out')).sort();
}

function resetOutput(): void {
  rmSync(join(work, 'out'), { recursive: true, force: true });
  mkdirSync(join(work, 'out'));
  writeFileSync(join(work, 'out', 'anon.csv'), EARLIER_OUTPUT);
  writeFileSync(join(work, 'out', 'report.json'), EARLIER_REPORT);
}

function exited(child: ChildProcess): Promise<{ status: number | null; signal: NodeJS.Signals | null; stderr: string }> {
  let stderr = '';
  child.stderr!.setEncoding('utf8').on('data', (text: string) => (stderr += text));
  return new Promise((ok) => child.on('close', (status, signal) => ok({ status, signal, stderr })));
}

/** Polls until the output's temporary file holds a tenth of the full output: the CLI is then mid-write. */
async function writingStarted(child: ChildProcess): Promise<{ path: string; size: number }> {
  const deadline = Date.now() + 110_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`the CLI exited (${child.exitCode}) before writing was seen`);
    const temporary = readdirSync(join(work, 'out')).find((name) => /^\.anon\.csv\.cloak-.*\.tmp$/.test(name));
    if (temporary !== undefined) {
      const path = join(work, 'out', temporary);
      const size = statSync(path, { throwIfNoEntry: false })?.size ?? 0;
      if (size > fullSize / 10) return { path, size };
    }
    await new Promise((ok) => setTimeout(ok, 2));
  }
  throw new Error('the temporary output file never appeared');
}

beforeAll(async () => {
  cli = await buildCli();
  generateInput();
  // A complete run first: the size of the full output shows that the kills below land mid-write.
  mkdirSync(join(work, 'out'));
  const run = await exited(startCli(cli, ARGV, work));
  expect(run.status, run.stderr).toBe(0);
  fullSize = statSync(join(work, 'out', 'anon.csv')).size;
  expect(fullSize).toBeGreaterThan(ROWS * 10);
}, 300_000);

afterAll(() => rmSync(work, { recursive: true, force: true }));

describe('atomic output', () => {
  it('SIGKILL while writing: the earlier output and report are intact, no partial file at the target path', async () => {
    resetOutput();
    const child = startCli(cli, ARGV, work);
    const done = exited(child);
    const { path: temporary } = await writingStarted(child);
    child.kill('SIGKILL');
    const run = await done;
    expect(run.signal).toBe('SIGKILL');
    expect(readFileSync(join(work, 'out', 'anon.csv'), 'utf8')).toBe(EARLIER_OUTPUT);
    expect(readFileSync(join(work, 'out', 'report.json'), 'utf8')).toBe(EARLIER_REPORT);
    // Nothing can run on SIGKILL: the hidden, owner-only temporary file stays, partial, beside the intact target.
    const left = outputDir().filter((name) => name !== 'anon.csv' && name !== 'report.json');
    expect(left).toEqual([temporary.split('/').pop()]);
    const leftSize = statSync(temporary).size;
    expect(leftSize).toBeLessThan(fullSize);
    expect(statSync(temporary).mode & 0o077).toBe(0);
    console.log(`SIGKILL mid-write: ${leftSize} of ${fullSize} bytes were in the temporary file; anon.csv and report.json kept their earlier content`);
  }, 120_000);

  it.for([
    ['SIGTERM', 143],
    ['SIGINT', 130],
  ] as const)('%s while writing: exit %i, temporary file removed, earlier output intact', async ([signal, code]) => {
    resetOutput();
    const child = startCli(cli, ARGV, work);
    const done = exited(child);
    await writingStarted(child);
    child.kill(signal);
    const run = await done;
    expect(run.status, run.stderr).toBe(code);
    expect(run.stderr).toContain(`interrupted (${signal})`);
    expect(run.stderr).not.toMatch(/^\s+at /m);
    expect(outputDir()).toEqual(['anon.csv', 'report.json']);
    expect(readFileSync(join(work, 'out', 'anon.csv'), 'utf8')).toBe(EARLIER_OUTPUT);
    expect(readFileSync(join(work, 'out', 'report.json'), 'utf8')).toBe(EARLIER_REPORT);
  }, 120_000);

  it('SIGTERM while reading (input from a pipe that stays open): exit 143 and nothing written', async () => {
    resetOutput();
    const child = startCli(cli, ['anonymize', '-', ...ARGV.slice(2)], work, 'pipe');
    const done = exited(child);
    child.stdin!.write('age,zip,note\n' + '30,z1,SECRET_4711_x\n'.repeat(1000));
    // The CLI cannot get past reading while stdin is open; the wait only lets its signal handlers be installed.
    await new Promise((ok) => setTimeout(ok, 1500));
    child.kill('SIGTERM');
    const run = await done;
    expect(run.status, run.stderr).toBe(143);
    expect(run.stderr).not.toContain('SECRET_4711');
    expect(outputDir()).toEqual(['anon.csv', 'report.json']);
    expect(readFileSync(join(work, 'out', 'anon.csv'), 'utf8')).toBe(EARLIER_OUTPUT);
  }, 120_000);
});
