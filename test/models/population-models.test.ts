// k-map and δ-presence: hand-computed tables and boundaries, ARX's k-map estimators, properties against naive
// definitions, monotonicity facts with counterexamples, "optimal = exhaustive" combined with every model and metric,
// and the refusals of bad input.

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { anonymizeEncoded, type EncodedAnonymization } from '../../src/anonymize.js';
import { CloakError } from '../../src/errors.js';
import { decideNode } from '../../src/evaluate-node.js';
import type { PopulationCounter } from '../../src/groupify/population-counts.js';
import { createModel, minimumClassSize, validateModelSpecs } from '../../src/models/index.js';
import type { AnonymizeOptions, MetricName, ModelSpec } from '../../src/options.js';
import { estimateKMapK } from '../../src/risk/k-map-estimate.js';
import { decodeRow, encodeRows, type EncodedTable } from '../../src/table/encoded-table.js';
import { arbitraryDataset, type RandomDataset } from '../groupify/random-data.js';

const RUNS = Number(process.env.CLOAK_FC_RUNS ?? 60);

/** zip (5 values → 2 areas → *) and age (4 values → 2 bands → *). */
const ZIP = [
  ['101', 'A', '*'],
  ['102', 'A', '*'],
  ['103', 'A', '*'],
  ['201', 'B', '*'],
  ['202', 'B', '*'],
];
const AGE = [
  ['20', 'young', '*'],
  ['25', 'young', '*'],
  ['60', 'old', '*'],
  ['65', 'old', '*'],
];

function attributes(extra: AnonymizeOptions['attributes'] = {}): AnonymizeOptions['attributes'] {
  return { zip: { role: 'quasi-identifying', hierarchy: ZIP }, age: { role: 'quasi-identifying', hierarchy: AGE }, ...extra };
}

async function run(table: EncodedTable, options: AnonymizeOptions): Promise<EncodedAnonymization> {
  return anonymizeEncoded(table, { metric: 'height', ...options }, { file: 'hand' });
}

function rows(result: EncodedAnonymization): string[][] {
  return Array.from({ length: result.output.rowCount }, (_, r) => decodeRow(result.output, r));
}

describe('k-map counted from a population table (hand-computed)', () => {
  // Data: two records in 101/20, one in 102/25, one in 201/60. Population counts per combination below.
  const data = encodeRows(['zip', 'age'], [['101', '20'], ['101', '20'], ['102', '25'], ['201', '60']]);
  const population = [
    { zip: '101', age: '20', count: 3 },
    { zip: '102', age: '25', count: 1 },
    { zip: '103', age: '20', count: 2 },
    { zip: '201', age: '60', count: 4 },
    { zip: '202', age: '65', count: 1 },
  ];

  it('counts the population generalized like the data, per released class; a class with exactly k passes', async () => {
    // At (0, 0): 101/20 stands for 3 people, 102/25 for 1, 201/60 for 4. 3-map fails 102/25 only (1 record).
    const result = await run(data, { attributes: attributes(), models: [{ type: 'k-map', k: 3 }], suppressionLimit: 0.25, risk: { populationTable: population } });
    expect(result.report.transformation).toEqual({ zip: 0, age: 0 });
    expect(rows(result)).toEqual([['101', '20'], ['101', '20'], ['*', '*'], ['201', '60']]);
    expect(result.report.models[0]).toMatchObject({ model: '3-map (population table)', worst: 3 });
  });

  it('needs a generalization when no suppression is allowed; k = the smallest count passes, k + 1 does not', async () => {
    // 102/25 stands for 1 person at every node where its zip or age stays: only (1, 1) and above merge it.
    // At (1, 1): A/young = 3 + 1 + 2 = 6, B/old = 4 + 1 = 5.
    const three = await run(data, { attributes: attributes(), models: [{ type: 'k-map', k: 3 }], risk: { populationTable: population } });
    expect(three.report.transformation).toEqual({ zip: 1, age: 1 });
    expect(three.report.models[0].worst).toBe(5);
    const five = await run(data, { attributes: attributes(), models: [{ type: 'k-map', k: 5 }], risk: { populationTable: population } });
    expect(five.report.transformation).toEqual({ zip: 1, age: 1 });
    // k = 6: (1, 2) leaves B/* with 5 and (2, 1) */old with 5; only the top, 11 people, passes.
    const six = await run(data, { attributes: attributes(), models: [{ type: 'k-map', k: 6 }], risk: { populationTable: population } });
    expect(six.report.transformation).toEqual({ zip: 2, age: 2 });
  });

  it('refuses a population table that lacks a combination of the data or counts it less often; nothing is released', async () => {
    const lacking = population.filter((row) => row.zip !== '102');
    const error = await run(data, { attributes: attributes(), models: [{ type: 'k-map', k: 2 }], risk: { populationTable: lacking } }).catch((caught: unknown) => caught);
    expect(error).toMatchObject({ code: 'K_MAP_POPULATION_UNCOVERED', exitCode: 3 });
    expect((error as CloakError).message).toMatch(/1 combination\(s\) of the data \(1 record\(s\)\)/);
    const smaller = population.map((row) => (row.zip === '101' ? { ...row, count: 1 } : row));
    await expect(run(data, { attributes: attributes(), models: [{ type: 'k-map', k: 2 }], risk: { populationTable: smaller } })).rejects.toMatchObject({ code: 'K_MAP_POPULATION_TOO_SMALL' });
  });

  it('refuses a k-map without an estimator when there is no population table', async () => {
    await expect(run(data, { attributes: attributes(), models: [{ type: 'k-map', k: 2 }] })).rejects.toMatchObject({ code: 'INVALID_OPTIONS', message: expect.stringMatching(/risk.populationTable, which is not given/) });
  });
});

