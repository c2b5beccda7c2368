// Where an engine reads and writes: file paths, `duckdb:FILE#table`, `clickhouse://[user[:password]@]host:port/db.table`
// parsed once, and their names for messages — with every credential removed (`redact`), whatever the message.

import { extname } from 'node:path';
import { usageError } from '../errors.js';

/** A file DuckDB reads or writes: CSV or Parquet. */
export interface FileLocation {
  readonly kind: 'file';
  readonly path: string;
  readonly format: 'csv' | 'parquet';
}

/** A table of a DuckDB database file (`duckdb:FILE#table` or `duckdb:FILE#schema.table`). */
export interface DuckDbTableLocation {
  readonly kind: 'duckdb-table';
  readonly database: string;
  readonly schema: string;
  readonly table: string;
}

/** A ClickHouse table; the server comes from the source URL (its HTTP port). */
export interface ClickHouseTableLocation {
  readonly kind: 'clickhouse-table';
  /** `http://host:port`, without credentials. */
  readonly server?: string;
  readonly user?: string;
  readonly password?: string;
  readonly database?: string;
  readonly table: string;
}

export type EngineLocation = FileLocation | DuckDbTableLocation | ClickHouseTableLocation;

/** The name of a location in messages and reports: never a password or a user name. */
export function locationName(location: EngineLocation): string {
  switch (location.kind) {
    case 'file':
      return location.path;
    case 'duckdb-table':
      return `duckdb:${location.database}#${location.schema === 'main' ? '' : `${location.schema}.`}${location.table}`;
    case 'clickhouse-table':
      return `${location.server === undefined ? '' : `${location.server.replace(/^http/, 'clickhouse')}/`}${location.database === undefined ? '' : `${location.database}.`}${location.table}`;
  }
}

/** Removes credentials from any text that may hold a URL (`scheme://user:password@host` → `scheme://host`). */
export function redact(text: string): string {
  return text.replace(/([a-z][a-z0-9+.-]*:\/\/)[^/@\s]*@/gi, '$1');
}

/**
 * Parses a `--source`/`--target` or a positional file for the given engine. `format` forces the format of a file;
 * otherwise `.parquet`/`.pq` is Parquet and anything else CSV.
 */
export function parseLocation(text: string, engine: 'duckdb' | 'clickhouse', role: 'source' | 'target', format?: 'csv' | 'parquet'): EngineLocation {
  if (engine === 'clickhouse') return parseClickHouse(text, role);
  if (/^duckdb:/i.test(text)) {
    const rest = text.slice('duckdb:'.length);
    const hash = rest.lastIndexOf('#');
    const database = hash === -1 ? '' : rest.slice(0, hash);
    const name = hash === -1 ? '' : rest.slice(hash + 1);
    const dot = name.indexOf('.');
    const [schema, table] = dot === -1 ? ['main', name] : [name.slice(0, dot), name.slice(dot + 1)];
    if (database === '' || table === '' || schema === '') throw usageError('ENGINE_LOCATION_INVALID', `--${role}: expected duckdb:FILE#table (or duckdb:FILE#schema.table), got "${redact(text)}"`);
    return { kind: 'duckdb-table', database, schema, table };
  }
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(text)) throw usageError('ENGINE_LOCATION_INVALID', `--${role}: the duckdb engine reads files and duckdb:FILE#table, not "${redact(text)}"`);
  if (text === '-') throw usageError('ENGINE_LOCATION_INVALID', `the duckdb engine reads and writes files, not stdin or stdout (-)`);
  return { kind: 'file', path: text, format: format ?? fileFormatOf(text) };
}

/** Parquet by extension, CSV otherwise. */
export function fileFormatOf(path: string): 'csv' | 'parquet' {
  const extension = extname(path).toLowerCase();
  return extension === '.parquet' || extension === '.pq' ? 'parquet' : 'csv';
}

/** `clickhouse://[user[:password]@]host:port/db.table` for a source, `[db.]table` (or such a URL) for a target. */
function parseClickHouse(text: string, role: 'source' | 'target'): ClickHouseTableLocation {
  const invalid = (expected: string) => usageError('ENGINE_LOCATION_INVALID', `--${role}: expected ${expected}, got "${redact(text)}"`);
  if (!/^clickhouse:\/\//i.test(text)) {
    if (role === 'source') throw invalid('clickhouse://host:port/database.table (the HTTP port)');
    return { kind: 'clickhouse-table', ...tableName(text, () => invalid('database.table')) };
  }
  let url: URL;
  try {
    url = new URL(`http://${text.slice('clickhouse://'.length)}`);
  } catch {
    throw invalid('clickhouse://host:port/database.table');
  }
  const path = decodeURIComponent(url.pathname.replace(/^\//, ''));
  if (url.search !== '' || url.hash !== '' || path === '') throw invalid('clickhouse://host:port/database.table');
  return {
    kind: 'clickhouse-table',
    server: `http://${url.host}`,
    ...(url.username === '' ? {} : { user: decodeURIComponent(url.username) }),
    ...(url.password === '' ? {} : { password: decodeURIComponent(url.password) }),
    ...tableName(path, () => invalid('clickhouse://host:port/database.table')),
  };
}

function tableName(text: string, invalid: () => Error): { database?: string; table: string } {
  const dot = text.indexOf('.');
  const [database, table] = dot === -1 ? [undefined, text] : [text.slice(0, dot), text.slice(dot + 1)];
  if (table === '' || database === '' || /[\s/]/.test(text)) throw invalid();
  return database === undefined ? { table } : { database, table };
}
