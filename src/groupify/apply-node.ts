// Applies a chosen transformation to the rows' codes: generalized labels, `*` for suppressed records and
// identifying attributes, every other column shared unchanged. Row count and order are preserved.

import type { CompiledHierarchy } from '../hierarchy/compiled-hierarchy.js';
import type { EncodedColumn, EncodedTable } from '../table/encoded-table.js';

export const SUPPRESSED_VALUE = '*';

export interface ApplyPlan {
  readonly qiColumns: readonly number[];
  readonly hierarchies: readonly CompiledHierarchy[];
  readonly levels: Int32Array;
  readonly identifyingColumns: readonly number[];
  /** suppressedRows[r] = 1 when row r is suppressed (see `suppressedRowsOf`). */
  readonly suppressedRows: Uint8Array;
}

/** Per row, whether its class at the chosen node is suppressed: row → tuple → class → decision. */
export function suppressedRowsOf(rowToTuple: Int32Array, tupleToClass: Int32Array, suppressedClass: Uint8Array): Uint8Array {
  const suppressedRows = new Uint8Array(rowToTuple.length);
  for (let r = 0; r < rowToTuple.length; r++) suppressedRows[r] = suppressedClass[tupleToClass[rowToTuple[r]]];
  return suppressedRows;
}

export function applyNode(table: EncodedTable, plan: ApplyPlan): EncodedTable {
  const rows = table.rowCount;
  const suppressedRow = plan.suppressedRows;

  const columns: EncodedColumn[] = table.columns.slice();
  plan.qiColumns.forEach((columnIndex, j) => {
    const source = table.columns[columnIndex];
    const level = plan.levels[j];
    const labels = plan.hierarchies[j].labels[level];
    const toLabel = plan.hierarchies[j].dataToLevel[level];
    let star = labels.indexOf(SUPPRESSED_VALUE);
    const dictionary = labels.slice();
    if (star === -1) {
      star = dictionary.length;
      dictionary.push(SUPPRESSED_VALUE);
    }
    const codes = new Int32Array(rows);
    for (let r = 0; r < rows; r++) codes[r] = suppressedRow[r] === 1 ? star : toLabel[source.codes[r]];
    columns[columnIndex] = { name: source.name, codes, dictionary };
  });
  for (const columnIndex of plan.identifyingColumns) {
    columns[columnIndex] = { name: table.columns[columnIndex].name, codes: new Int32Array(rows), dictionary: [SUPPRESSED_VALUE] };
  }
  return table.weights === undefined ? { columns, rowCount: rows } : { columns, rowCount: rows, weights: table.weights };
}
