// `npm run bench -- [adult|models|models-next|cli|scale|apply-plan|pseudonymize|local|wide|engines|all…] [--runs N] [--warmup N] [--json FILE] …`: parses the flags, runs the chosen
// suites, brackets them with load-average samples, and writes every figure to JSON on request. Never a vitest test.

import { execFileSync } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { cpus, tmpdir, totalmem } from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { runAdultSuite, type AdultSuiteResult } from './adult-suite.js';
import { runCliSuite, type CliSuiteResult } from './cli-suite.js';
import { runModelsSuite, type ModelsSuiteResult } from './models-suite.js';
import { runModelsNextSuite, type ModelsNextSuiteResult } from './models-next-suite.js';
import { runPseudonymizeSuite, type PseudonymizeSuiteResult } from './pseudonymize-suite.js';
import { chooseRssMethod, type RssMethod } from './process-runner.js';
import { runLocalSuite, type LocalSuiteResult } from './local-suite.js';
import { runScaleSuite, type ScaleSuiteResult } from './scale-suite.js';
import { runWideSuite, WIDE_LIMITS_MS, WIDE_QIS, type WideSuiteResult } from './wide-suite.js';
import { runEnginesSuite, type EnginesSuiteResult } from './engines-suite.js';
import { LOAD_WARNING_THRESHOLD, count, sampleLoad, type LoadSample, type TargetCheck } from './stats.js';
import { ARX_QUOTED, DEFAULT_ADULT_DIR, DEFAULT_CLI, REPO_ROOT, TARGETS, adultMissing } from './workload.js';

const USAGE = `Usage: npm run bench -- [suite…] [options]

Suites (default: adult):
  adult   Adult, 9 and 8 QIs × k 2,5,10,20,50,100 × suppression 0,0.05 × discernibility,loss (48 configs, in-process)
  models  Adult, occupation sensitive, 8 QIs: distinct-3, entropy-3, recursive-(3,3), t-equal 0.2, t-hierarchical 0.2
          × k 2,5 × suppression 0,0.05, Loss (20 configs, in-process)
  models-next  Adult, 9 QIs, Loss: (ε, δ)-differential privacy, ε 0.5,1,2 × δ 1e-5,1e-6 × fixed levels or the search
          (seeded runs), and k-map against a population of Adult plus the 1M-row scale workload (in-process)
  cli     the whole \`cloak anonymize\` process on Adult (9 QIs, k=5, suppression 0.05, discernibility)
  scale   Adult upsampled to 1M and 10M rows, whole process: read/search/write/total, wall time, peak RSS
  apply-plan  applyPlan one-pass and two-pass on synthetic rows (--sizes, default 10M) next to a csv-parse →
          csv-stringify copy: rows/s, CPU rows/s, peak RSS (printed by test/bench/apply-plan.ts; not in --json)
  pseudonymize  1M rows of 1M distinct 16-digit numbers (--sizes, default 1M): the ff1 and hmac transforms in
          process (median, ns per value, CPU) beside one createHmac per value, then the whole \`cloak anonymize
          --pseudonymize\` process: wall, CPU, peak RSS (needs no Adult)
  local   local recoding: the whole process on Adult (9 QIs, k=5, suppression 0.05) against the granularity loss and
          time targets; 9 QIs × k 2,5,10,20 × suppression 0.05,0.2 and occupation sensitive under distinct-3 and
          t-equal 0.2 in process; Adult upsampled to 1M rows (--sizes), time and peak RSS
  wide    the generated 40-attribute survey table, whole process, k=5, suppression 0.05, loss: 16 QIs × 4,000 rows
          proven optimal (wall time, checks, ms per check), then 16/24/32/40 QIs × 50,000 rows stopped after
          1, 5 and 30 s (loss, lower bound, gap, checks, peak RSS); ARX's figures beside them
  engines Adult upsampled (--sizes, default 10M; 100M by --sizes 10M,100M): DuckDB Parquet → Parquet, DuckDB
          CSV → CSV against the in-memory engine, and a local 2-shard ClickHouse cluster (10M rows): histogram,
          apply, peak RSS of Cloak and of the servers
  all     every suite

Options:
  --runs N         measured runs per configuration (default 5; scale: 3 for 1M, 1 for 10M; pseudonymize: 5;
                   engines: 3 up to 10M, 1 above)
  --warmup N       warm-up runs before measuring (default 1; scale: 1 for 1M, 0 for 10M)
  --json FILE      write every figure to FILE
  --sizes LIST     row counts, e.g. 1M or 1M,10M or 200k (scale: default 1M,10M; apply-plan, engines: default 10M)
  --seed N         scale upsampling seed (default 1)
  --cache DIR      where upsampled data is cached (default test-artifacts/bench)
  --adult DIR      the Adult dataset (default ../shared/datasets/adult)
  --cli FILE       the cloak CLI to run (default dist-scripts/src/cli/main.js, built with this harness)
  --rss M          how to read the child's peak RSS: time (/usr/bin/time) or launcher (default: time if present)
  --qis LIST       wide: quasi-identifier counts (default 16,24,32,40)
  --limits LIST    wide: time limits in ms (default 1000,5000,30000)
  -h, --help       this help`;

