// The `wide` suite: the generated survey table as whole `cloak anonymize` processes — 16 quasi-identifiers over 4,000
// rows proven optimal, and 16/24/32/40 over 50,000 rows stopped after 1, 5 and 30 s (score, bound, gap, checks, RSS).

import { existsSync } from 'node:fs';
import { mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { surveyLatticeSize, surveyQuasiIdentifiers } from '../../datasets/survey-domain.js';
import { generateSurveyCsvChunks } from '../../datasets/survey-generator.js';
import type { AnonymizationReport } from '../../src/report.js';
import { describeRssMethod, runCliProcess, type RssMethod } from './process-runner.js';
import { checkTarget, count, mib, ms, score, summarize, table, targetLine, type Summary, type TargetCheck } from './stats.js';
import { ARX_WIDE, REPO_ROOT, TARGETS } from './workload.js';

export const WIDE_ROWS = 50_000;
export const OPTIMUM_ROWS = 4_000;
export const WIDE_QIS = [16, 24, 32, 40] as const;
export const WIDE_LIMITS_MS = [1_000, 5_000, 30_000] as const;
const SEED = 1;

export interface WideRun {
  readonly qis: number;
  readonly rows: number;
  readonly timeLimitMs: number;
  readonly wallMs: number;
  readonly maxRssKiB: number;
  readonly searchMs: number;
  readonly nodesChecked: number;
  readonly latticeSize: number;
  readonly score: number;
  readonly lowerBound: number;
  readonly gap: number;
  readonly optimal: boolean;
  readonly stoppedBy: string;
  readonly transformation: string;
}

export interface WideSuiteResult {
  readonly rssMethod: string;
  readonly optimum: { readonly runs: WideRun[]; readonly wallMs: Summary; readonly searchMs: Summary; readonly perCheckMs: number };
  readonly anytime: WideRun[];
  readonly targets: TargetCheck[];
}

export interface WideSettings {
  readonly cacheDir: string;
  readonly runs: number;
  readonly warmup: number;
  readonly qis: readonly number[];
  readonly limitsMs: readonly number[];
}

/** The survey table's first `rows` rows (seed 1), generated once into the cache directory. */
async function surveyFile(cacheDir: string, rows: number): Promise<string> {
  const file = join(cacheDir, `survey-${rows}-${SEED}.csv`);
  if (existsSync(file)) return file;
  await mkdir(cacheDir, { recursive: true });
  const temporary = `${file}.tmp-${process.pid}`;
  await writeFile(temporary, [...generateSurveyCsvChunks({ rows, seed: SEED })].join(''));
  await rename(temporary, file);
  return file;
}

async function runOnce(cli: string, input: string, qis: number, rows: number, timeLimitMs: number, method: RssMethod, scratchDir: string): Promise<WideRun> {
  const output = join(scratchDir, 'wide-out.csv');
  const reportPath = join(scratchDir, 'wide-report.json');
  const args = [
    'anonymize', input, '-o', output,
    '--qi', surveyQuasiIdentifiers(qis).join(','),
    '--hierarchies', join(REPO_ROOT, 'hierarchies/survey'),
    '--k', '5', '--suppression', '0.05', '--metric', 'loss',
    '--time-limit', String(timeLimitMs),
    '--report', reportPath, '-q',
  ];
  const process = await runCliProcess(cli, args, method, scratchDir);
  const report = JSON.parse(await readFile(reportPath, 'utf8')) as AnonymizationReport;
  await rm(output, { force: true });
  await rm(reportPath, { force: true });
  return {
    qis,
    rows,
    timeLimitMs,
    wallMs: process.wallMs,
    maxRssKiB: process.maxRssKiB,
    searchMs: report.timingsMs.search,
    nodesChecked: report.nodesChecked,
    latticeSize: report.latticeSize,
    score: report.metric.value,
    lowerBound: report.lowerBound!,
    gap: report.gap!,
    optimal: report.optimal,
    stoppedBy: report.search.stoppedBy,
    transformation: Object.values(report.transformation).join(''),
  };
}

const percent = (share: number): string => `${(100 * share).toFixed(1)} %`;

export async function runWideSuite(cli: string, method: RssMethod, scratchDir: string, settings: WideSettings): Promise<WideSuiteResult> {
  console.log(`\n== wide: the generated survey table (seed ${SEED}), whole process \`cloak anonymize\`, k=5, suppression 0.05, loss; peak RSS via ${describeRssMethod(method)} ==`);
  const targets: TargetCheck[] = [];

  // 16 quasi-identifiers over 4,000 rows: the optimum, proven, as a whole process.
  const small = await surveyFile(settings.cacheDir, OPTIMUM_ROWS);
  console.log(`\n16 quasi-identifiers × ${count(OPTIMUM_ROWS)} rows (lattice of ${count(surveyLatticeSize(16))} nodes), proven optimum: ${settings.warmup} warm-up + ${settings.runs} run(s)`);
  const optimumRuns: WideRun[] = [];
  for (let run = 0; run < settings.warmup + settings.runs; run++) {
    const measured = run >= settings.warmup;
    const result = await runOnce(cli, small, 16, OPTIMUM_ROWS, 600_000, method, scratchDir);
    console.log(`  ${measured ? `run ${run - settings.warmup + 1}` : 'warm-up'}: wall ${ms(result.wallMs)}, search ${ms(result.searchMs)}, ${count(result.nodesChecked)} checked, ${result.optimal ? 'optimal' : `NOT optimal (gap ${percent(result.gap)})`}, loss ${score(result.score)}, peak RSS ${mib(result.maxRssKiB)}`);
    if (measured) optimumRuns.push(result);
  }
  const wall = summarize(optimumRuns.map((run) => run.wallMs));
  const search = summarize(optimumRuns.map((run) => run.searchMs));
  const perCheckMs = search.median / optimumRuns[0].nodesChecked;
  console.log(`  median wall ${ms(wall.median)}, median search ${ms(search.median)} for ${count(optimumRuns[0].nodesChecked)} checks: ${perCheckMs.toFixed(3)} ms per check`);
  console.log(`  ARX ${ARX_WIDE.version}, optimal algorithm, same data (${ARX_WIDE.note}): whole process ${ms(ARX_WIDE.optimum16WholeMs)}, search ${ms(ARX_WIDE.optimum16SearchMs)}, ${count(ARX_WIDE.optimum16Checked)} checked`);
  targets.push(checkTarget('16 QIs × 4,000 rows, optimum proven: median wall time ≤ 0.3 × ARX whole process', wall.median, 0.3 * ARX_WIDE.optimum16WholeMs, '<=', 'ms'));
  targets.push(checkTarget('16 QIs × 4,000 rows: search time per check', perCheckMs, TARGETS.widePerCheckMs, '<', 'ms'));
  if (optimumRuns.some((run) => !run.optimal)) console.log('  WARNING: a run was not proven optimal');

  // 16…40 quasi-identifiers over 50,000 rows, stopped after each time limit.
  const large = await surveyFile(settings.cacheDir, WIDE_ROWS);
  console.log(`\n${settings.qis.join('/')} quasi-identifiers × ${count(WIDE_ROWS)} rows, time limits ${settings.limitsMs.map(ms).join(', ')} (one run each)`);
  const anytime: WideRun[] = [];
  for (const qis of settings.qis) {
    for (const limit of settings.limitsMs) {
      const result = await runOnce(cli, large, qis, WIDE_ROWS, limit, method, scratchDir);
      anytime.push(result);
      process.stdout.write(`\r  ${anytime.length}/${settings.qis.length * settings.limitsMs.length} done`);
    }
  }
  process.stdout.write('\n');
  const rows = anytime.map((run) => [
    String(run.qis),
    run.latticeSize.toPrecision(3),
    ms(run.timeLimitMs),
    score(run.score),
    score(run.lowerBound),
    run.optimal ? 'optimal' : percent(run.gap),
    count(run.nodesChecked),
    ms(run.searchMs),
    mib(run.maxRssKiB),
    String(ARX_WIDE.bestEffort30s[run.qis as keyof typeof ARX_WIDE.bestEffort30s] ?? '—'),
  ]);
  console.log(table(['QIs', 'lattice', 'limit', 'loss', 'lower bound', 'gap', 'checked', 'search', 'peak RSS', 'ARX best 30 s'], rows, [true, true, true, true, true, true, true, true, true, true]));
  for (const qis of settings.qis.filter((q) => q >= 24)) {
    const atFive = anytime.find((run) => run.qis === qis && run.timeLimitMs === 5_000);
    const arx = ARX_WIDE.bestEffort30s[qis as keyof typeof ARX_WIDE.bestEffort30s];
    if (atFive === undefined || arx === undefined) continue;
    targets.push(checkTarget(`${qis} QIs × 50,000 rows, 5 s: loss ≤ ARX's best effort in 30 s`, atFive.score, arx, '<=', 'score'));
    targets.push(checkTarget(`${qis} QIs × 50,000 rows, 5 s: gap < 15 %`, atFive.gap, 0.15, '<', 'share'));
  }
  for (const check of targets) console.log(targetLine(check));
  return { rssMethod: describeRssMethod(method), optimum: { runs: optimumRuns, wallMs: wall, searchMs: search, perCheckMs }, anytime, targets };
}
