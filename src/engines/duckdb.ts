// The DuckDB dialect (embedded, through @duckdb/node-api): CSV and Parquet files or tables of a .duckdb file in, the
// same out; quoting, the SQL of histogram, release, re-aggregation and publish, and DuckDB's errors made Cloak's.

import { mkdtemp, open, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parse as parseCsv } from 'csv-parse/sync';
import { CloakError, ExitCode, inputError, usageError } from '../errors.js';
import { checkHeader } from '../io/csv-reader.js';
import { detectDelimiter } from '../io/delimiter.js';
import { checkWritableTarget, registerTemporaryFolder, reserveTemporaryPath, type TemporaryPath } from '../io/atomic-file.js';
import { classKey, keysPack, loadOptional, memoryExceeded, parseMemorySize, type CodedHistogram, type DuckDbEngineOptions, type EngineSession, type QueryListener, type ReleaseSpec } from './engine.js';
import { HistogramBuilder } from './histogram-builder.js';
import { locationName, type EngineLocation, type FileLocation } from './locations.js';

type DuckDbApi = typeof import('@duckdb/node-api');
type Connection = import('@duckdb/node-api').DuckDBConnection;

/** DuckDB's default memory limit here: with Cloak's own share, the whole process stays under about 2 GiB. */
export const DEFAULT_DUCKDB_MEMORY = '1GiB';

/** The oldest @duckdb/node-api this module was written for. */
const MINIMUM_VERSION = [1, 4];

/** An identifier in double quotes, inner quotes doubled: any column or table name, never an injection. */
export function duckDbIdentifier(name: string): string {
  if (name.includes('\u0000')) throw usageError('ENGINE_NAME_INVALID', 'a column or table name holds a NUL character, which DuckDB cannot name');
  return `"${name.replace(/"/g, '""')}"`;
}

/** A string literal in single quotes, inner quotes doubled (DuckDB reads backslashes literally). */
export function duckDbString(value: string): string {
  if (value.includes('\u0000')) throw inputError('ENGINE_VALUE_INVALID', 'a value holds a NUL character, which DuckDB cannot take in a literal');
  return `'${value.replace(/'/g, "''")}'`;
}

export interface DuckDbSessionOptions {
  readonly engine: DuckDbEngineOptions;
  readonly target?: EngineLocation;
  /** Replace an existing target table. */
  readonly overwrite?: boolean;
  /** CSV delimiter of a CSV source (detected when absent); a CSV target uses it too (`,` after Parquet). */
  readonly delimiter?: string;
  readonly onQuery?: QueryListener;
}

/** Opens DuckDB in memory on a source (and target); the session owns its spill folder and temporary outputs. */
export async function openDuckDbSession(source: EngineLocation, options: DuckDbSessionOptions): Promise<EngineSession> {
  const api = await loadDuckDb();
  const memory = parseMemorySize(options.engine.memoryLimit ?? DEFAULT_DUCKDB_MEMORY);
  const ownSpill = options.engine.tempDirectory === undefined ? await mkdtemp(join(tmpdir(), 'cloak-duckdb-')) : undefined;
  // Removed with the session, or by the signal handlers if the process is interrupted first.
  const spillRegistration = ownSpill === undefined ? undefined : registerTemporaryFolder(ownSpill);
  const config: Record<string, string> = {
    memory_limit: `${Math.max(1, Math.floor((memory ?? 2 ** 30) / 1024))}KiB`,
    temp_directory: resolve(options.engine.tempDirectory ?? ownSpill!),
    // Row order is part of the contract for files; DuckDB keeps it for projections when this is on (the default).
    preserve_insertion_order: 'true',
    enable_external_access: 'true',
    ...(options.engine.threads === undefined ? {} : { threads: String(options.engine.threads) }),
  };
  let connection: Connection;
  let instance: import('@duckdb/node-api').DuckDBInstance;
  try {
    instance = await api.DuckDBInstance.create(':memory:', config);
    connection = await instance.connect();
  } catch (cause) {
    if (ownSpill !== undefined) await rm(ownSpill, { recursive: true, force: true });
    spillRegistration?.release();
    throw new CloakError('ENGINE_START_FAILED', 'DuckDB could not start with these settings (--engine-memory, --engine-temp)', { exitCode: ExitCode.usage, cause });
  }
  const session = new DuckDbSession(instance, connection, source, options, ownSpill === undefined ? undefined : { path: ownSpill, ...spillRegistration! });
  try {
    await session.prepare();
  } catch (error) {
    await session.close();
    throw error;
  }
  return session;
}