describe('k-map estimated from the population size (ARX’s estimators)', () => {
  it('derives k′ as ARX does: hand-computed cases', () => {
    // λ = 5·100/1000 = ½. Poisson: P(X ≤ 0) = .607, ≤ 1: .910, ≤ 2: .986 ≥ .95 → counter 3 → k′ = 3 + 1 = 4.
    expect(estimateKMapK(5, 100, 1000, 0.05, 'poisson').k).toBe(4);
    expect(estimateKMapK(5, 100, 1000, 0.05, 'poisson').typeOneError).toBeCloseTo(1 - 0.98561, 4);
    // Zero-truncated: P(1 | X > 0) = .771, + P(2 | X > 0) = .964 ≥ .95 → k′ = 3.
    expect(estimateKMapK(5, 100, 1000, 0.05, 'zero-truncated-poisson').k).toBe(3);
    // A count reaching k stops the search with certainty (λ = 2·500/1000 = 1, k = 2): k′ = min(k, 3) = 2, error 0.
    expect(estimateKMapK(2, 500, 1000, 0.01, 'poisson')).toEqual({ k: 2, typeOneError: 0 });
    // Never above the sample size.
    expect(estimateKMapK(10, 3, 3, 0.01, 'poisson').k).toBe(3);
  });

  it('is k′-anonymity, and refuses a population smaller than the data', async () => {
    const data = encodeRows(['zip', 'age'], Array.from({ length: 20 }, (_, i) => [ZIP[i % 5][0], AGE[i % 4][0]]));
    const result = await run(data, { attributes: attributes(), models: [{ type: 'k-map', k: 50, estimator: 'poisson', populationSize: 100 }] });
    const derived = estimateKMapK(50, 20, 100, 0.01, 'poisson').k;
    expect(result.report.models[0].derived).toMatchObject({ k: derived, significance: 0.01 });
    expect(result.report.minClassSize).toBeGreaterThanOrEqual(derived);
    await expect(run(data, { attributes: attributes(), models: [{ type: 'k-map', k: 5, estimator: 'poisson', populationSize: 10 }] })).rejects.toMatchObject({ code: 'K_MAP_POPULATION_SIZE' });
  });

  it('validates its fields', () => {
    const problems = validateModelSpecs(
      [
        { type: 'k-map', k: 0 },
        { type: 'k-map', k: 2, populationSize: 10 },
        { type: 'k-map', k: 2, estimator: 'gauss', populationSize: 10 },
        { type: 'k-map', k: 2, estimator: 'poisson' },
        { type: 'k-map', k: 2, estimator: 'poisson', populationSize: 100, significance: 2 },
      ] as unknown as ModelSpec[],
      [],
    );
    expect(problems).toEqual([
      'models[0] (k-map): k = 0 must be at least 1',
      'models[1] (k-map): populationSize applies to an estimated k-map only (give an estimator, or count from risk.populationTable)',
      'models[2] (k-map): estimator must be one of poisson, zero-truncated-poisson',
      'models[3] (k-map): populationSize must be a finite number',
      'models[4] (k-map): significance = 2 must be in [0, 1]',
    ]);
  });
});

