// Property tests: every kernel agrees with the textbook definition in naive.ts, and the monotonicity each model
// declares holds when two classes merge (the fact that lets the search prune without suppression).

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { grassbergerG } from '../../src/models/entropy-l-diversity.js';
import { createModel } from '../../src/models/index.js';
import type { PrivacyModel } from '../../src/models/privacy-model.js';
import type { ModelSpec } from '../../src/options.js';
import { classesOf, contextOf, hierarchyOf, type Histogram } from './fixtures.js';
import * as naive from './naive.js';

const attribute = 'diagnosis';
const RUNS = { numRuns: 300 };

interface Scenario {
  /** Class records per code; absent codes hold 0. */
  readonly classCounts: number[];
  /** Input records per code, at least the class's and at least 1. */
  readonly globalCounts: number[];
  /** Tree rows over the dictionary `v0, v1, …` for hierarchical distance. */
  readonly rows: string[][];
  /** Integer values for the dictionary, for ordered distance. */
  readonly numbers: number[];
}

const treeRows = (domain: number): fc.Arbitrary<string[][]> =>
  fc.integer({ min: 1, max: 3 }).chain((height) =>
    fc.array(fc.array(fc.nat(2), { minLength: domain, maxLength: domain }), { minLength: height, maxLength: height }).map((choices) =>
      Array.from({ length: domain }, (_, code) => {
        // A label's parent is chosen by the label itself (choice[label id]), so the tree is nested by construction.
        const row = [`v${code}`];
        let id = code;
        choices.forEach((choice, index) => {
          id = choice[id];
          row.push(`L${index + 1}:${id}`);
        });
        return row;
      }),
    ),
  );

const scenario: fc.Arbitrary<Scenario> = fc.integer({ min: 1, max: 7 }).chain((domain) =>
  fc
    .record({
      classCounts: fc.array(fc.nat(6), { minLength: domain, maxLength: domain }),
      extra: fc.array(fc.nat(4), { minLength: domain, maxLength: domain }),
      rows: treeRows(domain),
      numbers: fc.uniqueArray(fc.integer({ min: -50, max: 200 }), { minLength: domain, maxLength: domain }),
    })
    .filter(({ classCounts }) => classCounts.some((count) => count > 0))
    .map(({ classCounts, extra, rows, numbers }) => ({
      classCounts,
      globalCounts: classCounts.map((count, code) => Math.max(1, count + extra[code])),
      rows,
      numbers,
    })),
);

function histogramOf(counts: readonly number[]): Histogram {
  return counts.flatMap((count, code) => (count > 0 ? [[code, count] as const] : []));
}

function modelFor(spec: ModelSpec, s: Scenario): PrivacyModel {
  const dictionary = s.globalCounts.map((_, code) => `v${code}`);
  const context =
    spec.type === 't-closeness' && spec.distance === 'ordered'
      ? contextOf(s.globalCounts, { type: 'integer', dictionary: s.numbers.map(String) })
      : contextOf(s.globalCounts, { dictionary, hierarchy: hierarchyOf(dictionary, s.rows) });
  return createModel(spec, context);
}

/** The naive measure of `spec` on a scenario's class. */
function naiveMeasure(spec: ModelSpec, s: Scenario): number {
  const d = naive.distributions(s.globalCounts, s.classCounts);
  switch (spec.type) {
    case 'k-anonymity':
      return s.classCounts.reduce((a, b) => a + b, 0);
    case 'distinct-l-diversity':
      return naive.distinctCount(d);
    case 'entropy-l-diversity': {
      const entropy = spec.estimator === 'grassberger' ? naive.grassbergerEntropy(d) : naive.shannonEntropy(d);
      return Math.min(Math.exp(entropy), naive.distinctCount(d));
    }
    case 'recursive-cl-diversity':
      return naive.recursiveRatio(d, spec.l);
    case 't-closeness':
      if (spec.distance === 'equal') return naive.equalDistance(d);
      if (spec.distance === 'ordered') {
        const order = s.numbers.map((_, code) => code).sort((a, b) => s.numbers[a] - s.numbers[b]);
        return naive.orderedDistance(d, order);
      }
      return naive.hierarchicalDistance(d, s.globalCounts.map((_, code) => `v${code}`), s.rows);
    case 'delta-disclosure':
      return naive.maxLogRatio(d);
    case 'beta-likeness': {
      const gains = naive.relativeGains(d);
      if (spec.enhanced === true && gains.some(({ gain, p }) => gain > -Math.log(p))) return Infinity;
      return Math.max(...gains.map(({ gain }) => gain));
    }
  }
}

