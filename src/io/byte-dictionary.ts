// Distinct field values keyed by their bytes, for the byte-level CSV scanners: a field's code comes from hashing its
// byte slice, and a string is decoded only the first time a value is seen.

/** Turns the bytes of a new value into its string; undefined refuses them (e.g. invalid UTF-8 for a strict reader). */
export type ByteDecoder = (bytes: Uint8Array, start: number, end: number) => string | undefined;

const strictDecoder = new TextDecoder('utf-8', { fatal: true });

/** Strict UTF-8: invalid bytes are refused, as the table reader reports them. */
export const decodeStrictUtf8: ByteDecoder = (bytes, start, end) => {
  try {
    return strictDecoder.decode(bytes.subarray(start, end));
  } catch {
    return undefined;
  }
};

/** Lenient UTF-8 with Buffer's replacement of invalid bytes: what csv-parse gives for each field. */
export function decodeLenientUtf8(bytes: Uint8Array, start: number, end: number): string {
  return Buffer.from(bytes.buffer, bytes.byteOffset + start, end - start).toString('utf8');
}

/**
 * FNV-1a offset basis and step: the scanners hash each byte as they pass it. The basis as a signed 32-bit integer,
 * like every hash after a step (Math.imul) and like the dictionary stores it: as 0x811c9dc5 the hash of an empty
 * field never matched the stored one, and every empty field became a new value.
 */
export const FNV_OFFSET = 0x811c9dc5 | 0;
export const FNV_PRIME = 0x01000193;

/** FNV-1a of bytes[start, end): for a field whose last byte (a CR) turned out not to belong to it. */
export function fnv1a(bytes: Uint8Array, start: number, end: number): number {
  let hash = FNV_OFFSET;
  for (let i = start; i < end; i++) hash = Math.imul(hash ^ bytes[i], FNV_PRIME);
  return hash;
}

/** Distinct values of one column, keyed by their bytes. */
export class ByteDictionary {
  readonly values: string[] = [];
  private slots = new Int32Array(1024);
  private hashes = new Int32Array(256);
  private starts = new Int32Array(256);
  private lengths = new Int32Array(256);
  private arena = new Uint8Array(4096);
  private arenaUsed = 0;

  constructor(private readonly decode: ByteDecoder) {}

  /** The code of bytes[start, end) with FNV-1a hash `hash`, adding it when new; undefined when the decoder refuses them. */
  codeOf(bytes: Uint8Array, start: number, end: number, hash: number): number | undefined {
    const found = this.find(bytes, start, end - start, hash);
    if (found >= 0) return found;
    const value = this.decode(bytes, start, end);
    return value === undefined ? undefined : this.add(value, bytes, start, end - start, hash, ~found);
  }

  /**
   * The code of bytes[start, end), adding it as `value` when new: for values another dictionary already decoded (the
   * parallel reader's merge), so that nothing is decoded twice. `value` must be what this dictionary's decoder gives.
   */
  codeOfDecoded(bytes: Uint8Array, start: number, end: number, hash: number, value: string): number {
    const found = this.find(bytes, start, end - start, hash);
    return found >= 0 ? found : this.add(value, bytes, start, end - start, hash, ~found);
  }

  /** The code of the value with these bytes, or ~slot for the empty slot where it would go. */
  private find(bytes: Uint8Array, start: number, length: number, hash: number): number {
    const mask = this.slots.length - 1;
    let slot = Math.imul(hash, 0x9e3779b1) & mask;
    for (;;) {
      const entry = this.slots[slot];
      if (entry === 0) return ~slot;
      const code = entry - 1;
      if (this.hashes[code] === hash && this.lengths[code] === length && this.sameBytes(code, bytes, start, length)) return code;
      slot = (slot + 1) & mask;
    }
  }

  private add(value: string, bytes: Uint8Array, start: number, length: number, hash: number, slot: number): number {
    const code = this.values.length;
    this.values.push(value);
    this.store(code, bytes, start, length, hash);
    this.slots[slot] = code + 1;
    if (this.values.length * 2 > this.slots.length) this.rehash();
    return code;
  }

  /**
   * The bytes of every value, in code order: value i is bytes[starts[i], starts[i] + lengths[i]) with FNV-1a hash
   * hashes[i]. Views of the dictionary's own storage (at least `values.length` long), each on its own ArrayBuffer, so
   * that a worker thread can transfer them; the dictionary must not be used afterwards.
   */
  entries(): { bytes: Uint8Array; starts: Int32Array; lengths: Int32Array; hashes: Int32Array } {
    return { bytes: this.arena, starts: this.starts, lengths: this.lengths, hashes: this.hashes };
  }

  private sameBytes(code: number, bytes: Uint8Array, start: number, length: number): boolean {
    const arena = this.arena;
    const offset = this.starts[code];
    for (let i = 0; i < length; i++) if (arena[offset + i] !== bytes[start + i]) return false;
    return true;
  }

  private store(code: number, bytes: Uint8Array, start: number, length: number, hash: number): void {
    if (code === this.hashes.length) {
      this.hashes = growInt32(this.hashes, code * 2);
      this.starts = growInt32(this.starts, code * 2);
      this.lengths = growInt32(this.lengths, code * 2);
    }
    if (this.arenaUsed + length > this.arena.length) {
      const arena = new Uint8Array(Math.max(this.arena.length * 2, this.arenaUsed + length));
      arena.set(this.arena.subarray(0, this.arenaUsed));
      this.arena = arena;
    }
    this.arena.set(bytes.subarray(start, start + length), this.arenaUsed);
    this.hashes[code] = hash;
    this.starts[code] = this.arenaUsed;
    this.lengths[code] = length;
    this.arenaUsed += length;
  }

  private rehash(): void {
    this.slots = new Int32Array(this.slots.length * 2);
    const mask = this.slots.length - 1;
    for (let code = 0; code < this.values.length; code++) {
      let slot = Math.imul(this.hashes[code], 0x9e3779b1) & mask;
      while (this.slots[slot] !== 0) slot = (slot + 1) & mask;
      this.slots[slot] = code + 1;
    }
  }
}

/** A copy of `array` with room for `length` entries. */
export function growInt32(array: Int32Array, length: number): Int32Array<ArrayBuffer> {
  const grown = new Int32Array(length);
  grown.set(array);
  return grown;
}
