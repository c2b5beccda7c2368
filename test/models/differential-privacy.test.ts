// (ε, δ)-differential privacy by SafePub: the derivation of k and β (published vectors, a plain re-derivation, safe
// rounding), the sampling and the exponential mechanism (frequencies within statistical bounds), the search, the
// release (every class ≥ k, reproducible only when seeded) and the refusals.

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { anonymizeEncoded } from '../../src/anonymize.js';
import { CloakError } from '../../src/errors.js';
import { safePubSearch } from '../../src/lattice/safepub.js';
import { drawCandidate, mechanismEpsilon } from '../../src/models/dp/exponential-mechanism.js';
import { add, div, exp, log, mul, nextDown, nextUp, point, sub } from '../../src/models/dp/interval.js';
import { dpParameters, epsilonAnon } from '../../src/models/dp/parameters.js';
import { bernoulliAtMost, cryptoRandom, seededRandom, uniformBelow } from '../../src/models/dp/random.js';
import { dpScore } from '../../src/models/dp/scores.js';
import { validateModelSpecs } from '../../src/models/index.js';
import type { AnonymizeOptions, ModelSpec } from '../../src/options.js';
import { decodeRow, encodeRows, type EncodedTable } from '../../src/table/encoded-table.js';
import { checkDifferentialPrivacy } from '../../src/testing/index.js';
import { arbitraryDataset } from '../groupify/random-data.js';

const RUNS = Number(process.env.CLOAK_FC_RUNS ?? 40);

/**
 * The derivation in plain doubles, straight from its definition (no interval, no truncation, log-gamma by sums):
 * an independent reading of the formula the tests compare the safe one with.
 */
function plainK(epsilon: number, delta: number): number {
  const beta = 1 - Math.exp(-epsilon);
  const gamma = (Math.exp(epsilon) - 1 + beta) / Math.exp(epsilon);
  const logFactorial = [0];
  const lnFact = (n: number) => {
    while (logFactorial.length <= n) logFactorial.push(logFactorial[logFactorial.length - 1] + Math.log(logFactorial.length));
    return logFactorial[n];
  };
  const a = (n: number) => {
    let sum = 0;
    for (let j = Math.floor(gamma * n) + 1; j <= n; j++) sum += Math.exp(lnFact(n) - lnFact(j) - lnFact(n - j) + j * Math.log(beta) + (n - j) * Math.log(1 - beta));
    return sum;
  };
  const c = (n: number) => Math.exp(-n * (gamma * Math.log(gamma / beta) - (gamma - beta)));
  for (let k = 1; ; k++) {
    let d = -Infinity;
    for (let n = Math.ceil(k / gamma - 1); ; n++) {
      d = Math.max(d, a(n));
      if (c(n) < d) break;
    }
    if (d < delta) return k + 1;
  }
}

describe('k and β for (ε_anon, δ)', () => {
  it('are the published test vectors: (1, 1e-5) → 62, (2, 1e-5) → 114, (0.5, 1e-6) → 64, (1, 1e-6) → 75, (3, 1e-4) → 182', () => {
    const cases: [number, number, number][] = [
      [1, 1e-5, 62],
      [2, 1e-5, 114],
      [0.5, 1e-6, 64],
      [1, 1e-6, 75],
      [3, 1e-4, 182],
    ];
    for (const [epsilon, delta, k] of cases) {
      const derived = dpParameters(epsilon, delta);
      expect(derived.k).toBe(k);
      // β is the lower end of 1 − e^(−ε): at most the exact value, within a few ulps of it.
      expect(derived.beta).toBeLessThanOrEqual(1 - Math.exp(-epsilon));
      expect(derived.beta).toBeGreaterThan(1 - Math.exp(-epsilon) - 1e-15);
    }
  });

  it('agree with a plain re-derivation from the definition on a grid of cases', () => {
    for (const epsilon of [0.25, 0.5, 1, 1.5, 2]) {
      for (const delta of [1e-2, 1e-3, 1e-4]) expect(dpParameters(epsilon, delta).k, `ε ${epsilon}, δ ${delta}`).toBe(plainK(epsilon, delta));
    }
  });

  it('grow as ε_anon or δ shrink', () => {
    expect(dpParameters(0.5, 1e-5).k).toBeGreaterThan(dpParameters(1, 1e-5).k - 100);
    expect(dpParameters(1, 1e-6).k).toBeGreaterThan(dpParameters(1, 1e-5).k);
    expect(dpParameters(2, 1e-5).k).toBeGreaterThan(dpParameters(1, 1e-5).k);
  });

  it('take ε_anon as ε with fixed levels and as ε − the search budget otherwise (default 0.1)', () => {
    expect(epsilonAnon({ type: 'differential-privacy', epsilon: 2, delta: 1e-5, levels: {} })).toBe(2);
    expect(epsilonAnon({ type: 'differential-privacy', epsilon: 2, delta: 1e-5 })).toBe(1.9);
    expect(epsilonAnon({ type: 'differential-privacy', epsilon: 2, delta: 1e-5, searchBudget: 0.5 })).toBe(1.5);
  });
});

