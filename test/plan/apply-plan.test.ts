import { mkdtempSync, readFileSync, existsSync, writeFileSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { Table, tableFromArrays, tableFromIPC } from 'apache-arrow';
import { describe, expect, it } from 'vitest';
import { applyPlan, applyPlanStream, applyPlanToFile, parsePlan, plan } from '../../src/index.js';
import { DAY1, POLICY } from './fixtures.js';


function directory(): string {
  return mkdtempSync(join(tmpdir(), 'cloak-plan-'));
}

function csv(records: readonly Record<string, string>[]): string {
  const header = Object.keys(records[0]);
  return [header.join(','), ...records.map((record) => header.map((name) => record[name]).join(','))].join('\n') + '\n';
}

async function rowsOf(batches: AsyncIterable<{ toArray(): unknown[] }>): Promise<Record<string, string>[]> {
  const rows: Record<string, string>[] = [];
  for await (const batch of batches) for (const row of batch.toArray()) rows.push({ ...(row as { toJSON(): Record<string, string> }).toJSON() });
  return rows;
}

describe('plan', () => {
  it('refuses local recoding, which a plan of one level per quasi-identifier cannot carry, before reading the data', async () => {
    await expect(plan('no-such-file.csv', { ...POLICY, recoding: 'local' })).rejects.toMatchObject({
      code: 'PLAN_LOCAL_RECODING',
      exitCode: 2,
      message: expect.stringContaining('plan with recoding "global"'),
    });
  });


  it('is JSON that survives a round trip, with maps over every hierarchy value', async () => {
    const saved = await plan(DAY1, POLICY);
    const loaded = parsePlan(JSON.stringify(saved));
    expect(loaded).toEqual(saved);
    const age = loaded.quasiIdentifiers.find((qi) => qi.name === 'age')!;
    // 44 is not in the data but is in the hierarchy: new data holding it can be applied.
    expect(age.map.map(([value]) => value)).toContain('44');
    // Distinct l-diversity reads no distribution: the plan does not carry one (it would disclose the data's).
    expect(loaded.sensitive).toEqual([{ name: 'disease', type: 'string' }]);
    expect(loaded.policySha256).toMatch(/^[0-9a-f]{64}$/);
  });
});

describe('applyPlan', () => {
  it('generalizes with the plan and suppresses classes that fail any model (two-pass)', async () => {
    const saved = await plan(DAY1, POLICY);
    const day2 = [...DAY1.map((r) => ({ ...r, name: r.name + '2' })), { name: 'z', age: '44', zip: '12345', disease: 'flu' }];
    const rows = await rowsOf(applyPlan(saved, () => day2, { mode: 'two-pass' }));
    expect(rows).toHaveLength(day2.length);
    expect(rows.every((row) => row.name === '*')).toBe(true);
    // The 44-year-old is alone in its class: suppressed, not written in clear.
    expect(rows[6].age).toBe('*');
    const released = rows.filter((row) => row.age !== '*');
    const classes = new Map<string, Set<string>>();
    for (const row of released) classes.set(`${row.age}|${row.zip}`, (classes.get(`${row.age}|${row.zip}`) ?? new Set()).add(row.disease));
    for (const [, diseases] of classes) expect(diseases.size).toBeGreaterThanOrEqual(2);
  });

  it('suppresses a failing class in one pass as in two, with identical files', async () => {
    const saved = await plan(DAY1, POLICY);
    const dir = directory();
    const input = join(dir, 'day2.csv');
    writeFileSync(input, csv([...DAY1, { name: 'z', age: '44', zip: '12345', disease: 'flu' }]));
    const onePass = await applyPlanToFile(saved, input, join(dir, 'one.csv'), { mode: 'one-pass' });
    const twoPass = await applyPlanToFile(saved, input, join(dir, 'two.csv'), { mode: 'two-pass' });
    expect(onePass).toEqual(twoPass);
    expect(onePass.suppressedRecords).toBe(1);
    expect(readFileSync(join(dir, 'one.csv'), 'utf8')).toBe(readFileSync(join(dir, 'two.csv'), 'utf8'));
    expect(readFileSync(join(dir, 'one.csv'), 'utf8').trimEnd().split('\n').at(-1)).toBe('*,*,*,flu');
  });

  it('fails one-pass when the suppression budget is exceeded, and commits no file', async () => {
    const saved = await plan(DAY1, POLICY);
    const dir = directory();
    const input = join(dir, 'day2.csv');
    writeFileSync(input, csv(DAY1.map((r) => ({ ...r, disease: 'flu' }))));
    await expect(applyPlanToFile(saved, input, join(dir, 'out.csv'), { mode: 'one-pass' })).rejects.toMatchObject({ code: 'PLAN_SUPPRESSION_EXCEEDED', exitCode: 4 });
    expect(readdirSync(dir)).toEqual(['day2.csv']);
  });

  it('keeps the input\'s delimiter in every mode and through the stream', async () => {
    const saved = await plan(DAY1, POLICY);
    const dir = directory();
    const input = join(dir, 'day2.csv');
    writeFileSync(input, csv(DAY1).replaceAll(',', ';'));
    for (const mode of ['one-pass', 'two-pass'] as const) {
      await applyPlanToFile(saved, input, join(dir, `${mode}.csv`), { mode });
      const lines = readFileSync(join(dir, `${mode}.csv`), 'utf8').trimEnd().split('\n');
      expect(lines[0]).toBe('name;age;zip;disease');
      expect(lines.slice(1).every((line) => line.split(';').length === 4 && !line.includes(','))).toBe(true);
    }
    const chunks: string[] = [];
    await pipeline(Readable.from([readFileSync(input, 'utf8')]), applyPlanStream(saved), async function* (source) {
      for await (const chunk of source) chunks.push(String(chunk));
    });
    expect(chunks.join('')).toBe(readFileSync(join(dir, 'one-pass.csv'), 'utf8'));
  });

  it('fails two-pass when the suppression budget is exceeded, before writing', async () => {
    const saved = await plan(DAY1, POLICY);
    const lonely = DAY1.map((r) => ({ ...r, disease: 'flu' }));
    await expect(rowsOf(applyPlan(saved, () => lonely))).rejects.toMatchObject({ code: 'PLAN_SUPPRESSION_EXCEEDED', exitCode: 4 });
  });

  it('names column and line of a value the plan does not know, without the value', async () => {
    const saved = await plan(DAY1, POLICY);
    const dir = directory();
    const input = join(dir, 'day2.csv');
    writeFileSync(input, csv([...DAY1, { name: 'z', age: '99', zip: '12399', disease: 'flu' }]));
    const failure = applyPlanToFile(saved, input, join(dir, 'out.csv'));
    await expect(failure).rejects.toMatchObject({ code: 'PLAN_UNKNOWN_VALUE', location: { line: 8, column: 'age' } });
    await expect(failure).rejects.toThrow(/day2\.csv:8: a value of column "age"/);
    await expect(failure).rejects.not.toThrow(/99/);
    expect(existsSync(join(dir, 'out.csv'))).toBe(false);
  });

  it('refuses data with other columns', async () => {
    const saved = await plan(DAY1, POLICY);
    await expect(rowsOf(applyPlan(saved, () => DAY1.map(({ zip: _zip, ...rest }) => rest)))).rejects.toMatchObject({ code: 'PLAN_SCHEMA_MISMATCH', message: expect.stringContaining('missing "zip"') });
  });

  it('refuses two-pass over a source it cannot read twice', async () => {
    const saved = await plan(DAY1, POLICY);
    await expect(rowsOf(applyPlan(saved, Readable.from(DAY1)))).rejects.toMatchObject({ code: 'PLAN_SOURCE_NOT_REREADABLE' });
  });

  it('reads an Arrow table twice (two-pass) and record batches once (one-pass), as it reads records', async () => {
    const saved = await plan(DAY1, POLICY);
    const columns = Object.fromEntries(Object.keys(DAY1[0]).map((name) => [name, DAY1.map((record) => record[name as keyof (typeof DAY1)[0]])]));
    const table = tableFromArrays(columns);
    const expected = await rowsOf(applyPlan(saved, () => DAY1, { mode: 'two-pass' }));
    expect(await rowsOf(applyPlan(saved, table, { mode: 'two-pass' }))).toEqual(expected);
    expect(await rowsOf(applyPlan(saved, table.batches, { mode: 'one-pass' }))).toEqual(expected);
  });

  it('writes Arrow IPC files and streams that keep every row and column', async () => {
    const saved = await plan(DAY1, POLICY);
    const dir = directory();
    const input = join(dir, 'day2.csv');
    writeFileSync(input, csv(DAY1));
    for (const name of ['out.arrow', 'out.arrows']) {
      const summary = await applyPlanToFile(saved, input, join(dir, name));
      const table: Table = tableFromIPC(readFileSync(join(dir, name)));
      expect(table.numRows).toBe(DAY1.length);
      expect(table.schema.fields.map((f) => f.name)).toEqual(['name', 'age', 'zip', 'disease']);
      expect(summary.rows).toBe(DAY1.length);
    }
  });
});

describe('applyPlanStream', () => {
  it('transforms CSV text in one pass', async () => {
    const saved = await plan(DAY1, POLICY);
    const chunks: string[] = [];
    const text = csv(DAY1);
    await pipeline(Readable.from([text.slice(0, 20), text.slice(20)]), applyPlanStream(saved), async function* (source) {
      for await (const chunk of source) chunks.push(String(chunk));
    });
    const lines = chunks.join('').trim().split('\n');
    expect(lines[0]).toBe('name,age,zip,disease');
    expect(lines).toHaveLength(DAY1.length + 1);
    expect(lines.slice(1).every((line) => line.startsWith('*,'))).toBe(true);
  });

  it('errors with the cause when the input stream errors midway', async () => {
    const saved = await plan(DAY1, POLICY);
    const broken = new Error('disk gone');
    async function* failing() {
      yield DAY1[0];
      throw broken;
    }
    const sink: unknown[] = [];
    await expect(
      pipeline(Readable.from(failing()), applyPlanStream(saved, { format: 'records' }), async function* (source) {
        for await (const record of source) sink.push(record);
      }),
    ).rejects.toBe(broken);
  });

  it('errors when the release fails, having emitted nothing', async () => {
    const saved = await plan(DAY1, POLICY);
    const records = DAY1.map((r) => ({ ...r, disease: 'flu' }));
    const received: unknown[] = [];
    await expect(
      pipeline(Readable.from(records), applyPlanStream(saved, { format: 'records' }), async function* (source) {
        for await (const record of source) received.push(record);
      }),
    ).rejects.toMatchObject({ code: 'PLAN_SUPPRESSION_EXCEEDED' });
    expect(received).toEqual([]);
  });
});
