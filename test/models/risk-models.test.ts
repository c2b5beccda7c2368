// Risk-based privacy models: spec validation, the per-class and whole-release tests, the monotonicity facts the
// search relies on (with counterexamples for the ones that fail), and optimal = exhaustive search on random data.

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { anonymizeEncoded } from '../../src/anonymize.js';
import { CloakError } from '../../src/errors.js';
import { anonymityIsMonotone, decideNode, type NodeEvaluatorSetup } from '../../src/evaluate-node.js';
import type { EquivalenceClasses } from '../../src/groupify/equivalence-classes.js';
import type { Metric } from '../../src/metrics/metric.js';
import { createModel, minimumClassSize, validateModelSpecs } from '../../src/models/index.js';
import type { PrivacyModel } from '../../src/models/privacy-model.js';
import type { AnonymizeOptions, ModelSpec } from '../../src/options.js';
import { smallestSafeClassSize } from '../../src/risk/criteria.js';
import { populationUniqueness } from '../../src/risk/index.js';
import { decodeRow, encodeRows } from '../../src/table/encoded-table.js';
import { checkRisk } from '../../src/testing/risk.js';
import { arbitraryDataset, type RandomDataset } from '../groupify/random-data.js';

const RUNS = Number(process.env.CLOAK_FC_RUNS ?? 100);
const context = { rowCount: 20, sensitive: [] };

/** Classes with the given sizes (no quasi-identifier keys or histograms: the risk models read sizes only). */
function classesOfSizes(sizes: readonly number[]): EquivalenceClasses {
  return { count: sizes.length, width: 0, levels: new Int32Array(0), keys: new Int32Array(0), sizes: Int32Array.from(sizes), sensitive: [] };
}

const unusedMetric = {} as Metric;

function setupOf(specs: ModelSpec[], suppressionBudget: number): NodeEvaluatorSetup {
  const models = specs.map((spec) => createModel(spec, context));
  return { models, metric: unusedMetric, suppressionBudget, minClassSize: minimumClassSize(models) };
}

describe('risk model specs', () => {
  it('accepts valid specs without a sensitive attribute', () => {
    const specs: ModelSpec[] = [
      { type: 'average-risk', maxRisk: 0.05 },
      { type: 'highest-risk', maxRisk: 1 },
      { type: 'records-at-risk', maxShare: 0, threshold: 0.2 },
      { type: 'population-uniqueness', maxUniqueness: 0.01, populationSize: 1000, model: 'dankar' },
    ];
    expect(validateModelSpecs(specs, [])).toEqual([]);
  });

  it('reports every bad parameter', () => {
    const specs = [
      { type: 'average-risk', maxRisk: 0 },
      { type: 'highest-risk', maxRisk: 1.5 },
      { type: 'records-at-risk', maxShare: Number.NaN, threshold: 2 },
      { type: 'population-uniqueness', maxUniqueness: -1, populationSize: 2.5, model: 'gauss' },
    ] as unknown as ModelSpec[];
    expect(validateModelSpecs(specs, [])).toEqual([
      'models[0] (average-risk): maxRisk = 0 must be greater than 0',
      'models[1] (highest-risk): maxRisk = 1.5 must be at most 1',
      'models[2] (records-at-risk): maxShare must be a finite number',
      'models[2] (records-at-risk): threshold = 2 must be in [0, 1]',
      'models[3] (population-uniqueness): maxUniqueness = -1 must be in [0, 1]',
      'models[3] (population-uniqueness): populationSize = 2.5 must be an integer',
      'models[3] (population-uniqueness): model must be one of pitman, zayatz, snb, dankar',
    ]);
  });

  it('refuses a population smaller than the input', () => {
    const spec: ModelSpec = { type: 'population-uniqueness', maxUniqueness: 0.1, populationSize: 19, model: 'zayatz' };
    expect(() => createModel(spec, context)).toThrow(CloakError);
  });
});

