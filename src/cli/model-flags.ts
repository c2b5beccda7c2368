// The flags that state a policy's privacy models and attribute types, shared by `cloak anonymize` and `cloak check`:
// their parseArgs options, their help text, and their strict parsing into ModelSpec[] and typed attributes.

import { parseTypeSpec, resolvePopulationSize, type AttributeOptions, type ModelSpec, type PopulationModel, type TypedAttribute } from '../index.js';
import { pairs, type FlagProblems, type ParsedValues } from './flags.js';

/** Model flags that take `[attr=]value` and may be repeated, one per sensitive attribute or parameter. */
export const MODEL_FLAGS = ['l-distinct', 'l-entropy', 'l-recursive', 't-equal', 't-ordered', 't-hierarchical', 'delta-disclosure', 'beta-likeness', 'enhanced-beta-likeness'] as const;

type ModelFlag = (typeof MODEL_FLAGS)[number];

/**
 * The risk-based model flags and the risk figures they read (`--population`, `--risk-threshold`), which the
 * report's risk section shares.
 */
const RISK_FLAG_OPTIONS = {
  'max-risk': { type: 'string' },
  'max-average-risk': { type: 'string' },
  'max-records-at-risk': { type: 'string' },
  'max-population-uniqueness': { type: 'string' },
  'population-model': { type: 'string' },
  population: { type: 'string' },
  'risk-threshold': { type: 'string' },
} as const;

/** k-map, δ-presence and differential privacy, with the flags that tune them. */
const POPULATION_FLAG_OPTIONS = {
  'k-map': { type: 'string' },
  estimator: { type: 'string' },
  significance: { type: 'string' },
  'delta-presence': { type: 'string' },
  'subset-column': { type: 'string' },
  'subset-file': { type: 'string' },
  epsilon: { type: 'string' },
  delta: { type: 'string' },
  'dp-levels': { type: 'string' },
  'dp-search-budget': { type: 'string' },
  'dp-steps': { type: 'string' },
  seed: { type: 'string' },
} as const;

/** The parseArgs options of the model flags, `--k`, `--entropy-estimator` and the risk flags included. */
export const MODEL_FLAG_OPTIONS = {
  k: { type: 'string' },
  'entropy-estimator': { type: 'string' },
  ...RISK_FLAG_OPTIONS,
  ...POPULATION_FLAG_OPTIONS,
  ...(Object.fromEntries(MODEL_FLAGS.map((flag) => [flag, { type: 'string', multiple: true }])) as Record<ModelFlag, { type: 'string'; multiple: true }>),
} as const;

/** Models whose measure is a figure of the whole release (reported and checked as one), not the worst class's. */
export const RELEASE_WIDE_MODELS: readonly ModelSpec['type'][] = ['average-risk', 'records-at-risk', 'population-uniqueness'];

