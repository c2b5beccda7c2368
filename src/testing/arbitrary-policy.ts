// fast-check arbitraries of cloak/testing for jobs: anonymization policies over a schema, and whole datasets.
// Policies have the engine's `AnonymizeOptions` shape, with inline hierarchy rows, and only reference existing columns.

import fc from 'fast-check';
import { usageError } from '../errors.js';
import type { AnonymizeOptions, AttributeOptions, AttributeRole, MetricName, ModelSpec } from '../options.js';
import type { RiskModelSpec } from '../risk/criteria.js';
import {
  arbitraryHierarchy,
  arbitrarySchema,
  arbitraryTable,
  domainOf,
  type IntegerRange,
  type SchemaArbitraryOptions,
  type TableSchema,
} from './arbitrary-table.js';
import type { TClosenessDistance } from './t-closeness.js';

/** The privacy model types a generated policy may use (the risk-based models are not generated). */
export type ModelType = Exclude<ModelSpec['type'], RiskModelSpec['type']>;

/** The default model types: every type but differential privacy, whose output is random (ask for it explicitly). */
const DEFAULT_MODEL_TYPES: readonly ModelType[] = [
  'k-anonymity',
  'distinct-l-diversity',
  'entropy-l-diversity',
  'recursive-cl-diversity',
  't-closeness',
  'delta-disclosure',
  'beta-likeness',
  'k-map',
  'delta-presence',
];

/** Models that read no sensitive attribute. */
const ATTRIBUTE_FREE_TYPES: ReadonlySet<ModelType> = new Set(['k-anonymity', 'k-map', 'delta-presence', 'differential-privacy']);

/** The boolean column a generated δ-presence model selects its research subset by (`arbitraryDataset` adds it). */
export const SUBSET_COLUMN = 'subset';

/** Options of {@link arbitraryPolicy}. */
export interface PolicyArbitraryOptions {
  /**
   * Model types that may appear (each at most once); default all but `differential-privacy`. At least one model is
   * always present. k-map is estimated (a `populationSize` of 1,000 to 100,000); `arbitraryDataset` counts some from a
   * population table instead. δ-presence selects by the column `subset` (`SUBSET_COLUMN`), which `arbitraryDataset`
   * adds. Differential privacy uses parameters whose k suits small tables (ε 1 or 1.5, δ 0.3 or 0.5), seeded.
   */
  readonly models?: readonly ModelType[];
  /** Distances t-closeness may use; default all three. */
  readonly distances?: readonly TClosenessDistance[];
  /** Hierarchy height range for every hierarchy; default 1 … 3. */
  readonly hierarchyHeight?: IntegerRange;
  /** Suppression limits to pick from; default 0, 0.05, 0.2, 0.5. */
  readonly suppressionLimits?: readonly number[];
  /** Metrics to pick from; default `loss`. */
  readonly metrics?: readonly MetricName[];
  /** Let columns take the `identifying` role; default false. */
  readonly identifying?: boolean;
  /** Largest k of k-anonymity (k ≥ 2); default 4. */
  readonly maxK?: number;
}

/** A generated job: a table, hierarchy rows for every attribute that has one, and the policy using them inline. */
export interface Dataset {
  readonly table: Record<string, string>[];
  readonly hierarchies: Record<string, string[][]>;
  readonly policy: AnonymizeOptions;
}

/** Options of {@link arbitraryDataset}: a fixed `schema`, or the shape of generated ones, plus the policy options. */
export interface DatasetArbitraryOptions extends PolicyArbitraryOptions, SchemaArbitraryOptions {
  readonly schema?: TableSchema;
}

const SENSITIVE_MODEL_TYPES: ReadonlySet<ModelType> = new Set(DEFAULT_MODEL_TYPES.filter((type) => !ATTRIBUTE_FREE_TYPES.has(type)));

/** Parameters drawn per model type; the attribute is attached when the policy is assembled. */
function arbitraryModelParameters(type: ModelType, options: PolicyArbitraryOptions): fc.Arbitrary<Record<string, unknown>> {
  const halves = (min: number, max: number): fc.Arbitrary<number> => fc.integer({ min: min * 2, max: max * 2 }).map((x) => x / 2);
  switch (type) {
    case 'k-anonymity':
      return fc.record({ k: fc.integer({ min: 2, max: Math.max(2, options.maxK ?? 4) }) });
    case 'distinct-l-diversity':
      return fc.record({ l: fc.integer({ min: 2, max: 3 }) });
    case 'entropy-l-diversity':
      return fc.record({ l: halves(1, 3), estimator: fc.constantFrom('shannon', 'grassberger') });
    case 'recursive-cl-diversity':
      return fc.record({ c: halves(1, 4), l: fc.integer({ min: 2, max: 3 }) });
    case 't-closeness':
      return fc.record({
        t: fc.integer({ min: 1, max: 20 }).map((x) => x / 20),
        distance: fc.constantFrom(...(options.distances ?? (['equal', 'ordered', 'hierarchical'] as const))),
      });
    case 'delta-disclosure':
      return fc.record({ delta: fc.integer({ min: 1, max: 16 }).map((x) => x / 4) });
    case 'beta-likeness':
      return fc.record({ beta: fc.integer({ min: 1, max: 20 }).map((x) => x / 4), enhanced: fc.boolean() });
    case 'k-map':
      return fc.record({
        k: fc.integer({ min: 2, max: Math.max(2, 2 * (options.maxK ?? 4)) }),
        estimator: fc.constantFrom('poisson', 'zero-truncated-poisson'),
        populationSize: fc.constantFrom(1000, 10_000, 100_000),
        significance: fc.constantFrom(0.01, 0.05, 0.2),
      });
    case 'delta-presence':
      return fc.record({ deltaMin: fc.constantFrom(0, 0.1, 0.25, 0.5), deltaMax: fc.constantFrom(0.5, 0.75, 1), subsetColumn: fc.constant(SUBSET_COLUMN) });
    case 'differential-privacy':
      return fc.record({ epsilon: fc.constantFrom(1, 1.5), delta: fc.constantFrom(0.3, 0.5), seed: fc.nat(), fixed: fc.boolean() });
  }
}

