// The population checkers of cloak/testing: k-map (counted from a population, or estimated from its size), δ-presence
// and differential privacy's class size. Populations are generalized by their hierarchy rows, as strings.

import { usageError } from '../errors.js';
import { dpParameters, epsilonAnon } from '../models/dp/parameters.js';
import type { ModelSpec } from '../options.js';
import { DEFAULT_K_MAP_SIGNIFICANCE, estimateKMapK, type KMapEstimator } from '../risk/k-map-estimate.js';
import { buildClassContext, classIdentity, describeClass, type ClassContext, type ClassOptions } from './classes.js';
import { throwIfFailed } from './errors.js';
import type { HierarchyRows } from './hierarchy-rows.js';
import { openTable, type TableInput, type TableReader } from './table-input.js';
import { FailureCollector, formatNumber, type Verdict } from './verdict.js';

/** The column of an aggregated population holding each row's people, unless the table carries weights. */
const COUNT_COLUMN = 'count';

/** How a population is read: rows with the quasi-identifiers, generalized through their hierarchy rows. */
export interface PopulationOptions {
  /**
   * The population: one row per person, or aggregated (a ColumnarTable with `weights`, or a `count` column holding
   * non-negative integers). Its quasi-identifier values must be in their hierarchies.
   */
  readonly population: TableInput;
  /** ARX rows per quasi-identifier, to generalize the population's values. */
  readonly hierarchies: Readonly<Record<string, HierarchyRows>>;
  /**
   * The generalization level of each quasi-identifier in the checked table. Default: the lowest hierarchy column
   * holding every released label of the attribute.
   */
  readonly levels?: Readonly<Record<string, number>>;
}

/** Options of {@link checkKMap}. */
export interface KMapCheckOptions extends ClassOptions, Partial<PopulationOptions> {
  readonly k: number;
  /** Estimate from the population's size instead of counting it (ARX's estimators); needs `populationSize`. */
  readonly estimator?: KMapEstimator;
  readonly populationSize?: number;
  /** Default 0.01. */
  readonly significance?: number;
  /** Records of the sample the estimate is for; default the checked table's records. */
  readonly sampleSize?: number;
}

/**
 * Checks k-map: every released class stands for at least k people of the population — counted (`population`) or,
 * with an `estimator`, by ARX's derived class size k′ for a sample of `sampleSize` from `populationSize` people.
 */
export function checkKMap(table: TableInput, options: KMapCheckOptions): Verdict {
  const reader = openTable(table, 'checked table');
  return kMapVerdict(buildClassContext(reader, options), options.estimator === undefined ? { type: 'k-map', k: options.k } : { type: 'k-map', k: options.k, estimator: options.estimator, populationSize: options.populationSize, significance: options.significance }, {
    population: options.population === undefined ? undefined : openTable(options.population, 'population'),
    hierarchies: options.hierarchies,
    levels: options.levels,
    sampleSize: options.sampleSize ?? reader.recordCount,
  });
}

/** Throws an `AnonymizationAssertionError` unless {@link checkKMap} passes. */
export function assertKMap(table: TableInput, options: KMapCheckOptions): void {
  throwIfFailed(checkKMap(table, options));
}

/** What the population verdicts read besides the grouped table. */
export interface PopulationParts {
  readonly population?: TableReader;
  readonly hierarchies?: Readonly<Record<string, HierarchyRows>>;
  readonly levels?: Readonly<Record<string, number>>;
  /** Records of the sample (an estimated k-map's n). */
  readonly sampleSize: number;
  /** The released table's original rows and which were suppressed (δ-presence's classes left with no record). */
  readonly original?: TableReader;
  readonly suppressed?: Uint8Array;
}

/** k-map over an already grouped table (shared with the policy checker). */
export function kMapVerdict(context: ClassContext, spec: Extract<ModelSpec, { type: 'k-map' }>, parts: PopulationParts): Verdict {
  if (!(Number.isInteger(spec.k) && spec.k >= 1)) throw usageError('TESTING_BAD_K', `k must be an integer ≥ 1 (got ${spec.k}).`);
  const { partition } = context;
  if (spec.estimator !== undefined) {
    if (!(Number.isInteger(spec.populationSize) && spec.populationSize! >= parts.sampleSize)) {
      throw usageError('TESTING_BAD_POPULATION_SIZE', 'An estimated k-map needs an integer populationSize at least the sample size.');
    }
    const estimate = estimateKMapK(spec.k, parts.sampleSize, spec.populationSize!, spec.significance ?? DEFAULT_K_MAP_SIGNIFICANCE, spec.estimator);
    return sizeVerdict(context, `${spec.k}-map (estimated: ${estimate.k}-anonymity)`, estimate.k);
  }
  const counts = populationCounts(context, requirePopulation(parts, 'k-map'));
  const failures = new FailureCollector(`${spec.k}-map`, context.maxFailures);
  let smallest = Infinity;
  for (let c = 0; c < partition.classCount; c++) {
    const people = counts.perClass[c];
    smallest = Math.min(smallest, people);
    if (people >= spec.k) continue;
    failures.record(() => ({
      kind: 'class',
      check: failures.check,
      ...classIdentity(context, c),
      measure: people,
      required: spec.k,
      margin: spec.k - people,
      message: `${describeClass(context, c)}: stands for ${formatNumber(people)} people of the population, fewer than k = ${spec.k}.`,
    }));
  }
  return failures.verdict({ rowCount: partition.rowCount, classCount: partition.classCount, suppressedCount: partition.suppressedCount, ...(partition.classCount > 0 ? { worst: smallest } : {}) });
}

