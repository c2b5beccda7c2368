// The factory and its helpers: spec validation, model construction, minimum class size, value order, sorting.

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { CloakError } from '../../src/errors.js';
import { createModel, minimumClassSize, validateModelSpecs } from '../../src/models/index.js';
import { sortPrefixAscending } from '../../src/models/sensitive-support.js';
import { compareCodePoints, orderValues } from '../../src/models/value-order.js';
import type { ModelSpec } from '../../src/options.js';
import type { AttributeType } from '../../src/table/encoded-table.js';
import { classesOf, contextOf } from './fixtures.js';

const attribute = 'diagnosis';

describe('validateModelSpecs', () => {
  it('accepts valid specs', () => {
    const specs: ModelSpec[] = [
      { type: 'k-anonymity', k: 5 },
      { type: 'distinct-l-diversity', attribute, l: 2 },
      { type: 'entropy-l-diversity', attribute, l: 2.5, estimator: 'grassberger' },
      { type: 'recursive-cl-diversity', attribute, c: 3, l: 2 },
      { type: 't-closeness', attribute, t: 0, distance: 'ordered' },
      { type: 't-closeness', attribute, t: 1, distance: 'hierarchical' },
      { type: 'delta-disclosure', attribute, delta: 1.2 },
      { type: 'beta-likeness', attribute, beta: 1, enhanced: true },
    ];
    expect(validateModelSpecs(specs, [attribute])).toEqual([]);
  });

  it('reports every problem at once', () => {
    const specs = [
      { type: 'k-anonymity', k: 0 },
      { type: 'k-anonymity', k: 2.5 },
      { type: 'distinct-l-diversity', attribute, l: 0.5 },
      { type: 'entropy-l-diversity', attribute: 'salary', l: Number.NaN, estimator: 'miller' },
      { type: 'recursive-cl-diversity', attribute, c: 0, l: 2 },
      { type: 't-closeness', attribute, t: 1.5, distance: 'manhattan' },
      { type: 't-closeness', attribute, t: -0.1, distance: 'equal' },
      { type: 'delta-disclosure', attribute, delta: 0 },
      { type: 'beta-likeness', attribute, beta: -1, enhanced: 'yes' },
      { type: 'l-closeness' },
      { type: 'beta-likeness', beta: 1 },
    ] as unknown as ModelSpec[];
    expect(validateModelSpecs(specs, [attribute])).toEqual([
      'models[0] (k-anonymity): k = 0 must be at least 1',
      'models[1] (k-anonymity): k = 2.5 must be an integer',
      'models[2] (distinct-l-diversity): l = 0.5 must be an integer',
      'models[2] (distinct-l-diversity): l = 0.5 must be at least 1',
      'models[3] (entropy-l-diversity): attribute "salary" is not a sensitive attribute',
      'models[3] (entropy-l-diversity): l must be a finite number',
      'models[3] (entropy-l-diversity): estimator must be one of shannon, grassberger',
      'models[4] (recursive-cl-diversity): c = 0 must be greater than 0',
      'models[5] (t-closeness): t = 1.5 must be in [0, 1]',
      'models[5] (t-closeness): distance must be one of equal, ordered, hierarchical',
      'models[6] (t-closeness): t = -0.1 must be in [0, 1]',
      'models[7] (delta-disclosure): delta = 0 must be greater than 0',
      'models[8] (beta-likeness): beta = -1 must be greater than 0',
      'models[8] (beta-likeness): enhanced must be true or false',
      'models[9]: unknown model type; expected one of k-anonymity, distinct-l-diversity, entropy-l-diversity, recursive-cl-diversity, t-closeness, delta-disclosure, beta-likeness, average-risk, highest-risk, records-at-risk, population-uniqueness, k-map, delta-presence, differential-privacy',
      'models[10] (beta-likeness): attribute must name a sensitive attribute',
    ]);
  });

  it('rejects infinities and an empty model list', () => {
    expect(validateModelSpecs([{ type: 'delta-disclosure', attribute, delta: Infinity }], [attribute])).toEqual([
      'models[0] (delta-disclosure): delta must be a finite number',
    ]);
    expect(validateModelSpecs([], [attribute])).toEqual(['no privacy model is given']);
  });
});