async function loadDuckDb(): Promise<DuckDbApi> {
  const api = await loadOptional<DuckDbApi>('@duckdb/node-api', 'duckdb');
  const version = /^v?(\d+)\.(\d+)/.exec(api.version?.() ?? '');
  const [major, minor] = version === null ? [0, 0] : [Number(version[1]), Number(version[2])];
  if (major < MINIMUM_VERSION[0] || (major === MINIMUM_VERSION[0] && minor < MINIMUM_VERSION[1])) {
    throw usageError('ENGINE_NOT_INSTALLED', `the duckdb engine needs @duckdb/node-api ${MINIMUM_VERSION.join('.')} or later (npm install @duckdb/node-api@latest)`);
  }
  return api;
}

class DuckDbSession implements EngineSession {
  readonly sourceName: string;
  readonly targetName: string | undefined;
  private relation = '';
  private sourceColumns: string[] = [];
  /** Enum types made by `histogram`, per column name: the mapping of its distinct values to their codes. */
  private readonly enums = new Map<string, string>();
  private temporaryFile: TemporaryPath | undefined;
  private temporaryTable: string | undefined;
  private released = '';
  private readonly attached = new Map<string, string>();
  private delimiter = ',';
  private closed = false;

  constructor(
    private readonly instance: import('@duckdb/node-api').DuckDBInstance,
    private readonly connection: Connection,
    private readonly source: EngineLocation,
    private readonly options: DuckDbSessionOptions,
    /** The spill folder this session made (none when the user gave one). */
    private readonly ownSpill: { readonly path: string; release(): void } | undefined,
  ) {
    this.sourceName = locationName(source);
    this.targetName = options.target === undefined ? undefined : locationName(options.target);
  }

  /** Checks the source and target before any work: readable, writable, and a target table refused when it exists. */
  async prepare(): Promise<void> {
    const { source, target } = { source: this.source, target: this.options.target };
    if (source.kind === 'clickhouse-table' || target?.kind === 'clickhouse-table') throw usageError('ENGINE_LOCATION_INVALID', 'a clickhouse:// location needs --engine clickhouse');
    if (source.kind === 'file') this.relation = await this.fileRelation(source);
    else {
      const alias = await this.attach(source.database, target?.kind === 'duckdb-table' && resolve(target.database) === resolve(source.database) ? 'write' : 'read', 'source');
      this.relation = `${alias}.${duckDbIdentifier(source.schema)}.${duckDbIdentifier(source.table)}`;
      if (!(await this.tableExists(alias, source.schema, source.table))) {
        throw inputError('ENGINE_TABLE_NOT_FOUND', `${this.sourceName}: no such table`, { location: { file: this.sourceName } });
      }
    }
    const described = await this.query('describe the source', `DESCRIBE SELECT * FROM ${this.relation}`);
    this.sourceColumns = described.map((row) => String(row[0]));
    if (target?.kind === 'file') {
      await checkWritableTarget(target.path, 'output');
      if (source.kind === 'file' && resolve(source.path) === resolve(target.path)) throw usageError('OUTPUT_IS_INPUT', `the output path is the input path (${target.path}); choose another output file`);
    } else if (target?.kind === 'duckdb-table') {
      const alias = await this.attach(target.database, 'write', 'target');
      if (!(await this.schemaExists(alias, target.schema))) throw usageError('ENGINE_TARGET_INVALID', `${this.targetName}: the schema does not exist`);
      if ((await this.tableExists(alias, target.schema, target.table)) && this.options.overwrite !== true) {
        throw usageError('TARGET_EXISTS', `${this.targetName} exists; give --overwrite (overwrite: true) to replace it`, { location: { file: this.targetName } });
      }
      if (source.kind === 'duckdb-table' && resolve(source.database) === resolve(target.database) && source.schema === target.schema && source.table === target.table) {
        throw usageError('OUTPUT_IS_INPUT', `the target is the source (${this.targetName}); choose another table`);
      }
    }
  }

