// Hints for names not found: near names (case, typos, swaps), the delimiter a one-column header asks for, and the
// problems built from them for missing columns.

import { describe, expect, it } from 'vitest';
import { delimiterProblem, didYouMean, editDistance, missingColumnProblems, nearNames } from '../../src/table/column-names.js';

describe('editDistance', () => {
  it('counts insertions, deletions, substitutions and swaps of neighbours', () => {
    expect(editDistance('age', 'age')).toBe(0);
    expect(editDistance('age', 'ages')).toBe(1);
    expect(editDistance('zip', 'zp')).toBe(1);
    expect(editDistance('race', 'rice')).toBe(1);
    expect(editDistance('sex', 'esx')).toBe(1);
    expect(editDistance('', 'abc')).toBe(3);
    expect(editDistance('kitten', 'sitting')).toBe(3);
  });
});

describe('nearNames', () => {
  const header = ['age', 'sex', 'marital-status', 'education', 'education-num', 'native-country'];

  it('finds names equal but for case first, then small typos, nearest first, at most three', () => {
    expect(nearNames('Age', header)).toEqual(['age']);
    expect(nearNames('marital_status', header)).toEqual(['marital-status']);
    expect(nearNames('eduction', header)).toEqual(['education']);
    expect(nearNames('EDUCATION-NUMBER', header)).toEqual(['education-num']);
    expect(nearNames('age', ['ages', 'AGE'])).toEqual(['AGE', 'ages']);
    expect(nearNames('sx', ['sex', 'sx2', 'zz', 'six', 'ax'])).toEqual(['sex', 'sx2', 'six']);
  });

  it('suggests nothing far away, and never the name itself', () => {
    expect(nearNames('income', header)).toEqual([]);
    expect(nearNames('zip', ['zipcode'])).toEqual([]);
    expect(nearNames('age', ['age'])).toEqual([]);
  });
});

describe('didYouMean', () => {
  it('words one, two or three suggestions', () => {
    expect(didYouMean([])).toBe('');
    expect(didYouMean(['age'])).toBe('; did you mean "age"?');
    expect(didYouMean(['a', 'b', 'c'])).toBe('; did you mean "a", "b" or "c"?');
  });
});

describe('delimiterProblem', () => {
  it('asks for the delimiter that splits a one-column header, naming the flag that sets it', () => {
    expect(delimiterProblem(['age;sex;zip'], 'in.csv')).toBe(`the header of in.csv has one column; is the delimiter ";"? (--delimiter ';')`);
    expect(delimiterProblem(['age\tsex'], 'in.csv')).toBe('the header of in.csv has one column; is the delimiter a tab? (--delimiter tab)');
    // The delimiter giving the most columns wins.
    expect(delimiterProblem(['a,b|c|d'], 'in.csv')).toContain('"|"');
  });

  it('says nothing for a header of several columns, or one that no delimiter splits', () => {
    expect(delimiterProblem(['age', 'sex'], 'in.csv')).toBeUndefined();
    expect(delimiterProblem(['age'], 'in.csv')).toBeUndefined();
  });
});

describe('missingColumnProblems', () => {
  it('gives one delimiter problem instead of one problem per column when the header is one column', () => {
    expect(missingColumnProblems(['age', 'sex', 'zip', 'race', 'income', 'job'], ['age;sex;zip;race;income;job'], 'in.csv')).toEqual([
      `the header of in.csv has one column; is the delimiter ";"? (--delimiter ';')`,
    ]);
  });

  it('names each missing column with its near names', () => {
    const describe = (name: string) => `column "${name}" (quasi-identifying)`;
    expect(missingColumnProblems(['Age', 'sex', 'height'], ['age', 'sex', 'weight'], 'in.csv', describe)).toEqual([
      'column "Age" (quasi-identifying) is not in the header of in.csv; did you mean "age"?',
      'column "height" (quasi-identifying) is not in the header of in.csv; did you mean "weight"?',
    ]);
    expect(missingColumnProblems(['age'], ['age'], 'in.csv')).toEqual([]);
  });
});
