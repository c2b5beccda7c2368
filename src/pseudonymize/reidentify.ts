// `reidentify`: authorized re-identification for the key holder — decrypts the `ff1` columns of a release with the
// transforms and key it was made with, and leaves every other column (tokens, shifted dates, masks, `*`) as it is.

import { resolve } from 'node:path';
import type { Table } from 'apache-arrow';
import { readTableInput, type AnonymizeInput } from '../api.js';
import { usageError } from '../errors.js';
import { checkWritableTarget, writeOutput } from '../io/atomic-file.js';
import { readArrowTable, tableFormatOf, writeArrowTable, type TableFormat } from '../io/arrow-ipc.js';
import { readCsvFile, type CsvReadOptions } from '../io/csv-reader.js';
import { writeCsv } from '../io/csv-writer.js';
import { readParquetTable, writeParquetTable } from '../io/parquet.js';
import type { AttributeOptions } from '../options.js';
import { fromArrowTable } from '../table/arrow.js';
import { missingColumnProblems } from '../table/column-names.js';
import type { EncodedTable } from '../table/encoded-table.js';
import type { PseudonymizationKeys } from './keys.js';
import { prepareTransforms, type PreparedTransforms } from './prepare-transforms.js';
import { ff1Dictionary, type RowSource } from './pseudonymize-table.js';
import { transformProblems } from './transform-spec.js';

export interface ReidentifyOptions {
  /** The transforms by attribute, as the release was made with them (a policy's `attributes` serve as they are). */
  readonly attributes: Readonly<Record<string, Pick<AttributeOptions, 'transform' | 'format'>>>;
  /** CSV delimiter; detected when absent. */
  readonly delimiter?: string;
}

export interface ReidentifyResult {
  /** The release with its ff1 columns decrypted: every column a dictionary-encoded Utf8 vector, rows in order. */
  readonly table: Table;
  /** The columns decrypted. */
  readonly reidentified: readonly string[];
  /** Transformed columns left as they are: their methods are one-way (hmac, shift-dates, mask). */
  readonly leftAsIs: readonly string[];
  /**
   * The fingerprint of the key each decrypted column used: FF1 is not authenticated, so a wrong key of the right
   * size gives wrong values without an error; compare with the fingerprints in the release's report.
   */
  readonly keyFingerprints: Readonly<Record<string, string>>;
}

/**
 * Decrypts the `ff1` columns of a release in memory.
 * @throws CloakError: the options' problems (exit 2), a missing or bad key (exit 2), a value ff1 cannot take (exit 3).
 */
export async function reidentify(input: AnonymizeInput, options: ReidentifyOptions, run: { readonly keys?: PseudonymizationKeys } = {}): Promise<ReidentifyResult> {
  const transforms = await prepareReversible(options, run.keys);
  const { table, file, lineOfRow } = await readTableInput(input, options.delimiter);
  const decrypted = decryptTable(table, transforms, { file, lineOfRow });
  const { toArrowTable } = await import('../table/to-arrow.js');
  return { table: toArrowTable(decrypted), ...summaryOf(transforms, options) };
}

export interface ReidentifyCsvRequest {
  /** CSV or Arrow path, or `-` for stdin. */
  readonly input: string;
  /** Output path, or `-` for stdout; written atomically, only when every value was decrypted. */
  readonly output: string;
  readonly options: ReidentifyOptions;
  readonly keys?: PseudonymizationKeys;
  readonly read?: Omit<CsvReadOptions, 'delimiter'>;
  readonly inputFormat?: TableFormat;
  readonly outputFormat?: TableFormat;
}

