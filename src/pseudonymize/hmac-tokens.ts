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

/** The token of every value, in order. */
export function hmacTokens(key: Uint8Array, values: readonly string[], options: HmacTokenOptions): string[] {
  const { length } = options;
  const digests = hmacSha256Many(key, domainPrefix(options.domain), values);
  const characters = new Uint8Array(values.length * length);
  const ends = new Int32Array(values.length);
  for (let v = 0, out = 0; v < values.length; v++) {
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
