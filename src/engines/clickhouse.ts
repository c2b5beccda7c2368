// The ClickHouse dialect (through @clickhouse/client, checked against 18.16): a table (or a Distributed table over the
// shards) in, a table on the same server out; quoting and escaping (18.16 has no query parameters), transform() maps.

import { CloakError, ExitCode, inputError, usageError } from '../errors.js';
import { classKey, keysPack, loadOptional, memoryExceeded, parseMemorySize, type ClickHouseEngineOptions, type CodedHistogram, type EngineSession, type QueryListener, type ReleaseSpec } from './engine.js';
import { HistogramBuilder } from './histogram-builder.js';
import { locationName, redact, type ClickHouseTableLocation, type EngineLocation } from './locations.js';

type ClickHouseApi = typeof import('@clickhouse/client');
type Client = import('@clickhouse/client').ClickHouseClient;

/** Queries carry value lists (transform() arrays, suppressed keys): the parser's limit is raised for them. */
const MAX_QUERY_BYTES = 1024 ** 3;
const DEFAULT_TIMEOUT_MS = 3_600_000;

/** An identifier in backquotes, backslashes and backquotes escaped: any column or table name, never an injection. */
export function clickHouseIdentifier(name: string): string {
  return `\`${name.replace(/\\/g, '\\\\').replace(/`/g, '\\`')}\``;
}

/**
 * A string literal: ClickHouse reads backslash escapes in quoted strings, so backslashes and quotes are escaped, and
 * NUL as `\0`. 18.16 has no query parameters: every value reaches ClickHouse through this one function.
 */
export function clickHouseString(value: string): string {
  return `'${value.replace(/\\/g, '\\\\').replace(/'/g, "\\'").replace(/\u0000/g, '\\0')}'`;
}

/** One field of ClickHouse's TabSeparated output, unescaped. */
export function unescapeTabSeparated(field: string): string {
  if (!field.includes('\\')) return field;
  return field.replace(/\\(.)/gs, (_, next: string) => TSV_ESCAPES[next] ?? next);
}

const TSV_ESCAPES: Record<string, string> = { b: '\b', f: '\f', r: '\r', n: '\n', t: '\t', '0': '\u0000' };

export interface ClickHouseSessionOptions {
  readonly engine: ClickHouseEngineOptions;
  readonly target?: EngineLocation;
  readonly overwrite?: boolean;
  readonly onQuery?: QueryListener;
}

/** Connects to the server of the source URL; every query runs there (a Distributed source reads every shard). */
export async function openClickHouseSession(source: EngineLocation, options: ClickHouseSessionOptions): Promise<EngineSession> {
  if (source.kind !== 'clickhouse-table' || source.server === undefined) throw usageError('ENGINE_LOCATION_INVALID', '--source: the clickhouse engine reads clickhouse://host:port/database.table');
  if (options.target !== undefined && options.target.kind !== 'clickhouse-table') throw usageError('ENGINE_LOCATION_INVALID', '--target: the clickhouse engine writes a table (database.table) on the source\'s server');
  const api = await loadOptional<ClickHouseApi>('@clickhouse/client', 'clickhouse');
  const memory = options.engine.memoryLimit === undefined ? undefined : parseMemorySize(options.engine.memoryLimit);
  const client = api.createClient({
    url: source.server,
    username: options.engine.user ?? source.user ?? process.env.CLICKHOUSE_USER ?? 'default',
    password: options.engine.password ?? source.password ?? process.env.CLICKHOUSE_PASSWORD ?? '',
    request_timeout: options.engine.requestTimeoutMs ?? DEFAULT_TIMEOUT_MS,
    // The client's own log would print server messages (which may quote values) on stderr.
    log: { level: api.ClickHouseLogLevel.OFF },
    clickhouse_settings: { max_query_size: String(MAX_QUERY_BYTES), ...(memory === undefined ? {} : { max_memory_usage: String(memory) }) } as never,
  });
  const session = new ClickHouseSession(client, source, options);
  try {
    await session.prepare();
  } catch (error) {
    await session.close();
    throw error;
  }
  return session;
}

interface Column {
  readonly name: string;
  readonly type: string;
}

class ClickHouseSession implements EngineSession {
  readonly sourceName: string;
  readonly targetName: string | undefined;
  private readonly relation: string;
  private readonly database: string;
  private columnsOf: Column[] = [];
  private temporary: string | undefined;
  private targetExists = false;
  private closed = false;

