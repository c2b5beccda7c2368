// FF1 against NIST's published sample vectors (all nine: AES-128/192/256, radix 10 and 36, with and without tweak),
// and the batched implementation against a plain per-value one written from SP 800-38G, on random parameters.

import { createCipheriv } from 'node:crypto';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ff1Many } from '../../src/pseudonymize/ff1.js';

const RUNS = Number(process.env.CLOAK_FC_RUNS ?? 100);

// NIST, "FF1 examples" (FF1samples.pdf, Cryptographic Standards and Guidelines, examples with intermediate values):
// https://csrc.nist.gov/CSRC/media/Projects/Cryptographic-Standards-and-Guidelines/documents/examples/FF1samples.pdf
const KEY_128 = '2B7E151628AED2A6ABF7158809CF4F3C';
const KEY_192 = `${KEY_128}EF4359D8D580AA4F`;
const KEY_256 = `${KEY_192}7F036D6F04FC6A94`;
const TWEAK_10 = '39383736353433323130';
const TWEAK_11 = '3737373770717273373737';
const SAMPLES = [
  { sample: 1, key: KEY_128, radix: 10, tweak: '', plaintext: '0123456789', ciphertext: '2433477484' },
  { sample: 2, key: KEY_128, radix: 10, tweak: TWEAK_10, plaintext: '0123456789', ciphertext: '6124200773' },
  { sample: 3, key: KEY_128, radix: 36, tweak: TWEAK_11, plaintext: '0123456789abcdefghi', ciphertext: 'a9tv40mll9kdu509eum' },
  { sample: 4, key: KEY_192, radix: 10, tweak: '', plaintext: '0123456789', ciphertext: '2830668132' },
  { sample: 5, key: KEY_192, radix: 10, tweak: TWEAK_10, plaintext: '0123456789', ciphertext: '2496655549' },
  { sample: 6, key: KEY_192, radix: 36, tweak: TWEAK_11, plaintext: '0123456789abcdefghi', ciphertext: 'xbj3kv35jrawxv32ysr' },
  { sample: 7, key: KEY_256, radix: 10, tweak: '', plaintext: '0123456789', ciphertext: '6657667009' },
  { sample: 8, key: KEY_256, radix: 10, tweak: TWEAK_10, plaintext: '0123456789', ciphertext: '1001623463' },
  { sample: 9, key: KEY_256, radix: 36, tweak: TWEAK_11, plaintext: '0123456789abcdefghi', ciphertext: 'xs8a0azh2avyalyzuwd' },
];

const BASE36 = '0123456789abcdefghijklmnopqrstuvwxyz';
const numerals = (text: string) => Uint16Array.from(text, (character) => BASE36.indexOf(character));
const text = (values: Uint16Array) => Array.from(values, (numeral) => BASE36[numeral]).join('');

/** FF1 encryption of one value, step by step as SP 800-38G states it (Algorithm 7), with CBC-MAC from AES-CBC. */
function referenceFf1(key: Buffer, tweak: Buffer, radix: number, x: readonly number[]): number[] {
  const n = x.length;
  const u = Math.floor(n / 2);
  const v = n - u;
  const bigRadix = BigInt(radix);
  const num = (digits: readonly number[]) => digits.reduce((value, digit) => value * bigRadix + BigInt(digit), 0n);
  const str = (value: bigint, length: number) => {
    const digits = new Array<number>(length);
    for (let i = length - 1; i >= 0; i--, value /= bigRadix) digits[i] = Number(value % bigRadix);
    return digits;
  };
  const bytes = (value: bigint, length: number) => Buffer.from(value.toString(16).padStart(2 * length, '0'), 'hex');
  const b = Math.ceil(Math.ceil(v * Math.log2(radix)) / 8);
  const d = 4 * Math.ceil(b / 4) + 4;
  const t = tweak.length;
  const p = Buffer.concat([Buffer.from([1, 2, 1]), bytes(BigInt(radix), 3), Buffer.from([10, u % 256]), bytes(BigInt(n), 4), bytes(BigInt(t), 4)]);
  const cipher = (block: Buffer) => createCipheriv(`aes-${key.length * 8}-ecb`, key, null).setAutoPadding(false).update(block);
  const round = (i: number, half: readonly number[]): bigint => {
    const q = Buffer.concat([tweak, Buffer.alloc((((-t - b - 1) % 16) + 16) % 16), Buffer.from([i]), bytes(num(half), b)]);
    const mac = createCipheriv(`aes-${key.length * 8}-cbc`, key, Buffer.alloc(16)).setAutoPadding(false).update(Buffer.concat([p, q]));
    const r = mac.subarray(mac.length - 16);
    const blocks = [r];
    for (let j = 1; j < Math.ceil(d / 16); j++) blocks.push(cipher(Buffer.from(r.map((byte, k) => byte ^ (k === 15 ? j : 0)))));
    return BigInt(`0x${Buffer.concat(blocks).subarray(0, d).toString('hex')}`);
  };
  let a = x.slice(0, u);
  let bHalf = x.slice(u);
  for (let i = 0; i < 10; i++) {
    const m = i % 2 === 0 ? u : v;
    const c = (num(a) + round(i, bHalf)) % bigRadix ** BigInt(m);
    [a, bHalf] = [bHalf, str(c, m)];
  }
  return [...a, ...bHalf];
}

