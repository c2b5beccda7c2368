// The result of grouping at one lattice node: classes with their generalized keys, sizes and sensitive histograms.
// Shared by groupify (producer), models and metrics (consumers) and the roll-up cache.

/** Per-class histogram of one sensitive attribute's codes, compact CSR: only the values present. */
export interface SensitiveHistograms {
  /** Class c's entries are [offsets[c], offsets[c+1]). Length count + 1. */
  readonly offsets: Int32Array;
  /** Sensitive value codes (data codes of the sensitive column). */
  readonly codes: Int32Array;
  /** Records of the class holding that code (> 0). */
  readonly counts: Int32Array;
}

/**
 * Label codes of classes, row-major. The narrowest array the run's label domains allow: the roll-up kernels are
 * bound by memory traffic, and one byte per code instead of four lets more classes fit the caches and the roll-up cache.
 */
export type LabelCodes = Uint8Array | Uint16Array | Int32Array;

export interface EquivalenceClasses {
  /** Number of classes. */
  readonly count: number;
  /** Number of quasi-identifiers (d). */
  readonly width: number;
  /** Generalization levels of the node, one per quasi-identifier. */
  readonly levels: Int32Array;
  /** keys[c * width + j]: label code of class c for quasi-identifier j at levels[j]. */
  readonly keys: LabelCodes;
  /** Records per class. */
  readonly sizes: Int32Array;
  /**
   * packedKeys[c]: the class key packed into one exact number with the run's node-independent strides
   * (see `KeyPacking`); absent when the key space reaches 2^53. Lets a roll-up remap only changed attributes.
   */
  readonly packedKeys?: Float64Array;
  /** One entry per sensitive attribute, in the order of the run's sensitive attributes. */
  readonly sensitive: readonly SensitiveHistograms[];
  /**
   * The same classes' packed keys at a coarser node, as a second starting point for regrouping: a target closer to
   * that node than to these levels needs fewer attributes mapped (see `withCoarseKeys`).
   */
  readonly coarse?: CoarseKeys;
}

export interface CoarseKeys {
  readonly levels: Int32Array;
  /** maps[j]: label codes at the classes' own level → at `levels[j]` (null: the same level). */
  readonly maps: readonly (Int32Array | null)[];
  readonly packedKeys: Float64Array;
}
