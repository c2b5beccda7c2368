// The `models-next` suite: issue 22's Adult benchmark — (ε, δ)-differential privacy at ε 0.5, 1, 2 and δ 1e-5, 1e-6,
// fixed and searched (loss, records released, time: medians of seeded runs), and k-map against a 1M-row population.

import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { anonymizeEncoded } from '../../src/anonymize.js';
import { readCsvFile } from '../../src/io/csv-reader.js';
import type { AnonymizeOptions, ModelSpec } from '../../src/options.js';
import type { EncodedTable } from '../../src/table/encoded-table.js';
import { checkTarget, count, ms, score, summarize, table, targetLine, type Summary, type TargetCheck } from './stats.js';
import { upsampledAdult } from './upsample.js';
import { ADULT_ATTRIBUTES, adultCsv } from './workload.js';

const EPSILONS = [0.5, 1, 2] as const;
const DELTAS = [1e-5, 1e-6] as const;
/** The fixed transformation: every attribute one level up where it has one (sex and salary-class kept). */
const FIXED_LEVELS: Record<string, number> = { sex: 0, age: 2, race: 1, 'marital-status': 1, education: 2, 'native-country': 1, workclass: 1, occupation: 1, 'salary-class': 0 };
/** Every configuration must take at most this long on Adult (issue 22). */
const TARGET_MS = 1000;
const POPULATION_ROWS = 1_000_000;
const K_MAP_K = 10;

export interface DpConfigResult {
  readonly epsilon: number;
  readonly delta: number;
  readonly mode: 'fixed' | 'search';
  readonly k?: number;
  readonly beta?: number;
  readonly loss?: Summary;
  readonly released?: Summary;
  readonly totalMs?: Summary;
  readonly error?: string;
}

export interface KMapConfigResult {
  readonly label: string;
  readonly transformation?: string;
  readonly loss?: number;
  readonly suppressed?: number;
  readonly nodesChecked?: number;
  readonly totalMs?: Summary;
  readonly error?: string;
}

export interface ModelsNextSuiteResult {
  readonly runs: number;
  readonly dp: DpConfigResult[];
  readonly kMap: KMapConfigResult[];
  readonly targets: TargetCheck[];
}

function attributes(): AnonymizeOptions['attributes'] {
  return Object.fromEntries(ADULT_ATTRIBUTES.map((name) => [name, { role: 'quasi-identifying' as const }]));
}

function levelsOf(transformation: Record<string, number>): string {
  return ADULT_ATTRIBUTES.map((name) => String(transformation[name])).join(' ');
}

/** One DP configuration over seeds 1 … runs (after one unmeasured warm-up with seed 0). */
async function runDp(input: EncodedTable, adultDir: string, epsilon: number, delta: number, mode: 'fixed' | 'search', runs: number): Promise<DpConfigResult> {
  const base = { epsilon, delta, mode };
  const losses: number[] = [];
  const released: number[] = [];
  const times: number[] = [];
  let k: number | undefined;
  let beta: number | undefined;
  try {
    for (let seed = 0; seed <= runs; seed++) {
      const model: ModelSpec = { type: 'differential-privacy', epsilon, delta, seed, ...(mode === 'fixed' ? { levels: FIXED_LEVELS } : {}) };
      const started = performance.now();
      const { report } = await anonymizeEncoded(input, { attributes: attributes(), models: [model], metric: 'loss', hierarchiesDir: adultDir }, { file: 'adult.csv' });
      const elapsed = performance.now() - started;
      if (seed === 0) continue;
      k = report.differentialPrivacy!.k;
      beta = report.differentialPrivacy!.beta;
      losses.push(report.metric.value);
      released.push(report.rows - report.suppressed);
      times.push(elapsed);
    }
  } catch (error) {
    return { ...base, error: (error as Error).message };
  }
  return { ...base, k, beta, loss: summarize(losses), released: summarize(released), totalMs: summarize(times) };
}

/**
 * The population of the k-map runs: Adult itself (a population contains its sample) and the 1M-row scale workload,
 * counted per combination of the nine quasi-identifiers, written once as a population table.
 */
async function populationTable(adultDir: string, cacheDir: string, sample: EncodedTable): Promise<{ path: string; people: number; combinations: number }> {
  const upsampled = await upsampledAdult(adultCsv(adultDir), POPULATION_ROWS, 1, cacheDir);
  const { table: big } = await readCsvFile(upsampled);
  const counts = new Map<string, number>();
  for (const source of [sample, big]) {
    const columns = ADULT_ATTRIBUTES.map((name) => source.columns.find((column) => column.name === name)!);
    for (let r = 0; r < source.rowCount; r++) {
      const key = columns.map((column) => column.dictionary[column.codes[r]]).join(',');
      counts.set(key, (counts.get(key) ?? 0) + 1);
    }
  }
  const path = join(cacheDir, `adult-population-${POPULATION_ROWS}.csv`);
  const lines = [[...ADULT_ATTRIBUTES, 'count'].join(','), ...[...counts].map(([key, people]) => `${key},${people}`)];
  await writeFile(path, lines.join('\n') + '\n');
  return { path, people: sample.rowCount + big.rowCount, combinations: counts.size };
}

