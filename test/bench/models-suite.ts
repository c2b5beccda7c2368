// The `models` suite: issue 4's Adult benchmark — occupation sensitive, the other 8 attributes quasi-identifiers, five
// privacy models × k 2,5 × suppression 0,0.05 (Loss) — score, suppressed records, classes, nodes checked, median search.

import { anonymizeEncoded } from '../../src/anonymize.js';
import { readCsvFile } from '../../src/io/csv-reader.js';
import type { AnonymizeOptions, ModelSpec } from '../../src/options.js';
import type { EncodedTable } from '../../src/table/encoded-table.js';
import { checkTarget, count, ms, score, summarize, table, targetLine, type Summary, type TargetCheck } from './stats.js';
import { ADULT_ATTRIBUTES, TARGETS, adultCsv } from './workload.js';

const SENSITIVE = 'occupation';
const KS = [2, 5] as const;
const SUPPRESSIONS = [0, 0.05] as const;
const MODELS: readonly { readonly label: string; readonly model: ModelSpec }[] = [
  { label: 'distinct-3', model: { type: 'distinct-l-diversity', attribute: SENSITIVE, l: 3 } },
  { label: 'entropy-3', model: { type: 'entropy-l-diversity', attribute: SENSITIVE, l: 3 } },
  { label: 'recursive-(3,3)', model: { type: 'recursive-cl-diversity', attribute: SENSITIVE, c: 3, l: 3 } },
  { label: 't-equal 0.2', model: { type: 't-closeness', attribute: SENSITIVE, t: 0.2, distance: 'equal' } },
  { label: 't-hierarchical 0.2', model: { type: 't-closeness', attribute: SENSITIVE, t: 0.2, distance: 'hierarchical' } },
];

export interface ModelConfigResult {
  readonly model: string;
  readonly k: number;
  readonly suppression: number;
  readonly transformation?: string;
  readonly score?: number;
  readonly suppressedRecords?: number;
  readonly classes?: number;
  readonly nodesChecked?: number;
  readonly searchMs?: Summary;
  /** CPU time (user + system, whole process) of the call: less disturbed than wall time by other processes. */
  readonly callCpuMs?: Summary;
  readonly unstable?: boolean;
  readonly error?: string;
}

export interface ModelsSuiteResult {
  readonly warmup: number;
  readonly runs: number;
  readonly configs: ModelConfigResult[];
  readonly targets: TargetCheck[];
}

function levelsOf(transformation: Record<string, number>): string {
  return ADULT_ATTRIBUTES.map((a) => (a in transformation ? String(transformation[a]) : '-')).join(' ');
}

async function runConfig(input: EncodedTable, lineOfRow: Int32Array, adultDir: string, label: string, model: ModelSpec, k: number, suppression: number, warmup: number, runs: number): Promise<ModelConfigResult> {
  const options: AnonymizeOptions = {
    attributes: Object.fromEntries(ADULT_ATTRIBUTES.map((a) => [a, { role: a === SENSITIVE ? ('sensitive' as const) : ('quasi-identifying' as const) }])),
    models: [{ type: 'k-anonymity', k }, model],
    suppressionLimit: suppression,
    metric: 'loss',
    hierarchiesDir: adultDir,
  };
  const base = { model: label, k, suppression };
  const search: number[] = [];
  const cpu: number[] = [];
  let first: Omit<ModelConfigResult, 'model' | 'k' | 'suppression'> | undefined;
  let unstable = false;
  try {
    for (let run = 0; run < warmup + runs; run++) {
      const cpuStarted = process.cpuUsage();
      const { report } = await anonymizeEncoded(input, options, { file: 'adult.csv', lineOfRow });
      const cpuUsed = process.cpuUsage(cpuStarted);
      const transformation = levelsOf(report.transformation);
      if (first === undefined) {
        first = { transformation, score: report.metric.value, suppressedRecords: report.suppressed, classes: report.classes, nodesChecked: report.nodesChecked };
      } else if (first.transformation !== transformation || first.score !== report.metric.value) {
        unstable = true;
      }
      if (run >= warmup) {
        search.push(report.timingsMs.search);
        cpu.push((cpuUsed.user + cpuUsed.system) / 1000);
      }
    }
  } catch (error) {
    return { ...base, error: (error as Error).message };
  }
  return { ...base, ...first!, searchMs: summarize(search), callCpuMs: summarize(cpu), ...(unstable ? { unstable } : {}) };
}

export async function runModelsSuite(adultDir: string, warmup: number, runs: number): Promise<ModelsSuiteResult> {
  const total = MODELS.length * KS.length * SUPPRESSIONS.length;
  console.log(`\n== models: Adult, ${SENSITIVE} sensitive, 8 QIs, Loss; ${total} configurations, in-process anonymizeEncoded, ${warmup} warm-up + ${runs} measured run(s) each ==`);
  const { table: input, lineOfRow } = await readCsvFile(adultCsv(adultDir));
  const configs: ModelConfigResult[] = [];
  for (const { label, model } of MODELS) {
    for (const k of KS) {
      for (const suppression of SUPPRESSIONS) {
        configs.push(await runConfig(input, lineOfRow, adultDir, label, model, k, suppression, warmup, runs));
        process.stdout.write(`\r  ${configs.length}/${total} done`);
      }
    }
  }
  process.stdout.write('\r');
  console.log(`transformation: levels in the order ${ADULT_ATTRIBUTES.join(', ')} ('-' = not a QI); search = report.timingsMs.search`);
  const rows = configs.map((c) => [
    c.model,
    String(c.k),
    String(c.suppression),
    c.error !== undefined ? `error: ${c.error}` : c.transformation! + (c.unstable ? ' (unstable!)' : ''),
    c.score === undefined ? '' : score(c.score),
    c.suppressedRecords === undefined ? '' : count(c.suppressedRecords),
    c.classes === undefined ? '' : count(c.classes),
    c.nodesChecked === undefined ? '' : count(c.nodesChecked),
    c.searchMs === undefined ? '' : ms(c.searchMs.median),
    c.callCpuMs === undefined ? '' : ms(c.callCpuMs.median),
  ]);
  console.log(table(['model', 'k', 'supp', 'transformation', 'score', 'suppressed', 'classes', 'checked', 'search med', 'call CPU med'], rows, [false, true, true, false, true, true, true, true, true, true]));
  const targets = configs
    .filter((c) => c.searchMs !== undefined)
    .map((c) => checkTarget(`${c.model}, k=${c.k}, suppression ${c.suppression}: search median`, c.searchMs!.median, TARGETS.modelSearchMs, '<=', 'ms'));
  for (const check of targets) console.log(targetLine(check));
  const failed = configs.filter((c) => c.error !== undefined).length;
  if (failed > 0) console.log(`WARNING: ${failed} configuration(s) failed`);
  if (configs.some((c) => c.unstable)) console.log('WARNING: some configuration returned different results across runs');
  return { warmup, runs, configs, targets };
}
