// Interval builder: numeric values generalized into ranges `[a, b)` whose width grows by a fan-out
// per level, with optional bottom/top coding (`<lower`, `≥upper`); bounds are exact decimals.

import {
  compareDecimals,
  decimalFromNumber,
  floorDivide,
  formatDecimal,
  isFiniteAsNumber,
  parseDecimal,
  unitsAtScale,
  type Decimal,
} from './decimal.js';
import { distinctValues, type HierarchyDomain } from './domain.js';
import { invalidSpec, type BuildContext } from './failures.js';
import { labelRows, type Labeler } from './labeler.js';

const BUILDER = 'Interval';

export interface IntervalOptions {
  /** Width of the finest ranges (level 1); a finite number greater than 0. */
  width: number;
  /** For each further level, how many ranges of the level below merge into one (integers >= 2). */
  fanout?: number[];
  /** Anchor of the grid: ranges are `[origin + k·width, origin + (k+1)·width)`. Default: `lower`, else 0. */
  origin?: number;
  /** Values below it are bottom-coded as `<lower` at every level; ranges are clipped to start at it. */
  lower?: number;
  /** Values at or above it are top-coded as `≥upper` at every level; ranges are clipped to end at it. */
  upper?: number;
}

/** The validated options, every bound and width as an exact decimal. */
interface IntervalGrid {
  widths: Decimal[];
  origin: Decimal;
  lower: Decimal | undefined;
  upper: Decimal | undefined;
  /** The largest number of decimal places among the options. */
  scale: number;
}

/**
 * The grid in integer units of 10^-scale, so placing a value takes only BigInt arithmetic, with
 * each level's labels memoized by range number since many values share a range.
 */
interface ScaledGrid {
  scale: number;
  widths: bigint[];
  origin: bigint;
  lower: bigint | undefined;
  upper: bigint | undefined;
  labels: Array<Map<bigint, string>>;
}

/**
 * Builds `[value, range at level 1, …, range at level n, *]` for each distinct value.
 * Level i+1 ranges are unions of whole level-i ranges because they share the origin and their
 * widths are integer multiples, and clipping to [lower, upper) preserves that, so the result nests.
 */
export function buildIntervalHierarchy(values: HierarchyDomain, options: IntervalOptions, context?: BuildContext): string[][] {
  return labelRows(distinctValues(values, BUILDER, context), intervalLabeler(options, context), BUILDER, context);
}

/** The labels of any number, levels 1…n; the options are validated once, here. */
export function intervalLabeler(options: IntervalOptions, context?: BuildContext): Labeler {
  const grid = validateOptions(options, context);
  const bottomLabels = grid.widths.map(() => (grid.lower === undefined ? '' : `<${formatDecimal(grid.lower)}`));
  const topLabels = grid.widths.map(() => (grid.upper === undefined ? '' : `≥${formatDecimal(grid.upper)}`));
  const scaledGrids = new Map<number, ScaledGrid>();
  const labelsOf = (value: string): readonly string[] | string => {
    const number = parseDecimal(value);
    if (number === undefined) return 'is not a finite decimal number';
    const scale = Math.max(number.scale, grid.scale);
    let scaled = scaledGrids.get(scale);
    if (scaled === undefined) {
      scaled = scaleGrid(grid, scale);
      scaledGrids.set(scale, scaled);
    }
    const units = unitsAtScale(number, scale);
    if (scaled.lower !== undefined && units < scaled.lower) return bottomLabels;
    if (scaled.upper !== undefined && units >= scaled.upper) return topLabels;
    const labels: string[] = [];
    for (let level = 0; level < scaled.widths.length; level++) {
      const label = rangeLabel(units, level, scaled);
      if (label === undefined) return 'falls into a range whose bound overflows';
      labels.push(label);
    }
    return labels;
  };
  return { height: grid.widths.length, labelsOf };
}

function validateOptions(options: IntervalOptions, context: BuildContext | undefined): IntervalGrid {
  const width = finiteOption(options.width, 'width', context);
  if (width === undefined) throw invalidSpec(BUILDER, context, 'width is required');
  if (width.units <= 0n) throw invalidSpec(BUILDER, context, 'width must be greater than 0');
  const lower = finiteOption(options.lower, 'lower', context);
  const upper = finiteOption(options.upper, 'upper', context);
  if (lower !== undefined && upper !== undefined && compareDecimals(lower, upper) >= 0) {
    throw invalidSpec(BUILDER, context, 'lower must be less than upper');
  }
  const origin = finiteOption(options.origin, 'origin', context) ?? lower ?? { units: 0n, scale: 0 };
  const widths = [width];
  for (const [position, factor] of (options.fanout ?? []).entries()) {
    if (!Number.isSafeInteger(factor) || factor < 2) {
      throw invalidSpec(BUILDER, context, `fanout[${position}] must be an integer of at least 2`);
    }
    const previous = widths[widths.length - 1];
    const next = { units: previous.units * BigInt(factor), scale: previous.scale };
    if (!isFiniteAsNumber(next)) throw invalidSpec(BUILDER, context, `the range width of level ${widths.length + 1} overflows`);
    widths.push(next);
  }
  const scale = Math.max(width.scale, origin.scale, lower?.scale ?? 0, upper?.scale ?? 0);
  return { widths, origin, lower, upper, scale };
}

function finiteOption(value: number | undefined, name: string, context: BuildContext | undefined): Decimal | undefined {
  if (value === undefined) return undefined;
  const decimal = typeof value === 'number' ? decimalFromNumber(value) : undefined;
  if (decimal === undefined) throw invalidSpec(BUILDER, context, `${name} must be a finite number`);
  return decimal;
}

function scaleGrid(grid: IntervalGrid, scale: number): ScaledGrid {
  return {
    scale,
    widths: grid.widths.map((width) => unitsAtScale(width, scale)),
    origin: unitsAtScale(grid.origin, scale),
    lower: grid.lower === undefined ? undefined : unitsAtScale(grid.lower, scale),
    upper: grid.upper === undefined ? undefined : unitsAtScale(grid.upper, scale),
    labels: grid.widths.map(() => new Map()),
  };
}

/** The label of the range at `level` that contains `units`, clipped to [lower, upper); undefined if a bound overflows a double. */
function rangeLabel(units: bigint, level: number, grid: ScaledGrid): string | undefined {
  const width = grid.widths[level];
  const rangeNumber = floorDivide(units - grid.origin, width);
  const known = grid.labels[level].get(rangeNumber);
  if (known !== undefined) return known;
  let start = grid.origin + rangeNumber * width;
  let end = start + width;
  if (grid.lower !== undefined && start < grid.lower) start = grid.lower;
  if (grid.upper !== undefined && end > grid.upper) end = grid.upper;
  const startText = formatDecimal({ units: start, scale: grid.scale });
  const endText = formatDecimal({ units: end, scale: grid.scale });
  if (!Number.isFinite(Number(startText)) || !Number.isFinite(Number(endText))) return undefined;
  const label = `[${startText}, ${endText})`;
  grid.labels[level].set(rangeNumber, label);
  return label;
}
