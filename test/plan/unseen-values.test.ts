import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { plan, type AnonymizeOptions, type ModelSpec, type Plan } from '../../src/index.js';
import { PlanApplier } from '../../src/plan/applier.js';

const HIERARCHY = [
  ['x', '*'],
  ['y', '*'],
];

function policy(model: ModelSpec): AnonymizeOptions {
  return {
    attributes: { group: { role: 'quasi-identifying', hierarchy: HIERARCHY }, income: { role: 'sensitive', type: 'integer' } },
    models: [model],
    suppressionLimit: 1,
  };
}

type Row = { group: string; income: string };

/** The re-check of `rows` under the plan: which classes are suppressed, by first appearance. */
function decide(saved: Plan, rows: readonly Row[]): number[] {
  const applier = new PlanApplier(saved);
  applier.bind(['group', 'income'], 'batch');
  rows.forEach((row, i) => applier.count([row.group, row.income], i + 2));
  return Array.from(applier.decide().suppressed);
}

describe('sensitive values the planning data lacked', () => {
  it('ordered distance: an unseen value counts as the nearest planning value below it (the smallest below them all)', async () => {
    const planningRow = fc.record({ group: fc.constantFrom('x', 'y'), income: fc.integer({ min: 0, max: 100 }).map(String) });
    const batchRow = fc.record({ group: fc.constantFrom('x', 'y'), income: fc.integer({ min: -20, max: 120 }).map(String) });
    await fc.assert(
      fc.asyncProperty(fc.array(planningRow, { minLength: 2, maxLength: 20 }), fc.array(batchRow, { minLength: 1, maxLength: 30 }), fc.double({ min: 0.05, max: 0.6, noNaN: true }), async (planning, batch, t) => {
        const saved = await plan(planning, policy({ type: 't-closeness', attribute: 'income', distance: 'ordered', t }));
        const known = [...new Set(planning.map((row) => Number(row.income)))].sort((a, b) => a - b);
        const floor = (value: number) => String(known.filter((k) => k <= value).at(-1) ?? known[0]);
        const asPlanned = batch.map((row) => ({ group: row.group, income: floor(Number(row.income)) }));
        expect(decide(saved, batch)).toEqual(decide(saved, asPlanned));
      }),
      { numRuns: 60, seed: 3 },
    );
  });

  it('ordered distance, by hand: planning 10, 20, 30, 40; a class {25, 45} is measured as {20, 40}', async () => {
    const planning = ['10', '20', '30', '40'].map((income) => ({ group: 'x', income }));
    // Class {20, 40} against uniform p over 4 ranks: cumulative differences −1/4, +1/4, 0 → 0.5 / (m − 1) = 1/6.
    const tight = await plan(planning, policy({ type: 't-closeness', attribute: 'income', distance: 'ordered', t: 1 / 6 }));
    const stricter = await plan(planning, policy({ type: 't-closeness', attribute: 'income', distance: 'ordered', t: 0.16 }));
    const batch = [
      { group: 'x', income: '25' },
      { group: 'x', income: '45' },
    ];
    expect(decide(tight, batch)).toEqual([0]);
    expect(decide(stricter, batch)).toEqual([1]);
  });

  it('equal distance, δ-disclosure, β-likeness: an unseen value has no planning records (p = 0), so its class fails', async () => {
    const planning = ['10', '20', '10', '20'].map((income) => ({ group: 'x', income }));
    const models: ModelSpec[] = [
      // Against p = (1/2, 1/2, 0), the class (1/3, 1/3, 1/3) is at total variation 1/3.
      { type: 't-closeness', attribute: 'income', distance: 'equal', t: 0.3 },
      { type: 'delta-disclosure', attribute: 'income', delta: 5 },
      { type: 'beta-likeness', attribute: 'income', beta: 5 },
    ];
    for (const model of models) {
      const saved = await plan(planning, policy(model));
      // The class {10, 20} is the planning distribution itself; {10, 20, 99} holds a value the plan has p = 0 for.
      expect(decide(saved, [{ group: 'x', income: '10' }, { group: 'x', income: '20' }]), model.type).toEqual([0]);
      expect(decide(saved, [{ group: 'x', income: '10' }, { group: 'x', income: '20' }, { group: 'x', income: '99' }]), model.type).toEqual([1]);
    }
  });
});

describe('values of the wrong type', () => {
  it('are an error naming column and line, never the value, as when anonymizing', async () => {
    const saved = await plan([{ group: 'x', income: '10' }, { group: 'x', income: '20' }], policy({ type: 'distinct-l-diversity', attribute: 'income', l: 1 }));
    const applier = new PlanApplier(saved);
    applier.bind(['group', 'income'], 'batch.csv');
    applier.count(['x', '30'], 2);
    expect(() => applier.count(['x', 'n/a-secret'], 3)).toThrow(expect.objectContaining({ code: 'PLAN_BAD_VALUE', location: { file: 'batch.csv', line: 3, column: 'income' }, message: 'batch.csv:3: a value of column "income" is not a valid integer' }));
  });
});
