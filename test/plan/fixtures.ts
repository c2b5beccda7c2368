// The plan tests' shared data: day 1's records and the policy planned on them.
// Kept in one place so that the scan pass is tested against exactly the data the plan API is.

import type { AnonymizeOptions } from '../../src/index.js';

export const DAY1 = [
  { name: 'a', age: '20', zip: '12345', disease: 'flu' },
  { name: 'b', age: '25', zip: '12346', disease: 'cold' },
  { name: 'c', age: '31', zip: '12355', disease: 'flu' },
  { name: 'd', age: '35', zip: '12356', disease: 'cancer' },
  { name: 'e', age: '38', zip: '12357', disease: 'flu' },
  { name: 'f', age: '20', zip: '12341', disease: 'cold' },
];

export const ATTRIBUTES: AnonymizeOptions['attributes'] = {
  age: { role: 'quasi-identifying', hierarchy: [['20', '20-29', '*'], ['25', '20-29', '*'], ['31', '30-39', '*'], ['35', '30-39', '*'], ['38', '30-39', '*'], ['44', '40-49', '*']] },
  zip: { role: 'quasi-identifying', hierarchy: { type: 'mask', levels: 3 } },
  disease: { role: 'sensitive' },
  name: { role: 'identifying' },
};

export const POLICY: AnonymizeOptions = {
  attributes: ATTRIBUTES,
  models: [{ type: 'k-anonymity', k: 2 }, { type: 'distinct-l-diversity', attribute: 'disease', l: 2 }],
  suppressionLimit: 0.3,
};