const SUITES = ['adult', 'models', 'models-next', 'cli', 'scale', 'apply-plan', 'pseudonymize', 'local', 'wide', 'engines'] as const;
type Suite = (typeof SUITES)[number];

class UsageError extends Error {}

function positiveInteger(flag: string, text: string | undefined, min: number): number | undefined {
  if (text === undefined) return undefined;
  if (!/^\d+$/.test(text) || Number(text) < min) throw new UsageError(`--${flag} must be an integer ≥ ${min}, got "${text}"`);
  return Number(text);
}

function integerList(flag: string, text: string, min: number, max: number): number[] {
  return text.split(',').map((entry) => {
    const value = positiveInteger(flag, entry.trim(), min)!;
    if (value > max) throw new UsageError(`--${flag} entries must be at most ${max}, got ${value}`);
    return value;
  });
}

function parseSize(text: string): number {
  const match = /^(\d+(?:\.\d+)?)([kKmM]?)$/.exec(text.trim());
  if (match === null) throw new UsageError(`--sizes: "${text}" is not a row count like 1M, 250k or 50000`);
  const scale = match[2] === '' ? 1 : match[2].toLowerCase() === 'k' ? 1_000 : 1_000_000;
  const rows = Math.round(Number(match[1]) * scale);
  if (rows < 1) throw new UsageError(`--sizes: "${text}" is not a positive row count`);
  return rows;
}

