// How command-line flags override a policy file: each flag given replaces exactly the policy field it names.
// The merge is the "effective policy" whose canonical JSON the report hashes.

import type { AnonymizeOptions, AttributeOptions, AttributeRole, ExploreOptions, MetricOptions, ModelSpec, RiskReportOptions, SearchOptions } from '../options.js';

/** Fields to replace; an absent (undefined) field leaves the policy's value. */
export interface PolicyOverrides {
  /** New roles by column (`--qi`, `--sensitive`, `--identifying`); the columns' other fields are kept. */
  readonly roles?: Readonly<Record<string, AttributeRole>>;
  /** New `type`/`format`/`hierarchy` by column (`--types`, `--hierarchy-spec`); a column not in the policy is added as insensitive. */
  readonly attributeFields?: Readonly<Record<string, Omit<AttributeOptions, 'role'>>>;
  /** Replaces the policy's whole model list (any model flag). */
  readonly models?: readonly ModelSpec[];
  readonly suppressionLimit?: number;
  /** Each field given replaces the policy's (a metric given by name counts as `{ name }`). */
  readonly metric?: Partial<MetricOptions>;
  readonly search?: Partial<SearchOptions>;
  readonly delimiter?: string;
  readonly hierarchiesDir?: string;
  readonly showValues?: boolean;
  readonly risk?: Partial<RiskReportOptions>;
  readonly recoding?: AnonymizeOptions['recoding'];
  /** Replaces the policy's whole explore field. */
  readonly explore?: ExploreOptions;
}

/**
 * The effective policy: `policy` with every field of `overrides` that is defined replacing the policy's.
 * Objects (metric, search, risk, an attribute) are merged field by field; the model list is replaced whole.
 */
export function applyPolicyOverrides(policy: AnonymizeOptions, overrides: PolicyOverrides): AnonymizeOptions {
  // Null prototype: a column named `__proto__` must stay an own key.
  const attributes: Record<string, AttributeOptions> = Object.assign(Object.create(null), policy.attributes);
  for (const [name, role] of Object.entries(overrides.roles ?? {})) attributes[name] = { ...attributes[name], role };
  for (const [name, fields] of Object.entries(overrides.attributeFields ?? {})) {
    attributes[name] = { ...(attributes[name] ?? { role: 'insensitive' }), ...defined(fields) };
  }
  const metric = overrides.metric === undefined || Object.keys(defined(overrides.metric)).length === 0 ? policy.metric : mergeMetric(policy.metric, overrides.metric);
  return defined({
    ...policy,
    attributes,
    models: overrides.models ?? policy.models,
    suppressionLimit: overrides.suppressionLimit ?? policy.suppressionLimit,
    metric,
    search: mergeObject(policy.search, overrides.search),
    delimiter: overrides.delimiter ?? policy.delimiter,
    hierarchiesDir: overrides.hierarchiesDir ?? policy.hierarchiesDir,
    showValues: overrides.showValues ?? policy.showValues,
    risk: mergeObject(policy.risk, overrides.risk),
    recoding: overrides.recoding ?? policy.recoding,
    explore: overrides.explore ?? policy.explore,
  });
}

function mergeMetric(base: AnonymizeOptions['metric'], override: Partial<MetricOptions>): MetricOptions {
  const resolved: MetricOptions = base === undefined ? { name: 'loss' } : typeof base === 'string' ? { name: base } : base;
  return { ...resolved, ...defined(override) } as MetricOptions;
}

function mergeObject<T extends object>(base: T | undefined, override: Partial<T> | undefined): T | undefined {
  const fields = defined(override ?? {});
  return Object.keys(fields).length === 0 ? base : ({ ...base, ...fields } as T);
}

/** The object without its undefined fields, so they neither replace a value nor enter the hash as absent keys. */
function defined<T extends object>(value: T): T {
  return Object.fromEntries(Object.entries(value).filter(([, field]) => field !== undefined)) as T;
}
