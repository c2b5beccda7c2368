// Collapses identical quasi-identifier tuples of the input into a weighted histogram, once, before the search.
// The result is the level-0 node's classes plus the row → tuple map that applying a transformation needs.

import type { EncodedTable } from '../table/encoded-table.js';
import type { EquivalenceClasses, LabelCodes, SensitiveHistograms } from './equivalence-classes.js';
import { keyPacking, mergeHistograms, PackedClasses, regroup, type KeyPacking } from './regroup.js';

export interface TupleHistogram {
  /** The distinct quasi-identifier tuples as level-0 classes (keys are data codes). */
  readonly tuples: EquivalenceClasses;
  /** rowToTuple[row]: index of the row's tuple in `tuples`. */
  readonly rowToTuple: Int32Array;
  /** The key packing of `tuples` and of every grouping rolled up from them. */
  readonly packing: KeyPacking;
  /** Per quasi-identifier, the code domain the packing covers. */
  readonly domainSizes: readonly number[];
}

/**
 * Groups the rows of `table` by the given quasi-identifier columns, with histograms of the sensitive columns.
 * `levelDomainSizes[j]` is the largest label domain of quasi-identifier j over all levels it will be mapped to,
 * so that one key packing serves every later grouping (default: the column's dictionary only).
 */
export function collapseTuples(
  table: EncodedTable,
  qiColumns: readonly number[],
  sensitiveColumns: readonly number[],
  levelDomainSizes: readonly number[] = [],
): TupleHistogram {
  const domainSizes = qiColumns.map((c, j) => Math.max(table.columns[c].dictionary.length, levelDomainSizes[j] ?? 0));
  const packing = keyPacking(domainSizes);
  const width = qiColumns.length;
  const rows = table.rowCount;
  // Rows are the finest "classes": one per row, of the row's records (1, or its weight in an aggregated table). With an
  // exact packing their keys are packed column by column, straight from the codes; otherwise gathered row-major.
  const levels = new Int32Array(width);
  const sizes = table.weights?.slice(0, rows) ?? new Int32Array(rows).fill(1);
  const rowClasses: EquivalenceClasses = packing.exact
    ? new PackedClasses(rows, width, levels, sizes, packedRowKeys(table, qiColumns, packing), [], packing)
    : { count: rows, width, levels, keys: rowMajorKeys(table, qiColumns, packing), sizes, sensitive: [] };
  const { classes, sourceToClass } = regroup(rowClasses, qiColumns.map(() => null), new Int32Array(width), packing);
  const sensitive = sensitiveColumns.map((c) => mergeHistograms(rowHistograms(table.columns[c].codes, sizes), sourceToClass, classes.count));
  // A plain object with its codes decoded once: the histogram is regrouped again and again, mostly into anchors that
  // change most attributes, and reading codes is cheaper than decoding them each time.
  const tuples: EquivalenceClasses = { count: classes.count, width, levels: classes.levels, keys: classes.keys, sizes: classes.sizes, packedKeys: classes.packedKeys, sensitive };
  return { tuples, rowToTuple: sourceToClass, packing, domainSizes };
}

/** Records per data code of quasi-identifier j: a pass over the distinct tuples, not over the rows. */
export function recordsPerCode(tuples: EquivalenceClasses, j: number, domain: number): Int32Array {
  const counts = new Int32Array(domain);
  const { keys, sizes, width } = tuples;
  for (let t = 0, k = j; t < tuples.count; t++, k += width) counts[keys[k]] += sizes[t];
  return counts;
}

function packedRowKeys(table: EncodedTable, qiColumns: readonly number[], packing: KeyPacking): Float64Array {
  const packed = new Float64Array(table.rowCount);
  qiColumns.forEach((column, j) => {
    const codes = table.columns[column].codes;
    const stride = packing.strides[j];
    for (let r = 0; r < packed.length; r++) packed[r] += codes[r] * stride;
  });
  return packed;
}

function rowMajorKeys(table: EncodedTable, qiColumns: readonly number[], packing: KeyPacking): LabelCodes {
  const width = qiColumns.length;
  const keys = packing.newLabelCodes(table.rowCount * width);
  qiColumns.forEach((column, j) => {
    const codes = table.columns[column].codes;
    for (let r = 0, k = j; r < table.rowCount; r++, k += width) keys[k] = codes[r];
  });
  return keys;
}

/** One single-entry histogram per row: the row's own sensitive code, counted with the row's records. */
function rowHistograms(codes: Int32Array, records: Int32Array): SensitiveHistograms {
  const offsets = new Int32Array(records.length + 1);
  for (let r = 0; r <= records.length; r++) offsets[r] = r;
  return { offsets, codes: codes.subarray(0, records.length), counts: records };
}