function parse(argv: string[]) {
  let parsed;
  try {
    parsed = parseArgs({
      args: argv,
      allowPositionals: true,
      strict: true,
      options: {
        runs: { type: 'string' },
        warmup: { type: 'string' },
        json: { type: 'string' },
        sizes: { type: 'string' },
        seed: { type: 'string' },
        cache: { type: 'string' },
        adult: { type: 'string' },
        cli: { type: 'string' },
        rss: { type: 'string' },
        qis: { type: 'string' },
        limits: { type: 'string' },
        help: { type: 'boolean', short: 'h' },
      },
    });
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
  const { values, positionals } = parsed;
  const suites = new Set<Suite>();
  for (const name of positionals.length === 0 ? ['adult'] : positionals) {
    if (name === 'all') SUITES.forEach((s) => suites.add(s));
    else if ((SUITES as readonly string[]).includes(name)) suites.add(name as Suite);
    else throw new UsageError(`unknown suite "${name}"; suites: ${SUITES.join(', ')}, all`);
  }
  if (values.rss !== undefined && values.rss !== 'time' && values.rss !== 'launcher') throw new UsageError(`--rss must be time or launcher, got "${values.rss}"`);
  const seed = positiveInteger('seed', values.seed, 0) ?? 1;
  if (seed > 0xffffffff) throw new UsageError('--seed must be at most 4294967295');
  return {
    help: values.help === true,
    suites: SUITES.filter((s) => suites.has(s)),
    runs: positiveInteger('runs', values.runs, 1),
    warmup: positiveInteger('warmup', values.warmup, 0),
    json: values.json,
    sizes: values.sizes?.split(',').map(parseSize),
    seed,
    cacheDir: resolve(values.cache ?? join(REPO_ROOT, 'test-artifacts/bench')),
    adultDir: resolve(values.adult ?? DEFAULT_ADULT_DIR),
    cli: resolve(values.cli ?? DEFAULT_CLI),
    rss: values.rss as RssMethod | undefined,
    qis: values.qis === undefined ? [...WIDE_QIS] : integerList('qis', values.qis, 1, 40),
    limitsMs: values.limits === undefined ? [...WIDE_LIMITS_MS] : integerList('limits', values.limits, 1, 86_400_000),
  };
}

interface BenchResult {
  startedAt: string;
  machine: { node: string; platform: string; cpus: number; cpuModel: string; totalMemBytes: number };
  suites: string[];
  targets: typeof TARGETS;
  arxQuoted: typeof ARX_QUOTED;
  load: LoadSample[];
  adult?: AdultSuiteResult;
  models?: ModelsSuiteResult;
  modelsNext?: ModelsNextSuiteResult;
  cli?: CliSuiteResult;
  scale?: ScaleSuiteResult;
  local?: LocalSuiteResult;
  pseudonymize?: PseudonymizeSuiteResult[];
  wide?: WideSuiteResult;
  engines?: EnginesSuiteResult;
  skipped?: string;
  errors: { suite: string; message: string }[];
  targetChecks: TargetCheck[];
  unreliable: boolean;
  finishedAt?: string;
}

async function main(): Promise<number> {
  let args;
  try {
    args = parse(process.argv.slice(2));
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    process.stderr.write(`bench: ${error.message}\n${USAGE}\n`);
    return 2;
  }
  if (args.help) {
    console.log(USAGE);
    return 0;
  }
  const result: BenchResult = {
    startedAt: new Date().toISOString(),
    machine: { node: process.version, platform: `${process.platform} ${process.arch}`, cpus: cpus().length, cpuModel: cpus()[0]?.model ?? 'unknown', totalMemBytes: totalmem() },
    suites: args.suites,
    targets: TARGETS,
    arxQuoted: ARX_QUOTED,
    load: [],
    errors: [],
    targetChecks: [],
    unreliable: false,
  };
  console.log(`cloak bench: suites ${args.suites.join(', ')}; node ${process.version}, ${result.machine.cpus} × ${result.machine.cpuModel}`);
  console.log(`comparison: ${ARX_QUOTED.engine}`);
  result.load.push(sampleLoad('start'));

  // The only suite that needs no Adult: synthetic card numbers.
  if (args.suites.includes('pseudonymize')) {
    const scratch = await mkdtemp(join(tmpdir(), 'cloak-bench-'));
    try {
      result.pseudonymize = [];
      for (const rows of args.sizes ?? [1_000_000]) {
        const figures = await runPseudonymizeSuite(args.cli, chooseRssMethod(args.rss), scratch, rows, args.warmup ?? 1, args.runs ?? 5);
        result.pseudonymize.push(figures);
        result.targetChecks.push(...figures.targets);
      }
    } catch (error) {
      const message = (error as Error).message;
      console.log(`\nsuite pseudonymize failed: ${message}`);
      result.errors.push({ suite: 'pseudonymize', message });
    } finally {
      await rm(scratch, { recursive: true, force: true });
    }
  }
  // Nor does the survey table: it is generated.
  if (args.suites.includes('wide')) {
    const scratch = await mkdtemp(join(tmpdir(), 'cloak-bench-'));
    try {
      result.wide = await runWideSuite(args.cli, chooseRssMethod(args.rss), scratch, { cacheDir: args.cacheDir, runs: args.runs ?? 3, warmup: args.warmup ?? 1, qis: args.qis, limitsMs: args.limitsMs });
      result.targetChecks.push(...result.wide.targets);
    } catch (error) {
      const message = (error as Error).message;
      console.log(`\nsuite wide failed: ${message}`);
      result.errors.push({ suite: 'wide', message });
    } finally {
      await rm(scratch, { recursive: true, force: true });
    }
  }
  const adultSuites = args.suites.filter((suite) => suite !== 'pseudonymize' && suite !== 'wide');
  const missing = adultMissing(args.adultDir);
  if (adultSuites.length > 0 && missing !== undefined) {
    result.skipped = `Adult benchmarks skipped: ${missing}`;
    console.log(`${result.skipped}. Every suite but pseudonymize and wide runs on Adult; those were not measured.`);
  } else if (adultSuites.length > 0) {
    const scratch = await mkdtemp(join(tmpdir(), 'cloak-bench-'));
    const method = chooseRssMethod(args.rss);
    try {
      for (const suite of adultSuites) {
        try {
          if (suite === 'adult') {
            result.adult = await runAdultSuite(args.adultDir, args.warmup ?? 1, args.runs ?? 5);
            result.targetChecks.push(...result.adult.targets);
          } else if (suite === 'models') {
            result.models = await runModelsSuite(args.adultDir, args.warmup ?? 1, args.runs ?? 5);
            result.targetChecks.push(...result.models.targets);
          } else if (suite === 'models-next') {
            result.modelsNext = await runModelsNextSuite(args.adultDir, args.cacheDir, args.runs ?? 5);
            result.targetChecks.push(...result.modelsNext.targets);
          } else if (suite === 'cli') {
            result.cli = await runCliSuite(args.cli, args.adultDir, method, scratch, args.warmup ?? 1, args.runs ?? 5);
            result.targetChecks.push(...result.cli.targets);
          } else if (suite === 'local') {
            result.local = await runLocalSuite({
              cli: args.cli,
              adultDir: args.adultDir,
              method,
              scratchDir: scratch,
              warmup: args.warmup ?? 1,
              runs: args.runs ?? 5,
              scaleRows: args.sizes ?? [1_000_000],
              seed: args.seed,
              cacheDir: args.cacheDir,
            });
            result.targetChecks.push(...result.local.targets);
          } else if (suite === 'scale') {
            result.scale = await runScaleSuite(args.cli, args.adultDir, method, scratch, { sizes: args.sizes ?? [1_000_000, 10_000_000], seed: args.seed, cacheDir: args.cacheDir, runs: args.runs, warmup: args.warmup });
            for (const size of result.scale.sizes) result.targetChecks.push(...size.targets);
          } else if (suite === 'engines') {
            result.engines = await runEnginesSuite(args.cli, args.adultDir, method, scratch, { sizes: args.sizes ?? [10_000_000], seed: args.seed, cacheDir: args.cacheDir, runs: args.runs });
            result.targetChecks.push(...result.engines.targets);
          } else {
            // Its own script, which runs every phase in a child process of its own to read that phase's peak RSS.
            for (const rows of args.sizes ?? [10_000_000]) {
              console.log(`\n== apply-plan: ${count(rows)} synthetic rows, ${args.runs ?? 3} run(s) ==`);
              execFileSync(process.execPath, [join(REPO_ROOT, 'dist-scripts/test/bench/apply-plan.js'), '--rows', String(rows), '--runs', String(args.runs ?? 3)], { cwd: REPO_ROOT, stdio: 'inherit' });
            }
          }
        } catch (error) {
          const message = (error as Error).message;
          console.log(`\nsuite ${suite} failed: ${message}`);
          result.errors.push({ suite, message });
        }
        if ((args.runs ?? 5) < 5 && suite !== 'scale' && suite !== 'apply-plan' && suite !== 'engines') console.log(`note: --runs ${args.runs} is below the 5 measured runs the issue asks for`);
      }
    } finally {
      await rm(scratch, { recursive: true, force: true });
    }
  }

  console.log('');
  result.load.push(sampleLoad('end'));
  result.unreliable = result.load.some((s) => s.loadavg[0] > LOAD_WARNING_THRESHOLD);
  if (result.targetChecks.length > 0) {
    const met = result.targetChecks.filter((c) => c.met).length;
    console.log(`targets met: ${met} of ${result.targetChecks.length}${result.unreliable ? ' (load was high: figures unreliable)' : ''}`);
  }
  result.finishedAt = new Date().toISOString();
  if (args.json !== undefined) {
    await writeFile(args.json, JSON.stringify(result, null, 2) + '\n');
    console.log(`figures written to ${args.json}`);
  }
  return result.errors.length > 0 ? 1 : 0;
}

process.exitCode = await main();
