// The clickhouse engine on a real 2-shard cluster (ClickHouse 18.16 here and in CI): the in-memory answers from a
// Distributed table, atomic publish, and bad input — unreachable server, wrong credentials, missing table or column,
// uncovered values, the memory limit, an existing target — each a clear error, nothing published, no secret shown.

import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { clickHouseIdentifier, clickHouseString, unescapeTabSeparated } from '../../src/engines/clickhouse.js';
import { anonymizeCsv, applyPlanToFile, CloakError, plan, type AnonymizeOptions } from '../../src/index.js';
import { readCsvFile } from '../../src/io/csv-reader.js';
import { arbitraryDataset } from '../groupify/random-data.js';
import { buildCli, runCli } from '../reliability/cli-harness.js';
import { CLICKHOUSE_AVAILABLE, SKIP_CLICKHOUSE, startCluster, tableRows, temporaryTables, type Cluster } from './clickhouse-cluster.js';
import { AWKWARD_PREFIXES, byId, csvRows, datasetJob, expectSameSolution } from './helpers.js';
import { ADULT_DIR, noteAdultSkip, SKIP_ADULT } from '../adult-dataset.js';

const ADULT = ADULT_DIR;
const ADULT_QI = ['sex', 'age', 'race', 'marital-status', 'education', 'native-country', 'workclass', 'occupation', 'salary-class'];
const PASSWORD = 'cloak-test-password';

if (SKIP_CLICKHOUSE) console.log('clickhouse engine tests skipped: clickhouse-server is not installed (apt-get install -y clickhouse-server clickhouse-client; CI installs it)');
if (!SKIP_CLICKHOUSE) noteAdultSkip('clickhouse Adult test');

const directory = mkdtempSync(join(tmpdir(), 'cloak-clickhouse-'));
afterAll(() => rmSync(directory, { recursive: true, force: true }));

