// The independent re-check of a plan's release: it refuses what the applier's own decision lets through when that
// decision is wrong (a failing class kept, classes mixed up), so a bug in the applier cannot publish a row.

import { mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable, Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { applyPlanStream, applyPlanToFile, plan, type AnonymizeOptions } from '../../src/index.js';
import { PlanApplier, type PlanDecision } from '../../src/plan/applier.js';
import { ReleaseTally } from '../../src/plan/release-check.js';
import { ATTRIBUTES, DAY1, POLICY } from './fixtures.js';

const HEADER = ['name', 'age', 'zip', 'disease'];

/** Counts rows into an applier and a tally, as the application does. */
async function tallied(policy: AnonymizeOptions, rows: string[][]) {
  const saved = await plan(DAY1, policy);
  const applier = new PlanApplier(saved);
  applier.bind(HEADER, 'day2');
  const tally = new ReleaseTally(saved, HEADER);
  rows.forEach((row, i) => {
    const cls = applier.count(row, i + 2);
    tally.add(applier.generalize([...row], false), cls);
  });
  return { applier, tally };
}

const DAY2 = [...DAY1, { name: 'z', age: '44', zip: '12345', disease: 'flu' }].map((r) => HEADER.map((h) => r[h as keyof typeof r]));

describe('ReleaseTally', () => {
  it('passes the applier\'s correct decision', async () => {
    const { applier, tally } = await tallied(POLICY, DAY2);
    const decision = applier.decide();
    expect(decision.suppressedRecords).toBe(1);
    expect(() => tally.verify(decision, 'day2')).not.toThrow();
  });

  it('refuses a decision that keeps a failing class, naming the check', async () => {
    const { applier, tally } = await tallied(POLICY, DAY2);
    const wrong: PlanDecision = { ...applier.decide(), suppressed: new Uint8Array(applier.decide().classes) };
    expect(() => tally.verify(wrong, 'day2')).toThrow(expect.objectContaining({ code: 'VERIFICATION_FAILED', exitCode: 5, message: expect.stringMatching(/^day2: independent verification of the release failed \(2-anonymity: 1 failure\); nothing was written$/) }));
  });

  it('refuses classes the tally groups differently from the applier', async () => {
    const saved = await plan(DAY1, POLICY);
    const tally = new ReleaseTally(saved, HEADER);
    tally.add(['*', '20-29', '123**', 'flu'], 0);
    tally.add(['*', '20-29', '123**', 'cold'], 1);
    const decision: PlanDecision = { suppressed: new Uint8Array(2), suppressedRecords: 0, suppressedClasses: 0, rows: 2, classes: 2, budget: 0, failedModels: [], releaseFailures: [] };
    expect(() => tally.verify(decision, 'day2')).toThrow(/classes differ from the ones the plan checked/);
    // One class of the applier holding rows with two different labels.
    const split = new ReleaseTally(saved, HEADER);
    split.add(['*', '20-29', '123**', 'flu'], 0);
    split.add(['*', '30-39', '123**', 'cold'], 0);
    const one: PlanDecision = { ...decision, rows: 2, classes: 1, suppressed: new Uint8Array(1) };
    expect(() => split.verify(one, 'day2')).toThrow(/classes differ from the ones the plan checked/);
  });

  it('checks distribution models against the plan\'s distribution, and the budget', async () => {
    const tClose: AnonymizeOptions = { attributes: ATTRIBUTES, models: [{ type: 't-closeness', attribute: 'disease', distance: 'equal', t: 0.2 }], suppressionLimit: 0.5 };
    // The plan generalizes everything to one class; an all-flu day 2 is ½(½ + ⅓ + ⅙) = 0.5 away from day 1's p.
    const { applier, tally } = await tallied(tClose, DAY2.map((row) => [...row.slice(0, 3), 'flu']));
    const right = applier.decide();
    expect(Array.from(right.suppressed)).toEqual([1]);
    expect(() => tally.verify({ ...right, suppressed: new Uint8Array(1) }, 'day2')).toThrow(/failed \(0\.2-closeness \(disease, equal distance\): 1 failure\)/);
    expect(() => tally.verify(right, 'day2')).toThrow(/failed \(suppression within 50%: 1 failure\)/);
  });
});

describe('an applier that lets a failing class through publishes nothing', () => {
  afterEach(() => vi.restoreAllMocks());

  it('in a file (both modes) and in a stream', async () => {
    const saved = await plan(DAY1, POLICY);
    const decide = PlanApplier.prototype.decide;
    vi.spyOn(PlanApplier.prototype, 'decide').mockImplementation(function (this: PlanApplier) {
      const decision = decide.call(this);
      return { ...decision, suppressed: new Uint8Array(decision.classes), suppressedRecords: 0, suppressedClasses: 0 };
    });
    const dir = mkdtempSync(join(tmpdir(), 'cloak-release-'));
    const input = join(dir, 'day2.csv');
    writeFileSync(input, [HEADER.join(','), ...DAY2.map((row) => row.join(','))].join('\n') + '\n');
    for (const mode of ['one-pass', 'two-pass'] as const) {
      await expect(applyPlanToFile(saved, input, join(dir, `${mode}.csv`), { mode })).rejects.toMatchObject({ code: 'VERIFICATION_FAILED', exitCode: 5 });
    }
    expect(readdirSync(dir)).toEqual(['day2.csv']);
    const received: unknown[] = [];
    const sink = new Writable({ objectMode: true, write: (chunk, _encoding, done) => done(undefined, received.push(chunk)) });
    await expect(pipeline(Readable.from(DAY2.map((row) => Object.fromEntries(HEADER.map((h, c) => [h, row[c]])))), applyPlanStream(saved, { format: 'records' }), sink)).rejects.toMatchObject({ code: 'VERIFICATION_FAILED' });
    expect(received).toEqual([]);
  });
});
