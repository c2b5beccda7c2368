// Metric options: validation reports every problem at once, weight normalization, aggregates, the report helper.
// Also checks that createMetric applies each metric's ARX default aggregate unless one is chosen.

import { describe, expect, it } from 'vitest';
import { aggregate, createMetric, normalizeWeights, scoreAllMetrics, validateMetricOptions } from '../../src/metrics/index.js';
import type { MetricOptions } from '../../src/options.js';
import { contextFor, encodeFixture, groupAt } from './fixtures.js';

describe('validateMetricOptions', () => {
  it('accepts valid options and bare names', () => {
    expect(validateMetricOptions({ name: 'loss', gsFactor: 0, aggregate: 'max', weights: { age: 0, sex: 2 } }, ['age', 'sex'])).toEqual([]);
    expect(validateMetricOptions('entropy', ['age'])).toEqual([]);
  });
  it('reports every problem at once', () => {
    const options = { name: 'utility', gsFactor: 1.5, aggregate: 'median', weights: { zip: 1, age: -1, sex: Infinity } } as unknown as MetricOptions;
    const problems = validateMetricOptions(options, ['age', 'sex']);
    expect(problems).toHaveLength(6);
    expect(problems[0]).toMatch(/unknown metric "utility"/);
    expect(problems[1]).toMatch(/gsFactor must be a number in \[0, 1\], got 1.5/);
    expect(problems[2]).toMatch(/unknown metric aggregate "median"/);
    expect(problems[3]).toMatch(/"zip", which is not a quasi-identifier/);
    expect(problems[4]).toMatch(/"age" must be a finite number ≥ 0, got -1/);
    expect(problems[5]).toMatch(/"sex" must be a finite number ≥ 0, got Infinity/);
    expect(validateMetricOptions({ name: 'loss', gsFactor: Number.NaN }, [])).toHaveLength(1);
  });
});

describe('normalizeWeights', () => {
  it('divides by the largest, defaulting missing weights to 1', () => {
    expect(Array.from(normalizeWeights(['a', 'b', 'c'], { a: 4, b: 2 }))).toEqual([1, 0.5, 0.25]);
    expect(Array.from(normalizeWeights(['a', 'b']))).toEqual([1, 1]);
  });
  it('falls back to equal weights when all are 0', () => {
    expect(Array.from(normalizeWeights(['a', 'b'], { a: 0, b: 0 }))).toEqual([1, 1]);
  });
});

describe('aggregate', () => {
  const values = Float64Array.of(0.2, 0.4);
  const weights = Float64Array.of(1, 0.5);
  it('follows ARX', () => {
    expect(aggregate('sum', values, weights)).toBe(0.2 + 0.4 * 0.5);
    expect(aggregate('max', values, weights)).toBe(0.2);
    expect(aggregate('arithmetic', values, weights)).toBe((0.2 / 2) * 1 + (0.4 / 2) * 0.5);
    // ARX weights the shifted value: √(1.2·1) · √(1.4·0.5) − 1, below 0 here.
    expect(aggregate('geometric', values, weights)).toBeCloseTo(Math.sqrt(1.2 * 0.7) - 1, 15);
    expect(aggregate('sum', Float64Array.of(Number.MAX_VALUE, Number.MAX_VALUE), Float64Array.of(1, 1))).toBe(Number.MAX_VALUE);
  });
});

describe('createMetric and scoreAllMetrics', () => {
  const encoded = encodeFixture({
    attributes: ['a', 'b'],
    records: [['x', 'p'], ['y', 'p'], ['x', 'q']],
    hierarchyRows: [
      [['x', '*'], ['y', '*']],
      [['p', '*'], ['q', '*']],
    ],
  });
  const classes = groupAt(encoded, [1, 0]);
  const suppressed = Uint8Array.from(classes.sizes, (size) => (size < 2 ? 1 : 0));

  it('uses the metric default aggregate unless one is given', () => {
    const context = contextFor(encoded, { aggregate: 'max' });
    const defaulted = createMetric({ name: 'height' }, context).score(classes, suppressed);
    expect(defaulted.value).toBe(1); // sum of levels 1 + 0
    expect(createMetric({ name: 'height', aggregate: 'arithmetic' }, context).score(classes, suppressed).value).toBe(0.5);
    expect(createMetric({ name: 'precision-monotonic', gsFactor: 1 }, context).score(classes, suppressed).value).toBe(0);
  });

  it('scores every metric for the report', () => {
    const scores = scoreAllMetrics(classes, suppressed, contextFor(encoded));
    expect(Object.keys(scores).sort()).toEqual(
      ['aecs', 'discernibility', 'discernibility-monotonic', 'entropy', 'entropy-monotonic', 'height', 'loss', 'precision', 'precision-monotonic'],
    );
    // Classes at [1, 0]: (*, p) 2, (*, q) 1 suppressed.
    expect(scores.discernibility).toEqual({ value: 4 + 3, perAttribute: undefined });
    expect(scores.aecs.value).toBe(3 / 2);
    expect(scores.height).toEqual({ value: 1, perAttribute: [1, 0] });
    expect(scores.loss.perAttribute).toHaveLength(2);
  });
});
