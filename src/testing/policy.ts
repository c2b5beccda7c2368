// The whole-policy checker of cloak/testing: an output against its original under an `AnonymizeOptions` policy.
// Combines generalization, suppression budget and every privacy model of the policy, or checks the models alone.

import { usageError } from '../errors.js';
import type { AnonymizeOptions, ModelSpec } from '../options.js';
import { buildClassContext, type ClassContext, type ClassOptions, type SuppressedRows } from './classes.js';
import { deltaDisclosureVerdict, betaLikenessVerdict } from './disclosure.js';
import { throwIfFailed } from './errors.js';
import { generalizesVerdict } from './generalizes.js';
import type { HierarchyRows } from './hierarchy-rows.js';
import { kAnonymityVerdict } from './k-anonymity.js';
import { lDiversityVerdict } from './l-diversity.js';
import { sensitiveDistribution, type SensitiveDistribution } from './reference.js';
import { suppressionVerdict } from './suppression.js';
import { compareCodePoints, tClosenessVerdict } from './t-closeness.js';
import { riskVerdict } from './risk.js';
import { deltaPresenceVerdict, differentialPrivacyVerdict, kMapVerdict, type PopulationParts } from './population.js';
import { openTable, type TableInput, type TableReader } from './table-input.js';
import type { Failure, ReportOptions, Verdict } from './verdict.js';

/** Options of {@link checkPolicy}. */
export interface PolicyCheckOptions extends ReportOptions {
  /**
   * Hierarchy rows per attribute; they take precedence over rows given inline in the policy. Needed for every
   * quasi-identifier (and a hierarchically t-close sensitive attribute) whose policy hierarchy is a file or a builder.
   */
  readonly hierarchies?: Readonly<Record<string, HierarchyRows>>;
  /**
   * Explicit value orders for ordered t-closeness, per sensitive attribute. Without one, values sort as the policy
   * declares the attribute's type: strings (the default) by code point, integers and decimals numerically, dates
   * chronologically in their format (YYYY, MM and DD tokens; default YYYY-MM-DD); ties by code point.
   */
  readonly orders?: Readonly<Record<string, readonly string[]>>;
  /** Token of a suppressed cell; default `*`. */
  readonly suppressedToken?: string;
  /** Which output rows are suppressed; default `'infer'`. The engine should pass its own decision (see `SuppressedRows`). */
  readonly suppressedRows?: SuppressedRows;
  /**
   * k-map without an estimator: the population table (quasi-identifiers plus `count`, or a ColumnarTable with
   * weights). Default: the policy's `risk.populationTable` when it is given as records.
   */
  readonly populationTable?: TableInput;
  /**
   * δ-presence: the population the released subset was drawn from. `checkPolicy` takes the original table for it;
   * `checkModels` needs it given.
   */
  readonly population?: TableInput;
  /** δ-presence with a `subsetFile` path: the subset's rows (the checkers read no files). */
  readonly subset?: TableInput;
  /** The generalization level of each quasi-identifier; default: inferred from the released labels (see `checkKMap`). */
  readonly levels?: Readonly<Record<string, number>>;
}

/** A policy verdict: `verdicts` holds one verdict per part, `failures` gathers theirs (each names its `check`). */
export type PolicyVerdict = Verdict & { readonly verdicts: readonly Verdict[] };

/**
 * Checks an output against its original under a policy: the output generalizes the original (identifying columns
 * exempt), keeps its rows, suppresses within `suppressionLimit` (default 0), and satisfies every model of `policy.models`
 * with the original (all rows) as the reference distribution. `showValues` defaults to the policy's.
 * Models are skipped when the output lacks a quasi-identifier or their attribute; the generalization part fails then.
 */
export function checkPolicy(original: TableInput, output: TableInput, policy: AnonymizeOptions, options: PolicyCheckOptions = {}): PolicyVerdict {
  const whole = openTable(original, 'original table');
  const presence = policy.models.find((model) => model.type === 'delta-presence');
  // Under δ-presence the original is the population and the output its research subset, row by row.
  const before = presence === undefined ? whole : subsetOf(whole, presence, options.subset);
  if (presence !== undefined && options.population === undefined) options = { ...options, population: original };
  const after = openTable(output, 'output table');
  const parts = policyParts(policy, options);
  const { qi, shared } = parts;
  const identifying = Object.entries(policy.attributes)
    .filter(([, attribute]) => attribute.role === 'identifying')
    .map(([name]) => name);
  const hierarchies: Record<string, HierarchyRows> = {};
  for (const name of qi) {
    const rows = parts.hierarchyOf(name);
    if (rows !== undefined) hierarchies[name] = rows;
  }
  // Differential privacy suppresses every class below k, whatever it costs.
  const limit = policy.models.some((model) => model.type === 'differential-privacy') ? 1 : (policy.suppressionLimit ?? 0);
  const suppression = suppressionVerdict(before, after, { ...shared, limit });
  const verdicts: Verdict[] = [generalizesVerdict(before, after, { ...shared, hierarchies, ignoreColumns: identifying }), suppression];
  let context: ClassContext | undefined;
  if (qi.every((name) => after.hasColumn(name))) {
    context = buildClassContext(after, shared);
    const present = policy.models.filter((model) => !('attribute' in model) || after.hasColumn(model.attribute));
    verdicts.push(...modelVerdicts(present, context, before, parts, options, policy));
  }
  return combine('policy', after.rowCount, verdicts, context, suppression.stats.allowedSuppressed);
}

