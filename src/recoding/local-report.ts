// The report's view of a local recoding: level vectors and their records, released labels per quasi-identifier,
// and the risk section, whose population table is generalized at each class's own levels.

import type { EquivalenceClasses } from '../groupify/equivalence-classes.js';
import type { CompiledHierarchy } from '../hierarchy/compiled-hierarchy.js';
import { RELEASED_LABELS_SHOWN, type LocalRecodingReport, type ReleasedLabels } from '../report.js';
import type { AnonymizationRisk, RiskSectionSetup } from '../risk/anonymization-risk.js';
import { combinationKey, generalizePopulationTable, type PopulationTable } from '../risk/population-table.js';
import { riskOfClasses, unsuppressedTuples } from '../risk/table-risk.js';
import type { ReleasedClasses } from './released-classes.js';
import type { TupleRecoding } from './tuple-recoding.js';

/** The level vectors of the released records with their records and classes, most records first. */
export function levelVectors(names: readonly string[], recoding: TupleRecoding, tuples: EquivalenceClasses, groupOfClass: Int32Array): LocalRecodingReport['levelVectors'] {
  const records = new Float64Array(recoding.groupCount);
  const classes = new Float64Array(recoding.groupCount);
  for (let t = 0; t < tuples.count; t++) if (recoding.groupOfTuple[t] >= 0) records[recoding.groupOfTuple[t]] += tuples.sizes[t];
  for (const group of groupOfClass) if (group >= 0) classes[group]++;
  const vectors = Array.from({ length: recoding.groupCount }, (_, group) => {
    const levels: Record<string, number> = Object.create(null);
    names.forEach((name, j) => (levels[name] = recoding.groupLevels[group * recoding.width + j]));
    return { levels, records: records[group], classes: classes[group] };
  });
  return vectors.filter((vector) => vector.records > 0).sort((a, b) => b.records - a.records);
}

/**
 * Per quasi-identifier, the released records' labels with their counts, most frequent first. Original values (level
 * 0) are listed only when values may be shown; `level` is the lowest level any released record has, and `withheld`
 * says that some original values were left out.
 */
export function localReleasedLabels(
  names: readonly string[],
  hierarchies: readonly CompiledHierarchy[],
  tuples: EquivalenceClasses,
  recoding: TupleRecoding,
  showValues: boolean,
): Record<string, ReleasedLabels> {
  const result: Record<string, ReleasedLabels> = Object.create(null);
  const width = hierarchies.length;
  names.forEach((name, j) => {
    const counts = new Map<string, number>();
    let lowest = hierarchies[j].maxLevel;
    let withheld = false;
    const originals = new Set<string>();
    for (let t = 0; t < tuples.count; t++) {
      const group = recoding.groupOfTuple[t];
      if (group < 0) continue;
      const level = recoding.groupLevels[group * width + j];
      const label = hierarchies[j].labels[level][hierarchies[j].dataToLevel[level][tuples.keys[t * width + j]]];
      lowest = Math.min(lowest, level);
      if (level === 0 && !showValues) {
        withheld = true;
        originals.add(label);
        continue;
      }
      counts.set(label, (counts.get(label) ?? 0) + tuples.sizes[t]);
    }
    const present = [...counts].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
    const listed = present.slice(0, RELEASED_LABELS_SHOWN);
    result[name] = {
      level: lowest,
      withheld,
      labels: listed.map(([label, count]) => ({ label, count })),
      omittedLabels: present.length - listed.length + originals.size,
    };
  });
  return result;
}

/**
 * The risk section of a local release: the input's figures as for global recoding, the output's over the released
 * classes. A population table is generalized at the levels of each class's records.
 */
export function localAnonymizationRisk(setup: RiskSectionSetup, tuples: EquivalenceClasses, released: ReleasedClasses, recoding: TupleRecoding, hierarchies: readonly CompiledHierarchy[]): AnonymizationRisk {
  const input = riskOfClasses(
    unsuppressedTuples(
      tuples,
      hierarchies.map((hierarchy) => hierarchy.labels[0]),
    ).classes,
    setup.options,
  );
  const kept: number[] = [];
  for (let c = 0; c < released.classes.count; c++) if (released.suppressed[c] === 0) kept.push(c);
  const table = setup.options.populationTable;
  const populationTable = table === undefined ? undefined : perClassPopulation(table, setup, released, recoding, kept);
  const output = riskOfClasses(
    {
      count: kept.length,
      sizeOf: (i) => released.classes.sizes[kept[i]],
      // With a population table, each class is looked up under its own key (see perClassPopulation).
      labelsOf: (i) => (populationTable === undefined ? released.labelsOf(kept[i]) : [String(i)]),
    },
    { ...setup.options, populationTable },
  );
  return { input, output };
}

/** A population table keyed by released class (its index), each count generalized at the class's own levels. */
function perClassPopulation(table: PopulationTable, setup: RiskSectionSetup, released: ReleasedClasses, recoding: TupleRecoding, kept: readonly number[]): PopulationTable {
  const byGroup = new Map<number, PopulationTable>();
  const counts = new Map<string, number>();
  kept.forEach((c, i) => {
    const group = released.groupOfClass[c];
    let generalized = byGroup.get(group);
    if (generalized === undefined) {
      const levels = recoding.groupLevels.subarray(group * recoding.width, (group + 1) * recoding.width);
      generalized = generalizePopulationTable(
        table,
        setup.hierarchyRowByValue.map((rowByValue, j) => (value: string) => rowByValue.get(value)?.[levels[j]]),
      );
      byGroup.set(group, generalized);
    }
    const count = generalized.counts.get(combinationKey(released.labelsOf(c)));
    if (count !== undefined) counts.set(combinationKey([String(i)]), count);
  });
  return { origin: table.origin, quasiIdentifiers: table.quasiIdentifiers, counts, rows: [] };
}
