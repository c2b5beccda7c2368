// Benchmark of applyPlan at scale: rows/s of one-pass and two-pass application of a saved plan to N synthetic rows,
// next to a plain csv-parse → csv-stringify copy of the same file, with the peak RSS of each run in its own process.

import { execFileSync, spawnSync } from 'node:child_process';
import { createReadStream, createWriteStream, existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { parseArgs } from 'node:util';
import { parse } from 'csv-parse';
import { stringify } from 'csv-stringify';
import { applyPlanToFile, parsePlan, plan, type AnonymizeOptions } from '../../src/index.js';

const USAGE = 'Usage: node dist-scripts/test/bench/apply-plan.js [--rows N] [--seed S] [--dir DIR] [--plan-rows M]';
const QI = ['age', 'sex', 'race', 'marital-status', 'education', 'native-country', 'workclass'];

interface PhaseResult {
  readonly phase: string;
  readonly seconds: number;
  readonly rowsPerSecond: number;
  readonly peakRssMiB: number;
  /** `refused`: the one-pass run read and wrote everything, then its final re-check failed (nothing committed). */
  readonly outcome: 'committed' | 'refused';
}

async function runPhase(phase: string, input: string, output: string, planFile: string, rows: number): Promise<void> {
  const started = performance.now();
  let outcome: PhaseResult['outcome'] = 'committed';
  if (phase === 'copy') {
    await pipeline(createReadStream(input), parse(), stringify(), createWriteStream(output));
  } else {
    const saved = parsePlan(readFileSync(planFile, 'utf8'), planFile);
    try {
      await applyPlanToFile(saved, input, output, { mode: phase as 'one-pass' | 'two-pass' });
    } catch (error) {
      // A plan from a sample can leave rare classes in the full data; one pass then refuses after all the work.
      if ((error as { code?: string }).code !== 'PLAN_ONE_PASS_FAILED') throw error;
      outcome = 'refused';
    }
  }
  const seconds = (performance.now() - started) / 1000;
  const result: PhaseResult = { phase, seconds, rowsPerSecond: rows / seconds, peakRssMiB: process.resourceUsage().maxRSS / 1024, outcome };
  process.stdout.write(JSON.stringify(result) + '\n');
}

async function main(): Promise<void> {
  const { values } = parseArgs({ options: { rows: { type: 'string' }, seed: { type: 'string' }, dir: { type: 'string' }, 'plan-rows': { type: 'string' }, phase: { type: 'string' }, input: { type: 'string' }, output: { type: 'string' }, plan: { type: 'string' }, help: { type: 'boolean' } } });
  if (values.help) return void process.stdout.write(USAGE + '\n');
  const rows = Number(values.rows ?? 1_000_000);
  if (values.phase !== undefined) return runPhase(values.phase, values.input!, values.output!, values.plan!, rows);

  const seed = Number(values.seed ?? 1);
  const dir = values.dir ?? join('test-artifacts', 'bench', 'apply-plan');
  const planRows = Number(values['plan-rows'] ?? 50_000);
  mkdirSync(dir, { recursive: true });
  const data = join(dir, `generated-${rows}-${seed}.csv`);
  const sample = join(dir, `generated-${planRows}-${seed + 1}.csv`);
  const hierarchies = join(dir, 'hierarchies');
  const generate = (args: string[]) => execFileSync(process.execPath, ['dist-scripts/datasets/generate.js', ...args], { stdio: 'inherit' });
  if (!existsSync(data)) generate(['--rows', String(rows), '--seed', String(seed), '--out', data]);
  if (!existsSync(sample)) generate(['--rows', String(planRows), '--seed', String(seed + 1), '--out', sample]);
  if (!existsSync(hierarchies)) generate(['--hierarchies', hierarchies]);

  const policy: AnonymizeOptions = {
    attributes: Object.fromEntries(QI.map((name) => [name, { role: 'quasi-identifying' as const }])),
    models: [{ type: 'k-anonymity', k: 5 }],
    suppressionLimit: 0.05,
    hierarchiesDir: hierarchies,
  };
  const planFile = join(dir, 'plan.json');
  writeFileSync(planFile, JSON.stringify(await plan(sample, policy)));

  const results: PhaseResult[] = [];
  for (const phase of ['copy', 'one-pass', 'two-pass']) {
    const output = join(dir, `out-${phase}.csv`);
    const child = spawnSync(process.execPath, [process.argv[1], '--phase', phase, '--rows', String(rows), '--input', data, '--output', output, '--plan', planFile], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] });
    if (child.status !== 0) throw new Error(`phase ${phase} failed (exit ${child.status})`);
    results.push(JSON.parse(child.stdout.trim().split('\n').pop()!) as PhaseResult);
    rmSync(output, { force: true });
  }
  const copy = results[0].rowsPerSecond;
  for (const result of results) {
    process.stdout.write(
      `${result.phase.padEnd(9)} ${rows} rows in ${result.seconds.toFixed(2)} s: ${Math.round(result.rowsPerSecond).toLocaleString('en')} rows/s (${((100 * result.rowsPerSecond) / copy).toFixed(0)}% of copy), peak RSS ${result.peakRssMiB.toFixed(0)} MiB${result.outcome === 'refused' ? ' (one pass refused at the end: classes fail)' : ''}\n`,
    );
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`${(error as Error).stack ?? String(error)}\n`);
  process.exitCode = 1;
});
