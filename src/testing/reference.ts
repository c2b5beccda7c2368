// The reference distribution p of a sensitive attribute, against which t-closeness, δ-disclosure and β-likeness compare.
// p counts every record of the reference table (suppressed ones included); the domain joins table and reference values by string.

import { usageError } from '../errors.js';
import type { StringColumn, TableReader } from './table-input.js';

/** A sensitive column together with the reference distribution over the joint domain. */
export interface SensitiveDistribution {
  /** The checked table's column; its codes index `domain` directly. */
  readonly column: StringColumn;
  /** The checked table's values first (in code order), then values found only in the reference. */
  readonly domain: readonly string[];
  /** Reference records per domain value (0 for values only the checked table has). */
  readonly referenceCounts: Float64Array;
  readonly referenceTotal: number;
}

/** Counts `name` over every row of `reference` (which may be `table` itself) on the domain joined with `table`'s values. */
export function sensitiveDistribution(table: TableReader, reference: TableReader, name: string): SensitiveDistribution {
  const column = table.column(name);
  const referenceColumn = reference === table ? column : reference.column(name);
  if (reference.recordCount === 0 && table.rowCount > 0) {
    throw usageError('TESTING_EMPTY_REFERENCE', 'The reference table is empty, so no distribution of the sensitive attribute exists.', {
      location: { column: name },
    });
  }
  const domain = [...column.values];
  const indexOf = new Map<string, number>();
  domain.forEach((value, index) => indexOf.set(value, index));
  const translation = new Int32Array(referenceColumn.values.length);
  referenceColumn.values.forEach((value, code) => {
    let index = indexOf.get(value);
    if (index === undefined) {
      index = domain.length;
      indexOf.set(value, index);
      domain.push(value);
    }
    translation[code] = index;
  });
  const referenceCounts = new Float64Array(domain.length);
  const { weights } = reference;
  for (let row = 0; row < reference.rowCount; row++) referenceCounts[translation[referenceColumn.codes[row]]] += weights === undefined ? 1 : weights[row];
  return { column, domain, referenceCounts, referenceTotal: reference.recordCount };
}
