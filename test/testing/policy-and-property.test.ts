// Tests of the whole-policy checker and of propertyAnonymizes with toy pipelines, correct and broken.
// The toy "top node" pipeline is a valid (if useless) anonymizer; the broken ones must yield small counterexamples.

import { Table, Utf8, vectorFromArray } from 'apache-arrow';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { AnonymizeOptions } from '../../src/options.js';
import {
  AnonymizationAssertionError,
  arbitraryDataset,
  assertPolicy,
  checkPolicy,
  propertyAnonymizes,
  type Dataset,
  type PipelineResult,
} from '../../src/testing/index.js';

const hierarchy = [
  ['31', '30-39', '*'],
  ['35', '30-39', '*'],
  ['42', '40-49', '*'],
  ['47', '40-49', '*'],
];
const policy: AnonymizeOptions = {
  attributes: {
    age: { role: 'quasi-identifying', hierarchy },
    disease: { role: 'sensitive' },
    name: { role: 'identifying' },
  },
  models: [
    { type: 'k-anonymity', k: 2 },
    { type: 'distinct-l-diversity', attribute: 'disease', l: 2 },
  ],
  suppressionLimit: 0,
};
const original = [
  { name: 'Ann', age: '31', disease: 'flu' },
  { name: 'Bob', age: '35', disease: 'cold' },
  { name: 'Cid', age: '42', disease: 'flu' },
  { name: 'Dee', age: '47', disease: 'flu' },
];

describe('checkPolicy', () => {
  it('passes a valid output, with identifying columns exempt', () => {
    const output = [
      { name: '*', age: '30-39', disease: 'flu' },
      { name: '*', age: '30-39', disease: 'cold' },
      { name: '*', age: '*', disease: 'flu' },
      { name: '*', age: '*', disease: 'flu' },
    ];
    // Rows 2 and 3 are generalized to the top, not suppressed: the caller says so.
    const verdict = checkPolicy(original, output, policy, { suppressedRows: [false, false, false, false] });
    expect(verdict.ok).toBe(false);
    if (verdict.ok) return;
    // The 40-49 rows sit at * with only "flu": distinct 2-diversity fails there, and only there.
    expect(verdict.verdicts.map((v) => [v.check, v.ok])).toEqual([
      ['generalization of the original', true],
      ['suppression within 0%', true],
      ['2-anonymity', true],
      ['distinct 2-diversity (disease)', false],
    ]);
    expect(verdict.failures[0]).toMatchObject({ check: 'distinct 2-diversity (disease)', classIndex: 1, size: 2, margin: 1 });
  });

  it('gathers failures of every part, each naming its check', () => {
    const output = original.map((row) => ({ ...row, name: 'x' }));
    const verdict = checkPolicy(original, output, policy);
    if (verdict.ok) throw new Error('expected a failure');
    expect(new Set(verdict.failures.map((f) => f.check))).toEqual(new Set(['2-anonymity', 'distinct 2-diversity (disease)']));
    expect(verdict.failureCount).toBe(8);
    expect(verdict.stats).toEqual({ rowCount: 4, classCount: 4, suppressedCount: 0, allowedSuppressed: 0 });
    expect(() => assertPolicy(original, output, policy)).toThrow(AnonymizationAssertionError);
    expect(() => assertPolicy(original, output, policy)).toThrow(/policy does not hold: 8 failures/);
  });

  it('skips models when the output lacks their columns, failing the generalization part instead', () => {
    const output = original.map(({ disease: _disease, ...rest }) => ({ ...rest, age: '*' }));
    const verdict = checkPolicy(original, output, { ...policy, suppressionLimit: 1 });
    expect(verdict.verdicts.map((v) => v.check)).toEqual(['generalization of the original', 'suppression within 100%', '2-anonymity']);
    expect(verdict.ok).toBe(false);
  });
});

