// Released labels as a reader of the output sees them: by their strings, whatever level produced them. Two records
// are in one class when their strings are equal, and a record whose every label reads `*` counts as suppressed.

import type { CompiledHierarchy } from '../hierarchy/compiled-hierarchy.js';
import { SUPPRESSED_VALUE } from '../groupify/apply-node.js';

export interface LabelIdentity {
  /** ids[j][level][labelCode]: one id per distinct label string of quasi-identifier j, over all levels. */
  readonly ids: readonly Int32Array[][];
  /** idCounts[j]: the number of distinct label strings of quasi-identifier j. */
  readonly idCounts: Int32Array;
  /** starId[j]: the id of the string `*` for quasi-identifier j, −1 when no level has it. */
  readonly starId: Int32Array;
  /** starAt[j][level]: whether some label of that level reads `*`. */
  readonly starAt: readonly Uint8Array[];
  /** Whether some label string occurs at two levels of one hierarchy: only then can classes of two level vectors merge. */
  readonly sharedAcrossLevels: boolean;
}

export function labelIdentity(hierarchies: readonly CompiledHierarchy[]): LabelIdentity {
  let sharedAcrossLevels = false;
  const idCounts = new Int32Array(hierarchies.length);
  const starId = new Int32Array(hierarchies.length).fill(-1);
  const ids = hierarchies.map((hierarchy, j) => {
    const idOf = new Map<string, number>();
    const perLevel = hierarchy.labels.map((labels) => {
      const seenHere = new Set<string>();
      return Int32Array.from(labels, (label) => {
        let id = idOf.get(label);
        if (id === undefined) idOf.set(label, (id = idOf.size));
        else if (!seenHere.has(label)) sharedAcrossLevels = true;
        seenHere.add(label);
        return id;
      });
    });
    idCounts[j] = idOf.size;
    starId[j] = idOf.get(SUPPRESSED_VALUE) ?? -1;
    return perLevel;
  });
  const starAt = ids.map((perLevel, j) => Uint8Array.from(perLevel, (levelIds) => (levelIds.includes(starId[j]) ? 1 : 0)));
  return { ids, idCounts, starId, starAt, sharedAcrossLevels };
}
