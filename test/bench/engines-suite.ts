// The `engines` suite (issue 17): the scale workload (Adult upsampled, 9 QIs, k=5, suppression 0.05, discernibility)
// as whole `cloak anonymize` processes on SQL engines — DuckDB Parquet → Parquet at 10M and 100M rows, DuckDB CSV → CSV
// against the in-memory engine, and a 2-shard ClickHouse cluster's histogram and apply — with peak RSS, against targets.

import { execFileSync } from 'node:child_process';
import { createReadStream, existsSync, readFileSync, statSync } from 'node:fs';
import { mkdir, readFile, rename, rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import { join } from 'node:path';
import type { AnonymizationReport } from '../../src/report.js';
import { runCliProcess, type RssMethod } from './process-runner.js';
import { checkTarget, count, mib, ms, summarize, targetLine, type Summary, type TargetCheck } from './stats.js';
import { checkAgeHierarchy, upsampledAdult } from './upsample.js';
import { ADULT_ATTRIBUTES, REPO_ROOT, adultCsv } from './workload.js';

/** Issue 17's targets on this 2-core machine class. */
export const ENGINE_TARGETS = {
  duckdb100MParquetWallMs: 150_000,
  duckdb100MRssKiB: 2 * 1024 * 1024,
  duckdb10MParquetWallMs: 20_000,
  clickhouse10MHistogramMs: 10_000,
  clickhouse10MApplyMs: 40_000,
} as const;

export interface EngineRunFigures {
  readonly label: string;
  readonly wallMs: Summary;
  readonly maxRssKiB: Summary;
  readonly reportMs: Record<'read' | 'search' | 'write', Summary>;
  readonly transformation: Record<string, number>;
  readonly score: number;
  readonly distinctTuples: number;
}

export interface ClickHouseFigures {
  readonly rows: number;
  readonly loadMs: number;
  readonly histogramMs: Summary;
  readonly applyMs: Summary;
  readonly wallMs: Summary;
  readonly cloakMaxRssKiB: Summary;
  /** Peak RSS (VmHWM) of each server after the runs. */
  readonly serverPeakRssKiB: readonly number[];
  readonly sameOptimumAsInMemory: boolean | undefined;
}

export interface EngineSizeFigures {
  rows: number;
  parquet?: EngineRunFigures;
  csvEngine?: EngineRunFigures;
  csvInMemory?: EngineRunFigures;
  /** Median wall time of the duckdb CSV run over the in-memory one. */
  csvRatio?: number;
  error?: string;
}

export interface EnginesSuiteResult {
  readonly sizes: EngineSizeFigures[];
  readonly clickhouse?: ClickHouseFigures;
  readonly skipped: string[];
  readonly targets: TargetCheck[];
}

export interface EnginesSettings {
  readonly sizes: readonly number[];
  readonly seed: number;
  readonly cacheDir: string;
  /** Measured runs per configuration; default 3 up to 10M rows, 1 above. */
  readonly runs?: number;
}

/** The standard job's flags after the input and output. */
function jobFlags(adultDir: string, report: string): string[] {
  return ['--qi', ADULT_ATTRIBUTES.join(','), '--hierarchies', adultDir, '--k', '5', '--suppression', '0.05', '--metric', 'discernibility', '--report', report, '-q'];
}

/** The upsampled CSV converted to Parquet once (cached beside it; regenerated when the CSV is newer). */
async function parquetOf(csv: string): Promise<string> {
  const parquet = csv.replace(/\.csv$/, '.parquet');
  if (existsSync(parquet) && statSync(parquet).mtimeMs >= statSync(csv).mtimeMs) return parquet;
  process.stdout.write(`  converting ${csv} to Parquet … `);
  const started = performance.now();
  const { DuckDBInstance } = await import('@duckdb/node-api');
  const instance = await DuckDBInstance.create(':memory:', { memory_limit: '1GiB', preserve_insertion_order: 'true' });
  const connection = await instance.connect();
  const temporary = `${parquet}.tmp-${process.pid}`;
  try {
    await connection.run(`COPY (SELECT * FROM read_csv('${csv}', all_varchar = true, header = true, delim = ';', quote = '"', escape = '"')) TO '${temporary}' (FORMAT parquet)`);
  } finally {
    connection.closeSync();
    instance.closeSync();
  }
  await rename(temporary, parquet);
  console.log(`${ms(performance.now() - started)}, ${mib(statSync(parquet).size / 1024)}`);
  return parquet;
}

/** Runs one `cloak anonymize` configuration `runs` times and summarizes it. */
async function measure(cli: string, label: string, input: string, output: string, extra: readonly string[], adultDir: string, method: RssMethod, scratch: string, runs: number): Promise<EngineRunFigures> {
  const report = join(scratch, 'engine-report.json');
  const wall: number[] = [];
  const rss: number[] = [];
  const timings = { read: [] as number[], search: [] as number[], write: [] as number[] };
  let last: AnonymizationReport | undefined;
  for (let run = 0; run < runs; run++) {
    process.stdout.write(`  ${label}: run ${run + 1}/${runs} … `);
    const result = await runCliProcess(cli, ['anonymize', input, '-o', output, ...extra, ...jobFlags(adultDir, report)], method, scratch);
    last = JSON.parse(await readFile(report, 'utf8')) as AnonymizationReport;
    await rm(output, { force: true });
    console.log(`wall ${ms(result.wallMs)}, peak RSS ${mib(result.maxRssKiB)} (read ${ms(last.timingsMs.read)}, search ${ms(last.timingsMs.search)}, write and check ${ms(last.timingsMs.write)})`);
    wall.push(result.wallMs);
    rss.push(result.maxRssKiB);
    timings.read.push(last.timingsMs.read);
    timings.search.push(last.timingsMs.search);
    timings.write.push(last.timingsMs.write);
  }
  return {
    label,
    wallMs: summarize(wall),
    maxRssKiB: summarize(rss),
    reportMs: { read: summarize(timings.read), search: summarize(timings.search), write: summarize(timings.write) },
    transformation: last!.transformation,
    score: last!.metric.value,
    distinctTuples: last!.search.distinctTuples,
  };
}

function describe(figures: EngineRunFigures): string {
  const t = figures.reportMs;
  return `  ${figures.label}: wall median ${ms(figures.wallMs.median)} (min ${ms(figures.wallMs.min)}, max ${ms(figures.wallMs.max)}), peak RSS max ${mib(figures.maxRssKiB.max)}; read ${ms(t.read.median)}, search ${ms(t.search.median)} (${count(figures.distinctTuples)} distinct tuples), write and check ${ms(t.write.median)}`;
}

export async function runEnginesSuite(cli: string, adultDir: string, method: RssMethod, scratch: string, settings: EnginesSettings): Promise<EnginesSuiteResult> {
  console.log(`\n== engines: Adult upsampled (seed ${settings.seed}) to ${settings.sizes.map(count).join(', ')} rows; whole process \`cloak anonymize\` (9 QIs, k=5, suppression 0.05, discernibility) ==`);
  const skipped: string[] = [];
  const targets: TargetCheck[] = [];
  const ageProblem = await checkAgeHierarchy(adultDir);
  if (ageProblem !== undefined) return { sizes: [], skipped: [ageProblem], targets };
  const sizes: EngineSizeFigures[] = [];
  // ClickHouse runs on the largest size up to 10M rows (10M unless only smaller sizes were asked for).
  const clickhouseRows = Math.max(...settings.sizes.filter((rows) => rows <= 10_000_000), 0) || 10_000_000;
  let inMemoryForClickHouse: EngineRunFigures | undefined;
  let csvForClickHouse: string | undefined;
  for (const rows of settings.sizes) {
    const runs = settings.runs ?? (rows <= 10_000_000 ? 3 : 1);
    console.log(`\n${count(rows)} rows (${runs} run${runs === 1 ? '' : 's'} each)`);
    try {
      const csv = await upsampledAdult(adultCsv(adultDir), rows, settings.seed, settings.cacheDir);
      const parquet = await parquetOf(csv);
      const parquetRun = await measure(cli, 'duckdb, Parquet → Parquet', parquet, join(scratch, 'out.parquet'), ['--engine', 'duckdb'], adultDir, method, scratch, runs);
      console.log(describe(parquetRun));
      const entry: EngineSizeFigures = { rows, parquet: parquetRun };
      if (rows === 10_000_000) targets.push(checkTarget('DuckDB 10M rows Parquet → Parquet, median wall time', parquetRun.wallMs.median, ENGINE_TARGETS.duckdb10MParquetWallMs, '<=', 'ms'));
      if (rows === 100_000_000) {
        targets.push(checkTarget('DuckDB 100M rows Parquet → Parquet, wall time', parquetRun.wallMs.median, ENGINE_TARGETS.duckdb100MParquetWallMs, '<=', 'ms'));
        targets.push(checkTarget('DuckDB 100M rows Parquet → Parquet, peak RSS', parquetRun.maxRssKiB.max, ENGINE_TARGETS.duckdb100MRssKiB, '<=', 'KiB'));
      }
      if (rows <= 10_000_000) {
        // CSV → CSV, engine against in-memory, interleaved run by run so that load changes hit both alike.
        const engine: EngineRunFigures[] = [];
        const memory: EngineRunFigures[] = [];
        for (let run = 0; run < runs; run++) {
          engine.push(await measure(cli, 'duckdb, CSV → CSV', csv, join(scratch, 'out.csv'), ['--engine', 'duckdb'], adultDir, method, scratch, 1));
          memory.push(await measure(cli, 'in memory, CSV → CSV', csv, join(scratch, 'out.csv'), [], adultDir, method, scratch, 1));
        }
        const merge = (label: string, list: EngineRunFigures[]): EngineRunFigures => ({
          label,
          wallMs: summarize(list.map((figures) => figures.wallMs.median)),
          maxRssKiB: summarize(list.map((figures) => figures.maxRssKiB.median)),
          reportMs: {
            read: summarize(list.map((figures) => figures.reportMs.read.median)),
            search: summarize(list.map((figures) => figures.reportMs.search.median)),
            write: summarize(list.map((figures) => figures.reportMs.write.median)),
          },
          transformation: list[0].transformation,
          score: list[0].score,
          distinctTuples: list[0].distinctTuples,
        });
        entry.csvEngine = merge('duckdb, CSV → CSV', engine);
        entry.csvInMemory = merge('in memory, CSV → CSV', memory);
        entry.csvRatio = entry.csvEngine.wallMs.median / entry.csvInMemory.wallMs.median;
        console.log(describe(entry.csvEngine));
        console.log(describe(entry.csvInMemory));
        console.log(`  CSV → CSV: duckdb / in memory = ${entry.csvRatio.toFixed(2)} × (median wall time); same optimum: ${JSON.stringify(entry.csvEngine.transformation) === JSON.stringify(entry.csvInMemory.transformation)}`);
        targets.push(checkTarget(`DuckDB ${count(rows)} rows CSV → CSV no slower than in memory (median wall time; target: in memory's)`, entry.csvEngine.wallMs.median, entry.csvInMemory.wallMs.median, '<=', 'ms'));
        if (rows === clickhouseRows) {
          inMemoryForClickHouse = entry.csvInMemory;
          csvForClickHouse = csv;
        }
      }
      sizes.push(entry);
    } catch (error) {
      console.log(`  failed: ${(error as Error).message}`);
      sizes.push({ rows, error: (error as Error).message });
    }
  }
  let clickhouse: ClickHouseFigures | undefined;
  if (!['/usr/bin/clickhouse-server', '/usr/sbin/clickhouse-server', '/usr/bin/clickhouse'].some((path) => existsSync(path))) {
    skipped.push('ClickHouse: clickhouse-server is not installed (apt-get install -y clickhouse-server clickhouse-client)');
  } else {
    try {
      const csv = csvForClickHouse ?? (await upsampledAdult(adultCsv(adultDir), clickhouseRows, settings.seed, settings.cacheDir));
      clickhouse = await runClickHouse(cli, csv, adultDir, method, scratch, settings.runs ?? 3, inMemoryForClickHouse);
      if (clickhouseRows === 10_000_000) {
        targets.push(checkTarget('ClickHouse 10M rows, 2 shards: histogram (median)', clickhouse.histogramMs.median, ENGINE_TARGETS.clickhouse10MHistogramMs, '<=', 'ms'));
        targets.push(checkTarget('ClickHouse 10M rows, 2 shards: apply into a new table (median)', clickhouse.applyMs.median, ENGINE_TARGETS.clickhouse10MApplyMs, '<=', 'ms'));
      }
    } catch (error) {
      console.log(`  ClickHouse failed: ${(error as Error).message}`);
      skipped.push(`ClickHouse failed: ${(error as Error).message}`);
    }
  }
  for (const check of targets) console.log(targetLine(check));
  return { sizes, clickhouse, skipped, targets };
}

/** The queries of a ClickHouse run that make the histogram, and those that apply, check and publish. */
const HISTOGRAM_QUERIES = new Set(['describe the source', 'list the distinct values', 'count the tuples']);
const APPLY_QUERIES = new Set(['create the release table', 'write the release', 're-aggregate the release', 'publish the release']);

async function runClickHouse(cli: string, csv: string, adultDir: string, method: RssMethod, scratch: string, runs: number, inMemory: EngineRunFigures | undefined): Promise<ClickHouseFigures> {
  const base = await freeBase();
  const directory = join(REPO_ROOT, 'test-artifacts', `bench-clickhouse-${process.pid}`);
  await mkdir(directory, { recursive: true });
  const script = join(REPO_ROOT, 'scripts', 'clickhouse-cluster.sh');
  console.log(`\nClickHouse: 2 shards on ports ${base}, ${base + 1} (${directory})`);
  execFileSync('bash', [script, 'start', directory, String(base)], { stdio: 'pipe' });
  const { createClient, ClickHouseLogLevel } = await import('@clickhouse/client');
  const nodes = [base, base + 1].map((port) => createClient({ url: `http://127.0.0.1:${port}`, request_timeout: 3_600_000, log: { level: ClickHouseLogLevel.OFF } }));
  try {
    const columns = ADULT_ATTRIBUTES.map((name) => `\`${name}\` String`).join(', ');
    for (const node of nodes) {
      await node.command({ query: 'DROP TABLE IF EXISTS default.adult_local' });
      await node.command({ query: `CREATE TABLE default.adult_local (${columns}) ENGINE = MergeTree() ORDER BY tuple()` });
    }
    await nodes[0].command({ query: 'CREATE TABLE default.adult AS default.adult_local ENGINE = Distributed(cloak, default, adult_local, rand())' });
    process.stdout.write(`  loading ${csv} into the Distributed table … `);
    const loadStarted = performance.now();
    await nodes[0].insert({ table: 'default.adult', values: createReadStream(csv), format: 'CSVWithNames', clickhouse_settings: { format_csv_delimiter: ';', insert_distributed_sync: 1 } as never });
    const loadMs = performance.now() - loadStarted;
    const counts = await Promise.all(nodes.map(async (node) => Number(((await (await node.query({ query: 'SELECT count() AS n FROM default.adult_local', format: 'JSONEachRow' })).json()) as { n: string }[])[0].n)));
    console.log(`${ms(loadMs)}; rows per shard ${counts.map(count).join(' + ')}`);

    const histogram: number[] = [];
    const apply: number[] = [];
    const wall: number[] = [];
    const rss: number[] = [];
    let transformation: Record<string, number> | undefined;
    const reportPath = join(scratch, 'clickhouse-report.json');
    for (let run = 0; run < runs; run++) {
      const target = `default.adult_anonymized_${run}`;
      process.stdout.write(`  clickhouse: run ${run + 1}/${runs} … `);
      const result = await runCliProcess(cli, ['anonymize', '--engine', 'clickhouse', '--source', `clickhouse://127.0.0.1:${base}/default.adult`, '--target', target, ...jobFlags(adultDir, reportPath)], method, scratch);
      const report = JSON.parse(await readFile(reportPath, 'utf8')) as AnonymizationReport;
      const sum = (names: Set<string>) => report.engine!.queries.filter((query) => names.has(query.query)).reduce((total, query) => total + query.ms, 0);
      histogram.push(sum(HISTOGRAM_QUERIES));
      apply.push(sum(APPLY_QUERIES));
      wall.push(result.wallMs);
      rss.push(result.maxRssKiB);
      transformation = report.transformation;
      console.log(`wall ${ms(result.wallMs)}, histogram ${ms(histogram[run])}, search ${ms(report.timingsMs.search)}, apply and check ${ms(apply[run])}, Cloak's peak RSS ${mib(result.maxRssKiB)}`);
      await nodes[0].command({ query: `DROP TABLE IF EXISTS ${target}` });
    }
    const serverPeakRssKiB = [1, 2].map((node) => {
      const pid = readFileSync(join(directory, `node${node}`, 'pid'), 'utf8').trim();
      const status = readFileSync(`/proc/${pid}/status`, 'utf8');
      return Number(/VmHWM:\s+(\d+)/.exec(status)?.[1] ?? NaN);
    });
    const same = inMemory === undefined ? undefined : JSON.stringify(transformation) === JSON.stringify(inMemory.transformation);
    const figures: ClickHouseFigures = {
      rows: counts.reduce((a, b) => a + b, 0),
      loadMs,
      histogramMs: summarize(histogram),
      applyMs: summarize(apply),
      wallMs: summarize(wall),
      cloakMaxRssKiB: summarize(rss),
      serverPeakRssKiB,
      sameOptimumAsInMemory: same,
    };
    console.log(`  clickhouse: histogram median ${ms(figures.histogramMs.median)}, apply into a new table (write, re-aggregate, check, rename) median ${ms(figures.applyMs.median)}, whole process median ${ms(figures.wallMs.median)}`);
    console.log(`  peak RSS: Cloak ${mib(figures.cloakMaxRssKiB.max)}, servers ${serverPeakRssKiB.map(mib).join(' and ')}; same optimum as in memory: ${same === undefined ? 'not compared (no in-memory 10M run)' : same}`);
    return figures;
  } finally {
    for (const node of nodes) await node.close();
    execFileSync('bash', [script, 'stop', directory], { stdio: 'pipe' });
    await rm(directory, { recursive: true, force: true });
  }
}

/** A base port with the six ports the cluster script uses free. */
async function freeBase(): Promise<number> {
  const free = (port: number) =>
    new Promise<boolean>((resolve) => {
      const server = createServer();
      server.once('error', () => resolve(false));
      server.listen(port, '127.0.0.1', () => server.close(() => resolve(true)));
    });
  for (let attempt = 0; attempt < 50; attempt++) {
    const base = 20_000 + Math.floor(Math.random() * 30_000);
    if ((await Promise.all([0, 1, 10, 11, 20, 21].map((offset) => free(base + offset)))).every(Boolean)) return base;
  }
  throw new Error('no free ports for the ClickHouse cluster');
}
