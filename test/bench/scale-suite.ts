// The `scale` suite: `cloak anonymize` as a whole process on Adult upsampled to 1M and 10M rows (standard job),
// read/search/write/total from the report plus wall time and peak RSS, judged against issue 3's scale targets.

import { ARX_LINE, ARX_QUOTED, TARGETS, adultCsv } from './workload.js';
import { describeProcess, measureProcess, type ProcessFigures } from './cli-suite.js';
import { describeRssMethod, type RssMethod } from './process-runner.js';
import { checkAgeHierarchy, upsampledAdult } from './upsample.js';
import { checkTarget, count, ms, targetLine, type TargetCheck } from './stats.js';

export interface ScaleSizeResult {
  readonly rows: number;
  readonly file: string;
  readonly warmup: number;
  readonly runs: number;
  readonly figures?: ProcessFigures;
  readonly error?: string;
  readonly targets: TargetCheck[];
}

export interface ScaleSuiteResult {
  readonly seed: number;
  readonly rssMethod: string;
  readonly sizes: ScaleSizeResult[];
  readonly skipped?: string;
}

export interface ScaleSettings {
  readonly sizes: readonly number[];
  readonly seed: number;
  readonly cacheDir: string;
  /** Measured runs; undefined = 3 up to 1M rows, 1 above. */
  readonly runs?: number;
  /** Warm-up runs; undefined = 1 up to 1M rows, 0 above. */
  readonly warmup?: number;
}

function targetsFor(rows: number, figures: ProcessFigures): TargetCheck[] {
  if (rows === 1_000_000) return [checkTarget('1M rows, whole process median wall time', figures.wallMs.median, TARGETS.scale1MWallMs, '<=', 'ms')];
  if (rows === 10_000_000) {
    return [
      checkTarget('10M rows, whole process median wall time', figures.wallMs.median, TARGETS.scale10MWallMs, '<=', 'ms'),
      checkTarget('10M rows, peak RSS (largest run)', figures.maxRssKiB.max, TARGETS.scale10MRssKiB, '<=', 'KiB'),
    ];
  }
  return [];
}

export async function runScaleSuite(cli: string, adultDir: string, method: RssMethod, scratchDir: string, settings: ScaleSettings): Promise<ScaleSuiteResult> {
  console.log(`\n== scale: Adult upsampled (seed ${settings.seed}) to ${settings.sizes.map(count).join(', ')} rows; whole process \`cloak anonymize\` (9 QIs, k=5, suppression 0.05, discernibility); peak RSS via ${describeRssMethod(method)} ==`);
  const ageProblem = await checkAgeHierarchy(adultDir);
  if (ageProblem !== undefined) {
    console.log(`scale suite skipped: ${ageProblem}`);
    return { seed: settings.seed, rssMethod: describeRssMethod(method), sizes: [], skipped: ageProblem };
  }
  console.log("  Adult's age hierarchy covers every age 17–90 the upsampling can produce");
  const sizes: ScaleSizeResult[] = [];
  for (const rows of settings.sizes) {
    const runs = settings.runs ?? (rows <= 1_000_000 ? 3 : 1);
    const warmup = settings.warmup ?? (rows <= 1_000_000 ? 1 : 0);
    console.log(`\n${count(rows)} rows: ${warmup} warm-up + ${runs} measured run(s)`);
    const file = await upsampledAdult(adultCsv(adultDir), rows, settings.seed, settings.cacheDir);
    let figures: ProcessFigures;
    try {
      figures = await measureProcess(cli, file, adultDir, method, scratchDir, warmup, runs, `${count(rows)} rows`);
    } catch (error) {
      console.log(`\n  failed: ${(error as Error).message}`);
      sizes.push({ rows, file, warmup, runs, error: (error as Error).message, targets: [] });
      continue;
    }
    for (const line of describeProcess(figures)) console.log(line);
    const targets = targetsFor(rows, figures);
    for (const check of targets) console.log(targetLine(check));
    if (rows === 1_000_000) {
      console.log(ARX_LINE(`1M rows, search alone ≈ ${ms(ARX_QUOTED.scale1MSearchMs)}; Cloak's whole process / ARX's search: ${(figures.wallMs.median / ARX_QUOTED.scale1MSearchMs).toFixed(2)} ×`));
    }
    sizes.push({ rows, file, warmup, runs, figures, targets });
  }
  return { seed: settings.seed, rssMethod: describeRssMethod(method), sizes };
}