describe('interval arithmetic', () => {
  /** A double as an exact rational: mantissa · 2^exponent with BigInts. */
  function exact(x: number): { n: bigint; d: bigint } {
    if (x === 0) return { n: 0n, d: 1n };
    let exponent = 0;
    let m = x;
    while (!Number.isInteger(m)) {
      m *= 2;
      exponent++;
    }
    return { n: BigInt(m), d: 2n ** BigInt(exponent) };
  }
  const lessOrEqual = (a: { n: bigint; d: bigint }, b: { n: bigint; d: bigint }) => a.n * b.d <= b.n * a.d;
  const finite = fc.double({ min: -1e6, max: 1e6, noNaN: true }).filter((x) => Math.abs(x) > 1e-6 || x === 0);

  it('encloses the exact sum, difference, product and quotient of two doubles', () => {
    fc.assert(
      fc.property(finite, finite, (x, y) => {
        const X = exact(x);
        const Y = exact(y);
        const check = (interval: { lo: number; hi: number }, value: { n: bigint; d: bigint }) => {
          expect(lessOrEqual(exact(interval.lo), value)).toBe(true);
          expect(lessOrEqual(value, exact(interval.hi))).toBe(true);
        };
        check(add(point(x), point(y)), { n: X.n * Y.d + Y.n * X.d, d: X.d * Y.d });
        check(sub(point(x), point(y)), { n: X.n * Y.d - Y.n * X.d, d: X.d * Y.d });
        check(mul(point(x), point(y)), { n: X.n * Y.n, d: X.d * Y.d });
        if (y !== 0) {
          const q = { n: X.n * Y.d, d: X.d * Y.n };
          check(div(point(x), point(y)), q.d < 0n ? { n: -q.n, d: -q.d } : q);
        }
      }),
      { numRuns: 2000 },
    );
  });

  it('steps one double at a time and keeps exp and log inside their widened ends', () => {
    expect(nextUp(1)).toBe(1 + Number.EPSILON);
    expect(nextDown(1)).toBe(1 - Number.EPSILON / 2);
    expect(nextUp(0)).toBe(Number.MIN_VALUE);
    expect(nextDown(-1)).toBe(-1 - Number.EPSILON);
    const e = exp(point(1));
    expect(e.lo).toBeLessThan(Math.E);
    expect(e.hi).toBeGreaterThan(Math.E);
    expect(exp(point(-1000)).lo).toBe(0);
    expect(log(point(Math.E)).lo).toBeLessThan(1);
    expect(() => log(point(0))).toThrow(RangeError);
    expect(() => div(point(1), { lo: -1, hi: 1 })).toThrow(RangeError);
  });
});

