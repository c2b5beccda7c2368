// FF1 format-preserving encryption (NIST SP 800-38G, Algorithms 7 and 8) with AES, batched across values: each of
// the ten Feistel rounds makes one AES-ECB call over the blocks of every value, not one cipher call per value.

import { createCipheriv, type Cipher } from 'node:crypto';

/** Numeral strings of one length, encrypted or decrypted in place. */
export interface Ff1Batch {
  /** 2 to 65,536. */
  readonly radix: number;
  /** Numerals per value, n ≥ 2. */
  readonly length: number;
  /** value i's numerals at [i × length, (i + 1) × length), each below `radix`. */
  readonly numerals: Uint16Array;
}

export type Ff1Direction = 'encrypt' | 'decrypt';

const BLOCK = 16;
const ROUNDS = 10;

/**
 * Values below this bound (radix^v) are computed with doubles: NUM(B) fits 6 bytes, a remainder times 256 stays an
 * exact integer, and S is one block. Longer values take the BigInt path, which is ~30× slower per value.
 */
const FAST_LIMIT = 2n ** 44n;

/** Encrypts or decrypts every value of the batch in place with FF1-AES under `key` (16, 24 or 32 bytes) and `tweak`. */
export function ff1Many(key: Uint8Array, tweak: Uint8Array, batch: Ff1Batch, direction: Ff1Direction): void {
  const count = batch.numerals.length / batch.length;
  if (count === 0) return;
  const prf = new RoundFunction(key, tweak, batch.radix, batch.length, count);
  if (BigInt(batch.radix) ** BigInt(prf.v) <= FAST_LIMIT) fastRounds(prf, batch, count, direction);
  else bigRounds(prf, batch, count, direction);
}

/**
 * Steps 1–6.iii of FF1 for all values at once: the constant prefix of the CBC-MAC (P and the tweak's blocks) is
 * computed once, then each round costs one ECB call per block that holds the round number or NUM(B) (one block
 * unless b > 15), plus one per extra block of S (none unless d > 16).
 */
class RoundFunction {
  readonly u: number;
  readonly v: number;
  /** Bytes of NUM(B) in Q. */
  readonly b: number;
  /** Bytes of S. */
  readonly d: number;
  private readonly cipher: Cipher;
  private readonly q: Uint8Array;
  private readonly firstVarying: number;
  private readonly prefixState: Uint8Array;
  /** The blocks of one ECB call, reused across rounds (1M values: 16 MB less garbage per call). */
  private readonly input: Buffer;

  constructor(
    key: Uint8Array,
    tweak: Uint8Array,
    readonly radix: number,
    readonly n: number,
    private readonly count: number,
  ) {
    this.cipher = createCipheriv(`aes-${key.length * 8}-ecb`, key, null).setAutoPadding(false);
    this.u = Math.floor(n / 2);
    this.v = n - this.u;
    this.b = Math.ceil(bitLength(BigInt(radix) ** BigInt(this.v) - 1n) / 8);
    this.d = 4 * Math.ceil(this.b / 4) + 4;
    const t = tweak.length;
    const p = new Uint8Array(BLOCK);
    p.set([1, 2, 1, (radix >>> 16) & 0xff, (radix >>> 8) & 0xff, radix & 0xff, 10, this.u & 0xff]);
    writeUint32(p, 8, n);
    writeUint32(p, 12, t);
    // Q = T ‖ 0^((−t−b−1) mod 16) ‖ [i] ‖ [NUM(B)]^b; the round byte and NUM(B) are written per round.
    const qLength = t + this.b + 1 + mod(-t - this.b - 1, BLOCK);
    this.q = new Uint8Array(qLength);
    this.q.set(tweak);
    this.firstVarying = Math.floor((qLength - this.b - 1) / BLOCK);
    let state = this.encrypt(p);
    for (let block = 0; block < this.firstVarying; block++) state = this.encrypt(xor(state, this.q.subarray(block * BLOCK, (block + 1) * BLOCK)));
    this.prefixState = state;
    this.input = Buffer.allocUnsafe(count * BLOCK);
  }

  private encrypt(blocks: Uint8Array): Buffer {
    return this.cipher.update(blocks);
  }

  /**
   * The round's blocks on the double path, where the round number and NUM(B) share Q's last block and S is R's
   * first d ≤ 12 bytes: each value's block holds the CBC-MAC state XOR that block with NUM(B) zero, and the caller XORs
   * NUM(B) into the block's last b bytes before `encryptBlocks` (no copy of NUM(B) through another buffer).
   */
  lastBlocks(round: number): Buffer {
    const q = this.q;
    q[q.length - this.b - 1] = round;
    this.input.fill(xor(this.prefixState, q.subarray(q.length - BLOCK)));
    return this.input;
  }

