import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { anonymizeEncoded } from '../src/anonymize.js';
import { CloakError } from '../src/errors.js';
import type { AnonymizeOptions, MetricName, ModelSpec } from '../src/options.js';
import type { AnonymizationReport } from '../src/report.js';
import { decodeRow, encodeRows, type EncodedTable } from '../src/table/encoded-table.js';
import { arbitraryDataset, type RandomDataset } from './groupify/random-data.js';

const METRICS: MetricName[] = ['loss', 'precision', 'precision-monotonic', 'discernibility', 'discernibility-monotonic', 'aecs', 'entropy', 'entropy-monotonic', 'height'];
const RUNS = Number(process.env.CLOAK_FC_RUNS ?? 100);

/** Sensitive-attribute models over column `s` (values a, b, c) and risk models, each with parameters that sometimes bind. */
const arbitraryModel: fc.Arbitrary<ModelSpec> = fc.oneof(
  fc.integer({ min: 1, max: 3 }).map((l) => ({ type: 'distinct-l-diversity', attribute: 's', l }) as const),
  fc.constantFrom(1, 1.5, 2, 2.5).map((l) => ({ type: 'entropy-l-diversity', attribute: 's', l }) as const),
  fc.tuple(fc.constantFrom(0.5, 1, 2, 3), fc.integer({ min: 1, max: 3 })).map(([c, l]) => ({ type: 'recursive-cl-diversity', attribute: 's', c, l }) as const),
  fc.tuple(fc.constantFrom(0.1, 0.3, 0.5), fc.constantFrom('equal', 'ordered', 'hierarchical' as const)).map(([t, distance]) => ({ type: 't-closeness', attribute: 's', t, distance }) as const),
  fc.constantFrom(0.5, 1, 2).map((delta) => ({ type: 'delta-disclosure', attribute: 's', delta }) as const),
  fc.tuple(fc.constantFrom(0.5, 1, 3), fc.boolean()).map(([beta, enhanced]) => ({ type: 'beta-likeness', attribute: 's', beta, enhanced }) as const),
  // Risk-based models read no sensitive attribute; some judge the whole release rather than each class.
  fc.constantFrom(0.25, 0.5).map((maxRisk) => ({ type: 'highest-risk', maxRisk }) as const),
  fc.constantFrom(0.2, 0.5).map((maxRisk) => ({ type: 'average-risk', maxRisk }) as const),
  fc.constantFrom(0, 0.2).map((maxShare) => ({ type: 'records-at-risk', maxShare, threshold: 0.3 }) as const),
  fc.constantFrom('zayatz', 'pitman', 'dankar' as const).map((model) => ({ type: 'population-uniqueness', maxUniqueness: 0.05, populationSize: 500, model }) as const),
);

const SENSITIVE_HIERARCHY = [
  ['a', 'ab', '*'],
  ['b', 'ab', '*'],
  ['c', 'c', '*'],
];

interface Job {
  dataset: RandomDataset;
  k: number;
  limit: number;
  metric: MetricName;
  extraModels: ModelSpec[];
}

const arbitraryJob = (withModels: boolean): fc.Arbitrary<Job> =>
  fc.record({
    dataset: arbitraryDataset(),
    k: fc.integer({ min: 1, max: 4 }),
    limit: fc.constantFrom(0, 0.1, 0.25, 1),
    metric: fc.constantFrom(...METRICS),
    extraModels: withModels ? fc.array(arbitraryModel, { minLength: 1, maxLength: 2 }) : fc.constant([]),
  });

function setUp(job: Job, strategy: 'optimal' | 'exhaustive') {
  const { dataset } = job;
  const names = ['id', ...dataset.qi, 's'];
  const table = encodeRows(names, dataset.rows.map((row, index) => [String(index), ...dataset.qi.map((q) => row[q]), row.s]));
  const attributes: AnonymizeOptions['attributes'] = { s: { role: job.extraModels.length > 0 ? 'sensitive' : 'insensitive', hierarchy: SENSITIVE_HIERARCHY } };
  for (const name of dataset.qi) (attributes as Record<string, unknown>)[name] = { role: 'quasi-identifying', hierarchy: dataset.hierarchyRows[name] };
  const models: ModelSpec[] = [{ type: 'k-anonymity', k: Math.min(job.k, dataset.rows.length) }, ...job.extraModels];
  const options: AnonymizeOptions = { attributes, models, suppressionLimit: job.limit, metric: job.metric, search: { strategy } };
  return { table, options };
}

