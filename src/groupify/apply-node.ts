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
  /** row → tuple, and tuple → class at the chosen node. */
  readonly rowToTuple: Int32Array;
  readonly tupleToClass: Int32Array;
  /** suppressedClass[c] = 1 when class c is suppressed. */
  readonly suppressedClass: Uint8Array;
}

export function applyNode(table: EncodedTable, plan: ApplyPlan): EncodedTable {
  const rows = table.rowCount;
  const suppressedRow = new Uint8Array(rows);
  for (let r = 0; r < rows; r++) suppressedRow[r] = plan.suppressedClass[plan.tupleToClass[plan.rowToTuple[r]]];

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
  return { columns, rowCount: rows };
}
