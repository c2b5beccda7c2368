// The class-size frequency profile (how many classes have each size) that the population models fit.
// Owns validation of class-size input and the summary counts N_r, c and c_i derived from it.

import { usageError } from '../errors.js';

export interface ClassSizeProfile {
  /** N_r: records in the classes (sum of the sizes). */
  readonly records: number;
  /** c: number of classes. */
  readonly classes: number;
  /** The distinct class sizes, ascending. */
  readonly sizes: Float64Array;
  /** frequencies[k]: number of classes whose size is sizes[k] (c_i for i = sizes[k]). */
  readonly frequencies: Float64Array;
}

/** Throws unless every class size is a positive integer (a class holds at least one record). */
export function validateClassSizes(classSizes: ArrayLike<number>): void {
  for (let c = 0; c < classSizes.length; c++) {
    const size = classSizes[c];
    if (!Number.isInteger(size) || size < 1) {
      throw usageError('RISK_CLASS_SIZE', `Class size at index ${c} must be a positive integer, got ${size}.`);
    }
  }
}

export function buildClassSizeProfile(classSizes: ArrayLike<number>): ClassSizeProfile {
  validateClassSizes(classSizes);
  const sorted = Float64Array.from(classSizes).sort();
  const sizes: number[] = [];
  const frequencies: number[] = [];
  let records = 0;
  for (let k = 0; k < sorted.length; k++) {
    records += sorted[k];
    if (k > 0 && sorted[k] === sorted[k - 1]) frequencies[frequencies.length - 1] += 1;
    else {
      sizes.push(sorted[k]);
      frequencies.push(1);
    }
  }
  return {
    records,
    classes: sorted.length,
    sizes: Float64Array.from(sizes),
    frequencies: Float64Array.from(frequencies),
  };
}

/** c_i: the number of classes of exactly `size` records. */
export function classesOfSize(profile: ClassSizeProfile, size: number): number {
  // Sizes are ascending and the small ones are the ones asked for, so a linear scan is enough.
  for (let k = 0; k < profile.sizes.length && profile.sizes[k] <= size; k++) {
    if (profile.sizes[k] === size) return profile.frequencies[k];
  }
  return 0;
}
