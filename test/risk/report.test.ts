// The risk report end to end: hand-computed sample risks, Dankar's rule, edge cases, errors, and
// property tests (fractions in [0, 1], highest ≥ average ≥ lowest risk, plain JSON without NaN).

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { CloakError } from '../../src/errors.js';
import { isEstimateAvailable } from '../../src/risk/estimates.js';
import {
  POPULATION_PRESETS,
  estimateRiskFromClassSizes,
  populationUniqueness,
  type RiskReport,
} from '../../src/risk/index.js';
import { dankarRule } from '../../src/risk/population-uniqueness.js';

/** Every number in the report, with its path, to check ranges and the absence of NaN. */
function numbersIn(value: unknown, path = ''): Array<[string, number]> {
  if (typeof value === 'number') return [[path, value]];
  if (value === null || typeof value !== 'object') return [];
  return Object.entries(value).flatMap(([key, inner]) => numbersIn(inner, `${path}.${key}`));
}

function expectPlainJson(report: RiskReport): void {
  expect(JSON.parse(JSON.stringify(report))).toEqual(report);
  for (const [path, value] of numbersIn(report)) {
    expect(Number.isFinite(value), path).toBe(true);
    if (path.endsWith('fraction') || path.endsWith('Risk')) {
      expect(value, path).toBeGreaterThanOrEqual(0);
      expect(value, path).toBeLessThanOrEqual(1);
    }
  }
}

describe('sample risks, computed by hand', () => {
  // Six classes, 22 records: sizes 1, 1, 2, 3, 5, 10.
  const sizes = Int32Array.of(1, 1, 2, 3, 5, 10);

  it('prosecutor, marketer, sample uniqueness and distribution', () => {
    const report = estimateRiskFromClassSizes(sizes);
    expect(report.records).toBe(22);
    expect(report.classes).toBe(6);
    expect(report.prosecutor).toEqual({
      highestRisk: 1,
      lowestRisk: 0.1,
      averageRisk: 6 / 22,
      recordsAffectedByHighestRisk: { count: 2, fraction: 2 / 22 },
      // 1/5 = 0.2 is not strictly above the threshold: classes of sizes 1, 1, 2, 3.
      recordsAtRisk: { count: 7, fraction: 7 / 22, threshold: 0.2 },
    });
    expect(report.journalist).toEqual(report.prosecutor);
    expect(report.marketer).toEqual({ averageRisk: 6 / 22 });
    expect(report.sampleUniqueness).toEqual({ count: 2, fraction: 2 / 22 });
    expect(report.distribution).toEqual([
      { upTo: 0.001, count: 0, fraction: 0 },
      { upTo: 0.01, count: 0, fraction: 0 },
      { upTo: 0.05, count: 0, fraction: 0 },
      { upTo: 0.1, count: 10, fraction: 10 / 22 },
      { upTo: 0.2, count: 5, fraction: 5 / 22 },
      { upTo: 0.5, count: 5, fraction: 5 / 22 },
      { upTo: 1, count: 2, fraction: 2 / 22 },
    ]);
  });

  it('journalist and marketer against population counts', () => {
    const populationCounts = Float64Array.of(4, 1, 2, 6, 50, 10);
    const report = estimateRiskFromClassSizes(sizes, { populationCounts, threshold: 0.2 });
    const average = (1 / 4 + 1 / 1 + 2 / 2 + 3 / 6 + 5 / 50 + 10 / 10) / 22;
    expect(report.journalist.highestRisk).toBe(1);
    expect(report.journalist.lowestRisk).toBe(1 / 50);
    expect(report.journalist.averageRisk).toBeCloseTo(average, 15);
    expect(report.journalist.recordsAffectedByHighestRisk).toEqual({ count: 1, fraction: 1 / 22 });
    // 1/F > 0.2 for F = 4, 1, 2: one, one and two records.
    expect(report.journalist.recordsAtRisk).toEqual({ count: 4, fraction: 4 / 22, threshold: 0.2 });
    expect(report.marketer.averageRisk).toBeCloseTo(average, 15);
    expect(report.prosecutor.averageRisk).toBe(6 / 22);
  });

  it('honours the threshold', () => {
    expect(estimateRiskFromClassSizes(sizes, { threshold: 0.1 }).prosecutor.recordsAtRisk.count).toBe(12);
    expect(estimateRiskFromClassSizes(sizes, { threshold: 0.05 }).prosecutor.recordsAtRisk.count).toBe(22);
    expect(estimateRiskFromClassSizes(sizes, { threshold: 1 }).prosecutor.recordsAtRisk.count).toBe(0);
  });
});

