// `hmac` tokens: the batched HMAC-SHA-256 against node:crypto's, the token against base32 of that digest, determinism,
// key and domain separation, and collisions detected exactly (never a silent merge).

import { createHmac } from 'node:crypto';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { hmacSha256Many } from '../../src/pseudonymize/hmac-sha256-many.js';
import { hmacTokens } from '../../src/pseudonymize/hmac-tokens.js';

const RUNS = Number(process.env.CLOAK_FC_RUNS ?? 100);

/** RFC 4648 base32, lowercase and unpadded, written out bit by bit (independent of the implementation's word walk). */
function base32(bytes: Uint8Array): string {
  const alphabet = 'abcdefghijklmnopqrstuvwxyz234567';
  const bits = Array.from(bytes, (byte) => byte.toString(2).padStart(8, '0')).join('');
  let text = '';
  for (let i = 0; i < bits.length; i += 5) text += alphabet[parseInt(bits.slice(i, i + 5).padEnd(5, '0'), 2)];
  return text;
}

const expectedToken = (key: Uint8Array, domain: string, value: string, length: number) =>
  base32(createHmac('sha256', key).update(Buffer.concat([Buffer.from(domain, 'utf8'), Buffer.from([0]), Buffer.from(value, 'utf8')])).digest()).slice(0, length);

describe('hmacSha256Many', () => {
  it('equals node:crypto HMAC-SHA-256 for any key (longer than a block too), prefix and message (multi-block, non-ASCII)', () => {
    fc.assert(
      fc.property(fc.uint8Array({ minLength: 1, maxLength: 100 }), fc.uint8Array({ maxLength: 70 }), fc.array(fc.string({ unit: 'grapheme', maxLength: 80 }), { maxLength: 8 }), (key, prefix, messages) => {
        const digests = hmacSha256Many(key, prefix, messages);
        messages.forEach((message, m) => {
          const expected = createHmac('sha256', key).update(prefix).update(message, 'utf8').digest();
          const words = Buffer.alloc(32);
          for (let i = 0; i < 8; i++) words.writeInt32BE(digests[m * 8 + i], 4 * i);
          expect(words.toString('hex')).toBe(expected.toString('hex'));
        });
      }),
      { seed: 2010, numRuns: RUNS },
    );
  });
});

describe('hmacTokens', () => {
  it('are the first `length` characters of base32(HMAC-SHA-256(key, domain ‖ 0x00 ‖ value)), lowercase, unpadded', () => {
    fc.assert(
      fc.property(fc.uint8Array({ minLength: 16, maxLength: 64 }), fc.string(), fc.uniqueArray(fc.string({ unit: 'binary' }), { maxLength: 10 }), fc.integer({ min: 1, max: 52 }), (key, domain, values, length) => {
        const { tokens } = hmacTokens(key, values, { domain, length });
        expect(tokens).toEqual(values.map((value) => expectedToken(key, domain, value, length)));
      }),
      { seed: 2011, numRuns: RUNS },
    );
  });

  it('a token of the whole digest has 52 characters, the last one carrying one bit', () => {
    const { tokens } = hmacTokens(Buffer.alloc(32, 1), ['x'], { domain: 'd', length: 52 });
    expect(tokens[0]).toMatch(/^[a-z2-7]{51}[aq]$/);
  });

  it('depend on the key and on the domain', () => {
    fc.assert(
      fc.property(fc.uint8Array({ minLength: 16, maxLength: 32 }), fc.uint8Array({ minLength: 16, maxLength: 32 }), fc.string(), fc.string({ minLength: 1 }), (key, otherKey, domain, value) => {
        fc.pre(Buffer.compare(Buffer.from(key), Buffer.from(otherKey)) !== 0);
        const token = hmacTokens(key, [value], { domain, length: 20 }).tokens[0];
        expect(hmacTokens(otherKey, [value], { domain, length: 20 }).tokens[0]).not.toBe(token);
        expect(hmacTokens(key, [value], { domain: `${domain}.`, length: 20 }).tokens[0]).not.toBe(token);
      }),
      { seed: 2012, numRuns: RUNS },
    );
  });

  it('say whether two tokens collide exactly when two of the strings are equal, short and long tokens alike', () => {
    fc.assert(
      fc.property(fc.uint8Array({ minLength: 16, maxLength: 16 }), fc.uniqueArray(fc.string(), { minLength: 2, maxLength: 300 }), fc.integer({ min: 1, max: 14 }), (key, values, length) => {
        const { tokens, collide } = hmacTokens(key, values, { domain: 'd', length });
        expect(collide).toBe(new Set(tokens).size !== tokens.length);
      }),
      { seed: 2013, numRuns: RUNS },
    );
    // 1,000 values in 32 one-character tokens collide for certain; in 2^100 twenty-character ones they do not.
    const values = Array.from({ length: 1000 }, (_, i) => `customer ${i}`);
    expect(hmacTokens(Buffer.alloc(16, 7), values, { domain: 'd', length: 1 }).collide).toBe(true);
    expect(hmacTokens(Buffer.alloc(16, 7), values, { domain: 'd', length: 20 }).collide).toBe(false);
  });
});
