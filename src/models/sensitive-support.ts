// Shared plumbing of the sensitive-attribute models: resolving the attribute a spec names, an in-place sort, and the
// rounding-safe record counts of `suppressedBelow`. Kept apart so every model file holds only its own definition.

import { usageError } from '../errors.js';
import type { ModelContext, SensitiveAttribute } from './privacy-model.js';

/** The sensitive attribute `name`, or a usage error when the run has none by that name. */
export function resolveSensitive(context: ModelContext, name: string, modelLabel: string): SensitiveAttribute {
  const attribute = context.sensitive.find((candidate) => candidate.name === name);
  if (attribute === undefined) {
    throw usageError('MODEL_UNKNOWN_ATTRIBUTE', `${modelLabel} names attribute "${name}", which is not a sensitive attribute`);
  }
  return attribute;
}

/**
 * The records a failing class of `size` surely loses below, from a real lower bound `amount` computed in floating
 * point: ceil(amount − 1e-9·(size + 1)), within [0, size]. The margin exceeds by far the rounding of the few operations
 * behind `amount`, and the ulp-level difference between a model's floating-point verdict and its exact definition, on
 * which the convexity arguments rest.
 */
export function recordsAtLeast(amount: number, size: number): number {
  const records = Math.ceil(amount - 1e-9 * (size + 1));
  return records <= 0 ? 0 : records >= size ? size : records;
}

/**
 * For a pass condition "f(q) ≤ t" with f convex in the class distribution q and at most `maxDistance` on any
 * distribution: a class of `size` at distance `distance` > t releases below at most a part P with f(P) ≤ t, and
 * f(class) ≤ λ·t + (1 − λ)·maxDistance for λ = |P|/size, so the rest is ≥ size·(distance − t)/(maxDistance − t).
 * Nothing is claimed when maxDistance − t is tiny, where rounding would be magnified.
 */
export function convexShortfall(size: number, distance: number, t: number, maxDistance: number): number {
  const room = maxDistance - t;
  if (!(distance > t) || !(room > 1e-3)) return 0;
  return recordsAtLeast((size * (distance - t)) / room, size);
}

/**
 * For a pass condition "q_v ≤ cap" on one value's share (closed under merging: a linear inequality): a class of
 * `size` holding `count` records of v releases below a part P with at most cap·|P| of them, so
 * count ≤ cap·(size − |F|) + |F| for the rest F, i.e. |F| ≥ (count − cap·size)/(1 − cap). Nothing is claimed when
 * 1 − cap is tiny, where rounding would be magnified.
 */
export function valueCapShortfall(size: number, count: number, cap: number): number {
  const room = 1 - cap;
  if (!(room > 1e-3) || !(count > cap * size)) return 0;
  return recordsAtLeast((count - cap * size) / room, size);
}

/** Below this length insertion sort beats heap sort; most classes hold few distinct sensitive values. */
const INSERTION_SORT_LIMIT = 24;

/**
 * Sorts `values[0..length)` ascending in place, allocating nothing
 * (a `subarray(...).sort()` would allocate a view per class in the hot path).
 */
export function sortPrefixAscending(values: Int32Array, length: number): void {
  if (length <= INSERTION_SORT_LIMIT) {
    for (let i = 1; i < length; i++) {
      const value = values[i];
      let j = i - 1;
      while (j >= 0 && values[j] > value) {
        values[j + 1] = values[j];
        j--;
      }
      values[j + 1] = value;
    }
    return;
  }
  for (let start = (length >> 1) - 1; start >= 0; start--) siftDown(values, start, length);
  for (let end = length - 1; end > 0; end--) {
    const largest = values[0];
    values[0] = values[end];
    values[end] = largest;
    siftDown(values, 0, end);
  }
}

function siftDown(heap: Int32Array, start: number, length: number): void {
  let parent = start;
  const value = heap[parent];
  for (;;) {
    let child = 2 * parent + 1;
    if (child >= length) break;
    if (child + 1 < length && heap[child + 1] > heap[child]) child++;
    if (heap[child] <= value) break;
    heap[parent] = heap[child];
    parent = child;
  }
  heap[parent] = value;
}
