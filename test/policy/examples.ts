// Policy documents shared by the policy tests: valid ones, and invalid ones with the paths their problems point at.
// `shapeValid` says whether the shape alone (the JSON Schema) accepts them; cross-field rules are zod-only.

export interface PolicyExample {
  readonly name: string;
  readonly policy: unknown;
  readonly shapeValid: boolean;
  /** The JSON paths parsePolicy must report (empty for a valid policy). */
  readonly paths: readonly string[];
}

export const VALID_POLICY = {
  $schema: './node_modules/cloak/dist/policy/policy.schema.json',
  attributes: {
    age: { role: 'quasi-identifying', type: 'integer', hierarchy: { type: 'interval', width: 10, fanout: [2] } },
    zip: { role: 'quasi-identifying', hierarchy: { type: 'mask', levels: 5 } },
    sex: { role: 'quasi-identifying', hierarchy: [['F', '*'], ['M', '*']] },
    disease: { role: 'sensitive' },
    name: { role: 'identifying' },
  },
  models: [
    { type: 'k-anonymity', k: 2 },
    { type: 'distinct-l-diversity', attribute: 'disease', l: 2 },
  ],
  suppressionLimit: 0.1,
  metric: { name: 'loss', gsFactor: 0.5, weights: { age: 2 } },
  search: { strategy: 'optimal', maxNodes: 1000 },
  delimiter: ',',
};