  async columns(): Promise<readonly string[]> {
    return this.sourceColumns;
  }

  async histogram(columns: readonly string[]): Promise<CodedHistogram> {
    // One scan of the source groups its raw values; every later step reads that (much smaller) grouping.
    const grouped = columns.map((name, c) => `${asText(duckDbIdentifier(name))} AS c${c}`).join(', ');
    await this.run('group the source', `CREATE OR REPLACE TEMP TABLE cloak_groups AS SELECT *, count(*) AS cloak_n FROM (SELECT ${grouped} FROM ${this.relation}) GROUP BY ALL`);
    const dictionaries: string[][] = [];
    const types: string[] = [];
    for (let c = 0; c < columns.length; c++) {
      const type = this.newName('cloak_values');
      await this.run('list the distinct values', `CREATE TYPE ${type} AS ENUM (SELECT DISTINCT c${c} FROM cloak_groups ORDER BY c${c})`);
      this.enums.set(columns[c], type);
      types.push(type);
      const values = await this.query('read the distinct values', `SELECT unnest(enum_range(NULL::${type}))`);
      dictionaries.push(values.map((row) => String(row[0])));
    }
    const builder = new HistogramBuilder(columns, this.sourceName, dictionaries);
    const codes = columns.map((_, c) => `enum_code(CAST(c${c} AS ${types[c]}))::INTEGER`);
    await this.stream('read the histogram', `SELECT ${[...codes, 'cloak_n'].join(', ')} FROM cloak_groups`, (chunk) => {
      const vectors = Array.from({ length: columns.length + 1 }, (_, c) => chunk.getColumnVector(c));
      const row = new Int32Array(columns.length);
      for (let r = 0; r < chunk.rowCount; r++) {
        for (let c = 0; c < columns.length; c++) row[c] = vectors[c].getItem(r) as number;
        builder.addCodes(row, Number(vectors[columns.length].getItem(r) as bigint));
      }
    });
    await this.run('drop the grouping', 'DROP TABLE cloak_groups');
    return builder.finish();
  }

  async writeRelease(release: ReleaseSpec): Promise<void> {
    const target = this.options.target;
    if (target === undefined) throw new Error('writeRelease without a target');
    const { prelude, select } = this.releaseSelect(release);
    for (const statement of prelude) await this.run('prepare the release', statement);
    if (target.kind === 'file') {
      this.temporaryFile = reserveTemporaryPath(target.path);
      const format = target.format === 'parquet' ? 'FORMAT parquet' : `FORMAT csv, HEADER true, DELIMITER ${duckDbString(this.delimiter)}, QUOTE '"', ESCAPE '"'`;
      await this.run('write the release', `COPY (${select}) TO ${duckDbString(this.temporaryFile.path)} (${format})`);
      this.released = target.format === 'parquet' ? `read_parquet(${duckDbString(this.temporaryFile.path)})` : this.csvRelation(this.temporaryFile.path, this.delimiter, null);
    } else if (target.kind === 'duckdb-table') {
      const alias = this.attached.get(resolve(target.database))!;
      const name = `${target.table}__cloak_${process.pid}_${Math.random().toString(36).slice(2, 10)}`;
      this.temporaryTable = `${alias}.${duckDbIdentifier(target.schema)}.${duckDbIdentifier(name)}`;
      await this.run('write the release', `CREATE TABLE ${this.temporaryTable} AS ${select}`);
      this.released = this.temporaryTable;
    }
  }