describe('randomness', () => {
  it('keeps each record with probability at most β, its frequency within five standard errors', () => {
    const draws = 200_000;
    for (const beta of [0.05, 0.3934693402873666, 0.95]) {
      const keep = bernoulliAtMost(seededRandom(7), beta);
      let kept = 0;
      for (let i = 0; i < draws; i++) if (keep()) kept++;
      const sd = Math.sqrt(draws * beta * (1 - beta));
      expect(Math.abs(kept - draws * beta)).toBeLessThan(5 * sd);
    }
    // The threshold is rounded down: a probability below 2⁻⁵³ keeps nothing.
    const never = bernoulliAtMost(seededRandom(1), 2 ** -60);
    for (let i = 0; i < 1000; i++) expect(never()).toBe(false);
  });

  it('draws uniform integers below any bound by rejection', () => {
    const random = seededRandom(3);
    const counts = [0, 0, 0];
    for (let i = 0; i < 30_000; i++) counts[Number(uniformBelow(random, 3n))]++;
    for (const count of counts) expect(Math.abs(count - 10_000)).toBeLessThan(5 * Math.sqrt(30_000 * (1 / 3) * (2 / 3)));
    expect(uniformBelow(random, 1n)).toBe(0n);
    const huge = 2n ** 200n + 12345n;
    expect(uniformBelow(random, huge) < huge).toBe(true);
  });

  it('repeats a seeded stream, and a cryptographic one does not repeat', () => {
    const a = seededRandom(42);
    const b = seededRandom(42);
    const c = seededRandom(43);
    const words = (source: { nextUint32(): number }) => Array.from({ length: 8 }, () => source.nextUint32());
    const first = words(a);
    expect(words(b)).toEqual(first);
    expect(words(c)).not.toEqual(first);
    expect(words(cryptoRandom())).not.toEqual(words(cryptoRandom()));
    expect(a.seeded).toBe(true);
    expect(cryptoRandom().seeded).toBe(false);
  });
});

describe('the exponential mechanism', () => {
  it('chooses with frequencies within five standard errors of exp(ε·score/2) over their sum', () => {
    const scores = Float64Array.of(0, -0.5, -1, -2, -4);
    const epsilon = 2;
    const used = mechanismEpsilon(epsilon, scores);
    // The safety margin costs almost nothing at these magnitudes.
    expect(used).toBeLessThan(epsilon);
    expect(used).toBeGreaterThan(epsilon * (1 - 1e-9));
    const weights = Array.from(scores, (score) => Math.exp((epsilon * score) / 2));
    const total = weights.reduce((sum, weight) => sum + weight, 0);
    const random = seededRandom(11);
    const draws = 100_000;
    const counts = new Array<number>(scores.length).fill(0);
    for (let i = 0; i < draws; i++) counts[drawCandidate(scores, epsilon, random)]++;
    weights.forEach((weight, i) => {
      const p = weight / total;
      expect(Math.abs(counts[i] - draws * p), `candidate ${i}`).toBeLessThan(5 * Math.sqrt(draws * p * (1 - p)) + 1);
    });
  });

  it('keeps far worse candidates possible (no weight rounds to zero within 2^1100) and handles one candidate', () => {
    expect(drawCandidate(Float64Array.of(5), 1, seededRandom(1))).toBe(0);
    // Weight ratio e^(−700): below the smallest normal double's reach after a sum, kept exactly as integers.
    const scores = Float64Array.of(0, -1400);
    const random = seededRandom(5);
    for (let i = 0; i < 100; i++) expect(drawCandidate(scores, 1, random)).toBe(0);
    expect(() => drawCandidate(new Float64Array(0), 1, random)).toThrow(RangeError);
  });
});