/** Options of {@link checkDeltaPresence}. */
export interface DeltaPresenceCheckOptions extends ClassOptions, PopulationOptions {
  readonly deltaMin: number;
  readonly deltaMax: number;
  /**
   * The checked table's original rows (row by row), to tell a population class whose subset records were all
   * suppressed from one that has none. Without it, population classes with no released record are not judged.
   */
  readonly original?: TableInput;
}

/**
 * Checks δ-presence of a released research subset against its population: in every released class, records of the
 * class / people of the population in it lies in [deltaMin, deltaMax]; with deltaMin > 0 and `original`, a class of
 * the population holding no record of the subset (share 0) fails too.
 */
export function checkDeltaPresence(table: TableInput, options: DeltaPresenceCheckOptions): Verdict {
  const reader = openTable(table, 'checked table');
  const context = buildClassContext(reader, options);
  const original = options.original === undefined ? undefined : openTable(options.original, 'original table');
  const suppressed = Uint8Array.from(context.partition.classOf, (c) => (c < 0 ? 1 : 0));
  return deltaPresenceVerdict(context, { deltaMin: options.deltaMin, deltaMax: options.deltaMax }, {
    population: openTable(options.population, 'population'),
    hierarchies: options.hierarchies,
    levels: options.levels,
    sampleSize: reader.recordCount,
    original,
    suppressed,
  });
}

/** Throws an `AnonymizationAssertionError` unless {@link checkDeltaPresence} passes. */
export function assertDeltaPresent(table: TableInput, options: DeltaPresenceCheckOptions): void {
  throwIfFailed(checkDeltaPresence(table, options));
}

/** δ-presence over an already grouped table (shared with the policy checker). */
export function deltaPresenceVerdict(context: ClassContext, spec: Pick<Extract<ModelSpec, { type: 'delta-presence' }>, 'deltaMin' | 'deltaMax'>, parts: PopulationParts): Verdict {
  const { deltaMin, deltaMax } = spec;
  if (!(deltaMin >= 0 && deltaMin <= deltaMax && deltaMax <= 1)) throw usageError('TESTING_BAD_DELTA', 'δ-presence needs 0 ≤ deltaMin ≤ deltaMax ≤ 1.');
  const { partition } = context;
  const counts = populationCounts(context, requirePopulation(parts, 'δ-presence'));
  const failures = new FailureCollector(`(${deltaMin}, ${deltaMax})-presence`, context.maxFailures);
  let largest = -Infinity;
  for (let c = 0; c < partition.classCount; c++) {
    const share = partition.sizes[c] / counts.perClass[c];
    largest = Math.max(largest, share);
    if (share >= deltaMin && share <= deltaMax) continue;
    failures.record(() => ({
      kind: 'class',
      check: failures.check,
      ...classIdentity(context, c),
      measure: share,
      required: share > deltaMax ? deltaMax : deltaMin,
      margin: share > deltaMax ? share - deltaMax : deltaMin - share,
      message: `${describeClass(context, c)}: ${partition.sizes[c]} of ${formatNumber(counts.perClass[c])} people of the population are in the subset (${formatNumber(share)}), outside [${deltaMin}, ${deltaMax}].`,
    }));
  }
  if (deltaMin > 0 && parts.original !== undefined && parts.suppressed !== undefined) {
    // Population classes with no released record: fine where the subset's records were suppressed, not where it has none.
    const withSubset = new Set<number | string>();
    const keyOfOriginal = counts.keyOf(parts.original);
    for (let row = 0; row < parts.original.rowCount; row++) {
      const key = parts.suppressed[row] === 1 ? keyOfOriginal(row) : undefined;
      if (key !== undefined) withSubset.add(key);
    }
    const empty = [...counts.unmatched.entries()].filter(([key]) => !withSubset.has(key));
    if (empty.length > 0) {
      const people = empty.reduce((sum, [, records]) => sum + records, 0);
      failures.record(() => ({
        kind: 'table',
        check: failures.check,
        measure: 0,
        required: deltaMin,
        margin: deltaMin,
        message: `${empty.length} class(es) of the population (${formatNumber(people)} people) hold no record of the subset: share 0 < ${deltaMin}.`,
      }));
    }
  }
  return failures.verdict({ rowCount: partition.rowCount, classCount: partition.classCount, suppressedCount: partition.suppressedCount, ...(partition.classCount > 0 ? { worst: largest } : {}) });
}

