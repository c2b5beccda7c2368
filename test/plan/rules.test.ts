// Builder hierarchies in plans are rules, not lists (issue 21 item 2): the next batch may hold values the planning
// batch lacked, and a rule labels them; a value no rule covers is still an error naming column and line.

import { describe, expect, it } from 'vitest';
import { applyPlan, buildHierarchy, parsePlan, plan, type AnonymizeOptions, type HierarchySpec, type Plan } from '../../src/index.js';
import { planContentSha256 } from '../../src/plan/plan-format.js';

const BATCH1 = [
  { age: '23', zip: '12345', region: 'north' },
  { age: '27', zip: '12346', region: 'north' },
  { age: '34', zip: '12355', region: 'south' },
  { age: '36', zip: '12356', region: 'south' },
];

const POLICY: AnonymizeOptions = {
  attributes: {
    age: { role: 'quasi-identifying', hierarchy: { type: 'interval', width: 10, fanout: [2] } },
    zip: { role: 'quasi-identifying', hierarchy: { type: 'mask' } },
    region: { role: 'quasi-identifying', hierarchy: { type: 'group', levels: [{ north: ['north', 'west'], south: ['south', 'east'] }] } },
  },
  models: [{ type: 'k-anonymity', k: 2 }],
};

async function released(saved: Plan, records: readonly Record<string, string>[]): Promise<Record<string, string>[]> {
  const rows: Record<string, string>[] = [];
  for await (const batch of applyPlan(saved, () => records, { mode: 'two-pass' })) for (const row of batch.toArray()) rows.push({ ...(row as { toJSON(): Record<string, string> }).toJSON() });
  return rows;
}

describe('rules in plans', () => {
  it('keeps interval, mask and group specs as rules, and survives a JSON round trip', async () => {
    const saved = await plan(BATCH1, POLICY);
    expect(saved.quasiIdentifiers.map((qi) => [qi.name, qi.rule?.type, qi.map])).toEqual([
      ['age', 'interval', undefined],
      ['zip', 'mask', undefined],
      ['region', 'group', undefined],
    ]);
    expect(parsePlan(JSON.stringify(saved))).toEqual(saved);
  });

  it('labels values the planning batch lacked: new ages, codes, and listed group members', async () => {
    const saved = await plan(BATCH1, POLICY);
    const levels = Object.fromEntries(saved.quasiIdentifiers.map((qi) => [qi.name, qi.level]));
    const batch2 = [
      { age: '21', zip: '12347', region: 'west' },
      { age: '29', zip: '12348', region: 'west' },
      { age: '31', zip: '12351', region: 'east' },
      { age: '38', zip: '12359', region: 'east' },
    ];
    const rows = await released(saved, batch2);
    expect(rows).toHaveLength(4);
    expect(rows.every((row) => row.age !== '*')).toBe(true);
    // The labels the built hierarchy of these very values gives at the planned levels (rows, not the plan's rule).
    // The mask is built over batch 1's codes too: a mask's width comes from the planning data.
    for (const name of ['age', 'zip', 'region'] as const) {
      const values = [...new Set([...batch2.map((r) => r[name]), ...(name === 'zip' ? BATCH1.map((r) => r.zip) : [])])];
      const built = new Map(buildHierarchy(POLICY.attributes[name].hierarchy as HierarchySpec, values).map((row) => [row[0], row]));
      rows.forEach((row, i) => expect(row[name], `${name} of row ${i}`).toBe(row.age === '*' && row.zip === '*' && row.region === '*' ? '*' : built.get(batch2[i][name])![levels[name]]));
    }
  });

  it('still refuses a value no rule covers, naming column and line, never the value', async () => {
    const saved = await plan(BATCH1, { ...POLICY, attributes: { ...POLICY.attributes, age: { role: 'quasi-identifying', hierarchy: { type: 'interval', width: 10, domain: { from: 0, to: 99 } } } } });
    const batch2 = [...BATCH1, { age: '123', zip: '12345', region: 'north' }];
    await expect(released(saved, batch2)).rejects.toMatchObject({ code: 'PLAN_UNKNOWN_VALUE', location: { line: 5, column: 'age' } });
    await expect(released(saved, [...BATCH1, { age: '25', zip: '12345', region: 'nowhere' }])).rejects.toMatchObject({ code: 'PLAN_UNKNOWN_VALUE', location: { column: 'region' } });
    await expect(released(saved, [...BATCH1, { age: '25', zip: '1234567', region: 'north' }])).rejects.toThrow(/column "zip" is not in the plan's hierarchy/);
  });

  it('keeps data-dependent builders (frequency) as lists', async () => {
    const saved = await plan(BATCH1, { ...POLICY, attributes: { ...POLICY.attributes, region: { role: 'quasi-identifying', hierarchy: { type: 'frequency', threshold: 2 } } } });
    const region = saved.quasiIdentifiers.find((qi) => qi.name === 'region')!;
    expect(region.rule).toBeUndefined();
    expect(region.map?.map(([value]) => value)).toEqual(['north', 'south']);
  });

  it('refuses rules that do not fit the plan', async () => {
    const saved = await plan(BATCH1, POLICY);
    const edit = (change: (qi: Record<string, unknown>) => void) => {
      const copy = JSON.parse(JSON.stringify(saved));
      change(copy.quasiIdentifiers[0]);
      copy.planSha256 = planContentSha256(copy);
      return () => parsePlan(copy);
    };
    expect(edit((qi) => (qi.maxLevel = (qi.maxLevel as number) + 1))).toThrow(/the rule's hierarchy has \d levels above the values/);
    expect(edit((qi) => (qi.map = [['23', '*']]))).toThrow(/either map: \[\[value, label\], …\] or rule/);
    expect(edit((qi) => ((qi.rule as { width: number }).width = -5))).toThrow(/width must be greater than 0/);
  });
});
