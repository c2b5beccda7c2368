// `--safe-csv`: neutralizes CSV formula injection by prefixing `'` to cells a spreadsheet would evaluate.
// Works on the dictionaries, so each distinct value is tested once; the count of changed cells comes from the codes.

import type { EncodedColumn, EncodedTable } from '../table/encoded-table.js';

/** Spreadsheets start a formula (or a DDE payload) at these characters. */
const FORMULA_START = /^[=+\-@\t\r]/;
/** A plain decimal number: `-5` or `+1.5e3` is data, and prefixing it would turn it into text. */
const PLAIN_NUMBER = /^[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?$/;

/** True when a spreadsheet could read `value` as a formula. */
export function needsFormulaGuard(value: string): boolean {
  return FORMULA_START.test(value) && !PLAIN_NUMBER.test(value);
}

/** The value as `--safe-csv` writes it. */
export function guardFormula(value: string): string {
  return needsFormulaGuard(value) ? `'${value}` : value;
}

export interface GuardedTable {
  /** The table with guarded header names and values; codes are shared with the input. */
  readonly table: EncodedTable;
  /** Cells changed, header cells included: the cells where the output differs from the unguarded output. */
  readonly cellsChanged: number;
}

function guardColumn(column: EncodedColumn): { column: EncodedColumn; cellsChanged: number } {
  const guarded = column.dictionary.map(needsFormulaGuard);
  const nameGuarded = needsFormulaGuard(column.name);
  let cellsChanged = nameGuarded ? 1 : 0;
  if (!guarded.includes(true)) return { column: nameGuarded ? { ...column, name: guardFormula(column.name) } : column, cellsChanged };
  const { codes } = column;
  for (let r = 0; r < codes.length; r++) if (guarded[codes[r]]) cellsChanged++;
  return {
    column: { name: guardFormula(column.name), codes, dictionary: column.dictionary.map((value, code) => (guarded[code] ? `'${value}` : value)) },
    cellsChanged,
  };
}

/** Applies the guard to every header name and cell of `table`. */
export function guardFormulaCells(table: EncodedTable): GuardedTable {
  let cellsChanged = 0;
  const columns = table.columns.map((column) => {
    const result = guardColumn(column);
    cellsChanged += result.cellsChanged;
    return result.column;
  });
  return { table: { columns, rowCount: table.rowCount }, cellsChanged };
}
