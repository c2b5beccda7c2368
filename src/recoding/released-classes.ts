// The classes of a release as its reader sees them: records with equal strings in every quasi-identifier, with
// their sizes and sensitive histograms, so that model margins, risks and class sizes are reported for any recoding.

import type { EquivalenceClasses } from '../groupify/equivalence-classes.js';
import { mergeHistograms } from '../groupify/regroup.js';
import type { CompiledHierarchy } from '../hierarchy/compiled-hierarchy.js';
import type { LabelIdentity } from './label-identity.js';
import type { TupleRecoding } from './tuple-recoding.js';

export interface ReleasedClasses {
  /** The released classes, then (when any record is suppressed) one class of the suppressed records, last. */
  readonly classes: EquivalenceClasses;
  /** suppressed[c] = 1 for the class of suppressed records. */
  readonly suppressed: Uint8Array;
  /** groupOfClass[c]: the level group of class c's first tuple (−1 for the suppressed records). */
  readonly groupOfClass: Int32Array;
  /** labelsOf(c): the strings class c's records read, one per quasi-identifier. */
  labelsOf(c: number): string[];
}

export function releasedClasses(tuples: EquivalenceClasses, recoding: TupleRecoding, hierarchies: readonly CompiledHierarchy[], identity: LabelIdentity): ReleasedClasses {
  const width = hierarchies.length;
  const { groupOfTuple, groupLevels } = recoding;
  const classOf = new Map<string, number>();
  const tupleToClass = new Int32Array(tuples.count);
  const firstTuple: number[] = [];
  const suppressedTuples: number[] = [];
  const labelOf = (t: number, j: number, group: number): number => {
    const level = groupLevels[group * width + j];
    return hierarchies[j].dataToLevel[level][tuples.keys[t * width + j]];
  };
  for (let t = 0; t < tuples.count; t++) {
    const group = groupOfTuple[t];
    if (group < 0) {
      suppressedTuples.push(t);
      continue;
    }
    let key = '';
    for (let j = 0; j < width; j++) key += `${identity.ids[j][groupLevels[group * width + j]][labelOf(t, j, group)]},`;
    let c = classOf.get(key);
    if (c === undefined) {
      classOf.set(key, (c = firstTuple.length));
      firstTuple.push(t);
    }
    tupleToClass[t] = c;
  }
  const released = firstTuple.length;
  const count = released + (suppressedTuples.length > 0 ? 1 : 0);
  for (const t of suppressedTuples) tupleToClass[t] = released;
  const sizes = new Int32Array(count);
  for (let t = 0; t < tuples.count; t++) sizes[tupleToClass[t]] += tuples.sizes[t];
  const suppressed = new Uint8Array(count);
  if (count > released) suppressed[released] = 1;
  const groupOfClass = Int32Array.from({ length: count }, (_, c) => (c < released ? groupOfTuple[firstTuple[c]] : -1));
  const classes: EquivalenceClasses = {
    count,
    width,
    levels: new Int32Array(width),
    keys: new Int32Array(0),
    sizes,
    sensitive: tuples.sensitive.map((histograms) => mergeHistograms(histograms, tupleToClass, count)),
  };
  return {
    classes,
    suppressed,
    groupOfClass,
    labelsOf: (c) =>
      hierarchies.map((hierarchy, j) => {
        if (c >= released) return '*';
        const t = firstTuple[c];
        const level = groupLevels[groupOfClass[c] * width + j];
        return hierarchy.labels[level][labelOf(t, j, groupOfClass[c])];
      }),
  };
}
