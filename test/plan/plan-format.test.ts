import { describe, expect, it } from 'vitest';
import { parsePlan, plan, PLAN_FORMAT_VERSION, type AnonymizeOptions, type Plan } from '../../src/index.js';
import { planContentSha256 } from '../../src/plan/plan-format.js';
import { ATTRIBUTES, DAY1, POLICY } from './fixtures.js';

/** A plan edited as a user might, with its hash recomputed or not. */
function edited(saved: Plan, change: (plan: Record<string, unknown>) => void, rehash = true): unknown {
  const copy = JSON.parse(JSON.stringify(saved)) as Record<string, unknown>;
  change(copy);
  if (rehash) copy.planSha256 = planContentSha256(copy as unknown as Plan);
  return copy;
}

describe('plan format', () => {
  it('is version 2 and carries only what applying it needs', async () => {
    const saved = await plan(DAY1, POLICY);
    expect(saved.formatVersion).toBe(PLAN_FORMAT_VERSION);
    expect(PLAN_FORMAT_VERSION).toBe(2);
    expect(saved.sensitive).toEqual([{ name: 'disease', type: 'string' }]);
    const tClose: AnonymizeOptions = { ...POLICY, models: [{ type: 'k-anonymity', k: 2 }, { type: 't-closeness', attribute: 'disease', distance: 'equal', t: 0.6 }] };
    expect((await plan(DAY1, tClose)).sensitive).toEqual([{ name: 'disease', type: 'string', counts: [['flu', 3], ['cold', 2], ['cancer', 1]] }]);
  });

  it('refuses versions it does not know, saying which way to go', async () => {
    const saved = await plan(DAY1, POLICY);
    expect(() => parsePlan(edited(saved, (p) => (p.formatVersion = 1)))).toThrow(/version 1 was written by an older Cloak.*plan again/);
    expect(() => parsePlan(edited(saved, (p) => (p.formatVersion = 3)))).toThrow(/version 3 is newer than this Cloak reads \(2\): upgrade Cloak/);
    expect(() => parsePlan(edited(saved, (p) => (p.formatVersion = '2')))).toThrow(/must be the plan format version/);
  });

  it('refuses a plan edited after it was made: models, levels or maps', async () => {
    const saved = await plan(DAY1, POLICY);
    expect(parsePlan(JSON.stringify(saved))).toEqual(saved);
    const weakerK = edited(saved, (p) => ((p.models as { k?: number }[])[0].k = 1), false);
    expect(() => parsePlan(weakerK)).toThrow(expect.objectContaining({ code: 'PLAN_INVALID', message: expect.stringMatching(/edited after it was made/) }));
    const lowerLevel = edited(saved, (p) => ((p.quasiIdentifiers as { level: number }[])[0].level = 0), false);
    expect(() => parsePlan(lowerLevel)).toThrow(/edited after it was made/);
  });

  it('refuses inconsistent plans, listing every problem', async () => {
    const saved = await plan(DAY1, POLICY);
    const broken = edited(saved, (p) => {
      const qi = (p.quasiIdentifiers as { level: number; maxLevel: number; name: string }[])[0];
      qi.level = qi.maxLevel + 1;
      (p.identifying as string[]).push('nowhere');
      (p.models as unknown[]).push({ type: 't-closeness', attribute: 'disease', distance: 'equal', t: 0.5 });
    });
    try {
      parsePlan(broken, 'plan.json');
      expect.unreachable();
    } catch (error) {
      const { code, problems, message } = error as { code: string; problems: string[]; message: string };
      expect(code).toBe('PLAN_INVALID');
      expect(message).toMatch(/^plan\.json: 3 problems in the plan/);
      expect(problems).toEqual([
        '$.identifying[1]: "nowhere" is not one of the plan\'s columns',
        expect.stringMatching(/^\$\.quasiIdentifiers\[0\]\.level: must be an integer from 0 to maxLevel/),
        '$.models[2]: t-closeness compares with the distribution of "disease", which the plan lacks',
      ]);
    }
  });

  it('refuses distributions that do not add up to the planning rows', async () => {
    const tClose: AnonymizeOptions = { attributes: ATTRIBUTES, models: [{ type: 'k-anonymity', k: 2 }, { type: 't-closeness', attribute: 'disease', distance: 'equal', t: 0.6 }], suppressionLimit: 0.5 };
    const saved = await plan(DAY1, tClose);
    const inflated = edited(saved, (p) => ((p.sensitive as { counts: [string, number][] }[])[0].counts[0][1] += 1));
    expect(() => parsePlan(inflated)).toThrow(/counts: must sum to the plan's rows \(6\)/);
  });
});