  constructor(
    private readonly client: Client,
    private readonly source: ClickHouseTableLocation,
    private readonly options: ClickHouseSessionOptions,
  ) {
    this.sourceName = locationName(source);
    this.database = source.database ?? 'default';
    this.relation = `${clickHouseIdentifier(this.database)}.${clickHouseIdentifier(source.table)}`;
    const target = options.target as ClickHouseTableLocation | undefined;
    this.targetName = target === undefined ? undefined : `${target.database ?? this.database}.${target.table}`;
  }

  /** Reaches the server, reads the source's columns, and refuses an existing target unless asked to replace it. */
  async prepare(): Promise<void> {
    const rows = await this.rows('describe the source', `DESCRIBE TABLE ${this.relation}`);
    this.columnsOf = rows.map((fields) => ({ name: fields[0], type: fields[1] }));
    const target = this.options.target as ClickHouseTableLocation | undefined;
    if (target === undefined) return;
    if (target.server !== undefined && target.server !== this.source.server) throw usageError('ENGINE_TARGET_INVALID', `--target: the clickhouse engine writes on the source's server (${redact(this.source.server ?? '')})`);
    const database = target.database ?? this.database;
    if (database === this.database && target.table === this.source.table) throw usageError('OUTPUT_IS_INPUT', `the target is the source (${this.targetName}); choose another table`);
    const exists = await this.rows('look the target up', `EXISTS TABLE ${clickHouseIdentifier(database)}.${clickHouseIdentifier(target.table)}`);
    this.targetExists = exists[0]?.[0] === '1';
    if (this.targetExists && this.options.overwrite !== true) throw usageError('TARGET_EXISTS', `${this.targetName} exists; give --overwrite (overwrite: true) to replace it`, { location: { file: this.targetName } });
  }

  async columns(): Promise<readonly string[]> {
    return this.columnsOf.map((column) => column.name);
  }

  async histogram(columns: readonly string[]): Promise<CodedHistogram> {
    const dictionaries: string[][] = [];
    for (const name of columns) {
      const values = await this.rows('list the distinct values', `SELECT ${asText(clickHouseIdentifier(name))} AS v FROM ${this.relation} GROUP BY v ORDER BY v`);
      dictionaries.push(values.map((fields) => fields[0]));
    }
    // Codes are 1-based so that 0 marks a value the first queries did not see (the data changed meanwhile).
    const coded = columns.map((name, c) => `transform(${asText(clickHouseIdentifier(name))}, [${dictionaries[c].map(clickHouseString).join(', ')}], [${dictionaries[c].map((_, code) => code + 1).join(', ')}], 0)`);
    const radices = dictionaries.map((dictionary) => dictionary.length + 1);
    const builder = new HistogramBuilder(columns, this.sourceName, dictionaries);
    const codes = new Int32Array(columns.length);
    const changed = () => inputError('PLAN_SOURCE_CHANGED', `${this.sourceName}: the data changed while it was counted; run again`, { location: { file: this.sourceName } });
    if (keysPack(radices)) {
      // One number per tuple (the codes packed as a class key): grouping by one integer is about twice as fast.
      const key = classKeyExpression(coded.map((codes, c) => ({ codes, radix: radices[c] })));
      await this.stream('count the tuples', `SELECT ${key} AS cloak_key, count() FROM ${this.relation} GROUP BY cloak_key`, (fields) => {
        let rest = Number(fields[0]);
        for (let c = 0; c < columns.length; c++) {
          const code = rest % radices[c];
          rest = (rest - code) / radices[c];
          if (code === 0) throw changed();
          codes[c] = code - 1;
        }
        builder.addCodes(codes, Number(fields[1]));
      });
      return builder.finish();
    }
    await this.stream('count the tuples', `SELECT ${coded.map((expression, c) => `${expression} AS k${c}`).join(', ')}, count() FROM ${this.relation} GROUP BY ${columns.map((_, c) => `k${c}`).join(', ')}`, (fields) => {
      for (let c = 0; c < columns.length; c++) {
        codes[c] = Number(fields[c]) - 1;
        if (codes[c] < 0) throw changed();
      }
      builder.addCodes(codes, Number(fields[columns.length]));
    });
    return builder.finish();
  }