/** Throws an `AnonymizationAssertionError` unless {@link checkPolicy} passes. */
export function assertPolicy(original: TableInput, output: TableInput, policy: AnonymizeOptions, options: PolicyCheckOptions = {}): void {
  throwIfFailed(checkPolicy(original, output, policy, options));
}

/** Options of {@link checkModels}. */
export interface ModelsCheckOptions extends PolicyCheckOptions {
  /** The table whose rows (all of them) define the reference distributions, normally the original; default: `table`. */
  readonly reference?: TableInput;
}

/**
 * Checks only the privacy models of a policy on one table, e.g. an export whose original is not at hand: every model of
 * `policy.models` over the classes of the policy's quasi-identifiers, with `reference` (default: the table itself) as
 * the reference distribution. Generalization and the suppression budget need the original: see {@link checkPolicy}.
 * A quasi-identifier or model attribute missing from the table is a usage error.
 */
export function checkModels(table: TableInput, policy: AnonymizeOptions, options: ModelsCheckOptions = {}): PolicyVerdict {
  const reader = openTable(table, 'checked table');
  return modelsVerdict(reader, options.reference === undefined ? reader : openTable(options.reference, 'reference table'), policy, options);
}

/** {@link checkModels} over opened tables, so that a caller checking more than the models decodes each column once. */
export function modelsVerdict(reader: TableReader, reference: TableReader, policy: AnonymizeOptions, options: PolicyCheckOptions = {}): PolicyVerdict {
  const parts = policyParts(policy, options);
  const context = buildClassContext(reader, parts.shared);
  const verdicts = modelVerdicts(policy.models, context, reference, parts, options, policy);
  return combine('privacy models', reader.rowCount, verdicts, context, undefined);
}

/** Throws an `AnonymizationAssertionError` unless {@link checkModels} passes. */
export function assertModels(table: TableInput, policy: AnonymizeOptions, options: ModelsCheckOptions = {}): void {
  throwIfFailed(checkModels(table, policy, options));
}

interface PolicyParts {
  readonly qi: readonly string[];
  readonly shared: ClassOptions;
  readonly hierarchyOf: (name: string) => HierarchyRows | undefined;
}

/** What every part of a policy check reads: quasi-identifiers, class options and hierarchy rows by attribute. */
function policyParts(policy: AnonymizeOptions, options: PolicyCheckOptions): PolicyParts {
  const qi = Object.entries(policy.attributes)
    .filter(([, attribute]) => attribute.role === 'quasi-identifying')
    .map(([name]) => name);
  return {
    qi,
    shared: {
      qi,
      suppressedToken: options.suppressedToken,
      suppressedRows: options.suppressedRows,
      showValues: options.showValues ?? policy.showValues ?? false,
      maxFailures: options.maxFailures,
    },
    hierarchyOf: (name) => {
      const inline = policy.attributes[name]?.hierarchy;
      return options.hierarchies?.[name] ?? (Array.isArray(inline) ? (inline as HierarchyRows) : undefined);
    },
  };
}

function modelVerdicts(models: readonly ModelSpec[], context: ClassContext, reference: TableReader, parts: PolicyParts, options: PolicyCheckOptions, policy: AnonymizeOptions): Verdict[] {
  const distributions = new Map<string, SensitiveDistribution>();
  const population = lazyPopulation(context, reference, parts, options, policy);
  return models.map((model) => modelVerdict(model, context, reference, context.table, distributions, parts.hierarchyOf, options.orders, policy.attributes, population));
}