async function run(job: Job, strategy: 'optimal' | 'exhaustive') {
  const { table, options } = setUp(job, strategy);
  try {
    return { table, result: await anonymizeEncoded(table, options, { file: 'random' }) };
  } catch (error) {
    // A model the data cannot meet (l above the distinct values) is refused up front: no solution either way.
    if (error instanceof CloakError && (error.code === 'NO_SOLUTION' || error.code === 'MODEL_IMPOSSIBLE')) return { table, result: undefined };
    throw error;
  }
}

/** Runs both strategies and asserts they agree on solvability, score and transformation; returns the optimal run. */
async function optimalMatchingExhaustive(job: Job) {
  const optimal = await run(job, 'optimal');
  const exhaustive = await run(job, 'exhaustive');
  expect(optimal.result === undefined).toBe(exhaustive.result === undefined);
  if (optimal.result !== undefined && exhaustive.result !== undefined) {
    expect(optimal.result.report.metric.value).toBe(exhaustive.result.report.metric.value);
    expect(optimal.result.report.transformation).toEqual(exhaustive.result.report.transformation);
  }
  return optimal;
}

function rows(table: EncodedTable): string[][] {
  return Array.from({ length: table.rowCount }, (_, r) => decodeRow(table, r));
}

describe('anonymize (properties over random tables and hierarchies)', () => {
  it('k-anonymity with suppression: guarantees hold and the optimal search matches exhaustive search, for every metric', async () => {
    await fc.assert(
      fc.asyncProperty(arbitraryJob(false), async (job) => {
        const optimal = await optimalMatchingExhaustive(job);
        if (optimal.result === undefined) return;

        const { output, suppressedRows, report } = optimal.result;
        const input = rows(optimal.table);
        const out = rows(output);
        const { dataset } = job;
        const n = dataset.rows.length;
        // Rows and order preserved; non-quasi-identifier columns unchanged.
        expect(out.length).toBe(n);
        out.forEach((row, r) => {
          expect(row[0]).toBe(input[r][0]);
          expect(row[row.length - 1]).toBe(input[r][row.length - 1]);
        });
        // Suppression within budget; suppressed records are * in every quasi-identifier.
        const suppressedCount = suppressedRows.reduce((sum, flag) => sum + flag, 0);
        expect(suppressedCount).toBe(report.suppressed);
        expect(suppressedCount).toBeLessThanOrEqual(Math.floor(job.limit * n));
        // Every released cell generalizes its input value at the chosen level.
        const levels = dataset.qi.map((name) => report.transformation[name]);
        out.forEach((row, r) => {
          dataset.qi.forEach((name, j) => {
            const expected = suppressedRows[r] === 1 ? '*' : dataset.hierarchies[name].get(input[r][j + 1])![levels[j]];
            expect(row[j + 1]).toBe(expected);
          });
        });
        // k-anonymous outside suppressed records (checked naively here, by strings).
        const sizes = new Map<string, number>();
        out.forEach((row, r) => {
          if (suppressedRows[r] === 0) sizes.set(row.slice(1, -1).join('\u0000'), (sizes.get(row.slice(1, -1).join('\u0000')) ?? 0) + 1);
        });
        const k = Math.min(job.k, n);
        for (const size of sizes.values()) expect(size).toBeGreaterThanOrEqual(k);
      }),
      { seed: 20261123, numRuns: RUNS },
    );
  });

  it('every privacy model and combination: the optimal search matches exhaustive search, with and without suppression', async () => {
    await fc.assert(
      fc.asyncProperty(arbitraryJob(true), async (job) => {
        const optimal = await optimalMatchingExhaustive(job);
        if (optimal.result !== undefined) expect(optimal.result.report.verified).toBe(true);
      }),
      { seed: 1123, numRuns: RUNS * 2 },
    );
  });

  it('is deterministic: the same input and options give identical output and report (but timings)', async () => {
    await fc.assert(
      fc.asyncProperty(arbitraryJob(true), async (job) => {
        const first = await run(job, 'optimal');
        const second = await run(job, 'optimal');
        expect(second.result === undefined).toBe(first.result === undefined);
        if (first.result === undefined) return;
        expect(rows(second.result!.output)).toEqual(rows(first.result.output));
        const strip = (report: AnonymizationReport) => ({ ...report, timingsMs: undefined, search: { ...report.search, progress: undefined } });
        expect(strip(second.result!.report)).toEqual(strip(first.result.report));
      }),
      { seed: 99, numRuns: Math.ceil(RUNS / 3) },
    );
  });
});