  async writeRelease(release: ReleaseSpec): Promise<void> {
    const target = this.options.target as ClickHouseTableLocation;
    const database = target.database ?? this.database;
    const name = `${target.table}__cloak_${process.pid}_${Math.random().toString(36).slice(2, 10)}`;
    this.temporary = `${clickHouseIdentifier(database)}.${clickHouseIdentifier(name)}`;
    const types = new Map(this.columnsOf.map((column) => [column.name, column.type]));
    const definition = release.columns.map((column) => `${clickHouseIdentifier(column.name)} ${column.kind === 'keep' ? types.get(column.name) : 'String'}`).join(', ');
    await this.run('create the release table', `CREATE TABLE ${this.temporary} (${definition}) ENGINE = MergeTree() ORDER BY tuple()`);
    await this.run('write the release', `INSERT INTO ${this.temporary} SELECT ${this.releaseExpressions(release).join(', ')} FROM ${this.relation}`);
  }

  async tallyRelease(columns: readonly string[]): Promise<CodedHistogram> {
    const builder = new HistogramBuilder(columns, this.sourceName);
    const grouped = columns.map((name, c) => `${asText(clickHouseIdentifier(name))} AS g${c}`);
    await this.stream('re-aggregate the release', `SELECT ${grouped.join(', ')}, count() FROM ${this.temporary} GROUP BY ${columns.map((_, c) => `g${c}`).join(', ')}`, (fields) => {
      builder.addValues(fields.slice(0, columns.length).map(unescapeTabSeparated), Number(fields[columns.length]));
    });
    return builder.finish();
  }

  async publish(): Promise<void> {
    if (this.temporary === undefined) return;
    const target = this.options.target as ClickHouseTableLocation;
    const final = `${clickHouseIdentifier(target.database ?? this.database)}.${clickHouseIdentifier(target.table)}`;
    if (this.targetExists) {
      // The old table steps aside and the new one takes its name in one RENAME; the old one is dropped after.
      const old = `${clickHouseIdentifier(target.database ?? this.database)}.${clickHouseIdentifier(`${target.table}__cloak_old_${process.pid}`)}`;
      await this.run('publish the release', `RENAME TABLE ${final} TO ${old}, ${this.temporary} TO ${final}`);
      this.temporary = undefined;
      await this.run('drop the replaced table', `DROP TABLE IF EXISTS ${old}`);
    } else {
      await this.run('publish the release', `RENAME TABLE ${this.temporary} TO ${final}`);
      this.temporary = undefined;
    }
  }

  async discard(): Promise<void> {
    if (this.temporary === undefined || this.closed) return;
    const table = this.temporary;
    this.temporary = undefined;
    await this.client.command({ query: `DROP TABLE IF EXISTS ${table}` }).catch(() => undefined);
  }

  async close(): Promise<void> {
    if (this.closed) return;
    await this.discard();
    this.closed = true;
    await this.client.close().catch(() => undefined);
  }

  /**
   * The SELECT list of the release: labels by transform(), the suppressed classes by their keys IN a literal set
   * (computed once, as the alias cloak_suppressed of the first generalized column), identifying columns `*`.
   */
  private releaseExpressions(release: ReleaseSpec): string[] {
    const star = clickHouseString(release.suppressedValue);
    const generalized = release.columns.flatMap((column) => (column.kind === 'generalize' ? [column] : []));
    const radices = generalized.map((column) => column.radix);
    let suppressed = '0';
    if (release.suppressed.length > 0) {
      const codes = generalized.map((column) => ({
        codes: `transform(${asText(clickHouseIdentifier(column.name))}, [${column.values.map(clickHouseString).join(', ')}], [${Array.from(column.codes).join(', ')}], 0)`,
        radix: column.radix,
      }));
      const keys = [...new Set(release.suppressed.map((classCodes) => classKey(classCodes, radices)))];
      suppressed = `(${classKeyExpression(codes)}) IN (${keys.map((key) => (keysPack(radices) ? key : clickHouseString(key))).join(', ')})`;
    }
    let aliased = false;
    return release.columns.map((column) => {
      if (column.kind === 'keep') return clickHouseIdentifier(column.name);
      if (column.kind === 'identifying') return star;
      const labels = `transform(${asText(clickHouseIdentifier(column.name))}, [${column.values.map(clickHouseString).join(', ')}], [${column.labels.map(clickHouseString).join(', ')}], '')`;
      const condition = aliased ? 'cloak_suppressed' : `(${suppressed}) AS cloak_suppressed`;
      aliased = true;
      return `if(${condition}, ${star}, ${labels})`;
    });
  }

