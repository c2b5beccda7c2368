// The `risk` section of the anonymization report: the input's and the released output's risk figures side by side.
// Owns carrying a population table through the hierarchies, so the output's classes get their population counts.

import { inputError, usageError } from '../errors.js';
import type { EquivalenceClasses } from '../groupify/equivalence-classes.js';
import type { PopulationCounter } from '../groupify/population-counts.js';
import type { CompiledHierarchy } from '../hierarchy/compiled-hierarchy.js';
import type { RiskReportOptions } from '../options.js';
import type { RiskReport } from './index.js';
import { generalizePopulationTable } from './population-table.js';
import { resolveRiskOptions, riskOfClasses, unsuppressedTuples, type ResolvedRiskOptions } from './table-risk.js';

/** Risk figures before and after anonymization; the output's cover the released records only. */
export interface AnonymizationRisk {
  readonly input: RiskReport;
  readonly output: RiskReport;
}

/** The section's options, resolved before the search so that a bad population table fails early. */
export interface RiskSectionSetup {
  readonly options: ResolvedRiskOptions;
  /** Per quasi-identifier: hierarchy row (value, level 1 label, …) by value. */
  readonly hierarchyRowByValue: readonly ReadonlyMap<string, readonly string[]>[];
}

/**
 * Resolves the report options for quasi-identifiers with the given hierarchy rows and an input of `rowCount`
 * records, which the population must hold. With a population table, checks that each of its values is in its
 * attribute's hierarchy (an input error naming the line otherwise).
 */
export async function prepareRiskSection(
  options: RiskReportOptions | undefined,
  quasiIdentifiers: readonly string[],
  hierarchyRows: readonly (readonly (readonly string[])[])[],
  rowCount: number,
): Promise<RiskSectionSetup> {
  const resolved = await resolveRiskOptions(options, quasiIdentifiers);
  if (resolved.populationSize !== undefined && resolved.populationSize < rowCount) {
    throw usageError('RISK_POPULATION_SIZE', `the population size ${resolved.populationSize} is smaller than the ${rowCount} input records`);
  }
  const hierarchyRowByValue = hierarchyRows.map((rows) => new Map(rows.map((row) => [row[0], row] as const)));
  const table = resolved.populationTable;
  // Each distinct value of a column is checked once; the error names the first line holding it.
  table?.columns?.forEach((column, j) => {
    const missing = column.dictionary.map((value) => !hierarchyRowByValue[j].has(value));
    if (!missing.includes(true)) return;
    const row = column.codes.findIndex((code) => missing[code]);
    const name = quasiIdentifiers[j];
    const line = table.lineOf!(row);
    throw inputError('RISK_POPULATION_NOT_IN_HIERARCHY', `population table ${table.origin} line ${line}: the value of "${name}" is not in its hierarchy`, {
      location: { file: table.origin, line, column: name },
    });
  });
  return { options: resolved, hierarchyRowByValue };
}

/**
 * The input's figures over its distinct quasi-identifier tuples (all-`*` records left out) and the output's over
 * the classes of the chosen node that were not suppressed, with the population table generalized to that node —
 * or, where the run grouped the table already (`population`, for k-map), with the counts it has per class.
 */
export function anonymizationRisk(
  setup: RiskSectionSetup,
  tuples: EquivalenceClasses,
  classes: EquivalenceClasses,
  suppressed: Uint8Array,
  hierarchies: readonly CompiledHierarchy[],
  population?: PopulationCounter,
): AnonymizationRisk {
  const inputTuples = unsuppressedTuples(
    tuples,
    hierarchies.map((hierarchy) => hierarchy.labels[0]),
  );
  const groupedInput = setup.options.populationTable === undefined ? undefined : population?.countsOf(tuples);
  const input = riskOfClasses(inputTuples.classes, setup.options, groupedInput === undefined ? undefined : Float64Array.from(inputTuples.kept, (t) => groupedInput[t]));

  const released: number[] = [];
  for (let c = 0; c < classes.count; c++) if (suppressed[c] === 0) released.push(c);
  const width = hierarchies.length;
  const levels = classes.levels;
  const table = setup.options.populationTable;
  const grouped = table === undefined ? undefined : population?.countsOf(classes);
  const outputOptions: ResolvedRiskOptions =
    table === undefined || grouped !== undefined
      ? setup.options
      : {
          ...setup.options,
          populationTable: generalizePopulationTable(
            table,
            setup.hierarchyRowByValue.map((rowByValue, j) => (value: string) => rowByValue.get(value)?.[levels[j]]),
          ),
        };
  const output = riskOfClasses(
    {
      count: released.length,
      sizeOf: (c) => classes.sizes[released[c]],
      labelsOf: (c) => hierarchies.map((hierarchy, j) => hierarchy.labels[levels[j]][classes.keys[released[c] * width + j]]),
    },
    outputOptions,
    grouped === undefined ? undefined : Float64Array.from(released, (c) => grouped[c]),
  );
  return { input, output };
}
