// The published JSON Schema is zod's own rendering of the policy schema: this test keeps the committed file current
// (CLOAK_UPDATE_SCHEMA=1 rewrites it) and checks that both accept and refuse the same examples.

import { readFileSync, writeFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { policySchema } from '../../src/policy/schema.js';
import { POLICY_EXAMPLES } from './examples.js';

const FILE = new URL('../../src/policy/policy.schema.json', import.meta.url);

function generated(): Record<string, unknown> {
  return {
    ...z.toJSONSchema(policySchema(), { io: 'input', target: 'draft-2020-12' }),
    $id: 'https://cloak.invalid/policy.schema.json',
    title: 'Cloak anonymization policy',
  };
}

describe('policy.schema.json', () => {
  it('is the current rendering of the zod schema', () => {
    const text = JSON.stringify(generated(), null, 2) + '\n';
    if (process.env.CLOAK_UPDATE_SCHEMA === '1') writeFileSync(FILE, text);
    expect(readFileSync(FILE, 'utf8')).toBe(text);
  });

  it('accepts the valid examples and refuses the invalid ones, as zod does', () => {
    const schema = JSON.parse(readFileSync(FILE, 'utf8')) as Record<string, unknown>;
    const fromJsonSchema = z.fromJSONSchema(schema);
    for (const example of POLICY_EXAMPLES) {
      expect(policySchema().safeParse(example.policy).success, example.name).toBe(example.shapeValid);
      expect(fromJsonSchema.safeParse(example.policy).success, example.name).toBe(example.shapeValid);
    }
  });
});