/** The naive verdict, or undefined when the measure is too close to the threshold for floating point to decide. */
function naiveVerdict(spec: ModelSpec, s: Scenario): boolean | undefined {
  const measure = naiveMeasure(spec, s);
  const d = naive.distributions(s.globalCounts, s.classCounts);
  const near = (a: number, b: number): boolean => Math.abs(a - b) < 1e-9;
  switch (spec.type) {
    case 'k-anonymity':
      return measure >= spec.k;
    case 'distinct-l-diversity':
      return measure >= spec.l;
    case 'entropy-l-diversity': {
      const entropy = spec.estimator === 'grassberger' ? naive.grassbergerEntropy(d) : naive.shannonEntropy(d);
      if (near(entropy, Math.log(spec.l))) return undefined;
      return naive.distinctCount(d) >= Math.ceil(spec.l) && entropy >= Math.log(spec.l);
    }
    case 'recursive-cl-diversity':
      return near(measure, spec.c) ? undefined : measure < spec.c;
    case 't-closeness':
      return near(measure, spec.t) ? undefined : measure <= spec.t;
    case 'delta-disclosure':
      return near(measure, spec.delta) ? undefined : measure < spec.delta;
    case 'beta-likeness': {
      const gains = naive.relativeGains(d);
      const bound = (p: number): number => (spec.enhanced === true ? Math.min(spec.beta, -Math.log(p)) : spec.beta);
      if (gains.some(({ gain, p }) => near(gain, bound(p)))) return undefined;
      return gains.every(({ gain, p }) => gain <= bound(p));
    }
  }
}

const specs: fc.Arbitrary<ModelSpec> = fc.oneof(
  fc.record({ type: fc.constant('distinct-l-diversity' as const), attribute: fc.constant(attribute), l: fc.integer({ min: 1, max: 5 }) }),
  fc.record({
    type: fc.constant('entropy-l-diversity' as const),
    attribute: fc.constant(attribute),
    l: fc.double({ min: 1, max: 6, noNaN: true }),
    estimator: fc.constantFrom('shannon' as const, 'grassberger' as const),
  }),
  fc.record({
    type: fc.constant('recursive-cl-diversity' as const),
    attribute: fc.constant(attribute),
    c: fc.double({ min: 0.1, max: 6, noNaN: true }),
    l: fc.integer({ min: 1, max: 5 }),
  }),
  fc.record({
    type: fc.constant('t-closeness' as const),
    attribute: fc.constant(attribute),
    t: fc.double({ min: 0, max: 1, noNaN: true }),
    distance: fc.constantFrom('equal' as const, 'ordered' as const, 'hierarchical' as const),
  }),
  fc.record({ type: fc.constant('delta-disclosure' as const), attribute: fc.constant(attribute), delta: fc.double({ min: 0.01, max: 4, noNaN: true }) }),
  fc.record({
    type: fc.constant('beta-likeness' as const),
    attribute: fc.constant(attribute),
    beta: fc.double({ min: 0.01, max: 8, noNaN: true }),
    enhanced: fc.boolean(),
  }),
);

