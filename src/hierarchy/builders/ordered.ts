// Ordered grouping builder: values sorted (numerically when all are numbers, else by code point)
// and cut into consecutive runs (runSize values, then fanout runs per level), labelled `[first, last]` or by a lone value.

import { compareDecimals, parseDecimal } from './decimal.js';
import { distinctValues, type DomainValue, type HierarchyDomain } from './domain.js';
import { invalidSpec, invalidValue, type BuildContext } from './failures.js';

const BUILDER = 'Ordered group';

export interface OrderedGroupOptions {
  /** Number of original values per run at level 1; an integer of at least 2. */
  runSize: number;
  /**
   * For each further level, how many runs of the level below merge into one (integers >= 2): the convention of an
   * interval's `fanout`, so `runSize: 5, fanout: [2]` makes runs of 5 and then 10 values. The last run of a level
   * may be shorter; a level whose one run holds every value is the `*` level and ends the hierarchy.
   */
  fanout?: number[];
  levels?: never;
}

/**
 * Builds `[value, run at level 1, …, run at level n, *]` for each distinct value. A run is labelled `[first, last]`,
 * a run of one value by the value itself.
 */
export function buildOrderedHierarchy(values: HierarchyDomain, options: OrderedGroupOptions, context?: BuildContext): string[][] {
  return orderedRows(distinctValues(values, BUILDER, context), options, context);
}

/** The rows of `domain` (distinct values, at least one) cut into runs. */
export function orderedRows(domain: readonly DomainValue[], options: OrderedGroupOptions, context?: BuildContext): string[][] {
  const runSizes = validateRunSizes(options, context);
  const sorted = sortValues(domain);
  const rows = new Map(sorted.map(({ value }) => [value, [value]]));
  for (const runSize of runSizes) {
    // One run of every value groups them as `*` does; it would only repeat the last level.
    if (runSize >= sorted.length) break;
    const labels = new Set<string>();
    for (let start = 0; start < sorted.length; start += runSize) {
      const run = sorted.slice(start, start + runSize);
      const label = run.length === 1 ? run[0].value : `[${run[0].value}, ${run[run.length - 1].value}]`;
      // Distinct runs could only share a label if values looked like run labels; refuse rather than merge.
      if (labels.has(label)) throw invalidValue(BUILDER, context, run[0], 'gives a run label that another run already has');
      labels.add(label);
      for (const { value } of run) rows.get(value)?.push(label);
    }
  }
  return Array.from(rows.values(), (row) => [...row, '*']);
}

/** The absolute run size of each level, from `runSize` and the relative `fanout`. */
function validateRunSizes(options: OrderedGroupOptions, context: BuildContext | undefined): number[] {
  const legacy = (options as { runSizes?: unknown }).runSizes;
  if (legacy !== undefined) throw invalidSpec(BUILDER, context, legacyRunSizesProblem(legacy));
  const { runSize, fanout = [] } = options;
  if (!Number.isSafeInteger(runSize) || runSize < 2) throw invalidSpec(BUILDER, context, 'runSize must be an integer of at least 2');
  if (!Array.isArray(fanout)) throw invalidSpec(BUILDER, context, 'fanout must be an array of integers');
  const sizes = [runSize];
  fanout.forEach((factor, position) => {
    const next = sizes[sizes.length - 1] * factor;
    if (!Number.isSafeInteger(factor) || factor < 2 || !Number.isSafeInteger(next)) throw invalidSpec(BUILDER, context, `fanout[${position}] must be an integer of at least 2`);
    sizes.push(next);
  });
  return sizes;
}

/**
 * The problem of a spec that still uses `runSizes`, whose sizes were absolute. Reading them as relative would silently
 * change the hierarchy, so they are refused with the equivalent relative spec.
 */
export function legacyRunSizesProblem(runSizes: unknown): string {
  const replaced = 'runSizes (absolute run sizes) is replaced by runSize and fanout, relative like an interval\'s width and fanout';
  if (!Array.isArray(runSizes) || runSizes.length === 0 || !runSizes.every((size) => Number.isSafeInteger(size) && size >= 2)) return replaced;
  const fanout = runSizes.slice(1).map((size, position) => size / runSizes[position]);
  if (!fanout.every((factor) => Number.isSafeInteger(factor) && factor >= 2)) return replaced;
  return `${replaced}: runSizes ${JSON.stringify(runSizes)} is "runSize": ${runSizes[0]}${fanout.length > 0 ? `, "fanout": ${JSON.stringify(fanout)}` : ''}`;
}

/** Numeric order when every value is a number (ties between spellings such as 1 and 1.0 by code point), else code-point order. */
function sortValues<T extends { value: string }>(domain: readonly T[]): T[] {
  const numbers = domain.map(({ value }) => parseDecimal(value));
  if (numbers.every((number) => number !== undefined)) {
    const byValue = new Map(domain.map((entry, position) => [entry, numbers[position]!]));
    return [...domain].sort((a, b) => compareDecimals(byValue.get(a)!, byValue.get(b)!) || compareCodePoints(a.value, b.value));
  }
  return [...domain].sort((a, b) => compareCodePoints(a.value, b.value));
}

/** Compares by Unicode code point; JavaScript's `<` compares UTF-16 units, which misorders astral characters. */
function compareCodePoints(a: string, b: string): number {
  const left = a[Symbol.iterator]();
  const right = b[Symbol.iterator]();
  for (;;) {
    const x = left.next();
    const y = right.next();
    if (x.done || y.done) return x.done && y.done ? 0 : x.done ? -1 : 1;
    const difference = x.value.codePointAt(0)! - y.value.codePointAt(0)!;
    if (difference !== 0) return difference;
  }
}
