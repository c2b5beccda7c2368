// The flags that state a policy's privacy models and attribute types, shared by `cloak anonymize` and `cloak check`:
// their parseArgs options, their help text, and their strict parsing into ModelSpec[] and typed attributes.

import { parseTypeSpec, type ModelSpec, type TypedAttribute } from '../index.js';
import { pairs, type FlagProblems } from './flags.js';

/** Model flags that take `[attr=]value` and may be repeated, one per sensitive attribute or parameter. */
export const MODEL_FLAGS = ['l-distinct', 'l-entropy', 'l-recursive', 't-equal', 't-ordered', 't-hierarchical', 'delta-disclosure', 'beta-likeness', 'enhanced-beta-likeness'] as const;

type ModelFlag = (typeof MODEL_FLAGS)[number];

/** The parseArgs options of the model flags, `--k` and `--entropy-estimator` included. */
export const MODEL_FLAG_OPTIONS = {
  k: { type: 'string' },
  'entropy-estimator': { type: 'string' },
  ...(Object.fromEntries(MODEL_FLAGS.map((flag) => [flag, { type: 'string', multiple: true }])) as Record<ModelFlag, { type: 'string'; multiple: true }>),
} as const;

/** The help section listing the model flags, identical in every command that takes them. */
export const MODEL_FLAGS_HELP = `Privacy models (at least one):
  --k N                        k-anonymity
  --l-distinct [attr=]L        distinct l-diversity (every sensitive attribute, or one)
  --l-entropy [attr=]L         entropy l-diversity (--entropy-estimator shannon|grassberger)
  --l-recursive [attr=]C,L     recursive (c,l)-diversity
  --t-equal [attr=]T           t-closeness, equal ground distance
  --t-ordered [attr=]T         t-closeness, ordered distance (values sorted by type)
  --t-hierarchical [attr=]T    t-closeness, hierarchical distance (uses the attribute's hierarchy)
  --delta-disclosure [attr=]D  δ-disclosure privacy
  --beta-likeness [attr=]B     basic β-likeness;  --enhanced-beta-likeness [attr=]B  enhanced
  Model flags may be repeated, e.g. --l-distinct occupation=3 --l-distinct salary=2.`;

/** Parsed flag values as parseArgs returns them. */
export type ParsedValues = Record<string, string | string[] | boolean | undefined>;

/**
 * The privacy models the flags state, in flag order (`--k` first). A model flag without `attr=` applies to every
 * sensitive attribute. Adds a problem for every bad value, and one when no model is given at all.
 */
export function parseModelFlags(values: ParsedValues, sensitive: readonly string[], problems: FlagProblems): ModelSpec[] {
  const models: ModelSpec[] = [];
  const k = problems.number('k', values.k as string | undefined, { integer: true, min: 1 });
  if (k !== undefined) models.push({ type: 'k-anonymity', k });
  const estimator = problems.choice('entropy-estimator', values['entropy-estimator'] as string | undefined, ['shannon', 'grassberger'] as const);
  for (const flag of MODEL_FLAGS) {
    for (const entry of (values[flag] as string[] | undefined) ?? []) {
      const equals = entry.indexOf('=');
      const targets = equals === -1 ? sensitive : [entry.slice(0, equals).trim()];
      const parameter = equals === -1 ? entry : entry.slice(equals + 1);
      if (targets.length === 0) problems.add(`--${flag}: no sensitive attribute; give --sensitive or ${flag} attr=value`);
      for (const attribute of targets) {
        const spec = modelSpec(flag, attribute, parameter, problems, estimator);
        if (spec !== undefined) models.push(spec);
      }
    }
  }
  if (models.length === 0 && !problems.problems.some((p) => p.startsWith('--k'))) problems.add('no privacy model given: use --k and/or an l-diversity, t-closeness, δ-disclosure or β-likeness flag');
  return models;
}

/** `--types a=integer,d=date:FORMAT` as typed attributes by name; a problem for every bad entry. */
export function parseTypesFlag(text: string | undefined, problems: FlagProblems): Map<string, TypedAttribute> {
  const types = new Map<string, TypedAttribute>();
  for (const { attribute, value } of pairs(text ?? '')) {
    if (attribute === undefined || attribute === '') {
      problems.add(`--types: expected attribute=type entries, got "${value}"`);
      continue;
    }
    try {
      types.set(attribute, parseTypeSpec(value, attribute));
    } catch (error) {
      problems.add(`--types: ${(error as Error).message}`);
    }
  }
  return types;
}

function modelSpec(flag: ModelFlag, attribute: string, parameter: string, problems: FlagProblems, estimator: 'shannon' | 'grassberger' | undefined): ModelSpec | undefined {
  switch (flag) {
    case 'l-distinct': {
      const l = problems.number(flag, parameter, { integer: true, min: 1 });
      return l === undefined ? undefined : { type: 'distinct-l-diversity', attribute, l };
    }
    case 'l-entropy': {
      const l = problems.number(flag, parameter, { min: 1 });
      return l === undefined ? undefined : { type: 'entropy-l-diversity', attribute, l, estimator };
    }
    case 'l-recursive': {
      const parts = parameter.split(',');
      if (parts.length !== 2) {
        problems.add(`--l-recursive: expected C,L (e.g. 3,2), got "${parameter}"`);
        return undefined;
      }
      const c = problems.number(flag, parts[0], { min: 0, minExclusive: true });
      const l = problems.number(flag, parts[1], { integer: true, min: 1 });
      return c === undefined || l === undefined ? undefined : { type: 'recursive-cl-diversity', attribute, c, l };
    }
    case 't-equal':
    case 't-ordered':
    case 't-hierarchical': {
      const t = problems.number(flag, parameter, { min: 0, max: 1 });
      const distance = flag === 't-equal' ? 'equal' : flag === 't-ordered' ? 'ordered' : 'hierarchical';
      return t === undefined ? undefined : { type: 't-closeness', attribute, t, distance };
    }
    case 'delta-disclosure': {
      const delta = problems.number(flag, parameter, { min: 0, minExclusive: true });
      return delta === undefined ? undefined : { type: 'delta-disclosure', attribute, delta };
    }
    case 'beta-likeness':
    case 'enhanced-beta-likeness': {
      const beta = problems.number(flag, parameter, { min: 0, minExclusive: true });
      return beta === undefined ? undefined : { type: 'beta-likeness', attribute, beta, enhanced: flag === 'enhanced-beta-likeness' };
    }
  }
}
