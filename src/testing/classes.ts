// Equivalence classes as cloak/testing sees them: rows grouped by their decoded quasi-identifier strings.
// Deliberately independent of src/groupify: grouping re-keys by string, one column at a time, without per-row objects.

import { usageError } from '../errors.js';
import { type StringColumn, type TableReader } from './table-input.js';
import { DEFAULT_MAX_FAILURES, quoteValue, type ReportOptions } from './verdict.js';

/** Default token of a suppressed cell. */
export const DEFAULT_SUPPRESSED_TOKEN = '*';

/**
 * Which rows are suppressed. `'infer'` (the default): a row is suppressed when every quasi-identifier equals the token
 * (with no quasi-identifier, no row is). That is ambiguous when a solution generalizes every quasi-identifier to `*`
 * (the lattice's top node): those rows are then *generalized*, not suppressed, and the engine should pass its own
 * per-row decision, one entry per output row (`true` or non-zero = suppressed), e.g. a `Uint8Array` mask.
 */
export type SuppressedRows = ArrayLike<boolean> | ArrayLike<number> | 'infer';

/** Options of every check that forms equivalence classes. */
export interface ClassOptions extends ReportOptions {
  /** Quasi-identifier column names. */
  readonly qi: readonly string[];
  /** Token of a suppressed cell; default `*`. */
  readonly suppressedToken?: string;
  /** Which rows are suppressed; default `'infer'` (see {@link SuppressedRows}). */
  readonly suppressedRows?: SuppressedRows;
}

/**
 * Rows partitioned into classes; class c's rows are `members[start[c]] … members[start[c + 1] - 1]`, in row order.
 * Sizes and counts are records: a row of an aggregated table counts its weight.
 */
export interface ClassPartition {
  /** Records (rows, or the sum of the weights). */
  readonly rowCount: number;
  /** Records per row, when the table is aggregated. */
  readonly weights: Int32Array | undefined;
  /** classOf[row]: the row's class, or −1 for a suppressed row. */
  readonly classOf: Int32Array;
  readonly classCount: number;
  readonly sizes: Int32Array;
  readonly firstRow: Int32Array;
  readonly suppressedCount: number;
  readonly start: Int32Array;
  readonly members: Int32Array;
}

/** A table grouped for class checks, with what the report needs to name classes. */
export interface ClassContext {
  readonly table: TableReader;
  readonly qi: readonly string[];
  readonly qiColumns: readonly StringColumn[];
  readonly partition: ClassPartition;
  readonly showValues: boolean;
  readonly maxFailures: number;
}

/** Keyspaces up to this size are combined through a flat lookup array rather than a Map. */
const FLAT_KEYSPACE_LIMIT = 1 << 22;

/** Resolves which rows are suppressed, as a 0/1 mask. */
export function suppressionMask(
  qiColumns: readonly StringColumn[],
  rowCount: number,
  token: string,
  suppressedRows: SuppressedRows,
): Uint8Array {
  const mask = new Uint8Array(rowCount);
  if (suppressedRows !== 'infer') {
    if (suppressedRows.length !== rowCount) {
      throw usageError('TESTING_SUPPRESSED_ROWS_LENGTH', `suppressedRows has ${suppressedRows.length} entries for ${rowCount} rows.`);
    }
    for (let row = 0; row < rowCount; row++) mask[row] = suppressedRows[row] ? 1 : 0;
    return mask;
  }
  if (qiColumns.length === 0) return mask;
  const tokenCodes = qiColumns.map((column) => column.values.indexOf(token));
  if (tokenCodes.some((code) => code < 0)) return mask;
  for (let row = 0; row < rowCount; row++) {
    let allToken = 1;
    for (let q = 0; q < qiColumns.length && allToken === 1; q++) {
      if (qiColumns[q].codes[row] !== tokenCodes[q]) allToken = 0;
    }
    mask[row] = allToken;
  }
  return mask;
}

/**
 * Groups the rows not in `suppressed` by their quasi-identifier strings.
 * Column by column, (class so far, column code) pairs are renumbered densely in first-seen order,
 * so keys stay below rows × distinct values and the final numbering follows each class's first row.
 */
