// Randomness for differential privacy: a cryptographic source by default, a seeded generator for reproducible test
// runs only, and exact draws from them (uniform integers by rejection, never through floating point).

import { getRandomValues } from 'node:crypto';

/** A source of independent uniform 32-bit words. */
export interface RandomSource {
  /** A uniform integer in [0, 2³²). */
  nextUint32(): number;
  /** Whether the words come from a seed (reproducible, predictable: for tests only). */
  readonly seeded: boolean;
}

/** Words from the operating system's cryptographic generator, fetched in blocks. */
export function cryptoRandom(): RandomSource {
  const block = new Uint32Array(1024);
  let next = block.length;
  return {
    seeded: false,
    nextUint32() {
      if (next === block.length) {
        getRandomValues(block);
        next = 0;
      }
      return block[next++];
    },
  };
}

/**
 * xoshiro128** (Blackman and Vigna) seeded through splitmix32 from the seed's low and high 32 bits: fast and
 * well distributed, but predictable from its output — never a source for a real release.
 */
export function seededRandom(seed: number): RandomSource {
  if (!Number.isSafeInteger(seed) || seed < 0) throw new RangeError('a seed must be a safe non-negative integer');
  let mix = (seed >>> 0) ^ Math.imul(Math.floor(seed / 2 ** 32), 0x9e3779b9);
  const splitmix = (): number => {
    mix = (mix + 0x9e3779b9) | 0;
    let z = mix;
    z = Math.imul(z ^ (z >>> 16), 0x85ebca6b);
    z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35);
    return (z ^ (z >>> 16)) >>> 0;
  };
  const s = Uint32Array.of(splitmix(), splitmix(), splitmix(), splitmix());
  return {
    seeded: true,
    nextUint32() {
      const result = Math.imul(rotl(Math.imul(s[1], 5), 7), 9) >>> 0;
      const t = s[1] << 9;
      s[2] ^= s[0];
      s[3] ^= s[1];
      s[1] ^= s[2];
      s[0] ^= s[3];
      s[2] ^= t;
      s[3] = rotl(s[3], 11);
      return result;
    },
  };
}

function rotl(x: number, k: number): number {
  return (x << k) | (x >>> (32 - k));
}

/** A uniform integer in [0, 2⁵³), exact. */
export function uniform53(random: RandomSource): number {
  return (random.nextUint32() >>> 11) * 2 ** 32 + random.nextUint32();
}

/** A uniform integer in [0, bound) for a positive BigInt bound, by rejection over whole 32-bit words. */
export function uniformBelow(random: RandomSource, bound: bigint): bigint {
  if (bound <= 0n) throw new RangeError('the bound must be positive');
  const bits = bound.toString(2).length;
  const words = Math.ceil(bits / 32);
  const excess = BigInt(words * 32 - bits);
  for (;;) {
    let value = 0n;
    for (let w = 0; w < words; w++) value = (value << 32n) | BigInt(random.nextUint32());
    value >>= excess;
    if (value < bound) return value;
  }
}

/**
 * A Bernoulli draw that is true with probability ⌊p·2⁵³⌋/2⁵³, which never exceeds p: a uniform 53-bit integer
 * compared with an integer threshold, so no rounding can raise the probability.
 */
export function bernoulliAtMost(random: RandomSource, p: number): () => boolean {
  const threshold = Math.floor(p * 2 ** 53);
  return () => uniform53(random) < threshold;
}
