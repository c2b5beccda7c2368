// Sorts a column's values for a builder: ordinary, missing (empty, NA) or outside the declared domain. One classifier,
// shared by `buildHierarchy` and by rules, so that a rule covers exactly what the built hierarchy would.

import { declaredMembership, declaredValues, describeDeclaredDomain } from './declared-domain.js';
import { distinctEntries, type DomainValue, type HierarchyDomain } from './domain.js';
import { emptyDomain, HierarchyBuildErrorCode, invalidValue, type BuildContext } from './failures.js';
import { listedValues } from './group.js';
import { MISSING_HINT, missingTest } from './missing.js';
import type { HierarchySpec } from './spec.js';

export type ValueClass = 'value' | 'missing' | 'outside';

/**
 * How a value of the column is treated: a value a group mapping lists is ordinary; otherwise an empty or `NA` value
 * (or one of `missing.values`) is missing; otherwise a value outside the declared domain is outside; else ordinary.
 */
export function valueClassifier(spec: HierarchySpec): (value: string) => ValueClass {
  const listed = spec.type === 'group' && spec.levels !== undefined ? listedValues(spec.levels) : undefined;
  const isMissing = missingTest(spec.missing);
  const inDomain = spec.domain === undefined ? undefined : declaredMembership(spec.domain);
  return (value) => {
    if (listed?.has(value)) return 'value';
    if (isMissing(value)) return 'missing';
    return inDomain === undefined || inDomain(value) ? 'value' : 'outside';
  };
}

/** The builder's name in messages. */
export function builderName(spec: HierarchySpec): string {
  if (spec.type === 'group') return spec.levels === undefined ? 'Ordered group' : 'Group';
  return `${spec.type[0].toUpperCase()}${spec.type.slice(1)}`;
}

/** The distinct values a hierarchy covers: the declared domain's, then the data's; and the missing ones apart. */
export interface PreparedValues {
  readonly values: DomainValue[];
  readonly missing: DomainValue[];
}

/**
 * The declared domain's values and the data's distinct values, sorted by `valueClassifier`. A missing value without
 * `missing: { label }`, or a value outside the declared domain, is an error naming the first such value's data line.
 */
export function prepareValues(spec: HierarchySpec, data: HierarchyDomain, context: BuildContext | undefined): PreparedValues {
  const builder = builderName(spec);
  const classify = valueClassifier(spec);
  const declared: DomainValue[] = spec.domain === undefined ? [] : declaredValues(spec.domain).map((value, index) => ({ value, index, declared: true }));
  const seen = new Set<string>();
  const values: DomainValue[] = [];
  const missing: DomainValue[] = [];
  const outside: DomainValue[] = [];
  for (const entry of [...declared, ...distinctEntries(data)]) {
    if (seen.has(entry.value)) continue;
    seen.add(entry.value);
    const kind = classify(entry.value);
    (kind === 'value' ? values : kind === 'missing' ? missing : outside).push(entry);
  }
  if (outside.length > 0) {
    const others = outside.length > 1 ? ` (${outside.length} distinct values are)` : '';
    throw invalidValue(builder, context, outside[0], `is outside the declared domain, ${describeDeclaredDomain(spec.domain!)}${others}`, HierarchyBuildErrorCode.outsideDomain);
  }
  if (missing.length > 0 && typeof spec.missing !== 'object') throw invalidValue(builder, context, missing[0], MISSING_HINT, HierarchyBuildErrorCode.missingValue);
  // A column of missing values only still has a hierarchy: their own label at every level the spec makes.
  if (values.length === 0 && missing.length === 0) throw emptyDomain(builder, context);
  return { values, missing };
}