/**
 * Policies (`AnonymizeOptions`) over the columns of `schema`: each column gets a role, quasi-identifiers (at least one)
 * and a hierarchically t-close sensitive attribute get inline hierarchy rows over the column's domain, and 1 … n models
 * of the allowed types reference sensitive columns. Parameter ranges: k 2 … maxK; distinct/recursive l 2 … 3; entropy
 * l 1 … 3 by halves; c 1 … 4 by halves; t 0.05 … 1; δ 0.25 … 4; β 0.25 … 5. Many draws are unsatisfiable on purpose.
 */
export function arbitraryPolicy(schema: TableSchema, options: PolicyArbitraryOptions = {}): fc.Arbitrary<AnonymizeOptions> {
  const columns = schema.columns;
  const types = [...new Set(options.models ?? DEFAULT_MODEL_TYPES)];
  if (columns.length === 0) throw usageError('TESTING_EMPTY_SCHEMA', 'A policy needs a schema with at least one column.');
  if (types.length === 0) throw usageError('TESTING_NO_MODELS', 'A policy needs at least one allowed model type.');
  const needsSensitive = types.every((type) => SENSITIVE_MODEL_TYPES.has(type));
  if (needsSensitive && columns.length < 2) {
    throw usageError('TESTING_SCHEMA_TOO_SMALL', 'Sensitive-attribute models need a schema of at least two columns.');
  }
  const roles: AttributeRole[] = ['quasi-identifying', 'insensitive', 'sensitive'];
  if (options.identifying) roles.push('identifying');
  const height = options.hierarchyHeight ?? { min: 1, max: 3 };
  const drafts = types.map((type) =>
    fc.record({ enabled: fc.boolean(), target: fc.nat({ max: columns.length - 1 }), parameters: arbitraryModelParameters(type, options) }),
  );
  return fc
    .record({
      roles: fc.tuple(...columns.map(() => fc.constantFrom(...roles))),
      hierarchies: fc.tuple(...columns.map((column) => arbitraryHierarchy(domainOf(column), { height }))),
      models: fc.tuple(...drafts),
      suppressionLimit: fc.constantFrom(...(options.suppressionLimits ?? [0, 0.05, 0.2, 0.5])),
      metric: fc.constantFrom(...(options.metrics ?? (['loss'] as const))),
    })
    .map((draft) => {
      const role = fixRoles(draft.roles, needsSensitive);
      const sensitive = columns.map((column) => column.name).filter((_, index) => role[index] === 'sensitive');
      const models: ModelSpec[] = [];
      const assemble = (index: number): ModelSpec | undefined => {
        const type = types[index];
        const { target, parameters } = draft.models[index];
        if (type === 'differential-privacy') {
          // Fixed levels: each quasi-identifier at a drawn level of its hierarchy (the target picks it).
          const { fixed, ...dp } = parameters as { fixed: boolean; epsilon: number; delta: number; seed: number };
          if (!fixed) return { type, ...dp };
          const levels: Record<string, number> = {};
          columns.forEach((column, c) => {
            if (role[c] === 'quasi-identifying') levels[column.name] = (target + c) % draft.hierarchies[c][0].length;
          });
          return { type, ...dp, levels };
        }
        if (!SENSITIVE_MODEL_TYPES.has(type)) return { type, ...parameters } as ModelSpec;
        if (sensitive.length === 0) return undefined;
        return { type, attribute: sensitive[target % sensitive.length], ...parameters } as ModelSpec;
      };
      draft.models.forEach((model, index) => {
        const spec = model.enabled ? assemble(index) : undefined;
        if (spec !== undefined) models.push(spec);
      });
      if (models.length === 0) {
        // Every policy protects something: fall back to the first allowed model that can be formed.
        const fallback = types.map((_, index) => assemble(index)).find((spec) => spec !== undefined);
        models.push(fallback!);
      }
      const hierarchicalTargets = new Set(
        models.flatMap((model) => (model.type === 't-closeness' && model.distance === 'hierarchical' ? [model.attribute] : [])),
      );
      const attributes: Record<string, AttributeOptions> = {};
      columns.forEach((column, index) => {
        const withHierarchy = role[index] === 'quasi-identifying' || hierarchicalTargets.has(column.name);
        attributes[column.name] = withHierarchy ? { role: role[index], hierarchy: draft.hierarchies[index] } : { role: role[index] };
      });
      // Differential privacy joins only models that raise its k, suppresses every class below k whatever it costs,
      // and its search needs a metric with a score (every one but Height).
      const private_ = models.find((model) => model.type === 'differential-privacy');
      if (private_ !== undefined) {
        const joined = models.filter((model) => model.type === 'differential-privacy' || model.type === 'k-anonymity');
        return { attributes, models: joined, suppressionLimit: 1, metric: draft.metric === 'height' && private_.levels === undefined ? 'loss' : draft.metric };
      }
      return { attributes, models, suppressionLimit: draft.suppressionLimit, metric: draft.metric };
    });
}

