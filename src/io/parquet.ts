// Parquet in and out for the in-memory engine, through DuckDB (the duckdb engine's optional package: one native
// dependency for both, and it keeps every other column's type on the way out). Values are read as DuckDB's text.

import { createWriteStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { CloakError, inputError, usageError } from '../errors.js';
import { ColumnEncoder, type EncodedTable } from '../table/encoded-table.js';
import { createScratchFile, removeTemporaryFile, reserveTemporaryPath } from './atomic-file.js';
import { writeCsv } from './csv-writer.js';

type DuckDb = typeof import('@duckdb/node-api');

async function connect(): Promise<{ connection: import('@duckdb/node-api').DuckDBConnection; close(): void }> {
  let api: DuckDb;
  try {
    api = await import('@duckdb/node-api');
  } catch (cause) {
    throw usageError('ENGINE_NOT_INSTALLED', 'Parquet files are read and written through DuckDB: install the package @duckdb/node-api next to cloak (npm install @duckdb/node-api)', { cause });
  }
  const instance = await api.DuckDBInstance.create(':memory:', { preserve_insertion_order: 'true', temp_directory: tmpdir() });
  const connection = await instance.connect();
  return {
    connection,
    close() {
      connection.closeSync();
      instance.closeSync();
    },
  };
}

function literal(value: string): string {
  return `'${value.replace(/'/g, "''")}'`;
}

function identifier(name: string): string {
  return `"${name.replace(/"/g, '""')}"`;
}

/**
 * Reads a Parquet file into an encoded table: every column as DuckDB's text of its values (what the duckdb engine
 * reads), NULL as the empty string, rows in the file's order.
 */
export async function readParquetTable(path: string): Promise<EncodedTable> {
  const duck = await connect();
  try {
    const names = await describeParquet(duck.connection, path);
    const encoders = names.map((name) => new ColumnEncoder(name));
    const result = await duck.connection.stream(`SELECT ${names.map((name) => `coalesce(CAST(${identifier(name)} AS VARCHAR), '')`).join(', ')} FROM read_parquet(${literal(path)})`);
    for (let chunk = await result.fetchChunk(); chunk !== null && chunk.rowCount > 0; chunk = await result.fetchChunk()) {
      for (let c = 0; c < names.length; c++) {
        const vector = chunk.getColumnVector(c);
        const encoder = encoders[c];
        for (let r = 0; r < chunk.rowCount; r++) encoder.push(vector.getItem(r) as string);
      }
    }
    const columns = encoders.map((encoder) => encoder.finish());
    return { columns, rowCount: columns[0]?.codes.length ?? 0 };
  } catch (error) {
    if (error instanceof CloakError) throw error;
    throw inputError('PARQUET_INVALID', `${path}: DuckDB could not read it as Parquet`, { location: { file: path }, cause: error });
  } finally {
    duck.close();
  }
}

export interface ParquetWriteOptions {
  /** A Parquet source whose other columns keep their types: columns not in `replaced` are taken from it, row by row. */
  readonly source?: string;
  /** The output's columns in order (`writeParquetFromCsv`; default: the CSV's). */
  readonly columns?: readonly string[];
  /** Columns that replace the source's (generalized and identifying ones); every column when there is no source. */
  readonly replaced?: readonly string[];
}

/**
 * Writes `table` as Parquet to `target`, atomically (a temporary beside it, renamed at the end). Text columns are
 * VARCHAR, never NULL; with a Parquet `source`, every column not replaced is the source's, with its type and values.
 */
export async function writeParquetTable(table: EncodedTable, target: string, options: ParquetWriteOptions = {}): Promise<void> {
  const names = table.columns.map((column) => column.name);
  const replaced = new Set(options.source === undefined ? names : (options.replaced ?? []));
  const written = options.source === undefined ? table : { columns: table.columns.filter((column) => replaced.has(column.name)), rowCount: table.rowCount };
  // The table goes to DuckDB as CSV: Cloak's own fast writer into a private scratch file, then one COPY.
  const scratch = createScratchFile(tmpdir(), 'parquet');
  try {
    const stream = createWriteStream('', { fd: scratch.fd });
    await writeCsv(written, ',', stream);
    await new Promise<void>((done, fail) => stream.end((error?: Error | null) => (error ? fail(error) : done())));
    await writeParquetFromCsv(scratch.path, written.columns.map((column) => column.name), target, { ...options, columns: names });
  } finally {
    await removeTemporaryFile(scratch.path);
  }
}

/**
 * Converts a CSV file Cloak wrote (`,`, a header of `csvColumns`) to Parquet at `target`, atomically. With a Parquet
 * `source`, the output's `columns` not `replaced` come from the source, row by row; all others from the CSV, as text.
 */
export async function writeParquetFromCsv(csvPath: string, csvColumns: readonly string[], target: string, options: ParquetWriteOptions = {}): Promise<void> {
  const columns = options.columns ?? csvColumns;
  const replaced = new Set(options.source === undefined ? columns : (options.replaced ?? []));
  const output = reserveTemporaryPath(target);
  const duck = await connect();
  try {
    const types = csvColumns.map((name) => `${literal(name)}: 'VARCHAR'`).join(', ');
    const csv = `read_csv(${literal(csvPath)}, header = true, delim = ',', quote = '"', escape = '"', auto_detect = false, columns = {${types}})`;
    const text = (name: string) => `coalesce(cloak_text.${identifier(name)}, '') AS ${identifier(name)}`;
    const select =
      options.source === undefined
        ? `SELECT ${columns.map(text).join(', ')} FROM ${csv} AS cloak_text`
        : `SELECT ${columns.map((name) => (replaced.has(name) ? text(name) : `cloak_source.${identifier(name)}`)).join(', ')} FROM read_parquet(${literal(options.source)}) AS cloak_source POSITIONAL JOIN ${csv} AS cloak_text`;
    await duck.connection.run(`COPY (${select}) TO ${literal(output.path)} (FORMAT parquet)`);
    await output.commit();
  } catch (error) {
    await output.abort();
    if (error instanceof CloakError) throw error;
    throw inputError('OUTPUT_WRITE_FAILED', `writing ${target} failed`, { location: { file: target }, cause: error });
  } finally {
    duck.close();
  }
}

/** The rows of a Parquet file as text (NULL as the empty string), batch by batch, with its column names. */
export async function* readParquetRows(path: string): AsyncGenerator<{ header: readonly string[]; rows: string[][] }> {
  const duck = await connect();
  try {
    const names = await describeParquet(duck.connection, path);
    const result = await duck.connection.stream(`SELECT ${names.map((name) => `coalesce(CAST(${identifier(name)} AS VARCHAR), '')`).join(', ')} FROM read_parquet(${literal(path)})`);
    for (let chunk = await result.fetchChunk(); chunk !== null && chunk.rowCount > 0; chunk = await result.fetchChunk()) {
      const rows = chunk.getRows() as string[][];
      yield { header: names, rows };
    }
  } finally {
    duck.close();
  }
}

async function describeParquet(connection: import('@duckdb/node-api').DuckDBConnection, path: string): Promise<string[]> {
  try {
    if (!(await stat(path)).isFile()) throw new Error('not a file');
  } catch (cause) {
    throw inputError('INPUT_NOT_FOUND', `cannot read input file ${path}: it does not exist or is not readable`, { location: { file: path }, cause });
  }
  try {
    return (await connection.runAndReadAll(`DESCRIBE SELECT * FROM read_parquet(${literal(path)})`)).getRows().map((row) => String(row[0]));
  } catch (cause) {
    throw inputError('PARQUET_INVALID', `${path}: not a Parquet file DuckDB can read`, { location: { file: path }, cause });
  }
}
