// Sources and targets as users write them, and the names messages use: never a user name or a password.

import { describe, expect, it } from 'vitest';
import { locationName, parseLocation, redact } from '../../src/engines/locations.js';
import { engineOptionProblems, parseMemorySize } from '../../src/engines/engine.js';

describe('engine locations', () => {
  it('parses files, duckdb tables and ClickHouse URLs', () => {
    expect(parseLocation('data/big.parquet', 'duckdb', 'source')).toEqual({ kind: 'file', path: 'data/big.parquet', format: 'parquet' });
    expect(parseLocation('data/big.txt', 'duckdb', 'source', 'parquet')).toEqual({ kind: 'file', path: 'data/big.txt', format: 'parquet' });
    expect(parseLocation('duckdb:w.duckdb#people', 'duckdb', 'source')).toEqual({ kind: 'duckdb-table', database: 'w.duckdb', schema: 'main', table: 'people' });
    expect(parseLocation('duckdb:w#dw.people', 'duckdb', 'target')).toEqual({ kind: 'duckdb-table', database: 'w', schema: 'dw', table: 'people' });
    expect(parseLocation('clickhouse://ann:s%40cret@db.example:8123/sales.people', 'clickhouse', 'source')).toEqual({
      kind: 'clickhouse-table',
      server: 'http://db.example:8123',
      user: 'ann',
      password: 's@cret',
      database: 'sales',
      table: 'people',
    });
    expect(parseLocation('sales.people_anonymized', 'clickhouse', 'target')).toEqual({ kind: 'clickhouse-table', database: 'sales', table: 'people_anonymized' });
  });

  it('names locations without credentials, and refuses malformed ones without echoing a password', () => {
    const location = parseLocation('clickhouse://ann:hunter2@db:8123/sales.people', 'clickhouse', 'source');
    expect(locationName(location)).toBe('clickhouse://db:8123/sales.people');
    expect(redact('failed: clickhouse://ann:hunter2@db:8123/x and http://u:p@h/')).toBe('failed: clickhouse://db:8123/x and http://h/');
    for (const [text, engine, role] of [
      ['clickhouse://ann:hunter2@db:8123/', 'clickhouse', 'source'],
      ['http://ann:hunter2@db/x.y', 'duckdb', 'source'],
      ['clickhouse://ann:hunter2@db:8123/a.b?x=1', 'clickhouse', 'source'],
      ['duckdb:#t', 'duckdb', 'target'],
      ['-', 'duckdb', 'target'],
    ] as const) {
      expect(() => parseLocation(text, engine, role)).toThrow();
      try {
        parseLocation(text, engine, role);
      } catch (error) {
        expect((error as Error).message).not.toContain('hunter2');
      }
    }
  });

  it('reads memory sizes and checks engine options at once', () => {
    expect(parseMemorySize('1GB')).toBe(2 ** 30);
    expect(parseMemorySize('512 MiB')).toBe(512 * 2 ** 20);
    expect(parseMemorySize('2000000')).toBe(2_000_000);
    expect(parseMemorySize('lots')).toBeUndefined();
    expect(engineOptionProblems({ type: 'duckdb', memoryLimit: 'lots', threads: 0, user: 'x' })).toHaveLength(3);
    expect(engineOptionProblems({ type: 'spark' })).toEqual(['engine.type: must be duckdb or clickhouse']);
    expect(engineOptionProblems({ type: 'clickhouse', memoryLimit: '4GB', user: 'ann', password: 'p' })).toEqual([]);
  });
});
