// Validates an anonymization job once, at the edge, reporting every problem at once (then never again inside).
// Two passes: the options alone, then the options against the input's header and row count.

import { CloakError, ExitCode, usageError } from './errors.js';
import { validateMetricOptions } from './metrics/index.js';
import { validateModelSpecs } from './models/index.js';
import type { AnonymizeOptions, AttributeRole, MetricName, MetricOptions, ModelSpec } from './options.js';
import { localRecodingProblems } from './recoding/supported-models.js';
import { DEFAULT_SHIFT_DAYS, transformProblems } from './pseudonymize/transform-spec.js';
import { missingColumnProblems } from './table/column-names.js';
import { recordCount, type EncodedColumn, type EncodedTable } from './table/encoded-table.js';

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
      if (attribute?.transform === undefined) continue;
      if (attribute.role !== 'identifying') problems.push(`attributes.${name}.transform: only identifying attributes are transformed`);
      problems.push(...transformProblems(attribute.transform, `attributes.${name}.transform`, attribute.format));
    }
    problems.push(...shiftTogetherProblems(options));
  }
  const roles = resolveRoles(options);
  // A run may only pseudonymize or hide identifying attributes: then no model is needed (nor searched for).
  const quasiIdentified = roles.quasiIdentifiers.length > 0;
  if (!quasiIdentified && roles.identifying.length === 0) problems.push('at least one quasi-identifier (or an identifying attribute) is required');
  // Options may come from untyped JSON: the shapes the validators below rely on are checked first.
  const models = options.models ?? [];
  if (Array.isArray(models)) {
    problems.push(...(models.length === 0 && !quasiIdentified ? [] : validateModelSpecs(models, roles.sensitive)));
    problems.push(...modelOptionProblems(options, models, roles));
  } else problems.push('models: must be an array of model specs');
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
  const recoding = options.recoding ?? 'global';
  if (recoding !== 'global' && recoding !== 'local') problems.push('recoding: must be global or local');
  else if (recoding === 'local' && Array.isArray(models)) problems.push(...localRecodingProblems(models));
  problems.push(...exploreProblems(options.explore));
  if (options.explore !== undefined && Array.isArray(models) && models.some((model) => model?.type === 'differential-privacy')) {
    problems.push('explore: not available with differential-privacy, whose release is a random draw that the curve could not repeat faithfully');
  }
  throwIfAny(problems);
  return roles;
}

/** The default k values of the trade-off curve. */
export const DEFAULT_EXPLORE_K: readonly number[] = [2, 3, 5, 10, 20, 50, 100];

/** At most this many k values: each costs a whole search. */
const MAX_EXPLORE_POINTS = 50;

function exploreProblems(explore: unknown): string[] {
  if (explore === undefined) return [];
  if (!isPlainObject(explore)) return ['explore: must be an object { k?: [k, …] }'];
  const k = (explore as { k?: unknown }).k;
  if (k === undefined) return [];
  if (!Array.isArray(k) || k.length === 0 || k.length > MAX_EXPLORE_POINTS || !k.every((value) => Number.isInteger(value) && value >= 1)) {
    return [`explore.k: must be a list of 1 to ${MAX_EXPLORE_POINTS} integers ≥ 1`];
  }
  return new Set(k).size === k.length ? [] : ['explore.k: lists a k twice'];
}

/** What the models need from the rest of the options: a population table, roles, a metric with a score, a budget. */
function modelOptionProblems(options: AnonymizeOptions, models: readonly ModelSpec[], roles: ResolvedRoles): string[] {
  const problems: string[] = [];
  models.forEach((model, index) => {
    if (typeof model !== 'object' || model === null) return;
    const where = `models[${index}] (${model.type})`;
    if (model.type === 'k-map' && model.estimator === undefined && options.risk?.populationTable === undefined) {
      problems.push(`${where}: without an estimator, k-map counts the population from risk.populationTable, which is not given`);
    }
    if (model.type === 'delta-presence' && typeof model.subsetColumn === 'string') {
      const role = options.attributes?.[model.subsetColumn]?.role;
      if (role !== undefined && role !== 'insensitive') problems.push(`${where}: the subset column "${model.subsetColumn}" has the role ${role}; it must be an insensitive column`);
    }
    if (model.type !== 'differential-privacy') return;
    const limit = options.suppressionLimit ?? 0;
    if (limit > 0 && limit < 1) {
      problems.push(`${where}: every class below k is suppressed whatever its size (as in ARX), so suppressionLimit ${limit} cannot hold; leave it out (or give 1)`);
    }
    if (model.levels !== undefined && typeof model.levels === 'object') {
      const given = Object.keys(model.levels);
      const missing = roles.quasiIdentifiers.filter((name) => !given.includes(name));
      const extra = given.filter((name) => !roles.quasiIdentifiers.includes(name));
      if (missing.length > 0) problems.push(`${where}: levels must give a level for every quasi-identifier; missing ${missing.map((name) => `"${name}"`).join(', ')}`);
      if (extra.length > 0) problems.push(`${where}: levels names ${extra.map((name) => `"${name}"`).join(', ')}, not quasi-identifiers`);
    } else if (metricOptionsOf(options).name === 'height') {
      problems.push(`${where}: the search scores transformations with the metric, and Height has no score function of known sensitivity; choose another metric or fix the levels`);
    }
  });
  return problems;
}

