// The table forms cloak/testing accepts (records, Apache Arrow tables, columnar dictionaries) and their one decoding path.
// Every column becomes unique strings plus per-row codes, re-keyed by string so checkers never trust an engine's codes.

import type { Table as ArrowTable } from 'apache-arrow';
import { usageError } from '../errors.js';

/** A column given as dictionary codes: `dictionary[codes[row]]` is the cell. Codes may be over-allocated past the row count. */
export interface DictionaryColumn {
  readonly codes: ArrayLike<number>;
  readonly dictionary: readonly string[];
}

/** One column of a {@link ColumnarTable}: plain strings per row, or dictionary codes. */
export type ColumnInput = ArrayLike<string> | DictionaryColumn;

/**
 * The columnar form, for large tables: no per-row objects. The engine passes its decoded output this way.
 * Dictionary strings are the truth: duplicate dictionary entries are merged, codes are never compared across columns or tables.
 */
export interface ColumnarTable {
  readonly rowCount: number;
  readonly columns: Readonly<Record<string, ColumnInput>>;
  /**
   * An aggregated table (a GROUP BY with counts): row r stands for `weights[r]` identical records, a positive
   * integer. Every check then counts records, not rows; `checkGeneralizes` refuses such a table (rows cannot be
   * matched to the original's).
   */
  readonly weights?: ArrayLike<number>;
}

/**
 * Anything a checker reads: an array of records (one string per column), an Apache Arrow `Table`, or a {@link ColumnarTable}.
 * Arrow nulls read as the empty string (as in CSV); non-string Arrow cells read as `String(value)`.
 */
export type TableInput = readonly Readonly<Record<string, string>>[] | ArrowTable | ColumnarTable;

/** A decoded column: `values` are distinct, `values[codes[row]]` is the cell of `row`. */
export interface StringColumn {
  readonly codes: Int32Array;
  readonly values: readonly string[];
}

/** Read access to one table, decoding each column once. */
export interface TableReader {
  readonly rowCount: number;
  /** Records per row of an aggregated table; undefined when every row is one record. */
  readonly weights: Int32Array | undefined;
  /** Records: the sum of the weights, or the row count. */
  readonly recordCount: number;
  readonly columnNames: readonly string[];
  hasColumn(name: string): boolean;
  /** The decoded column; a usage error naming the table and column when it is absent. */
  column(name: string): StringColumn;
}

/** Assigns dense codes to strings in first-seen order. */
class StringInterner {
  private readonly codeOf = new Map<string, number>();
  readonly values: string[] = [];

  intern(value: string): number {
    let code = this.codeOf.get(value);
    if (code === undefined) {
      code = this.values.length;
      this.codeOf.set(value, code);
      this.values.push(value);
    }
    return code;
  }
}

/** Opens any {@link TableInput}; `label` names the table in error messages (`checked table`, `output table`, …). */
export function openTable(input: TableInput, label: string): TableReader {
  let decode: (name: string) => StringColumn;
  let rowCount: number;
  let columnNames: readonly string[];
  let weights: Int32Array | undefined;
  if (Array.isArray(input)) {
    const records = input as readonly Readonly<Record<string, string>>[];
    rowCount = records.length;
    columnNames = records.length === 0 ? [] : Object.keys(records[0]);
    decode = (name) => decodeRecords(records, name, label);
  } else if (isArrowTable(input)) {
    rowCount = input.numRows;
    columnNames = input.schema.fields.map((field) => field.name);
    decode = (name) => decodeArrowColumn(input, name, label);
  } else {
    const columnar = input as ColumnarTable;
    rowCount = columnar.rowCount;
    columnNames = Object.keys(columnar.columns);
    if (columnar.weights !== undefined) weights = readWeights(columnar.weights, rowCount, label);
    decode = (name) => decodeColumnInput(columnar.columns[name], rowCount, name, label);
  }
  const known = new Set(columnNames);
  // An empty record array has no keys, yet any column of it is legitimately empty.
  const hasColumn = (name: string): boolean => known.has(name) || (rowCount === 0 && Array.isArray(input));
  const decoded = new Map<string, StringColumn>();
  let recordCount = rowCount;
  if (weights !== undefined) {
    recordCount = 0;
    for (let row = 0; row < rowCount; row++) recordCount += weights[row];
  }
  return {
    rowCount,
    weights,
    recordCount,
    columnNames,
    hasColumn,
    column(name) {
      let column = decoded.get(name);
      if (column === undefined) {
        if (!hasColumn(name)) {
          throw usageError('TESTING_UNKNOWN_COLUMN', `The ${label} has no column "${name}".`, { location: { column: name } });
        }
        column = decode(name);
        decoded.set(name, column);
      }
      return column;
    },
  };
}

