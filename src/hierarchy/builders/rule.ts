// Hierarchies as rules: a spec with every data-dependent parameter fixed, which labels any value it covers, not only
// the planning data's. `buildHierarchy` labels through the same compiled rule, so rows and rules cannot disagree.

import { usageError, type ErrorLocation } from '../../errors.js';
import { dateLabeler, type DateChain } from './date.js';
import type { DomainValue, HierarchyDomain } from './domain.js';
import type { BuildContext } from './failures.js';
import { groupLabeler, type GroupLevel } from './group.js';
import { intervalLabeler, type IntervalOptions } from './interval.js';
import type { Labeler } from './labeler.js';
import { maskLabeler, resolveMask, type ResolvedMask } from './mask.js';
import { checkField, COMMON_FIELDS, type CommonSpecOptions, type FieldKind, type HierarchySpec } from './spec.js';
import { prepareValues, valueClassifier, type ValueClass } from './prepare.js';

export type IntervalRule = { type: 'interval' } & IntervalOptions & CommonSpecOptions;
/** A date rule states its chain and format, so that a later change of the defaults cannot change it. */
export type DateRule = { type: 'date'; chain: DateChain; format: string } & CommonSpecOptions;
/** A mask rule fixes the width (`length`) and level count the planning data gave. */
export type MaskRule = { type: 'mask' } & ResolvedMask & CommonSpecOptions;
export type GroupRule = { type: 'group'; levels: GroupLevel[] } & CommonSpecOptions;

/** A JSON-serializable hierarchy that labels any value it covers; see `hierarchyRule`. */
export type HierarchyRule = IntervalRule | DateRule | MaskRule | GroupRule;

export const HierarchyRuleErrorCode = {
  /** A rule read back from JSON has the wrong shape or invalid parameters (exit 2). */
  invalid: 'HIERARCHY_RULE_INVALID',
} as const;

/**
 * The rule of `spec` given the values it was planned on (the data's, plus its declared domain): for interval and date
 * specs the spec itself (defaults made explicit), for a mask the width and level count the planning values give, for a
 * group mapping the mapping. Undefined for specs whose labels depend on the whole data set (frequency, group runs).
 * Call it on values `buildHierarchy` accepts; it reports the same spec errors.
 */
export function hierarchyRule(spec: HierarchySpec, planningValues: HierarchyDomain, context?: BuildContext): HierarchyRule | undefined {
  if (!isRuleSpec(spec)) return undefined;
  return resolveRule(spec, prepareValues(spec, planningValues, context).values, context);
}

/**
 * The full hierarchy row `[value, level 1, …, *]` of any value the rule covers: an interval any finite number (within
 * the declared domain, if any), a mask any code no longer than its width, a date any date in its format, a group any
 * value its levels list; a missing value when the rule has `missing: { label }`. Undefined for any other value.
 */
export function ruleLabels(rule: HierarchyRule, value: string): string[] | undefined {
  const { classify, labeler, missingLabel } = compiledRule(rule);
  const kind = classify(value);
  if (kind === 'outside') return undefined;
  if (kind === 'missing') return missingLabel === undefined ? undefined : [value, ...Array<string>(labeler.height).fill(missingLabel), '*'];
  const labels = labeler.labelsOf(value);
  // A value labelled like the missing values would merge with them; the built hierarchy refuses such a label too.
  if (typeof labels === 'string' || (missingLabel !== undefined && labels.includes(missingLabel))) return undefined;
  return [value, ...labels, '*'];
}

/** Specs whose labels are a function of the value once a few parameters are fixed. */
function isRuleSpec(spec: HierarchySpec): boolean {
  return spec.type === 'interval' || spec.type === 'date' || spec.type === 'mask' || (spec.type === 'group' && spec.levels !== undefined);
}

/** The rule of a rule spec planned on `values` (ordinary values only), or undefined for the other specs. */
export function resolveRule(spec: HierarchySpec, values: readonly DomainValue[], context: BuildContext | undefined): HierarchyRule | undefined {
  const common: CommonSpecOptions = { ...(spec.domain === undefined ? {} : { domain: spec.domain }), ...(spec.missing === undefined ? {} : { missing: spec.missing }) };
  switch (spec.type) {
    case 'interval': {
      const { width, fanout, origin, lower, upper } = spec;
      return { type: 'interval', width, ...definedFields({ fanout, origin, lower, upper }), ...common };
    }
    case 'date':
      return { type: 'date', chain: spec.chain ?? 'calendar', format: spec.format ?? 'YYYY-MM-DD', ...common };
    case 'mask':
      return { type: 'mask', ...resolveMask(spec, values.map(({ value }) => value), context), ...common };
    case 'group':
      return spec.levels === undefined ? undefined : { type: 'group', levels: spec.levels, ...common };
    default:
      return undefined;
  }
}