/** Options of {@link checkDifferentialPrivacy}. */
export interface DifferentialPrivacyCheckOptions extends ClassOptions {
  readonly epsilon: number;
  readonly delta: number;
  /** The ε the search spent (ε_anon = ε − searchBudget); default 0.1, or 0 when `fixedLevels`. */
  readonly searchBudget?: number;
  /** The transformation was fixed in advance (no search budget spent). */
  readonly fixedLevels?: boolean;
}

/**
 * Checks the part of (ε, δ)-differential privacy a release shows: every released class holds at least the k that
 * SafePub derives from ε_anon and δ. Whether the records were sampled with the right probability cannot be seen.
 */
export function checkDifferentialPrivacy(table: TableInput, options: DifferentialPrivacyCheckOptions): Verdict {
  const spec: Extract<ModelSpec, { type: 'differential-privacy' }> = {
    type: 'differential-privacy',
    epsilon: options.epsilon,
    delta: options.delta,
    ...(options.fixedLevels === true ? { levels: {} } : { searchBudget: options.searchBudget }),
  };
  return differentialPrivacyVerdict(buildClassContext(openTable(table, 'checked table'), options), spec);
}

/** Throws an `AnonymizationAssertionError` unless {@link checkDifferentialPrivacy} passes. */
export function assertDifferentiallyPrivate(table: TableInput, options: DifferentialPrivacyCheckOptions): void {
  throwIfFailed(checkDifferentialPrivacy(table, options));
}

/** Differential privacy's class size over an already grouped table (shared with the policy checker). */
export function differentialPrivacyVerdict(context: ClassContext, spec: Extract<ModelSpec, { type: 'differential-privacy' }>): Verdict {
  let k: number;
  try {
    k = dpParameters(epsilonAnon(spec), spec.delta).k;
  } catch (cause) {
    throw usageError('TESTING_BAD_DP', `ε and δ do not give a class size: ${(cause as Error).message}.`);
  }
  return sizeVerdict(context, `(${spec.epsilon}, ${spec.delta})-differential privacy (k = ${k})`, k);
}

/** Every released class holds at least `k` records. */
function sizeVerdict(context: ClassContext, check: string, k: number): Verdict {
  const { partition } = context;
  const failures = new FailureCollector(check, context.maxFailures);
  let smallest = Infinity;
  for (let c = 0; c < partition.classCount; c++) {
    const size = partition.sizes[c];
    smallest = Math.min(smallest, size);
    if (size >= k) continue;
    failures.record(() => ({
      kind: 'class',
      check,
      ...classIdentity(context, c),
      measure: size,
      required: k,
      margin: k - size,
      message: `${describeClass(context, c)}: size ${size} < ${k}.`,
    }));
  }
  return failures.verdict({ rowCount: partition.rowCount, classCount: partition.classCount, suppressedCount: partition.suppressedCount, ...(partition.classCount > 0 ? { worst: smallest } : {}) });
}

function requirePopulation(parts: PopulationParts, model: string): { population: TableReader; hierarchies: Readonly<Record<string, HierarchyRows>>; levels?: Readonly<Record<string, number>> } {
  if (parts.population === undefined || parts.hierarchies === undefined) {
    throw usageError('TESTING_MISSING_POPULATION', `${model} is checked against a population: give the population and the hierarchy rows of every quasi-identifier.`);
  }
  return { population: parts.population, hierarchies: parts.hierarchies, levels: parts.levels };
}

interface PopulationCounts {
  /** People of the population in each released class. */
  readonly perClass: Float64Array;
  /** People in population classes with no released class, by class key. */
  readonly unmatched: Map<number | string, number>;
  /** The class key of each row of a table with the quasi-identifiers' original values (undefined: not generalizable). */
  readonly keyOf: (table: TableReader) => (row: number) => number | string | undefined;
}

/**
 * The population's rows generalized to the released classes' levels and counted per class key. Labels are interned
 * per attribute and a key packs their indices (mixed radix, or joined when the space passes 2⁵³): a large population
 * is counted without a string per row.
 */