/**
 * Date columns shifted for the same subject under the same domain are meant to move together (a birth date and the
 * visits): the offset depends on `days` too, so different bounds there would break the intervals between them.
 */
function shiftTogetherProblems(options: AnonymizeOptions): string[] {
  const bounds = new Map<string, { attribute: string; days: number }>();
  const problems: string[] = [];
  for (const [name, attribute] of Object.entries(options.attributes)) {
    const transform = attribute?.transform;
    if (transform?.method !== 'shift-dates') continue;
    const group = JSON.stringify([transform.subject, transform.domain ?? transform.subject, transform.keyFile, transform.keyEnv]);
    const days = transform.days ?? DEFAULT_SHIFT_DAYS;
    const earlier = bounds.get(group);
    if (earlier === undefined) bounds.set(group, { attribute: name, days });
    else if (earlier.days !== days) problems.push(`attributes.${name}.transform.days: "${earlier.attribute}" and "${name}" shift the dates of the same subjects in one domain, so they must have the same days (or different domains)`);
  }
  return problems;
}

function isPlainObject(value: unknown): boolean {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * Problems of the options against the input. Unknown columns are a usage error (exit 2); then models no
 * transformation can meet on this data — k above the number of records, an l-diversity needing more distinct values
 * per class than the attribute has — are reported at once as `MODEL_IMPOSSIBLE` (exit 4, as "no solution"), saying why.
 */
export function validateAgainstTable(options: AnonymizeOptions, table: EncodedTable, file: string): void {
  const header = table.columns.map((column) => column.name);
  // The subject columns of shifted dates need not be attributes, but must be in the data.
  const subjectOf = new Map<string, string>();
  for (const [name, attribute] of Object.entries(options.attributes)) {
    if (attribute.transform?.method === 'shift-dates' && !subjectOf.has(attribute.transform.subject)) subjectOf.set(attribute.transform.subject, name);
  }
  const missing = [
    ...missingColumnProblems(Object.keys(options.attributes), header, file, (name) => `column "${name}" (${options.attributes[name].role})`),
    ...missingColumnProblems([...subjectOf.keys()], header, file, (subject) => `column "${subject}" (the subject of "${subjectOf.get(subject)}")`),
  ];
  throwIfAny([...new Set(missing)]);
  const impossible: string[] = [];
  // Records, not rows: an engine's aggregated table has one row per distinct tuple.
  const records = recordCount(table);
  options.models.forEach((model, index) => {
    const where = `models[${index}] (${model.type})`;
    if (model.type === 'k-anonymity' && model.k > records) {
      impossible.push(`${where}: k = ${model.k} cannot be met: there ${records === 1 ? 'is' : 'are'} only ${plural(records, 'record')} (${file})`);
    }
    if (model.type === 'distinct-l-diversity' || model.type === 'entropy-l-diversity' || model.type === 'recursive-cl-diversity') {
      // Every variant needs at least ⌈l⌉ distinct values of the attribute in each class.
      const distinct = distinctValues(table.columns[header.indexOf(model.attribute)], table.rowCount, Math.ceil(model.l));
      if (Math.ceil(model.l) > distinct) {
        impossible.push(`${where}: l = ${model.l} cannot be met: "${model.attribute}" has only ${plural(distinct, 'distinct value')} (${file}), and every class needs ${Math.ceil(model.l)}`);
      }
    }
  });
  if (impossible.length === 0) return;
  const message = impossible.length === 1 ? impossible[0] : `${impossible.length} models cannot be met on this data:\n  - ${impossible.join('\n  - ')}`;
  throw new CloakError('MODEL_IMPOSSIBLE', message, { exitCode: ExitCode.noSolution, problems: impossible });
}

/** How many distinct values the rows hold (a dictionary may list values no row has), counted up to `enough`. */
function distinctValues(column: EncodedColumn, rowCount: number, enough: number): number {
  const seen = new Uint8Array(column.dictionary.length);
  let distinct = 0;
  for (let row = 0; row < rowCount && distinct < enough; row++) {
    const code = column.codes[row];
    if (seen[code] === 0) {
      seen[code] = 1;
      distinct++;
    }
  }
  return distinct;
}

function plural(count: number, noun: string): string {
  return `${count} ${noun}${count === 1 ? '' : 's'}`;
}

function throwIfAny(problems: string[]): void {
  if (problems.length === 0) return;
  const message = problems.length === 1 ? problems[0] : `${problems.length} problems in the options:\n  - ${problems.join('\n  - ')}`;
  throw usageError('INVALID_OPTIONS', message, { problems });
}
