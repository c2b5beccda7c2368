// The JSON-friendly hierarchy spec (a tagged union on `type`, with an optional declared domain and missing-value
// option on every type) and its validation for policy and spec files, every problem at once.

import { describeLocation, usageError, type ErrorLocation } from '../../errors.js';
import type { DateOptions } from './date.js';
import { collectDeclaredDomainProblems, type DeclaredDomain } from './declared-domain.js';
import { HierarchyBuildErrorCode } from './failures.js';
import type { FrequencyOptions } from './frequency.js';
import type { GroupMappingOptions } from './group.js';
import { collectGroupLevelProblems } from './group-levels.js';
import type { IntervalOptions } from './interval.js';
import type { MaskOptions } from './mask.js';
import { collectMissingProblems, type MissingOption } from './missing.js';
import { legacyRunSizesProblem, type OrderedGroupOptions } from './ordered.js';

/** Fields every spec type may have. */
export interface CommonSpecOptions {
  /**
   * Values the hierarchy covers even where the data lacks them: `{ from, to }` (whole numbers; data values may be any
   * number in the range) or a list of values. A data value outside it is an error naming file, column and line.
   */
  domain?: DeclaredDomain;
  /** Missing values (empty, `NA`): `"error"` (the default) or `{ label }`, their own label at every level below `*`. */
  missing?: MissingOption;
}

export type IntervalSpec = { type: 'interval' } & IntervalOptions & CommonSpecOptions;
export type MaskSpec = { type: 'mask' } & MaskOptions & CommonSpecOptions;
export type DateSpec = { type: 'date' } & DateOptions & CommonSpecOptions;
/** A user mapping (`levels`) or consecutive runs of sorted values (`runSize`, `fanout`): exactly one of the two. */
export type GroupSpec = { type: 'group' } & (GroupMappingOptions | OrderedGroupOptions) & CommonSpecOptions;
export type FrequencySpec = { type: 'frequency' } & FrequencyOptions & CommonSpecOptions;

export type HierarchySpec = IntervalSpec | MaskSpec | DateSpec | GroupSpec | FrequencySpec;
export type HierarchyType = HierarchySpec['type'];

export type FieldKind = 'number' | 'string' | 'numbers' | 'groupLevels' | 'domain' | 'missing';

/** Allowed fields per type and what they hold; `required` fields must be present. */
const SPEC_FIELDS: Record<HierarchyType, { fields: Record<string, FieldKind>; required: string[] }> = {
  interval: { fields: { width: 'number', fanout: 'numbers', origin: 'number', lower: 'number', upper: 'number' }, required: ['width'] },
  mask: { fields: { direction: 'string', maskChar: 'string', levels: 'number', align: 'string', padChar: 'string' }, required: [] },
  date: { fields: { chain: 'string', format: 'string' }, required: [] },
  group: { fields: { levels: 'groupLevels', runSize: 'number', fanout: 'numbers' }, required: [] },
  frequency: { fields: { threshold: 'number', otherLabel: 'string' }, required: ['threshold'] },
};

/** The fields every type accepts. */
export const COMMON_FIELDS: Record<string, FieldKind> = { domain: 'domain', missing: 'missing' };

/**
 * Checks that `raw` (parsed JSON) has the shape of a `HierarchySpec`: a known `type`, only the
 * fields of that type with the right JSON types, and for `group` exactly one of `levels` and
 * `runSize`. Every problem is reported at once. Value ranges (a width above 0, a valid format…)
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

/** Every problem of `raw` as a hierarchy spec at JSON path `path`; none when it has the shape of one. */
export function specProblems(raw: unknown, path: string): string[] {
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
    if (type === 'group' && name === 'runSizes') problems.push(`${path}.${legacyRunSizesProblem(value)}`);
    else {
      const kind = fields[name] ?? COMMON_FIELDS[name];
      if (kind === undefined) problems.push(`${path}.${name} is not a field of "${type}" specs`);
      else checkField(value, kind, `${path}.${name}`, problems);
    }
  }
  for (const name of required) {
    if (record[name] === undefined) problems.push(`${path}.${name} is required`);
  }
  if (type === 'group' && record.runSizes === undefined) {
    if ((record.levels === undefined) === (record.runSize === undefined)) problems.push(`${path} must have exactly one of "levels" and "runSize"`);
    if (record.fanout !== undefined && record.runSize === undefined) problems.push(`${path}.fanout applies to "runSize" only`);
  }
  return problems;
}

export function checkField(value: unknown, kind: FieldKind, path: string, problems: string[]): void {
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
    case 'domain':
      collectDeclaredDomainProblems(value, path, problems);
      return;
    case 'missing':
      collectMissingProblems(value, path, problems);
      return;
  }
}
