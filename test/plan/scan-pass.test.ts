import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { applyPlanToFile, plan, type AnonymizeOptions, type Plan } from '../../src/index.js';
import { assertReleasable, PlanApplier, type PlanDecision } from '../../src/plan/applier.js';
import { countPlainCsvFile } from '../../src/plan/scan-pass.js';
import { readRowBatches, type RowBatch } from '../../src/plan/sources.js';
import { temporaryFiles } from '../temporary-files.js';
import { ATTRIBUTES, DAY1, POLICY } from './fixtures.js';

const { directory, file } = temporaryFiles('cloak-scan-pass-', 'day2-');

/** Distinct l-diversity adds sensitive values new to the plan; t-closeness refuses them (its distribution is the plan's). */
const POLICIES: AnonymizeOptions[] = [
  POLICY,
  { attributes: ATTRIBUTES, models: [{ type: 'k-anonymity', k: 2 }, { type: 't-closeness', attribute: 'disease', distance: 'equal', t: 0.6 }], suppressionLimit: 0.5 },
];

type Outcome = { decision: PlanDecision } | { error: { code?: string; message: string; location?: unknown } };

function failure(error: unknown): Outcome {
  const { code, message, location } = error as { code?: string; message: string; location?: unknown };
  return { error: { code, message, location } };
}

/** The counting pass as the csv-parse rows give it: the reference the scan must match. */
async function countedByParser(saved: Plan, path: string): Promise<Outcome> {
  try {
    const applier = new PlanApplier(saved);
    for await (const batch of readRowBatches(path)) {
      if (applier.rows === 0) applier.bind(batch.header, path);
      batch.rows.forEach((row, i) => applier.count(row, batch.lines[i]));
    }
    return { decision: applier.decide() };
  } catch (error) {
    return failure(error);
  }
}

/** Header, rows and lines of every batch, whatever the batching. */
async function flattened(batches: AsyncIterable<RowBatch>) {
  const all = { headers: new Set<string>(), rows: [] as string[][], lines: [] as number[] };
  for await (const batch of batches) {
    all.headers.add(batch.header.join('\u0000'));
    all.rows.push(...batch.rows);
    all.lines.push(...batch.lines);
  }
  return all;
}

describe('the two passes over plain CSV files', () => {
  it('count and read what the csv-parse passes count and read, and two-pass errors are theirs (differential property)', async () => {
    const plans = await Promise.all(POLICIES.map((policy) => plan(DAY1, policy)));
    // Mostly values the plans know; now and then one they lack, a quoted field or a ragged record.
    const pick = (common: string[], rare: string[]) => fc.oneof({ weight: 30, arbitrary: fc.constantFrom(...common) }, { weight: 1, arbitrary: fc.constantFrom(...rare) });
    const row = fc.tuple(
      pick(['a', 'b', 'z'], ['"q"', 'x,y']),
      pick(['20', '25', '31', '35', '38', '44'], ['99', '"20"']),
      pick(DAY1.map((r) => r.zip), ['99999', '']),
      pick(['flu', 'cold', 'cancer'], ['plague', '']),
    );
    let scanned = 0;
    await fc.assert(
      fc.asyncProperty(fc.nat(plans.length - 1), fc.array(row, { minLength: 1, maxLength: 40 }), fc.boolean(), async (which, rows, crlf) => {
        const saved = plans[which];
        const eol = crlf ? '\r\n' : '\n';
        const path = file(['name,age,zip,disease', ...rows.map((fields) => fields.join(','))].join(eol) + eol);
        const expected = await countedByParser(saved, path);
        const counted = await countPlainCsvFile(saved, path, path, undefined);
        if (counted !== undefined) {
          scanned++;
          expect({ decision: counted.applier.decide() }).toEqual(expected);
          expect(await flattened(counted.rows())).toEqual(await flattened(readRowBatches(path)));
        }
        let twoPass: Outcome | { rows: number };
        try {
          twoPass = { rows: (await applyPlanToFile(saved, path, path + '.out.csv')).rows };
        } catch (error) {
          twoPass = failure(error);
        }
        if ('error' in expected) expect(twoPass).toEqual(expected);
        else {
          try {
            assertReleasable(expected.decision, path);
            expect(twoPass).toEqual({ rows: expected.decision.rows });
          } catch (error) {
            expect(twoPass).toEqual(failure(error));
          }
        }
      }),
      { seed: 31, numRuns: 150 },
    );
    // Not vacuous: most files are counted by the scan rather than declined.
    expect(scanned).toBeGreaterThan(50);
  });

  it('writes the same file as a one-pass run when nothing is suppressed, through the scan', async () => {
    const saved = await plan(DAY1, POLICIES[0]);
    const path = file('\uFEFFname,age,zip,disease\r\n' + DAY1.map((r) => `${r.name},${r.age},${r.zip},${r.disease}`).join('\r\n') + '\r\n');
    expect(await countPlainCsvFile(saved, path, path, undefined)).toBeDefined();
    await applyPlanToFile(saved, path, path + '.two.csv', { mode: 'two-pass' });
    await applyPlanToFile(saved, path, path + '.one.csv', { mode: 'one-pass' });
    expect(readFileSync(path + '.two.csv', 'utf8')).toBe(readFileSync(path + '.one.csv', 'utf8'));
  });

  it('declines files it cannot count itself, leaving them (and their errors) to the csv-parse pass; a file changed since is refused', async () => {
    const saved = await plan(DAY1, POLICIES[0]);
    const declined = (content: string, delimiter?: string) => countPlainCsvFile(saved, file(content), 'day2.csv', delimiter);
    expect(await declined('name,age,zip,disease\n"a",20,12345,flu\n')).toBeUndefined();
    expect(await declined('name,age,zip\na,20,12345\n')).toBeUndefined();
    expect(await declined('name,age,zip,disease\na,99,12345,flu\n')).toBeUndefined();
    expect(await declined('')).toBeUndefined();
    expect(await countPlainCsvFile(saved, join(directory, 'missing.csv'), 'missing.csv', undefined)).toBeUndefined();
    const semicolons = await declined('name;age;zip;disease\na;20;12345;flu\n');
    expect(semicolons?.applier.rows).toBe(1);
    expect(await declined('name;age;zip;disease\na;20;12345;flu\n', ',')).toBeUndefined();
    const changing = file('name,age,zip,disease\na,20,12345,flu\n');
    const counted = await countPlainCsvFile(saved, changing, 'day2.csv', undefined);
    writeFileSync(changing, 'name,age,zip,disease\n"a",20,12345,flu\n');
    await expect(flattened(counted!.rows())).rejects.toMatchObject({ code: 'PLAN_SOURCE_CHANGED', location: { file: 'day2.csv' } });
    const progress: number[] = [];
    const many = await countPlainCsvFile(saved, file('name,age,zip,disease\n' + 'a,20,12345,flu\n'.repeat(10_000)), 'day2.csv', undefined, (event) => progress.push(event.done));
    expect(many?.applier.rows).toBe(10_000);
    expect(progress).toEqual([4096, 8192, 10_000]);
  });
});
