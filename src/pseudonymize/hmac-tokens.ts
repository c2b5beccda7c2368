// `hmac` tokens: the first `length` characters of the lowercase, unpadded RFC 4648 base32 encoding of
// HMAC-SHA-256(key, UTF-8(domain) ‖ 0x00 ‖ UTF-8(value)) — the same value, key and domain give the same token anywhere.

import { decodeStrings } from './decode-strings.js';
import { hmacSha256Many } from './hmac-sha256-many.js';

export interface HmacTokenOptions {
  /** Separates token spaces: the same value gets unrelated tokens in two domains. */
  readonly domain: string;
  /** Characters of the token, 1 to HMAC_TOKEN_MAX_LENGTH (5 bits each). */
  readonly length: number;
}

/** A whole digest: 256 bits in base32 are 52 characters (the last carries one bit). */
export const HMAC_TOKEN_MAX_LENGTH = 52;

const BASE32 = new TextEncoder().encode('abcdefghijklmnopqrstuvwxyz234567');

/** UTF-8(domain) ‖ 0x00: the message prefix every keyed construction here shares. */
export function domainPrefix(domain: string): Uint8Array {
  const bytes = new TextEncoder().encode(domain);
  const prefix = new Uint8Array(bytes.length + 1);
  prefix.set(bytes);
  return prefix;
}

export interface HmacTokens {
  /** The token of every value, in order. */
  readonly tokens: string[];
  /** Whether two of the tokens are equal (distinct values, same token). */
  readonly collide: boolean;
}

/** The tokens of `values` and whether any two collide. */
export function hmacTokens(key: Uint8Array, values: readonly string[], options: HmacTokenOptions): HmacTokens {
  const { length } = options;
  const digests = hmacSha256Many(key, domainPrefix(options.domain), values);
  const tokens = base32Tokens(digests, values.length, length);
  return { tokens, collide: tokensCollide(digests, tokens, length) };
}

function base32Tokens(digests: Int32Array, count: number, length: number): string[] {
  const characters = new Uint8Array(count * length);
  const ends = new Int32Array(count);
  for (let v = 0, out = 0; v < count; v++) {
    const base = v * 8;
    for (let k = 0, bit = 0; k < length; k++, bit += 5) {
      const word = base + (bit >>> 5);
      const shift = bit & 31;
      // Five bits from one word, or straddling two; beyond the digest's last word the bits are zero (RFC 4648 padding).
      const next = (bit >>> 5) < 7 ? digests[word + 1] : 0;
      const group = shift <= 27 ? digests[word] >>> (27 - shift) : (digests[word] << (shift - 27)) | (next >>> (59 - shift));
      characters[out++] = BASE32[group & 31];
    }
    ends[v] = out;
  }
  return decodeStrings(characters, ends);
}

/**
 * Whether two tokens are equal, decided on numbers: the token's first min(5 × length, 52) bits, sorted. Equal
 * prefixes of longer tokens are only candidates, confirmed on the strings (a Set of 1M sliced strings costs 0.6 s;
 * the sort 0.1 s).
 */
function tokensCollide(digests: Int32Array, tokens: readonly string[], length: number): boolean {
  const bits = Math.min(5 * length, 52);
  const prefixes = new Float64Array(tokens.length);
  // The scales are hoisted: `2 ** n` with a variable n is a call per use.
  const highShift = 32 - Math.min(bits, 32);
  const highScale = 2 ** Math.max(0, bits - 32);
  const lowDivisor = 2 ** (64 - Math.max(bits, 32));
  for (let v = 0; v < tokens.length; v++) {
    const high = digests[v * 8] >>> highShift;
    prefixes[v] = bits <= 32 ? high : high * highScale + Math.floor((digests[v * 8 + 1] >>> 0) / lowDivisor);
  }
  prefixes.sort();
  for (let i = 1; i < prefixes.length; i++) {
    if (prefixes[i] === prefixes[i - 1]) return bits === 5 * length || new Set(tokens).size !== tokens.length;
  }
  return false;
}