describe('highest risk is a minimum class size', () => {
  it('uses the least k with 1/k ≤ r, through the comparison itself', () => {
    expect([0.1, 0.2, 0.25, 0.3, 1 / 3, 0.5, 0.9, 1].map(smallestSafeClassSize)).toEqual([10, 5, 4, 4, 3, 2, 2, 1]);
    fc.assert(
      fc.property(fc.double({ min: 1e-6, max: 1, noNaN: true }), (r) => {
        const k = smallestSafeClassSize(r);
        expect(1 / k).toBeLessThanOrEqual(r);
        if (k > 1) expect(1 / (k - 1)).toBeGreaterThan(r);
      }),
    );
  });

  it('behaves like k-anonymity: per class, monotone with and without suppression', () => {
    const model = createModel({ type: 'highest-risk', maxRisk: 0.3 }, context);
    expect(model.minClassSize).toBe(4);
    expect([model.monotoneWithSuppression, model.monotoneWithoutSuppression]).toEqual([true, true]);
    expect(model.isReleaseValid).toBeUndefined();
    const classes = classesOfSizes([3, 4]);
    expect([model.isClassValid(classes, 0), model.isClassValid(classes, 1)]).toEqual([false, true]);
    expect(model.classMeasure(classes, 1)).toBe(0.25);
  });
});

describe('criteria over the whole release', () => {
  it('judge the classes the per-class models leave, then suppress further classes, smallest first, within the budget', () => {
    // 2-anonymity suppresses the two singletons; 2 classes over 14 records remain (average risk 1/7).
    const classes = classesOfSizes([1, 10, 1, 4]);
    const pass = decideNode(classes, setupOf([{ type: 'k-anonymity', k: 2 }, { type: 'average-risk', maxRisk: 1 / 7 }], 2));
    expect(Array.from(pass.suppressed)).toEqual([1, 0, 1, 0]);
    expect([pass.anonymous, pass.releaseSuppressedRecords]).toEqual([true, 0]);
    // 1/7 > 0.14: the class of 4 goes too (1 class over 10 records), which a budget of 6 allows and one of 5 does not.
    const enforced = decideNode(classes, setupOf([{ type: 'k-anonymity', k: 2 }, { type: 'average-risk', maxRisk: 0.14 }], 6));
    expect(Array.from(enforced.suppressed)).toEqual([1, 0, 1, 1]);
    expect([enforced.anonymous, enforced.suppressedRecords, enforced.releaseSuppressedRecords, enforced.releaseSuppressedClasses]).toEqual([true, 6, 4, 1]);
    const fail = decideNode(classes, setupOf([{ type: 'k-anonymity', k: 2 }, { type: 'average-risk', maxRisk: 0.14 }], 5));
    expect(fail.anonymous).toBe(false);
  });

  it('measure average risk, records at risk (strictly above the threshold) and population uniqueness', () => {
    const classes = classesOfSizes([1, 2, 5, 12]);
    const average = createModel({ type: 'average-risk', maxRisk: 0.2 }, context);
    expect(average.releaseMeasure!(classes.sizes)).toBe(4 / 20);
    expect(average.isReleaseValid!(classes.sizes)).toBe(true);
    const atRisk = createModel({ type: 'records-at-risk', maxShare: 0.15, threshold: 0.2 }, context);
    // Risks 1, 1/2 are above 0.2; 1/5 is not: 3 of 20 records.
    expect(atRisk.releaseMeasure!(classes.sizes)).toBe(3 / 20);
    expect(atRisk.isReleaseValid!(classes.sizes)).toBe(true);
    expect(atRisk.isReleaseValid!([1, 2, 5])).toBe(false);
    const unique = createModel({ type: 'population-uniqueness', maxUniqueness: 1, populationSize: 1000, model: 'zayatz' }, context);
    expect(unique.releaseMeasure!(classes.sizes)).toBe(populationUniqueness([1, 2, 5, 12], 1000, 'zayatz'));
    for (const model of [average, atRisk, unique]) {
      expect(model.minClassSize).toBe(1);
      expect(model.isClassValid(classes, 0)).toBe(true);
    }
  });

  it('treat an empty release as risk-free and a failed population estimate as a failure', () => {
    const average = createModel({ type: 'average-risk', maxRisk: 0.01 }, context);
    expect(average.isReleaseValid!([])).toBe(true);
    const pitman = createModel({ type: 'population-uniqueness', maxUniqueness: 1, populationSize: 1000, model: 'pitman' }, context);
    // Only singletons: the Pitman fit has no solution.
    expect(populationUniqueness([1, 1, 1, 1], 1000, 'pitman')).toBeUndefined();
    expect(pitman.isReleaseValid!([1, 1, 1, 1])).toBe(false);
    expect(pitman.releaseMeasure!([1, 1, 1, 1])).toBeNull();
  });
});

