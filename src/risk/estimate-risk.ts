// The public verb of the risk estimator: `estimateRisk(table, options)` for an Arrow table, records, or a CSV or
// Arrow file. Reads tables as `anonymize` does and returns the plain-JSON report `cloak risk --json` prints.

import { readTableInput, type AnonymizeInput } from '../api.js';
import { usageError } from '../errors.js';
import { readArrowTable, tableFormatOf, type TableFormat } from '../io/arrow-ipc.js';
import { fromArrowTable } from '../table/arrow.js';
import type { EncodedTable } from '../table/encoded-table.js';
import type { RiskReportOptions } from '../options.js';
import { resolveRiskOptions, tableRisk, type TableRiskReport } from './table-risk.js';

export interface RiskEstimateOptions extends RiskReportOptions {
  /** The columns an attacker may know; records are grouped by them. */
  readonly quasiIdentifiers: readonly string[];
  /** CSV delimiter; detected when absent. */
  readonly delimiter?: string;
  /**
   * Format of a file input: `csv`, `arrow` (IPC file) or `arrows` (IPC stream); default from the extension (`.arrow`,
   * `.arrows`), otherwise CSV.
   */
  readonly inputFormat?: TableFormat;
}

/**
 * Re-identification risks of a table: prosecutor, journalist and marketer risks, sample uniqueness, population
 * uniqueness (with `population`) and the distribution of records over risk bands. Records whose quasi-identifiers
 * are all `*` count as suppressed and are left out. Every figure is a plain number; counts come with fractions.
 * @throws CloakError for an unreadable input, unknown quasi-identifiers or bad options.
 */
export async function estimateRisk(input: AnonymizeInput, options: RiskEstimateOptions): Promise<TableRiskReport> {
  if (typeof options !== 'object' || options === null || !Array.isArray(options.quasiIdentifiers)) {
    throw usageError('RISK_QUASI_IDENTIFIERS', 'options.quasiIdentifiers must be an array of column names');
  }
  const resolved = await resolveRiskOptions(options, options.quasiIdentifiers);
  const { table, file } = await readRiskInput(input, options);
  return tableRisk(table, options.quasiIdentifiers, resolved, file);
}

/** The input as an encoded table: a file in its format (CSV or Arrow), anything else as `anonymize` reads it. */
async function readRiskInput(input: AnonymizeInput, options: RiskEstimateOptions): Promise<{ table: EncodedTable; file: string }> {
  if (typeof input !== 'string' || tableFormatOf(input, options.inputFormat) === 'csv') return readTableInput(input, options.delimiter);
  const file = input === '-' ? '<stdin>' : input;
  return { table: fromArrowTable(await readArrowTable(input), file), file };
}