describe('δ-presence (hand-computed)', () => {
  // The population: 8 records; the subset (column in) holds 4 of them.
  const population = encodeRows(
    ['zip', 'age', 'in'],
    [
      ['101', '20', 'true'],
      ['101', '20', 'false'],
      ['102', '25', 'yes'],
      ['103', '20', 'no'],
      ['201', '60', '1'],
      ['201', '60', '0'],
      ['202', '65', 'TRUE'],
      ['202', '65', 'false'],
    ],
  );
  const presence = (deltaMin: number, deltaMax: number): ModelSpec => ({ type: 'delta-presence', deltaMin, deltaMax, subsetColumn: 'in' });
  const options = (model: ModelSpec, suppressionLimit = 0): AnonymizeOptions => ({ attributes: attributes({ in: { role: 'insensitive' } }), models: [model], suppressionLimit });

  it('releases only the subset, in order; shares exactly at a bound pass', async () => {
    // At (0, 0): 101/20 → 1 of 2, 102/25 → 1 of 1, 201/60 → 1 of 2, 202/65 → 1 of 2. δmax = 1: all pass.
    const result = await run(population, options(presence(0, 1)));
    expect(result.report.transformation).toEqual({ zip: 0, age: 0 });
    expect(rows(result)).toEqual([['101', '20', 'true'], ['102', '25', 'yes'], ['201', '60', '1'], ['202', '65', 'TRUE']]);
    expect(result.report.rows).toBe(4);
    expect(result.report.deltaPresence).toEqual({ populationRecords: 8, subsetRecords: 4 });
    // δmax = 0.5 exactly: the 102/25 class (share 1) must merge; zip → area gives A/20: 1 of 3, A/25: 1 of 1 (fails),
    // so age goes to a band too: A/young 2 of 4 = 0.5 (at the bound: passes), B/old 2 of 4.
    const half = await run(population, options(presence(0, 0.5)));
    expect(half.report.transformation).toEqual({ zip: 1, age: 1 });
    expect(half.report.models[0].worst).toBe(0.5);
    // Just below the bound: even the top (4 of 8) fails, and nothing may be suppressed.
    await expect(run(population, options(presence(0, 0.49)))).rejects.toMatchObject({ code: 'NO_SOLUTION' });
  });

  it('suppresses the subset records of a failing class within the budget', async () => {
    // δmax = 0.5 with 1 record of 4 suppressible: 102/25 (share 1) is suppressed at (0, 0).
    const result = await run(population, options(presence(0, 0.5), 0.25));
    expect(result.report.transformation).toEqual({ zip: 0, age: 0 });
    expect(rows(result)[1]).toEqual(['*', '*', 'yes']);
  });

  it('fails a node where a class of the population holds no subset record and δmin > 0 (it cannot be suppressed)', async () => {
    // δmin = 0.4: 103/20 holds no subset record (share 0) at (0, 0) — however much may be suppressed.
    const result = await run(population, options(presence(0.4, 1), 1));
    expect(result.report.transformation).not.toEqual({ zip: 0, age: 0 });
    // δmin = 0 accepts share 0.
    expect((await run(population, options(presence(0, 1), 1))).report.transformation).toEqual({ zip: 0, age: 0 });
  });

  it('matches a subset file’s rows to identical data rows, repeats to distinct copies', async () => {
    const subsetFile = [
      { zip: '201', age: '60', in: '0' },
      { zip: '101', age: '20', in: 'true' },
    ];
    const result = await run(population, { attributes: attributes({ in: { role: 'insensitive' } }), models: [{ type: 'delta-presence', deltaMin: 0, deltaMax: 1, subsetFile }] });
    expect(rows(result)).toEqual([['101', '20', 'true'], ['201', '60', '0']]);
    const twice = [...subsetFile, { zip: '201', age: '60', in: '0' }];
    await expect(run(population, { attributes: attributes({ in: { role: 'insensitive' } }), models: [{ type: 'delta-presence', deltaMin: 0, deltaMax: 1, subsetFile: twice }] })).rejects.toMatchObject({
      code: 'SUBSET_ROW_UNMATCHED',
      message: expect.stringMatching(/line 3 occurs more often than in the data/),
    });
    const stranger = [{ zip: '999', age: '60', in: '0' }];
    await expect(run(population, { attributes: attributes({ in: { role: 'insensitive' } }), models: [{ type: 'delta-presence', deltaMin: 0, deltaMax: 1, subsetFile: stranger }] })).rejects.toMatchObject({
      code: 'SUBSET_ROW_UNMATCHED',
      message: expect.stringMatching(/line 1 matches no row of the data/),
    });
    await expect(run(population, { attributes: attributes({ in: { role: 'insensitive' } }), models: [{ type: 'delta-presence', deltaMin: 0, deltaMax: 1, subsetFile: [{ zip: '101', age: '20' }] }] })).rejects.toMatchObject({
      code: 'SUBSET_COLUMNS',
    });
  });

  it('refuses a subset column that is not boolean (naming the line, not the value), an empty subset, and bad bounds', async () => {
    const bad = encodeRows(['zip', 'age', 'in'], [['101', '20', 'true'], ['102', '25', 'maybe']]);
    const error = (await run(bad, options(presence(0, 1))).catch((caught: unknown) => caught)) as CloakError;
    expect(error).toMatchObject({ code: 'SUBSET_NOT_BOOLEAN', exitCode: 3, location: { line: 2, column: 'in' } });
    expect(error.message).not.toMatch(/maybe/);
    const none = encodeRows(['zip', 'age', 'in'], [['101', '20', 'no']]);
    await expect(run(none, options(presence(0, 1)))).rejects.toMatchObject({ code: 'SUBSET_EMPTY' });
    expect(validateModelSpecs([{ type: 'delta-presence', deltaMin: 0.6, deltaMax: 0.5, subsetColumn: 'in' }], [])).toEqual(['models[0] (delta-presence): deltaMin = 0.6 must not exceed deltaMax = 0.5']);
    expect(validateModelSpecs([{ type: 'delta-presence', deltaMin: 0, deltaMax: 1 } as ModelSpec], [])[0]).toMatch(/exactly one of subsetColumn/);
    await expect(run(population, { ...options(presence(0, 1)), attributes: attributes({ in: { role: 'sensitive' } }) })).rejects.toMatchObject({ message: expect.stringMatching(/has the role sensitive; it must be an insensitive column/) });
  });
});