describe('FF1 (NIST SP 800-38G)', () => {
  for (const sample of SAMPLES) {
    it(`reproduces NIST sample ${sample.sample} (AES-${(sample.key.length / 2) * 8}, radix ${sample.radix}, ${sample.tweak === '' ? 'no tweak' : 'tweak'}) both ways`, () => {
      const key = Buffer.from(sample.key, 'hex');
      const tweak = Buffer.from(sample.tweak, 'hex');
      const values = numerals(sample.plaintext);
      ff1Many(key, tweak, { radix: sample.radix, length: values.length, numerals: values }, 'encrypt');
      expect(text(values)).toBe(sample.ciphertext);
      ff1Many(key, tweak, { radix: sample.radix, length: values.length, numerals: values }, 'decrypt');
      expect(text(values)).toBe(sample.plaintext);
      expect(referenceFf1(key, tweak, sample.radix, [...numerals(sample.plaintext)]).map((n) => BASE36[n]).join('')).toBe(sample.ciphertext);
    });
  }

  it('encrypts a batch as the step-by-step algorithm does each value, and decrypts it back (every path: short and long values, long tweaks)', () => {
    // Radixes from 2 to 2^16; lengths where radix^v fits doubles and where it does not, up to NUM(B) of more than one
    // block (b > 15) and S of more than one block (d > 16); tweaks up to 40 bytes (Q of three blocks).
    const job = fc
      .record({
        keyLength: fc.constantFrom(16, 24, 32),
        radix: fc.constantFrom(2, 10, 16, 26, 36, 62, 1000, 65536),
        extra: fc.integer({ min: 0, max: 40 }),
        long: fc.boolean(),
        tweakLength: fc.integer({ min: 0, max: 40 }),
        count: fc.integer({ min: 1, max: 5 }),
        seed: fc.integer(),
      })
      .map((settings) => {
        const minimum = Math.ceil(Math.log(1e6) / Math.log(settings.radix) - 1e-9);
        const length = Math.max(2, minimum) + settings.extra + (settings.long ? Math.ceil(280 / Math.log2(settings.radix)) : 0);
        return { ...settings, length };
      });
    fc.assert(
      fc.property(job, fc.infiniteStream(fc.integer({ min: 0, max: 255 })), (settings, randomBytes) => {
        const key = Buffer.from([...randomBytes.take(settings.keyLength)]);
        const tweak = Buffer.from([...randomBytes.take(settings.tweakLength)]);
        const random = fc.sample(fc.integer({ min: 0, max: settings.radix - 1 }), { seed: settings.seed, numRuns: settings.count * settings.length });
        const values = Uint16Array.from(random);
        const expected = [] as number[];
        for (let i = 0; i < settings.count; i++) expected.push(...referenceFf1(key, tweak, settings.radix, random.slice(i * settings.length, (i + 1) * settings.length)));
        const batch = { radix: settings.radix, length: settings.length, numerals: values };
        ff1Many(key, tweak, batch, 'encrypt');
        expect(Array.from(values)).toEqual(expected);
        ff1Many(key, tweak, batch, 'decrypt');
        expect(Array.from(values)).toEqual(random);
      }),
      { seed: 3800, numRuns: RUNS },
    );
  });
});
