// The input every builder accepts (raw column values or value counts) and its reduction to distinct values.
// Keeps the position of each value's first occurrence so errors can point at it without quoting it.

import { emptyDomain, type BuildContext } from './failures.js';

/**
 * What a builder generalizes: either the raw values of a column (duplicates allowed, they are
 * counted by the frequency builder and collapsed by the others) or a map from value to count.
 */
export type HierarchyDomain = readonly string[] | ReadonlyMap<string, number>;

/** One distinct value and the position of its first occurrence in the input (or in the spec's declared domain). */
export interface DomainValue {
  value: string;
  index: number;
  /** The value comes from the spec's declared domain, not from the data. */
  declared?: boolean;
}

/** Distinct values in first-occurrence order, possibly none. */
export function distinctEntries(domain: HierarchyDomain): DomainValue[] {
  const seen = new Set<string>();
  const distinct: DomainValue[] = [];
  let index = 0;
  for (const value of isCountMap(domain) ? domain.keys() : domain) {
    if (!seen.has(value)) {
      seen.add(value);
      distinct.push({ value, index });
    }
    index++;
  }
  return distinct;
}

/** Distinct values in first-occurrence order; an empty domain is an error. */
export function distinctValues(domain: HierarchyDomain, builder: string, context: BuildContext | undefined): DomainValue[] {
  const distinct = distinctEntries(domain);
  if (distinct.length === 0) throw emptyDomain(builder, context);
  return distinct;
}

export function isCountMap(domain: HierarchyDomain): domain is ReadonlyMap<string, number> {
  return !Array.isArray(domain);
}
