// The populations that population-based models count against: a population table (k-map) and the whole input a
// research subset is released from (δ-presence), each grouped by its own roll-up grouper in the data's code space.

import { inputError } from './errors.js';
import { collapseTuples } from './groupify/collapse.js';
import type { EquivalenceClasses } from './groupify/equivalence-classes.js';
import { levelDomainSizes } from './groupify/node-grouper.js';
import { GroupedPopulation, populationHistogram } from './groupify/population-counts.js';
import { compileHierarchy } from './hierarchy/compile.js';
import type { CompiledHierarchy } from './hierarchy/compiled-hierarchy.js';
import type { PopulationTable } from './risk/population-table.js';
import type { EncodedColumn, EncodedTable } from './table/encoded-table.js';

/** The whole input, grouped with the data's hierarchies (the released subset shares its dictionaries). */
export function populationOfInput(input: EncodedTable, qiColumns: readonly number[], hierarchies: readonly CompiledHierarchy[], cacheBytes: number): GroupedPopulation {
  return new GroupedPopulation(collapseTuples(input, qiColumns, [], levelDomainSizes(hierarchies)), hierarchies, cacheBytes);
}

/**
 * A population table as a grouped population. Its values need codes at level 0 that agree with the data's: each
 * quasi-identifier's dictionary is the data's, extended by the values only the population has, and its hierarchy is
 * compiled again for that dictionary from the same rows (labels above level 0 keep their codes). Every value must be
 * in its hierarchy (checked when the table was read for the risk section). Counts must sum below 2³¹.
 */
export function populationOfTable(
  table: PopulationTable,
  dataColumns: readonly EncodedColumn[],
  hierarchyRows: readonly (readonly (readonly string[])[])[],
  cacheBytes: number,
): GroupedPopulation {
  const width = dataColumns.length;
  const columns = table.columns!;
  const rowCount = table.countOfRow!.length;
  const codes = new Int32Array(rowCount * width);
  const counts = new Int32Array(rowCount);
  const hierarchies = dataColumns.map((column, j) => {
    // The table's codes mapped into the data's dictionary, extended by the values only the population has.
    const dictionary = column.dictionary.slice();
    const codeOf = new Map(dictionary.map((value, code) => [value, code]));
    const toData = Int32Array.from(columns[j].dictionary, (value) => {
      let code = codeOf.get(value);
      if (code === undefined) {
        code = dictionary.length;
        codeOf.set(value, code);
        dictionary.push(value);
      }
      return code;
    });
    const tableCodes = columns[j].codes;
    for (let r = 0; r < rowCount; r++) codes[r * width + j] = toData[tableCodes[r]];
    return compileHierarchy({ name: column.name, codes: new Int32Array(0), dictionary }, { rows: hierarchyRows[j], origin: `hierarchy of "${column.name}"` });
  });
  let total = 0;
  for (let r = 0; r < rowCount; r++) total += counts[r] = table.countOfRow![r];
  if (total > 2 ** 31 - 1) {
    throw inputError('K_MAP_POPULATION_TOO_LARGE', `population table ${table.origin}: its counts sum to ${total}, more than 2³¹ − 1 people`, { location: { file: table.origin } });
  }
  return new GroupedPopulation(populationHistogram(codes, counts, levelDomainSizes(hierarchies)), hierarchies, cacheBytes);
}

/**
 * Throws an input error unless the population holds every combination of the data at least as often as the data
 * does (a population contains its sample). `tuples` are the data's distinct combinations (level 0).
 */
export function assertPopulationCovers(population: GroupedPopulation, tuples: EquivalenceClasses, origin: string): void {
  const counts = population.countsOf(tuples);
  let unknownClasses = 0;
  let unknownRecords = 0;
  let tooSmall = 0;
  for (let t = 0; t < tuples.count; t++) {
    if (counts[t] === 0) {
      unknownClasses++;
      unknownRecords += tuples.sizes[t];
    } else if (counts[t] < tuples.sizes[t]) tooSmall++;
  }
  if (unknownClasses > 0) {
    throw inputError(
      'K_MAP_POPULATION_UNCOVERED',
      `population table ${origin}: ${unknownClasses} combination(s) of the data (${unknownRecords} record(s)) have no people in it; it must count every combination that occurs`,
      { location: { file: origin } },
    );
  }
  if (tooSmall > 0) {
    throw inputError('K_MAP_POPULATION_TOO_SMALL', `population table ${origin}: ${tooSmall} combination(s) count fewer people than the data holds records with them; a population contains its sample`, {
      location: { file: origin },
    });
  }
}
