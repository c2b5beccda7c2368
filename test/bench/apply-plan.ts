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
import { summarize } from './stats.js';

const USAGE = 'Usage: node dist-scripts/test/bench/apply-plan.js [--rows N] [--runs R] [--seed S] [--dir DIR] [--plan-rows M]';
const QI = ['age', 'sex', 'race', 'marital-status', 'education', 'native-country', 'workclass'];
const PHASES = ['copy', 'one-pass', 'two-pass'] as const;

interface PhaseResult {
  readonly phase: string;
  readonly seconds: number;
  /** User + system CPU time of the phase's process: steadier than wall time on a shared machine. */
  readonly cpuSeconds: number;
  readonly peakRssMiB: number;
  /** `refused`: the run read everything, then the release failed the plan's budget (nothing committed). */
  readonly outcome: 'committed' | 'refused';
}

async function runPhase(phase: string, input: string, output: string, planFile: string): Promise<void> {
  const started = performance.now();
  const cpuBefore = process.cpuUsage();
  let outcome: PhaseResult['outcome'] = 'committed';
  if (phase === 'copy') {
    await pipeline(createReadStream(input), parse(), stringify(), createWriteStream(output));
  } else {
    const saved = parsePlan(readFileSync(planFile, 'utf8'), planFile);
    try {
      await applyPlanToFile(saved, input, output, { mode: phase as 'one-pass' | 'two-pass' });
    } catch (error) {
      // A plan from a sample can leave more rare classes in the full data than the budget allows.
      if ((error as { code?: string }).code !== 'PLAN_SUPPRESSION_EXCEEDED') throw error;
      outcome = 'refused';
    }
  }
  const seconds = (performance.now() - started) / 1000;
  const cpu = process.cpuUsage(cpuBefore);
  const result: PhaseResult = { phase, seconds, cpuSeconds: (cpu.user + cpu.system) / 1e6, peakRssMiB: process.resourceUsage().maxRSS / 1024, outcome };
  process.stdout.write(JSON.stringify(result) + '\n');
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      rows: { type: 'string' },
      runs: { type: 'string' },
      seed: { type: 'string' },
      dir: { type: 'string' },
      'plan-rows': { type: 'string' },
      phase: { type: 'string' },
      input: { type: 'string' },
      output: { type: 'string' },
      plan: { type: 'string' },
      help: { type: 'boolean' },
    },
  });
  if (values.help) return void process.stdout.write(USAGE + '\n');
  if (values.phase !== undefined) return runPhase(values.phase, values.input!, values.output!, values.plan!);
  const rows = Number(values.rows ?? 1_000_000);
  const runs = Number(values.runs ?? 3);

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

  // Phases alternate within each run, so that load from other processes falls on all of them alike.
  const results = new Map<string, PhaseResult[]>(PHASES.map((phase) => [phase, []]));
  for (let run = 0; run < runs; run++) {
    for (const phase of PHASES) {
      const output = join(dir, `out-${phase}.csv`);
      const child = spawnSync(process.execPath, [process.argv[1], '--phase', phase, '--input', data, '--output', output, '--plan', planFile], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] });
      if (child.status !== 0) throw new Error(`phase ${phase} failed (exit ${child.status})`);
      const result = JSON.parse(child.stdout.trim().split('\n').pop()!) as PhaseResult;
      results.get(phase)!.push(result);
      rmSync(output, { force: true });
      process.stdout.write(`  run ${run + 1} ${phase.padEnd(9)} ${result.seconds.toFixed(2)} s wall, ${result.cpuSeconds.toFixed(2)} s CPU\n`);
    }
  }
  const median = (phase: string, pick: (result: PhaseResult) => number) => summarize(results.get(phase)!.map(pick)).median;
  const copyWall = median('copy', (r) => rows / r.seconds);
  const copyCpu = median('copy', (r) => rows / r.cpuSeconds);
  process.stdout.write(`${rows} rows, median of ${runs} runs:\n`);
  for (const phase of PHASES) {
    const wall = median(phase, (r) => rows / r.seconds);
    const cpu = median(phase, (r) => rows / r.cpuSeconds);
    const peak = Math.max(...results.get(phase)!.map((r) => r.peakRssMiB));
    const refused = results.get(phase)!.some((r) => r.outcome === 'refused');
    process.stdout.write(
      `${phase.padEnd(9)} ${Math.round(wall).toLocaleString('en')} rows/s wall (${((100 * wall) / copyWall).toFixed(0)}% of copy), ` +
        `${Math.round(cpu).toLocaleString('en')} rows/CPU-s (${((100 * cpu) / copyCpu).toFixed(0)}% of copy), peak RSS ${peak.toFixed(0)} MiB` +
        `${refused ? ' (refused at the end: the suppression budget is exceeded)' : ''}\n`,
    );
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`${(error as Error).stack ?? String(error)}\n`);
  process.exitCode = 1;
});
