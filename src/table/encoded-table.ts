// The columnar in-memory table: every column dictionary-encoded as Int32Array codes plus its distinct values.
// Immutable once built; the kernels read only the codes, the edges (CSV, Arrow) read the dictionaries.

export type AttributeType = 'string' | 'integer' | 'decimal' | 'date';

export interface EncodedColumn {
  readonly name: string;
  /** codes[row] indexes `dictionary`. */
  readonly codes: Int32Array;
  /** Distinct values in first-seen order. */
  readonly dictionary: readonly string[];
}

export interface EncodedTable {
  readonly columns: readonly EncodedColumn[];
  readonly rowCount: number;
  /**
   * An aggregated table (an SQL engine's GROUP BY with counts): row r stands for `weights[r]` identical records.
   * Absent: every row is one record. Only the search reads aggregated tables; files are never written from one.
   */
  readonly weights?: Int32Array;
}

/** Records of the table: the sum of its weights, or its row count. */
export function recordCount(table: EncodedTable): number {
  if (table.weights === undefined) return table.rowCount;
  let records = 0;
  for (let row = 0; row < table.rowCount; row++) records += table.weights[row];
  return records;
}

/** Appends values to one column, assigning codes in first-seen order. */
export class ColumnEncoder {
  private readonly codeOf = new Map<string, number>();
  private readonly dictionary: string[] = [];
  private codes: Int32Array;
  private length = 0;

  constructor(readonly name: string, initialCapacity = 1024) {
    this.codes = new Int32Array(Math.max(16, initialCapacity));
  }

  push(value: string): void {
    let code = this.codeOf.get(value);
    if (code === undefined) {
      code = this.dictionary.length;
      this.codeOf.set(value, code);
      this.dictionary.push(value);
    }
    if (this.length === this.codes.length) {
      const grown = new Int32Array(this.codes.length * 2);
      grown.set(this.codes);
      this.codes = grown;
    }
    this.codes[this.length++] = code;
  }

  finish(): EncodedColumn {
    return { name: this.name, codes: this.codes.slice(0, this.length), dictionary: this.dictionary };
  }
}

/** Builds a table from string rows (tests and small inputs); rows must have one value per column. */
export function encodeRows(columnNames: readonly string[], rows: readonly (readonly string[])[]): EncodedTable {
  const encoders = columnNames.map((name) => new ColumnEncoder(name, rows.length));
  for (const row of rows) {
    for (let c = 0; c < encoders.length; c++) encoders[c].push(row[c]);
  }
  return { columns: encoders.map((e) => e.finish()), rowCount: rows.length };
}

export function columnIndex(table: EncodedTable, name: string): number {
  return table.columns.findIndex((column) => column.name === name);
}

/** Decodes one row into strings (tests, small outputs). */
export function decodeRow(table: EncodedTable, row: number): string[] {
  return table.columns.map((column) => column.dictionary[column.codes[row]]);
}
