// Information loss of a release measured cell by cell, for any recoding (global or local): ARX's granularity,
// non-uniform entropy, discernibility, AECS, suppressed records and cells, and each attribute's level distribution.

import type { EquivalenceClasses } from '../groupify/equivalence-classes.js';
import type { CompiledHierarchy } from '../hierarchy/compiled-hierarchy.js';
import { attributeGranularityLoss, granularityLoss, granularityShares } from '../metrics/granularity.js';
import type { CellQuality } from '../report.js';
import type { LabelIdentity } from './label-identity.js';
import type { TupleRecoding } from './tuple-recoding.js';

export interface QualityInput {
  readonly names: readonly string[];
  readonly hierarchies: readonly CompiledHierarchy[];
  /** The input's distinct tuples: keys are data codes, sizes records. */
  readonly tuples: EquivalenceClasses;
  /** Records per data code of each quasi-identifier over the whole input. */
  readonly valueCounts: readonly Int32Array[];
  readonly identity: LabelIdentity;
  /** Shares of granularityShares, when the caller has them already. */
  readonly shares?: readonly Float64Array[][];
}

const LN2 = Math.log(2);

/**
 * The release's cell-level quality. A suppressed record's cells read `*`: share 1, entropy −log₂(a_v / n). Classes
 * are the released records with equal strings in every quasi-identifier, as a reader of the output sees them; a
 * record reading `*` in every quasi-identifier is counted as suppressed, even when generalized there (the top node).
 */
export function cellQuality(recoding: TupleRecoding, input: QualityInput): CellQuality {
  const { names, hierarchies, tuples, valueCounts, identity } = input;
  const shares = input.shares ?? granularityShares(hierarchies);
  const width = hierarchies.length;
  const { groupOfTuple, groupLevels } = recoding;
  let rows = 0;
  for (let t = 0; t < tuples.count; t++) rows += tuples.sizes[t];
  // Records per label at each level over the whole input: the denominator of a cell's entropy.
  const recordsPerLabel = hierarchies.map((hierarchy, j) =>
    hierarchy.dataToLevel.map((toLevel, level) => {
      const records = new Float64Array(hierarchy.labels[level].length);
      for (let code = 0; code < valueCounts[j].length; code++) records[toLevel[code]] += valueCounts[j][code];
      return records;
    }),
  );
  const shareSums = new Float64Array(width);
  const entropy = new Float64Array(width);
  const starCells = new Float64Array(width);
  const recordsPerLevel = hierarchies.map((hierarchy) => new Float64Array(hierarchy.maxLevel + 1));
  const classOf = new Map<string, number>();
  const classSizes: number[] = [];
  let suppressed = 0;
  // With no quasi-identifier no record reads `*` everywhere (as cloak/testing infers it).
  const readsAllStars = (t: number, group: number): boolean => {
    if (width === 0) return false;
    for (let j = 0; j < width; j++) {
      const level = groupLevels[group * width + j];
      if (identity.ids[j][level][hierarchies[j].dataToLevel[level][tuples.keys[t * width + j]]] !== identity.starId[j]) return false;
    }
    return true;
  };
  for (let t = 0; t < tuples.count; t++) {
    const records = tuples.sizes[t];
    const group = groupOfTuple[t];
    let key = '';
    for (let j = 0; j < width; j++) {
      const code = tuples.keys[t * width + j];
      const valueRecords = valueCounts[j][code];
      if (group < 0) {
        shareSums[j] += records;
        entropy[j] += records * -log2(valueRecords / rows);
        starCells[j] += records;
        continue;
      }
      const level = groupLevels[group * width + j];
      const label = hierarchies[j].dataToLevel[level][code];
      shareSums[j] += records * shares[j][level][label];
      entropy[j] += records * -log2(valueRecords / recordsPerLabel[j][level][label]);
      const id = identity.ids[j][level][label];
      if (id === identity.starId[j]) starCells[j] += records;
      recordsPerLevel[j][level] += records;
      key += `${id},`;
    }
    // A record reading `*` everywhere tells nothing, whatever made it: it counts as suppressed, in no class.
    if (group < 0 || readsAllStars(t, group)) {
      suppressed += records;
      continue;
    }
    let c = classOf.get(key);
    if (c === undefined) {
      classOf.set(key, (c = classSizes.length));
      classSizes.push(0);
    }
    classSizes[c] += records;
  }
  const meanShares = Float64Array.from(shareSums, (sum) => (rows === 0 ? 0 : sum / rows));
  let discernibility = suppressed * rows;
  for (const size of classSizes) discernibility += size * size;
  const perAttribute = <T>(value: (j: number) => T): Record<string, T> => {
    const result: Record<string, T> = Object.create(null);
    names.forEach((name, j) => (result[name] = value(j)));
    return result;
  };
  let cellsSuppressed = 0;
  for (let j = 0; j < width; j++) cellsSuppressed += starCells[j];
  let entropyTotal = 0;
  for (let j = 0; j < width; j++) entropyTotal += entropy[j];
  return {
    granularityLoss: { value: granularityLoss(meanShares, hierarchies), perAttribute: perAttribute((j) => attributeGranularityLoss(meanShares[j], hierarchies[j])) },
    nonUniformEntropy: { value: entropyTotal, perAttribute: perAttribute((j) => entropy[j]) },
    discernibility,
    // ARX's AECS at gs = ½: the suppressed records count as one more class.
    aecs: classSizes.length + (suppressed > 0 ? 1 : 0) === 0 ? 0 : rows / (classSizes.length + (suppressed > 0 ? 1 : 0)),
    classes: classSizes.length,
    recordsSuppressed: suppressed,
    cellsSuppressed: { total: cellsSuppressed, perAttribute: perAttribute((j) => starCells[j]) },
    levels: perAttribute((j) => Array.from(recordsPerLevel[j], (records, level) => ({ level, records })).filter((entry) => entry.records > 0)),
  };
}

/** log₂ that is 0 for a ratio of 1 (no −0 in sums). */
function log2(ratio: number): number {
  return ratio === 1 ? 0 : Math.log(ratio) / LN2;
}