describe('monotonicity facts', () => {
  const release = (model: PrivacyModel, sizes: number[], suppressed: number[]) => model.releaseMeasure!(sizes.filter((_, c) => suppressed[c] === 0))!;

  it('average risk and records at risk fall when classes merge and nothing is suppressed', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 1, max: 6 }), { minLength: 2, maxLength: 8 }), fc.nat(), (sizes, pick) => {
        // Merge two classes: a generalization step.
        const i = pick % (sizes.length - 1);
        const merged = [...sizes.slice(0, i), sizes[i] + sizes[i + 1], ...sizes.slice(i + 2)];
        for (const spec of [{ type: 'average-risk', maxRisk: 1 }, { type: 'records-at-risk', maxShare: 1, threshold: 0.3 }] as ModelSpec[]) {
          const model = createModel(spec, context);
          expect(release(model, merged, merged.map(() => 0))).toBeLessThanOrEqual(release(model, sizes, sizes.map(() => 0)));
        }
      }),
    );
  });

  it('average risk is monotone with suppression: no merge of up to 4 classes needs more records suppressed', () => {
    // Every multiset of sizes from {1, 2, 3, 5, 10}, every partition of it (a generalization), k, budget and limit.
    const multisets = (length: number, from = 0): number[][] =>
      length === 0 ? [[]] : [1, 2, 3, 5, 10].slice(from).flatMap((size, i) => multisets(length - 1, from + i).map((rest) => [size, ...rest]));
    const partitions = (items: number[]): number[][] => {
      if (items.length === 0) return [[]];
      const [first, ...rest] = items;
      return partitions(rest).flatMap((parts) => [[first, ...parts], ...parts.map((_, i) => parts.map((part, j) => (i === j ? part + first : part)))]);
    };
    let checked = 0;
    for (let length = 1; length <= 4; length++) {
      for (const sizes of multisets(length)) {
        for (const k of [1, 2, 3]) {
          for (const maxRisk of [0.1, 0.2, 0.25, 1 / 3, 0.5]) {
            const specs: ModelSpec[] = [{ type: 'k-anonymity', k }, { type: 'average-risk', maxRisk }];
            for (let budget = 0; budget <= 6; budget++) {
              if (!decideNode(classesOfSizes(sizes), setupOf(specs, budget)).anonymous) continue;
              for (const merged of partitions(sizes)) {
                checked++;
                expect(decideNode(classesOfSizes(merged), setupOf(specs, budget)).anonymous).toBe(true);
              }
            }
          }
        }
      }
    }
    expect(checked).toBeGreaterThan(1000);
    const average = createModel({ type: 'average-risk', maxRisk: 1 }, context);
    expect([average.monotoneWithSuppression, average.monotoneWithoutSuppression]).toEqual([true, true]);
  });

  it('records at risk are not monotone with suppression: smallest first is not the cheapest cover', () => {
    // Risks above 0.4 (classes of 1 and 2) may hold 20 % of the records. {1, 1, 4}: one singleton suppressed leaves
    // 1 of 5; merged into {2, 4}: only suppressing the class of 2 helps, 2 records where the budget is 1.
    const specs: ModelSpec[] = [{ type: 'records-at-risk', maxShare: 0.2, threshold: 0.4 }];
    expect(decideNode(classesOfSizes([1, 1, 4]), setupOf(specs, 1)).anonymous).toBe(true);
    expect(decideNode(classesOfSizes([2, 4]), setupOf(specs, 1)).anonymous).toBe(false);
    const atRisk = createModel(specs[0], context);
    expect([atRisk.monotoneWithSuppression, atRisk.monotoneWithoutSuppression]).toEqual([false, true]);
  });

  it('population uniqueness can rise when classes merge, so it is never monotone', () => {
    expect(populationUniqueness([1, 6], 1000, 'zayatz')!).toBeGreaterThan(populationUniqueness([1, 3, 3], 1000, 'zayatz')!);
    const model = createModel({ type: 'population-uniqueness', maxUniqueness: 0.1, populationSize: 1000, model: 'zayatz' }, context);
    expect([model.monotoneWithSuppression, model.monotoneWithoutSuppression]).toEqual([false, false]);
  });

  it('anonymity is monotone only when every model is, for the budget at hand', () => {
    const models = (specs: ModelSpec[]) => specs.map((spec) => createModel(spec, context));
    const average: ModelSpec = { type: 'average-risk', maxRisk: 0.5 };
    const atRisk: ModelSpec = { type: 'records-at-risk', maxShare: 0.1, threshold: 0.2 };
    expect(anonymityIsMonotone(models([{ type: 'k-anonymity', k: 2 }, average]), 1)).toBe(true);
    expect(anonymityIsMonotone(models([{ type: 'k-anonymity', k: 2 }, atRisk]), 0)).toBe(true);
    expect(anonymityIsMonotone(models([{ type: 'k-anonymity', k: 2 }, atRisk]), 1)).toBe(false);
    expect(anonymityIsMonotone(models([{ type: 'highest-risk', maxRisk: 0.5 }]), 1)).toBe(true);
  });
});