describe('population uniqueness in the report', () => {
  it('is unavailable, with the reason, without a population size', () => {
    const { populationUniqueness: section } = estimateRiskFromClassSizes([1, 2, 2]);
    const none = { available: false, reason: 'no population size given' };
    expect(section).toEqual({
      populationSize: null,
      samplingFraction: null,
      model: 'dankar',
      estimate: none,
      zayatz: none,
      pitman: none,
      snb: none,
      dankar: none,
    });
  });

  it('repeats the chosen model as the estimate', () => {
    const sizes = [...Array(300).fill(1), ...Array(60).fill(2), ...Array(20).fill(3), ...Array(5).fill(8)];
    const report = estimateRiskFromClassSizes(sizes, { populationSize: 5000, populationModel: 'zayatz' });
    expect(report.populationUniqueness.estimate).toEqual(report.populationUniqueness.zayatz);
    expect(report.populationUniqueness.samplingFraction).toBe(report.records / 5000);
  });

  it('is zero for every model when there are no sample uniques', () => {
    const section = estimateRiskFromClassSizes([2, 3, 4], { populationSize: 1000 }).populationUniqueness;
    for (const estimate of [section.zayatz, section.pitman, section.snb]) {
      expect(estimate).toEqual({ count: 0, fraction: 0 });
    }
    expect(section.dankar).toEqual({ count: 0, fraction: 0, model: 'pitman' });
  });

  it('populationUniqueness returns the fraction, or undefined when the model fails', () => {
    const sizes = [...Array(300).fill(1), ...Array(60).fill(2), ...Array(20).fill(3), ...Array(5).fill(8)];
    const report = estimateRiskFromClassSizes(sizes, { populationSize: 50_000 });
    const dankar = report.populationUniqueness.dankar;
    if (!isEstimateAvailable(dankar)) throw new Error(dankar.reason);
    expect(populationUniqueness(sizes, 50_000)).toBe(dankar.fraction);
    expect(populationUniqueness([1, 1, 1], 100, 'pitman')).toBeUndefined();
    expect(populationUniqueness([], 100)).toBeUndefined();
  });
});

describe("Dankar's decision rule", () => {
  const zayatz = { count: 100, fraction: 0.01 };
  const failed = { available: false as const, reason: 'failed' };
  const sources = (pitman: object, snb: object) => ({
    zayatz: () => zayatz,
    pitman: () => pitman as typeof zayatz,
    snb: () => snb as typeof zayatz,
  });

  it('takes Pitman for f ≤ 0.1 when available, else Zayatz', () => {
    const pitman = { count: 50, fraction: 0.005 };
    expect(dankarRule(0.1, sources(pitman, failed))).toEqual({ ...pitman, model: 'pitman' });
    expect(dankarRule(0.05, sources(failed, failed))).toEqual({ ...zayatz, model: 'zayatz' });
  });

  it('takes the smaller of Zayatz and SNB for f > 0.1, Zayatz when SNB fails', () => {
    const snb = { count: 80, fraction: 0.008 };
    expect(dankarRule(0.2, sources(failed, snb))).toEqual({ ...snb, model: 'snb' });
    expect(dankarRule(0.2, sources(failed, { count: 120, fraction: 0.012 }))).toEqual({ ...zayatz, model: 'zayatz' });
    expect(dankarRule(0.2, sources(failed, failed))).toEqual({ ...zayatz, model: 'zayatz' });
  });
});

