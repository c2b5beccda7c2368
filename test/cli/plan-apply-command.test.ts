// `cloak plan` and `cloak apply` end to end on the compiled CLI: the recurring-batch workflow, its defaults, and
// the exit codes of a failing release (nothing written), on `;`-separated files.

import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';
import { beforeAll, describe, expect, it } from 'vitest';
import { buildCli, makeTempDir, runCli } from '../reliability/cli-harness.js';

let cli: string;
let dir: string;
beforeAll(async () => {
  cli = await buildCli();
  dir = makeTempDir('plan-cli');
  const people = (rows: string[][]) => ['name;age;zip;disease', ...rows.map((row) => row.join(';'))].join('\n') + '\n';
  writeFileSync(
    join(dir, 'day1.csv'),
    people([
      ['a', '20', '12345', 'flu'],
      ['b', '25', '12346', 'cold'],
      ['c', '31', '12355', 'flu'],
      ['d', '35', '12356', 'cancer'],
      ['e', '38', '12357', 'flu'],
      ['f', '20', '12341', 'cold'],
    ]),
  );
  writeFileSync(
    join(dir, 'day2.csv'),
    people([
      ['g', '21', '12345', 'cold'],
      ['h', '24', '12346', 'flu'],
      ['i', '33', '12355', 'flu'],
      ['j', '36', '12356', 'cancer'],
      ['k', '37', '12357', 'cold'],
      ['l', '29', '12341', 'flu'],
    ]),
  );
  writeFileSync(join(dir, 'spec.json'), JSON.stringify({ age: { type: 'interval', width: 10 }, zip: { type: 'mask' } }));
}, 240_000);

const PLAN_FLAGS = ['--qi', 'age,zip', '--sensitive', 'disease', '--identifying', 'name', '--hierarchy-spec', 'spec.json', '--k', '2', '--l-distinct', '2', '--suppression', '0.2'];

describe('cloak plan / cloak apply', () => {
  it('plans once, then applies the plan to the next batch (ages batch 1 lacked), keeping its delimiter, with a report', () => {
    const planned = runCli(cli, ['plan', 'day1.csv', '-o', 'plan.json', ...PLAN_FLAGS], { cwd: dir });
    expect(planned.stderr).toMatch(/^cloak: planned on 6 records → plan\.json\n  transformation: age=\d zip=\d\n$/);
    expect(planned.status).toBe(0);
    const plan = JSON.parse(readFileSync(join(dir, 'plan.json'), 'utf8'));
    expect(plan).toMatchObject({ format: 'cloak-plan', formatVersion: 2 });

    const applied = runCli(cli, ['apply', 'plan.json', 'day2.csv', '-o', 'day2-out.csv', '--report', 'apply.json'], { cwd: dir });
    expect(applied.stderr).toMatch(/^cloak: applied the plan to 6 records → day2-out\.csv \(verified\)\n  suppressed: \d+ records? /);
    expect(applied.status).toBe(0);
    const lines = readFileSync(join(dir, 'day2-out.csv'), 'utf8').trimEnd().split('\n');
    expect(lines[0]).toBe('name;age;zip;disease');
    expect(lines.slice(1).every((line) => line.startsWith('*;') && line.split(';').length === 4)).toBe(true);
    const report = JSON.parse(readFileSync(join(dir, 'apply.json'), 'utf8'));
    expect(report).toMatchObject({ planSha256: plan.planSha256, policySha256: plan.policySha256, mode: 'two-pass', rows: 6, verified: true });
  });

  it('reads stdin in one pass by default (same bytes as two passes over the file), and writes nothing to stdout when the release fails (exit 4)', () => {
    runCli(cli, ['plan', 'day1.csv', '-o', 'plan.json', ...PLAN_FLAGS], { cwd: dir });
    const day2 = readFileSync(join(dir, 'day2.csv'), 'utf8');
    const piped = spawnSync(process.execPath, [cli, 'apply', 'plan.json', '-', '-o', '-', '-q'], { cwd: dir, input: day2, encoding: 'utf8' });
    expect(piped.status).toBe(0);
    expect(runCli(cli, ['apply', 'plan.json', 'day2.csv', '-o', 'day2-two-pass.csv'], { cwd: dir }).status).toBe(0);
    expect(piped.stdout).toBe(readFileSync(join(dir, 'day2-two-pass.csv'), 'utf8'));
    const same = day2;
    writeFileSync(join(dir, 'lonely.csv'), same.replace(/cold|cancer/g, 'flu'));
    const failing = runCli(cli, ['apply', 'plan.json', 'lonely.csv', '-o', '-', '--mode', 'one-pass'], { cwd: dir });
    expect(failing.status).toBe(4);
    expect(failing.stdout).toBe('');
    expect(failing.stderr).toMatch(/^cloak: error: lonely\.csv: the plan's models fail for \d+ classes/);
    const toFile = runCli(cli, ['apply', 'plan.json', 'lonely.csv', '-o', 'lonely-out.csv'], { cwd: dir });
    expect(toFile.status).toBe(4);
    expect(existsSync(join(dir, 'lonely-out.csv'))).toBe(false);
    expect(readdirSync(dir).filter((name) => name.includes('.tmp'))).toEqual([]);
  });

  it('refuses an edited plan, unknown flags and misplaced ones with exit 2', () => {
    runCli(cli, ['plan', 'day1.csv', '-o', 'plan.json', ...PLAN_FLAGS], { cwd: dir });
    const plan = JSON.parse(readFileSync(join(dir, 'plan.json'), 'utf8'));
    plan.models[0].k = 1;
    writeFileSync(join(dir, 'edited.json'), JSON.stringify(plan));
    const edited = runCli(cli, ['apply', 'edited.json', 'day2.csv', '-o', 'out.csv'], { cwd: dir });
    expect(edited.status).toBe(2);
    expect(edited.stderr).toMatch(/edited\.json: \$\.planSha256: the plan does not match its hash/);
    expect(runCli(cli, ['apply', 'plan.json', 'day2.csv'], { cwd: dir }).stderr).toMatch(/-o\/--output is required/);
    expect(runCli(cli, ['apply', 'plan.json', 'day2.csv', '-o', 'x.csv', '--mode', 'three-pass'], { cwd: dir }).status).toBe(2);
    const misplaced = runCli(cli, ['plan', 'day1.csv', '-o', 'p.json', '--report', 'r.json', ...PLAN_FLAGS], { cwd: dir });
    expect(misplaced.status).toBe(2);
    expect(misplaced.stderr).toMatch(/--report: cloak plan writes a plan/);
    expect(runCli(cli, ['plan', '--help'], { cwd: dir }).stdout).toMatch(/^Usage: cloak plan/);
    expect(runCli(cli, ['apply', '--help'], { cwd: dir }).stdout).toMatch(/^Usage: cloak apply/);
  });
});