/** At least one quasi-identifier, and a sensitive column when every allowed model needs one. */
function fixRoles(drawn: readonly AttributeRole[], needsSensitive: boolean): AttributeRole[] {
  const role = [...drawn];
  if (!role.includes('quasi-identifying')) role[0] = 'quasi-identifying';
  if (needsSensitive && !role.includes('sensitive')) {
    const soleQi = role.filter((r) => r === 'quasi-identifying').length === 1;
    let index = role.length - 1;
    while (soleQi && role[index] === 'quasi-identifying') index--;
    role[index] = 'sensitive';
  }
  return role;
}

/**
 * Consistent datasets: a table, the hierarchy rows of every attribute that has one in the policy, and the policy.
 * Every table value lies in its column's domain, which every hierarchy covers. With `schema` the shape is fixed;
 * otherwise schemas are generated (then shrinking is weaker across schemas, but still shrinks rows and values).
 */
export function arbitraryDataset(options: DatasetArbitraryOptions = {}): fc.Arbitrary<Dataset> {
  const types = options.models ?? DEFAULT_MODEL_TYPES;
  const kAllowed = types.includes('k-anonymity');
  const forSchema = (schema: TableSchema): fc.Arbitrary<Dataset> =>
    fc
      .record({
        table: arbitraryTable(schema),
        policy: arbitraryPolicy(schema, options),
        inSubset: fc.array(fc.boolean(), { minLength: schema.rows.max, maxLength: schema.rows.max }),
        counted: fc.boolean(),
        extraPeople: fc.array(fc.nat({ max: 3 }), { minLength: 1, maxLength: 8 }),
      })
      .map(({ table, policy, inSubset, counted, extraPeople }) => {
        const hierarchies: Record<string, string[][]> = {};
        for (const [name, attribute] of Object.entries(policy.attributes)) {
          if (Array.isArray(attribute.hierarchy)) hierarchies[name] = attribute.hierarchy as string[][];
        }
        return withPopulations({ table, hierarchies, policy }, inSubset, counted, extraPeople);
      });
  if (options.schema !== undefined) return forSchema(options.schema);
  const columns = options.columns ?? { min: kAllowed ? 1 : 2, max: 4 };
  return arbitrarySchema({ ...options, columns }).chain(forSchema);
}

/**
 * What the population models need beside the table: δ-presence a `subset` column (the first record always in it, so
 * the subset is never empty); k-map, when `counted`, a population table of the table's combinations, each counted
 * at least as often as in the table (`extraPeople` more), instead of its estimator (whose population then holds the table).
 */
function withPopulations(dataset: Dataset, inSubset: readonly boolean[], counted: boolean, extraPeople: readonly number[]): Dataset {
  let { table, policy } = dataset;
  if (policy.models.some((model) => model.type === 'delta-presence')) {
    table = table.map((record, index) => ({ ...record, [SUBSET_COLUMN]: index === 0 || inSubset[index] ? 'true' : 'false' }));
    policy = { ...policy, attributes: { ...policy.attributes, [SUBSET_COLUMN]: { role: 'insensitive' } } };
  }
  const kMap = policy.models.find((model) => model.type === 'k-map');
  if (kMap !== undefined && kMap.type === 'k-map') {
    const qi = Object.keys(policy.attributes).filter((name) => policy.attributes[name].role === 'quasi-identifying');
    let replacement: ModelSpec;
    if (counted) {
      const people = new Map<string, { values: string[]; count: number }>();
      for (const record of table) {
        const values = qi.map((name) => record[name]);
        const key = JSON.stringify(values);
        const entry = people.get(key) ?? { values, count: extraPeople[people.size % extraPeople.length] };
        entry.count++;
        people.set(key, entry);
      }
      const populationTable = [...people.values()].map(({ values, count }) => ({ ...Object.fromEntries(qi.map((name, j) => [name, values[j]])), count }));
      replacement = { type: 'k-map', k: kMap.k };
      policy = { ...policy, risk: { ...policy.risk, populationTable } };
    } else {
      replacement = { ...kMap, populationSize: Math.max(kMap.populationSize ?? 0, table.length) };
    }
    policy = { ...policy, models: policy.models.map((model) => (model === kMap ? replacement : model)) };
  }
  return { ...dataset, table, policy };
}
