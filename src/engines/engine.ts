// The seam between Cloak and an SQL engine: what a dialect module must do (count a source's tuples, write a release to a
// private temporary place, re-aggregate it, publish it atomically), and the engine options users give. No SQL here.

import { CloakError, ExitCode, usageError } from '../errors.js';

/** Engine options of the library (`engine: { type, … }`) and the CLI (`--engine`, `--engine-memory`, `--engine-temp`). */
export type EngineOptions = DuckDbEngineOptions | ClickHouseEngineOptions;

export interface DuckDbEngineOptions {
  readonly type: 'duckdb';
  /**
   * Memory DuckDB may use, e.g. `1GB`, `512MiB` (default 1 GiB, which keeps the whole process under about 2 GiB);
   * beyond it, DuckDB spills to `tempDirectory`.
   */
  readonly memoryLimit?: string;
  /** Where DuckDB spills (default: a private folder in the system's temporary directory, removed afterwards). */
  readonly tempDirectory?: string;
  /** Worker threads (default: DuckDB's, one per core). */
  readonly threads?: number;
}

export interface ClickHouseEngineOptions {
  readonly type: 'clickhouse';
  /** Default: from the source URL, else `CLICKHOUSE_USER`, else `default`. */
  readonly user?: string;
  /** Default: from the source URL, else `CLICKHOUSE_PASSWORD`, else none. */
  readonly password?: string;
  /** `max_memory_usage` of every query, e.g. `4GB` (default: the server's). */
  readonly memoryLimit?: string;
  /** Timeout of one query in milliseconds (default 1 hour). */
  readonly requestTimeoutMs?: number;
}

/** What an engine run did besides the release, for reports: the engine, where it read and wrote, its queries. */
export interface EngineRunFacts {
  readonly type: EngineOptions['type'];
  /** Names without credentials. */
  readonly source: string;
  readonly target?: string;
  /** Every query, in order: what it did (never its SQL, which holds data values) and how long it took. */
  readonly queries: readonly { readonly query: string; readonly ms: number }[];
}

/** Distinct tuples of some columns with their record counts: per column a dictionary and one code per tuple. */
export interface CodedHistogram {
  readonly columns: readonly { readonly name: string; readonly dictionary: readonly string[] }[];
  /** codes[c][t]: the code of column c's value in tuple t. */
  readonly codes: readonly Int32Array[];
  /** Records per tuple. */
  readonly counts: Int32Array;
  readonly tuples: number;
}

/** How the release treats one column of the source, in the source's order. */
export type ReleaseColumn =
  | { readonly name: string; readonly kind: 'keep' }
  | { readonly name: string; readonly kind: 'identifying' }
  | {
      readonly name: string;
      readonly kind: 'generalize';
      /** The column's distinct values (as strings, NULL as ''), … */
      readonly values: readonly string[];
      /** … the label of each at the plan's level, … */
      readonly labels: readonly string[];
      /** … and its label code, which the class keys of `suppressed` are made of. */
      readonly codes: Int32Array;
      /** Label codes are below this. */
      readonly radix: number;
    };

/** What to write: every column's treatment, and the classes (label-code tuples) whose records are suppressed. */
export interface ReleaseSpec {
  readonly columns: readonly ReleaseColumn[];
  /** Label codes of each suppressed class, in the order of the `generalize` columns. */
  readonly suppressed: readonly Int32Array[];
  readonly suppressedValue: string;
}

/** One query's report, for progress events: a short description, never its SQL (it holds data values). */
export type QueryListener = (query: string, ms: number) => void;

/**
 * One run against an engine: a source, and (to apply) a target. Every method may throw a CloakError; none puts a
 * credential or a cell value in a message.
 */
export interface EngineSession {
  /** The source's name in messages: a path or a table, credentials removed. */
  readonly sourceName: string;
  readonly targetName: string | undefined;
  /** The source's columns, in order. */
  columns(): Promise<readonly string[]>;
  /** Distinct tuples of `columns` with their record counts; values as strings, NULL as the empty string. */
  histogram(columns: readonly string[]): Promise<CodedHistogram>;
  /** Writes the release into a private temporary table or file; nothing is visible at the target yet. */
  writeRelease(release: ReleaseSpec): Promise<void>;
  /** Distinct tuples of `columns` of the temporary release with their record counts (its independent re-check). */
  tallyRelease(columns: readonly string[]): Promise<CodedHistogram>;
  /** Moves the checked release to the target in one step, replacing it only when `overwrite` was given. */
  publish(): Promise<void>;
  /** Removes whatever is temporary; safe to call at any time, twice, or after `publish`. */
  discard(): Promise<void>;
  close(): Promise<void>;
}