export interface CompiledRule {
  readonly labeler: Labeler;
  readonly classify: (value: string) => ValueClass;
  readonly missingLabel: string | undefined;
}

/** Validates a rule's parameters (throwing the builders' spec errors) and prepares its labeler. */
export function compileRule(rule: HierarchyRule, context?: BuildContext): CompiledRule {
  const labeler =
    rule.type === 'interval' ? intervalLabeler(rule, context)
    : rule.type === 'date' ? dateLabeler(rule, context)
    : rule.type === 'mask' ? maskLabeler(resolveMask(rule, [], context, rule.length))
    : groupLabeler(rule, context);
  return {
    labeler,
    // A rule is a spec with fixed parameters, so the spec's classifier applies to it.
    classify: valueClassifier(rule as HierarchySpec),
    missingLabel: typeof rule.missing === 'object' ? rule.missing.label : undefined,
  };
}

const compiled = new WeakMap<HierarchyRule, CompiledRule>();

/** `compileRule`, once per rule object: rules label many values. */
function compiledRule(rule: HierarchyRule): CompiledRule {
  let known = compiled.get(rule);
  if (known === undefined) {
    known = compileRule(rule);
    compiled.set(rule, known);
  }
  return known;
}

/** Fields per rule type, and which are required (a rule states what a spec may leave to defaults). */
const RULE_FIELDS: Record<HierarchyRule['type'], { fields: Record<string, FieldKind>; required: string[] }> = {
  interval: { fields: { width: 'number', fanout: 'numbers', origin: 'number', lower: 'number', upper: 'number' }, required: ['width'] },
  date: { fields: { chain: 'string', format: 'string' }, required: ['chain', 'format'] },
  mask: {
    fields: { direction: 'string', maskChar: 'string', align: 'string', padChar: 'string', length: 'number', levels: 'number' },
    required: ['direction', 'maskChar', 'length', 'levels'],
  },
  group: { fields: { levels: 'groupLevels' }, required: ['levels'] },
};

/**
 * Validates a rule read back from JSON (a plan file): its shape, then its parameters. Every shape problem is listed
 * at once, with its JSON path under `where.path` (default `$`).
 * @throws CloakError `HIERARCHY_RULE_INVALID` (exit 2).
 */
export function parseHierarchyRule(raw: unknown, where: ErrorLocation = {}): HierarchyRule {
  const path = where.path ?? '$';
  const problems = ruleProblems(raw, path);
  if (problems.length === 0) {
    try {
      compileRule(raw as HierarchyRule);
    } catch (error) {
      problems.push(`${path}: ${(error as Error).message}`);
    }
  }
  if (problems.length > 0) {
    throw usageError(HierarchyRuleErrorCode.invalid, `invalid hierarchy rule: ${problems.join('; ')}`, { location: { ...where, path }, problems });
  }
  return raw as HierarchyRule;
}

function ruleProblems(raw: unknown, path: string): string[] {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) return [`${path} must be an object`];
  const record = raw as Record<string, unknown>;
  const type = record.type;
  if (typeof type !== 'string' || !Object.hasOwn(RULE_FIELDS, type)) {
    return [`${path}.type must be one of ${Object.keys(RULE_FIELDS).map((name) => `"${name}"`).join(', ')}`];
  }
  const { fields, required } = RULE_FIELDS[type as HierarchyRule['type']];
  const problems: string[] = [];
  for (const [name, value] of Object.entries(record)) {
    if (name === 'type') continue;
    const kind = fields[name] ?? COMMON_FIELDS[name];
    if (kind === undefined) problems.push(`${path}.${name} is not a field of "${type}" rules`);
    else checkField(value, kind, `${path}.${name}`, problems);
  }
  for (const name of required) if (record[name] === undefined) problems.push(`${path}.${name} is required`);
  return problems;
}

function definedFields<T extends object>(fields: T): Partial<T> {
  return Object.fromEntries(Object.entries(fields).filter(([, value]) => value !== undefined)) as Partial<T>;
}
