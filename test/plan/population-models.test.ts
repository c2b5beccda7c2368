// Plans and the models of issue 22: differential privacy, δ-presence and counted k-map refused with their reason (by
// plan() and by parsePlan), an estimated k-map judged on the size of the data at hand, and risk limits that suppress
// the smallest classes when a plan is applied, as when it was made.

import { describe, expect, it } from 'vitest';
import { anonymize, applyPlan, parsePlan, plan, type Plan } from '../../src/index.js';
import { planContentSha256 } from '../../src/plan/plan-format.js';
import { estimateKMapK } from '../../src/risk/k-map-estimate.js';
import { ATTRIBUTES, DAY1, POLICY } from './fixtures.js';

async function rowsOf(batches: AsyncIterable<{ toArray(): unknown[] }>): Promise<Record<string, string>[]> {
  const rows: Record<string, string>[] = [];
  for await (const batch of batches) for (const row of batch.toArray()) rows.push({ ...(row as { toJSON(): Record<string, string> }).toJSON() });
  return rows;
}

describe('models a plan cannot carry', () => {
  it('plan() refuses differential privacy before searching, saying why', async () => {
    const error = await plan(DAY1, { attributes: ATTRIBUTES, models: [{ type: 'differential-privacy', epsilon: 1, delta: 1e-5 }] }).catch((caught: unknown) => caught);
    expect(error).toMatchObject({ code: 'PLAN_MODEL_UNSUPPORTED', exitCode: 2 });
    expect((error as Error).message).toMatch(/differential privacy cannot be planned: its guarantee rests on a fresh random sample of each input/);
  });

  it('parsePlan refuses a plan holding one (made by hand, hash and all)', async () => {
    const saved = await plan(DAY1, POLICY);
    for (const [model, reason] of [
      [{ type: 'differential-privacy', epsilon: 1, delta: 1e-5 }, /differential privacy cannot be planned/],
      [{ type: 'delta-presence', deltaMin: 0, deltaMax: 1, subsetColumn: 'name' }, /δ-presence cannot be planned/],
      [{ type: 'k-map', k: 2 }, /k-map counted from a population table cannot be planned/],
    ] as const) {
      const { planSha256: _hash, ...content } = { ...saved, models: [...saved.models, model] } as Plan;
      const forged = { ...content, planSha256: planContentSha256(content) };
      expect(() => parsePlan(JSON.stringify(forged))).toThrow(expect.objectContaining({ code: 'PLAN_INVALID', message: expect.stringMatching(reason) }));
    }
  });
});

describe('models a plan carries', () => {
  it('an estimated k-map is judged on the size of the data it is applied to', async () => {
    // 10-map with 600 people: on day 1's 6 records λ = 0.1 and k′ = 3; on 60 records λ = 1 and k′ = 6.
    const policy = { attributes: ATTRIBUTES, models: [{ type: 'k-map' as const, k: 10, estimator: 'poisson' as const, populationSize: 600 }], suppressionLimit: 1 };
    expect([estimateKMapK(10, 6, 600, 0.01, 'poisson').k, estimateKMapK(10, 60, 600, 0.01, 'poisson').k]).toEqual([3, 6]);
    const saved = await plan(DAY1, policy);
    // 56 copies of a and 4 of d: d's class of 4 would pass k′ = 3 but fails k′ = 6.
    const [a, , , d] = DAY1;
    const applied = await rowsOf(applyPlan(saved, () => [...Array.from({ length: 56 }, () => a), ...Array.from({ length: 4 }, () => d)], { mode: 'two-pass' }));
    expect(applied.slice(56).every((row) => row.age === '*' && row.zip === '*')).toBe(true);
    expect(applied.slice(0, 56).every((row) => row.age !== '*')).toBe(true);
  });

  it('risk limits suppress the smallest classes when a plan is applied, as anonymize did', async () => {
    // Three copies of day 1 and one record aged 44: average risk ≤ 0.3 is met by suppressing that singleton.
    const data = [...DAY1, ...DAY1, ...DAY1, { name: 'g', age: '44', zip: '12345', disease: 'flu' }];
    const policy = { attributes: ATTRIBUTES, models: [{ type: 'average-risk' as const, maxRisk: 0.3 }], suppressionLimit: 0.2 };
    const { report } = await anonymize(data, policy);
    expect(report.suppressedForRiskLimits).toEqual({ records: 1, classes: 1 });
    const saved = await plan(data, policy);
    const rows = await rowsOf(applyPlan(saved, () => data, { mode: 'two-pass' }));
    expect(rows.map((row) => row.age === '*')).toEqual(data.map((record) => record.age === '44'));
  });
});
