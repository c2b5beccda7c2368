// How a release generalizes the input, per distinct quasi-identifier tuple: a level vector per group of tuples, or
// suppression. One shape for both recodings — global is a single group — read by the output and the metrics.

import type { EquivalenceClasses } from '../groupify/equivalence-classes.js';
import type { EncodedTable } from '../table/encoded-table.js';

export interface TupleRecoding {
  /** Quasi-identifiers (m). */
  readonly width: number;
  /** groupOfTuple[t]: the level group of tuple t (every record of a tuple is released alike), −1 when suppressed. */
  readonly groupOfTuple: Int32Array;
  /** groupLevels[g · width + j]: the level of quasi-identifier j in group g. */
  readonly groupLevels: Int32Array;
  readonly groupCount: number;
}

/** A full-domain generalization: every tuple at `levels`, but those of the suppressed classes. */
export function globalRecoding(levels: Int32Array, tupleToClass: Int32Array, suppressedClass: Uint8Array): TupleRecoding {
  const groupOfTuple = new Int32Array(tupleToClass.length);
  for (let t = 0; t < tupleToClass.length; t++) groupOfTuple[t] = suppressedClass[tupleToClass[t]] === 1 ? -1 : 0;
  return { width: levels.length, groupOfTuple, groupLevels: Int32Array.from(levels), groupCount: 1 };
}

/** Per row, whether it is suppressed under the recoding (row → tuple → group). */
export function suppressedRowsOfRecoding(recoding: TupleRecoding, rowToTuple: Int32Array): Uint8Array {
  const suppressed = new Uint8Array(rowToTuple.length);
  for (let r = 0; r < rowToTuple.length; r++) if (recoding.groupOfTuple[rowToTuple[r]] < 0) suppressed[r] = 1;
  return suppressed;
}

/**
 * A release decided row by row (a differentially private sample keeps some records of a tuple and drops others), as
 * a recoding of "tuples" that are the rows themselves: one record each.
 */
export function rowLevelRecoding(table: EncodedTable, qiColumns: readonly number[], levels: Int32Array, suppressedRows: Uint8Array): { recoding: TupleRecoding; tuples: EquivalenceClasses } {
  const width = qiColumns.length;
  const keys = new Int32Array(table.rowCount * width);
  qiColumns.forEach((column, j) => {
    const codes = table.columns[column].codes;
    for (let r = 0, at = j; r < table.rowCount; r++, at += width) keys[at] = codes[r];
  });
  const tuples: EquivalenceClasses = { count: table.rowCount, width, levels: new Int32Array(width), keys, sizes: new Int32Array(table.rowCount).fill(1), sensitive: [] };
  const groupOfTuple = Int32Array.from(suppressedRows, (suppressed) => (suppressed === 1 ? -1 : 0));
  return { recoding: { width, groupOfTuple, groupLevels: Int32Array.from(levels), groupCount: 1 }, tuples };
}
