// The duckdb engine gives the in-memory engine's answers — transformation, score, released rows by row id, row order —
// from CSV and Parquet files and .duckdb tables; and it publishes nothing when anything fails.

import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { anonymizeCsv, applyPlanToFile, CloakError, plan, type AnonymizeOptions } from '../../src/index.js';
import { arbitraryDataset } from '../groupify/random-data.js';
import { AWKWARD_PREFIXES, byId, csvRows, datasetJob, duckdb, expectSameSolution, parquetRows } from './helpers.js';

const RUNS = Number(process.env.CLOAK_FC_RUNS ?? 25);
const directory = mkdtempSync(join(tmpdir(), 'cloak-duckdb-'));
afterAll(() => rmSync(directory, { recursive: true, force: true }));
let counter = 0;
const path = (name: string) => join(directory, `${counter++}-${name}`);
const quoted = (file: string) => `'${file.replace(/'/g, "''")}'`;

/** Every file of the test folder whose name says it is a temporary of the atomic writer. */
const leftovers = () => readdirSync(directory).filter((name) => name.includes('.cloak-') && name.endsWith('.tmp'));

describe('duckdb engine: the in-memory answers', () => {
  it('over random tables, CSV to CSV and Parquet to Parquet: same solution, same released rows, same order', async () => {
    let solved = 0;
    let suppressing = 0;
    await fc.assert(
      fc.asyncProperty(
        arbitraryDataset(),
        fc.constantFrom(...AWKWARD_PREFIXES),
        fc.integer({ min: 1, max: 4 }),
        fc.constantFrom(0, 0.1, 0.3),
        fc.boolean(),
        fc.boolean(),
        fc.boolean(),
        async (dataset, prefix, k, limit, diverse, emptyValue, reorder) => {
          const input = path('in.csv');
          const job = datasetJob(dataset, input, { prefix, k, limit, diverse, emptyValue });
          // Attributes listed in another order than the file's columns: a class's codes (in --qi order) must still
          // find the engine's class keys (in output column order).
          const options = reorder ? { ...job, attributes: Object.fromEntries(Object.entries(job.attributes).reverse()) } : job;
          const memory = await anonymizeCsv({ input, output: path('memory.csv'), options }).catch((error: unknown) => error);
          const engineOutput = path('engine.csv');
          const engine = await anonymizeCsv({ input, output: engineOutput, options, engine: { type: 'duckdb', threads: 2 } }).catch((error: unknown) => error);
          if (memory instanceof CloakError) {
            expect(['NO_SOLUTION', 'MODEL_IMPOSSIBLE']).toContain(memory.code);
            expect((engine as CloakError).code).toBe(memory.code);
            expect(existsSync(engineOutput)).toBe(false);
            return;
          }
          if (!(engine instanceof Object) || engine instanceof Error) throw engine;
          expectSameSolution(engine, memory as never);
          solved++;
          if (engine.suppressed > 0) suppressing++;
          const expected = csvRows(readFileSync(join(directory, `${counter - 2}-memory.csv`), 'utf8'));
          const actual = csvRows(readFileSync(engineOutput, 'utf8'));
          // Same rows in the same order (file to file keeps the input's order).
          expect(actual).toEqual(expected);

          const parquet = path('in.parquet');
          await duckdb(`COPY (SELECT * REPLACE (CAST(id AS INTEGER) AS id) FROM read_csv(${quoted(input)}, all_varchar = true, header = true, delim = ',', quote = '"', escape = '"')) TO ${quoted(parquet)} (FORMAT parquet)`);
          const fromParquet = path('engine.parquet');
          const report = await anonymizeCsv({ input: parquet, output: fromParquet, options, engine: { type: 'duckdb' } });
          expectSameSolution(report, memory as never);
          const { rows, types } = await parquetRows(fromParquet);
          expect(byId(rows)).toEqual(byId(expected));
          expect(rows.slice(1).map((row) => Number(row[0]))).toEqual(rows.slice(1).map((_, index) => index));
          // Other columns keep their type; generalized ones are text.
          expect(types.id).toBe('INTEGER');
          for (const name of dataset.qi) expect(types[name]).toBe('VARCHAR');
          expect(leftovers()).toEqual([]);
        },
      ),
      { numRuns: RUNS, seed: 20_260_118 },
    );
    // Not vacuous: most tables have a solution, and some suppress records (the engine's suppression path).
    expect(solved).toBeGreaterThan(RUNS / 2);
    expect(suppressing).toBeGreaterThan(0);
  });

  it('maps wide domains (an enum per column) and finds suppressed classes whose keys exceed 2^53 (text keys)', async () => {
    // Six attributes of about 1,000 values each: 995 pairs of equal rows and 10 unique rows, suppressed at level 0.
    const input = path('wide.csv');
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
    const expected = path('wide-memory.csv');
    const actual = path('wide-engine.csv');
    const memory = await anonymizeCsv({ input, output: expected, options });
    expect(memory.suppressed).toBe(10);
    expect(Object.values(memory.transformation)).toEqual([0, 0, 0, 0, 0, 0]);
    const report = await anonymizeCsv({ input, output: actual, options, engine: { type: 'duckdb' } });
    expectSameSolution(report, memory);
    expect(readFileSync(actual, 'utf8')).toBe(readFileSync(expected, 'utf8'));
  });

  it('reads and writes tables of .duckdb files, refuses an existing target without overwrite, replaces it with', async () => {
    const input = path('people.csv');
    const options = datasetOptions(input);
    const database = path('warehouse.duckdb');
    await duckdb(`ATTACH ${quoted(database)} AS w; CREATE TABLE w.people AS SELECT * FROM read_csv(${quoted(input)}, all_varchar = true, header = true); CREATE TABLE w.taken (x INTEGER)`);
    const memory = await anonymizeCsv({ input, output: path('memory.csv'), options });
    const report = await anonymizeCsv({ source: `duckdb:${database}#people`, target: `duckdb:${database}#people_anonymized`, options, engine: { type: 'duckdb' } });
    expectSameSolution(report, memory);
    expect(report.engine?.source).toBe(`duckdb:${database}#people`);
    const released = await duckdb(`ATTACH ${quoted(database)} AS w (READ_ONLY); SELECT count(*), count(*) FILTER (WHERE age = '*') FROM w.people_anonymized`);
    expect(released).toEqual([[BigInt(memory.rows), BigInt(memory.suppressed)]]);

    const refused = await anonymizeCsv({ source: `duckdb:${database}#people`, target: `duckdb:${database}#taken`, options, engine: { type: 'duckdb' } }).catch((error: unknown) => error);
    expect(refused).toBeInstanceOf(CloakError);
    expect((refused as CloakError).code).toBe('TARGET_EXISTS');
    expect((refused as CloakError).exitCode).toBe(2);
    expect(await duckdb(`ATTACH ${quoted(database)} AS w (READ_ONLY); SELECT count(*) FROM w.taken`)).toEqual([[0n]]);

    await anonymizeCsv({ source: `duckdb:${database}#people`, target: `duckdb:${database}#taken`, options, engine: { type: 'duckdb' }, overwrite: true });
    const tables = await duckdb(`ATTACH ${quoted(database)} AS w (READ_ONLY); SELECT table_name FROM duckdb_tables() WHERE database_name = 'w' ORDER BY 1`);
    // No temporary table is left beside the published ones.
    expect(tables.map((row) => row[0])).toEqual(['people', 'people_anonymized', 'taken']);
    expect(await duckdb(`ATTACH ${quoted(database)} AS w (READ_ONLY); SELECT count(*) FROM w.taken WHERE age IS NOT NULL`)).toEqual([[BigInt(memory.rows)]]);
  });

  it('plans on the engine and applies the plan there as in memory', async () => {
    const input = path('batch.csv');
    const options = datasetOptions(input);
    const memoryPlan = await plan(input, options);
    const enginePlan = await plan({ engine: { type: 'duckdb' }, source: input }, options);
    expect(enginePlan.quasiIdentifiers).toEqual(memoryPlan.quasiIdentifiers);
    expect(enginePlan.rows).toBe(memoryPlan.rows);
    const expected = path('applied-memory.csv');
    const actual = path('applied-engine.csv');
    const memorySummary = await applyPlanToFile(memoryPlan, input, expected);
    const engineSummary = await applyPlanToFile(enginePlan, input, actual, { engine: { type: 'duckdb' } });
    expect(engineSummary).toEqual(memorySummary);
    expect(readFileSync(actual, 'utf8')).toBe(readFileSync(expected, 'utf8'));
  });
});

