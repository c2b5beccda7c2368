// Ordered grouping builder: values sorted (numerically when all are numbers, else by code point)
// and cut into consecutive runs of a given size per level, labelled `[first, last]`.

import { compareDecimals, parseDecimal } from './decimal.js';
import { distinctValues, type HierarchyDomain } from './domain.js';
import { invalidSpec, invalidValue, type BuildContext } from './failures.js';

const BUILDER = 'Ordered group';

export interface OrderedGroupOptions {
  /**
   * Number of original values per run at each level, each a multiple of (and larger than) the
   * previous one so that runs nest; the last run of a level may be shorter.
   */
  runSizes: number[];
  levels?: never;
}

/** Builds `[value, run at level 1, …, run at level n, *]` for each distinct value. */
export function buildOrderedHierarchy(values: HierarchyDomain, options: OrderedGroupOptions, context?: BuildContext): string[][] {
  const runSizes = validateRunSizes(options.runSizes, context);
  const sorted = sortValues(distinctValues(values, BUILDER, context));
  const rows = new Map(sorted.map(({ value }) => [value, [value]]));
  for (const runSize of runSizes) {
    const labels = new Set<string>();
    for (let start = 0; start < sorted.length; start += runSize) {
      const run = sorted.slice(start, start + runSize);
      const label = `[${run[0].value}, ${run[run.length - 1].value}]`;
      // Distinct runs could only share a label if values contained ", " in a contrived way; refuse rather than merge.
      if (labels.has(label)) throw invalidValue(BUILDER, context, run[0].index, 'gives a run label that another run already has');
      labels.add(label);
      for (const { value } of run) rows.get(value)?.push(label);
    }
  }
  return Array.from(rows.values(), (row) => [...row, '*']);
}

function validateRunSizes(runSizes: number[], context: BuildContext | undefined): number[] {
  if (!Array.isArray(runSizes)) throw invalidSpec(BUILDER, context, 'runSizes must be an array of integers');
  runSizes.forEach((size, position) => {
    const previous = position === 0 ? 1 : runSizes[position - 1];
    if (!Number.isSafeInteger(size) || size < 2 || size <= previous || size % previous !== 0) {
      throw invalidSpec(BUILDER, context, `runSizes[${position}] must be an integer of at least 2 and a larger multiple of the previous size`);
    }
  });
  return runSizes;
}

/** Numeric order when every value is a number (ties between spellings such as 1 and 1.0 by code point), else code-point order. */
function sortValues<T extends { value: string }>(domain: T[]): T[] {
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