  async tallyRelease(columns: readonly string[]): Promise<CodedHistogram> {
    const grouped = columns.map((name) => asText(duckDbIdentifier(name))).join(', ');
    const builder = new HistogramBuilder(columns, this.sourceName);
    await this.stream('re-aggregate the release', `SELECT ${grouped}, count(*) FROM ${this.released} GROUP BY ALL`, (chunk) => {
      const vectors = Array.from({ length: columns.length + 1 }, (_, c) => chunk.getColumnVector(c));
      for (let r = 0; r < chunk.rowCount; r++) {
        builder.addValues(
          columns.map((_, c) => vectors[c].getItem(r) as string),
          Number(vectors[columns.length].getItem(r) as bigint),
        );
      }
    });
    return builder.finish();
  }

  async publish(): Promise<void> {
    const target = this.options.target!;
    if (target.kind === 'file' && this.temporaryFile !== undefined) {
      this.released = '';
      await this.temporaryFile.commit();
      this.temporaryFile = undefined;
    } else if (target.kind === 'duckdb-table' && this.temporaryTable !== undefined) {
      const alias = this.attached.get(resolve(target.database))!;
      const final = `${alias}.${duckDbIdentifier(target.schema)}.${duckDbIdentifier(target.table)}`;
      const bare = duckDbIdentifier(target.table);
      // One transaction: readers see the old table or the new one, never none.
      await this.run('publish the release', `BEGIN TRANSACTION; DROP TABLE IF EXISTS ${final}; ALTER TABLE ${this.temporaryTable} RENAME TO ${bare}; COMMIT`);
      this.temporaryTable = undefined;
    }
  }

  async discard(): Promise<void> {
    this.released = '';
    if (this.temporaryFile !== undefined) {
      await this.temporaryFile.abort();
      this.temporaryFile = undefined;
    }
    if (this.temporaryTable !== undefined && !this.closed) {
      const table = this.temporaryTable;
      this.temporaryTable = undefined;
      await this.connection.run('ROLLBACK').catch(() => undefined);
      await this.connection.run(`DROP TABLE IF EXISTS ${table}`).catch(() => undefined);
    }
  }

  async close(): Promise<void> {
    if (this.closed) return;
    await this.discard();
    this.closed = true;
    this.connection.closeSync();
    this.instance.closeSync();
    if (this.ownSpill !== undefined) {
      await rm(this.ownSpill.path, { recursive: true, force: true });
      this.ownSpill.release();
    }
  }

  /**
   * The SELECT of the release, and the statements it needs first. No join (DuckDB's hash joins do not keep the
   * source's row order): labels come from MAP literals of value → label (few values: DuckDB evaluates them once per
   * dictionary entry of a Parquet column, and the output stays dictionary-encoded) or from an enum cast and list
   * indexing (many values: a MAP lookup is a linear scan). Only when classes are suppressed are the label codes
   * computed too, packed into the class key, and looked up exactly in the suppressed classes' slot lists.
   */
  private releaseSelect(release: ReleaseSpec): { prelude: string[]; select: string } {
    const generalized = release.columns.flatMap((column) => (column.kind === 'generalize' ? [column] : []));
    const star = duckDbString(release.suppressedValue);
    /** A per-value lookup of `entries[v]` for the column's value `value`. */
    const lookup = (column: (typeof generalized)[number], value: string, entries: readonly string[]): string => {
      if (column.values.length <= MAP_LOOKUP_LIMIT) return `MAP {${column.values.map((entry, v) => `${duckDbString(entry)}: ${entries[v]}`).join(', ')}}[${value}]`;
      const type = this.enums.get(column.name);
      if (type === undefined) throw new Error(`no value codes for ${column.name}`);
      return `[${entries.join(', ')}][enum_code(CAST(${value} AS ${type}))::BIGINT + 1]`;
    };
    const text = (name: string) => asText(`cloak_source.${duckDbIdentifier(name)}`);
    const prelude: string[] = [];
    let source = `SELECT * FROM ${this.relation}`;
    let suppressed = 'false';
    if (release.suppressed.length > 0) {
      const code = (j: number) => `cloak_code_${j}`;
      const codes = generalized.map((column, j) => `${lookup(column, text(column.name), Array.from(column.codes, String))} AS ${code(j)}`);
      const radices = generalized.map((column) => column.radix);
      const key = classKeyExpression(generalized.map((column, j) => ({ codes: code(j), radix: column.radix })));
      const keys = [...new Set(release.suppressed.map((classCodes) => classKey(classCodes, radices)))];
      let member: string;
      if (keysPack(radices)) member = slotLookup('cloak_key', keys.map(Number));
      else {
        const type = this.newName('cloak_suppressed');
        prelude.push(`CREATE TYPE ${type} AS ENUM (${keys.map(duckDbString).join(', ')})`);
        member = `TRY_CAST(cloak_key AS ${type}) IS NOT NULL`;
      }
      const coded = `SELECT cloak_source.*, ${codes.join(', ')} FROM ${this.relation} AS cloak_source`;
      const keyed = `SELECT cloak_coded.*, ${key} AS cloak_key FROM (${coded}) AS cloak_coded`;
      source = `SELECT cloak_keyed.*, ${member} AS cloak_suppressed FROM (${keyed}) AS cloak_keyed`;
      suppressed = 'cloak_source.cloak_suppressed';
    }
    const outputs = release.columns.map((column) => {
      const name = duckDbIdentifier(column.name);
      if (column.kind === 'keep') return `cloak_source.${name}`;
      if (column.kind === 'identifying') return `${star} AS ${name}`;
      const label = lookup(column, text(column.name), column.labels.map(duckDbString));
      return `${suppressed === 'false' ? label : `CASE WHEN ${suppressed} THEN ${star} ELSE ${label} END`} AS ${name}`;
    });
    return { prelude, select: `SELECT ${outputs.join(', ')} FROM (${source}) AS cloak_source` };
  }

