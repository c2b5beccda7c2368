// Validates an anonymization job once, at the edge, reporting every problem at once (then never again inside).
// Two passes: the options alone, then the options against the input's header and row count.

import { usageError } from './errors.js';
import { validateMetricOptions } from './metrics/index.js';
import { validateModelSpecs } from './models/index.js';
import type { AnonymizeOptions, AttributeRole, MetricName, MetricOptions } from './options.js';
import type { EncodedTable } from './table/encoded-table.js';

/** The search's default time budget: it returns its best transformation, and how far from optimal, after a minute. */
export const DEFAULT_TIME_LIMIT_MS = 60_000;

export interface ResolvedRoles {
  readonly quasiIdentifiers: readonly string[];
  readonly sensitive: readonly string[];
  readonly identifying: readonly string[];
}

const ROLES: readonly AttributeRole[] = ['identifying', 'quasi-identifying', 'sensitive', 'insensitive'];

export function resolveRoles(options: AnonymizeOptions): ResolvedRoles {
  const named = (role: AttributeRole) =>
    Object.entries(options.attributes ?? {})
      .filter(([, attribute]) => attribute?.role === role)
      .map(([name]) => name);
  return { quasiIdentifiers: named('quasi-identifying'), sensitive: named('sensitive'), identifying: named('identifying') };
}

export function metricOptionsOf(options: AnonymizeOptions): MetricOptions {
  const metric = options.metric ?? 'loss';
  return typeof metric === 'string' ? { name: metric as MetricName } : metric;
}

/** Problems in the options themselves; throws one usage error listing all of them. */
export function validateOptions(options: AnonymizeOptions): ResolvedRoles {
  const problems: string[] = [];
  if (typeof options !== 'object' || options === null) throw usageError('INVALID_OPTIONS', 'options must be an object');
  if (typeof options.attributes !== 'object' || options.attributes === null || Array.isArray(options.attributes)) problems.push('attributes: must map column names to { role, … }');
  else {
    for (const [name, attribute] of Object.entries(options.attributes)) {
      if (!ROLES.includes(attribute?.role)) problems.push(`attributes.${name}.role: must be one of ${ROLES.join(', ')}`);
    }
  }
  const roles = resolveRoles(options);
  if (roles.quasiIdentifiers.length === 0) problems.push('at least one quasi-identifier is required');
  // Options may come from untyped JSON: the shapes the validators below rely on are checked first.
  const models = options.models ?? [];
  if (Array.isArray(models)) problems.push(...validateModelSpecs(models, roles.sensitive));
  else problems.push('models: must be an array of model specs');
  const limit = options.suppressionLimit ?? 0;
  if (typeof limit !== 'number' || !Number.isFinite(limit) || limit < 0 || limit > 1) problems.push('suppressionLimit: must be a finite number in [0, 1]');
  const metric = metricOptionsOf(options);
  if (!isPlainObject(metric) || (metric.weights !== undefined && !isPlainObject(metric.weights))) problems.push('metric: must be a metric name or { name, gsFactor?, aggregate?, weights? }');
  else problems.push(...validateMetricOptions(metric, roles.quasiIdentifiers).map((problem) => `metric: ${problem}`));
  const search = options.search ?? {};
  if (!isPlainObject(search)) problems.push('search: must be an object');
  if (search.strategy !== undefined && search.strategy !== 'optimal' && search.strategy !== 'exhaustive') problems.push('search.strategy: must be optimal or exhaustive');
  if (search.maxNodes !== undefined && !(Number.isInteger(search.maxNodes) && search.maxNodes >= 1)) problems.push('search.maxNodes: must be an integer ≥ 1');
  if (search.timeLimitMs !== undefined && !(typeof search.timeLimitMs === 'number' && Number.isFinite(search.timeLimitMs) && search.timeLimitMs > 0)) problems.push('search.timeLimitMs: must be a number of milliseconds > 0');
  if (search.cacheMb !== undefined && !(Number.isFinite(search.cacheMb) && search.cacheMb >= 0)) problems.push('search.cacheMb: must be a number ≥ 0');
  throwIfAny(problems);
  return roles;
}

function isPlainObject(value: unknown): boolean {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Problems of the options against the input: unknown columns, k larger than the row count. */
export function validateAgainstTable(options: AnonymizeOptions, table: EncodedTable, file: string): void {
  const problems: string[] = [];
  const header = new Set(table.columns.map((column) => column.name));
  for (const name of Object.keys(options.attributes)) {
    if (!header.has(name)) problems.push(`column "${name}" (${options.attributes[name].role}) is not in the header of ${file}`);
  }
  for (const model of options.models) {
    if (model.type === 'k-anonymity' && model.k > table.rowCount) problems.push(`k = ${model.k} is larger than the number of records (${table.rowCount})`);
  }
  throwIfAny(problems);
}

function throwIfAny(problems: string[]): void {
  if (problems.length === 0) return;
  const message = problems.length === 1 ? problems[0] : `${problems.length} problems in the options:\n  - ${problems.join('\n  - ')}`;
  throw usageError('INVALID_OPTIONS', message, { problems });
}