/** Weights as positive integers, one per row. */
function readWeights(weights: ArrayLike<number>, rowCount: number, label: string): Int32Array {
  if (weights.length < rowCount) throw usageError('TESTING_BAD_WEIGHT', `The ${label} has fewer weights than rows.`);
  const read = new Int32Array(rowCount);
  for (let row = 0; row < rowCount; row++) {
    const weight = weights[row];
    if (!(Number.isInteger(weight) && weight >= 1 && weight <= 0x7fffffff)) {
      throw usageError('TESTING_BAD_WEIGHT', `Row ${row} of the ${label} has a weight that is not a positive integer.`);
    }
    read[row] = weight;
  }
  return read;
}

function isArrowTable(input: TableInput): input is ArrowTable {
  return typeof (input as ArrowTable).getChild === 'function' && typeof (input as ArrowTable).numRows === 'number';
}

function decodeRecords(records: readonly Readonly<Record<string, string>>[], name: string, label: string): StringColumn {
  const interner = new StringInterner();
  const codes = new Int32Array(records.length);
  for (let row = 0; row < records.length; row++) {
    const record = records[row];
    if (!Object.hasOwn(record, name) || record[name] === undefined || record[name] === null) {
      throw usageError('TESTING_MISSING_CELL', `Row ${row} of the ${label} has no value for column "${name}".`, {
        location: { column: name },
      });
    }
    codes[row] = interner.intern(String(record[name]));
  }
  return { codes, values: interner.values };
}

function decodeColumnInput(column: ColumnInput, rowCount: number, name: string, label: string): StringColumn {
  const interner = new StringInterner();
  const codes = new Int32Array(rowCount);
  if (isDictionaryColumn(column)) {
    if (column.codes.length < rowCount) throw shortColumn(name, label);
    // Re-key the dictionary by string, lazily: equal strings under different codes must land in one class,
    // and entries no row uses must not enter the column's values (they would widen sensitive domains).
    const translation = new Int32Array(column.dictionary.length).fill(-1);
    for (let row = 0; row < rowCount; row++) {
      const code = column.codes[row];
      if (!(code >= 0 && code < translation.length)) {
        throw usageError('TESTING_BAD_CODE', `Row ${row} of the ${label} has a code outside the dictionary of column "${name}".`, {
          location: { column: name },
        });
      }
      let interned = translation[code];
      if (interned < 0) translation[code] = interned = interner.intern(column.dictionary[code]);
      codes[row] = interned;
    }
  } else {
    if (column.length < rowCount) throw shortColumn(name, label);
    for (let row = 0; row < rowCount; row++) codes[row] = interner.intern(String(column[row]));
  }
  return { codes, values: interner.values };
}

function isDictionaryColumn(column: ColumnInput): column is DictionaryColumn {
  return typeof column === 'object' && column !== null && 'codes' in column && 'dictionary' in column;
}

function shortColumn(name: string, label: string): Error {
  return usageError('TESTING_SHORT_COLUMN', `Column "${name}" of the ${label} has fewer cells than the table's row count.`, {
    location: { column: name },
  });
}

function cellText(value: unknown): string {
  return value === null || value === undefined ? '' : String(value);
}

function decodeArrowColumn(table: ArrowTable, name: string, label: string): StringColumn {
  const vector = table.getChild(name);
  if (vector === null) {
    throw usageError('TESTING_UNKNOWN_COLUMN', `The ${label} has no column "${name}".`, { location: { column: name } });
  }
  const interner = new StringInterner();
  const codes = new Int32Array(table.numRows);
  let row = 0;
  if (vector.data.every((chunk) => chunk.dictionary !== undefined)) {
    // Dictionary chunks: decode each dictionary entry once, on first use, then read the integer indices directly.
    const translations = new Map<object, Int32Array>();
    for (const chunk of vector.data) {
      const dictionary = chunk.dictionary!;
      let translation = translations.get(dictionary);
      if (translation === undefined) translations.set(dictionary, (translation = new Int32Array(dictionary.length).fill(-1)));
      const indices = chunk.values as ArrayLike<number | bigint>;
      const hasNulls = chunk.nullCount > 0;
      for (let i = 0; i < chunk.length; i++) {
        if (hasNulls && !chunk.getValid(i)) {
          codes[row++] = interner.intern('');
          continue;
        }
        const code = Number(indices[i]);
        let interned = translation[code];
        if (interned < 0) translation[code] = interned = interner.intern(cellText(dictionary.get(code)));
        codes[row++] = interned;
      }
    }
  } else {
    for (const value of vector) codes[row++] = interner.intern(cellText(value));
  }
  return { codes, values: interner.values };
}
