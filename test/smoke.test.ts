import { it, expect } from 'vitest';
import { anonymize } from '../src/index.js';
const A = '../shared/datasets/adult';
it('smoke', async () => {
  const qi = ['age', 'education', 'marital-status', 'native-country', 'occupation', 'race', 'salary-class', 'sex', 'workclass'];
  const attributes = Object.fromEntries(qi.map((q) => [q, { role: 'quasi-identifying' as const }]));
  for (const models of [
    [{ type: 'differential-privacy' as const, epsilon: 1, delta: 1e-5, seed: 1 }],
    [{ type: 'differential-privacy' as const, epsilon: 1, delta: 1e-5, seed: 1, levels: { age: 1, education: 1, 'marital-status': 1, 'native-country': 1, occupation: 1, race: 1, 'salary-class': 0, sex: 0, workclass: 1 } }],
    [{ type: 'k-map' as const, k: 10, estimator: 'poisson' as const, populationSize: 300000000 }],
  ]) {
    const t = performance.now();
    const { report } = await anonymize(`${A}/adult.csv`, { attributes, models, hierarchiesDir: A, suppressionLimit: models[0].type === 'k-map' ? 0.05 : undefined });
    console.log(JSON.stringify({ t: report.transformation, m: report.metric, s: report.suppressed, dp: report.differentialPrivacy, models: report.models, n: report.nodesChecked, ms: Math.round(performance.now() - t) }));
  }
}, 120000);