describe('SafePub’s search', () => {
  it('starts at the top and moves to predecessors; with a large ε it walks to the best node and releases it', () => {
    // Two attributes of height 2: the score prefers low levels, most of all (0, 0).
    const score = (levels: Int32Array) => 0 - (levels[0] * 3 + levels[1] * 2);
    const result = safePubSearch({ maxLevels: [2, 2], score }, 10, 1000, 1000, seededRandom(1));
    expect(Array.from(result.optimum)).toEqual([0, 0]);
    expect(result.score).toBe(0);
    // It goes on after reaching (0, 0), drawing among the candidates left, as ARX's does: all 10 steps are taken.
    expect(result.steps).toBe(10);
    // No steps: the top alone.
    const none = safePubSearch({ maxLevels: [2, 2], score }, 0, 1000, 1000, seededRandom(1));
    expect(Array.from(none.optimum)).toEqual([2, 2]);
    expect(none.nodesChecked).toBe(1);
  });

  it('picks its first pivot on a small lattice with frequencies within five standard errors of exp(ε·score/2)', () => {
    // Three attributes of height 1: the top's predecessors score 0, −1 and −2 (the top −1000, so the optimum after
    // one step is the pivot drawn). The scores are already divided by their sensitivity (Δ = 1).
    const scoreOf = new Map([['0,1,1', 0], ['1,0,1', -1], ['1,1,0', -2]]);
    const score = (levels: Int32Array) => scoreOf.get(Array.from(levels).join(',')) ?? -1000;
    const epsilon = 2;
    const random = seededRandom(17);
    const runs = 20_000;
    const counts = new Map<string, number>();
    for (let i = 0; i < runs; i++) {
      const key = Array.from(safePubSearch({ maxLevels: [1, 1, 1], score }, 1, epsilon, epsilon, random).optimum).join(',');
      counts.set(key, (counts.get(key) ?? 0) + 1);
    }
    const total = [...scoreOf.values()].reduce((sum, value) => sum + Math.exp((epsilon * value) / 2), 0);
    for (const [key, value] of scoreOf) {
      const p = Math.exp((epsilon * value) / 2) / total;
      expect(Math.abs((counts.get(key) ?? 0) - runs * p), key).toBeLessThan(5 * Math.sqrt(runs * p * (1 - p)));
    }
  });

  it('releases a pivot drawn by the mechanism, not the best one by its exact score (which no mechanism covers)', () => {
    // One attribute of height 1: the only step moves from the top (score 0) to the bottom (score 1). ARX would always
    // release the bottom; the final draw releases the top with probability 1 / (1 + e^(ε/2)).
    const score = (levels: Int32Array) => (levels[0] === 0 ? 1 : 0);
    const epsilon = 2;
    const random = seededRandom(23);
    const runs = 20_000;
    let top = 0;
    for (let i = 0; i < runs; i++) {
      const result = safePubSearch({ maxLevels: [1], score }, 1, epsilon, epsilon, random);
      expect(result.draws).toBe(2);
      if (result.optimum[0] === 1) top++;
    }
    const p = 1 / (1 + Math.exp(epsilon / 2));
    expect(Math.abs(top - runs * p)).toBeLessThan(5 * Math.sqrt(runs * p * (1 - p)));
  });

  it('draws each pivot among all candidates gathered so far, not only the last pivot’s predecessors', () => {
    // ε = 0: uniform draws. From the top (1, 1) the candidates are (0, 1) and (1, 0); then each pivot adds (0, 0).
    const seen = new Set<string>();
    for (let seed = 0; seed < 50; seed++) {
      const result = safePubSearch({ maxLevels: [1, 1], score: () => 0 }, 2, 0, 0, seededRandom(seed));
      expect(result.steps).toBe(2);
      seen.add(`${result.nodesChecked}`);
    }
    expect([...seen].every((checked) => checked === '4')).toBe(true);
  });

  it('walks lattices of any size (40 attributes, 5^40 nodes) and stops taking steps at its time limit', () => {
    const score = (levels: Int32Array) => -levels.reduce((sum, level) => sum + level, 0);
    const huge = safePubSearch({ maxLevels: Array.from({ length: 40 }, () => 4), score }, 5, 1000, 1000, seededRandom(3));
    expect(huge.steps).toBe(5);
    expect(huge.latticeSize / 5 ** 40).toBeCloseTo(1, 12);
    expect(huge.optimum.reduce((sum, level) => sum + level, 0)).toBe(160 - 5);
    expect(huge.stoppedByTimeLimit).toBe(false);
    // A clock that advances a millisecond per reading: a limit of 3 ms leaves time for the first two steps only.
    let clock = 0;
    const stopped = safePubSearch({ maxLevels: [2, 2], score }, 10, 1000, 1000, seededRandom(1), { timeLimitMs: 3, now: () => clock++ });
    expect(stopped.stoppedByTimeLimit).toBe(true);
    expect(stopped.steps).toBe(2);
  });
});

