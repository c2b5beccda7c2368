// The compiled form of one generalization hierarchy: per-level label dictionaries and code → code maps.
// Built once per attribute after validation; kernels only ever see these typed arrays.

export interface CompiledHierarchy {
  readonly attribute: string;
  /** h_j: the highest level (the hierarchy file's column count − 1). */
  readonly maxLevel: number;
  /** |D_j|: the number of rows of the hierarchy (file rows, including values absent from the data). */
  readonly fileRowCount: number;
  /**
   * labels[level][labelCode]. Level 0 labels are the data column's dictionary (data codes),
   * higher levels hold every label found in that column of the hierarchy.
   */
  readonly labels: readonly (readonly string[])[];
  /** dataToLevel[level][dataCode] → label code at `level`; level 0 is the identity. */
  readonly dataToLevel: readonly Int32Array[];
  /** fileRowsPerLabel[level][labelCode]: rows of the hierarchy whose column `level` holds that label. */
  readonly fileRowsPerLabel: readonly Int32Array[];
  /** levelMap(from, to)[labelCodeAtFrom] → label code at `to` (from ≤ to); cached, nested by validation. */
  levelMap(from: number, to: number): Int32Array;
}
