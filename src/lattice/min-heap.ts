// A binary min-heap of node ids keyed by numbers, for best-first visiting of candidate nodes.
// Keys may go stale (a node's bound rises after it was pushed); callers re-check and re-push.

export class MinHeap {
  private keys: Float64Array;
  private ids: Int32Array;
  private length = 0;

  constructor(capacity = 64) {
    this.keys = new Float64Array(capacity);
    this.ids = new Int32Array(capacity);
  }

  get size(): number {
    return this.length;
  }

  /** The smallest key, +∞ when empty. */
  peekKey(): number {
    return this.length === 0 ? Infinity : this.keys[0];
  }

  push(id: number, key: number): void {
    if (this.length === this.ids.length) {
      const keys = new Float64Array(this.length * 2);
      keys.set(this.keys);
      this.keys = keys;
      const ids = new Int32Array(this.length * 2);
      ids.set(this.ids);
      this.ids = ids;
    }
    let index = this.length++;
    while (index > 0) {
      const parent = (index - 1) >> 1;
      if (this.keys[parent] <= key) break;
      this.keys[index] = this.keys[parent];
      this.ids[index] = this.ids[parent];
      index = parent;
    }
    this.keys[index] = key;
    this.ids[index] = id;
  }

  /** Removes the entry with the smallest key and returns its id (the heap must not be empty). */
  pop(): number {
    const top = this.ids[0];
    const lastKey = this.keys[--this.length];
    const lastId = this.ids[this.length];
    let index = 0;
    for (;;) {
      let child = 2 * index + 1;
      if (child >= this.length) break;
      if (child + 1 < this.length && this.keys[child + 1] < this.keys[child]) child++;
      if (this.keys[child] >= lastKey) break;
      this.keys[index] = this.keys[child];
      this.ids[index] = this.ids[child];
      index = child;
    }
    this.keys[index] = lastKey;
    this.ids[index] = lastId;
    return top;
  }
}