async function runKMap(input: EncodedTable, adultDir: string, label: string, options: Partial<AnonymizeOptions>, runs: number): Promise<KMapConfigResult> {
  const times: number[] = [];
  let first: Omit<KMapConfigResult, 'label' | 'totalMs'> | undefined;
  try {
    for (let run = 0; run <= runs; run++) {
      const started = performance.now();
      const { report } = await anonymizeEncoded(input, { attributes: attributes(), models: [], metric: 'loss', hierarchiesDir: adultDir, suppressionLimit: 0.05, ...options }, { file: 'adult.csv' });
      const elapsed = performance.now() - started;
      first ??= { transformation: levelsOf(report.transformation), loss: report.metric.value, suppressed: report.suppressed, nodesChecked: report.nodesChecked };
      if (run > 0) times.push(elapsed);
    }
  } catch (error) {
    return { label, error: (error as Error).message };
  }
  return { label, ...first!, totalMs: summarize(times) };
}

export async function runModelsNextSuite(adultDir: string, cacheDir: string, runs: number): Promise<ModelsNextSuiteResult> {
  console.log(`\n== models-next: Adult, 9 QIs, Loss; differential privacy (${EPSILONS.length * DELTAS.length * 2} configurations) and k-map; in-process anonymizeEncoded, 1 warm-up + ${runs} seeded run(s) each ==`);
  const { table: input } = await readCsvFile(adultCsv(adultDir));
  const dp: DpConfigResult[] = [];
  for (const epsilon of EPSILONS) {
    for (const delta of DELTAS) {
      for (const mode of ['fixed', 'search'] as const) {
        dp.push(await runDp(input, adultDir, epsilon, delta, mode, runs));
        process.stdout.write(`\r  ${dp.length}/${EPSILONS.length * DELTAS.length * 2} done`);
      }
    }
  }
  process.stdout.write('\r');
  console.log(`fixed levels: ${levelsOf(FIXED_LEVELS)} (order ${ADULT_ATTRIBUTES.join(', ')}); search: ε 0.1 over 111 steps; time: the whole anonymizeEncoded call`);
  console.log(
    table(
      ['ε', 'δ', 'transformation', 'k', 'β', 'loss med', 'released med', 'time med', 'time max'],
      dp.map((c) =>
        c.error !== undefined
          ? [String(c.epsilon), String(c.delta), `error: ${c.error}`, '', '', '', '', '', '']
          : [String(c.epsilon), String(c.delta), c.mode, String(c.k), c.beta!.toFixed(4), score(c.loss!.median), count(c.released!.median), ms(c.totalMs!.median), ms(c.totalMs!.max)],
      ),
      [true, true, false, true, true, true, true, true, true],
    ),
  );

  const population = await populationTable(adultDir, cacheDir, input);
  console.log(`k-map population: Adult and the ${count(POPULATION_ROWS)}-row scale workload (seed 1): ${count(population.people)} people in ${count(population.combinations)} combinations`);
  const kMap = [
    await runKMap(input, adultDir, `${K_MAP_K}-map, population table`, { models: [{ type: 'k-map', k: K_MAP_K }], risk: { populationTable: population.path } }, runs),
    await runKMap(input, adultDir, `${K_MAP_K}-map, Poisson estimate (N = ${count(population.people)})`, { models: [{ type: 'k-map', k: K_MAP_K, estimator: 'poisson', populationSize: population.people }] }, runs),
    await runKMap(input, adultDir, `${K_MAP_K}-map, zero-truncated Poisson estimate`, { models: [{ type: 'k-map', k: K_MAP_K, estimator: 'zero-truncated-poisson', populationSize: population.people }] }, runs),
  ];
  console.log(
    table(
      ['k-map (suppression 0.05)', 'transformation', 'loss', 'suppressed', 'checked', 'time med'],
      kMap.map((c) => (c.error !== undefined ? [c.label, `error: ${c.error}`, '', '', '', ''] : [c.label, c.transformation!, score(c.loss!), count(c.suppressed!), count(c.nodesChecked!), ms(c.totalMs!.median)])),
      [false, false, true, true, true, true],
    ),
  );
  const targets = [
    ...dp.filter((c) => c.totalMs !== undefined).map((c) => checkTarget(`DP ε=${c.epsilon}, δ=${c.delta}, ${c.mode}: median`, c.totalMs!.median, TARGET_MS, '<=', 'ms')),
    ...kMap.filter((c) => c.totalMs !== undefined).map((c) => checkTarget(`${c.label}: median`, c.totalMs!.median, TARGET_MS, '<=', 'ms')),
  ];
  for (const check of targets) console.log(targetLine(check));
  const failed = [...dp, ...kMap].filter((c) => c.error !== undefined).length;
  if (failed > 0) console.log(`WARNING: ${failed} configuration(s) failed`);
  return { runs, dp, kMap, targets };
}
