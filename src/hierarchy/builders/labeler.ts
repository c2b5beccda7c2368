// A labeler: the function from one value to its labels at levels 1…n (below `*`), or to the reason it has none.
// Builders whose labels depend only on the spec (and fixed parameters) are labelers; rows and rules share them.

import type { DomainValue } from './domain.js';
import { invalidValue, type BuildContext } from './failures.js';

/** The height n of the labels (levels below `*`) and the labels of a value: levels 1…n, or a problem completing "the value … <problem>". */
export interface Labeler {
  readonly height: number;
  readonly labelsOf: (value: string) => readonly string[] | string;
}

/** The hierarchy rows `[value, …labels, *]` of `entries`; the first value without labels is an error. */
export function labelRows(entries: readonly DomainValue[], labeler: Labeler, builder: string, context: BuildContext | undefined): string[][] {
  return entries.map((entry) => {
    const labels = labeler.labelsOf(entry.value);
    if (typeof labels === 'string') throw invalidValue(builder, context, entry, labels);
    return [entry.value, ...labels, '*'];
  });
}
