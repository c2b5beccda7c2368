// The independent risk checker of cloak/testing (used by the pre-write verification and `cloak check`):
// hand-computed verdicts over decoded strings, failure shapes, and messages without values.

import { describe, expect, it } from 'vitest';
import { CloakError } from '../../src/errors.js';
import type { ModelSpec } from '../../src/options.js';
import { checkRisk } from '../../src/testing/risk.js';
import { checkModels } from '../../src/testing/policy.js';

// Classes A×1, B×2, C×5 and one suppressed record: 8 released records in 3 classes.
const table = [
  { q: 'A', s: 'x' },
  { q: 'B', s: 'x' },
  { q: 'B', s: 'y' },
  ...Array.from({ length: 5 }, () => ({ q: 'C', s: 'x' })),
  { q: '*', s: 'y' },
];
const check = (model: ModelSpec) => checkRisk(table, { qi: ['q'], model: model as never });

describe('checkRisk', () => {
  it('fails highest risk per class, naming classes by index and size', () => {
    const verdict = check({ type: 'highest-risk', maxRisk: 0.5 });
    expect(verdict.ok).toBe(false);
    if (verdict.ok) return;
    expect(verdict.failures).toHaveLength(1);
    expect(verdict.failures[0]).toMatchObject({ kind: 'class', classIndex: 0, size: 1, measure: 1, required: 0.5, margin: 0.5 });
    expect(verdict.failures[0].message).not.toContain('A');
    expect(check({ type: 'highest-risk', maxRisk: 1 }).ok).toBe(true);
  });

  it('judges average risk and records at risk over the released records as one figure', () => {
    expect(check({ type: 'average-risk', maxRisk: 3 / 8 }).ok).toBe(true);
    const failed = check({ type: 'average-risk', maxRisk: 0.37 });
    expect(failed.ok).toBe(false);
    if (!failed.ok) expect(failed.failures[0]).toMatchObject({ kind: 'table', measure: 3 / 8, required: 0.37 });
    // Risks 1 and 1/2 are above 0.25: 3 of 8 records.
    expect(check({ type: 'records-at-risk', maxShare: 3 / 8, threshold: 0.25 }).ok).toBe(true);
    expect(check({ type: 'records-at-risk', maxShare: 0.3, threshold: 0.25 }).ok).toBe(false);
    expect(check({ type: 'records-at-risk', maxShare: 0, threshold: 1 }).ok).toBe(true);
  });

  it('fails a population model that gives no estimate instead of reading it as zero', () => {
    const singletons = [{ q: 'A' }, { q: 'B' }, { q: 'C' }];
    const verdict = checkRisk(singletons, { qi: ['q'], model: { type: 'population-uniqueness', maxUniqueness: 1, populationSize: 100, model: 'pitman' } });
    expect(verdict.ok).toBe(false);
    if (!verdict.ok) expect(verdict.failures[0].message).toContain('gives no estimate');
  });

  it('runs as part of a policy check and refuses non-risk specs', () => {
    const policy = { attributes: { q: { role: 'quasi-identifying' as const } }, models: [{ type: 'average-risk' as const, maxRisk: 0.4 }] };
    expect(checkModels(table, policy).ok).toBe(true);
    expect(() => checkRisk(table, { qi: ['q'], model: { type: 'k-anonymity', k: 2 } as never })).toThrow(CloakError);
  });
});