/** Classes of the given sizes whose population counts are given (for the models' facts). */
function counted(sizes: number[], people: number[], unmatched = 0) {
  const classes = { count: sizes.length, width: 0, levels: new Int32Array(0), keys: new Int32Array(0), sizes: Int32Array.from(sizes), sensitive: [] };
  const population: PopulationCounter = { countsOf: () => Float64Array.from(people), unmatchedOf: () => unmatched, total: people.reduce((a, b) => a + b, 0) };
  return { classes, population };
}

describe('monotonicity facts', () => {
  it('counted k-map: a merged class’s count is the sum of its parts’, so failing above means failing below (monotone)', () => {
    const { classes, population } = counted([1, 1], [2, 3]);
    const model = createModel({ type: 'k-map', k: 4 }, { rowCount: 2, sensitive: [], populationTable: population });
    expect([model.monotoneWithSuppression, model.monotoneWithoutSuppression]).toEqual([true, true]);
    expect([model.isClassValid(classes, 0), model.isClassValid(classes, 1)]).toEqual([false, false]);
    const merged = counted([2], [5]);
    const mergedModel = createModel({ type: 'k-map', k: 4 }, { rowCount: 2, sensitive: [], populationTable: merged.population });
    expect(mergedModel.isClassValid(merged.classes, 0)).toBe(true);
    // A failing class is suppressed whole in every specialization.
    expect(model.suppressedBelow!(classes, 0)).toBe(1);
  });

  it('δ-presence: monotone without suppression (a merged share lies between its parts’), not with it (counterexample)', () => {
    const spec: ModelSpec = { type: 'delta-presence', deltaMin: 0, deltaMax: 0.5, subsetColumn: 'in' };
    const decide = (sizes: number[], people: number[], budget: number) => {
      const { classes, population } = counted(sizes, people);
      const models = [createModel(spec, { rowCount: 10, sensitive: [], presencePopulation: population })];
      return decideNode(classes, { models, metric: {} as never, suppressionBudget: budget, minClassSize: minimumClassSize(models) }).anonymous;
    };
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.integer({ min: 1, max: 5 }), fc.integer({ min: 0, max: 5 })), { minLength: 2, maxLength: 6 }), (parts) => {
        const sizes = parts.map(([size]) => size);
        const people = parts.map(([size, extra]) => size + extra);
        if (decide(sizes, people, 0)) expect(decide([sizes.reduce((a, b) => a + b)], [people.reduce((a, b) => a + b)], 0)).toBe(true);
      }),
    );
    // Shares 0.9 (9 of 10, suppressed: 9 records) and 0.2 (1 of 5): within a budget of 9 below; merged, 10 of 15 fail.
    expect(decide([9, 1], [10, 5], 9)).toBe(true);
    expect(decide([10], [15], 9)).toBe(false);
    const model = createModel(spec, { rowCount: 10, sensitive: [], presencePopulation: counted([1], [1]).population });
    expect([model.monotoneWithSuppression, model.monotoneWithoutSuppression]).toEqual([false, true]);
  });

  it('δ-presence: a failing class loses at least what suppressedBelow claims at every specialization that stays valid', () => {
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.integer({ min: 0, max: 6 }), fc.integer({ min: 0, max: 6 })), { minLength: 1, maxLength: 5 }),
        fc.constantFrom(0, 0.2, 0.5),
        fc.constantFrom(0.5, 0.8, 1),
        (drafts, deltaMin, deltaMax) => {
          // Parts below: s subset records among s + extra people (a part has at least one person).
          const parts = drafts.map(([size, extra]) => [size, size + Math.max(extra, size === 0 ? 1 : 0)] as const);
          const size = parts.reduce((sum, [s]) => sum + s, 0);
          const people = parts.reduce((sum, [, p]) => sum + p, 0);
          if (size === 0) return;
          const spec: ModelSpec = { type: 'delta-presence', deltaMin, deltaMax, subsetColumn: 'in' };
          const whole = counted([size], [people]);
          const model = createModel(spec, { rowCount: size, sensitive: [], presencePopulation: whole.population });
          if (model.isClassValid(whole.classes, 0)) return;
          const passes = ([s, p]: readonly [number, number]) => s / p >= deltaMin && s / p <= deltaMax;
          // A failing part without subset records makes the specialization invalid: nothing to compare with.
          if (deltaMin > 0 && parts.some(([s, p]) => s === 0 && !passes([s, p]))) return;
          const lost = parts.filter((part) => !passes(part)).reduce((sum, [s]) => sum + s, 0);
          expect(model.suppressedBelow!(whole.classes, 0)).toBeLessThanOrEqual(lost);
        },
      ),
      { numRuns: 3000 },
    );
  });
});