describe('scores', () => {
  it('count the records the sampling dropped as suppressed, divided by the sensitivity', () => {
    // One attribute of height 1 (a, b → *), at level 0: classes {a: 3, b: 1}, the 1 suppressed (k = 2); n = 6.
    const hierarchy = {
      attribute: 'x',
      maxLevel: 1,
      fileRowCount: 2,
      labels: [['a', 'b'], ['*']],
      dataToLevel: [Int32Array.of(0, 1), Int32Array.of(0, 0)],
      fileRowsPerLabel: [Int32Array.of(1, 1), Int32Array.of(2)],
      levelMap: () => Int32Array.of(0, 0),
    };
    const classes = { count: 2, width: 1, levels: Int32Array.of(0), keys: Int32Array.of(0, 1), sizes: Int32Array.of(3, 1), sensitive: [] };
    const suppressed = Uint8Array.of(0, 1);
    const context = { rowCount: 6, k: 2, hierarchies: [hierarchy] };
    // Loss: −(d·(n − released) + Σ |E|·share) / (d(k − 1)) = −(3 + 3·½) / 1.
    expect(dpScore('loss', classes, suppressed, context)).toBe(-4.5);
    // Discernibility: −(n·dropped + Σ |E|²) / (n(k²/(k − 1) + 1)) = −(18 + 9) / (6·5).
    expect(dpScore('discernibility', classes, suppressed, context)).toBeCloseTo(-27 / 30, 15);
    // AECS: released classes + 1 for the suppressed ones.
    expect(dpScore('aecs', classes, suppressed, context)).toBe(2);
    // Precision: −(released·0 + dropped) / (d(k − 1)).
    expect(dpScore('precision', classes, suppressed, context)).toBe(-3);
    // Entropy: −(n·(n − kept) + Σ f²) / (n·d) / 5 = −(18 + 9) / 6 / 5.
    expect(dpScore('entropy', classes, suppressed, context)).toBeCloseTo(-27 / 30, 15);
  });
});

function table(rows: number, seed: number): EncodedTable {
  let state = seed;
  const next = () => (state = (Math.imul(state, 1103515245) + 12345) >>> 0);
  return encodeRows(
    ['a', 'b', 's'],
    Array.from({ length: rows }, () => [String(next() % 5), String(next() % 3), String(next() % 2)]),
  );
}

const HIERARCHIES = {
  a: ['0', '1', '2', '3', '4'].map((v) => [v, Number(v) < 2 ? 'low' : 'high', '*']),
  b: ['0', '1', '2'].map((v) => [v, '*']),
};

function options(model: Partial<Extract<ModelSpec, { type: 'differential-privacy' }>>, extra: Partial<AnonymizeOptions> = {}): AnonymizeOptions {
  return {
    attributes: { a: { role: 'quasi-identifying', hierarchy: HIERARCHIES.a }, b: { role: 'quasi-identifying', hierarchy: HIERARCHIES.b } },
    models: [{ type: 'differential-privacy', epsilon: 2, delta: 0.01, ...model }],
    ...extra,
  };
}

function released(output: EncodedTable, suppressedRows: Uint8Array): Map<string, number> {
  const sizes = new Map<string, number>();
  for (let r = 0; r < output.rowCount; r++) {
    if (suppressedRows[r] === 1) continue;
    const key = decodeRow(output, r).slice(0, 2).join('|');
    sizes.set(key, (sizes.get(key) ?? 0) + 1);
  }
  return sizes;
}

