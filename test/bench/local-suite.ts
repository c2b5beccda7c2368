// The `local` suite: issue 19's local recoding on Adult — the headline job as a whole process (granularity loss and
// wall time against the targets, ARX's local mode quoted), the grid of k × suppression and sensitive-attribute models
// in process, and the 1M-row scale workload's time and peak RSS.

import { readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { anonymizeEncoded } from '../../src/anonymize.js';
import { readCsvFile } from '../../src/io/csv-reader.js';
import type { AnonymizeOptions, ModelSpec } from '../../src/options.js';
import type { AnonymizationReport } from '../../src/report.js';
import type { EncodedTable } from '../../src/table/encoded-table.js';
import { describeRssMethod, runCliProcess, type RssMethod } from './process-runner.js';
import { checkTarget, count, mib, ms, summarize, table, targetLine, type Summary, type TargetCheck } from './stats.js';
import { checkAgeHierarchy, upsampledAdult } from './upsample.js';
import { ADULT_ATTRIBUTES, ARX_QUOTED, TARGETS, adultCsv } from './workload.js';

const KS = [2, 5, 10, 20] as const;
const SUPPRESSIONS = [0.05, 0.2] as const;
const SENSITIVE = 'occupation';
const SENSITIVE_MODELS: readonly { readonly label: string; readonly model: ModelSpec }[] = [
  { label: 'distinct-3', model: { type: 'distinct-l-diversity', attribute: SENSITIVE, l: 3 } },
  { label: 't-equal 0.2', model: { type: 't-closeness', attribute: SENSITIVE, t: 0.2, distance: 'equal' } },
];

export interface LocalConfigResult {
  readonly job: string;
  readonly k: number;
  readonly suppression: number;
  readonly granularityLoss?: number;
  /** The global optimum's granularity loss on the same policy. */
  readonly globalGranularityLoss?: number | null;
  readonly released?: 'local' | 'global';
  readonly recordsSuppressed?: number;
  readonly cellsSuppressed?: number;
  readonly classes?: number;
  readonly levelVectors?: number;
  /** The call's wall time (read excluded: the table is read once for the grid). */
  readonly callMs?: number;
  readonly callCpuMs?: number;
  readonly error?: string;
}

export interface LocalProcessFigures {
  readonly rows: number;
  readonly wallMs: Summary;
  readonly cpuMs: Summary;
  readonly maxRssKiB: Summary;
  readonly granularityLoss: number;
  readonly recordsSuppressed: number;
  readonly classes: number;
  readonly reportMs: Record<'read' | 'search' | 'verify' | 'write' | 'total', Summary>;
}

export interface LocalSuiteResult {
  readonly warmup: number;
  readonly runs: number;
  readonly headline?: LocalProcessFigures;
  readonly grid: LocalConfigResult[];
  readonly scale?: LocalProcessFigures & { readonly error?: string };
  readonly targets: TargetCheck[];
}

/** `cloak anonymize` flags of the headline job: all nine QIs, k, suppression, local recoding. */
function localArgs(input: string, output: string, report: string, adultDir: string, k: number, suppression: number): string[] {
  return ['anonymize', input, '-o', output, '--qi', ADULT_ATTRIBUTES.join(','), '--hierarchies', adultDir, '--k', String(k), '--suppression', String(suppression), '--recoding', 'local', '--report', report, '-q'];
}

async function measureLocalProcess(cli: string, input: string, adultDir: string, method: RssMethod, scratchDir: string, warmup: number, runs: number, label: string): Promise<LocalProcessFigures> {
  const output = join(scratchDir, 'local-out.csv');
  const reportPath = join(scratchDir, 'local-report.json');
  const wall: number[] = [];
  const cpu: number[] = [];
  const rss: number[] = [];
  const timings: Record<keyof LocalProcessFigures['reportMs'], number[]> = { read: [], search: [], verify: [], write: [], total: [] };
  let last: AnonymizationReport | undefined;
  for (let run = 0; run < warmup + runs; run++) {
    const measured = run >= warmup;
    process.stdout.write(`  ${label}: ${measured ? `run ${run - warmup + 1}/${runs}` : `warm-up ${run + 1}/${warmup}`} … `);
    const result = await runCliProcess(cli, localArgs(input, output, reportPath, adultDir, 5, 0.05), method, scratchDir);
    last = JSON.parse(await readFile(reportPath, 'utf8')) as AnonymizationReport;
    await rm(output, { force: true });
    await rm(reportPath, { force: true });
    console.log(`wall ${ms(result.wallMs)}, CPU ${ms(result.cpuMs)}, peak RSS ${mib(result.maxRssKiB)}, granularity loss ${last.quality.granularityLoss.value.toFixed(4)}`);
    if (!measured) continue;
    wall.push(result.wallMs);
    cpu.push(result.cpuMs);
    rss.push(result.maxRssKiB);
    for (const key of Object.keys(timings) as (keyof typeof timings)[]) timings[key].push(last.timingsMs[key]);
  }
  return {
    rows: last!.rows,
    wallMs: summarize(wall),
    cpuMs: summarize(cpu),
    maxRssKiB: summarize(rss),
    granularityLoss: last!.quality.granularityLoss.value,
    recordsSuppressed: last!.quality.recordsSuppressed,
    classes: last!.quality.classes,
    reportMs: {
      read: summarize(timings.read),
      search: summarize(timings.search),
      verify: summarize(timings.verify),
      write: summarize(timings.write),
      total: summarize(timings.total),
    },
  };
}

function describeLocalProcess(figures: LocalProcessFigures): string[] {
  const t = figures.reportMs;
  return [
    `  ${count(figures.rows)} rows → granularity loss ${figures.granularityLoss.toFixed(4)}, ${count(figures.recordsSuppressed)} suppressed, ${count(figures.classes)} classes`,
    `  wall time median ${ms(figures.wallMs.median)} (min ${ms(figures.wallMs.min)}, max ${ms(figures.wallMs.max)}); CPU median ${ms(figures.cpuMs.median)}; peak RSS median ${mib(figures.maxRssKiB.median)} (max ${mib(figures.maxRssKiB.max)})`,
    `  report timings (medians): read ${ms(t.read.median)}, search + local recoding ${ms(t.search.median)}, verify ${ms(t.verify.median)}, write ${ms(t.write.median)}, total ${ms(t.total.median)}`,
  ];
}

async function runConfig(input: EncodedTable, lineOfRow: Int32Array, adultDir: string, job: string, attributes: AnonymizeOptions['attributes'], models: ModelSpec[], k: number, suppression: number): Promise<LocalConfigResult> {
  const options: AnonymizeOptions = { attributes, models, suppressionLimit: suppression, hierarchiesDir: adultDir, recoding: 'local' };
  const base = { job, k, suppression };
  try {
    const cpuStarted = process.cpuUsage();
    const started = performance.now();
    const { report } = await anonymizeEncoded(input, options, { file: 'adult.csv', lineOfRow });
    const callMs = performance.now() - started;
    const cpuUsed = process.cpuUsage(cpuStarted);
    return {
      ...base,
      granularityLoss: report.quality.granularityLoss.value,
      globalGranularityLoss: report.local!.globalGranularityLoss,
      released: report.local!.released,
      recordsSuppressed: report.quality.recordsSuppressed,
      cellsSuppressed: report.quality.cellsSuppressed.total,
      classes: report.quality.classes,
      levelVectors: report.local!.levelVectors.length,
      callMs,
      callCpuMs: (cpuUsed.user + cpuUsed.system) / 1000,
    };
  } catch (error) {
    return { ...base, error: (error as Error).message };
  }
}

export interface LocalSuiteSettings {
  readonly cli: string;
  readonly adultDir: string;
  readonly method: RssMethod;
  readonly scratchDir: string;
  readonly warmup: number;
  readonly runs: number;
  /** Rows of the scale workload (default 1M; none with an empty list). */
  readonly scaleRows: readonly number[];
  readonly seed: number;
  readonly cacheDir: string;
}

export async function runLocalSuite(settings: LocalSuiteSettings): Promise<LocalSuiteResult> {
  const { cli, adultDir, method, scratchDir, warmup, runs } = settings;
  const targets: TargetCheck[] = [];
  console.log(`\n== local: local recoding on Adult (issue 19); peak RSS via ${describeRssMethod(method)} ==`);
  console.log(`  ARX (quoted from issue 19, not run here): ${ARX_QUOTED.localEngine}`);

  console.log(`\nheadline: whole process \`cloak anonymize --recoding local\`, 9 QIs, k=5, suppression 0.05, ${warmup} warm-up + ${runs} run(s)`);
  const headline = await measureLocalProcess(cli, adultCsv(adultDir), adultDir, method, scratchDir, warmup, runs, 'adult');
  for (const line of describeLocalProcess(headline)) console.log(line);
  targets.push(checkTarget('Adult 9 QIs k=5 suppression 0.05: granularity loss', headline.granularityLoss, TARGETS.localGranularityLoss, '<=', 'share'));
  targets.push(checkTarget('Adult 9 QIs k=5 suppression 0.05: whole process, median wall time', headline.wallMs.median, TARGETS.localWallMs, '<=', 'ms'));
  for (const check of targets) console.log(targetLine(check));
  console.log(`  ARX local: granularity loss ${ARX_QUOTED.localGranularityLoss} in ≈ ${ms(ARX_QUOTED.localMs)}; Cloak / ARX: ${(headline.granularityLoss / ARX_QUOTED.localGranularityLoss).toFixed(2)} × the loss, ${(headline.wallMs.median / ARX_QUOTED.localMs).toFixed(2)} × the time`);

  console.log('\ngrid: in-process anonymizeEncoded, one run each (the release is deterministic; call = search + local recoding + verify)');
  const { table: input, lineOfRow } = await readCsvFile(adultCsv(adultDir));
  const grid: LocalConfigResult[] = [];
  const nine = Object.fromEntries(ADULT_ATTRIBUTES.map((a) => [a, { role: 'quasi-identifying' as const }]));
  const eight = Object.fromEntries(ADULT_ATTRIBUTES.map((a) => [a, { role: a === SENSITIVE ? ('sensitive' as const) : ('quasi-identifying' as const) }]));
  const jobs: { job: string; attributes: AnonymizeOptions['attributes']; model?: ModelSpec }[] = [{ job: '9 QIs', attributes: nine }, ...SENSITIVE_MODELS.map(({ label, model }) => ({ job: `8 QIs + ${label}`, attributes: eight, model }))];
  for (const { job, attributes, model } of jobs) {
    for (const k of model === undefined ? KS : [5]) {
      for (const suppression of SUPPRESSIONS) {
        process.stdout.write(`  ${job}, k=${k}, suppression ${suppression} … `);
        const result = await runConfig(input, lineOfRow, adultDir, job, attributes, [{ type: 'k-anonymity', k }, ...(model === undefined ? [] : [model])], k, suppression);
        console.log(result.error ?? `${ms(result.callMs!)}`);
        grid.push(result);
      }
    }
  }
  console.log(
    table(
      ['job', 'k', 'supp', 'granularity loss', 'global', 'released', 'suppressed', 'cells *', 'classes', 'vectors', 'call', 'call CPU'],
      grid.map((c) => [
        c.job,
        String(c.k),
        String(c.suppression),
        c.error ?? c.granularityLoss!.toFixed(4),
        c.globalGranularityLoss === undefined || c.globalGranularityLoss === null ? '–' : c.globalGranularityLoss.toFixed(4),
        c.released ?? '',
        c.recordsSuppressed === undefined ? '' : count(c.recordsSuppressed),
        c.cellsSuppressed === undefined ? '' : count(c.cellsSuppressed),
        c.classes === undefined ? '' : count(c.classes),
        c.levelVectors === undefined ? '' : count(c.levelVectors),
        c.callMs === undefined ? '' : ms(c.callMs),
        c.callCpuMs === undefined ? '' : ms(c.callCpuMs),
      ]),
      [false, true, true, true, true, false, true, true, true, true, true, true],
    ),
  );

  let scale: LocalSuiteResult['scale'];
  for (const rows of settings.scaleRows) {
    console.log(`\nscale: Adult upsampled (seed ${settings.seed}) to ${count(rows)} rows, whole process --recoding local, k=5, suppression 0.05, 1 run`);
    const ageProblem = await checkAgeHierarchy(adultDir);
    if (ageProblem !== undefined) {
      console.log(`  skipped: ${ageProblem}`);
      break;
    }
    const file = await upsampledAdult(adultCsv(adultDir), rows, settings.seed, settings.cacheDir);
    try {
      scale = await measureLocalProcess(cli, file, adultDir, method, scratchDir, 0, 1, `${count(rows)} rows`);
      for (const line of describeLocalProcess(scale)) console.log(line);
    } catch (error) {
      console.log(`  failed: ${(error as Error).message}`);
      scale = { ...(scale ?? ({} as LocalProcessFigures)), error: (error as Error).message };
    }
  }
  return { warmup, runs, headline, grid, ...(scale === undefined ? {} : { scale }), targets };
}
