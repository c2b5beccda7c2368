// A set of level vectors answering "which of them lie at or above (at or below) this node?" in a few word-wide ANDs:
// per attribute and level, bitsets of the entries at or above and at or below it. Memory grows with the entries.

/**
 * Entries are numbered in insertion order; removed ones keep their number but never match, and `compact` renumbers
 * the live ones when the dead outnumber them. A query for node v ANDs, over the attributes where v does not already
 * match every entry, the bitset of entries with level ≥ v_j (at or above) or ≤ v_j (at or below): at most d·E/32
 * word operations, far fewer where v sits at the bottom (above) or the top (below) of many attributes.
 */
export class DominanceIndex {
  private readonly width: number;
  private readonly maxLevels: Int32Array;
  private readonly offset: Int32Array;
  /** atLeast[offset[j] + l]: entries whose level of attribute j is ≥ l; atMost: ≤ l. */
  private atLeast: Uint32Array[];
  private atMost: Uint32Array[];
  private live: Uint32Array;
  private words = 0;
  private entryLevels: Uint8Array | Uint16Array;
  private count = 0;
  private liveCount = 0;
  /** The bitsets of the current query (reused: queries run by the thousand per second). */
  private readonly rows: Uint32Array[] = [];

  constructor(maxLevels: readonly number[]) {
    this.width = maxLevels.length;
    this.maxLevels = Int32Array.from(maxLevels);
    this.offset = new Int32Array(this.width);
    let total = 0;
    for (let j = 0; j < this.width; j++) {
      this.offset[j] = total;
      total += maxLevels[j] + 1;
    }
    this.atLeast = Array.from({ length: total }, () => new Uint32Array(0));
    this.atMost = Array.from({ length: total }, () => new Uint32Array(0));
    this.live = new Uint32Array(0);
    this.entryLevels = this.newLevels(0);
  }

  /** Entries ever added and not renumbered away: the bound of entry numbers. */
  get entries(): number {
    return this.count;
  }

  /** Entries not removed. */
  get size(): number {
    return this.liveCount;
  }

  /** Adds a node; returns its entry number. */
  add(levels: ArrayLike<number>): number {
    if (this.count >= this.words * 32) this.grow();
    const entry = this.count++;
    this.entryLevels.set(levels as ArrayLike<number>, entry * this.width);
    this.setBits(entry, levels);
    this.liveCount++;
    return entry;
  }

  /** Stops `entry` from matching any query. */
  remove(entry: number): void {
    const word = entry >>> 5;
    const bit = 1 << (entry & 31);
    if ((this.live[word] & bit) === 0) return;
    this.live[word] &= ~bit;
    this.liveCount--;
  }

  isLive(entry: number): boolean {
    return (this.live[entry >>> 5] & (1 << (entry & 31))) !== 0;
  }

  levelOf(entry: number, attribute: number): number {
    return this.entryLevels[entry * this.width + attribute];
  }

  /** The first live entry (in entry order) at or above `levels` (`above`), or at or below it; −1 if none. */
  first(levels: ArrayLike<number>, above: boolean): number {
    const rows = this.relevantRows(levels, above);
    for (let w = 0; w < this.words; w++) {
      const match = this.matchWord(rows, w);
      if (match !== 0) return (w << 5) + (31 - Math.clz32(match & -match));
    }
    return -1;
  }

  /** Calls `visit` with every live entry at or above (below) `levels`, in entry order; stops when it returns false. */
  forEach(levels: ArrayLike<number>, above: boolean, visit: (entry: number) => boolean | void): void {
    const rows = this.relevantRows(levels, above);
    for (let w = 0; w < this.words; w++) {
      let match = this.matchWord(rows, w);
      while (match !== 0) {
        const low = match & -match;
        match ^= low;
        if (visit((w << 5) + (31 - Math.clz32(low))) === false) return;
      }
    }
  }

  /**
   * Renumbers the live entries 0, 1, … in their order, dropping the removed ones; returns old → new numbers (−1:
   * dropped). Worth it once removed entries are the majority, since every query reads their bits.
   */
  compact(): Int32Array {
    const remap = new Int32Array(this.count).fill(-1);
    const levels = this.entryLevels.slice(0, this.count * this.width);
    const liveEntries: number[] = [];
    for (let entry = 0; entry < this.count; entry++) if (this.isLive(entry)) liveEntries.push(entry);
    for (const bits of [...this.atLeast, ...this.atMost]) bits.fill(0);
    this.live.fill(0);
    this.count = 0;
    this.liveCount = 0;
    for (const entry of liveEntries) remap[entry] = this.add(levels.subarray(entry * this.width, (entry + 1) * this.width));
    return remap;
  }

  private setBits(entry: number, levels: ArrayLike<number>): void {
    const word = entry >>> 5;
    const bit = 1 << (entry & 31);
    for (let j = 0; j < this.width; j++) {
      const level = levels[j];
      const base = this.offset[j];
      for (let l = 0; l <= level; l++) this.atLeast[base + l][word] |= bit;
      for (let l = level; l <= this.maxLevels[j]; l++) this.atMost[base + l][word] |= bit;
    }
    this.live[word] |= bit;
  }

  /** The bitsets to AND for `levels`: none for attributes where every entry matches (level 0 above, top below). */
  private relevantRows(levels: ArrayLike<number>, above: boolean): Uint32Array[] {
    const rows = this.rows;
    rows.length = 0;
    for (let j = 0; j < this.width; j++) {
      const level = levels[j];
      if (above ? level === 0 : level === this.maxLevels[j]) continue;
      if (!(level >= 0 && level <= this.maxLevels[j])) throw new RangeError(`level ${level} of attribute ${j} is outside 0..${this.maxLevels[j]}`);
      rows.push((above ? this.atLeast : this.atMost)[this.offset[j] + level]);
    }
    return rows;
  }

  private matchWord(rows: readonly Uint32Array[], w: number): number {
    let match = this.live[w];
    for (let r = 0; r < rows.length && match !== 0; r++) match &= rows[r][w];
    return match;
  }

  private grow(): void {
    const words = Math.max(4, this.words * 2);
    const widen = (old: Uint32Array): Uint32Array => {
      const wider = new Uint32Array(words);
      wider.set(old);
      return wider;
    };
    this.atLeast = this.atLeast.map(widen);
    this.atMost = this.atMost.map(widen);
    this.live = widen(this.live);
    const levels = this.newLevels(words * 32 * this.width);
    levels.set(this.entryLevels);
    this.entryLevels = levels;
    this.words = words;
  }

  private newLevels(length: number): Uint8Array | Uint16Array {
    return Math.max(0, ...this.maxLevels) <= 255 ? new Uint8Array(length) : new Uint16Array(length);
  }
}