  /** A fresh name for a temporary object of this session. */
  private newName(prefix: string): string {
    return `${prefix}_${this.names++}`;
  }

  private names = 0;

  private async fileRelation(source: FileLocation): Promise<string> {
    let info;
    try {
      info = await stat(source.path);
    } catch (cause) {
      throw inputError('INPUT_NOT_FOUND', `cannot read input file ${source.path}: it does not exist or is not readable`, { location: { file: source.path }, cause });
    }
    if (!info.isFile()) throw inputError('INPUT_NOT_A_FILE', `input ${source.path} is not a regular file`, { location: { file: source.path } });
    if (source.format === 'parquet') return `read_parquet(${duckDbString(source.path)})`;
    const { header, delimiter } = await readCsvHead(source.path, this.options.delimiter);
    this.delimiter = delimiter;
    return this.csvRelation(source.path, delimiter, header);
  }

  /** A CSV file as text columns, read as Cloak reads CSV: the given delimiter, `"` quotes, the header's names. */
  private csvRelation(path: string, delimiter: string, header: readonly string[] | null): string {
    const columns = header === null ? 'all_varchar = true' : `columns = {${header.map((name) => `${duckDbString(name)}: 'VARCHAR'`).join(', ')}}, auto_detect = false`;
    return `read_csv(${duckDbString(path)}, header = true, delim = ${duckDbString(delimiter)}, quote = '"', escape = '"', strict_mode = true, ${columns})`;
  }

  private async attach(database: string, mode: 'read' | 'write', role: 'source' | 'target'): Promise<string> {
    const path = resolve(database);
    const known = this.attached.get(path);
    if (known !== undefined) return known;
    if (role === 'source' || mode === 'read') {
      try {
        await stat(path);
      } catch (cause) {
        throw inputError('INPUT_NOT_FOUND', `cannot read the database ${database}: it does not exist or is not readable`, { location: { file: database }, cause });
      }
    } else await checkWritableTarget(path, 'target database');
    const alias = `cloak_db_${this.attached.size}`;
    await this.run(`open the ${role} database`, `ATTACH ${duckDbString(path)} AS ${alias}${mode === 'read' ? ' (READ_ONLY)' : ''}`);
    this.attached.set(path, alias);
    return alias;
  }