export function partitionRows(qiColumns: readonly StringColumn[], suppressed: Uint8Array, rowCount: number, weights?: Int32Array): ClassPartition {
  const classOf = new Int32Array(rowCount);
  let suppressedRows = 0;
  let suppressedCount = 0;
  for (let row = 0; row < rowCount; row++) {
    if (suppressed[row] === 1) {
      classOf[row] = -1;
      suppressedRows++;
      suppressedCount += weights === undefined ? 1 : weights[row];
    }
  }
  let classCount = suppressedRows < rowCount ? 1 : 0;
  for (const column of qiColumns) {
    const cardinality = column.values.length;
    const keyspace = classCount * cardinality;
    let next = 0;
    if (keyspace <= FLAT_KEYSPACE_LIMIT) {
      const renumber = new Int32Array(keyspace).fill(-1);
      for (let row = 0; row < rowCount; row++) {
        const current = classOf[row];
        if (current < 0) continue;
        const key = current * cardinality + column.codes[row];
        let id = renumber[key];
        if (id < 0) renumber[key] = id = next++;
        classOf[row] = id;
      }
    } else if (keyspace <= Number.MAX_SAFE_INTEGER) {
      const renumber = new Map<number, number>();
      for (let row = 0; row < rowCount; row++) {
        const current = classOf[row];
        if (current < 0) continue;
        const key = current * cardinality + column.codes[row];
        let id = renumber.get(key);
        if (id === undefined) renumber.set(key, (id = next++));
        classOf[row] = id;
      }
    } else {
      // Beyond exact float integers (billions of classes × billions of values) a numeric key could collide.
      const renumber = new Map<string, number>();
      for (let row = 0; row < rowCount; row++) {
        const current = classOf[row];
        if (current < 0) continue;
        const key = `${current}\u0000${column.codes[row]}`;
        let id = renumber.get(key);
        if (id === undefined) renumber.set(key, (id = next++));
        classOf[row] = id;
      }
    }
    classCount = next;
  }
  const rowsOf = new Int32Array(classCount);
  const sizes = new Int32Array(classCount);
  const firstRow = new Int32Array(classCount).fill(-1);
  let recordCount = 0;
  for (let row = 0; row < rowCount; row++) {
    const records = weights === undefined ? 1 : weights[row];
    recordCount += records;
    const c = classOf[row];
    if (c < 0) continue;
    if (rowsOf[c]++ === 0) firstRow[c] = row;
    sizes[c] += records;
  }
  const start = new Int32Array(classCount + 1);
  for (let c = 0; c < classCount; c++) start[c + 1] = start[c] + rowsOf[c];
  const fill = start.slice(0, classCount);
  const members = new Int32Array(rowCount - suppressedRows);
  for (let row = 0; row < rowCount; row++) {
    const c = classOf[row];
    if (c >= 0) members[fill[c]++] = row;
  }
  return { rowCount: recordCount, weights, classOf, classCount, sizes, firstRow, suppressedCount, start, members };
}

/** Reads the quasi-identifiers, resolves suppression and groups the table. */
export function buildClassContext(table: TableReader, options: ClassOptions): ClassContext {
  const qiColumns = options.qi.map((name) => table.column(name));
  const mask = suppressionMask(
    qiColumns,
    table.rowCount,
    options.suppressedToken ?? DEFAULT_SUPPRESSED_TOKEN,
    options.suppressedRows ?? 'infer',
  );
  return {
    table,
    qi: options.qi,
    qiColumns,
    partition: partitionRows(qiColumns, mask, table.rowCount, table.weights),
    showValues: options.showValues ?? false,
    maxFailures: options.maxFailures ?? DEFAULT_MAX_FAILURES,
  };
}

/** A class's quasi-identifier labels, read from its first row. */
export function classLabels(context: ClassContext, classIndex: number): Record<string, string> {
  const row = context.partition.firstRow[classIndex];
  const labels: Record<string, string> = {};
  context.qi.forEach((name, q) => {
    labels[name] = context.qiColumns[q].values[context.qiColumns[q].codes[row]];
  });
  return labels;
}

/** How a message names a class: `class #3 (2 records)`, or by its labels under `showValues`. */
export function describeClass(context: ClassContext, classIndex: number): string {
  const size = context.partition.sizes[classIndex];
  const records = `${size} record${size === 1 ? '' : 's'}`;
  if (!context.showValues) return `class #${classIndex} (${records})`;
  const labels = Object.entries(classLabels(context, classIndex))
    .map(([name, label]) => `${name}=${quoteValue(label)}`)
    .join(', ');
  return `class {${labels}} (#${classIndex}, ${records})`;
}

/** The identifying part of a class failure: index, size, first row and (under `showValues`) labels. */
export function classIdentity(
  context: ClassContext,
  classIndex: number,
): { classIndex: number; size: number; firstRow: number; labels?: Record<string, string> } {
  const identity = {
    classIndex,
    size: context.partition.sizes[classIndex],
    firstRow: context.partition.firstRow[classIndex],
  };
  return context.showValues ? { ...identity, labels: classLabels(context, classIndex) } : identity;
}

/**
 * Visits each class with the histogram of a (decoded) column over its records.
 * `distinctCodes[0 … distinctCount)` are the codes present, `counts[code]` their frequencies;
 * both buffers are reused between classes, so a visitor must not keep them.
 */
export function forEachClassHistogram(
  partition: ClassPartition,
  column: StringColumn,
  visit: (classIndex: number, distinctCodes: Int32Array, distinctCount: number, counts: Int32Array) => void,
): void {
  const counts = new Int32Array(column.values.length);
  const distinctCodes = new Int32Array(column.values.length);
  const { weights } = partition;
  for (let c = 0; c < partition.classCount; c++) {
    let distinctCount = 0;
    for (let i = partition.start[c]; i < partition.start[c + 1]; i++) {
      const row = partition.members[i];
      const code = column.codes[row];
      if (counts[code] === 0) distinctCodes[distinctCount++] = code;
      counts[code] += weights === undefined ? 1 : weights[row];
    }
    visit(c, distinctCodes, distinctCount, counts);
    for (let i = 0; i < distinctCount; i++) counts[distinctCodes[i]] = 0;
  }
}
