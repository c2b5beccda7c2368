// The `pseudonymize` suite: 1M rows with 1M distinct 16-digit numbers, the `ff1` and `hmac` transforms timed in
// process (median, per value, CPU) beside one createHmac per value, then the whole `cloak anonymize` process.

import { createHmac, randomBytes } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { readCsvFile } from '../../src/io/csv-reader.js';
import { prepareTransforms } from '../../src/pseudonymize/prepare-transforms.js';
import { pseudonymizeTable } from '../../src/pseudonymize/pseudonymize-table.js';
import type { TransformSpec } from '../../src/pseudonymize/transform-spec.js';
import type { AnonymizationReport } from '../../src/report.js';
import { describeRssMethod, runCliProcess, type RssMethod } from './process-runner.js';
import { checkTarget, count, mib, ms, summarize, targetLine, type Summary, type TargetCheck } from './stats.js';

/** Issue 20: each transform of 1M distinct 16-digit values within 2 s on the 2-core machine class. */
export const PSEUDONYMIZE_TARGET_MS = 2000;

const METHODS: readonly { readonly name: string; readonly spec: TransformSpec; readonly flag: string }[] = [
  { name: 'ff1', spec: { method: 'ff1' }, flag: 'card=ff1' },
  { name: 'hmac', spec: { method: 'hmac' }, flag: 'card=hmac' },
];

export interface MethodFigures {
  readonly method: string;
  /** The transform alone (pseudonymizeTable on the read table), in process. */
  readonly transformMs: Summary;
  readonly transformCpuMs: Summary;
  readonly nsPerValue: number;
  /** `cloak anonymize` as a whole process. */
  readonly processWallMs: Summary;
  readonly processCpuMs: Summary;
  readonly processRssKiB: Summary;
  /** The report's own `timingsMs.pseudonymize` of the whole-process runs. */
  readonly processTransformMs: Summary;
}

export interface PseudonymizeSuiteResult {
  readonly rows: number;
  readonly distinct: number;
  readonly warmup: number;
  readonly runs: number;
  readonly rssMethod: string;
  /** One createHmac per value over the same values: what batching is measured against. */
  readonly createHmacPerValueMs: number;
  readonly createHmacPerValueCpuMs: number;
  readonly methods: MethodFigures[];
  readonly targets: TargetCheck[];
}

/** 16-digit numbers, all distinct: i × a + b modulo 9·10^15 with a prime to it, shifted to start at 10^15. */
async function writeInput(path: string, rows: number): Promise<void> {
  const modulus = 9_000_000_000_000_000n;
  const stream = createWriteStream(path);
  const write = (text: string) => new Promise<void>((resolveWrite) => (stream.write(text) ? resolveWrite() : stream.once('drain', resolveWrite)));
  await write('id,card,region\n');
  let chunk = '';
  for (let i = 0; i < rows; i++) {
    const number = 1_000_000_000_000_000n + ((BigInt(i) * 7_919_000_000_003n + 12_345n) % modulus);
    chunk += `${i},${number},r${i % 50}\n`;
    if (chunk.length > 1 << 20) {
      await write(chunk);
      chunk = '';
    }
  }
  await write(chunk);
  await new Promise<void>((resolveEnd, reject) => stream.end((error?: Error | null) => (error ? reject(error) : resolveEnd())));
}