describe('kernels agree with the definitions', () => {
  it('isClassValid and classMeasure match the naive computation', () => {
    fc.assert(
      fc.property(specs, scenario, (spec, s) => {
        const model = modelFor(spec, s);
        const classes = classesOf([histogramOf(s.classCounts)]);
        const expected = naiveMeasure(spec, s);
        const measure = model.classMeasure(classes, 0);
        if (Number.isFinite(expected)) expect(measure).toBeCloseTo(expected, 9);
        else expect(measure).toBe(expected);
        const verdict = naiveVerdict(spec, s);
        if (verdict !== undefined) expect(model.isClassValid(classes, 0)).toBe(verdict);
      }),
      { numRuns: 3000 },
    );
  });

  it('the Grassberger table matches the digamma form of G_n, also past the table', () => {
    for (const n of [1, 2, 3, 4, 5, 10, 99, 100, 101, 1023, 1024, 1025, 5000, 123457]) {
      expect(grassbergerG(n)).toBeCloseTo(naive.grassbergerFromDigamma(n), 11);
    }
  });

  it('ordered distance on wide domains (the run-wise closed form) matches the naive sum', () => {
    const wide = fc.integer({ min: 30, max: 120 }).chain((domain) =>
      fc.record({
        global: fc.array(fc.integer({ min: 1, max: 9 }), { minLength: domain, maxLength: domain }),
        present: fc.uniqueArray(fc.nat(domain - 1), { minLength: 1, maxLength: 8 }),
        share: fc.array(fc.integer({ min: 1, max: 9 }), { minLength: 8, maxLength: 8 }),
      }),
    );
    fc.assert(
      fc.property(wide, ({ global, present, share }) => {
        const classCounts = global.map(() => 0);
        present.forEach((code, i) => {
          classCounts[code] = Math.min(global[code], share[i]);
        });
        const model = createModel({ type: 't-closeness', attribute, t: 1, distance: 'ordered' }, contextOf(global));
        const order = global.map((_, code) => code).sort((a, b) => (`v${a}` < `v${b}` ? -1 : 1));
        const expected = naive.orderedDistance(naive.distributions(global, classCounts), order);
        expect(model.classMeasure(classesOf([histogramOf(classCounts)]), 0)).toBeCloseTo(expected, 10);
      }),
      RUNS,
    );
  });
});

interface MergeScenario {
  readonly a: number[];
  readonly b: number[];
  readonly base: Scenario;
}

const mergeScenario: fc.Arbitrary<MergeScenario> = scenario.chain((base) =>
  fc
    .array(fc.nat(6), { minLength: base.classCounts.length, maxLength: base.classCounts.length })
    .filter((b) => b.some((count) => count > 0))
    .map((b) => ({
      a: base.classCounts,
      b,
      base: { ...base, globalCounts: base.globalCounts.map((g, code) => g + b[code]) },
    })),
);

/** Specs for every model that declares itself monotone without suppression. */
const monotoneSpecs: fc.Arbitrary<ModelSpec> = specs.filter(
  (spec) => spec.type !== 'delta-disclosure' && !(spec.type === 'entropy-l-diversity' && spec.estimator === 'grassberger'),
);

describe('declared monotonicity holds when two classes merge', () => {
  it('a merge of two passing classes passes', () => {
    fc.assert(
      fc.property(monotoneSpecs, mergeScenario, (spec, { a, b, base }) => {
        const model = modelFor(spec, base);
        expect(model.monotoneWithoutSuppression).toBe(true);
        const merged = a.map((count, code) => count + b[code]);
        const classes = classesOf([histogramOf(a), histogramOf(b), histogramOf(merged)]);
        if (model.isClassValid(classes, 0) && model.isClassValid(classes, 1)) {
          expect(model.isClassValid(classes, 2)).toBe(true);
        }
        // The same fact for every threshold at once: the merged measure is no worse than the worse part.
        const [measureA, measureB, measureMerged] = [0, 1, 2].map((c) => model.classMeasure(classes, c));
        if (model.worst === 'max') expect(measureMerged).toBeLessThanOrEqual(Math.max(measureA, measureB) + 1e-12);
        else expect(measureMerged).toBeGreaterThanOrEqual(Math.min(measureA, measureB) - 1e-12);
      }),
      { numRuns: 3000 },
    );
  });

  it('declares exactly distinct l-diversity (and k-anonymity) monotone with suppression', () => {
    const s: Scenario = { classCounts: [1], globalCounts: [1], rows: [['v0', '*']], numbers: [1] };
    const withSuppression = (spec: ModelSpec): boolean => modelFor(spec, s).monotoneWithSuppression;
    expect(withSuppression({ type: 'k-anonymity', k: 2 })).toBe(true);
    expect(withSuppression({ type: 'distinct-l-diversity', attribute, l: 2 })).toBe(true);
    expect(withSuppression({ type: 'entropy-l-diversity', attribute, l: 2 })).toBe(false);
    expect(withSuppression({ type: 'recursive-cl-diversity', attribute, c: 2, l: 2 })).toBe(false);
    expect(withSuppression({ type: 't-closeness', attribute, t: 0.2, distance: 'equal' })).toBe(false);
    expect(withSuppression({ type: 'beta-likeness', attribute, beta: 1 })).toBe(false);
    expect(withSuppression({ type: 'delta-disclosure', attribute, delta: 1 })).toBe(false);
    expect(modelFor({ type: 'delta-disclosure', attribute, delta: 1 }, s).monotoneWithoutSuppression).toBe(false);
  });
});

