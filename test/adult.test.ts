import { describe, expect, it } from 'vitest';
import { anonymizeEncoded } from '../src/anonymize.js';
import { readCsvFile } from '../src/io/csv-reader.js';
import type { MetricName, ModelSpec } from '../src/options.js';
import { ADULT_DIR, noteAdultSkip, SKIP_ADULT } from './adult-dataset.js';

const ADULT = ADULT_DIR;
noteAdultSkip('Adult reference tests');

const ATTRIBUTES = ['sex', 'age', 'race', 'marital-status', 'education', 'native-country', 'workclass', 'occupation', 'salary-class'];

/** The reference optima of ../shared/datasets/adult/README.md (ARX 3.9.2). */
const REFERENCE: { sensitive?: string; models: ModelSpec[]; limit: number; metric: MetricName; levels: string; score: number }[] = [
  { models: [{ type: 'k-anonymity', k: 5 }], limit: 0, metric: 'loss', levels: '0 4 1 1 3 2 2 1 0', score: 0.5731509655590044 },
  { models: [{ type: 'k-anonymity', k: 5 }], limit: 0.05, metric: 'loss', levels: '0 3 0 0 2 1 1 2 0', score: 0.2419323650662908 },
  { models: [{ type: 'k-anonymity', k: 5 }], limit: 0, metric: 'discernibility', levels: '1 1 1 2 3 2 2 1 1', score: 33627534 },
  { models: [{ type: 'k-anonymity', k: 5 }], limit: 0.05, metric: 'discernibility', levels: '0 0 1 2 3 2 2 1 1', score: 7220555 },
  {
    sensitive: 'occupation',
    models: [{ type: 'k-anonymity', k: 5 }, { type: 'distinct-l-diversity', attribute: 'occupation', l: 3 }],
    limit: 0.05,
    metric: 'loss',
    levels: '0 3 0 0 2 1 1 - 0',
    score: 0.17170218121750636,
  },
  {
    sensitive: 'occupation',
    models: [{ type: 'k-anonymity', k: 5 }, { type: 't-closeness', attribute: 'occupation', t: 0.2, distance: 'equal' }],
    limit: 0.05,
    metric: 'loss',
    levels: '1 4 1 1 3 1 2 - 1',
    score: 0.8150031862123897,
  },
];

describe.skipIf(SKIP_ADULT)('Adult reference optima (ARX 3.9.2)', async () => {
  const { table, lineOfRow } = !SKIP_ADULT ? await readCsvFile(`${ADULT}/adult.csv`) : ({} as never);
  it.each(REFERENCE)('$models.length model(s), suppression $limit, $metric → $levels', async ({ sensitive, models, limit, metric, levels, score }) => {
    const attributes = Object.fromEntries(ATTRIBUTES.map((name) => [name, { role: name === sensitive ? ('sensitive' as const) : ('quasi-identifying' as const) }]));
    const { report } = await anonymizeEncoded(table, { attributes, models, suppressionLimit: limit, metric, hierarchiesDir: ADULT }, { file: 'adult.csv', lineOfRow });
    expect(ATTRIBUTES.map((name) => (name === sensitive ? '-' : String(report.transformation[name]))).join(' ')).toBe(levels);
    expect(report.metric.value).toBe(score);
    expect(report.verified).toBe(true);
  });
});
