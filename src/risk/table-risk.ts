// The risk report of a table: resolves the report options (population size, population table), groups the
// records by their quasi-identifiers in one pass, leaves out fully suppressed records, and runs the estimators.

import { inputError, usageError } from '../errors.js';
import { collapseTuples } from '../groupify/collapse.js';
import { missingColumnProblems } from '../table/column-names.js';
import type { EquivalenceClasses } from '../groupify/equivalence-classes.js';
import type { RiskReportOptions } from '../options.js';
import type { EncodedTable } from '../table/encoded-table.js';
import { estimateRiskFromClassSizes, type RiskReport } from './index.js';
import { combinationKey, populationCountsOf, readPopulationTable, type PopulationTable } from './population-table.js';
import { POPULATION_PRESETS, type PopulationModel } from './population-uniqueness.js';

/** A cell holding this in every quasi-identifier marks a suppressed record, which the figures leave out. */
export const SUPPRESSED_TOKEN = '*';

/** Report options with the population size resolved and the population table read. */
export interface ResolvedRiskOptions {
  readonly threshold?: number;
  readonly populationSize?: number;
  readonly populationModel?: PopulationModel;
  readonly populationTable?: PopulationTable;
}

/** The risk report of a table, with what was grouped and what was left out. */
export interface TableRiskReport extends RiskReport {
  readonly quasiIdentifiers: readonly string[];
  /** Every record of the table. */
  readonly rows: number;
  /** Records whose quasi-identifiers are all `*` (suppressed): not part of any figure. */
  readonly excludedRecords: number;
}

/**
 * N from a number or a preset name (USA, UK, Germany, France, Canada, EU; any letter case) or a decimal integer
 * string. Throws a usage error naming the presets otherwise.
 */
export function resolvePopulationSize(population: number | string): number {
  if (typeof population === 'string') {
    const text = population.trim();
    const preset = Object.entries(POPULATION_PRESETS).find(([name]) => name.toLowerCase() === text.toLowerCase());
    if (preset !== undefined) return preset[1];
    if (/^\d+$/.test(text)) return resolvePopulationSize(Number(text));
  } else if (Number.isSafeInteger(population) && population >= 1) {
    return population;
  }
  throw usageError(
    'RISK_POPULATION_SIZE',
    `population must be a positive integer or one of ${Object.keys(POPULATION_PRESETS).join(', ')}, got ${JSON.stringify(population)}`,
  );
}

/**
 * Validates the report options and reads the population table (its columns: the quasi-identifiers and `count`).
 * Without `population`, a population table implies the population size: the sum of its counts.
 */
export async function resolveRiskOptions(options: RiskReportOptions | undefined, quasiIdentifiers: readonly string[]): Promise<ResolvedRiskOptions> {
  if (options === undefined) return {};
  const { threshold, populationModel } = options;
  if (threshold !== undefined && !(typeof threshold === 'number' && threshold >= 0 && threshold <= 1)) {
    throw usageError('RISK_THRESHOLD', `risk threshold must be a number in [0, 1], got ${JSON.stringify(threshold)}`);
  }
  if (populationModel !== undefined && !['pitman', 'zayatz', 'snb', 'dankar'].includes(populationModel)) {
    throw usageError('RISK_POPULATION_MODEL', 'population model must be one of pitman, zayatz, snb, dankar');
  }
  const populationTable = options.populationTable === undefined ? undefined : await readPopulationTable(options.populationTable, quasiIdentifiers);
  return {
    threshold,
    populationModel,
    populationSize: options.population === undefined ? impliedPopulationSize(populationTable) : resolvePopulationSize(options.population),
    populationTable,
  };
}

/** A population table counts the whole population: N is the sum of its counts (none without a table, or when 0). */
function impliedPopulationSize(table: PopulationTable | undefined): number | undefined {
  if (table === undefined) return undefined;
  let total = 0;
  for (const row of table.rows) total += row.count;
  return total >= 1 ? total : undefined;
}

/** Classes as the report needs them: sizes, and each class's combination of labels for the population table. */
export interface RiskClasses {
  readonly count: number;
  sizeOf(c: number): number;
  labelsOf(c: number): readonly string[];
}

/**
 * The report over the given classes; the population size must cover their records. `counted`: the classes'
 * population counts where the caller has them already (checked against the table), instead of looking them up.
 */
