// The zod schema of a policy: exactly the shape of `AnonymizeOptions`, plus the cross-field rules a file can break.
// The published JSON Schema (policy.schema.json) is generated from it, so the two never drift apart.

import { createRequire } from 'node:module';
import type * as Zod from 'zod';
import { legacyRunSizesProblem } from '../hierarchy/builders/ordered.js';
import { transformMeaningProblems } from '../pseudonymize/transform-spec.js';

const ROLES = ['identifying', 'quasi-identifying', 'sensitive', 'insensitive'] as const;
const METRICS = ['loss', 'precision', 'precision-monotonic', 'discernibility', 'discernibility-monotonic', 'aecs', 'entropy', 'entropy-monotonic', 'height'] as const;
const POPULATION_MODELS = ['pitman', 'zayatz', 'snb', 'dankar'] as const;

function buildPolicySchema(z: typeof Zod.z) {
  const finite = () => z.number().refine(Number.isFinite, { error: 'must be a finite number' });
  const share = () => z.number().min(0).max(1);
  const positive = () => z.number().gt(0);
  const attribute = () => z.string().min(1).describe('A sensitive attribute (role "sensitive")');

  const common = {
    domain: z
      .union([z.strictObject({ from: z.number().int(), to: z.number().int() }), z.array(z.string()).min(1)])
      .optional()
      .describe('Declared domain: { from, to } whole numbers, or a list of values; covered even where the data lacks them'),
    missing: z
      .union([z.literal('error'), z.strictObject({ label: z.string().min(1), values: z.array(z.string()).optional() })])
      .optional()
      .describe('Missing values (empty, NA): "error" (default) or { label } at every level below *'),
  };
  const hierarchySpec = z.discriminatedUnion('type', [
    z.strictObject({
      type: z.literal('interval'),
      width: positive().describe('Width of the level-1 intervals'),
      fanout: z.array(z.number().int().min(2)).optional().describe('Intervals merged per level above level 1'),
      origin: finite().optional(),
      lower: finite().optional(),
      upper: finite().optional(),
      ...common,
    }),
    z.strictObject({
      type: z.literal('mask'),
      direction: z.enum(['right-to-left', 'left-to-right']).optional(),
      maskChar: z.string().length(1).optional(),
      levels: z.number().int().min(1).optional(),
      align: z.enum(['left', 'right']).optional().describe('Pad codes of varying length to the longest, aligned left or right'),
      padChar: z.string().length(1).optional().describe('Padding character of align (default: maskChar)'),
      ...common,
    }),
    z.strictObject({ type: z.literal('date'), chain: z.enum(['calendar', 'week']).optional(), format: z.string().optional(), ...common }),
    z.strictObject({
      type: z.literal('group'),
      levels: z.array(z.record(z.string(), z.array(z.string()))).optional().describe('Most specific level first: { label: [values] }'),
      runSize: z.number().int().min(2).optional().describe('Consecutive sorted values per run at level 1'),
      fanout: z.array(z.number().int().min(2)).optional().describe('Runs of the level below merged per further level'),
      ...common,
    }),
    z.strictObject({ type: z.literal('frequency'), threshold: z.number().int().min(1), otherLabel: z.string().optional(), ...common }),
  ]);

  const hierarchySource = z.union([
    z.string().min(1).describe('Path of an ARX hierarchy CSV: a bare file name is looked up in hierarchiesDir; other relative paths, in a policy file, are relative to its folder'),
    z.array(z.array(z.string()).min(1)).min(1).describe('Inline rows: [value, level 1, …, "*"]'),
    hierarchySpec,
  ]);

  const keyFields = {
    keyFile: z.string().min(1).optional().describe("This attribute's own key: a file holding it (hex, or base64:…); in a policy file, relative to its folder"),
    keyEnv: z.string().min(1).optional().describe("This attribute's own key: an environment variable holding it"),
  };
  const domain = () => z.string().optional().describe("Key separation; default: the attribute's name");
  const transform = z.discriminatedUnion('method', [
    z.strictObject({ method: z.literal('hmac'), length: z.number().int().min(1).max(52).optional().describe('Token characters (default 20)'), domain: domain(), ...keyFields }),
    z.strictObject({
      method: z.literal('ff1'),
      alphabet: z.string().min(2).optional().describe('digits (default), lower-alnum, alnum, or the characters in radix order'),
      tweak: z.string().regex(/^(?:[0-9a-fA-F]{2})*$/).optional().describe('Hex; default: the UTF-8 bytes of the domain'),
      domain: domain(),
      other: z.enum(['keep', 'error']).optional().describe('Characters outside the alphabet: kept in place (default) or an error'),
      ...keyFields,
    }),
    z.strictObject({
      method: z.literal('shift-dates'),
      subject: z.string().min(1).describe("The column naming each record's subject"),
      days: z.number().int().min(1).max(36525).optional().describe('Largest shift either way (default 30)'),
      domain: z.string().optional().describe("Key separation; default: the subject column's name"),
      ...keyFields,
    }),
    z.strictObject({ method: z.literal('mask'), keepFirst: z.number().int().min(0).optional(), keepLast: z.number().int().min(0).optional(), char: z.string().min(1).optional().describe('Default *') }),
  ]);

  const attributeOptions = z.strictObject({
    role: z.enum(ROLES),
    type: z.enum(['string', 'integer', 'decimal', 'date']).optional(),
    format: z.string().optional().describe('Date format with YYYY, MM and DD (type "date")'),
    hierarchy: hierarchySource.optional(),
    transform: transform.optional().describe('An identifying attribute released as a keyed token, FF1 ciphertext, shifted date or mask instead of *'),
  });

  const modelSpec = z.discriminatedUnion('type', [
    z.strictObject({ type: z.literal('k-anonymity'), k: z.number().int().min(1) }),
    z.strictObject({ type: z.literal('distinct-l-diversity'), attribute: attribute(), l: z.number().int().min(1) }),
    z.strictObject({ type: z.literal('entropy-l-diversity'), attribute: attribute(), l: z.number().min(1), estimator: z.enum(['shannon', 'grassberger']).optional() }),
    z.strictObject({ type: z.literal('recursive-cl-diversity'), attribute: attribute(), c: positive(), l: z.number().int().min(1) }),
    z.strictObject({ type: z.literal('t-closeness'), attribute: attribute(), t: share(), distance: z.enum(['equal', 'ordered', 'hierarchical']) }),
    z.strictObject({ type: z.literal('delta-disclosure'), attribute: attribute(), delta: positive() }),
    z.strictObject({ type: z.literal('beta-likeness'), attribute: attribute(), beta: positive(), enhanced: z.boolean().optional() }),
    z.strictObject({ type: z.literal('average-risk'), maxRisk: positive().max(1) }),
    z.strictObject({ type: z.literal('highest-risk'), maxRisk: positive().max(1) }),
    z.strictObject({ type: z.literal('records-at-risk'), maxShare: share(), threshold: share() }),
    z.strictObject({ type: z.literal('population-uniqueness'), maxUniqueness: share(), populationSize: z.number().int().min(1), model: z.enum(POPULATION_MODELS) }),
    z
      .strictObject({
        type: z.literal('k-map'),
        k: z.number().int().min(1),
        estimator: z.enum(['poisson', 'zero-truncated-poisson']).optional().describe('Estimate from populationSize instead of counting risk.populationTable'),
        populationSize: z.number().int().min(1).optional(),
        significance: share().optional().describe('Default 0.01'),
      })
      .describe('Every released class stands for at least k people of the population'),
    z
      .strictObject({
        type: z.literal('delta-presence'),
        deltaMin: share(),
        deltaMax: share(),
        subsetColumn: z.string().min(1).optional().describe('A column of true/false, 1/0 or yes/no marking the research subset'),
        subsetFile: z
          .union([z.string().min(1), z.array(z.record(z.string(), z.union([z.string(), z.number()])))])
          .optional()
          .describe("The subset's rows: a CSV path, or records with the data's columns"),
      })
      .describe('The input is the population; its research subset is released'),
    z
      .strictObject({
        type: z.literal('differential-privacy'),
        epsilon: positive(),
        delta: z.number().gt(0).lt(1),
        levels: z.record(z.string(), z.number().int().min(0)).optional().describe('A fixed transformation: one level per quasi-identifier'),
        searchBudget: positive().optional().describe('The ε the search spends (absolute; default 0.1)'),
        steps: z.number().int().min(1).optional().describe('Steps of the search (default 1000 / quasi-identifiers)'),
        seed: z.number().int().min(0).optional().describe('Reproducible randomness, for tests only'),
      })
      .describe('(ε, δ)-differential privacy by sampling and k-anonymization (SafePub)'),
  ]);

  const metricOptions = z.strictObject({
    name: z.enum(METRICS),
    gsFactor: share().optional(),
    aggregate: z.enum(['sum', 'max', 'arithmetic', 'geometric']).optional(),
    weights: z.record(z.string(), z.number().min(0)).optional(),
  });

  const riskOptions = z.strictObject({
    threshold: share().optional(),
    population: z.union([z.number().int().min(1), z.string().min(1)]).optional().describe('N, or USA, UK, Germany, France, Canada, EU'),
    populationModel: z.enum(POPULATION_MODELS).optional(),
    populationTable: z
      .union([z.string().min(1), z.array(z.record(z.string(), z.union([z.string(), z.number()])))])
      .optional()
      .describe('CSV path (in a policy file, relative to its folder), or records with a "count" field'),
  });

  return z.strictObject({
    $schema: z.string().optional().describe('Editor hint; not part of the policy (left out of its hash)'),
    attributes: z.record(z.string().min(1), attributeOptions).describe('Columns by name; a column not listed is insensitive'),
    models: z.array(modelSpec).default([]).describe('Required when an attribute is a quasi-identifier'),
    suppressionLimit: share().optional().describe('Share of records that may be suppressed (default 0)'),
    metric: z.union([z.enum(METRICS), metricOptions]).optional(),
    search: z
      .strictObject({
        strategy: z.enum(['optimal', 'exhaustive']).optional(),
        maxNodes: z.number().int().min(1).optional(),
        cacheMb: z.number().min(0).optional(),
        timeLimitMs: z.number().gt(0).optional().describe('The search returns its best transformation after this many milliseconds (default 60000)'),
      })
      .optional(),
    delimiter: z.string().length(1).optional(),
    hierarchiesDir: z.string().min(1).optional().describe('Directory of hierarchy files named after their attribute; in a policy file, relative to its folder'),
    showValues: z.boolean().optional(),
    risk: riskOptions.optional(),
    recoding: z.enum(['global', 'local']).optional().describe('global (default): one level per quasi-identifier; local: levels per group of records'),
    explore: z
      .strictObject({ k: z.array(z.number().int().min(1)).min(1).max(50).optional().describe('k values (default 2, 3, 5, 10, 20, 50, 100)') })
      .optional()
      .describe('Report the granularity loss each k costs'),
  });
}

