// Plans with pseudonymized attributes: the plan records method, domain and key fingerprint (never the key); applying
// it gives the tokens anonymize gives, in every mode and the stream; another key, no key, or an edited plan is refused.

import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { describe, expect, it } from 'vitest';
import { tableFromArrays } from 'apache-arrow';
import { anonymizeCsv, applyPlan, applyPlanStream, applyPlanToFile, CloakError, keyFingerprint, parsePlan, plan, type AnonymizeOptions, type Plan } from '../../src/index.js';
import { hmacTokens } from '../../src/pseudonymize/hmac-tokens.js';
import { planContentSha256 } from '../../src/plan/plan-format.js';
import { temporaryFiles } from '../temporary-files.js';
import { ATTRIBUTES, DAY1 } from './fixtures.js';

const KEY = Buffer.alloc(32, 0x42);
const OTHER_KEY = Buffer.alloc(32, 0x43);
const keys = { default: { bytes: KEY } };
const { directory, file } = temporaryFiles('cloak-plan-pseudonymize-');

const POLICY: AnonymizeOptions = {
  attributes: {
    ...ATTRIBUTES,
    name: { role: 'identifying', transform: { method: 'hmac', length: 12, domain: 'patients' } },
    card: { role: 'identifying', transform: { method: 'ff1' } },
    phone: { role: 'identifying', transform: { method: 'mask', keepLast: 2 } },
  },
  models: [{ type: 'k-anonymity', k: 2 }],
  suppressionLimit: 0.3,
};

const withIdentifiers = (records: readonly Record<string, string>[]) => records.map((record, i) => ({ ...record, card: `4000-0000-0000-${String(1000 + i * 7)}`, phone: `+1 555 01${i}${i}` }));
const csv = (records: readonly Record<string, string>[]) => [Object.keys(records[0]).join(','), ...records.map((record) => Object.values(record).join(','))].join('\n') + '\n';
const DAY2 = withIdentifiers([...DAY1].reverse().map((record, i) => ({ ...record, name: `${record.name}${i % 2}` })));

async function refusal(promise: Promise<unknown>): Promise<CloakError> {
  const error = await promise.then(
    () => undefined,
    (caught: unknown) => caught,
  );
  expect(error).toBeInstanceOf(CloakError);
  return error as CloakError;
}

