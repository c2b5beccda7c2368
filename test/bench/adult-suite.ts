// The `adult` suite: 48 in-process configurations of anonymizeEncoded on Adult (QIs × k × suppression × metric),
// median search and whole-call times after a warm-up, and the headline configurations judged against issue 3's targets.

import { anonymizeEncoded } from '../../src/anonymize.js';
import { readCsvFile } from '../../src/io/csv-reader.js';
import type { AnonymizeOptions, MetricName } from '../../src/options.js';
import type { EncodedTable } from '../../src/table/encoded-table.js';
import { checkTarget, count, ms, score, summarize, table, targetLine, type Summary, type TargetCheck } from './stats.js';
import { ADULT_ATTRIBUTES, ARX_LINE, ARX_QUOTED, TARGETS, adultCsv } from './workload.js';

const KS = [2, 5, 10, 20, 50, 100] as const;
const SUPPRESSIONS = [0, 0.05] as const;
const METRICS: readonly MetricName[] = ['discernibility', 'loss'];
const QI_SETS = [
  { label: '9 QIs', attributes: [...ADULT_ATTRIBUTES] as string[] },
  { label: '8 QIs (no occupation)', attributes: ADULT_ATTRIBUTES.filter((a) => a !== 'occupation') as string[] },
];

export interface AdultConfigResult {
  readonly qis: string;
  readonly quasiIdentifiers: string[];
  readonly k: number;
  readonly suppression: number;
  readonly metric: MetricName;
  readonly transformation?: string;
  readonly score?: number;
  readonly nodesChecked?: number;
  readonly nodesPrunedByTags?: number;
  readonly nodesPrunedByBounds?: number;
  readonly rollUps?: number;
  readonly searchMs?: Summary;
  readonly callMs?: Summary;
  /** CPU time (user + system, whole process) of the call: less disturbed than wall time by other processes. */
  readonly callCpuMs?: Summary;
  /** Set when a run's transformation or score differed from the first run's. */
  readonly unstable?: boolean;
  readonly error?: string;
}

export interface AdultSuiteResult {
  readonly readMs: number;
  readonly rows: number;
  readonly warmup: number;
  readonly runs: number;
  readonly configs: AdultConfigResult[];
  readonly targets: TargetCheck[];
}

function levelsOf(transformation: Record<string, number>): string {
  return ADULT_ATTRIBUTES.map((a) => (a in transformation ? String(transformation[a]) : '-')).join(' ');
}

async function runConfig(input: EncodedTable, lineOfRow: Int32Array, adultDir: string, qis: (typeof QI_SETS)[number], k: number, suppression: number, metric: MetricName, warmup: number, runs: number): Promise<AdultConfigResult> {
  const options: AnonymizeOptions = {
    attributes: Object.fromEntries(qis.attributes.map((a) => [a, { role: 'quasi-identifying' as const }])),
    models: [{ type: 'k-anonymity', k }],
    suppressionLimit: suppression,
    metric,
    hierarchiesDir: adultDir,
  };
  const base = { qis: qis.label, quasiIdentifiers: qis.attributes, k, suppression, metric };
  const search: number[] = [];
  const call: number[] = [];
  const cpu: number[] = [];
  let first: { transformation: string; score: number; nodesChecked: number; tags: number; bounds: number; rollUps: number } | undefined;
  let unstable = false;
  try {
    for (let run = 0; run < warmup + runs; run++) {
      const cpuStarted = process.cpuUsage();
      const started = performance.now();
      const { report } = await anonymizeEncoded(input, options, { file: 'adult.csv', lineOfRow });
      const elapsed = performance.now() - started;
      const cpuUsed = process.cpuUsage(cpuStarted);
      const transformation = levelsOf(report.transformation);
      if (first === undefined) {
        first = {
          transformation,
          score: report.metric.value,
          nodesChecked: report.nodesChecked,
          tags: report.search.nodesPrunedByTags,
          bounds: report.search.nodesPrunedByBounds,
          rollUps: report.search.rollUps,
        };
      } else if (first.transformation !== transformation || first.score !== report.metric.value) {
        unstable = true;
      }
      if (run >= warmup) {
        search.push(report.timingsMs.search);
        call.push(elapsed);
        cpu.push((cpuUsed.user + cpuUsed.system) / 1000);
      }
    }
  } catch (error) {
    return { ...base, error: (error as Error).message };
  }
  return {
    ...base,
    transformation: first!.transformation,
    score: first!.score,
    nodesChecked: first!.nodesChecked,
    nodesPrunedByTags: first!.tags,
    nodesPrunedByBounds: first!.bounds,
    rollUps: first!.rollUps,
    searchMs: summarize(search),
    callMs: summarize(call),
    callCpuMs: summarize(cpu),
    ...(unstable ? { unstable } : {}),
  };
}

const PROCESS_WARMUP_RUNS = 5;