/** A random job: a dataset, a population table and a subset column over it, and models around the population models. */
interface Job {
  readonly dataset: RandomDataset;
  readonly extraPeople: number[];
  readonly inSubset: boolean[];
  readonly populationModel: 'k-map counted' | 'k-map estimated' | 'delta-presence';
  readonly k: number;
  readonly deltaMin: number;
  readonly deltaMax: number;
  readonly others: ModelSpec[];
  readonly limit: number;
  readonly metric: MetricName;
}

const METRICS: MetricName[] = ['loss', 'precision', 'precision-monotonic', 'discernibility', 'discernibility-monotonic', 'aecs', 'entropy', 'entropy-monotonic', 'height'];

const otherModel: fc.Arbitrary<ModelSpec> = fc.oneof(
  fc.integer({ min: 1, max: 3 }).map((k) => ({ type: 'k-anonymity', k }) as const),
  fc.integer({ min: 1, max: 2 }).map((l) => ({ type: 'distinct-l-diversity', attribute: 's', l }) as const),
  fc.constantFrom(1, 1.5).map((l) => ({ type: 'entropy-l-diversity', attribute: 's', l }) as const),
  fc.constantFrom(0.3, 0.5).map((t) => ({ type: 't-closeness', attribute: 's', t, distance: 'equal' }) as const),
  fc.constantFrom(1, 2).map((delta) => ({ type: 'delta-disclosure', attribute: 's', delta }) as const),
  fc.constantFrom(1, 3).map((beta) => ({ type: 'beta-likeness', attribute: 's', beta }) as const),
  fc.constantFrom(0.2, 0.5).map((maxRisk) => ({ type: 'average-risk', maxRisk }) as const),
  fc.constantFrom(0.5).map((maxRisk) => ({ type: 'highest-risk', maxRisk }) as const),
  fc.constantFrom(0, 0.2).map((maxShare) => ({ type: 'records-at-risk', maxShare, threshold: 0.3 }) as const),
  fc.constantFrom('zayatz', 'dankar' as const).map((model) => ({ type: 'population-uniqueness', maxUniqueness: 0.05, populationSize: 500, model }) as const),
);