  /** R of every value, 16 bytes each, from the blocks `lastBlocks` returned. */
  encryptBlocks(): Buffer {
    return this.encrypt(this.input);
  }

  /**
   * The BigInt path's S of every value for round `round`, given NUM(B) of value i at numBytes[i × b, (i + 1) × b): value i's S at
   * [i × stride, i × stride + d) of the returned bytes.
   */
  outputs(round: number, numBytes: Uint8Array): { bytes: Uint8Array; stride: number } {
    const { count, b, q } = this;
    q[q.length - b - 1] = round;
    const numStart = q.length - b;
    let state: Uint8Array = this.prefixState;
    for (let block = this.firstVarying; block < q.length / BLOCK; block++) {
      const template = q.subarray(block * BLOCK, (block + 1) * BLOCK);
      const input = this.input;
      if (block === this.firstVarying) input.fill(xor(state, template));
      else for (let i = 0; i < input.length; i++) input[i] = state[i] ^ template[i & 15];
      // NUM(B)'s bytes that fall in this block (the template holds zeros there).
      const from = Math.max(numStart, block * BLOCK);
      const to = (block + 1) * BLOCK;
      for (let value = 0; value < count; value++) {
        const target = value * BLOCK - block * BLOCK;
        const source = value * b - numStart;
        for (let position = from; position < to; position++) input[target + position] ^= numBytes[source + position];
      }
      state = this.encrypt(input);
    }
    if (this.d <= BLOCK) return { bytes: state, stride: BLOCK };
    // S = R ‖ CIPH(R ⊕ [1]^16) ‖ CIPH(R ⊕ [2]^16) ‖ …, first d bytes.
    const extra = Math.ceil(this.d / BLOCK) - 1;
    const s = new Uint8Array(count * (extra + 1) * BLOCK);
    const stride = (extra + 1) * BLOCK;
    for (let value = 0; value < count; value++) s.set(state.subarray(value * BLOCK, (value + 1) * BLOCK), value * stride);
    for (let j = 1; j <= extra; j++) {
      const input = Buffer.from(state);
      for (let value = 0; value < count; value++) {
        const end = (value + 1) * BLOCK;
        input[end - 1] ^= j & 0xff;
        input[end - 2] ^= (j >>> 8) & 0xff;
      }
      const encrypted = this.encrypt(input);
      for (let value = 0; value < count; value++) s.set(encrypted.subarray(value * BLOCK, (value + 1) * BLOCK), value * stride + j * BLOCK);
    }
    return { bytes: s, stride };
  }
}

/** The rounds with A and B as doubles: every quantity stays below 2^53 (see FAST_LIMIT). */
function fastRounds(prf: RoundFunction, batch: Ff1Batch, count: number, direction: Ff1Direction): void {
  const { u, v, b, d, n, radix } = prf;
  const modulusU = radix ** u;
  const modulusV = radix ** v;
  const numerals = batch.numerals;
  let a = new Float64Array(count);
  let c = new Float64Array(count);
  for (let value = 0; value < count; value++) {
    a[value] = numeralValue(numerals, value * n, u, radix);
    c[value] = numeralValue(numerals, value * n + u, v, radix);
  }
  // Encryption feeds B to the round function and adds to A; decryption feeds A and subtracts from B.
  let fed = direction === 'encrypt' ? c : a;
  let other = direction === 'encrypt' ? a : c;
  for (let step = 0; step < ROUNDS; step++) {
    const round = direction === 'encrypt' ? step : ROUNDS - 1 - step;
    const modulus = round % 2 === 0 ? modulusU : modulusV;
    const blocks = prf.lastBlocks(round);
    for (let value = 0; value < count; value++) xorBigEndian(fed[value], blocks, (value + 1) * BLOCK - b, b);
    const bytes = prf.encryptBlocks();
    // y mod modulus as Σ byte × (256^k mod modulus), one remainder per value, when that sum stays below 2^53
    // (16-digit numbers: 8 bytes, modulus 10^8); otherwise folded byte by byte. Remainders by floor division, not
    // `%`, which V8 runs as a C call on doubles.
    const weights = new Float64Array(d);
    for (let i = d - 1, weight = 1; i >= 0; i--, weight = remainder(weight * 256, modulus)) weights[i] = weight;
    const weighted = d * 255 * modulus < 2 ** 53;
    const sign = direction === 'encrypt' ? 1 : -1;
    for (let value = 0; value < count; value++) {
      const start = value * BLOCK;
      let y = 0;
      if (weighted) {
        for (let i = 0; i < d; i++) y += bytes[start + i] * weights[i];
        y = remainder(y, modulus);
      } else {
        for (let i = 0; i < d; i++) y = remainder(y * 256 + bytes[start + i], modulus);
      }
      let result = other[value] + sign * y;
      if (result >= modulus) result -= modulus;
      else if (result < 0) result += modulus;
      other[value] = result;
    }
    [fed, other] = [other, fed];
  }
  // After ten rounds the roles are back where they started: A holds u numerals, B holds v.
  if (direction === 'encrypt') [a, c] = [other, fed];
  else [a, c] = [fed, other];
  for (let value = 0; value < count; value++) {
    writeNumerals(a[value], numerals, value * n, u, radix);
    writeNumerals(c[value], numerals, value * n + u, v, radix);
  }
}

