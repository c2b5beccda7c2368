// Guarantee suite, search and determinism: on the small lattices of random datasets the optimal search finds what
// exhaustive search finds (same metric value and transformation) for every metric, and repeated runs are identical.

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { anonymize, CloakError, type AnonymizeResult, type MetricName } from '../../src/index.js';
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

/** The report without its timings, which legitimately differ between runs. */
function stableReport(result: AnonymizeResult): object {
  return { ...result.report, timingsMs: undefined };
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