/** What the population models read, opened only when one of them asks. */
function lazyPopulation(context: ClassContext, reference: TableReader, parts: PolicyParts, options: PolicyCheckOptions, policy: AnonymizeOptions): (model: 'k-map' | 'delta-presence') => PopulationParts {
  const hierarchies: Record<string, HierarchyRows> = {};
  for (const name of parts.qi) {
    const rows = parts.hierarchyOf(name);
    if (rows !== undefined) hierarchies[name] = rows;
  }
  const inlineTable = policy.risk?.populationTable;
  const tableSource = options.populationTable ?? (Array.isArray(inlineTable) ? populationRecords(inlineTable) : undefined);
  const suppressed = Uint8Array.from(context.partition.classOf, (c) => (c < 0 ? 1 : 0));
  return (model) => {
    const source = model === 'k-map' ? tableSource : options.population;
    return {
      population: source === undefined ? undefined : openTable(source, model === 'k-map' ? 'population table' : 'population'),
      hierarchies,
      levels: options.levels,
      sampleSize: context.partition.rowCount,
      // The original rows of the release, when the reference is them (not the checked table itself).
      ...(model === 'delta-presence' && reference !== context.table && reference.rowCount === context.table.rowCount ? { original: reference, suppressed } : {}),
    };
  };
}

/** Population table records (values and a numeric or text `count`) as strings. */
function populationRecords(records: readonly Readonly<Record<string, string | number>>[]): Record<string, string>[] {
  return records.map((record) => Object.fromEntries(Object.entries(record).map(([name, value]) => [name, String(value)])));
}

/**
 * The research subset of the original's rows: those whose subset column is true (true/1/yes, any case), or those the
 * subset's rows match (each the first identical, not yet matched row, as ARX's DataSubset matches).
 */
function subsetOf(original: TableReader, spec: Extract<ModelSpec, { type: 'delta-presence' }>, subset: TableInput | undefined): TableReader {
  // An empty original (no header either, as records) has an empty subset.
  if (original.rowCount === 0) return original;
  const rows: number[] = [];
  if (spec.subsetColumn !== undefined) {
    const column = original.column(spec.subsetColumn);
    for (let row = 0; row < original.rowCount; row++) {
      if (['true', '1', 'yes'].includes(column.values[column.codes[row]].trim().toLowerCase())) rows.push(row);
    }
  } else {
    const source = typeof spec.subsetFile === 'string' ? subset : (subset ?? spec.subsetFile?.map((record) => Object.fromEntries(Object.entries(record).map(([name, value]) => [name, String(value)]))));
    if (source === undefined) throw usageError('TESTING_MISSING_SUBSET', 'δ-presence with a subset file: give the subset\'s rows as options.subset.');
    const reader = openTable(source, 'subset');
    const keyOf = (table: TableReader) => {
      const columns = original.columnNames.map((name) => table.column(name));
      return (row: number) => columns.map((column) => JSON.stringify(column.values[column.codes[row]])).join(',');
    };
    const waiting = new Map<string, number[]>();
    const originalKey = keyOf(original);
    for (let row = original.rowCount - 1; row >= 0; row--) {
      const key = originalKey(row);
      waiting.set(key, [...(waiting.get(key) ?? []), row]);
    }
    const subsetKey = keyOf(reader);
    for (let row = 0; row < reader.rowCount; row++) {
      const match = waiting.get(subsetKey(row))?.pop();
      if (match === undefined) throw usageError('TESTING_SUBSET_UNMATCHED', `Row ${row} of the subset matches no unmatched row of the original.`);
      rows.push(match);
    }
    rows.sort((a, b) => a - b);
  }
  const columns: Record<string, { codes: Int32Array; dictionary: readonly string[] }> = {};
  for (const name of original.columnNames) {
    const column = original.column(name);
    columns[name] = { codes: Int32Array.from(rows, (row) => column.codes[row]), dictionary: column.values };
  }
  return openTable({ rowCount: rows.length, columns }, 'original subset');
}

/** One verdict over the parts: passes when every part does, and gathers the parts' failures otherwise. */
function combine(check: string, rowCount: number, verdicts: Verdict[], context: ClassContext | undefined, allowedSuppressed: number | undefined): PolicyVerdict {
  const failed = verdicts.filter((verdict) => !verdict.ok);
  const stats = {
    rowCount,
    ...(context === undefined ? {} : { classCount: context.partition.classCount, suppressedCount: context.partition.suppressedCount }),
    ...(allowedSuppressed === undefined ? {} : { allowedSuppressed }),
  };
  if (failed.length === 0) return { ok: true, check, stats, verdicts };
  const failures: Failure[] = failed.flatMap((verdict) => (verdict.ok ? [] : verdict.failures));
  const failureCount = failed.reduce((sum, verdict) => sum + (verdict.ok ? 0 : verdict.failureCount), 0);
  return { ok: false, check, stats, verdicts, failures, failureCount };
}

