// ARX's granularity as a per-cell share of the hierarchy: the table every per-cell metric and local recoding read.
// A released label covers the hierarchy rows under it; its share is that count over the hierarchy's rows |D_j|.

import type { CompiledHierarchy } from '../hierarchy/compiled-hierarchy.js';

/** The value of a suppressed cell: it covers the whole domain (share 1). */
const SUPPRESSED_LABEL = '*';

/**
 * shares[j][level][labelCode]: the share of a cell of quasi-identifier j released as that label, ARX's way: the
 * hierarchy rows whose column `level` holds the label, over |D_j| — and where one label string occurs at several
 * levels, the count at its highest level, so that a released value has one share whatever produced it. An original
 * value covers its own row (1/|D_j|); `*` covers every row (1) whether or not the hierarchy's top is `*`.
 */
export function granularityShares(hierarchies: readonly CompiledHierarchy[]): Float64Array[][] {
  return hierarchies.map((hierarchy) => {
    const rowsOfLabel = new Map<string, number>();
    // Levels bottom-up: a label seen again higher up takes the higher level's count.
    hierarchy.labels.forEach((labels, level) => labels.forEach((label, code) => rowsOfLabel.set(label, hierarchy.fileRowsPerLabel[level][code])));
    const domain = hierarchy.fileRowCount;
    return hierarchy.labels.map((labels) =>
      Float64Array.from(labels, (label) => (label === SUPPRESSED_LABEL ? 1 : Math.min(1, rowsOfLabel.get(label)! / domain))),
    );
  });
}

/**
 * ARX's granularity loss (1 − its granularity quality) from the mean share r_j of each quasi-identifier:
 * (r̄ − d̄) / (1 − d̄), r̄ and d̄ the means over the quasi-identifiers of r_j and of 1/|D_j|. 0 when every
 * hierarchy has one row (nothing can be lost).
 */
export function granularityLoss(meanShares: ArrayLike<number>, hierarchies: readonly CompiledHierarchy[]): number {
  const m = hierarchies.length;
  let rBar = 0;
  let dBar = 0;
  for (let j = 0; j < m; j++) {
    rBar += meanShares[j] / m;
    dBar += 1 / hierarchies[j].fileRowCount / m;
  }
  return dBar >= 1 ? 0 : Math.max(0, (rBar - dBar) / (1 - dBar));
}

/** One quasi-identifier's granularity loss, normalized the same way: (r_j − 1/|D_j|) / (1 − 1/|D_j|). */
export function attributeGranularityLoss(meanShare: number, hierarchy: CompiledHierarchy): number {
  const minimum = 1 / hierarchy.fileRowCount;
  return minimum >= 1 ? 0 : Math.max(0, (meanShare - minimum) / (1 - minimum));
}
