// Applies a tuple recoding to the rows: each record's quasi-identifiers become the labels of its group's levels (`*`
// when suppressed), identifying attributes become `*`, every other column is shared unchanged. Rows keep their order.

import { SUPPRESSED_VALUE } from '../groupify/apply-node.js';
import type { CompiledHierarchy } from '../hierarchy/compiled-hierarchy.js';
import type { EncodedColumn, EncodedTable } from '../table/encoded-table.js';
import type { TupleRecoding } from './tuple-recoding.js';

export interface RecodingApplication {
  readonly qiColumns: readonly number[];
  readonly hierarchies: readonly CompiledHierarchy[];
  readonly identifyingColumns: readonly number[];
  /** rowToTuple[r]: the row's quasi-identifier tuple (see collapseTuples). */
  readonly rowToTuple: Int32Array;
  /** tupleCodes[t · width + j]: tuple t's data code of quasi-identifier j. */
  readonly tupleCodes: ArrayLike<number>;
}

/** The output table. A column's dictionary holds the labels it releases, each string once, whatever its level. */
export function applyRecoding(table: EncodedTable, recoding: TupleRecoding, application: RecodingApplication): EncodedTable {
  const rows = table.rowCount;
  const { width, groupOfTuple, groupLevels } = recoding;
  const columns: EncodedColumn[] = table.columns.slice();
  application.qiColumns.forEach((columnIndex, j) => {
    const hierarchy = application.hierarchies[j];
    // Per tuple first (few), then per row: the released string's code in this column's dictionary.
    const codeOf = new Map<string, number>();
    const dictionary: string[] = [];
    const encode = (label: string): number => {
      let code = codeOf.get(label);
      if (code === undefined) {
        code = dictionary.length;
        codeOf.set(label, code);
        dictionary.push(label);
      }
      return code;
    };
    const tupleLabel = new Int32Array(groupOfTuple.length);
    for (let t = 0; t < groupOfTuple.length; t++) {
      const group = groupOfTuple[t];
      if (group < 0) {
        tupleLabel[t] = encode(SUPPRESSED_VALUE);
        continue;
      }
      const level = groupLevels[group * width + j];
      tupleLabel[t] = encode(hierarchy.labels[level][hierarchy.dataToLevel[level][application.tupleCodes[t * width + j]]]);
    }
    const codes = new Int32Array(rows);
    for (let r = 0; r < rows; r++) codes[r] = tupleLabel[application.rowToTuple[r]];
    columns[columnIndex] = { name: table.columns[columnIndex].name, codes, dictionary };
  });
  for (const columnIndex of application.identifyingColumns) {
    columns[columnIndex] = { name: table.columns[columnIndex].name, codes: new Int32Array(rows), dictionary: [SUPPRESSED_VALUE] };
  }
  return { columns, rowCount: rows };
}