describe('plans with pseudonymized attributes', () => {
  it('record each transform with its parameters and key fingerprint, list the attribute as identifying, and never hold the key', async () => {
    const saved = await plan(withIdentifiers(DAY1), POLICY, { keys });
    expect(saved.pseudonymized).toEqual([
      { attribute: 'name', transform: { method: 'hmac', domain: 'patients', length: 12 }, keyFingerprint: keyFingerprint(KEY) },
      { attribute: 'card', transform: { method: 'ff1', alphabet: 'digits', radix: 10, tweak: Buffer.from('card').toString('hex'), domain: 'card', other: 'keep' }, keyFingerprint: keyFingerprint(KEY) },
      { attribute: 'phone', transform: { method: 'mask', keepFirst: 0, keepLast: 2, char: '*' } },
    ]);
    expect(saved.identifying).toEqual(['name', 'card', 'phone']);
    expect(JSON.stringify(saved)).not.toContain(KEY.toString('hex'));
    expect(parsePlan(JSON.stringify(saved))).toEqual(saved);
    // A plan without pseudonymization has no such field at all.
    expect('pseudonymized' in (await plan(DAY1, { ...POLICY, attributes: ATTRIBUTES }))).toBe(false);
  });

  it('applied in either mode, give the same release as anonymize on the same batch, tokens included', async () => {
    const saved = await plan(withIdentifiers(DAY1), POLICY, { keys });
    const input = file(csv(DAY2));
    await anonymizeCsv({ input, output: join(directory, 'anonymized.csv'), options: POLICY, keys });
    for (const mode of ['two-pass', 'one-pass'] as const) {
      const output = join(directory, `applied-${mode}.csv`);
      await applyPlanToFile(saved, input, output, { mode, keys });
      expect(readFileSync(output, 'utf8')).toBe(readFileSync(join(directory, 'anonymized.csv'), 'utf8'));
    }
    let streamed = '';
    await pipeline(Readable.from([readFileSync(input, 'utf8')]), applyPlanStream(saved, { keys }), async function* (source) {
      for await (const chunk of source) streamed += chunk as string;
    });
    expect(streamed).toBe(readFileSync(join(directory, 'anonymized.csv'), 'utf8'));
  });

  it('refuse another key, or none, before reading anything, and write nothing', async () => {
    const saved = await plan(withIdentifiers(DAY1), POLICY, { keys });
    const output = join(directory, 'refused.csv');
    const mismatch = await refusal(applyPlanToFile(saved, file(csv(DAY2)), output, { keys: { default: { bytes: OTHER_KEY } } }));
    expect(mismatch.code).toBe('PLAN_KEY_MISMATCH');
    expect(mismatch.exitCode).toBe(2);
    expect(mismatch.problems).toEqual(
      ['name', 'card'].map((name) => `"${name}": the key given (fingerprint ${keyFingerprint(OTHER_KEY)}) is not the one the plan was made with (fingerprint ${keyFingerprint(KEY)})`),
    );
    expect((await refusal(applyPlanToFile(saved, file(csv(DAY2)), output))).code).toBe('KEY_MISSING');
    // The key is checked before the data: even a missing input is not reached.
    expect((await refusal(applyPlanToFile(saved, join(directory, 'absent.csv'), output, { keys: { default: { bytes: OTHER_KEY } } }))).code).toBe('PLAN_KEY_MISMATCH');
    expect(existsSync(output)).toBe(false);
  });

  it('refuse a plan whose fingerprint was edited, or whose pseudonymized attribute is not identifying', async () => {
    const saved = await plan(withIdentifiers(DAY1), POLICY, { keys });
    const edited = { ...saved, pseudonymized: saved.pseudonymized!.map((entry) => (entry.attribute === 'card' ? { ...entry, keyFingerprint: keyFingerprint(OTHER_KEY) } : entry)) };
    expect(() => parsePlan(edited)).toThrow(/planSha256: the plan does not match its hash/);
    const unlisted = { ...saved, identifying: ['name', 'phone'] };
    const resealed = { ...unlisted, planSha256: planContentSha256(unlisted as Plan) };
    expect(() => parsePlan(resealed)).toThrow(/\$\.pseudonymized\[1\]\.attribute: "card" must be listed in \$\.identifying too/);
  });

  it('hide the pseudonymized attributes when read without the field (what a reader unaware of it does)', async () => {
    const saved = await plan(withIdentifiers(DAY1), POLICY, { keys });
    const { pseudonymized: _unknown, ...content } = saved;
    const unaware = { ...content, planSha256: planContentSha256(content as Plan) };
    const output = join(directory, 'unaware.csv');
    await applyPlanToFile(parsePlan(unaware), file(csv(DAY2)), output);
    const rows = readFileSync(output, 'utf8').trimEnd().split('\n').slice(1).map((line) => line.split(','));
    const header = Object.keys(DAY2[0]);
    for (const row of rows) for (const name of ['name', 'card', 'phone']) expect(row[header.indexOf(name)]).toBe('*');
  });

  it('check short tokens across batches, where the per-batch check cannot see two values sharing one', async () => {
    // One-character tokens (5 bits): search values whose tokens collide, and planning names whose tokens do not.
    const tokenOf = (value: string) => hmacTokens(KEY, [value], { domain: 'patients', length: 1 }).tokens[0];
    const byToken = new Map<string, string[]>();
    for (let i = 0; byToken.size < 32 || ![...byToken.values()].some((values) => values.length > 1); i++) {
      const value = `p${i}`;
      byToken.set(tokenOf(value), [...(byToken.get(tokenOf(value)) ?? []), value]);
    }
    const [first, second] = [...byToken.values()].find((values) => values.length > 1)!;
    const distinct = [...byToken.values()].map((values) => values[0]);
    const short: AnonymizeOptions = { ...POLICY, attributes: { ...ATTRIBUTES, name: { role: 'identifying', transform: { method: 'hmac', length: 1, domain: 'patients' } } } };
    const saved = await plan(DAY1.map((record, i) => ({ ...record, name: distinct[i] })), short, { keys });
    // Two record batches: each holds one of the two values, so each batch alone has no collision.
    const batch = (name: string) => tableFromArrays(Object.fromEntries(Object.keys(DAY1[0]).map((column) => [column, DAY1.map((record) => (column === 'name' ? name : record[column as keyof (typeof DAY1)[0]]))]))).batches;
    const batches = [...batch(first), ...batch(second)];
    const error = await refusal((async () => {
      for await (const _ of applyPlan(saved, () => batches, { mode: 'two-pass', keys }));
    })());
    expect(error).toMatchObject({ code: 'TOKEN_COLLISION', location: { column: 'name', line: DAY1.length + 1 } });
    expect(error.message).not.toContain(first);
    expect(error.message).not.toContain(second);
  });

  it('are refused for a policy without quasi-identifiers', async () => {
    const onlyTokens: AnonymizeOptions = { attributes: { name: { role: 'identifying', transform: { method: 'hmac' } } }, models: [] };
    const error = await refusal(plan(DAY1, onlyTokens, { keys }));
    expect(error.code).toBe('PLAN_WITHOUT_QUASI_IDENTIFIERS');
  });
});
