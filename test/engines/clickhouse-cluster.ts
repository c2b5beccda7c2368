// The tests' 2-shard ClickHouse cluster: started by scripts/clickhouse-cluster.sh on free loopback ports in a folder of
// its own, tables created on both nodes with a Distributed table over them, stopped by pid after the tests.

import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { createClient, ClickHouseLogLevel, type ClickHouseClient } from '@clickhouse/client';
import { REPO } from '../reliability/cli-harness.js';

const SCRIPT = join(REPO, 'scripts', 'clickhouse-cluster.sh');

/** Whether this machine can run the cluster (CI installs clickhouse-server; elsewhere the tests say how). */
export const CLICKHOUSE_AVAILABLE = ['/usr/bin/clickhouse-server', '/usr/sbin/clickhouse-server', '/usr/bin/clickhouse'].some((path) => existsSync(path));

/** In CI the cluster tests must run: a missing server fails them instead of skipping them. */
export const SKIP_CLICKHOUSE = !CLICKHOUSE_AVAILABLE && process.env.CI === undefined;

export interface Cluster {
  /** HTTP ports of node 1 (the one sources name) and node 2. */
  readonly ports: readonly [number, number];
  readonly node1: ClickHouseClient;
  readonly node2: ClickHouseClient;
  /** Creates `<name>_local` on both nodes and `<name>` (Distributed, sharded by id) on node 1, and fills it. */
  load(name: string, columns: readonly (readonly [string, string])[], rows: readonly Record<string, string | number>[]): Promise<void>;
  stop(): Promise<void>;
}

/** A base port with the six ports the script uses free (base, base+1, base+10, base+11, base+20, base+21). */
async function freeBase(): Promise<number> {
  for (let attempt = 0; attempt < 50; attempt++) {
    const base = 20_000 + Math.floor(Math.random() * 30_000);
    const ports = [0, 1, 10, 11, 20, 21].map((offset) => base + offset);
    if ((await Promise.all(ports.map(isFree))).every(Boolean)) return base;
  }
  throw new Error('no free ports for the ClickHouse cluster');
}

function isFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = createServer();
    server.once('error', () => resolve(false));
    server.listen(port, '127.0.0.1', () => server.close(() => resolve(true)));
  });
}

export function quoteName(name: string): string {
  return `\`${name.replace(/\\/g, '\\\\').replace(/`/g, '\\`')}\``;
}

export async function startCluster(): Promise<Cluster> {
  const base = await freeBase();
  const directory = join(REPO, 'test-artifacts', `clickhouse-${process.pid}-${base}`);
  mkdirSync(directory, { recursive: true });
  execFileSync('bash', [SCRIPT, 'start', directory, String(base)], { stdio: 'pipe', timeout: 60_000 });
  const client = (port: number) => createClient({ url: `http://127.0.0.1:${port}`, log: { level: ClickHouseLogLevel.OFF }, request_timeout: 120_000 });
  const node1 = client(base);
  const node2 = client(base + 1);
  return {
    ports: [base, base + 1],
    node1,
    node2,
    async load(name, columns, rows) {
      const definition = columns.map(([column, type]) => `${quoteName(column)} ${type}`).join(', ');
      for (const node of [node1, node2]) {
        await node.command({ query: `DROP TABLE IF EXISTS default.${quoteName(`${name}_local`)}` });
        await node.command({ query: `CREATE TABLE default.${quoteName(`${name}_local`)} (${definition}) ENGINE = MergeTree() ORDER BY id` });
      }
      await node1.command({ query: `DROP TABLE IF EXISTS default.${quoteName(name)}` });
      await node1.command({ query: `CREATE TABLE default.${quoteName(name)} AS default.${quoteName(`${name}_local`)} ENGINE = Distributed(cloak, default, ${quoteName(`${name}_local`)}, id)` });
      await node1.insert({ table: `default.${quoteName(name)}`, values: rows as Record<string, unknown>[], format: 'JSONEachRow', clickhouse_settings: { insert_distributed_sync: 1 } });
    },
    async stop() {
      await node1.close();
      await node2.close();
      execFileSync('bash', [SCRIPT, 'stop', directory], { stdio: 'pipe', timeout: 60_000 });
      rmSync(directory, { recursive: true, force: true });
    },
  };
}

/** A table's rows as text, header first, by id; NULL as ''. */
export async function tableRows(client: ClickHouseClient, table: string, columns: readonly string[]): Promise<string[][]> {
  const result = await client.query({ query: `SELECT ${columns.map((column) => `ifNull(toString(${quoteName(column)}), '')`).join(', ')} FROM ${table} ORDER BY toUInt64(id)`, format: 'JSONEachRow' });
  const rows = (await result.json()) as Record<string, string>[];
  return [columns.slice(), ...rows.map((row) => Object.values(row))];
}

/** Tables of the default database whose name marks them as Cloak's temporaries. */
export async function temporaryTables(client: ClickHouseClient): Promise<string[]> {
  const result = await client.query({ query: "SELECT name FROM system.tables WHERE database = 'default' AND name LIKE '%__cloak_%'", format: 'JSONEachRow' });
  return ((await result.json()) as { name: string }[]).map((row) => row.name);
}
