// Guarantee suite, search and determinism: on the small lattices of random datasets the optimal search finds what
// exhaustive search finds (same metric value and transformation) for every metric, repeated runs are identical, and
// with any time limit the reported lower bound and score enclose the exhaustive optimum.

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { anonymizeEncoded } from '../../src/anonymize.js';
import { readTableInput } from '../../src/api.js';
import { anonymize, CloakError, type AnonymizationReport, type AnonymizeResult, type MetricName } from '../../src/index.js';
import { arbitraryDataset, type Dataset } from '../../src/testing/index.js';
import { runs, SEED, timeoutFor } from './cloak-pipeline.js';

const METRICS: MetricName[] = [
  'loss',
  'precision',
  'precision-monotonic',
  'discernibility',
  'discernibility-monotonic',
  'aecs',
  'entropy',
  'entropy-monotonic',
  'height',
];

/** Every model type and distance, every metric, every suppression limit the kit draws; at most 4⁴ = 256 nodes. */
const datasets = arbitraryDataset({ rows: { min: 1, max: 30 }, metrics: METRICS, suppressionLimits: [0, 0.05, 0.2, 0.5, 1] });

type Outcome = { result: AnonymizeResult } | { error: string };

/** The result, or the stable code of the CloakError (no solution, k > n) that both strategies must agree on. */
async function run(dataset: Dataset, strategy: 'optimal' | 'exhaustive'): Promise<Outcome> {
  try {
    return { result: await anonymize(dataset.table, { ...dataset.policy, search: { strategy } }) };
  } catch (error) {
    if (error instanceof CloakError) return { error: error.code };
    throw error;
  }
}

/** The report without its timings (the search's progress over time among them), which differ between runs. */
function stableReport(result: AnonymizeResult): object {
  return { ...result.report, timingsMs: undefined, search: { ...result.report.search, progress: undefined } };
}

function rows(result: AnonymizeResult): unknown[] {
  return result.table.toArray().map((row) => row.toJSON());
}

describe('Cloak guarantees: search', () => {
  const numRuns = runs(2);
  it(
    'optimal search agrees with exhaustive search on small lattices: same metric value and transformation',
    async () => {
      let solved = 0;
      await fc.assert(
        fc.asyncProperty(datasets, async (dataset) => {
          const optimal = await run(dataset, 'optimal');
          const exhaustive = await run(dataset, 'exhaustive');
          if ('error' in optimal || 'error' in exhaustive) {
            expect(optimal).toEqual(exhaustive);
            return;
          }
          solved++;
          expect(exhaustive.result.report.nodesChecked).toBe(exhaustive.result.report.latticeSize);
          expect(optimal.result.report.metric).toEqual(exhaustive.result.report.metric);
          expect(optimal.result.report.transformation).toEqual(exhaustive.result.report.transformation);
        }),
        { numRuns, seed: SEED },
      );
      expect(solved).toBeGreaterThanOrEqual(Math.floor(numRuns / 4));
    },
    timeoutFor(numRuns * 2),
  );

  it(
    'is deterministic: the same input and options give the same output and report (timings aside)',
    async () => {
      await fc.assert(
        fc.asyncProperty(datasets, async (dataset) => {
          const first = await run(dataset, 'optimal');
          const second = await run(dataset, 'optimal');
          if ('error' in first || 'error' in second) {
            expect(second).toEqual(first);
            return;
          }
          expect(rows(second.result)).toEqual(rows(first.result));
          expect(stableReport(second.result)).toEqual(stableReport(first.result));
        }),
        { numRuns, seed: SEED + 1 },
      );
    },
    timeoutFor(numRuns * 2),
  );
});

describe('Cloak guarantees: search under a time limit', () => {
  const numRuns = runs(1);
  it(
    'for any time limit, both optimal searches report lowerBound ≤ the exhaustive optimum ≤ their score, optimal only when all are equal',
    async () => {
      let stoppedEarly = 0;
      let solved = 0;
      await fc.assert(
        fc.asyncProperty(datasets, fc.nat({ max: 40 }), async (dataset, limit) => {
          const exhaustive = await run(dataset, 'exhaustive');
          const { table, file } = await readTableInput(dataset.table);
          // Flash (small lattices) and the frontier search with its sparse node table, on a clock that advances one
          // millisecond each time the search reads it: the limit stops them after a few dozen steps at most.
          for (const lookup of [undefined, 'sparse'] as const) {
            let ticks = 0;
            let report: AnonymizationReport;
            try {
              ({ report } = await anonymizeEncoded(table, { ...dataset.policy, search: { timeLimitMs: limit + 0.5 } }, { file }, { searchSettings: { lookup, now: () => ticks++ } }));
            } catch (error) {
              if (!(error instanceof CloakError)) throw error;
              // No solution is claimed only when there is none; not finding one in time is said as such.
              expect(error.code === 'NO_SOLUTION_FOUND_IN_TIME' || ('error' in exhaustive && error.code === exhaustive.error)).toBe(true);
              continue;
            }
            if ('error' in exhaustive) throw new Error(`found a solution where exhaustive search reports ${exhaustive.error}`);
            const optimum = exhaustive.result.report.metric.value;
            solved++;
            expect(report.lowerBound).toBeLessThanOrEqual(optimum);
            expect(report.metric.value).toBeGreaterThanOrEqual(optimum);
            expect(report.gap).toBeGreaterThanOrEqual(0);
            if (report.optimal) {
              expect(report.metric.value).toBe(optimum);
              expect(report.lowerBound).toBe(optimum);
              expect(report.gap).toBe(0);
              expect(report.transformation).toEqual(exhaustive.result.report.transformation);
            } else {
              stoppedEarly++;
              expect(report.search.stoppedBy).toBe('time-limit');
            }
          }
        }),
        { numRuns, seed: SEED + 2 },
      );
      // Not vacuous: some runs were cut short, others proven optimal.
      expect(stoppedEarly).toBeGreaterThan(0);
      expect(solved - stoppedEarly).toBeGreaterThan(0);
    },
    timeoutFor(numRuns * 4),
  );
});
