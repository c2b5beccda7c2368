// Tests of the k-anonymity checker of cloak/testing on hand-built tables with known verdicts.
// Covers failure naming (index vs labels), suppression inference and the all-`*` top-node case.

import { describe, expect, it } from 'vitest';
import { AnonymizationAssertionError, assertKAnonymous, checkKAnonymity, type ClassFailure } from '../../src/testing/index.js';

const rows = (cells: [string, string, string][]): Record<string, string>[] =>
  cells.map(([age, sex, disease]) => ({ age, sex, disease }));

const table = rows([
  ['30-39', 'M', 'flu'],
  ['30-39', 'M', 'cold'],
  ['40-49', 'F', 'flu'],
  ['30-39', 'M', 'flu'],
  ['*', '*', 'cancer'],
]);

describe('checkKAnonymity', () => {
  it('passes when every class is large enough and reports the smallest class', () => {
    const verdict = checkKAnonymity(table.slice(0, 2), { qi: ['age', 'sex'], k: 2 });
    expect(verdict).toEqual({ ok: true, check: '2-anonymity', stats: { rowCount: 2, classCount: 1, suppressedCount: 0, worst: 2 } });
  });

  it('names the offending class by index and size, with the margin, without values', () => {
    const verdict = checkKAnonymity(table, { qi: ['age', 'sex'], k: 2 });
    expect(verdict.ok).toBe(false);
    if (verdict.ok) return;
    expect(verdict.failureCount).toBe(1);
    const failure = verdict.failures[0] as ClassFailure;
    expect(failure).toMatchObject({ kind: 'class', check: '2-anonymity', classIndex: 1, size: 1, firstRow: 2, measure: 1, required: 2, margin: 1 });
    expect(failure.labels).toBeUndefined();
    expect(failure.message).toBe('class #1 (1 record): size 1 < k = 2, 1 record short.');
    expect(verdict.stats.suppressedCount).toBe(1);
  });

  it('names the class by its labels only with showValues', () => {
    const verdict = checkKAnonymity(table, { qi: ['age', 'sex'], k: 3, showValues: true });
    if (verdict.ok) throw new Error('expected a failure');
    const failure = verdict.failures[0] as ClassFailure;
    expect(failure.labels).toEqual({ age: '40-49', sex: 'F' });
    expect(failure.message).toContain('age="40-49"');
    expect(failure.margin).toBe(2);
  });

  it('counts the all-* row as a class when the caller says nothing is suppressed', () => {
    const verdict = checkKAnonymity(table, { qi: ['age', 'sex'], k: 2, suppressedRows: [false, false, false, false, false] });
    expect(verdict.ok).toBe(false);
    if (verdict.ok) return;
    expect(verdict.failures.map((f) => (f as ClassFailure).classIndex)).toEqual([1, 2]);
    expect(verdict.stats.suppressedCount).toBe(0);
  });

  it('treats a fully generalized table as suppressed by default and as one class when told otherwise', () => {
    const top = rows([
      ['*', '*', 'flu'],
      ['*', '*', 'cold'],
      ['*', '*', 'flu'],
    ]);
    expect(checkKAnonymity(top, { qi: ['age', 'sex'], k: 5 })).toMatchObject({ ok: true, stats: { classCount: 0, suppressedCount: 3 } });
    const asGeneralized = checkKAnonymity(top, { qi: ['age', 'sex'], k: 3, suppressedRows: new Uint8Array(3) });
    expect(asGeneralized).toMatchObject({ ok: true, stats: { classCount: 1, suppressedCount: 0, worst: 3 } });
  });

  it('honours a custom suppression token and caps the listed failures', () => {
    const many = Array.from({ length: 30 }, (_, i) => ({ id: String(i), x: i < 2 ? '-' : String(i) }));
    const verdict = checkKAnonymity(many, { qi: ['x'], k: 2, suppressedToken: '-', maxFailures: 5 });
    if (verdict.ok) throw new Error('expected a failure');
    expect(verdict.failures).toHaveLength(5);
    expect(verdict.failureCount).toBe(28);
  });

  it('assertKAnonymous throws a readable AnonymizationAssertionError', () => {
    expect(() => assertKAnonymous(table, { qi: ['age', 'sex'], k: 1 })).not.toThrow();
    try {
      assertKAnonymous(table, { qi: ['age', 'sex'], k: 2 });
      throw new Error('expected a throw');
    } catch (error) {
      expect(error).toBeInstanceOf(AnonymizationAssertionError);
      const assertion = error as AnonymizationAssertionError;
      expect(assertion.message).toBe('2-anonymity does not hold: 1 failure.\n  - class #1 (1 record): size 1 < k = 2, 1 record short.');
      expect(assertion.exitCode).toBe(5);
      expect(assertion.verdict.ok).toBe(false);
    }
  });

  it('rejects a missing quasi-identifier and an invalid k as usage errors', () => {
    expect(() => checkKAnonymity(table, { qi: ['zip'], k: 2 })).toThrow(/no column "zip"/);
    expect(() => checkKAnonymity(table, { qi: ['age'], k: 0 })).toThrow(/k must be an integer/);
  });
});