function populationCounts(context: ClassContext, parts: { population: TableReader; hierarchies: Readonly<Record<string, HierarchyRows>>; levels?: Readonly<Record<string, number>> }): PopulationCounts {
  const { partition } = context;
  const { population } = parts;
  const interned = context.qi.map(() => new Map<string, number>());
  const intern = (q: number, label: string): number => {
    let id = interned[q].get(label);
    if (id === undefined) interned[q].set(label, (id = interned[q].size));
    return id;
  };
  const labelOf = context.qi.map((name, q) => {
    const rows = parts.hierarchies[name];
    if (rows === undefined) throw usageError('TESTING_MISSING_HIERARCHY', `No hierarchy was given for quasi-identifier "${name}".`, { location: { column: name } });
    const column = context.qiColumns[q];
    const released = new Set<string>();
    for (let c = 0; c < partition.classCount; c++) released.add(column.values[column.codes[partition.firstRow[c]]]);
    const level = parts.levels?.[name] ?? inferLevel(rows, released);
    const byValue = new Map<string, string>();
    for (const row of rows) if (row.length > level && !byValue.has(row[0])) byValue.set(row[0], row[level]);
    return (value: string): string | undefined => byValue.get(value);
  });
  // Label indices of each distinct value of a table's column (−1: outside the hierarchy), computed once per value.
  const labelIds = (table: TableReader, q: number): Int32Array => {
    const column = table.column(context.qi[q]);
    return Int32Array.from(column.values, (value) => {
      const label = labelOf[q](value);
      return label === undefined ? -1 : intern(q, label);
    });
  };
  const populationIds = context.qi.map((_, q) => labelIds(population, q));
  const classIds = context.qi.map((_, q) => Int32Array.from({ length: partition.classCount }, (_, c) => intern(q, context.qiColumns[q].values[context.qiColumns[q].codes[partition.firstRow[c]]])));
  const strides: number[] = [];
  let space = 1;
  for (const labels of interned) {
    strides.push(space);
    space *= Math.max(1, labels.size);
  }
  const exact = space <= Number.MAX_SAFE_INTEGER;
  const pack = (ids: (q: number) => number): number | string | undefined => {
    if (!exact) {
      const all = strides.map((_, q) => ids(q));
      return all.some((id) => id < 0) ? undefined : all.join(',');
    }
    let key = 0;
    for (let q = 0; q < strides.length; q++) {
      const id = ids(q);
      if (id < 0) return undefined;
      key += id * strides[q];
    }
    return key;
  };
  const classOfKey = new Map<number | string, number>();
  for (let c = 0; c < partition.classCount; c++) classOfKey.set(pack((q) => classIds[q][c])!, c);
  const keyOf = (table: TableReader) => {
    const columns = context.qi.map((name) => table.column(name));
    // Values of another table (an original) may have labels the population lacks: those rows match no class.
    const ids = context.qi.map((_, q) => Int32Array.from(columns[q].values, (value) => {
      const label = labelOf[q](value);
      return label === undefined ? -1 : (interned[q].get(label) ?? -1);
    }));
    return (row: number) => pack((q) => ids[q][columns[q].codes[row]]);
  };
  const weightOf = populationWeights(population);
  const populationColumns = context.qi.map((name) => population.column(name));
  const perClass = new Float64Array(partition.classCount);
  const unmatched = new Map<number | string, number>();
  for (let row = 0; row < population.rowCount; row++) {
    const key = pack((q) => populationIds[q][populationColumns[q].codes[row]]);
    if (key === undefined) throw usageError('TESTING_POPULATION_VALUE', `Row ${row} of the population has a quasi-identifier value outside its hierarchy.`);
    const c = classOfKey.get(key);
    if (c === undefined) unmatched.set(key, (unmatched.get(key) ?? 0) + weightOf(row));
    else perClass[c] += weightOf(row);
  }
  return { perClass, unmatched, keyOf };
}

/** The lowest level (hierarchy column) holding every released label; 0 when they are all values. */
function inferLevel(rows: HierarchyRows, released: ReadonlySet<string>): number {
  const height = rows.reduce((max, row) => Math.max(max, row.length), 0);
  for (let level = 0; level < height; level++) {
    const column = new Set(rows.map((row) => row[level]));
    if ([...released].every((label) => column.has(label))) return level;
  }
  return 0;
}

/** Records per population row: its weight, its `count` column, or 1. */
function populationWeights(population: TableReader): (row: number) => number {
  if (population.weights !== undefined) return (row) => population.weights![row];
  if (!population.hasColumn(COUNT_COLUMN)) return () => 1;
  const column = population.column(COUNT_COLUMN);
  const counts = column.values.map((value) => (/^\s*\d+\s*$/.test(value) ? Number(value) : NaN));
  return (row) => {
    const count = counts[column.codes[row]];
    if (!Number.isSafeInteger(count)) throw usageError('TESTING_BAD_WEIGHT', `Row ${row} of the population has a count that is not a non-negative integer.`);
    return count;
  };
}