export function riskOfClasses(classes: RiskClasses, options: ResolvedRiskOptions, counted?: Float64Array): RiskReport {
  const sizes = new Int32Array(classes.count);
  let records = 0;
  for (let c = 0; c < classes.count; c++) records += sizes[c] = classes.sizeOf(c);
  const { populationSize, populationTable } = options;
  if (populationSize !== undefined && populationSize < records) {
    throw usageError('RISK_POPULATION_SIZE', `the population size ${populationSize} is smaller than the ${records} records it is said to contain`);
  }
  const populationCounts =
    populationTable === undefined
      ? undefined
      : (counted ?? populationCountsOf(populationTable, classes.count, (c) => combinationKey(classes.labelsOf(c)), (c) => sizes[c]));
  return estimateRiskFromClassSizes(sizes, {
    threshold: options.threshold,
    populationSize,
    populationModel: options.populationModel,
    populationCounts,
  });
}

/** Throws a usage error unless the quasi-identifiers are given, distinct and columns of the table. */
export function checkQuasiIdentifiers(table: EncodedTable, quasiIdentifiers: readonly string[], file: string): number[] {
  const problems: string[] = [];
  if (quasiIdentifiers.length === 0) problems.push('at least one quasi-identifier is required');
  const names = table.columns.map((column) => column.name);
  quasiIdentifiers.forEach((name, index) => {
    if (quasiIdentifiers.indexOf(name) !== index) problems.push(`quasi-identifier "${name}" is given twice`);
  });
  problems.push(...missingColumnProblems([...new Set(quasiIdentifiers)], names, file, (name) => `quasi-identifier "${name}"`));
  if (problems.length > 0) {
    const message = problems.length === 1 ? problems[0] : `${problems.length} problems with the quasi-identifiers:\n  - ${problems.join('\n  - ')}`;
    throw usageError('RISK_QUASI_IDENTIFIERS', message, { problems });
  }
  return quasiIdentifiers.map((name) => names.indexOf(name));
}

/**
 * The classes of distinct quasi-identifier tuples (keys are codes into `dictionaries`) without those whose
 * every label is `*`, which are suppressed records, and how many records those hold.
 */
export function unsuppressedTuples(tuples: EquivalenceClasses, dictionaries: readonly (readonly string[])[]): { classes: RiskClasses; excludedRecords: number; kept: readonly number[] } {
  const width = dictionaries.length;
  const starCodes = dictionaries.map((dictionary) => dictionary.indexOf(SUPPRESSED_TOKEN));
  // Without quasi-identifiers nothing is `*`: the whole table is one class, as the output's figures count it.
  const suppressed = (t: number): boolean => width > 0 && starCodes.every((code, j) => code >= 0 && tuples.keys[t * width + j] === code);
  const kept: number[] = [];
  let excludedRecords = 0;
  for (let t = 0; t < tuples.count; t++) {
    if (suppressed(t)) excludedRecords += tuples.sizes[t];
    else kept.push(t);
  }
  const classes: RiskClasses = {
    count: kept.length,
    sizeOf: (c) => tuples.sizes[kept[c]],
    labelsOf: (c) => dictionaries.map((dictionary, j) => dictionary[tuples.keys[kept[c] * width + j]]),
  };
  return { classes, excludedRecords, kept };
}

/**
 * The risk report of a table grouped by the quasi-identifiers: one grouping pass over the codes, then the
 * estimators over the class sizes. Records whose quasi-identifiers are all `*` are left out.
 */
export function tableRisk(table: EncodedTable, quasiIdentifiers: readonly string[], options: ResolvedRiskOptions, file: string): TableRiskReport {
  const qiColumns = checkQuasiIdentifiers(table, quasiIdentifiers, file);
  if (table.rowCount === 0) throw inputError('INPUT_EMPTY', `${file}: no records`, { location: { file } });
  const { tuples } = collapseTuples(table, qiColumns, []);
  const { classes, excludedRecords } = unsuppressedTuples(
    tuples,
    qiColumns.map((c) => table.columns[c].dictionary),
  );
  return { quasiIdentifiers: [...quasiIdentifiers], rows: table.rowCount, excludedRecords, ...riskOfClasses(classes, options) };
}