  private async run(description: string, query: string): Promise<void> {
    const started = performance.now();
    try {
      await this.client.command({ query });
    } catch (error) {
      throw this.failure(description, error);
    }
    this.options.onQuery?.(description, performance.now() - started);
  }

  /** A small result as rows of unescaped fields. */
  private async rows(description: string, query: string): Promise<string[][]> {
    const rows: string[][] = [];
    await this.stream(description, query, (fields) => rows.push(fields.map(unescapeTabSeparated)));
    return rows;
  }

  /** Streams a TabSeparated result row by row (fields still escaped). */
  private async stream(description: string, query: string, onRow: (fields: string[]) => void): Promise<void> {
    const started = performance.now();
    try {
      const result = await this.client.query({ query, format: 'TabSeparated' });
      for await (const rows of result.stream()) for (const row of rows) onRow(row.text.split('\t'));
    } catch (error) {
      throw this.failure(description, error);
    }
    this.options.onQuery?.(description, performance.now() - started);
  }

  /**
   * The client's or server's error as a CloakError. Server messages may quote values and the query, so only the error
   * code is kept; the original stays as the cause, for CLOAK_DEBUG.
   */
  private failure(description: string, error: unknown): CloakError {
    if (error instanceof CloakError) return error;
    const message = error instanceof Error ? error.message : String(error);
    const network = (error as NodeJS.ErrnoException | undefined)?.code;
    const code = Number(/Code:\s*(\d+)/.exec(message)?.[1] ?? (error as { code?: string } | undefined)?.code);
    const where = this.sourceName;
    const server = redact(this.source.server ?? '');
    if (typeof network === 'string' && /^(ECONNREFUSED|ENOTFOUND|EHOSTUNREACH|ETIMEDOUT|ECONNRESET|EAI_AGAIN)$/.test(network)) {
      return inputError('ENGINE_UNREACHABLE', `cannot reach the ClickHouse server ${server} (${network}); is it running, and is the port its HTTP port?`, { location: { file: where }, cause: error });
    }
    if (/timeout/i.test(message) && !Number.isFinite(code)) return inputError('ENGINE_UNREACHABLE', `the ClickHouse server ${server} did not answer in time`, { location: { file: where }, cause: error });
    if (code === 192 || code === 193 || code === 194 || code === 516) {
      return new CloakError('ENGINE_AUTH_FAILED', `the ClickHouse server ${server} refused the credentials (user or password); give them in the source URL or CLICKHOUSE_USER and CLICKHOUSE_PASSWORD`, { exitCode: ExitCode.usage, cause: error });
    }
    if (code === 241) return memoryExceeded('clickhouse', '--engine-memory (engine.memoryLimit) or the server\'s max_memory_usage');
    if (code === 60 || code === 81) {
      const what = description === 'describe the source' ? where : (this.targetName ?? where);
      return inputError('ENGINE_TABLE_NOT_FOUND', `${what}: no such ${code === 81 ? 'database' : 'table'}`, { location: { file: what }, cause: error });
    }
    if (code === 164 || code === 497) return new CloakError('ENGINE_ACCESS_DENIED', `the ClickHouse user may not ${description} (code ${code})`, { exitCode: ExitCode.usage, cause: error });
    return inputError('ENGINE_QUERY_FAILED', `${where}: ClickHouse failed to ${description}${Number.isFinite(code) ? ` (code ${code})` : ''}`, { location: { file: where }, cause: error });
  }
}

/** A column's values as text, NULL as the empty string. */
function asText(expression: string): string {
  return `ifNull(toString(${expression}), '')`;
}

/** The SQL of `classKey` over per-column code expressions (UInt64 arithmetic, or text joined with commas). */
export function classKeyExpression(columns: readonly { readonly codes: string; readonly radix: number }[]): string {
  if (!keysPack(columns.map((column) => column.radix))) return `concat(${columns.map((column) => `toString(${column.codes})`).join(", ',', ")})`;
  let key = '';
  for (let j = columns.length - 1; j >= 0; j--) key = key === '' ? `toUInt64(${columns[j].codes})` : `(${key}) * ${columns[j].radix} + ${columns[j].codes}`;
  return key;
}

