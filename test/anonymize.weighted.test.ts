// An aggregated table (an SQL engine's GROUP BY with counts, in any row order) must anonymize exactly as the rows it
// stands for: same transformation, score, suppression, classes and verdicts — the seam the SQL engines rely on.

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { anonymizeEncoded } from '../src/anonymize.js';
import { CloakError } from '../src/errors.js';
import type { AnonymizeOptions, MetricName, ModelSpec } from '../src/options.js';
import { encodeRows, recordCount, type EncodedTable } from '../src/table/encoded-table.js';
import { arbitraryDataset } from './groupify/random-data.js';

const RUNS = Number(process.env.CLOAK_FC_RUNS ?? 60);
const METRICS: MetricName[] = ['loss', 'precision', 'discernibility', 'aecs', 'entropy', 'height'];

/** The distinct rows of `rows` with their counts, in an order chosen by `order` (a permutation seed). */
function aggregate(names: readonly string[], rows: readonly (readonly string[])[], order: number): EncodedTable {
  const counts = new Map<string, { row: readonly string[]; records: number }>();
  for (const row of rows) {
    const key = JSON.stringify(row);
    const entry = counts.get(key);
    if (entry === undefined) counts.set(key, { row, records: 1 });
    else entry.records++;
  }
  const entries = [...counts.values()];
  // A deterministic shuffle: engines return groups in no particular order.
  for (let i = entries.length - 1; i > 0; i--) {
    const j = (order * (i + 7)) % (i + 1);
    [entries[i], entries[j]] = [entries[j], entries[i]];
  }
  const table = encodeRows(names, entries.map(({ row }) => row));
  return { ...table, weights: Int32Array.from(entries, ({ records }) => records) };
}

/** The report, or the code of the refusal when no transformation can satisfy the models. */
async function report(table: EncodedTable, options: AnonymizeOptions) {
  try {
    return (await anonymizeEncoded(table, options, { file: 'random' })).report;
  } catch (error) {
    if (error instanceof CloakError && (error.code === 'NO_SOLUTION' || error.code === 'MODEL_IMPOSSIBLE')) return error.code;
    throw error;
  }
}

describe('an aggregated table anonymizes as the rows it stands for', () => {
  it('gives the same transformation, score, suppression and classes, whatever the order of its groups', async () => {
    await fc.assert(
      fc.asyncProperty(
        arbitraryDataset(),
        fc.integer({ min: 1, max: 4 }),
        fc.constantFrom(0, 0.1, 0.3),
        fc.constantFrom(...METRICS),
        fc.boolean(),
        fc.nat(1000),
        async (dataset, k, limit, metric, diverse, order) => {
          const names = [...dataset.qi, 's'];
          const rows = dataset.rows.map((row) => [...dataset.qi.map((q) => row[q]), row.s]);
          const attributes: Record<string, AnonymizeOptions['attributes'][string]> = { s: { role: diverse ? 'sensitive' : 'insensitive' } };
          for (const name of dataset.qi) attributes[name] = { role: 'quasi-identifying', hierarchy: dataset.hierarchyRows[name] };
          const models: ModelSpec[] = [{ type: 'k-anonymity', k: Math.min(k, rows.length) }];
          if (diverse) models.push({ type: 'distinct-l-diversity', attribute: 's', l: 2 }, { type: 't-closeness', attribute: 's', t: 0.4, distance: 'equal' });
          const options: AnonymizeOptions = { attributes, models, suppressionLimit: limit, metric };
          const full = encodeRows(names, rows);
          const aggregated = aggregate(names, rows, order);
          expect(recordCount(aggregated)).toBe(rows.length);
          const [expected, actual] = [await report(full, options), await report(aggregated, options)];
          if (typeof expected === 'string' || typeof actual === 'string') {
            expect(actual).toBe(expected);
            return;
          }
          expect(actual.transformation).toEqual(expected.transformation);
          expect(actual.metric.value).toBeCloseTo(expected.metric.value, 9);
          expect(actual.rows).toBe(expected.rows);
          expect(actual.suppressed).toBe(expected.suppressed);
          expect(actual.classes).toBe(expected.classes);
          expect(actual.classSizeDistribution).toEqual(expected.classSizeDistribution);
          expect(actual.models.map((margin) => margin.worst)).toEqual(expected.models.map((margin) => margin.worst));
          expect(actual.risk.output.prosecutor).toEqual(expected.risk.output.prosecutor);
        },
      ),
      { numRuns: RUNS, seed: 20_260_117 },
    );
  });

  it('counts records, not rows, for k and names no data line in its messages', async () => {
    const table: EncodedTable = { ...encodeRows(['age'], [['30'], ['x']]), weights: Int32Array.from([4, 3]) };
    const options: AnonymizeOptions = { attributes: { age: { role: 'quasi-identifying', type: 'integer', hierarchy: [['30', '*'], ['x', '*']] } }, models: [{ type: 'k-anonymity', k: 7 }] };
    const error = await anonymizeEncoded(table, options, { file: 'engine source' }).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(CloakError);
    expect((error as CloakError).code).toBe('VALUE_NOT_OF_TYPE');
    expect((error as CloakError).message).toMatch(/^engine source: a value of column "age" is not an integer/);

    const uncovered: AnonymizeOptions = { attributes: { age: { role: 'quasi-identifying', hierarchy: [['30', '*']] } }, models: [{ type: 'k-anonymity', k: 7 }] };
    const missing = (await anonymizeEncoded(table, uncovered, { file: 'engine source' }).catch((caught: unknown) => caught)) as CloakError;
    expect(missing.code).toBe('HIERARCHY_MISSING_VALUES');
    expect(missing.message).toMatch(/in 3 record\(s\) of engine source$/);

    const covered: AnonymizeOptions = { attributes: { age: { role: 'quasi-identifying', hierarchy: [['30', '*'], ['x', '*']] } }, models: [{ type: 'k-anonymity', k: 7 }] };
    const { report: result } = await anonymizeEncoded(table, covered, { file: 'engine source' });
    expect(result.rows).toBe(7);
    expect(result.transformation).toEqual({ age: 1 });
    const tooLarge = await anonymizeEncoded(table, { ...covered, models: [{ type: 'k-anonymity', k: 8 }] }, { file: 'engine source' }).catch((caught: unknown) => caught);
    expect((tooLarge as CloakError).message).toMatch(/k = 8 cannot be met: there are only 7 records/);
  });
});