  private async tableExists(alias: string, schema: string, table: string): Promise<boolean> {
    const rows = await this.query(
      'look the table up',
      `SELECT count(*) FROM duckdb_tables() WHERE database_name = ${duckDbString(alias)} AND schema_name = ${duckDbString(schema)} AND table_name = ${duckDbString(table)}`,
    );
    const views = await this.query(
      'look the table up',
      `SELECT count(*) FROM duckdb_views() WHERE database_name = ${duckDbString(alias)} AND schema_name = ${duckDbString(schema)} AND view_name = ${duckDbString(table)}`,
    );
    return Number(rows[0][0]) + Number(views[0][0]) > 0;
  }

  private async schemaExists(alias: string, schema: string): Promise<boolean> {
    const rows = await this.query('look the schema up', `SELECT count(*) FROM duckdb_schemas() WHERE database_name = ${duckDbString(alias)} AND schema_name = ${duckDbString(schema)}`);
    return Number(rows[0][0]) > 0;
  }

  private async run(description: string, sql: string): Promise<void> {
    const started = performance.now();
    try {
      await this.connection.run(sql);
    } catch (error) {
      throw this.failure(description, error);
    }
    this.options.onQuery?.(description, performance.now() - started);
  }

  private async query(description: string, sql: string): Promise<unknown[][]> {
    const started = performance.now();
    try {
      const reader = await this.connection.runAndReadAll(sql);
      this.options.onQuery?.(description, performance.now() - started);
      return reader.getRows() as unknown[][];
    } catch (error) {
      throw this.failure(description, error);
    }
  }

  private async stream(description: string, sql: string, onChunk: (chunk: import('@duckdb/node-api').DuckDBDataChunk) => void): Promise<void> {
    const started = performance.now();
    try {
      const result = await this.connection.stream(sql);
      for (let chunk = await result.fetchChunk(); chunk !== null && chunk.rowCount > 0; chunk = await result.fetchChunk()) onChunk(chunk);
    } catch (error) {
      if (error instanceof CloakError) throw error;
      throw this.failure(description, error);
    }
    this.options.onQuery?.(description, performance.now() - started);
  }

  /**
   * DuckDB's error as a CloakError. DuckDB's messages quote values and the query, so only its error class (the words
   * before the first colon) and a CSV line number are kept; the original stays as the cause, for CLOAK_DEBUG.
   */
  private failure(description: string, error: unknown): CloakError {
    if (error instanceof CloakError) return error;
    const message = error instanceof Error ? error.message : String(error);
    const kind = /^([A-Za-z ]+Error)\b/.exec(message)?.[1] ?? 'Error';
    const where = this.sourceName;
    if (/Out of Memory/i.test(kind) || /could not allocate|memory limit/i.test(message)) return memoryExceeded('duckdb', '--engine-memory (engine.memoryLimit)');
    if (description === 'write the release' || description === 'publish the release') {
      if (kind === 'Conversion Error') return inputError('PLAN_SOURCE_CHANGED', `${where}: the data changed between counting and writing; nothing was written`, { location: { file: where }, cause: error });
      if (kind === 'IO Error' || kind === 'Permission Error') return inputError('OUTPUT_WRITE_FAILED', `writing ${this.targetName} failed (DuckDB ${kind}); nothing was written`, { location: { file: this.targetName }, cause: error });
    }
    if (kind === 'Invalid Input Error' && /CSV/i.test(message)) {
      const line = /line:?\s*(\d+)/i.exec(message)?.[1];
      return inputError('CSV_PARSE_ERROR', `${where}${line === undefined ? '' : `:${line}`}: malformed CSV for DuckDB (a ragged row, a stray quote or another delimiter)`, { location: { file: where, ...(line === undefined ? {} : { line: Number(line) }) }, cause: error });
    }
    if (kind === 'IO Error' || kind === 'Invalid Input Error' || kind === 'Permission Error') {
      return inputError('INPUT_UNREADABLE', `${where}: DuckDB could not read it (${kind}) while it tried to ${description}`, { location: { file: where }, cause: error });
    }
    if (kind === 'Interrupt Error') return new CloakError('ENGINE_INTERRUPTED', 'the duckdb query was interrupted; nothing was written', { exitCode: ExitCode.input, cause: error });
    return inputError('ENGINE_QUERY_FAILED', `${where}: DuckDB failed to ${description} (${kind})`, { location: { file: where }, cause: error });
  }
}