export const POLICY_EXAMPLES: readonly PolicyExample[] = [
  { name: 'full policy', policy: VALID_POLICY, shapeValid: true, paths: [] },
  {
    name: 'minimal policy',
    policy: { attributes: { a: { role: 'quasi-identifying', hierarchy: 'a.csv' } }, models: [{ type: 'k-anonymity', k: 5 }] },
    shapeValid: true,
    paths: [],
  },
  {
    name: 'every field of a group spec and the risk options',
    policy: {
      attributes: { a: { role: 'quasi-identifying', hierarchy: { type: 'group', levels: [{ x: ['1', '2'] }] } } },
      models: [{ type: 'population-uniqueness', maxUniqueness: 0.01, populationSize: 1000, model: 'dankar' }],
      metric: 'discernibility',
      risk: { threshold: 0.2, population: 'USA' },
    },
    shapeValid: true,
    paths: [],
  },
  {
    name: 'many problems at once',
    policy: {
      attributes: { age: { role: 'quasi', hierarchy: { type: 'interval', width: -1, colour: 'red' } }, d: { role: 'sensitive' } },
      models: [{ type: 'k-anonymity', k: 0 }, { type: 'l-diversity' }, { type: 't-closeness', attribute: 'd', t: 2, distance: 'equal' }],
      suppressionLimit: 1.5,
      extra: true,
    },
    shapeValid: false,
    paths: ['$.attributes.age.role', '$.attributes.age.hierarchy.width', '$.attributes.age.hierarchy.colour', '$.models[0].k', '$.models[1].type', '$.models[2].t', '$.suppressionLimit', '$.extra', '$.attributes'],
  },
  {
    name: 'cross-field problems only',
    policy: {
      attributes: { 'zip code': { role: 'quasi-identifying' }, d: { role: 'insensitive' } },
      models: [{ type: 'distinct-l-diversity', attribute: 'd', l: 2 }],
      metric: { name: 'loss', weights: { d: 1 } },
    },
    shapeValid: true,
    paths: ['$.models[0].attribute', '$.metric.weights.d', '$.attributes["zip code"].hierarchy'],
  },
  {
    name: 'k-map (counted and estimated), δ-presence and differential privacy',
    policy: {
      attributes: { zip: { role: 'quasi-identifying', hierarchy: 'zip.csv' }, in: { role: 'insensitive' } },
      models: [
        { type: 'k-map', k: 5 },
        { type: 'k-map', k: 5, estimator: 'zero-truncated-poisson', populationSize: 100000, significance: 0.05 },
        { type: 'delta-presence', deltaMin: 0, deltaMax: 0.5, subsetColumn: 'in' },
      ],
      risk: { populationTable: 'population.csv' },
    },
    shapeValid: true,
    paths: [],
  },
  {
    name: 'differential privacy with fixed levels and a seed',
    policy: {
      attributes: { zip: { role: 'quasi-identifying', hierarchy: 'zip.csv' } },
      models: [{ type: 'differential-privacy', epsilon: 1, delta: 1e-6, levels: { zip: 2 }, seed: 7 }],
    },
    shapeValid: true,
    paths: [],
  },
  {
    name: 'bad population models',
    policy: {
      attributes: { zip: { role: 'quasi-identifying', hierarchy: 'zip.csv' }, in: { role: 'sensitive' } },
      models: [
        { type: 'k-map', k: 5 },
        { type: 'k-map', k: 5, estimator: 'poisson' },
        { type: 'delta-presence', deltaMin: 0, deltaMax: 0.5, subsetColumn: 'in' },
        { type: 'delta-presence', deltaMin: 0, deltaMax: 0.5 },
      ],
    },
    shapeValid: true,
    paths: ['$.models[0]', '$.models[1].populationSize', '$.models[2].subsetColumn', '$.models[3]'],
  },
  {
    name: 'differential privacy with δ out of range',
    policy: { attributes: { zip: { role: 'quasi-identifying', hierarchy: 'zip.csv' } }, models: [{ type: 'differential-privacy', epsilon: 1, delta: 1 }] },
    shapeValid: false,
    paths: ['$.models[0].delta'],
  },
  { name: 'not an object', policy: [1, 2], shapeValid: false, paths: ['$'] },
  // Models are a cross-field rule: required with quasi-identifiers, not for a run that only pseudonymizes.
  { name: 'no models', policy: { attributes: { a: { role: 'quasi-identifying', hierarchy: 'a.csv' } }, models: [] }, shapeValid: true, paths: ['$.models'] },
  { name: 'no models field', policy: { attributes: { a: { role: 'quasi-identifying', hierarchy: 'a.csv' } } }, shapeValid: true, paths: ['$.models'] },
  {
    name: 'pseudonymization only, every method',
    policy: {
      attributes: {
        name: { role: 'identifying', transform: { method: 'hmac', length: 16, domain: 'customers' } },
        card: { role: 'identifying', transform: { method: 'ff1', alphabet: 'digits', tweak: '3737', other: 'error', keyFile: 'card.key' } },
        visit: { role: 'identifying', type: 'date', format: 'DD/MM/YYYY', transform: { method: 'shift-dates', subject: 'patient', days: 10, keyEnv: 'CLOAK_KEY' } },
        phone: { role: 'identifying', transform: { method: 'mask', keepLast: 2, char: '#' } },
      },
    },
    shapeValid: true,
    paths: [],
  },
  {
    name: 'transform problems: shape, role and meaning',
    policy: {
      attributes: {
        a: { role: 'quasi-identifying', hierarchy: 'a.csv', transform: { method: 'hmac' } },
        b: { role: 'identifying', transform: { method: 'ff1', alphabet: 'aa', keyFile: 'k', keyEnv: 'K' } },
        c: { role: 'identifying', transform: { method: 'hmac', length: 60, colour: 'red' } },
        d: { role: 'identifying', transform: { method: 'rot13' } },
        e: { role: 'identifying', transform: { method: 'shift-dates' } },
      },
      models: [{ type: 'k-anonymity', k: 2 }],
    },
    shapeValid: false,
    paths: ['$.attributes.a.transform', '$.attributes.b', '$.attributes.c.transform.length', '$.attributes.c.transform.colour', '$.attributes.d.transform.method', '$.attributes.e.transform.subject'],
  },
  {
    name: 'hierarchy of the wrong type',
    policy: { attributes: { a: { role: 'quasi-identifying', hierarchy: 3 } }, models: [{ type: 'k-anonymity', k: 2 }] },
    shapeValid: false,
    paths: ['$.attributes.a.hierarchy'],
  },
  {
    name: 'declared domains, missing labels, aligned masks and relative runs',
    policy: {
      attributes: {
        age: { role: 'quasi-identifying', hierarchy: { type: 'interval', width: 5, domain: { from: 0, to: 120 }, missing: { label: 'Unknown' } } },
        code: { role: 'quasi-identifying', hierarchy: { type: 'mask', align: 'right', padChar: '0', domain: ['1', '22'], missing: 'error' } },
        rank: { role: 'quasi-identifying', hierarchy: { type: 'group', runSize: 5, fanout: [2], missing: { label: '?', values: ['-99'] } } },
      },
      models: [{ type: 'k-anonymity', k: 2 }],
    },
    shapeValid: true,
    paths: [],
  },
  {
    name: 'the old absolute runSizes of a group spec',
    policy: { attributes: { rank: { role: 'quasi-identifying', hierarchy: { type: 'group', runSizes: [5, 10] } } }, models: [{ type: 'k-anonymity', k: 2 }] },
    shapeValid: false,
    paths: ['$.attributes.rank.hierarchy.runSizes'],
  },
  {
    name: 'local recoding with a trade-off curve',
    policy: { attributes: { a: { role: 'quasi-identifying', hierarchy: 'a.csv' } }, models: [{ type: 'k-anonymity', k: 5 }], recoding: 'local', explore: { k: [2, 5, 10] } },
    shapeValid: true,
    paths: [],
  },
  {
    name: 'an unknown recoding and a malformed curve',
    policy: { attributes: { a: { role: 'quasi-identifying', hierarchy: 'a.csv' } }, models: [{ type: 'k-anonymity', k: 5 }], recoding: 'partial', explore: { k: [0], every: 2 } },
    shapeValid: false,
    paths: ['$.recoding', '$.explore.k[0]', '$.explore.every'],
  },
];