describe.skipIf(SKIP_CLICKHOUSE)('clickhouse engine on a 2-shard cluster', () => {
  let cluster: Cluster;
  let url: (table: string, credentials?: string) => string;
  beforeAll(async () => {
    if (!CLICKHOUSE_AVAILABLE) throw new Error('clickhouse-server is not installed; CI must install it (see .ci/run)');
    cluster = await startCluster();
    url = (table, credentials = '') => `clickhouse://${credentials}127.0.0.1:${cluster.ports[0]}/default.${table}`;
  }, 120_000);
  afterAll(async () => cluster?.stop(), 60_000);

  /** Loads a CSV file (header, `id` first) as a Distributed table of Strings (id UInt64). */
  async function loadCsv(name: string, file: string): Promise<string[]> {
    const { table } = await readCsvFile(file);
    const columns = table.columns.map((column) => [column.name, column.name === 'id' ? 'UInt64' : 'String'] as const);
    const rows = Array.from({ length: table.rowCount }, (_, r) => Object.fromEntries(table.columns.map((column) => [column.name, column.name === 'id' ? Number(column.dictionary[column.codes[r]]) : column.dictionary[column.codes[r]]])));
    await cluster.load(name, columns, rows);
    return table.columns.map((column) => column.name);
  }

  it('quotes and escapes every string so that ClickHouse reads it back', async () => {
    const text = fc.string({ unit: fc.constantFrom('a', "'", '"', '\\', '`', ',', '\n', '\t', ' ', 'é', '😀', '\u0000', '\r'), maxLength: 10 });
    await fc.assert(
      fc.asyncProperty(fc.array(text, { minLength: 1, maxLength: 6 }), async (values) => {
        const result = await cluster.node1.query({ query: `SELECT ${values.map((value, i) => `${clickHouseString(value)} AS ${clickHouseIdentifier(`${value}#${i}`)}`).join(', ')}`, format: 'TabSeparatedWithNames' });
        const [names, fields] = (await result.text()).replace(/\n$/, '').split('\n').map((line) => line.split('\t').map(unescapeTabSeparated));
        expect(fields).toEqual(values);
        expect(names).toEqual(values.map((value, i) => `${value}#${i}`));
      }),
      { numRuns: 30, seed: 5 },
    );
  });

  it('gives the in-memory answers over random tables read across both shards', async () => {
    let runs = 0;
    let solved = 0;
    await fc.assert(
      fc.asyncProperty(arbitraryDataset(), fc.constantFrom(...AWKWARD_PREFIXES), fc.integer({ min: 1, max: 4 }), fc.constantFrom(0, 0.2), fc.boolean(), async (dataset, prefix, k, limit, diverse) => {
        const input = join(directory, `random-${runs++}.csv`);
        const options = datasetJob(dataset, input, { prefix, k, limit, diverse, emptyValue: false });
        const memoryOutput = join(directory, 'random-memory.csv');
        const memory = await anonymizeCsv({ input, output: memoryOutput, options }).catch((error: unknown) => error);
        const columns = await loadCsv('random', input);
        await cluster.node1.command({ query: 'DROP TABLE IF EXISTS default.random_anonymized' });
        const engine = await anonymizeCsv({ source: url('random'), target: 'default.random_anonymized', options, engine: { type: 'clickhouse' } }).catch((error: unknown) => error);
        if (memory instanceof CloakError) {
          expect((engine as CloakError).code).toBe(memory.code);
          expect(await temporaryTables(cluster.node1)).toEqual([]);
          return;
        }
        if (engine instanceof Error) throw engine;
        expectSameSolution(engine as never, memory as never);
        solved++;
        const released = await tableRows(cluster.node1, 'default.random_anonymized', columns);
        expect(released).toEqual(byId(csvRows(readFileSync(memoryOutput, 'utf8'))));
      }),
      { numRuns: 8, seed: 20_260_119 },
    );
    expect(solved).toBeGreaterThan(3);
    expect(await temporaryTables(cluster.node1)).toEqual([]);
  });

  it('counts and suppresses by codes too wide to pack into one number (six attributes of 1,000 values)', async () => {
    const input = join(directory, 'wide.csv');
    const names = ['q0', 'q1', 'q2', 'q3', 'q4', 'q5'];
    const lines = [['id', ...names].join(',')];
    for (let i = 0; i < 2000; i++) {
      const tuple = i < 1990 ? Math.floor(i / 2) : 5000 + i;
      lines.push([String(i), ...names.map((_, j) => `w${(tuple * (j + 3)) % 100_003}`)].join(','));
    }
    writeFileSync(input, lines.join('\n') + '\n');
    const values = (j: number) => [...new Set(lines.slice(1).map((line) => line.split(',')[j + 1]))];
    const options: AnonymizeOptions = {
      attributes: Object.fromEntries(names.map((name, j) => [name, { role: 'quasi-identifying', hierarchy: values(j).map((value) => [value, '*']) }])),
      models: [{ type: 'k-anonymity', k: 2 }],
      suppressionLimit: 0.01,
      metric: 'discernibility',
    };
    const expected = join(directory, 'wide-memory.csv');
    const memory = await anonymizeCsv({ input, output: expected, options });
    expect(memory.suppressed).toBe(10);
    const columns = await loadCsv('wide', input);
    await cluster.node1.command({ query: 'DROP TABLE IF EXISTS default.wide_anonymized' });
    const report = await anonymizeCsv({ source: url('wide'), target: 'default.wide_anonymized', options, engine: { type: 'clickhouse' } });
    expectSameSolution(report, memory);
    expect(await tableRows(cluster.node1, 'default.wide_anonymized', columns)).toEqual(byId(csvRows(readFileSync(expected, 'utf8'))));
  });

  it.skipIf(SKIP_ADULT)('finds the in-memory optimum of Adult and releases the same rows', async () => {
    const withIds = join(directory, 'adult-ids.csv');
    const [header, ...lines] = readFileSync(join(ADULT, 'adult.csv'), 'utf8').split(/\r?\n/).filter((line) => line !== '');
    writeFileSync(withIds, [`id;${header}`, ...lines.map((line, i) => `${i};${line}`)].join('\n') + '\n');
    const columns = await loadCsv('adult', withIds);
    const [local1, local2] = await Promise.all([cluster.node1, cluster.node2].map(async (node) => Number(((await (await node.query({ query: 'SELECT count() AS n FROM default.adult_local', format: 'JSONEachRow' })).json()) as { n: string }[])[0].n)));
    expect(local1).toBeGreaterThan(0);
    expect(local2).toBeGreaterThan(0);
    const options: AnonymizeOptions = {
      attributes: Object.fromEntries(ADULT_QI.map((name) => [name, { role: 'quasi-identifying', hierarchy: join(ADULT, `adult_hierarchy_${name}.csv`) }])),
      models: [{ type: 'k-anonymity', k: 5 }],
      suppressionLimit: 0.05,
      metric: 'discernibility',
    };
    const memoryOutput = join(directory, 'adult-memory.csv');
    const memory = await anonymizeCsv({ input: withIds, output: memoryOutput, options });
    const report = await anonymizeCsv({ source: url('adult'), target: 'default.adult_anonymized', options, engine: { type: 'clickhouse' } });
    expectSameSolution(report, memory);
    expect(report.transformation).toEqual({ sex: 0, age: 0, race: 1, 'marital-status': 2, education: 3, 'native-country': 2, workclass: 2, occupation: 1, 'salary-class': 1 });
    const released = await tableRows(cluster.node1, 'default.adult_anonymized', columns);
    expect(released).toEqual(byId(csvRows(readFileSync(memoryOutput, 'utf8'), ';')));
  }, 120_000);

  describe('bad input', () => {
    const people = join(directory, 'people.csv');
    const options: AnonymizeOptions = {
      attributes: {
        age: { role: 'quasi-identifying', hierarchy: Array.from({ length: 20 }, (_, a) => [String(30 + a), a < 10 ? '30-39' : '40-49', '*']) },
        city: { role: 'sensitive' },
      },
      models: [{ type: 'k-anonymity', k: 3 }, { type: 'distinct-l-diversity', attribute: 'city', l: 2 }],
      suppressionLimit: 0.05,
    };
    beforeAll(async () => {
      const lines = ['id,age,city'];
      for (let i = 0; i < 400; i++) lines.push(`${i},${30 + (i % 20)},secret-city-${i % 9}`);
      writeFileSync(people, lines.join('\n') + '\n');
      await loadCsv('people', people);
      await cluster.node1.command({ query: 'CREATE TABLE IF NOT EXISTS default.taken (id UInt64) ENGINE = MergeTree() ORDER BY id' });
    });

    const fail = async (request: Partial<Parameters<typeof anonymizeCsv>[0]>): Promise<CloakError> => {
      const error = await anonymizeCsv({ source: url('people'), target: 'default.people_out', options, engine: { type: 'clickhouse' }, ...request } as never).catch((caught: unknown) => caught);
      expect(error).toBeInstanceOf(CloakError);
      expect((error as CloakError).message).not.toContain(PASSWORD);
      expect((error as CloakError).message).not.toMatch(/secret-city/);
      expect(await temporaryTables(cluster.node1)).toEqual([]);
      return error as CloakError;
    };
    const exists = async (table: string) => ((await (await cluster.node1.query({ query: `EXISTS TABLE default.${table}`, format: 'JSONEachRow' })).json()) as { result: number }[])[0].result === 1;

    it('an unreachable server', async () => {
      const error = await fail({ source: `clickhouse://127.0.0.1:${cluster.ports[0] + 5}/default.people` });
      expect([error.code, error.exitCode]).toEqual(['ENGINE_UNREACHABLE', 3]);
    });

    it('wrong credentials, in the URL or the environment; right ones work and are never shown', async () => {
      const wrong = await fail({ source: url('people', 'cloak_test:wrong-password@') });
      expect([wrong.code, wrong.exitCode]).toEqual(['ENGINE_AUTH_FAILED', 2]);
      expect(wrong.message).not.toContain('wrong-password');
      const report = await anonymizeCsv({ source: url('people', `cloak_test:${PASSWORD}@`), target: 'default.people_credentials', options, engine: { type: 'clickhouse' } });
      expect(report.engine?.source).toBe(`clickhouse://127.0.0.1:${cluster.ports[0]}/default.people`);
      expect(JSON.stringify(report)).not.toContain(PASSWORD);
      const fromEnvironment = await fail({ engine: { type: 'clickhouse', user: 'cloak_test', password: 'not-it' } });
      expect(fromEnvironment.code).toBe('ENGINE_AUTH_FAILED');
    });

    it('a missing table, a missing column, a value no hierarchy covers', async () => {
      const table = await fail({ source: url('nobody') });
      expect([table.code, table.exitCode]).toEqual(['ENGINE_TABLE_NOT_FOUND', 3]);
      const column = await fail({ options: { ...options, attributes: { ...options.attributes, zip: { role: 'quasi-identifying', hierarchy: [['1', '*']] } } } });
      expect([column.code, column.exitCode]).toEqual(['INVALID_OPTIONS', 2]);
      const uncovered = await fail({ options: { ...options, attributes: { ...options.attributes, age: { role: 'quasi-identifying', hierarchy: [['30', '*']] } } } });
      expect([uncovered.code, uncovered.exitCode]).toEqual(['HIERARCHY_MISSING_VALUES', 3]);
      expect(await exists('people_out')).toBe(false);
    });

    it('a query beyond the memory limit', async () => {
      const error = await fail({ engine: { type: 'clickhouse', memoryLimit: '200KB' } });
      expect([error.code, error.exitCode]).toEqual(['ENGINE_MEMORY_EXCEEDED', 3]);
      expect(await exists('people_out')).toBe(false);
    });

    it('an existing target without overwrite; with overwrite it is replaced in one rename', async () => {
      const error = await fail({ target: 'default.taken' });
      expect([error.code, error.exitCode]).toEqual(['TARGET_EXISTS', 2]);
      expect(await tableRows(cluster.node1, 'default.taken', ['id'])).toEqual([['id']]);
      const report = await anonymizeCsv({ source: url('people'), target: 'default.taken', options, engine: { type: 'clickhouse' }, overwrite: true });
      const rows = await tableRows(cluster.node1, 'default.taken', ['id', 'age', 'city']);
      expect(rows).toHaveLength(report.rows + 1);
      expect(await temporaryTables(cluster.node1)).toEqual([]);
    });

    it('applies a plan made in memory on the cluster, as in memory', async () => {
      const saved = await plan(people, options);
      const expected = join(directory, 'people-applied.csv');
      const summary = await applyPlanToFile(saved, people, expected);
      await cluster.node1.command({ query: 'DROP TABLE IF EXISTS default.people_applied' });
      const onCluster = await applyPlanToFile(saved, url('people'), 'default.people_applied', { engine: { type: 'clickhouse' } });
      expect(onCluster).toEqual(summary);
      expect(await tableRows(cluster.node1, 'default.people_applied', ['id', 'age', 'city'])).toEqual(byId(csvRows(readFileSync(expected, 'utf8'))));
    });

    it('the CLI: exit codes, a summary naming the source without credentials, nothing on a failure', async () => {
      const cli = await buildCli();
      const hierarchy = join(directory, 'age.csv');
      writeFileSync(hierarchy, (options.attributes.age.hierarchy as string[][]).map((row) => row.join(';')).join('\n') + '\n');
      const base = ['anonymize', '--engine', 'clickhouse', '--qi', 'age', '--hierarchies', directory, '--k', '3', '--suppression', '0.05'];
      const ok = runCli(cli, [...base, '--source', url('people', `cloak_test:${PASSWORD}@`), '--target', 'default.people_cli'], { cwd: directory });
      expect(ok.stderr).not.toContain(PASSWORD);
      expect(ok.status).toBe(0);
      expect(ok.stderr).toContain('engine: clickhouse');
      const refused = runCli(cli, [...base, '--source', url('people', `cloak_test:${PASSWORD}@`), '--target', 'default.people_cli'], { cwd: directory });
      expect(refused.status).toBe(2);
      expect(refused.stderr).toMatch(/default\.people_cli exists; give --overwrite/);
      const denied = runCli(cli, [...base, '--source', url('people', 'cloak_test:not-the-password@'), '--target', 'default.people_cli2'], { cwd: directory });
      expect(denied.status).toBe(2);
      expect(denied.stderr).not.toContain('not-the-password');
      expect(denied.stderr.trim().split('\n')).toHaveLength(1);
    }, 120_000);
  });
});