describe('edge cases and errors', () => {
  it('reports zeros, not NaN, when every record is suppressed', () => {
    const report = estimateRiskFromClassSizes(new Int32Array(0), { populationSize: POPULATION_PRESETS.UK });
    expect(report.records).toBe(0);
    expect(report.classes).toBe(0);
    expect(report.prosecutor.highestRisk).toBe(0);
    expect(report.prosecutor.recordsAtRisk).toEqual({ count: 0, fraction: 0, threshold: 0.2 });
    expect(report.sampleUniqueness).toEqual({ count: 0, fraction: 0 });
    expect(report.populationUniqueness.dankar).toEqual({
      available: false,
      reason: 'no records: every record is suppressed',
    });
    expect(report.distribution.every((band) => band.count === 0 && band.fraction === 0)).toBe(true);
    expectPlainJson(report);
  });

  it('rejects a population smaller than the sample', () => {
    expect(() => estimateRiskFromClassSizes([3, 4], { populationSize: 6 })).toThrowError(CloakError);
    expect(() => estimateRiskFromClassSizes([3, 4], { populationSize: 6 })).toThrowError(/smaller than the 7 records/);
  });

  it('rejects malformed input', () => {
    const codeOf = (run: () => unknown): string | undefined => {
      try {
        run();
      } catch (error) {
        return error instanceof CloakError ? error.code : 'not a CloakError';
      }
      return undefined;
    };
    expect(codeOf(() => estimateRiskFromClassSizes([1, 0]))).toBe('RISK_CLASS_SIZE');
    expect(codeOf(() => estimateRiskFromClassSizes([1, 2.5]))).toBe('RISK_CLASS_SIZE');
    expect(codeOf(() => estimateRiskFromClassSizes([1], { threshold: 1.5 }))).toBe('RISK_THRESHOLD');
    expect(codeOf(() => estimateRiskFromClassSizes([1], { populationSize: 10.5 }))).toBe('RISK_POPULATION_SIZE');
    const populationCounts = Float64Array.of(3);
    expect(codeOf(() => estimateRiskFromClassSizes([1, 2], { populationCounts }))).toBe('RISK_POPULATION_COUNTS');
    expect(codeOf(() => estimateRiskFromClassSizes([4], { populationCounts }))).toBe('RISK_POPULATION_COUNTS');
  });
});

describe('properties', () => {
  const classSizes = fc.array(fc.integer({ min: 1, max: 60 }), { maxLength: 300 });

  it('fractions lie in [0, 1] and highest ≥ average ≥ lowest risk', () => {
    fc.assert(
      fc.property(classSizes, fc.double({ min: 0, max: 1, noNaN: true }), (sizes, threshold) => {
        const report = estimateRiskFromClassSizes(sizes, { threshold });
        expectPlainJson(report);
        for (const risk of [report.prosecutor, report.journalist]) {
          expect(risk.highestRisk).toBeGreaterThanOrEqual(risk.averageRisk);
          expect(risk.averageRisk).toBeGreaterThanOrEqual(risk.lowestRisk);
        }
        expect(report.distribution.reduce((sum, band) => sum + band.count, 0)).toBe(report.records);
      }),
      { numRuns: 300 },
    );
  });

  it('every population estimate is a fraction in [0, 1] or says why it is missing', () => {
    fc.assert(
      fc.property(classSizes, fc.double({ min: 1, max: 1e6, noNaN: true }), (sizes, scale) => {
        const records = sizes.reduce((sum, size) => sum + size, 0);
        const populationSize = Math.max(1, Math.ceil(records * scale));
        const report = estimateRiskFromClassSizes(sizes, { populationSize });
        expectPlainJson(report);
        const { zayatz, pitman, snb, dankar } = report.populationUniqueness;
        for (const estimate of [zayatz, pitman, snb, dankar]) {
          if (!isEstimateAvailable(estimate)) expect(estimate.reason.length).toBeGreaterThan(0);
          else expect(estimate.count).toBeCloseTo(estimate.fraction * populationSize, 6);
        }
      }),
      { numRuns: 60 },
    );
  });
});
