// Which models local recoding takes: the per-class ones; criteria over the whole release and unknown types are
// refused with the reason, each with its index, all at once.

import { describe, expect, it } from 'vitest';
import type { ModelSpec } from '../../src/options.js';
import { localRecodingProblems } from '../../src/recoding/supported-models.js';

describe('localRecodingProblems', () => {
  it('accepts every per-class model', () => {
    const models: ModelSpec[] = [
      { type: 'k-anonymity', k: 2 },
      { type: 'distinct-l-diversity', attribute: 's', l: 2 },
      { type: 'entropy-l-diversity', attribute: 's', l: 2 },
      { type: 'recursive-cl-diversity', attribute: 's', c: 2, l: 2 },
      { type: 't-closeness', attribute: 's', t: 0.2, distance: 'equal' },
      { type: 't-closeness', attribute: 's', t: 0.2, distance: 'ordered' },
      { type: 't-closeness', attribute: 's', t: 0.2, distance: 'hierarchical' },
      { type: 'delta-disclosure', attribute: 's', delta: 1 },
      { type: 'beta-likeness', attribute: 's', beta: 1 },
      { type: 'highest-risk', maxRisk: 0.2 },
    ];
    expect(localRecodingProblems(models)).toEqual([]);
  });

  it('refuses the criteria over the whole release, naming each and the per-class alternative', () => {
    const problems = localRecodingProblems([
      { type: 'k-anonymity', k: 2 },
      { type: 'average-risk', maxRisk: 0.1 },
      { type: 'records-at-risk', maxShare: 0.1, threshold: 0.2 },
      { type: 'population-uniqueness', maxUniqueness: 0.01, populationSize: 1000, model: 'dankar' },
    ]);
    expect(problems).toHaveLength(3);
    expect(problems[0]).toMatch(/^models\[1\]: average-risk is not supported with local recoding: it bounds a figure of the whole release/);
    expect(problems[1]).toMatch(/^models\[2\]: records-at-risk /);
    expect(problems[2]).toMatch(/^models\[3\]: population-uniqueness /);
    for (const problem of problems) expect(problem).toContain('use highest-risk (a bound on every class) or recoding "global"');
  });

  it('refuses the models tied to one transformation of the whole table, saying why', () => {
    const problems = localRecodingProblems([
      { type: 'k-map', k: 3, estimator: 'poisson', populationSize: 1000 },
      { type: 'delta-presence', deltaMin: 0, deltaMax: 0.5, subsetColumn: 'in' },
      { type: 'differential-privacy', epsilon: 2, delta: 1e-6 },
    ] as ModelSpec[]);
    expect(problems[0]).toMatch(/^models\[0\]: k-map is not supported with local recoding: it counts each class in the population generalized/);
    expect(problems[1]).toMatch(/^models\[1\]: delta-presence is not supported with local recoding: it bounds each class's share/);
    expect(problems[2]).toMatch(/^models\[2\]: differential-privacy is not supported with local recoding: its guarantee rests on sampling/);
  });

  it('refuses a model type it does not know, listing what it supports', () => {
    const [problem] = localRecodingProblems([{ type: 'some-future-model' } as unknown as ModelSpec]);
    expect(problem).toContain('models[0]: some-future-model is not supported with local recoding');
    expect(problem).toContain('k-anonymity, distinct-l-diversity');
  });
});
