// HMAC-SHA-256 (RFC 2104, FIPS 180-4) of many short messages under one key, in one pass: the keyed pads' states are
// hashed once, then each message costs its own compression blocks only (usually two: inner and outer).

import { createHash } from 'node:crypto';

/**
 * Why not node:crypto per message: one `createHmac` per value costs ~5 µs here (the object, two pad blocks and the
 * native call), `hash.copy()` of precomputed pad states more, and one-shot `crypto.hash` twice per value ~3 µs. This
 * JavaScript compression function with the pad states hashed once costs ~0.9 µs per value (1M 16-digit values:
 * 0.9 s), and it is checked against node:crypto's HMAC in the tests.
 */
const ROUND_CONSTANTS = new Int32Array([
  0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4, 0xab1c5ed5, 0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3, 0x72be5d74,
  0x80deb1fe, 0x9bdc06a7, 0xc19bf174, 0xe49b69c1, 0xefbe4786, 0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da, 0x983e5152, 0xa831c66d,
  0xb00327c8, 0xbf597fc7, 0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967, 0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13, 0x650a7354, 0x766a0abb, 0x81c2c92e,
  0x92722c85, 0xa2bfe8a1, 0xa81a664b, 0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070, 0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5,
  0x391c0cb3, 0x4ed8aa4a, 0x5b9cca4f, 0x682e6ff3, 0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208, 0x90befffa, 0xa4506ceb, 0xbef9a3f7, 0xc67178f2,
]);

const INITIAL_STATE = new Int32Array([0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a, 0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19]);

const BLOCK_BYTES = 64;
const schedule = new Int32Array(64);

/** One SHA-256 compression of the 64 bytes of `bytes` at `offset` into `state` (8 words). */
function compress(state: Int32Array, bytes: Uint8Array, offset: number): void {
  const w = schedule;
  for (let i = 0, o = offset; i < 16; i++, o += 4) w[i] = (bytes[o] << 24) | (bytes[o + 1] << 16) | (bytes[o + 2] << 8) | bytes[o + 3];
  for (let i = 16; i < 64; i++) {
    const w15 = w[i - 15];
    const w2 = w[i - 2];
    const s0 = ((w15 >>> 7) | (w15 << 25)) ^ ((w15 >>> 18) | (w15 << 14)) ^ (w15 >>> 3);
    const s1 = ((w2 >>> 17) | (w2 << 15)) ^ ((w2 >>> 19) | (w2 << 13)) ^ (w2 >>> 10);
    w[i] = (w[i - 16] + s0 + w[i - 7] + s1) | 0;
  }
  let a = state[0];
  let b = state[1];
  let c = state[2];
  let d = state[3];
  let e = state[4];
  let f = state[5];
  let g = state[6];
  let h = state[7];
  const k = ROUND_CONSTANTS;
  // Eight rounds per pass with the working variables renamed instead of shifted (h = g, g = f, …): ~10 % faster.
  for (let i = 0; i < 64; i += 8) {
    h = (h + (((e >>> 6) | (e << 26)) ^ ((e >>> 11) | (e << 21)) ^ ((e >>> 25) | (e << 7))) + ((e & f) ^ (~e & g)) + k[i] + w[i]) | 0;
    d = (d + h) | 0;
    h = (h + (((a >>> 2) | (a << 30)) ^ ((a >>> 13) | (a << 19)) ^ ((a >>> 22) | (a << 10))) + ((a & b) ^ (a & c) ^ (b & c))) | 0;
    g = (g + (((d >>> 6) | (d << 26)) ^ ((d >>> 11) | (d << 21)) ^ ((d >>> 25) | (d << 7))) + ((d & e) ^ (~d & f)) + k[i + 1] + w[i + 1]) | 0;
    c = (c + g) | 0;
    g = (g + (((h >>> 2) | (h << 30)) ^ ((h >>> 13) | (h << 19)) ^ ((h >>> 22) | (h << 10))) + ((h & a) ^ (h & b) ^ (a & b))) | 0;
    f = (f + (((c >>> 6) | (c << 26)) ^ ((c >>> 11) | (c << 21)) ^ ((c >>> 25) | (c << 7))) + ((c & d) ^ (~c & e)) + k[i + 2] + w[i + 2]) | 0;
    b = (b + f) | 0;
    f = (f + (((g >>> 2) | (g << 30)) ^ ((g >>> 13) | (g << 19)) ^ ((g >>> 22) | (g << 10))) + ((g & h) ^ (g & a) ^ (h & a))) | 0;
    e = (e + (((b >>> 6) | (b << 26)) ^ ((b >>> 11) | (b << 21)) ^ ((b >>> 25) | (b << 7))) + ((b & c) ^ (~b & d)) + k[i + 3] + w[i + 3]) | 0;
    a = (a + e) | 0;
    e = (e + (((f >>> 2) | (f << 30)) ^ ((f >>> 13) | (f << 19)) ^ ((f >>> 22) | (f << 10))) + ((f & g) ^ (f & h) ^ (g & h))) | 0;
    d = (d + (((a >>> 6) | (a << 26)) ^ ((a >>> 11) | (a << 21)) ^ ((a >>> 25) | (a << 7))) + ((a & b) ^ (~a & c)) + k[i + 4] + w[i + 4]) | 0;
    h = (h + d) | 0;
    d = (d + (((e >>> 2) | (e << 30)) ^ ((e >>> 13) | (e << 19)) ^ ((e >>> 22) | (e << 10))) + ((e & f) ^ (e & g) ^ (f & g))) | 0;
    c = (c + (((h >>> 6) | (h << 26)) ^ ((h >>> 11) | (h << 21)) ^ ((h >>> 25) | (h << 7))) + ((h & a) ^ (~h & b)) + k[i + 5] + w[i + 5]) | 0;
    g = (g + c) | 0;
    c = (c + (((d >>> 2) | (d << 30)) ^ ((d >>> 13) | (d << 19)) ^ ((d >>> 22) | (d << 10))) + ((d & e) ^ (d & f) ^ (e & f))) | 0;
    b = (b + (((g >>> 6) | (g << 26)) ^ ((g >>> 11) | (g << 21)) ^ ((g >>> 25) | (g << 7))) + ((g & h) ^ (~g & a)) + k[i + 6] + w[i + 6]) | 0;
    f = (f + b) | 0;
    b = (b + (((c >>> 2) | (c << 30)) ^ ((c >>> 13) | (c << 19)) ^ ((c >>> 22) | (c << 10))) + ((c & d) ^ (c & e) ^ (d & e))) | 0;
    a = (a + (((f >>> 6) | (f << 26)) ^ ((f >>> 11) | (f << 21)) ^ ((f >>> 25) | (f << 7))) + ((f & g) ^ (~f & h)) + k[i + 7] + w[i + 7]) | 0;
    e = (e + a) | 0;
    a = (a + (((b >>> 2) | (b << 30)) ^ ((b >>> 13) | (b << 19)) ^ ((b >>> 22) | (b << 10))) + ((b & c) ^ (b & d) ^ (c & d))) | 0;
  }
  state[0] = (state[0] + a) | 0;
  state[1] = (state[1] + b) | 0;
  state[2] = (state[2] + c) | 0;
  state[3] = (state[3] + d) | 0;
  state[4] = (state[4] + e) | 0;
  state[5] = (state[5] + f) | 0;
  state[6] = (state[6] + g) | 0;
  state[7] = (state[7] + h) | 0;
}