describe('createModel', () => {
  const context = contextOf([3, 2, 1]);

  it('labels each model', () => {
    const labels = (
      [
        { type: 'k-anonymity', k: 5 },
        { type: 'distinct-l-diversity', attribute, l: 3 },
        { type: 'entropy-l-diversity', attribute, l: 2 },
        { type: 'entropy-l-diversity', attribute, l: 2, estimator: 'grassberger' },
        { type: 'recursive-cl-diversity', attribute, c: 2, l: 3 },
        { type: 't-closeness', attribute, t: 0.2, distance: 'equal' },
        { type: 't-closeness', attribute, t: 0.2, distance: 'ordered' },
        { type: 'delta-disclosure', attribute, delta: 1 },
        { type: 'beta-likeness', attribute, beta: 1 },
        { type: 'beta-likeness', attribute, beta: 1, enhanced: true },
      ] as ModelSpec[]
    ).map((spec) => createModel(spec, context).label);
    expect(labels).toEqual([
      '5-anonymity',
      'distinct 3-diversity (diagnosis)',
      'entropy 2-diversity (diagnosis)',
      'grassberger-entropy 2-diversity (diagnosis)',
      'recursive (2,3)-diversity (diagnosis)',
      '0.2-closeness, equal distance (diagnosis)',
      '0.2-closeness, ordered distance (diagnosis)',
      '1-disclosure privacy (diagnosis)',
      'basic 1-likeness (diagnosis)',
      'enhanced 1-likeness (diagnosis)',
    ]);
  });

  it('keeps the spec and is a usage error for an attribute that is not sensitive', () => {
    const spec: ModelSpec = { type: 'distinct-l-diversity', attribute, l: 2 };
    expect(createModel(spec, context).spec).toBe(spec);
    expect(() => createModel({ type: 'distinct-l-diversity', attribute: 'zip', l: 2 }, context)).toThrow(
      expect.objectContaining({ code: 'MODEL_UNKNOWN_ATTRIBUTE', exitCode: 2 }),
    );
  });

  it('handles classes with more values than insertion sort is used for', () => {
    const domain = 40;
    const wide = contextOf(Array.from({ length: domain }, () => 10));
    // Counts 40, 39, …, 1 in scrambled code order; l = 3: tail = 1 + … + 38 = 741.
    const histogram = Array.from({ length: domain }, (_, code) => [code, ((code * 17) % domain) + 1] as const);
    const model = createModel({ type: 'recursive-cl-diversity', attribute, c: 1, l: 3 }, wide);
    expect(model.classMeasure(classesOf([histogram]), 0)).toBeCloseTo(40 / 741, 15);
  });
});

describe('minimumClassSize', () => {
  it('is the largest minimum, 1 without models', () => {
    const context = contextOf([3, 2, 1]);
    const models = (
      [
        { type: 'k-anonymity', k: 4 },
        { type: 'entropy-l-diversity', attribute, l: 4.2 },
        { type: 't-closeness', attribute, t: 0.2, distance: 'equal' },
      ] as ModelSpec[]
    ).map((spec) => createModel(spec, context));
    expect(models.map((model) => model.minClassSize)).toEqual([4, 5, 1]);
    expect(minimumClassSize(models)).toBe(5);
    expect(minimumClassSize([])).toBe(1);
  });
});

describe('value order', () => {
  const order = (type: AttributeType, dictionary: string[], counts = dictionary.map(() => 1)): string[] => {
    const { codeAtRank } = orderValues(contextOf(counts, { type, dictionary }).sensitive[0]);
    return Array.from(codeAtRank, (code) => dictionary[code]);
  };

  it('sorts numbers numerically and skips codes without records', () => {
    expect(order('decimal', ['2.5', '-1', '10', '0.75'])).toEqual(['-1', '0.75', '2.5', '10']);
    expect(order('integer', ['3', '1', '2'], [1, 0, 1])).toEqual(['2', '3']);
  });

  it('sorts ISO dates as text and other formats by parsing them with the declared format', () => {
    expect(order('date', ['2020-03-01', '2019-12-31T23:59', '2020-01-15'])).toEqual(['2019-12-31T23:59', '2020-01-15', '2020-03-01']);
    const usDates = ['03/01/2020', '12/31/2019', '01/15/2020'];
    const { codeAtRank } = orderValues({ ...contextOf([1, 1, 1], { type: 'date', dictionary: usDates }).sensitive[0], format: 'MM/DD/YYYY' });
    expect(Array.from(codeAtRank, (code) => usDates[code])).toEqual(['12/31/2019', '01/15/2020', '03/01/2020']);
    // Without the format they are not dates of the default YYYY-MM-DD form.
    expect(() => order('date', usDates)).toThrow(CloakError);
  });

  it('sorts strings by code point', () => {
    // U+1F600 (surrogate pair) comes after U+FF5E by code point, before it by UTF-16 unit.
    expect(order('string', ['\u{1F600}', '\uFF5E', 'b', 'a'])).toEqual(['a', 'b', '\uFF5E', '\u{1F600}']);
    expect(compareCodePoints('ab', 'a')).toBeGreaterThan(0);
    expect(compareCodePoints('a', 'a')).toBe(0);
  });

  it('is an input error, quoting no value, when a value does not parse', () => {
    let error: unknown;
    try {
      order('integer', ['1', 'secret-value']);
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(CloakError);
    expect((error as CloakError).code).toBe('MODEL_VALUE_NOT_ORDERED');
    expect((error as CloakError).message).not.toContain('secret-value');
  });
});

describe('sortPrefixAscending', () => {
  it('sorts exactly the prefix, for short and long prefixes', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: -1000, max: 1000 }), { maxLength: 80 }), fc.nat(80), (values, cut) => {
        const length = Math.min(cut, values.length);
        const array = Int32Array.from(values);
        sortPrefixAscending(array, length);
        expect(Array.from(array.subarray(0, length))).toEqual(values.slice(0, length).sort((a, b) => a - b));
        expect(Array.from(array.subarray(length))).toEqual(values.slice(length));
      }),
      { numRuns: 500 },
    );
  });
});
