// Tests of the row-wise checkers of cloak/testing: the suppression budget and generalization along hierarchies.
// Each failing case checks that the verdict names the row and column, and hides values unless showValues is given.

import { describe, expect, it } from 'vitest';
import {
  assertGeneralizes,
  assertSuppressionWithin,
  checkGeneralizes,
  checkHierarchy,
  checkPolicy,
  checkSuppressionWithin,
  type Failure,
  type Verdict,
} from '../../src/testing/index.js';

function failures(verdict: Verdict): Failure[] {
  if (verdict.ok) throw new Error('expected a failure');
  return [...verdict.failures];
}

const ageHierarchy = [
  ['31', '30-39', '*'],
  ['35', '30-39', '*'],
  ['42', '40-49', '*'],
];
const sexHierarchy = [
  ['M', '*'],
  ['F', '*'],
];
const hierarchies = { age: ageHierarchy, sex: sexHierarchy };

const original = [
  { age: '31', sex: 'M', disease: 'flu' },
  { age: '35', sex: 'F', disease: 'cold' },
  { age: '42', sex: 'M', disease: 'flu' },
  { age: '31', sex: 'F', disease: 'cancer' },
];

describe('checkSuppressionWithin', () => {
  const output = [
    { age: '30-39', sex: '*', disease: 'flu' },
    { age: '*', sex: '*', disease: 'cold' },
    { age: '*', sex: '*', disease: 'flu' },
    { age: '30-39', sex: '*', disease: 'cancer' },
  ];

  it('counts all-token rows against floor(limit × n)', () => {
    expect(checkSuppressionWithin(original, output, { qi: ['age', 'sex'], limit: 0.5 })).toEqual({
      ok: true,
      check: 'suppression within 50%',
      stats: { rowCount: 4, suppressedCount: 2, allowedSuppressed: 2 },
    });
    const found = failures(checkSuppressionWithin(original, output, { qi: ['age', 'sex'], limit: 0.3 }));
    expect(found).toEqual([
      {
        kind: 'table',
        check: 'suppression within 30%',
        measure: 2,
        required: 1,
        margin: 1,
        message: '2 records are suppressed where floor(0.3 × 4) = 1 are allowed (1 too many).',
      },
    ]);
  });

  it('uses the caller’s suppression decision when given', () => {
    const verdict = checkSuppressionWithin(original, output, { qi: ['age', 'sex'], limit: 0.25, suppressedRows: [false, true, false, false] });
    expect(verdict).toMatchObject({ ok: true, stats: { suppressedCount: 1, allowedSuppressed: 1 } });
  });

  it('guards the floor against binary rounding (0.29 × 100 allows 29)', () => {
    const big = Array.from({ length: 100 }, (_, i) => ({ x: String(i) }));
    const out = big.map((row, i) => (i < 29 ? { x: '*' } : row));
    expect(checkSuppressionWithin(big, out, { qi: ['x'], limit: 0.29 }).ok).toBe(true);
  });

  it('fails when the row count changes', () => {
    const found = failures(checkSuppressionWithin(original, output.slice(1), { qi: ['age', 'sex'], limit: 1 }));
    expect(found[0].message).toBe('The output has 3 rows where the original has 4.');
    expect(() => assertSuppressionWithin(original, output.slice(1), { qi: ['age', 'sex'], limit: 1 })).toThrow(/3 rows/);
  });
});