export async function runAdultSuite(adultDir: string, warmup: number, runs: number): Promise<AdultSuiteResult> {
  console.log(`\n== adult: ${QI_SETS.length * KS.length * SUPPRESSIONS.length * METRICS.length} configurations, in-process anonymizeEncoded, ${warmup} warm-up + ${runs} measured run(s) each ==`);
  const readStarted = performance.now();
  const { table: input, lineOfRow } = await readCsvFile(adultCsv(adultDir));
  const readMs = performance.now() - readStarted;
  console.log(`read ${adultCsv(adultDir)}: ${count(input.rowCount)} rows in ${ms(readMs)} (once, not in the figures below)`);

  // ARX's figures are warm (a JVM past its compilation): likewise the JIT gets the hot kernels compiled first, with
  // unmeasured runs of the headline configurations. Each configuration still has its own warm-up runs.
  const allQis = QI_SETS[0];
  for (let run = 0; run < PROCESS_WARMUP_RUNS; run++) {
    for (const suppression of SUPPRESSIONS) await runConfig(input, lineOfRow, adultDir, allQis, 5, suppression, 'discernibility', 1, 0);
  }
  console.log(`process warm-up: the headline configurations (9 QIs, k=5, discernibility) run ${PROCESS_WARMUP_RUNS} × unmeasured`);

  const configs: AdultConfigResult[] = [];
  for (const qis of QI_SETS) {
    for (const metric of METRICS) {
      for (const suppression of SUPPRESSIONS) {
        for (const k of KS) {
          const result = await runConfig(input, lineOfRow, adultDir, qis, k, suppression, metric, warmup, runs);
          configs.push(result);
          process.stdout.write(`\r  ${configs.length}/48 done`);
        }
      }
    }
  }
  process.stdout.write('\r');

  console.log(`transformation: levels in the order ${ADULT_ATTRIBUTES.join(', ')} ('-' = not a QI); search = report.timingsMs.search; call = whole anonymizeEncoded (compile, search, apply, verify), wall and CPU (user + system) time`);
  const rows = configs.map((c) => [
    c.qis.startsWith('9') ? '9' : '8',
    String(c.k),
    String(c.suppression),
    c.metric === 'discernibility' ? 'DM' : c.metric,
    c.error !== undefined ? `error: ${c.error}` : c.transformation! + (c.unstable ? ' (unstable!)' : ''),
    c.score === undefined ? '' : score(c.score),
    c.nodesChecked === undefined ? '' : count(c.nodesChecked),
    c.searchMs === undefined ? '' : ms(c.searchMs.median),
    c.searchMs === undefined ? '' : `${ms(c.searchMs.min)} – ${ms(c.searchMs.max)}`,
    c.callMs === undefined ? '' : ms(c.callMs.median),
    c.callCpuMs === undefined ? '' : ms(c.callCpuMs.median),
  ]);
  console.log(table(['QIs', 'k', 'supp', 'metric', 'transformation', 'score', 'checked', 'search med', 'search min – max', 'call med', 'call CPU med'], rows, [true, true, true, false, false, true, true, true, true, true, true]));

  const targets: TargetCheck[] = [];
  const find = (suppression: number) => configs.find((c) => c.qis.startsWith('9') && c.k === 5 && c.suppression === suppression && c.metric === 'discernibility')!;
  const headline = find(0.05);
  const strict = find(0);
  console.log('\nheadline: Adult, 9 QIs, k=5, discernibility');
  if (headline.searchMs !== undefined) {
    console.log(`  suppression 0.05: ${headline.transformation}, score ${score(headline.score!)}, ${count(headline.nodesChecked!)} nodes checked, search median ${ms(headline.searchMs.median)} (min ${ms(headline.searchMs.min)}, max ${ms(headline.searchMs.max)}), whole call median ${ms(headline.callMs!.median)} (CPU ${ms(headline.callCpuMs!.median)})`);
    targets.push(checkTarget('search median, suppression 0.05', headline.searchMs.median, TARGETS.headlineSearchMs, '<=', 'ms'));
    targets.push(checkTarget('nodes checked, suppression 0.05', headline.nodesChecked!, TARGETS.headlineNodesBelow, '<', 'nodes'));
  } else console.log(`  suppression 0.05: failed: ${headline.error}`);
  if (strict.searchMs !== undefined) {
    console.log(`  suppression 0: ${strict.transformation}, score ${score(strict.score!)}, ${count(strict.nodesChecked!)} nodes checked, search median ${ms(strict.searchMs.median)} (min ${ms(strict.searchMs.min)}, max ${ms(strict.searchMs.max)}), whole call median ${ms(strict.callMs!.median)} (CPU ${ms(strict.callCpuMs!.median)})`);
    targets.push(checkTarget('search median, suppression 0', strict.searchMs.median, TARGETS.noSuppressionSearchMs, '<=', 'ms'));
  } else console.log(`  suppression 0: failed: ${strict.error}`);
  for (const check of targets) console.log(targetLine(check));
  console.log(ARX_LINE(`suppression 0.05 search ≈ ${ms(ARX_QUOTED.adultSearchMs)} warm, ${count(ARX_QUOTED.adultNodesChecked)} nodes checked`));
  if (headline.searchMs !== undefined) {
    console.log(`  Cloak / ARX search time: ${(headline.searchMs.median / ARX_QUOTED.adultSearchMs).toFixed(2)} ×; nodes checked: ${(headline.nodesChecked! / ARX_QUOTED.adultNodesChecked).toFixed(2)} ×`);
  }
  const failed = configs.filter((c) => c.error !== undefined).length;
  if (failed > 0) console.log(`WARNING: ${failed} configuration(s) failed`);
  if (configs.some((c) => c.unstable)) console.log('WARNING: some configuration returned different results across runs');
  return { readMs, rows: input.rowCount, warmup, runs, configs, targets };
}