/** Every sub-histogram of `counts` when there are at most `limit`, else `limit` random ones (seeded by the counts). */
function subHistograms(counts: readonly number[], limit: number): number[][] {
  const total = counts.reduce((product, count) => product * (count + 1), 1);
  if (total <= limit) {
    const all: number[][] = [];
    for (let index = 0; index < total; index++) {
      let rest = index;
      all.push(counts.map((count) => {
        const part = rest % (count + 1);
        rest = Math.floor(rest / (count + 1));
        return part;
      }));
    }
    return all;
  }
  let state = counts.reduce((hash, count) => hash * 31 + count + 1, 7) | 1;
  const next = (bound: number): number => {
    state = (state * 1103515245 + 12345) & 0x7fffffff;
    return state % (bound + 1);
  };
  return Array.from({ length: limit }, () => counts.map((count) => next(count)));
}

describe('suppressedBelow: what a failing class surely loses at every specialization', () => {
  it('is at most what the class loses when any passing part of it is released (exhaustively on small classes)', () => {
    fc.assert(
      fc.property(specs, scenario, (spec, s) => {
        const model = modelFor(spec, s);
        const size = s.classCounts.reduce((a, b) => a + b, 0);
        const classes = classesOf([histogramOf(s.classCounts)]);
        if (model.isClassValid(classes, 0)) return;
        const claimed = model.suppressedBelow?.(classes, 0) ?? 0;
        expect(Number.isInteger(claimed) && claimed >= 0 && claimed <= size).toBe(true);
        // The released part below is a union of passing classes, which passes as one (merges keep passing):
        // every part that passes, as one class, bounds what must go.
        for (const part of subHistograms(s.classCounts, 3000)) {
          const partSize = part.reduce((a, b) => a + b, 0);
          if (partSize === 0) continue;
          if (model.isClassValid(classesOf([histogramOf(part)]), 0)) expect(claimed, `part ${JSON.stringify(part)} passes`).toBeLessThanOrEqual(size - partSize);
        }
      }),
      { numRuns: 3000 },
    );
  });

  it('is at most f for a class holding the input distribution m times plus f records of one value (tight at t = 0)', () => {
    const tight = fc.record({
      spec: fc.oneof(specs, fc.record({ type: fc.constant('t-closeness' as const), attribute: fc.constant(attribute), t: fc.constant(0), distance: fc.constantFrom('equal' as const, 'ordered' as const, 'hierarchical' as const) })),
      copies: fc.integer({ min: 1, max: 4 }),
      extra: fc.integer({ min: 1, max: 40 }),
      value: fc.nat(),
    });
    fc.assert(
      fc.property(tight, scenario, ({ spec, copies, extra, value }, s) => {
        const model = modelFor(spec, s);
        const part = s.globalCounts.map((count) => count * copies);
        if (!model.isClassValid(classesOf([histogramOf(part)]), 0)) return;
        const whole = part.map((count, code) => count + (code === value % part.length ? extra : 0));
        const classes = classesOf([histogramOf(whole)]);
        if (model.isClassValid(classes, 0)) return;
        expect(model.suppressedBelow?.(classes, 0) ?? 0).toBeLessThanOrEqual(extra);
      }),
      { numRuns: 3000 },
    );
  });
});
