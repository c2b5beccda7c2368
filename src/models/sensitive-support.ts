// Shared plumbing of the sensitive-attribute models: resolving the attribute a spec names, and an in-place sort.
// Kept apart so every model file holds only its own definition.

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