function modelVerdict(
  model: ModelSpec,
  context: ClassContext,
  original: TableReader,
  output: TableReader,
  distributions: Map<string, SensitiveDistribution>,
  hierarchyOf: (name: string) => HierarchyRows | undefined,
  orders: Readonly<Record<string, readonly string[]>> | undefined,
  attributes: AnonymizeOptions['attributes'],
  population: (model: 'k-map' | 'delta-presence') => PopulationParts,
): Verdict {
  const distribution = (name: string): SensitiveDistribution => {
    let found = distributions.get(name);
    if (found === undefined) distributions.set(name, (found = sensitiveDistribution(output, original, name)));
    return found;
  };
  switch (model.type) {
    case 'k-anonymity':
      return kAnonymityVerdict(context, model.k);
    case 'distinct-l-diversity':
      return lDiversityVerdict(context, { sensitive: model.attribute, l: model.l, variant: 'distinct' });
    case 'entropy-l-diversity':
      return lDiversityVerdict(context, { sensitive: model.attribute, l: model.l, variant: 'entropy', estimator: model.estimator });
    case 'recursive-cl-diversity':
      return lDiversityVerdict(context, { sensitive: model.attribute, l: model.l, c: model.c, variant: 'recursive' });
    case 't-closeness':
      return tClosenessVerdict(context, distribution(model.attribute), {
        sensitive: model.attribute,
        t: model.t,
        distance: model.distance,
        hierarchy: hierarchyOf(model.attribute),
        order: model.distance === 'ordered' ? (orders?.[model.attribute] ?? declaredOrder(distribution(model.attribute).domain, model.attribute, attributes)) : undefined,
      });
    case 'delta-disclosure':
      return deltaDisclosureVerdict(context, distribution(model.attribute), { sensitive: model.attribute, delta: model.delta });
    case 'beta-likeness':
      return betaLikenessVerdict(context, distribution(model.attribute), {
        sensitive: model.attribute,
        beta: model.beta,
        enhanced: model.enhanced,
      });
    case 'average-risk':
    case 'highest-risk':
    case 'records-at-risk':
    case 'population-uniqueness':
      return riskVerdict(context, model);
    case 'k-map':
      return kMapVerdict(context, model, population('k-map'));
    case 'delta-presence':
      return deltaPresenceVerdict(context, model, population('delta-presence'));
    case 'differential-privacy':
      return differentialPrivacyVerdict(context, model);
  }
}

/** The ordered distance's value order under the attribute's declared type (see `PolicyCheckOptions.orders`). */
function declaredOrder(values: readonly string[], name: string, attributes: AnonymizeOptions['attributes']): string[] {
  const attribute = attributes[name];
  const type = attribute?.type ?? 'string';
  const sorted = [...values];
  if (type === 'string') return sorted.sort(compareCodePoints);
  const key = type === 'date' ? dateKey(attribute.format ?? 'YYYY-MM-DD') : (value: string) => (value.trim() === '' ? NaN : Number(value));
  const keys = new Map(values.map((value) => [value, key(value)]));
  const unparsed = values.filter((value) => Number.isNaN(keys.get(value))).length;
  if (unparsed > 0) {
    throw usageError('TESTING_VALUE_NOT_OF_TYPE', `${unparsed} value(s) of "${name}" do not parse as its declared type ${type}.`, {
      location: { column: name },
    });
  }
  return sorted.sort((a, b) => keys.get(a)! - keys.get(b)! || compareCodePoints(a, b));
}

/** A date's sort key YYYYMMDD read through a format of YYYY, MM and DD tokens; NaN when the value does not fit. */
function dateKey(format: string): (value: string) => number {
  const tokens: ('YYYY' | 'MM' | 'DD')[] = [];
  let source = '^';
  for (let i = 0; i < format.length; ) {
    const token = (['YYYY', 'MM', 'DD'] as const).find((candidate) => format.startsWith(candidate, i));
    if (token === undefined) {
      source += format[i].replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
      i++;
    } else {
      tokens.push(token);
      source += token === 'YYYY' ? '(\\d{4})' : '(\\d{2})';
      i += token.length;
    }
  }
  const pattern = new RegExp(`${source}$`);
  return (value) => {
    const match = pattern.exec(value.trim());
    if (match === null) return NaN;
    const part = (token: 'YYYY' | 'MM' | 'DD'): number => Number(match[tokens.indexOf(token) + 1]);
    return part('YYYY') * 10_000 + part('MM') * 100 + part('DD');
  };
}
