// Per-attribute aggregation of multi-dimensional metrics (sum, max, arithmetic and geometric mean) and ARX's rounding.
// Mirrors ARX's aggregate definitions, including the order of floating-point operations, so scores match bit for bit.

import { correctlyRoundedPow } from './correctly-rounded-pow.js';
import type { MetricContext } from './metric.js';

export type AggregateName = MetricContext['aggregate'];

export const AGGREGATE_NAMES: readonly AggregateName[] = ['sum', 'max', 'arithmetic', 'geometric'];

/**
 * Aggregates per-attribute values with normalized weights, as ARX does:
 * - sum: Σ v·w (an overflow to ±∞ or NaN becomes Number.MAX_VALUE);
 * - max: max(0, max v·w);
 * - arithmetic: Σ (v/d)·w;
 * - geometric: Π ((v + 1)·w)^(1/d) − 1. The +1 keeps zeros from absorbing the product; note that ARX
 *   weights the shifted value, so with weights below 1 the result can drop below 0. The powers are correctly
 *   rounded, as Java's are in practice; V8's Math.pow is off by one ulp often enough to change ARX's scores.
 * Every aggregate is non-decreasing in each value for non-negative weights, which lower bounds rely on.
 */
export function aggregate(kind: AggregateName, values: Float64Array, weights: Float64Array): number {
  const d = values.length;
  switch (kind) {
    case 'sum': {
      let result = 0;
      for (let j = 0; j < d; j++) result += values[j] * weights[j];
      return Number.isFinite(result) ? result : Number.MAX_VALUE;
    }
    case 'max': {
      let result = 0;
      for (let j = 0; j < d; j++) result = Math.max(result, values[j] * weights[j]);
      return result;
    }
    case 'arithmetic': {
      let result = 0;
      for (let j = 0; j < d; j++) result += (values[j] / d) * weights[j];
      return result;
    }
    case 'geometric': {
      let result = 1;
      for (let j = 0; j < d; j++) result *= geometricFactor(values[j], weights[j], d);
      return result - 1;
    }
  }
}

/** One value's factor in the geometric aggregate of d values: ((v + 1)·w)^(1/d), correctly rounded. */
export function geometricFactor(value: number, weight: number, d: number): number {
  return correctlyRoundedPow((value + 1) * weight, 1 / d);
}

/** Keeps the first ten decimals, rounding down: ARX's way of making near-equal scores compare equal. */
export function floor10(value: number): number {
  return Math.floor(value * 1e10) / 1e10;
}