export async function runPseudonymizeSuite(cli: string, method: RssMethod, scratchDir: string, rows: number, warmup: number, runs: number): Promise<PseudonymizeSuiteResult> {
  console.log(`\n== pseudonymize: ${count(rows)} rows, ${count(rows)} distinct 16-digit numbers; transform in process, then whole process \`cloak anonymize --pseudonymize\` (no QI); ${warmup} warm-up + ${runs} run(s); peak RSS via ${describeRssMethod(method)} ==`);
  const input = join(scratchDir, 'cards.csv');
  const keyFile = join(scratchDir, 'key.hex');
  await writeInput(input, rows);
  const key = randomBytes(32);
  await writeFile(keyFile, key.toString('hex') + '\n', { mode: 0o600 });
  const { table, lineOfRow } = await readCsvFile(input);
  const card = table.columns.find((column) => column.name === 'card')!;
  console.log(`  input: ${count(table.rowCount)} rows, ${count(card.dictionary.length)} distinct card numbers`);

  const baselineStarted = performance.now();
  const baselineCpu = process.cpuUsage();
  const prefix = Buffer.from('card\0');
  for (const value of card.dictionary) createHmac('sha256', key).update(prefix).update(value).digest();
  const createHmacPerValueMs = performance.now() - baselineStarted;
  const baselineUsed = process.cpuUsage(baselineCpu);
  const createHmacPerValueCpuMs = (baselineUsed.user + baselineUsed.system) / 1000;
  console.log(`  baseline, one createHmac per value: ${ms(createHmacPerValueMs)}, CPU ${ms(createHmacPerValueCpuMs)} (${((createHmacPerValueMs * 1e6) / card.dictionary.length).toFixed(0)} ns per value)`);

  const methods: MethodFigures[] = [];
  const targets: TargetCheck[] = [];
  for (const { name, spec, flag } of METHODS) {
    const transforms = await prepareTransforms({ card: { role: 'identifying', transform: spec } }, { default: { bytes: key } });
    const wall: number[] = [];
    const cpu: number[] = [];
    for (let run = 0; run < warmup + runs; run++) {
      const cpuStarted = process.cpuUsage();
      const started = performance.now();
      pseudonymizeTable(table, transforms, { file: input, lineOfRow });
      const elapsed = performance.now() - started;
      const used = process.cpuUsage(cpuStarted);
      if (run < warmup) continue;
      wall.push(elapsed);
      cpu.push((used.user + used.system) / 1000);
    }
    const transformMs = summarize(wall);
    const nsPerValue = (transformMs.median * 1e6) / card.dictionary.length;
    console.log(`  ${name}, transform in process: median ${ms(transformMs.median)} (min ${ms(transformMs.min)}, max ${ms(transformMs.max)}), CPU median ${ms(summarize(cpu).median)}, ${nsPerValue.toFixed(0)} ns per value (CPU ${((summarize(cpu).median * 1e6) / card.dictionary.length).toFixed(0)} ns)`);

    const output = join(scratchDir, 'out.csv');
    const reportPath = join(scratchDir, 'report.json');
    const processWall: number[] = [];
    const processCpu: number[] = [];
    const processRss: number[] = [];
    const processTransform: number[] = [];
    for (let run = 0; run < warmup + runs; run++) {
      const result = await runCliProcess(cli, ['anonymize', input, '-o', output, '--report', reportPath, '--pseudonymize', flag, '--key-file', keyFile, '-q'], method, scratchDir);
      const report = JSON.parse(await readFile(reportPath, 'utf8')) as AnonymizationReport;
      await rm(output, { force: true });
      console.log(`  ${name}, whole process ${run < warmup ? 'warm-up' : `run ${run - warmup + 1}/${runs}`}: wall ${ms(result.wallMs)}, CPU ${ms(result.cpuMs)}, peak RSS ${mib(result.maxRssKiB)}; report: read ${ms(report.timingsMs.read)}, pseudonymize ${ms(report.timingsMs.pseudonymize)}, write ${ms(report.timingsMs.write)}`);
      if (run < warmup) continue;
      processWall.push(result.wallMs);
      processCpu.push(result.cpuMs);
      processRss.push(result.maxRssKiB);
      processTransform.push(report.timingsMs.pseudonymize);
    }
    const figures: MethodFigures = {
      method: name,
      transformMs,
      transformCpuMs: summarize(cpu),
      nsPerValue,
      processWallMs: summarize(processWall),
      processCpuMs: summarize(processCpu),
      processRssKiB: summarize(processRss),
      processTransformMs: summarize(processTransform),
    };
    methods.push(figures);
    console.log(`  ${name}, whole process: wall median ${ms(figures.processWallMs.median)}, CPU median ${ms(figures.processCpuMs.median)}, peak RSS median ${mib(figures.processRssKiB.median)} (max ${mib(figures.processRssKiB.max)}), pseudonymize median ${ms(figures.processTransformMs.median)}`);
    const check = checkTarget(`${name} transform of ${count(card.dictionary.length)} distinct values, median in process`, transformMs.median, PSEUDONYMIZE_TARGET_MS, '<=', 'ms');
    console.log(targetLine(check));
    targets.push(check);
  }
  await rm(input, { force: true });
  await rm(keyFile, { force: true });
  return { rows, distinct: card.dictionary.length, warmup, runs, rssMethod: describeRssMethod(method), createHmacPerValueMs, createHmacPerValueCpuMs, methods, targets };
}
