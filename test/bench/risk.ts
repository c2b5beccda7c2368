// Benchmark of the risk estimator on large CSV files: read time apart from the risk pass (grouping + estimators),
// and peak memory, each file measured in a fresh child process. Run with `node dist-scripts/test/bench/risk.js`.

import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { collapseTuples } from '../../src/groupify/collapse.js';
import { readCsvFile } from '../../src/io/csv-reader.js';
import { resolvePopulationSize, riskOfClasses, tableRisk, unsuppressedTuples } from '../../src/risk/table-risk.js';

const USAGE = `Usage: npx tsc -p tsconfig.scripts.json && node dist-scripts/test/bench/risk.js [options] <file.csv>…

Measures \`cloak risk\` on each file in its own process: the CSV read, then the risk pass (one grouping pass and
every estimator), split into grouping and estimators, with the process's peak RSS. Generate inputs with
  npm run gen -- --rows 1000000 --seed 3 --out /tmp/gen1m.csv   (and --rows 10000000 … /tmp/gen10m.csv)

Options:
  --qi a,b,c        quasi-identifiers (default: the nine census columns of the generator)
  --population P    population size or preset (default USA): every population estimator runs
  --runs N          measured risk passes per file after one warm-up (default 3)
  --json            print the figures as one JSON document
  -h, --help        this help`;

const DEFAULT_QI = 'age,workclass,education,marital-status,occupation,race,sex,native-country,salary-class';

interface FileFigures {
  readonly file: string;
  readonly rows: number;
  readonly classes: number;
  readonly readMs: number;
  /** Median over the runs of the whole risk pass after the read (the ≤ 1 s per 1M rows target). */
  readonly riskMs: number;
  readonly groupingMs: number;
  readonly estimatorsMs: number;
  readonly runsMs: number[];
  /** Median CPU time (user + system) of the risk pass: what the pass costs when the machine is shared. */
  readonly riskCpuMs: number;
  readonly peakRssMb: number;
  readonly heapUsedMb: number;
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = sorted.length >> 1;
  return sorted.length % 2 === 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
}

/** One file, in this process: read once, then a warm-up and `runs` timed risk passes. */
async function measure(file: string, qi: string[], population: number, runs: number): Promise<FileFigures> {
  const readStarted = performance.now();
  const { table } = await readCsvFile(file);
  const readMs = performance.now() - readStarted;
  const options = { populationSize: population };
  const runsMs: number[] = [];
  const cpuRuns: number[] = [];
  const groupingRuns: number[] = [];
  const estimatorRuns: number[] = [];
  let classes = 0;
  for (let run = 0; run <= runs; run++) {
    const started = performance.now();
    const cpuStarted = process.cpuUsage();
    const report = tableRisk(table, qi, options, file);
    const whole = performance.now() - started;
    const cpu = process.cpuUsage(cpuStarted);
    classes = report.classes;
    // The same pass in its two halves, to see where the time goes.
    const groupStarted = performance.now();
    const columns = qi.map((name) => table.columns.findIndex((column) => column.name === name));
    const { tuples } = collapseTuples(table, columns, []);
    const { classes: kept } = unsuppressedTuples(tuples, columns.map((c) => table.columns[c].dictionary));
    const grouped = performance.now();
    riskOfClasses(kept, options);
    const estimated = performance.now();
    if (run === 0) continue;
    runsMs.push(whole);
    cpuRuns.push((cpu.user + cpu.system) / 1000);
    groupingRuns.push(grouped - groupStarted);
    estimatorRuns.push(estimated - grouped);
  }
  return {
    file,
    rows: table.rowCount,
    classes,
    readMs,
    riskMs: median(runsMs),
    groupingMs: median(groupingRuns),
    estimatorsMs: median(estimatorRuns),
    runsMs,
    riskCpuMs: median(cpuRuns),
    peakRssMb: process.resourceUsage().maxRSS / 1024,
    heapUsedMb: process.memoryUsage().heapUsed / 2 ** 20,
  };
}

async function main(argv: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      qi: { type: 'string', default: DEFAULT_QI },
      population: { type: 'string', default: 'USA' },
      runs: { type: 'string', default: '3' },
      json: { type: 'boolean' },
      child: { type: 'boolean' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  if (values.help || positionals.length === 0) {
    process.stdout.write(USAGE + '\n');
    return values.help ? 0 : 2;
  }
  const qi = values.qi.split(',');
  const population = resolvePopulationSize(values.population);
  const runs = Number(values.runs);
  if (values.child) {
    process.stdout.write(JSON.stringify(await measure(positionals[0], qi, population, runs)) + '\n');
    return 0;
  }
  const figures: FileFigures[] = [];
  for (const file of positionals) {
    const child = spawnSync(
      process.execPath,
      ['--max-old-space-size=16384', fileURLToPath(import.meta.url), '--child', '--qi', values.qi, '--population', values.population, '--runs', values.runs, file],
      { encoding: 'utf8', maxBuffer: 1 << 20 },
    );
    if (child.status !== 0) {
      process.stderr.write(`risk bench: ${file} failed (exit ${child.status}):\n${child.stderr}`);
      return 1;
    }
    figures.push(JSON.parse(child.stdout) as FileFigures);
  }
  if (values.json) {
    process.stdout.write(JSON.stringify({ qi, population, runs, figures }, null, 2) + '\n');
    return 0;
  }
  for (const f of figures) {
    process.stdout.write(
      `${f.file}: ${f.rows} rows, ${f.classes} classes; read ${f.readMs.toFixed(0)} ms; risk ${f.riskMs.toFixed(0)} ms ` +
        `(CPU ${f.riskCpuMs.toFixed(0)} ms; grouping ${f.groupingMs.toFixed(0)} ms, estimators ${f.estimatorsMs.toFixed(0)} ms; median of ${f.runsMs.length}); ` +
        `peak RSS ${f.peakRssMb.toFixed(0)} MB\n`,
    );
  }
  return 0;
}

main(process.argv.slice(2)).then(
  (code) => (process.exitCode = code),
  (error: unknown) => {
    process.stderr.write(`risk bench: ${(error as Error).stack ?? String(error)}\n`);
    process.exitCode = 1;
  },
);