/** Risk models whose parameters sometimes bind on small random tables. */
const arbitraryRiskModel: fc.Arbitrary<ModelSpec> = fc.oneof(
  fc.constantFrom(0.25, 0.5, 1).map((maxRisk) => ({ type: 'highest-risk', maxRisk }) as const),
  fc.constantFrom(0.1, 0.3, 0.6).map((maxRisk) => ({ type: 'average-risk', maxRisk }) as const),
  fc.tuple(fc.constantFrom(0, 0.1, 0.3), fc.constantFrom(0.2, 0.5)).map(([maxShare, threshold]) => ({ type: 'records-at-risk', maxShare, threshold }) as const),
  fc
    .tuple(fc.constantFrom(0.01, 0.05, 0.2), fc.constantFrom(100, 1000), fc.constantFrom('zayatz', 'pitman', 'snb', 'dankar' as const))
    .map(([maxUniqueness, populationSize, model]) => ({ type: 'population-uniqueness', maxUniqueness, populationSize, model }) as const),
);

interface Job {
  readonly dataset: RandomDataset;
  readonly k: number;
  readonly limit: number;
  readonly models: ModelSpec[];
}

const arbitraryJob: fc.Arbitrary<Job> = fc.record({
  dataset: arbitraryDataset(),
  k: fc.integer({ min: 1, max: 3 }),
  limit: fc.constantFrom(0, 0.1, 0.3, 1),
  models: fc.array(arbitraryRiskModel, { minLength: 1, maxLength: 2 }),
});

async function run(job: Job, strategy: 'optimal' | 'exhaustive') {
  const { dataset } = job;
  const names = [...dataset.qi, 's'];
  const table = encodeRows(names, dataset.rows.map((row) => [...dataset.qi.map((q) => row[q]), row.s]));
  const attributes: Record<string, AnonymizeOptions['attributes'][string]> = {};
  for (const name of dataset.qi) attributes[name] = { role: 'quasi-identifying', hierarchy: dataset.hierarchyRows[name] };
  const options: AnonymizeOptions = {
    attributes,
    models: [{ type: 'k-anonymity', k: Math.min(job.k, dataset.rows.length) }, ...job.models],
    suppressionLimit: job.limit,
    metric: 'loss',
    search: { strategy },
  };
  try {
    return { table, result: await anonymizeEncoded(table, options, { file: 'random' }) };
  } catch (error) {
    if (error instanceof CloakError && error.code === 'NO_SOLUTION') return { table, result: undefined };
    throw error;
  }
}

describe('search with risk models (random tables and hierarchies)', () => {
  it('finds the exhaustive optimum, and the output passes the independent risk checks', async () => {
    await fc.assert(
      fc.asyncProperty(arbitraryJob, async (job) => {
        const optimal = await run(job, 'optimal');
        const exhaustive = await run(job, 'exhaustive');
        expect(optimal.result === undefined).toBe(exhaustive.result === undefined);
        if (optimal.result === undefined || exhaustive.result === undefined) return;
        expect(optimal.result.report.metric.value).toBe(exhaustive.result.report.metric.value);
        expect(optimal.result.report.transformation).toEqual(exhaustive.result.report.transformation);
        const { output, suppressedRows } = optimal.result;
        const rows = Array.from({ length: output.rowCount }, (_, r) => decodeRow(output, r));
        const columns = Object.fromEntries(output.columns.map((column, c) => [column.name, rows.map((row) => row[c])]));
        for (const model of job.models) {
          if (model.type === 'k-anonymity') continue;
          const verdict = checkRisk({ rowCount: output.rowCount, columns }, { qi: job.dataset.qi, suppressedRows, model: model as Parameters<typeof checkRisk>[1]['model'] });
          expect(verdict.ok).toBe(true);
        }
      }),
      { seed: 5151, numRuns: RUNS * 2 },
    );
  });
});