const arbitraryJob: fc.Arbitrary<Job> = fc.record({
  dataset: arbitraryDataset(),
  extraPeople: fc.array(fc.nat({ max: 4 }), { minLength: 1, maxLength: 6 }),
  inSubset: fc.array(fc.boolean(), { minLength: 80, maxLength: 80 }),
  populationModel: fc.constantFrom('k-map counted', 'k-map estimated', 'delta-presence'),
  k: fc.integer({ min: 1, max: 8 }),
  deltaMin: fc.constantFrom(0, 0.2, 0.4),
  deltaMax: fc.constantFrom(0.5, 0.8, 1),
  others: fc.array(otherModel, { maxLength: 2 }),
  limit: fc.constantFrom(0, 0.1, 0.3, 1),
  metric: fc.constantFrom(...METRICS),
});

function setUp(job: Job, strategy: 'optimal' | 'exhaustive') {
  const { dataset } = job;
  const names = [...dataset.qi, 's', 'in'];
  const table = encodeRows(names, dataset.rows.map((row, r) => [...dataset.qi.map((q) => row[q]), row.s, r === 0 || job.inSubset[r] ? 'true' : 'false']));
  const attributes: AnonymizeOptions['attributes'] = { s: { role: 'sensitive', hierarchy: [['a', 'ab', '*'], ['b', 'ab', '*'], ['c', 'c', '*']] }, in: { role: 'insensitive' } };
  for (const name of dataset.qi) (attributes as Record<string, unknown>)[name] = { role: 'quasi-identifying', hierarchy: dataset.hierarchyRows[name] };
  // The population table: every combination of the data, counted at least as often, and combinations it lacks.
  const people = new Map<string, { values: string[]; count: number }>();
  for (const row of dataset.rows) {
    const values = dataset.qi.map((q) => row[q]);
    const key = JSON.stringify(values);
    const entry = people.get(key) ?? { values, count: job.extraPeople[people.size % job.extraPeople.length] };
    entry.count++;
    people.set(key, entry);
  }
  const absent = dataset.qi.map((q) => dataset.hierarchyRows[q][dataset.hierarchyRows[q].length - 1][0]);
  if (!people.has(JSON.stringify(absent))) people.set(JSON.stringify(absent), { values: absent, count: job.extraPeople[0] + 1 });
  const populationTable = [...people.values()].map(({ values, count }) => ({ ...Object.fromEntries(dataset.qi.map((q, j) => [q, values[j]])), count }));
  const populationModel: ModelSpec =
    job.populationModel === 'k-map counted'
      ? { type: 'k-map', k: job.k }
      : job.populationModel === 'k-map estimated'
        ? { type: 'k-map', k: job.k * 10, estimator: 'zero-truncated-poisson', populationSize: 4 * dataset.rows.length }
        : { type: 'delta-presence', deltaMin: job.deltaMin, deltaMax: job.deltaMax, subsetColumn: 'in' };
  const options: AnonymizeOptions = {
    attributes,
    models: [populationModel, ...job.others],
    suppressionLimit: job.limit,
    metric: job.metric,
    search: { strategy },
    risk: { populationTable },
  };
  return { table, options, populationTable };
}

async function runJob(job: Job, strategy: 'optimal' | 'exhaustive') {
  const { table, options, populationTable } = setUp(job, strategy);
  try {
    return { table, options, populationTable, result: await anonymizeEncoded(table, options, { file: 'random' }) };
  } catch (error) {
    if (error instanceof CloakError && error.code === 'NO_SOLUTION') return { table, options, populationTable, result: undefined };
    throw error;
  }
}