/**
 * The key of a class from its label codes (code j below radix j): a number, Σ code_j × Π_{i<j} radix_i, when every key
 * fits 2^53, else the codes joined with commas. Each dialect's `classKeyExpression` is the same rule in SQL.
 */
export function classKey(codes: ArrayLike<number>, radices: readonly number[]): string {
  if (!keysPack(radices)) return Array.from(codes).join(',');
  let key = 0;
  for (let j = codes.length - 1; j >= 0; j--) key = key * radices[j] + codes[j];
  return String(key);
}

/** Whether class keys over these radices fit exact numbers. */
export function keysPack(radices: readonly number[]): boolean {
  return radices.reduce((space, radix) => space * Math.max(1, radix), 1) < Number.MAX_SAFE_INTEGER;
}

/** Parses a memory size (`1GB`, `512 MiB`, `2000000000`) into bytes; undefined when malformed. */
export function parseMemorySize(text: string): number | undefined {
  const match = /^\s*(\d+(?:\.\d+)?)\s*(b|kb|mb|gb|tb|kib|mib|gib|tib|k|m|g|t)?\s*$/i.exec(text);
  if (match === null) return undefined;
  const unit = (match[2] ?? 'b').toLowerCase();
  const power = { b: 0, k: 1, kb: 1, kib: 1, m: 2, mb: 2, mib: 2, g: 3, gb: 3, gib: 3, t: 4, tb: 4, tib: 4 }[unit]!;
  const bytes = Math.floor(Number(match[1]) * 1024 ** power);
  return bytes >= 1 ? bytes : undefined;
}

/** Problems of engine options, for the one validation at the edge. */
export function engineOptionProblems(engine: unknown): string[] {
  if (typeof engine !== 'object' || engine === null) return ['engine: must be { type: "duckdb" | "clickhouse", … }'];
  const options = engine as { readonly [field: string]: unknown };
  const problems: string[] = [];
  if (options.type !== 'duckdb' && options.type !== 'clickhouse') problems.push('engine.type: must be duckdb or clickhouse');
  if (options.memoryLimit !== undefined && (typeof options.memoryLimit !== 'string' || parseMemorySize(options.memoryLimit) === undefined)) {
    problems.push('engine.memoryLimit: expected a size such as 512MB or 2GiB');
  }
  if (options.tempDirectory !== undefined && (options.type !== 'duckdb' || typeof options.tempDirectory !== 'string' || options.tempDirectory === '')) {
    problems.push('engine.tempDirectory: a folder path, for the duckdb engine only');
  }
  if (options.threads !== undefined && (options.type !== 'duckdb' || !Number.isInteger(options.threads) || (options.threads as number) < 1)) problems.push('engine.threads: an integer ≥ 1, for the duckdb engine only');
  if (options.requestTimeoutMs !== undefined && (options.type !== 'clickhouse' || !Number.isInteger(options.requestTimeoutMs) || (options.requestTimeoutMs as number) < 1)) {
    problems.push('engine.requestTimeoutMs: an integer ≥ 1, for the clickhouse engine only');
  }
  for (const field of ['user', 'password'] as const) {
    if (options[field] !== undefined && (options.type !== 'clickhouse' || typeof options[field] !== 'string')) problems.push(`engine.${field}: a string, for the clickhouse engine only`);
  }
  return problems;
}

/** Loads an optional peer dependency, or says what to install. */
export async function loadOptional<T>(name: '@duckdb/node-api' | '@clickhouse/client', engine: string): Promise<T> {
  try {
    return (await import(name)) as T;
  } catch (cause) {
    throw usageError('ENGINE_NOT_INSTALLED', `the ${engine} engine needs the package ${name}: install it next to cloak (npm install ${name})`, { cause });
  }
}

/** The error of a query the engine killed for exceeding its memory limit (exit 3). */
export function memoryExceeded(engine: string, flag: string): CloakError {
  return new CloakError('ENGINE_MEMORY_EXCEEDED', `the ${engine} engine ran out of memory for a query; raise ${flag} (or give the engine more room) and run again; nothing was written`, {
    exitCode: ExitCode.input,
  });
}