describe('checkGeneralizes', () => {
  const valid = [
    { age: '30-39', sex: 'M', disease: 'flu' },
    { age: '*', sex: '*', disease: 'cold' },
    { age: '42', sex: '*', disease: 'flu' },
    { age: '30-39', sex: 'F', disease: 'cancer' },
  ];

  it('accepts originals, generalizations and suppressed rows', () => {
    expect(checkGeneralizes(original, valid, { qi: ['age', 'sex'], hierarchies })).toEqual({
      ok: true,
      check: 'generalization of the original',
      stats: { rowCount: 4, suppressedCount: 1 },
    });
    expect(() => assertGeneralizes(original, original, { qi: ['age', 'sex'], hierarchies })).not.toThrow();
  });

  it('names a cell that is not a generalization of its original, quoting values only with showValues', () => {
    const wrong = valid.map((row, i) => (i === 2 ? { ...row, age: '30-39' } : row));
    const hidden = failures(checkGeneralizes(original, wrong, { qi: ['age', 'sex'], hierarchies }));
    expect(hidden).toEqual([
      {
        kind: 'row',
        check: 'generalization of the original',
        row: 2,
        column: 'age',
        message: 'Row 2, column "age": the output is neither the original value nor one of its generalizations.',
      },
    ]);
    const shown = failures(checkGeneralizes(original, wrong, { qi: ['age', 'sex'], hierarchies, showValues: true }));
    expect(shown[0].message).toContain('(original "42", output "30-39")');
  });

  it('detects swapped rows through changed non-quasi-identifiers', () => {
    const swapped = [valid[1], valid[0], valid[2], valid[3]].map((row, i) => ({ ...row, age: '*', sex: i === 1 ? '*' : 'M' }));
    const found = failures(checkGeneralizes(original, swapped, { qi: ['age', 'sex'], hierarchies }));
    expect(found.filter((f) => f.kind === 'row' && f.column === 'disease').map((f) => (f.kind === 'row' ? f.row : -1))).toEqual([0, 1]);
  });

  it('checks that rows given as suppressed carry the token', () => {
    const found = failures(checkGeneralizes(original, valid, { qi: ['age', 'sex'], hierarchies, suppressedRows: [true, true, false, false] }));
    expect(found.map((f) => f.message)).toEqual([
      'Row 0 is given as suppressed but column "age" is not the suppression token.',
      'Row 0 is given as suppressed but column "sex" is not the suppression token.',
    ]);
  });

  it('reports row-count changes, missing and extra columns; ignores listed columns', () => {
    expect(failures(checkGeneralizes(original, valid.slice(0, 3), { qi: ['age', 'sex'], hierarchies }))[0].message).toContain('rows cannot be matched');
    const reshaped = valid.map(({ disease, ...rest }) => ({ ...rest, illness: disease }));
    expect(failures(checkGeneralizes(original, reshaped, { qi: ['age', 'sex'], hierarchies })).map((f) => f.message)).toEqual([
      'The output lacks column "disease".',
      'The output has column "illness", which the original lacks.',
    ]);
    expect(checkGeneralizes(original, reshaped, { qi: ['age', 'sex'], hierarchies, ignoreColumns: ['disease', 'illness'] }).ok).toBe(true);
    const noSex = valid.map(({ sex: _sex, ...rest }) => rest);
    expect(failures(checkGeneralizes(original, noSex, { qi: ['age', 'sex'], hierarchies }))[0].message).toBe('The output lacks quasi-identifier "sex".');
  });

  it('needs a hierarchy per quasi-identifier', () => {
    expect(() => checkGeneralizes(original, valid, { qi: ['age', 'sex'], hierarchies: { age: ageHierarchy } })).toThrow(/No hierarchy/);
  });
});

describe('checkGeneralizes and checkPolicy on local recodings (levels chosen record by record)', () => {
  // Rows 0 and 3 keep age 31 and generalize sex; rows 1 and 2 generalize age only, each to its own label.
  const mixed = [
    { age: '31', sex: '*', disease: 'flu' },
    { age: '30-39', sex: 'F', disease: 'cold' },
    { age: '40-49', sex: 'M', disease: 'flu' },
    { age: '31', sex: '*', disease: 'cancer' },
  ];

  it('accepts every cell that is its own original or one of that original’s labels, whatever the level', () => {
    expect(checkGeneralizes(original, mixed, { qi: ['age', 'sex'], hierarchies }).ok).toBe(true);
  });

  it('refuses a cell released as the label of another value, though that label is in the hierarchy', () => {
    const wrong = mixed.map((row, index) => (index === 2 ? { ...row, age: '30-39' } : row));
    const [failure] = failures(checkGeneralizes(original, wrong, { qi: ['age', 'sex'], hierarchies }));
    expect(failure).toMatchObject({ kind: 'row', row: 2, column: 'age' });
  });

  it('checks the models over the released classes, which records at different levels form', () => {
    // Classes: {31, *} ×2 and the singletons (30-39, F), (40-49, M): 2-anonymity fails on those, suppressed nothing.
    const policy = { attributes: { age: { role: 'quasi-identifying' as const, hierarchy: ageHierarchy }, sex: { role: 'quasi-identifying' as const, hierarchy: sexHierarchy } }, models: [{ type: 'k-anonymity' as const, k: 2 }] };
    const verdict = checkPolicy(original, mixed, policy);
    expect(verdict.ok).toBe(false);
    expect(verdict.stats.classCount).toBe(3);
    // Reading * everywhere counts as suppressed: with rows 1 and 2 starred and half the records allowed, it passes.
    const starred = mixed.map((row, index) => (index === 1 || index === 2 ? { ...row, age: '*', sex: '*' } : row));
    expect(checkPolicy(original, starred, { ...policy, suppressionLimit: 0.5 }).ok).toBe(true);
    expect(checkPolicy(original, starred, { ...policy, suppressionLimit: 0.25 }).ok).toBe(false);
  });
});

describe('checkHierarchy', () => {
  it('accepts nested rows and lists every problem of broken ones', () => {
    expect(checkHierarchy(ageHierarchy, { domain: ['31', '42'] }).ok).toBe(true);
    const broken = [...ageHierarchy, ['35', '40-49', '*'], ['50', '50-59']];
    expect(failures(checkHierarchy(broken)).map((f) => f.message)).toEqual(['Row 4 has 2 columns where row 0 has 3.']);
    const unnested = [...ageHierarchy, ['44', '40-49', 'top']];
    expect(failures(checkHierarchy(unnested, { domain: ['31', '99'] })).map((f) => f.message)).toEqual([
      'Level 1 label of rows 2 and 3 has two different level 2 labels: not nested.',
      'The top level (column 2) has 2 labels, not a single root.',
      '1 domain value has no hierarchy row.',
    ]);
  });
});