describe('duckdb engine: bad input publishes nothing and says why without values', () => {
  it('a missing file, a missing column, a value no hierarchy covers, a plan that does not fit', async () => {
    const input = path('data.csv');
    const options = datasetOptions(input);
    const output = path('out.csv');
    const engine = { type: 'duckdb' } as const;
    const missing = (await anonymizeCsv({ input: path('absent.csv'), output, options, engine }).catch((error: unknown) => error)) as CloakError;
    expect([missing.code, missing.exitCode]).toEqual(['INPUT_NOT_FOUND', 3]);

    const noColumn = (await anonymizeCsv({ input, output, options: { ...options, attributes: { ...options.attributes, zip: { role: 'quasi-identifying', hierarchy: [['1', '*']] } } }, engine }).catch((error: unknown) => error)) as CloakError;
    expect([noColumn.code, noColumn.exitCode]).toEqual(['INVALID_OPTIONS', 2]);
    expect(noColumn.message).toContain('column "zip" (quasi-identifying) is not in');

    const uncovered: AnonymizeOptions = { ...options, attributes: { ...options.attributes, age: { role: 'quasi-identifying', hierarchy: [['31', '*']] } } };
    const notCovered = (await anonymizeCsv({ input, output, options: uncovered, engine }).catch((error: unknown) => error)) as CloakError;
    expect([notCovered.code, notCovered.exitCode]).toEqual(['HIERARCHY_MISSING_VALUES', 3]);
    expect(notCovered.message).not.toMatch(/secret-city|"4\d"/);

    // A plan made on other data: the new batch holds a value its map lacks.
    const saved = await plan(input, options);
    const batch = path('batch.csv');
    writeFileSync(batch, readFileSync(input, 'utf8').replace(/,41,/, ',99,'));
    const unknown = (await applyPlanToFile(saved, batch, output, { engine }).catch((error: unknown) => error)) as CloakError;
    expect([unknown.code, unknown.exitCode]).toEqual(['PLAN_UNKNOWN_VALUE', 3]);
    // The temporary directory's random name may hold any digits: look for the value only outside the path.
    expect(unknown.message.replaceAll(batch, '<file>')).not.toContain('99');
    expect(existsSync(output)).toBe(false);
    expect(leftovers()).toEqual([]);
  });

  it('a query beyond the engine memory limit fails with its own code', async () => {
    const input = path('wide.csv');
    const lines = ['id,age,city'];
    for (let i = 0; i < 60_000; i++) lines.push(`${i},${20 + (i % 50)},city-${i % 40_000}-${'x'.repeat(40)}`);
    writeFileSync(input, lines.join('\n') + '\n');
    const options: AnonymizeOptions = {
      attributes: { age: { role: 'quasi-identifying', hierarchy: Array.from({ length: 50 }, (_, a) => [String(20 + a), '*']) }, city: { role: 'sensitive' } },
      models: [{ type: 'k-anonymity', k: 2 }, { type: 'distinct-l-diversity', attribute: 'city', l: 2 }],
    };
    const spill = path('spill');
    const output = path('out.csv');
    const error = (await anonymizeCsv({ input, output, options, engine: { type: 'duckdb', memoryLimit: '1MB', tempDirectory: spill, threads: 1 } }).catch((caught: unknown) => caught)) as CloakError;
    expect([error.code, error.exitCode]).toEqual(['ENGINE_MEMORY_EXCEEDED', 3]);
    expect(error.message).not.toContain('city-');
    expect(existsSync(output)).toBe(false);
  });

  it('refuses what reads records one by one — pseudonymizing, local recoding, differential privacy — writing nothing', async () => {
    const input = path('unsupported.csv');
    const options = datasetOptions(input);
    const output = path('unsupported-out.csv');
    const policies: AnonymizeOptions[] = [
      { ...options, attributes: { ...options.attributes, id: { role: 'identifying', transform: { method: 'mask', keepLast: 1 } } } },
      { ...options, recoding: 'local' },
      { ...options, suppressionLimit: undefined, models: [{ type: 'differential-privacy', epsilon: 1, delta: 1e-6, levels: { age: 1, sex: 1 }, seed: 7 }] },
    ];
    for (const policy of policies) {
      const error = (await anonymizeCsv({ input, output, options: policy, engine: { type: 'duckdb' } }).catch((caught: unknown) => caught)) as CloakError;
      expect([error.code, error.exitCode]).toEqual(['ENGINE_UNSUPPORTED', 2]);
    }
    expect(existsSync(output)).toBe(false);
    expect(leftovers()).toEqual([]);
  });

  it('refuses the engine flags it cannot honour, all at once', async () => {
    const error = (await anonymizeCsv({ input: 'a.csv', output: 'b.arrow', outputFormat: 'arrow', options: datasetOptions(path('x.csv')), engine: { type: 'duckdb' }, safeCsv: true }).catch((caught: unknown) => caught)) as CloakError;
    expect(error.code).toBe('INVALID_REQUEST');
    expect(error.problems).toHaveLength(2);
    const withoutEngine = (await anonymizeCsv({ input: 'a.csv', output: 'b.csv', target: 'c', options: datasetOptions(path('y.csv')) }).catch((caught: unknown) => caught)) as CloakError;
    expect(withoutEngine.problems).toContain('source, target and overwrite go with an engine (engine: { type: "duckdb" | "clickhouse" }); without one, give input and output');
    expect(withoutEngine.problems).toContain('give the output or the target, not both');
  });
});

/** A small people table with a secret-looking city column, written to `input`. */
function datasetOptions(input: string): AnonymizeOptions {
  const lines = ['id,age,sex,city'];
  for (let i = 0; i < 120; i++) lines.push(`${i},${30 + (i % 17)},${i % 3 === 0 ? 'F' : 'M'},secret-city-${i % 7}`);
  writeFileSync(input, lines.join('\n') + '\n');
  const ages = Array.from({ length: 17 }, (_, a) => [String(30 + a), a < 8 ? '30-37' : '38-46', '*']);
  return {
    attributes: { age: { role: 'quasi-identifying', hierarchy: ages }, sex: { role: 'quasi-identifying', hierarchy: [['F', '*'], ['M', '*']] }, city: { role: 'sensitive' } },
    models: [{ type: 'k-anonymity', k: 4 }, { type: 'distinct-l-diversity', attribute: 'city', l: 2 }],
    suppressionLimit: 0.05,
    metric: 'loss',
  };
}