/** Reads a release, decrypts its ff1 columns and writes the result (the input's format unless told otherwise). */
export async function reidentifyCsv(request: ReidentifyCsvRequest): Promise<Omit<ReidentifyResult, 'table'> & { readonly rows: number }> {
  const { input, output, options } = request;
  if (input !== '-' && output !== '-' && resolve(input) === resolve(output)) {
    throw usageError('OUTPUT_IS_INPUT', `the output path is the input path (${input}); choose another output file`);
  }
  if (output !== '-') await checkWritableTarget(output, 'output');
  const transforms = await prepareReversible(options, request.keys);
  const inputName = input === '-' ? '<stdin>' : input;
  const inputFormat = tableFormatOf(input, request.inputFormat);
  const read =
    inputFormat === 'csv'
      ? await readCsvFile(input, { ...request.read, delimiter: options.delimiter })
      : inputFormat === 'parquet'
        ? { table: await readParquetTable(input), delimiter: options.delimiter ?? ',', lineOfRow: undefined }
        : { table: fromArrowTable(await readArrowTable(input), inputName), delimiter: options.delimiter ?? ',', lineOfRow: undefined };
  const decrypted = decryptTable(read.table, transforms, { file: inputName, lineOfRow: read.lineOfRow });
  const outputFormat = tableFormatOf(output, request.outputFormat);
  const write = async (stream: NodeJS.WritableStream) => {
    if (outputFormat === 'csv') return writeCsv(decrypted, read.delimiter, stream);
    const { toArrowTable } = await import('../table/to-arrow.js');
    return writeArrowTable(toArrowTable(decrypted), outputFormat as 'arrow' | 'arrows', stream);
  };
  if (outputFormat === 'parquet') {
    if (output === '-') throw usageError('PARQUET_NOT_STREAMED', 'Parquet is written to a file, not stdout');
    await writeParquetTable(decrypted, output);
  } else await writeOutput(output, write);
  return { rows: decrypted.rowCount, ...summaryOf(transforms, options) };
}

/** Checks the transforms and loads the keys of the ff1 attributes only: the others need none here. */
async function prepareReversible(options: ReidentifyOptions, keys: PseudonymizationKeys = {}): Promise<PreparedTransforms> {
  const problems: string[] = [];
  if (typeof options?.attributes !== 'object' || options.attributes === null) throw usageError('INVALID_OPTIONS', 'attributes: must map column names to { transform, … }');
  for (const [name, attribute] of Object.entries(options.attributes)) {
    if (attribute?.transform !== undefined) problems.push(...transformProblems(attribute.transform, `attributes.${name}.transform`, attribute.format));
  }
  const reversible = Object.fromEntries(Object.entries(options.attributes).filter(([, attribute]) => attribute.transform?.method === 'ff1'));
  if (problems.length === 0 && Object.keys(reversible).length === 0) problems.push('no ff1 transform: only ff1 columns can be re-identified (hmac, shift-dates and mask are one-way)');
  if (problems.length > 0) {
    throw usageError('INVALID_OPTIONS', problems.length === 1 ? problems[0] : `${problems.length} problems in the options:\n  - ${problems.join('\n  - ')}`, { problems });
  }
  const attributeKeys = Object.fromEntries(Object.entries(keys.attributes ?? {}).filter(([name]) => Object.hasOwn(reversible, name)));
  return prepareTransforms(reversible as Record<string, AttributeOptions>, { default: keys.default, attributes: attributeKeys });
}

function decryptTable(table: EncodedTable, transforms: PreparedTransforms, source: RowSource): EncodedTable {
  const problems = missingColumnProblems(
    [...transforms.keys()],
    table.columns.map((column) => column.name),
    source.file,
    (name) => `column "${name}" (ff1)`,
  );
  if (problems.length > 0) {
    throw usageError('COLUMN_NOT_FOUND', problems.length === 1 ? problems[0] : `${problems.length} columns are missing:\n  - ${problems.join('\n  - ')}`, { location: { file: source.file }, problems });
  }
  const columns = table.columns.map((column) => {
    const prepared = transforms.get(column.name);
    if (prepared === undefined || prepared.transform.method !== 'ff1') return column;
    return { name: column.name, codes: column.codes, dictionary: ff1Dictionary(column, prepared.transform, prepared.key!.bytes, source, 'decrypt') };
  });
  return { columns, rowCount: table.rowCount };
}

function summaryOf(transforms: PreparedTransforms, options: ReidentifyOptions): Omit<ReidentifyResult, 'table'> {
  return {
    reidentified: [...transforms.keys()],
    leftAsIs: Object.entries(options.attributes).flatMap(([name, attribute]) => (attribute.transform !== undefined && attribute.transform.method !== 'ff1' ? [name] : [])),
    keyFingerprints: Object.fromEntries([...transforms.values()].map(({ attribute, key }) => [attribute, key!.fingerprint])),
  };
}