/** Generalizes every quasi-identifier to the top and reports rows as generalized, not suppressed; "no solution" when that fails. */
function topNode(dataset: Dataset): PipelineResult {
  const qi = Object.entries(dataset.policy.attributes)
    .filter(([, attribute]) => attribute.role === 'quasi-identifying')
    .map(([name]) => name);
  const output = dataset.table.map((row) => ({ ...row, ...Object.fromEntries(qi.map((name) => [name, '*'])) }));
  const suppressedRows = output.map(() => false);
  if (!checkPolicy(dataset.table, output, dataset.policy, { suppressedRows }).ok) {
    throw Object.assign(new Error('no solution'), { exitCode: 4 });
  }
  return { output, suppressedRows };
}

describe('propertyAnonymizes', () => {
  const dataset = arbitraryDataset({ rows: { min: 0, max: 12 } });

  it('passes a valid pipeline, tolerating "no solution"', async () => {
    await propertyAnonymizes(topNode, { dataset, numRuns: 60, seed: 1 }).check();
  });

  it('accepts Arrow outputs', async () => {
    const toArrow = (dataset: Dataset): PipelineResult => {
      const { output, suppressedRows } = topNode(dataset) as { output: Record<string, string>[]; suppressedRows: boolean[] };
      const names = Object.keys(dataset.policy.attributes);
      const table = new Table(Object.fromEntries(names.map((name) => [name, vectorFromArray(output.map((row) => row[name]), new Utf8())])));
      return { output: table, suppressedRows };
    };
    await propertyAnonymizes(toArrow, { dataset: arbitraryDataset({ rows: { min: 1, max: 12 } }), numRuns: 30, seed: 2 }).check();
  });

  it('fails "no solution" when it is not allowed, and any other error', async () => {
    const noSolution = async (): Promise<PipelineResult> => {
      throw Object.assign(new Error('none'), { code: 'NO_SOLUTION' });
    };
    await propertyAnonymizes(noSolution, { dataset, numRuns: 5 }).check();
    const strict = propertyAnonymizes(noSolution, { dataset, numRuns: 5, allowNoSolution: false });
    expect((await fc.check(strict.property, strict.parameters)).errorInstance).toMatchObject({ message: 'none' });
    const crash = (): PipelineResult => {
      throw new TypeError('boom');
    };
    await expect(propertyAnonymizes(crash, { dataset, numRuns: 5 }).check()).rejects.toThrow(/Property failed/);
  });

  it('catches an identity pipeline with a minimal counterexample', async () => {
    const { property, parameters } = propertyAnonymizes((d) => d.table, { dataset, numRuns: 100, seed: 3 });
    const details = await fc.check(property, parameters);
    expect(details.failed).toBe(true);
    const [counterexample] = details.counterexample!;
    expect(counterexample.table.length).toBeLessThanOrEqual(2);
    expect(details.errorInstance).toBeInstanceOf(AnonymizationAssertionError);
  });

  it('catches a pipeline that drops a row, and one that reads "*" as suppression at the top node', async () => {
    const dropsRow = (d: Dataset): PipelineResult => {
      const result = topNode(d) as { output: Record<string, string>[] };
      return result.output.slice(1);
    };
    const dropped = await fc.check(propertyAnonymizes(dropsRow, { dataset, numRuns: 100, seed: 4 }).property, { numRuns: 100, seed: 4 });
    expect(dropped.failed).toBe(true);
    expect((dropped.errorInstance as Error).message).toMatch(/rows where the original has/);
    const unwrapped = (d: Dataset): PipelineResult => (topNode(d) as { output: Record<string, string>[] }).output;
    const inferred = await fc.check(propertyAnonymizes(unwrapped, { dataset, numRuns: 100, seed: 5 }).property, { numRuns: 100, seed: 5 });
    expect(inferred.failed).toBe(true);
    expect((inferred.errorInstance as Error).message).toMatch(/records are suppressed/);
  });
});
