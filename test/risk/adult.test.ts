// The risk report on the real Adult data set, grouped by all nine columns, at two population sizes.
// Checks sanity and prints the figures for the record; skipped, saying why, when the data is absent.

import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { isEstimateAvailable } from '../../src/risk/estimates.js';
import { POPULATION_PRESETS, estimateRiskFromClassSizes, type RiskReport } from '../../src/risk/index.js';
import { ADULT_CSV, noteAdultSkip, SKIP_ADULT } from '../adult-dataset.js';

const adultPath = ADULT_CSV;
noteAdultSkip('Adult risk test');

/** Class sizes when every record is grouped by the values of all its columns. */
function adultClassSizes(): Int32Array {
  const lines = readFileSync(adultPath, 'utf8').split(/\r?\n/).slice(1).filter((line) => line.length > 0);
  expect(lines.filter((line) => line.split(';').length !== 9)).toEqual([]);
  const classes = new Map<string, number>();
  for (const line of lines) classes.set(line, (classes.get(line) ?? 0) + 1);
  return Int32Array.from(classes.values());
}

function expectSane(report: RiskReport): void {
  const { zayatz, pitman, snb, dankar } = report.populationUniqueness;
  if (!isEstimateAvailable(pitman)) throw new Error(`Pitman unavailable: ${pitman.reason}`);
  for (const estimate of [zayatz, pitman, snb, dankar]) {
    if (!isEstimateAvailable(estimate)) continue;
    expect(estimate.fraction).toBeGreaterThanOrEqual(0);
    expect(estimate.fraction).toBeLessThanOrEqual(1);
  }
  expect(report.sampleUniqueness.fraction).toBeGreaterThan(0);
  expect(report.sampleUniqueness.fraction).toBeLessThanOrEqual(1);
  expect(report.prosecutor.highestRisk).toBeGreaterThanOrEqual(report.prosecutor.averageRisk);
}

describe.skipIf(SKIP_ADULT)('Adult, grouped by all nine columns', () => {
  it.each([
    ['USA', POPULATION_PRESETS.USA],
    ['N = 100,000', 100_000],
  ])('gives a sane report at the %s population', (label, populationSize) => {
    const sizes = adultClassSizes();
    const report = estimateRiskFromClassSizes(sizes, { populationSize });
    expect(report.records).toBe(30162);
    expectSane(report);
    console.log(`Adult risk report, population ${label}:\n${JSON.stringify(report, null, 2)}`);
  });
});