/** The policy document's shape; the rules that relate fields to each other are `crossFieldProblems`. */
export type PolicySchema = ReturnType<typeof buildPolicySchema>;

let built: PolicySchema | undefined;

/**
 * The policy schema, built on first use. zod takes ~100 ms to load, which every process would pay at start-up for
 * policy files it rarely reads; `parsePolicy` is synchronous, so zod is required (its CommonJS build) rather than
 * imported dynamically.
 */
export function policySchema(): PolicySchema {
  if (built === undefined) {
    const { z } = createRequire(import.meta.url)('zod') as typeof Zod;
    built = buildPolicySchema(z);
  }
  return built;
}

/** Problems between fields (roles the models and weights refer to); defensive, so it runs on any input. */
export function crossFieldProblems(raw: unknown): { path: (string | number)[]; message: string }[] {
  const problems: { path: (string | number)[]; message: string }[] = [];
  if (!isRecord(raw) || !isRecord(raw.attributes)) return problems;
  const attributes = raw.attributes;
  const roleOf = (name: string): unknown => (Object.hasOwn(attributes, name) && isRecord(attributes[name]) ? attributes[name].role : undefined);
  const names = Object.keys(attributes);
  const quasiIdentified = names.some((name) => roleOf(name) === 'quasi-identifying');
  if (!quasiIdentified && !names.some((name) => roleOf(name) === 'identifying')) {
    problems.push({ path: ['attributes'], message: 'at least one attribute must have the role "quasi-identifying" (or "identifying")' });
  }
  if (quasiIdentified && (raw.models === undefined || (Array.isArray(raw.models) && raw.models.length === 0))) {
    problems.push({ path: ['models'], message: 'at least one privacy model is required' });
  }
  if (Array.isArray(raw.models)) {
    raw.models.forEach((model: unknown, index) => {
      if (isRecord(model) && typeof model.attribute === 'string' && model.attribute !== '' && roleOf(model.attribute) !== 'sensitive') {
        problems.push({ path: ['models', index, 'attribute'], message: `"${model.attribute}" is not an attribute with the role "sensitive"` });
      }
    });
  }
  if (Array.isArray(raw.models)) {
    raw.models.forEach((model: unknown, index) => {
      if (!isRecord(model)) return;
      if (model.type === 'k-map' && model.estimator === undefined && !(isRecord(raw.risk) && raw.risk.populationTable !== undefined)) {
        problems.push({ path: ['models', index], message: 'a k-map without an estimator counts the population from risk.populationTable, which is not given' });
      }
      if (model.type === 'k-map' && model.estimator !== undefined && model.populationSize === undefined) {
        problems.push({ path: ['models', index, 'populationSize'], message: 'an estimated k-map needs the population size' });
      }
      if (model.type === 'delta-presence' && (model.subsetColumn === undefined) === (model.subsetFile === undefined)) {
        problems.push({ path: ['models', index], message: 'give exactly one of subsetColumn and subsetFile' });
      }
      if (model.type === 'delta-presence' && typeof model.subsetColumn === 'string' && roleOf(model.subsetColumn) !== undefined && roleOf(model.subsetColumn) !== 'insensitive') {
        problems.push({ path: ['models', index, 'subsetColumn'], message: `"${model.subsetColumn}" must be an insensitive column` });
      }
    });
  }
  if (isRecord(raw.metric) && isRecord(raw.metric.weights)) {
    for (const name of Object.keys(raw.metric.weights)) {
      if (roleOf(name) !== 'quasi-identifying') problems.push({ path: ['metric', 'weights', name], message: `"${name}" is not a quasi-identifier` });
    }
  }
  for (const name of names) {
    const spec = attributes[name];
    if (!isRecord(spec)) continue;
    if (spec.role === 'quasi-identifying' && spec.hierarchy === undefined && raw.hierarchiesDir === undefined) {
      problems.push({ path: ['attributes', name, 'hierarchy'], message: 'a quasi-identifier needs a hierarchy (or give hierarchiesDir)' });
    }
    if (spec.format !== undefined && spec.type !== 'date') problems.push({ path: ['attributes', name, 'format'], message: 'format applies to type "date" only' });
    const hierarchy = spec.hierarchy;
    if (isRecord(hierarchy) && hierarchy.type === 'group') {
      if (hierarchy.runSizes !== undefined) problems.push({ path: ['attributes', name, 'hierarchy', 'runSizes'], message: legacyRunSizesProblem(hierarchy.runSizes) });
      else if ((hierarchy.levels === undefined) === (hierarchy.runSize === undefined)) {
        problems.push({ path: ['attributes', name, 'hierarchy'], message: 'a group spec has exactly one of "levels" and "runSize"' });
      }
      if (hierarchy.fanout !== undefined && hierarchy.runSize === undefined) problems.push({ path: ['attributes', name, 'hierarchy', 'fanout'], message: 'fanout applies to "runSize" only' });
    }
    if (spec.transform !== undefined) {
      if (spec.role !== 'identifying') problems.push({ path: ['attributes', name, 'transform'], message: 'only identifying attributes are transformed' });
      // What the JSON shape cannot say (alphabets, both key sources, the date format), in the library's own words.
      if (isRecord(spec.transform)) {
        for (const message of transformMeaningProblems(spec.transform, 'transform', typeof spec.format === 'string' ? spec.format : undefined)) {
          problems.push({ path: ['attributes', name], message });
        }
      }
    }
  }
  return problems;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
