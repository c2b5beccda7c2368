// Frequency builder: categories seen fewer times than a threshold are merged into one `Other`
// group, the frequent ones stay as they are, then `*`.

import { distinctValues, isCountMap, type DomainValue, type HierarchyDomain } from './domain.js';
import { invalidSpec, invalidValue, type BuildContext } from './failures.js';

const BUILDER = 'Frequency';

export interface FrequencyOptions {
  /** Values counted fewer times than this are merged at level 1; a positive integer. */
  threshold: number;
  /** Label of the merged group; default `Other`. */
  otherLabel?: string;
}

/**
 * Builds `[value, value or Other, *]` for each distinct value. Counts come from the map when one
 * is given, else from the occurrences in the raw column (so pass the column, not its distinct values).
 */
export function buildFrequencyHierarchy(values: HierarchyDomain, options: FrequencyOptions, context?: BuildContext): string[][] {
  const counts = countValues(values, context);
  return frequencyRows(distinctValues(values, BUILDER, context), (value) => counts.get(value) ?? 0, options, context);
}

/** The rows of `domain` (distinct values) given each value's count. */
export function frequencyRows(domain: readonly DomainValue[], countOf: (value: string) => number, options: FrequencyOptions, context?: BuildContext): string[][] {
  const { threshold } = options;
  if (!Number.isSafeInteger(threshold) || threshold < 1) throw invalidSpec(BUILDER, context, 'threshold must be a positive integer');
  const otherLabel = options.otherLabel ?? 'Other';
  if (typeof otherLabel !== 'string') throw invalidSpec(BUILDER, context, 'otherLabel must be a string');
  return domain.map(({ value }) => {
    const frequent = countOf(value) >= threshold;
    // A frequent value spelled like the merged group would silently absorb the rare ones.
    if (frequent && value === otherLabel) throw invalidSpec(BUILDER, context, 'otherLabel is also a frequent value of the column; choose another label');
    return [value, frequent ? value : otherLabel, '*'];
  });
}

/** Record counts by value: the map's own, or the occurrences in the raw column. */
export function countValues(values: HierarchyDomain, context: BuildContext | undefined): ReadonlyMap<string, number> {
  if (isCountMap(values)) {
    let index = 0;
    for (const [key, count] of values) {
      if (!Number.isSafeInteger(count) || count < 0) throw invalidValue(BUILDER, context, { value: key, index }, 'has a count that is not a non-negative integer');
      index++;
    }
    return values;
  }
  const counts = new Map<string, number>();
  for (const value of values) counts.set(value, (counts.get(value) ?? 0) + 1);
  return counts;
}
