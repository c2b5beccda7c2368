// `buildHierarchy`: a spec and the data's values → hierarchy rows, the declared domain's values included, missing
// values under their own label. Rule specs label through their compiled rule; frequency and group runs build whole.

import type { HierarchyDomain } from './domain.js';
import { invalidSpec, type BuildContext } from './failures.js';
import { countValues, frequencyRows } from './frequency.js';
import { labelRows } from './labeler.js';
import { orderedRows } from './ordered.js';
import { builderName, prepareValues } from './prepare.js';
import { compileRule, resolveRule } from './rule.js';
import type { HierarchySpec } from './spec.js';

/** Builds the hierarchy rows `[value, level 1, …, *]` that `spec` describes: one per distinct value, the declared domain's first. */
export function buildHierarchy(spec: HierarchySpec, values: HierarchyDomain, context?: BuildContext): string[][] {
  const builder = builderName(spec);
  const prepared = prepareValues(spec, values, context);
  const rule = resolveRule(spec, prepared.values, context);
  let rows: string[][];
  let height: number;
  if (rule !== undefined) {
    // Builders whose labels are a function of the value are rules: the rows are the rule applied to each value.
    const { labeler } = compileRule(rule, context);
    rows = labelRows(prepared.values, labeler, builder, context);
    height = labeler.height;
  } else if (prepared.values.length === 0) {
    // Missing values only: a frequency hierarchy always has one level; runs of no values have none.
    rows = [];
    height = spec.type === 'frequency' ? 1 : 0;
  } else {
    if (spec.type === 'frequency') {
      const counts = countValues(values, context);
      rows = frequencyRows(prepared.values, (value) => counts.get(value) ?? 0, spec, context);
    } else {
      rows = orderedRows(prepared.values, spec as Extract<HierarchySpec, { runSize: number }>, context);
    }
    height = rows[0].length - 2;
  }
  if (typeof spec.missing !== 'object') return rows;
  const { label } = spec.missing;
  const collides = rows.some((row) => row.slice(1, -1).includes(label));
  if (collides) throw invalidSpec(builder, context, `missing.label ${JSON.stringify(label)} is also the label of other values; choose another label`);
  return [...rows, ...prepared.missing.map(({ value }) => [value, ...Array<string>(height).fill(label), '*'])];
}
