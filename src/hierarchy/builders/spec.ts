// The JSON-friendly hierarchy spec (a tagged union on `type`), its validation for policy files,
// and `buildHierarchy`, which dispatches a spec to its builder.

import { describeLocation, usageError, type ErrorLocation } from '../../errors.js';
import { buildDateHierarchy, type DateOptions } from './date.js';
import type { HierarchyDomain } from './domain.js';
import { HierarchyBuildErrorCode, type BuildContext } from './failures.js';
import { buildFrequencyHierarchy, type FrequencyOptions } from './frequency.js';
import { buildGroupHierarchy, type GroupMappingOptions } from './group.js';
import { collectGroupLevelProblems } from './group-levels.js';
import { buildIntervalHierarchy, type IntervalOptions } from './interval.js';
import { buildMaskHierarchy, type MaskOptions } from './mask.js';
import { buildOrderedHierarchy, type OrderedGroupOptions } from './ordered.js';

export type IntervalSpec = { type: 'interval' } & IntervalOptions;
export type MaskSpec = { type: 'mask' } & MaskOptions;
export type DateSpec = { type: 'date' } & DateOptions;
/** A user mapping (`levels`) or consecutive runs of sorted values (`runSizes`): exactly one of the two. */
export type GroupSpec = { type: 'group' } & (GroupMappingOptions | OrderedGroupOptions);
export type FrequencySpec = { type: 'frequency' } & FrequencyOptions;

export type HierarchySpec = IntervalSpec | MaskSpec | DateSpec | GroupSpec | FrequencySpec;
export type HierarchyType = HierarchySpec['type'];

/** Builds the hierarchy rows `[value, level 1, …, *]` that `spec` describes, one per distinct value. */
export function buildHierarchy(spec: HierarchySpec, values: HierarchyDomain, context?: BuildContext): string[][] {
  switch (spec.type) {
    case 'interval':
      return buildIntervalHierarchy(values, spec, context);
    case 'mask':
      return buildMaskHierarchy(values, spec, context);
    case 'date':
      return buildDateHierarchy(values, spec, context);
    case 'group':
      return spec.runSizes !== undefined ? buildOrderedHierarchy(values, spec, context) : buildGroupHierarchy(values, spec, context);
    case 'frequency':
      return buildFrequencyHierarchy(values, spec, context);
    default:
      return unknownType(spec);
  }
}

function unknownType(spec: never): never {
  throw usageError(HierarchyBuildErrorCode.invalidSpec, `unknown hierarchy type ${JSON.stringify((spec as { type: unknown }).type)}`);
}

type FieldKind = 'number' | 'string' | 'numbers' | 'groupLevels';

/** Allowed fields per type and what they hold; `required` fields must be present. */
const SPEC_FIELDS: Record<HierarchyType, { fields: Record<string, FieldKind>; required: string[] }> = {
  interval: { fields: { width: 'number', fanout: 'numbers', origin: 'number', lower: 'number', upper: 'number' }, required: ['width'] },
  mask: { fields: { direction: 'string', maskChar: 'string', levels: 'number' }, required: [] },
  date: { fields: { chain: 'string', format: 'string' }, required: [] },
  group: { fields: { levels: 'groupLevels', runSizes: 'numbers' }, required: [] },
  frequency: { fields: { threshold: 'number', otherLabel: 'string' }, required: ['threshold'] },
};

/**
 * Checks that `raw` (parsed JSON) has the shape of a `HierarchySpec`: a known `type`, only the
 * fields of that type with the right JSON types, and for `group` exactly one of `levels` and
 * `runSizes`. Every problem is reported at once. Value ranges (a width above 0, a valid format…)
 * are checked by the builders. `where` locates the spec in its file (`path` defaults to `$`).
 */
export function parseHierarchySpec(raw: unknown, where: ErrorLocation = {}): HierarchySpec {
  const path = where.path ?? '$';
  const problems = specProblems(raw, path);
  if (problems.length > 0) {
    const location = describeLocation({ ...where, path });
    throw usageError(HierarchyBuildErrorCode.invalidSpec, `invalid hierarchy spec (${location}): ${problems.join('; ')}`, {
      location: { ...where, path },
      problems,
    });
  }
  return raw as HierarchySpec;
}

function specProblems(raw: unknown, path: string): string[] {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) return [`${path} must be an object`];
  const record = raw as Record<string, unknown>;
  const type = record.type;
  if (typeof type !== 'string' || !Object.hasOwn(SPEC_FIELDS, type)) {
    return [`${path}.type must be one of ${Object.keys(SPEC_FIELDS).map((name) => `"${name}"`).join(', ')}`];
  }
  const { fields, required } = SPEC_FIELDS[type as HierarchyType];
  const problems: string[] = [];
  for (const [name, value] of Object.entries(record)) {
    if (name === 'type') continue;
    const kind = fields[name];
    if (kind === undefined) problems.push(`${path}.${name} is not a field of "${type}" specs`);
    else checkField(value, kind, `${path}.${name}`, problems);
  }
  for (const name of required) {
    if (record[name] === undefined) problems.push(`${path}.${name} is required`);
  }
  if (type === 'group' && (record.levels === undefined) === (record.runSizes === undefined)) {
    problems.push(`${path} must have exactly one of "levels" and "runSizes"`);
  }
  return problems;
}

function checkField(value: unknown, kind: FieldKind, path: string, problems: string[]): void {
  switch (kind) {
    case 'number':
      if (typeof value !== 'number') problems.push(`${path} must be a number`);
      return;
    case 'string':
      if (typeof value !== 'string') problems.push(`${path} must be a string`);
      return;
    case 'numbers':
      if (!Array.isArray(value) || !value.every((item) => typeof item === 'number')) problems.push(`${path} must be an array of numbers`);
      return;
    case 'groupLevels':
      collectGroupLevelProblems(value, path, problems);
      return;
  }
}