describe('a differentially private release', () => {
  it('keeps every row and its order, suppresses the records not sampled, and releases only classes of at least k', async () => {
    const input = table(2000, 1);
    const { output, report, suppressedRows } = await anonymizeEncoded(input, options({ seed: 9 }), { file: 'synthetic' });
    const dp = report.differentialPrivacy!;
    expect(dp).toMatchObject({ epsilon: 2, delta: 0.01, epsilonAnon: 1.9, searchBudget: 0.1, transformation: 'search', seed: 9 });
    expect(dp.k).toBe(dpParameters(1.9, 0.01).k);
    // The steps and the final choice among the pivots share the search budget, never more.
    expect(dp.epsilonFinalChoice).toBeGreaterThan(0);
    expect(dp.steps! * dp.epsilonPerStep! + dp.epsilonFinalChoice!).toBeLessThanOrEqual(dp.searchBudget);
    expect(dp.note).toMatch(/testing only/);
    expect(output.rowCount).toBe(2000);
    for (let r = 0; r < 2000; r++) expect(decodeRow(output, r)[2]).toBe(decodeRow(input, r)[2]);
    // The sampling dropped about (1 − β)·n records, within five standard errors.
    const sd = Math.sqrt(2000 * dp.beta * (1 - dp.beta));
    expect(Math.abs(dp.sampledOut - 2000 * (1 - dp.beta))).toBeLessThan(5 * sd);
    expect(report.suppressed).toBeGreaterThanOrEqual(dp.sampledOut);
    for (const size of released(output, suppressedRows).values()) expect(size).toBeGreaterThanOrEqual(dp.k);
    expect(report.minClassSize === 0 || report.minClassSize >= dp.k).toBe(true);
    expect(report.suppressionBudget).toBe(report.rows);
  });

  it('is reproducible with a seed, and differs between unseeded runs', async () => {
    const input = table(3000, 2);
    const run = async (seed?: number) => {
      const { output, report } = await anonymizeEncoded(input, options(seed === undefined ? {} : { seed }), { file: 'synthetic' });
      return { rows: Array.from({ length: output.rowCount }, (_, r) => decodeRow(output, r).join(',')), transformation: report.transformation, sampledOut: report.differentialPrivacy!.sampledOut };
    };
    expect(await run(5)).toEqual(await run(5));
    const first = await run();
    const second = await run();
    // 3,000 independent draws: identical samples have probability below 2^−2000.
    expect(second.rows).not.toEqual(first.rows);
    expect((await anonymizeEncoded(input, options({}), { file: 'synthetic' })).report.differentialPrivacy!.seed).toBeUndefined();
  });

  it('releases nothing when the time limit cuts the walk: its number of steps would depend on the data', async () => {
    // A nanosecond: grouping the top node alone takes longer, so the walk is cut before its first step.
    const cut = await anonymizeEncoded(table(500, 3), options({ seed: 1 }, { search: { timeLimitMs: 1e-6 } }), { file: 'synthetic' }).catch((error: unknown) => error);
    expect(cut).toBeInstanceOf(CloakError);
    expect([(cut as CloakError).code, (cut as CloakError).exitCode]).toEqual(['DP_SEARCH_TIME_LIMIT', 4]);
    expect((cut as CloakError).message).toMatch(/took 0 of its \d+ steps.*nothing was released/);
    // Given the time, the same run releases, having taken every step the lattice allows.
    const { report } = await anonymizeEncoded(table(500, 3), options({ seed: 1 }), { file: 'synthetic' });
    expect(report.search.stoppedBy).toBe('completed');
  });

  it('uses fixed levels as given, spending nothing on a search', async () => {
    const { report } = await anonymizeEncoded(table(500, 3), options({ levels: { a: 1, b: 0 }, seed: 1 }), { file: 'synthetic' });
    expect(report.transformation).toEqual({ a: 1, b: 0 });
    expect(report.differentialPrivacy).toMatchObject({ epsilonAnon: 2, searchBudget: 0, transformation: 'fixed' });
    expect(report.nodesChecked).toBe(1);
  });

  it('joins k-anonymity with the larger k', async () => {
    const base = dpParameters(2, 0.5).k;
    const { report, output, suppressedRows } = await anonymizeEncoded(
      table(400, 4),
      { ...options({ delta: 0.5, levels: { a: 0, b: 0 }, seed: 2 }), models: [{ type: 'differential-privacy', epsilon: 2, delta: 0.5, levels: { a: 0, b: 0 }, seed: 2 }, { type: 'k-anonymity', k: base + 10 }] },
      { file: 'synthetic' },
    );
    for (const size of released(output, suppressedRows).values()) expect(size).toBeGreaterThanOrEqual(base + 10);
    expect(report.differentialPrivacy!.k).toBe(base);
  });

  it('passes the independent checker on random data (every released class ≥ k), seeded', async () => {
    await fc.assert(
      fc.asyncProperty(arbitraryDataset(), fc.nat(), fc.constantFrom(0.3, 0.5), fc.boolean(), async (dataset, seed, delta, fixed) => {
        const names = [...dataset.qi, 's'];
        const input = encodeRows(names, dataset.rows.map((row) => [...dataset.qi.map((q) => row[q]), row.s]));
        const attributes: AnonymizeOptions['attributes'] = {};
        for (const name of dataset.qi) (attributes as Record<string, unknown>)[name] = { role: 'quasi-identifying', hierarchy: dataset.hierarchyRows[name] };
        const levels = fixed ? Object.fromEntries(dataset.qi.map((name) => [name, 0])) : undefined;
        const model: ModelSpec = { type: 'differential-privacy', epsilon: 1.5, delta, seed, ...(levels === undefined ? {} : { levels }) };
        const { output, suppressedRows } = await anonymizeEncoded(input, { attributes, models: [model] }, { file: 'random' });
        const columns = Object.fromEntries(output.columns.map((column) => [column.name, { codes: column.codes, dictionary: column.dictionary }]));
        const verdict = checkDifferentialPrivacy({ rowCount: output.rowCount, columns }, { qi: dataset.qi, epsilon: 1.5, delta, fixedLevels: fixed, suppressedRows });
        expect(verdict.ok).toBe(true);
      }),
      { seed: 2024, numRuns: RUNS },
    );
  });
});