/** The state after the key XOR-ed with `pad` (one block); a key longer than a block is hashed first (RFC 2104). */
function padState(key: Uint8Array, pad: number): Int32Array {
  const block = new Uint8Array(BLOCK_BYTES);
  block.set(key.length > BLOCK_BYTES ? createHash('sha256').update(key).digest() : key);
  for (let i = 0; i < BLOCK_BYTES; i++) block[i] ^= pad;
  const state = INITIAL_STATE.slice();
  compress(state, block, 0);
  return state;
}

/**
 * HMAC-SHA-256(key, prefix ‖ UTF-8(message)) for every message: 8 big-endian words per message, message i at
 * words [8i, 8i + 8). The prefix is shared (a domain and its separator).
 */
export function hmacSha256Many(key: Uint8Array, prefix: Uint8Array, messages: readonly string[]): Int32Array {
  const inner = padState(key, 0x36);
  const outer = padState(key, 0x5c);
  const digests = new Int32Array(messages.length * 8);
  let buffer = Buffer.alloc(BLOCK_BYTES * 4);
  buffer.set(prefix);
  const state = new Int32Array(8);
  const outerBlock = new Uint8Array(BLOCK_BYTES);
  outerBlock[32] = 0x80;
  // The outer message is the 32-byte inner digest after one key block: (64 + 32) × 8 bits.
  outerBlock[62] = 0x03;
  for (let m = 0; m < messages.length; m++) {
    const message = messages[m];
    // Room for the message in UTF-8 (at most 3 bytes per UTF-16 unit), the 0x80 byte and the 8-byte length.
    if (buffer.length < prefix.length + message.length * 3 + 9 + BLOCK_BYTES) {
      buffer = Buffer.alloc(2 * (prefix.length + message.length * 3 + 9 + BLOCK_BYTES));
      buffer.set(prefix);
    }
    const length = prefix.length + writeUtf8(buffer, message, prefix.length);
    const blocks = Math.ceil((length + 9) / BLOCK_BYTES);
    const end = blocks * BLOCK_BYTES;
    buffer[length] = 0x80;
    // A loop, not `fill`: a native call per value costs more than zeroing a few bytes.
    for (let i = length + 1; i < end - 4; i++) buffer[i] = 0;
    // Bit length of the inner message, the key block included; messages stay far below 2^32 bits.
    const bits = (BLOCK_BYTES + length) * 8;
    buffer[end - 4] = bits >>> 24;
    buffer[end - 3] = (bits >>> 16) & 0xff;
    buffer[end - 2] = (bits >>> 8) & 0xff;
    buffer[end - 1] = bits & 0xff;
    state.set(inner);
    for (let offset = 0; offset < end; offset += BLOCK_BYTES) compress(state, buffer, offset);
    for (let i = 0; i < 8; i++) {
      const word = state[i];
      outerBlock[4 * i] = word >>> 24;
      outerBlock[4 * i + 1] = (word >>> 16) & 0xff;
      outerBlock[4 * i + 2] = (word >>> 8) & 0xff;
      outerBlock[4 * i + 3] = word & 0xff;
    }
    state.set(outer);
    compress(state, outerBlock, 0);
    digests.set(state, m * 8);
  }
  return digests;
}

/** Writes `text` as UTF-8 at `offset`, ASCII by a loop (most identifiers) and the rest by Buffer; returns the bytes. */
function writeUtf8(buffer: Buffer, text: string, offset: number): number {
  for (let i = 0; i < text.length; i++) {
    const unit = text.charCodeAt(i);
    if (unit >= 0x80) return buffer.write(text, offset, 'utf8');
    buffer[offset + i] = unit;
  }
  return text.length;
}
