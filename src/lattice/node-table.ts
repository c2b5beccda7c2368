// The nodes a search has reached, numbered as they come: levels, height, queue key, state and check result per node.
// Found by level vector through a dense id-indexed array on lattices that fit one, else through a hash map.

/** What the search has done with a node. */
export const EXPANDED = 1;
export const QUEUED = 2;

export type NodeLookupKind = 'dense' | 'sparse';

/** Finds a node's number by its levels. */
interface NodeLookup {
  readonly kind: NodeLookupKind;
  find(levels: ArrayLike<number>): number;
  set(levels: ArrayLike<number>, index: number): void;
  clear(): void;
  /** Bytes the lookup holds besides its entries (the dense array). */
  readonly fixedBytes: number;
}

/** An Int32Array over the whole lattice, indexed by mixed-radix id (first attribute fastest). */
class DenseLookup implements NodeLookup {
  readonly kind = 'dense';
  private readonly strides: Float64Array;
  private readonly indices: Int32Array;

  constructor(maxLevels: readonly number[], size: number) {
    this.strides = new Float64Array(maxLevels.length);
    let stride = 1;
    maxLevels.forEach((level, j) => {
      this.strides[j] = stride;
      stride *= level + 1;
    });
    this.indices = new Int32Array(size).fill(-1);
  }

  get fixedBytes(): number {
    return this.indices.byteLength;
  }

  private id(levels: ArrayLike<number>): number {
    let id = 0;
    for (let j = 0; j < levels.length; j++) id += levels[j] * this.strides[j];
    return id;
  }

  find(levels: ArrayLike<number>): number {
    return this.indices[this.id(levels)];
  }

  set(levels: ArrayLike<number>, index: number): void {
    this.indices[this.id(levels)] = index;
  }

  clear(): void {
    this.indices.fill(-1);
  }
}

/** A Map keyed by the levels as a string of char codes: memory grows with the nodes reached, not the lattice. */
class SparseLookup implements NodeLookup {
  readonly kind = 'sparse';
  readonly fixedBytes = 0;
  private readonly map = new Map<string, number>();
  private readonly codes: number[] = [];

  private keyOf(levels: ArrayLike<number>): string {
    const codes = this.codes;
    codes.length = levels.length;
    for (let j = 0; j < levels.length; j++) codes[j] = levels[j];
    return String.fromCharCode.apply(null, codes);
  }

  find(levels: ArrayLike<number>): number {
    return this.map.get(this.keyOf(levels)) ?? -1;
  }

  set(levels: ArrayLike<number>, index: number): void {
    this.map.set(this.keyOf(levels), index);
  }

  clear(): void {
    this.map.clear();
  }
}

/** Above this many nodes a dense lookup costs more memory (4 bytes a node) than it saves time; sparse beyond. */
export const DENSE_LOOKUP_MAX_NODES = 1 << 24;

/** Per-node bytes of a sparse table besides the levels: arrays below plus a map entry and its key string. */
const SPARSE_BYTES_PER_NODE = 120;

export class NodeTable {
  private lookup: NodeLookup;
  count = 0;
  levels: Uint8Array | Uint16Array;
  heights: Int32Array;
  /** The key the node is queued with (Infinity: never queued). */
  keys: Float64Array;
  flags: Uint8Array;
  /** The node's entry in the check log, or −1 when unchecked. */
  checks: Int32Array;
  private capacity = 0;

  constructor(
    readonly width: number,
    maxLevels: readonly number[],
    latticeSize: number,
    kind: NodeLookupKind,
  ) {
    this.lookup = kind === 'dense' ? new DenseLookup(maxLevels, latticeSize) : new SparseLookup();
    const wide = Math.max(0, ...maxLevels) > 255;
    this.levels = wide ? new Uint16Array(0) : new Uint8Array(0);
    this.heights = new Int32Array(0);
    this.keys = new Float64Array(0);
    this.flags = new Uint8Array(0);
    this.checks = new Int32Array(0);
  }

  get kind(): NodeLookupKind {
    return this.lookup.kind;
  }

  /** Approximate bytes the nodes held take: what a memory budget is checked against (arrays grow by doubling). */
  get bytes(): number {
    const perNode = this.width * this.levels.BYTES_PER_ELEMENT + 4 + 8 + 1 + 4 + (this.lookup.kind === 'sparse' ? SPARSE_BYTES_PER_NODE + this.width : 0);
    return this.lookup.fixedBytes + this.count * perNode;
  }

  find(levels: ArrayLike<number>): number {
    return this.lookup.find(levels);
  }

  /** The node's number, adding it when new. */
  intern(levels: ArrayLike<number>): number {
    const found = this.lookup.find(levels);
    if (found !== -1) return found;
    const index = this.count++;
    if (index === this.capacity) this.grow();
    let height = 0;
    for (let j = 0, at = index * this.width; j < this.width; j++, at++) {
      this.levels[at] = levels[j];
      height += levels[j];
    }
    this.heights[index] = height;
    this.keys[index] = Infinity;
    this.flags[index] = 0;
    this.checks[index] = -1;
    this.lookup.set(levels, index);
    return index;
  }

  levelsInto(index: number, target: Int32Array): Int32Array {
    for (let j = 0, at = index * this.width; j < this.width; j++, at++) target[j] = this.levels[at];
    return target;
  }

  /**
   * Keeps only the nodes `keep` accepts, renumbered in their order; returns old → new numbers (−1: dropped). Frees
   * what forgotten nodes held once the search's memory budget is reached.
   */
  compact(keep: (index: number) => boolean): Int32Array {
    const remap = new Int32Array(this.count).fill(-1);
    this.lookup.clear();
    let kept = 0;
    const scratch = new Int32Array(this.width);
    for (let index = 0; index < this.count; index++) {
      if (!keep(index)) continue;
      remap[index] = kept;
      if (kept !== index) {
        this.levels.copyWithin(kept * this.width, index * this.width, (index + 1) * this.width);
        this.heights[kept] = this.heights[index];
        this.keys[kept] = this.keys[index];
        this.flags[kept] = this.flags[index];
        this.checks[kept] = this.checks[index];
      }
      this.lookup.set(this.levelsInto(kept, scratch), kept);
      kept++;
    }
    this.count = kept;
    return remap;
  }

  private grow(): void {
    const capacity = Math.max(1024, this.capacity * 2);
    const widen = <T extends Uint8Array | Uint16Array | Int32Array | Float64Array>(old: T, length: number): T => {
      const wider = new (old.constructor as new (length: number) => T)(length);
      wider.set(old as never);
      return wider;
    };
    this.levels = widen(this.levels, capacity * this.width);
    this.heights = widen(this.heights, capacity);
    this.keys = widen(this.keys, capacity);
    this.flags = widen(this.flags, capacity);
    this.checks = widen(this.checks, capacity);
    this.capacity = capacity;
  }
}