describe('refusals', () => {
  it('refuses ε ≤ 0, δ outside (0, 1), a search budget not below ε, levels with a search, and bad seeds', () => {
    const specs = [
      { type: 'differential-privacy', epsilon: 0, delta: 1e-5 },
      { type: 'differential-privacy', epsilon: 1, delta: 1 },
      { type: 'differential-privacy', epsilon: 1, delta: 0 },
      { type: 'differential-privacy', epsilon: 1, delta: 1e-5, searchBudget: 1 },
      { type: 'differential-privacy', epsilon: 1, delta: 1e-5, levels: { a: 1 }, steps: 3 },
      { type: 'differential-privacy', epsilon: 1, delta: 1e-5, seed: -1 },
      { type: 'differential-privacy', epsilon: 0.05, delta: 1e-5 },
    ] as unknown as ModelSpec[];
    const problems = specs.flatMap((spec) => validateModelSpecs([spec], []));
    expect(problems).toEqual([
      'models[0] (differential-privacy): epsilon = 0 must be greater than 0',
      'models[0] (differential-privacy): delta = 1 must be below 1',
      'models[0] (differential-privacy): delta = 0 must be greater than 0',
      'models[0] (differential-privacy): searchBudget = 1 must be below epsilon = 1: the anonymization keeps epsilon − searchBudget',
      'models[0] (differential-privacy): steps applies to the search only; fixed levels spend no budget on it',
      'models[0] (differential-privacy): seed must be a non-negative integer',
      'models[0] (differential-privacy): epsilon = 0.05 must exceed the search\'s default budget of 0.1 (give a smaller searchBudget, or fixed levels)',
    ]);
  });

  it('refuses models other than k-anonymity and highest risk beside it, with the reason', () => {
    const problems = validateModelSpecs(
      [
        { type: 'differential-privacy', epsilon: 1, delta: 1e-5 },
        { type: 'k-anonymity', k: 5 },
        { type: 'distinct-l-diversity', attribute: 's', l: 2 },
        { type: 'average-risk', maxRisk: 0.1 },
      ],
      ['s'],
    );
    expect(problems).toHaveLength(2);
    expect(problems[0]).toMatch(/differential-privacy cannot be combined with distinct-l-diversity: its guarantee holds when nothing but the classes below k is suppressed/);
    expect(problems[1]).toMatch(/with average-risk/);
  });

  it('refuses a suppression limit strictly between 0 and 1, levels that miss or invent quasi-identifiers or exceed a hierarchy, and Height with the search', async () => {
    const input = table(50, 5);
    const refuse = async (opts: AnonymizeOptions) => {
      const error = await anonymizeEncoded(input, opts, { file: 'synthetic' }).catch((caught: unknown) => caught);
      expect(error).toBeInstanceOf(CloakError);
      return error as CloakError;
    };
    expect((await refuse(options({}, { suppressionLimit: 0.05 }))).message).toMatch(/every class below k is suppressed whatever its size/);
    expect((await refuse(options({ levels: { a: 1 } }))).message).toMatch(/missing "b"/);
    expect((await refuse(options({ levels: { a: 1, b: 0, c: 2 } }))).message).toMatch(/"c", not quasi-identifiers/);
    expect((await refuse(options({ levels: { a: 5, b: 0 } }))).code).toBe('DP_LEVEL_OUT_OF_RANGE');
    expect((await refuse(options({}, { metric: 'height' }))).message).toMatch(/Height has no score function/);
    // e^ε beyond doubles: a usage error, not a RangeError.
    expect(await refuse(options({ epsilon: 1000 }))).toMatchObject({ code: 'DP_PARAMETERS', exitCode: 2 });
    // 0 and 1 are fine: every class below k is suppressed either way.
    for (const suppressionLimit of [0, 1]) await expect(anonymizeEncoded(input, options({ seed: 1 }, { suppressionLimit }), { file: 'synthetic' })).resolves.toBeDefined();
  });
});
