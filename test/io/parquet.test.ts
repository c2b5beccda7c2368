// Parquet in and out for the in-memory engine: the same values as CSV, rows in order, generalized columns as text
// (never NULL), and from a Parquet input every other column keeps its type, its values and its NULLs.

import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { anonymizeCsv, applyPlanToFile, CloakError, plan, type AnonymizeOptions } from '../../src/index.js';
import { checkKAnonymity, readTableFile } from '../../src/testing/index.js';
import { duckdb, parquetRows } from '../engines/helpers.js';

const directory = mkdtempSync(join(tmpdir(), 'cloak-parquet-'));
afterAll(() => rmSync(directory, { recursive: true, force: true }));
const file = (name: string) => join(directory, name);
const quoted = (path: string) => `'${path.replace(/'/g, "''")}'`;

const options: AnonymizeOptions = {
  attributes: {
    age: { role: 'quasi-identifying', hierarchy: Array.from({ length: 10 }, (_, a) => [String(30 + a), a < 5 ? '30-34' : '35-39', '*']) },
    name: { role: 'identifying' },
  },
  models: [{ type: 'k-anonymity', k: 6 }],
};

/** 40 people with typed columns: an integer id, a name, an integer age, a double score with NULLs, a date. */
async function typedParquet(path: string): Promise<void> {
  await duckdb(
    `COPY (SELECT i::INTEGER AS id, 'person ' || i AS name, (30 + i % 10)::INTEGER AS age, CASE WHEN i % 7 = 0 THEN NULL ELSE i / 4 END::DOUBLE AS score, DATE '2024-01-01' + i::INTEGER AS seen FROM range(40) t(i)) TO ${quoted(path)} (FORMAT parquet)`,
  );
}

describe('Parquet for the in-memory engine', () => {
  it('keeps the types, values, NULLs and order of the columns it does not generalize', async () => {
    const input = file('typed.parquet');
    await typedParquet(input);
    const output = file('typed-out.parquet');
    const report = await anonymizeCsv({ input, output, options });
    expect(report.transformation).toEqual({ age: 1 });
    const { rows, types } = await parquetRows(output);
    expect(types).toEqual({ id: 'INTEGER', name: 'VARCHAR', age: 'VARCHAR', score: 'DOUBLE', seen: 'DATE' });
    const source = await parquetRows(input);
    rows.slice(1).forEach((row, i) => {
      expect(row[0]).toBe(String(i));
      expect(row[1]).toBe('*');
      expect(row[2]).toBe(Number(source.rows[i + 1][2]) < 35 ? '30-34' : '35-39');
      expect(row.slice(3)).toEqual(source.rows[i + 1].slice(3));
    });
    const nulls = await duckdb(`SELECT count(*) FILTER (WHERE score IS NULL), count(*) FILTER (WHERE age IS NULL) FROM read_parquet(${quoted(output)})`);
    expect(nulls).toEqual([[6n, 0n]]);

    // cloak check reads the Parquet export as its text values: 6-anonymous, and not 7-anonymous.
    const exported = await readTableFile(output);
    expect(exported.format).toBe('parquet');
    expect(exported.columnNames).toEqual(['id', 'name', 'age', 'score', 'seen']);
    expect(checkKAnonymity(exported.table, { qi: ['age'], k: 6 }).ok).toBe(true);
    expect(checkKAnonymity(exported.table, { qi: ['age'], k: 30 }).ok).toBe(false);
  });

  it('reads Parquet as its text values (the CSV answer), and writes CSV from it and Parquet from CSV', async () => {
    const input = file('typed2.parquet');
    await typedParquet(input);
    const csv = file('from-parquet.csv');
    await anonymizeCsv({ input, output: csv, options });
    const text = readFileSync(csv, 'utf8').split('\n');
    expect(text[0]).toBe('id,name,age,score,seen');
    expect(text[1]).toBe('0,*,30-34,,2024-01-01');
    expect(text[2]).toBe('1,*,30-34,0.25,2024-01-02');

    const plainCsv = file('plain.csv');
    writeFileSync(plainCsv, 'id,age\n1,30\n2,31\n3,30\n4,31\n5,32\n6,30\n');
    const written = file('plain.parquet');
    await anonymizeCsv({ input: plainCsv, output: written, options: { attributes: { age: options.attributes.age }, models: [{ type: 'k-anonymity', k: 3 }] } });
    const { rows, types } = await parquetRows(written);
    expect(types).toEqual({ id: 'VARCHAR', age: 'VARCHAR' });
    expect(rows).toEqual([['id', 'age'], ['1', '30-34'], ['2', '30-34'], ['3', '30-34'], ['4', '30-34'], ['5', '30-34'], ['6', '30-34']]);
  });

  it('applies a plan from Parquet to Parquet, keeping the other columns typed, and nothing on failure', async () => {
    const input = file('batch.parquet');
    await typedParquet(input);
    const saved = await plan(input, options);
    const output = file('batch-out.parquet');
    const summary = await applyPlanToFile(saved, input, output);
    expect(summary.rows).toBe(40);
    const { types } = await parquetRows(output);
    expect(types.score).toBe('DOUBLE');
    expect(types.age).toBe('VARCHAR');

    const strict = await plan(input, { ...options, models: [{ type: 'k-anonymity', k: 20 }] });
    const small = file('small.parquet');
    await duckdb(`COPY (SELECT * FROM read_parquet(${quoted(input)}) LIMIT 12) TO ${quoted(small)} (FORMAT parquet)`);
    const refused = file('refused.parquet');
    const error = await applyPlanToFile(strict, small, refused).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(CloakError);
    expect(existsSync(refused)).toBe(false);
  });

  it('refuses Parquet on stdin and stdout', async () => {
    const error = (await anonymizeCsv({ input: file('typed.parquet'), output: '-', outputFormat: 'parquet', options }).catch((caught: unknown) => caught)) as CloakError;
    expect(error.code).toBe('PARQUET_NOT_STREAMED');
  });
});