/** A column's values as text, NULL as the empty string: what the in-memory engine reads from CSV and Parquet. */
export function asText(expression: string): string {
  return `coalesce(CAST(${expression} AS VARCHAR), '')`;
}

/** Columns with at most this many distinct values are mapped by a MAP literal, larger ones by an enum. */
const MAP_LOOKUP_LIMIT = 64;

/**
 * Exact membership of a numeric key in `keys`, without a join or a string: levels of slot lists, each indexed by the
 * key modulo its own size and holding the key placed there (−1 when empty); keys that collide go to the next level.
 * A key is a member iff some level's slot holds it. `slotLevels` is the layout, `slotLookup` its SQL.
 */
export function slotLevels(keys: readonly number[]): { readonly modulus: number; readonly slots: readonly number[] }[] {
  const levels: { modulus: number; slots: number[] }[] = [];
  let remaining = [...new Set(keys)];
  while (remaining.length > 0) {
    // Sizes differ from level to level (odd, about twice the keys left), so keys that collide once rarely collide again.
    const modulus = 2 * remaining.length + 2 * levels.length + 1;
    const slots = new Array<number>(modulus).fill(-1);
    const collided: number[] = [];
    for (const key of remaining) {
      const slot = key % modulus;
      if (slots[slot] === -1) slots[slot] = key;
      else collided.push(key);
    }
    levels.push({ modulus, slots });
    remaining = collided;
  }
  return levels;
}

/** The SQL of a membership test of the BIGINT column `key` (values ≥ 0) in `keys` (see `slotLevels`). */
export function slotLookup(key: string, keys: readonly number[]): string {
  if (keys.length === 0) return 'false';
  return `(${slotLevels(keys).map(({ modulus, slots }) => `[${slots.join(',')}][${key} % ${modulus} + 1] = ${key}`).join(' OR ')})`;
}

/** The SQL of `classKey` over per-column code expressions (BIGINT arithmetic, or text joined with commas). */
export function classKeyExpression(columns: readonly { readonly codes: string; readonly radix: number }[]): string {
  if (!keysPack(columns.map((column) => column.radix))) return `concat_ws(',', ${columns.map((column) => `CAST(${column.codes} AS VARCHAR)`).join(', ')})`;
  let key = '';
  for (let j = columns.length - 1; j >= 0; j--) key = key === '' ? `CAST(${columns[j].codes} AS BIGINT)` : `(${key}) * ${columns[j].radix} + ${columns[j].codes}`;
  return key;
}


/** The header of a CSV file (checked as Cloak checks headers) and its delimiter (given, or detected as Cloak does). */
async function readCsvHead(path: string, delimiter: string | undefined): Promise<{ header: string[]; delimiter: string }> {
  const handle = await open(path, 'r');
  let text: string;
  let truncated: boolean;
  try {
    const buffer = Buffer.alloc(64 * 1024);
    const { bytesRead } = await handle.read(buffer, 0, buffer.length, 0);
    text = buffer.toString('utf8', 0, bytesRead).replace(/^\uFEFF/, '');
    truncated = bytesRead === buffer.length;
  } finally {
    await handle.close();
  }
  if (text.trim() === '') throw inputError('INPUT_EMPTY', `${path}: no header and no records`, { location: { file: path } });
  const chosen = delimiter ?? detectDelimiter(text, truncated);
  let records: string[][];
  try {
    records = parseCsv(text, { delimiter: chosen, to: 1, relax_column_count: true, skip_empty_lines: true }) as string[][];
  } catch (cause) {
    throw inputError('CSV_PARSE_ERROR', `${path}:1: malformed CSV header`, { location: { file: path, line: 1 }, cause });
  }
  const header = records[0] ?? [];
  checkHeader(header, path, 10_000);
  return { header, delimiter: chosen };
}