/** The same rounds with BigInt, for values whose halves exceed the double path's range. */
function bigRounds(prf: RoundFunction, batch: Ff1Batch, count: number, direction: Ff1Direction): void {
  const { u, v, b, d, n } = prf;
  const radix = BigInt(prf.radix);
  const modulusU = radix ** BigInt(u);
  const modulusV = radix ** BigInt(v);
  const numerals = batch.numerals;
  const a: bigint[] = [];
  const c: bigint[] = [];
  for (let value = 0; value < count; value++) {
    a.push(bigNumeralValue(numerals, value * n, u, radix));
    c.push(bigNumeralValue(numerals, value * n + u, v, radix));
  }
  let fed = direction === 'encrypt' ? c : a;
  let other = direction === 'encrypt' ? a : c;
  const numBytes = new Uint8Array(count * b);
  for (let step = 0; step < ROUNDS; step++) {
    const round = direction === 'encrypt' ? step : ROUNDS - 1 - step;
    const modulus = round % 2 === 0 ? modulusU : modulusV;
    for (let value = 0; value < count; value++) {
      let x = fed[value];
      for (let i = b - 1; i >= 0; i--, x >>= 8n) numBytes[value * b + i] = Number(x & 0xffn);
    }
    const { bytes, stride } = prf.outputs(round, numBytes);
    for (let value = 0; value < count; value++) {
      const y = BigInt(`0x${Buffer.from(bytes.buffer, bytes.byteOffset + value * stride, d).toString('hex')}`);
      const result = (direction === 'encrypt' ? other[value] + y : other[value] - y) % modulus;
      other[value] = result < 0n ? result + modulus : result;
    }
    [fed, other] = [other, fed];
  }
  const [finalA, finalB] = direction === 'encrypt' ? [other, fed] : [fed, other];
  for (let value = 0; value < count; value++) {
    let x = finalA[value];
    for (let i = u - 1; i >= 0; i--, x /= radix) numerals[value * n + i] = Number(x % radix);
    x = finalB[value];
    for (let i = v - 1; i >= 0; i--, x /= radix) numerals[value * n + u + i] = Number(x % radix);
  }
}

/** x mod m for integers x < 2^53, m > 0: the quotient from a rounded division, corrected by one step either way. */
function remainder(x: number, m: number): number {
  const r = x - Math.floor(x / m) * m;
  return r < 0 ? r + m : r >= m ? r - m : r;
}

function numeralValue(numerals: Uint16Array, start: number, length: number, radix: number): number {
  let x = 0;
  for (let i = start; i < start + length; i++) x = x * radix + numerals[i];
  return x;
}

function bigNumeralValue(numerals: Uint16Array, start: number, length: number, radix: bigint): bigint {
  let x = 0n;
  for (let i = start; i < start + length; i++) x = x * radix + BigInt(numerals[i]);
  return x;
}

function writeNumerals(x: number, numerals: Uint16Array, start: number, length: number, radix: number): void {
  for (let i = start + length - 1; i >= start; i--) {
    const quotient = Math.floor(x / radix);
    numerals[i] = x - quotient * radix;
    x = quotient;
  }
}

/** XORs x (< 2^48) as `length` big-endian bytes (length ≤ 6) into `bytes` at `start`. */
function xorBigEndian(x: number, bytes: Uint8Array, start: number, length: number): void {
  const low = x >>> 0;
  const high = (x - low) / 4294967296;
  for (let i = 0; i < length; i++) {
    bytes[start + length - 1 - i] ^= i < 4 ? (low >>> (8 * i)) & 0xff : (high >>> (8 * (i - 4))) & 0xff;
  }
}

function writeUint32(bytes: Uint8Array, offset: number, value: number): void {
  bytes[offset] = value >>> 24;
  bytes[offset + 1] = (value >>> 16) & 0xff;
  bytes[offset + 2] = (value >>> 8) & 0xff;
  bytes[offset + 3] = value & 0xff;
}

function xor(a: Uint8Array, b: Uint8Array): Uint8Array {
  const out = new Uint8Array(BLOCK);
  for (let i = 0; i < BLOCK; i++) out[i] = a[i] ^ b[i];
  return out;
}

function mod(x: number, m: number): number {
  return ((x % m) + m) % m;
}

function bitLength(x: bigint): number {
  return x === 0n ? 0 : x.toString(2).length;
}