/** The flags that each state a model. */
const MODEL_FLAG_NAMES: readonly string[] = ['k', 'max-risk', 'max-average-risk', 'max-records-at-risk', 'max-population-uniqueness', 'k-map', 'delta-presence', 'epsilon', 'delta', ...MODEL_FLAGS];

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
  --max-risk R                 highest re-identification risk 1/|class| ≤ R (classes of ≥ ⌈1/R⌉ records)
  --max-average-risk R         average risk (released classes / released records) ≤ R
  --max-records-at-risk S      share of released records whose risk is > --risk-threshold ≤ S
  --max-population-uniqueness U  estimated share of the population unique on the quasi-identifiers ≤ U
                               (needs --population; --population-model pitman|zayatz|snb|dankar, default dankar)
                               Where a limit fails, released classes are suppressed further, smallest first,
                               within --suppression (as ARX does); the report counts them (suppressedForRiskLimits).
  --k-map K                    every released class stands for ≥ K people of the population: counted from
                               --population-table (its rows generalized like the data), or estimated from the
                               sample with --estimator poisson|zero-truncated-poisson, --population N and
                               --significance A (default 0.01), as ARX does
  --delta-presence MIN,MAX     δ-presence: the input is the population, a research subset of it is released, and
                               in every class MIN ≤ subset records / population records ≤ MAX; the subset is
                               --subset-column C (a column of true/false, 1/0 or yes/no) or --subset-file F (its
                               rows, each matched to one identical input row); only the subset is written
  --epsilon E --delta D        (ε, δ)-differential privacy by sampling and k-anonymization (SafePub): each record
                               is kept with probability β = 1 − e^(−ε_anon), classes of the sample below the k
                               derived from ε_anon and δ are suppressed, dropped records are released suppressed.
                               Every class below k is suppressed whatever its size (no --suppression below 1).
                               The transformation is --dp-levels a=1,b=2,… (one per quasi-identifier; ε_anon = ε)
                               or chosen by the exponential mechanism over --dp-steps N steps (default 1000/#QI)
                               spending --dp-search-budget B (absolute, default 0.1; ε_anon = ε − B). Randomness is
                               cryptographic; --seed N makes a run reproducible, for tests only. Combines only
                               with --k and --max-risk.
  Model flags may be repeated, e.g. --l-distinct occupation=3 --l-distinct salary=2.
  --population P               population size: an integer N or USA, UK, Germany, France, Canada, EU
  --risk-threshold T           records whose risk 1/|class| is > T are "at risk", T in [0, 1] (default 0.2)`;

/** `--population`, `--risk-threshold` and `--population-model`, each undefined when absent or bad. */
export interface RiskFlags {
  readonly population?: number;
  readonly threshold?: number;
  readonly populationModel?: PopulationModel;
}

/** Parses the risk figures' flags; a problem for every bad value. */
export function parseRiskFlags(values: ParsedValues, problems: FlagProblems): RiskFlags {
  const text = values.population as string | undefined;
  let population: number | undefined;
  if (text !== undefined) {
    try {
      population = resolvePopulationSize(text);
    } catch {
      problems.add(`--population: expected a positive integer or USA, UK, Germany, France, Canada, EU, got "${text}"`);
    }
  }
  return {
    population,
    threshold: problems.number('risk-threshold', values['risk-threshold'] as string | undefined, { min: 0, max: 1 }),
    populationModel: problems.choice('population-model', values['population-model'] as string | undefined, ['pitman', 'zayatz', 'snb', 'dankar'] as const),
  };
}

/**
 * The privacy models the flags state, in flag order (`--k` first, the risk-based models last). A model flag without
 * `attr=` applies to every sensitive attribute. Adds a problem for every bad value, and one when no model is given.
 * `risk` is the parsed risk figures' flags, when the caller needs them too (parsed here otherwise).
 */
export function parseModelFlags(values: ParsedValues, sensitive: readonly string[], problems: FlagProblems, risk: RiskFlags = parseRiskFlags(values, problems)): ModelSpec[] {
  const models: ModelSpec[] = [];
  const k = problems.number('k', values.k as string | undefined, { integer: true, min: 1 });
  if (k !== undefined) models.push({ type: 'k-anonymity', k });
  const estimator = problems.choice('entropy-estimator', values['entropy-estimator'] as string | undefined, ['shannon', 'grassberger'] as const);
  for (const flag of MODEL_FLAGS) {
    for (const entry of (values[flag] as string[] | undefined) ?? []) {
      const equals = entry.indexOf('=');
      const targets = equals === -1 ? sensitive : [entry.slice(0, equals).trim()];
      const parameter = equals === -1 ? entry : entry.slice(equals + 1);
      if (targets.length === 0) problems.add(`--${flag}: no sensitive attribute; give --sensitive or --${flag} attr=value`);
      for (const attribute of targets) {
        const spec = modelSpec(flag, attribute, parameter, problems, estimator);
        if (spec !== undefined) models.push(spec);
      }
    }
  }
  models.push(...riskModels(values, risk, problems));
  models.push(...populationModels(values, risk, problems));
  // A model flag given but refused already has its own problem: "no model" would only repeat it.
  if (models.length === 0 && !MODEL_FLAG_NAMES.some((flag) => values[flag] !== undefined)) {
    problems.add('no privacy model given: use --k and/or an l-diversity, t-closeness, δ-disclosure, β-likeness, risk, --k-map, --delta-presence or --epsilon flag');
  }
  return models;
}

/** The models of `--k-map`, `--delta-presence` and `--epsilon`/`--delta`, each with the flags that tune it. */
function populationModels(values: ParsedValues, risk: RiskFlags, problems: FlagProblems): ModelSpec[] {
  const text = (flag: string) => values[flag] as string | undefined;
  const orphan = (flags: readonly string[], needs: string) => {
    for (const flag of flags) if (text(flag) !== undefined && text(needs) === undefined) problems.add(`--${flag} tunes --${needs}, which is not given`);
  };
  orphan(['estimator', 'significance'], 'k-map');
  orphan(['subset-column', 'subset-file'], 'delta-presence');
  orphan(['dp-levels', 'dp-search-budget', 'dp-steps', 'seed'], 'epsilon');
  const models: ModelSpec[] = [];

  const k = problems.number('k-map', text('k-map'), { integer: true, min: 1 });
  const estimator = problems.choice('estimator', text('estimator'), ['poisson', 'zero-truncated-poisson'] as const);
  const significance = problems.number('significance', text('significance'), { min: 0, max: 1 });
  if (k !== undefined && estimator === undefined && text('estimator') === undefined) {
    if (significance !== undefined) problems.add('--significance applies to an estimated k-map (--estimator)');
    models.push({ type: 'k-map', k });
  } else if (k !== undefined && estimator !== undefined) {
    if (text('population') === undefined) problems.add('--estimator needs --population (the population size N, or USA, UK, Germany, France, Canada, EU)');
    else if (risk.population !== undefined) models.push({ type: 'k-map', k, estimator, populationSize: risk.population, ...(significance === undefined ? {} : { significance }) });
  }

  const presence = text('delta-presence');
  if (presence !== undefined) {
    const bounds = presence.split(',');
    const [deltaMin, deltaMax] = bounds.length === 2 ? bounds.map((bound) => problems.number('delta-presence', bound, { min: 0, max: 1 })) : [undefined, undefined];
    if (bounds.length !== 2) problems.add(`--delta-presence: expected MIN,MAX (e.g. 0,0.5), got "${presence}"`);
    const column = text('subset-column');
    const file = text('subset-file');
    if ((column === undefined) === (file === undefined)) problems.add('--delta-presence needs exactly one of --subset-column C and --subset-file F');
    else if (deltaMin !== undefined && deltaMax !== undefined) {
      models.push({ type: 'delta-presence', deltaMin, deltaMax, ...(column !== undefined ? { subsetColumn: column } : { subsetFile: file! }) });
    }
  }

  if ((text('epsilon') === undefined) !== (text('delta') === undefined)) problems.add('--epsilon and --delta go together: (ε, δ)-differential privacy needs both');
  const epsilon = problems.number('epsilon', text('epsilon'), { min: 0, minExclusive: true });
  const delta = problems.number('delta', text('delta'), { min: 0, minExclusive: true });
  if (delta !== undefined && delta >= 1) problems.add(`--delta: expected a number in (0, 1), got "${text('delta')}"`);
  const searchBudget = problems.number('dp-search-budget', text('dp-search-budget'), { min: 0, minExclusive: true });
  const steps = problems.number('dp-steps', text('dp-steps'), { integer: true, min: 1 });
  const seed = problems.number('seed', text('seed'), { integer: true, min: 0 });
  if (seed !== undefined && !Number.isSafeInteger(seed)) problems.add(`--seed: expected an integer below 2^53, got "${text('seed')}"`);
  let levels: Record<string, number> | undefined;
  if (text('dp-levels') !== undefined) {
    if (searchBudget !== undefined || steps !== undefined) problems.add('--dp-search-budget and --dp-steps tune the search; --dp-levels fixes the transformation instead');
    levels = Object.create(null) as Record<string, number>;
    for (const { attribute, value } of pairs(text('dp-levels')!)) {
      if (attribute === undefined || attribute === '') problems.add(`--dp-levels: expected attribute=level entries, got "${value}"`);
      else {
        const level = problems.number('dp-levels', value, { integer: true, min: 0 });
        if (level !== undefined) levels[attribute] = level;
      }
    }
  }
  if (epsilon !== undefined && delta !== undefined && delta < 1) {
    models.push({
      type: 'differential-privacy',
      epsilon,
      delta,
      ...(levels === undefined ? {} : { levels }),
      ...(searchBudget === undefined ? {} : { searchBudget }),
      ...(steps === undefined ? {} : { steps }),
      ...(seed === undefined ? {} : { seed }),
    });
  }
  return models;
}

/** The risk-based models of `--max-risk`, `--max-average-risk`, `--max-records-at-risk`, `--max-population-uniqueness`. */
function riskModels(values: ParsedValues, risk: RiskFlags, problems: FlagProblems): ModelSpec[] {
  const models: ModelSpec[] = [];
  const share = (flag: string, positive: boolean): number | undefined => {
    const value = problems.number(flag, values[flag] as string | undefined, { min: 0, max: 1 });
    if (!positive || value !== 0) return value;
    problems.add(`--${flag}: expected a number in (0, 1], got "${values[flag] as string}"`);
    return undefined;
  };
  const maxRisk = share('max-risk', true);
  if (maxRisk !== undefined) models.push({ type: 'highest-risk', maxRisk });
  const maxAverage = share('max-average-risk', true);
  if (maxAverage !== undefined) models.push({ type: 'average-risk', maxRisk: maxAverage });
  const maxShare = share('max-records-at-risk', false);
  if (maxShare !== undefined) models.push({ type: 'records-at-risk', maxShare, threshold: risk.threshold ?? 0.2 });
  const maxUniqueness = share('max-population-uniqueness', false);
  if (values['max-population-uniqueness'] !== undefined && values.population === undefined) {
    problems.add('--max-population-uniqueness needs --population (a size N or USA, UK, Germany, France, Canada, EU)');
  } else if (maxUniqueness !== undefined && risk.population !== undefined) {
    models.push({ type: 'population-uniqueness', maxUniqueness, populationSize: risk.population, model: risk.populationModel ?? 'dankar' });
  }
  return models;
}

/** `--types a=integer,d=date:FORMAT` as typed attributes by name; a problem for every bad entry. */
function parseTypesFlag(text: string | undefined, problems: FlagProblems): Map<string, TypedAttribute> {
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

/**
 * Attributes from the role flags (`--qi`, `--sensitive`, `--identifying`) and `--types`: a column given two roles
 * is a problem; a typed column without a role is insensitive.
 */
export function parseAttributeFlags(roles: { qi: readonly string[]; sensitive: readonly string[]; identifying: readonly string[] }, typesText: string | undefined, problems: FlagProblems): Record<string, AttributeOptions> {
  const attributes: Record<string, AttributeOptions> = Object.create(null);
  const assignRole = (names: readonly string[], role: AttributeOptions['role'], flag: string) => {
    for (const name of names) {
      if (attributes[name] !== undefined) problems.add(`--${flag}: column "${name}" already has the role ${attributes[name].role}`);
      else attributes[name] = { role };
    }
  };
  assignRole(roles.qi, 'quasi-identifying', 'qi');
  assignRole(roles.sensitive, 'sensitive', 'sensitive');
  assignRole(roles.identifying, 'identifying', 'identifying');
  for (const [attribute, typed] of parseTypesFlag(typesText, problems)) {
    attributes[attribute] = { ...(attributes[attribute] ?? { role: 'insensitive' }), ...typed };
  }
  return attributes;
}