describe('k-map and δ-presence with every other model and metric (random tables and hierarchies)', () => {
  it('optimal search finds what exhaustive search finds', async () => {
    let solved = 0;
    await fc.assert(
      fc.asyncProperty(arbitraryJob, async (job) => {
        const optimal = await runJob(job, 'optimal');
        const exhaustive = await runJob(job, 'exhaustive');
        expect(optimal.result === undefined).toBe(exhaustive.result === undefined);
        if (optimal.result === undefined || exhaustive.result === undefined) return;
        solved++;
        expect(optimal.result.report.metric.value).toBe(exhaustive.result.report.metric.value);
        expect(optimal.result.report.transformation).toEqual(exhaustive.result.report.transformation);
      }),
      { seed: 4242, numRuns: RUNS },
    );
    expect(solved).toBeGreaterThan(RUNS / 4);
  });

  it('releases what the naive definitions accept: population counts and subset shares recounted row by row', async () => {
    await fc.assert(
      fc.asyncProperty(arbitraryJob, async (job) => {
        const { result, populationTable } = await runJob({ ...job, others: [] }, 'optimal');
        if (result === undefined) return;
        const { dataset } = job;
        const levels = dataset.qi.map((q) => result.report.transformation[q]);
        const generalize = (values: readonly string[]) => dataset.qi.map((q, j) => dataset.hierarchies[q].get(values[j])![levels[j]]).join('|');
        const released = new Map<string, number>();
        for (let r = 0; r < result.output.rowCount; r++) {
          if (result.suppressedRows[r] === 1) continue;
          const key = decodeRow(result.output, r).slice(0, dataset.qi.length).join('|');
          released.set(key, (released.get(key) ?? 0) + 1);
        }
        if (job.populationModel === 'delta-presence') {
          const everyone = new Map<string, number>();
          for (const row of dataset.rows) everyone.set(generalize(dataset.qi.map((q) => row[q])), (everyone.get(generalize(dataset.qi.map((q) => row[q]))) ?? 0) + 1);
          const subsetSize = dataset.rows.filter((_, r) => r === 0 || job.inSubset[r]).length;
          expect(result.output.rowCount).toBe(subsetSize);
          for (const [key, size] of released) {
            const share = size / everyone.get(key)!;
            expect(share).toBeGreaterThanOrEqual(job.deltaMin);
            expect(share).toBeLessThanOrEqual(job.deltaMax);
          }
        } else if (job.populationModel === 'k-map counted') {
          const people = new Map<string, number>();
          for (const row of populationTable) {
            const key = generalize(dataset.qi.map((q) => String(row[q])));
            people.set(key, (people.get(key) ?? 0) + Number(row.count));
          }
          for (const key of released.keys()) expect(people.get(key)!).toBeGreaterThanOrEqual(job.k);
        } else {
          const derived = estimateKMapK(job.k * 10, dataset.rows.length, 4 * dataset.rows.length, 0.01, 'zero-truncated-poisson').k;
          for (const size of released.values()) expect(size).toBeGreaterThanOrEqual(derived);
        }
      }),
      { seed: 99, numRuns: RUNS },
    );
  });
});

describe('plans', () => {
  it('refuse δ-presence and counted k-map, and accept estimated k-map', async () => {
    const { plan } = await import('../../src/plan/plan.js');
    const data = [
      { zip: '101', age: '20', in: 'true' },
      { zip: '102', age: '25', in: 'false' },
    ];
    const base = { attributes: attributes({ in: { role: 'insensitive' } }) };
    await expect(plan(data, { ...base, models: [{ type: 'delta-presence', deltaMin: 0, deltaMax: 1, subsetColumn: 'in' }] })).rejects.toMatchObject({
      code: 'PLAN_MODEL_UNSUPPORTED',
      message: expect.stringMatching(/δ-presence cannot be planned/),
    });
    await expect(plan(data, { ...base, models: [{ type: 'k-map', k: 1 }], risk: { populationTable: [{ zip: '101', age: '20', count: 2 }] } })).rejects.toMatchObject({
      code: 'PLAN_MODEL_UNSUPPORTED',
      message: expect.stringMatching(/population's counts/),
    });
    const saved = await plan(data, { ...base, models: [{ type: 'k-map', k: 2, estimator: 'poisson', populationSize: 1000 }] });
    expect(saved.models[0]).toMatchObject({ type: 'k-map', estimator: 'poisson' });
  });
});
