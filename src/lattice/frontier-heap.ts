// A binary min-heap of node numbers ordered by (key, height, number): the frontier search's open nodes, lowest bound
// first and, among equal bounds, the lower node first (the tie rule's order). Entries may go stale; callers skip them.

export class FrontierHeap {
  private keys = new Float64Array(256);
  private heights = new Int32Array(256);
  private nodes = new Int32Array(256);
  private length = 0;

  get size(): number {
    return this.length;
  }

  /** The smallest key (the heap must not be empty). */
  get topKey(): number {
    return this.keys[0];
  }

  get topNode(): number {
    return this.nodes[0];
  }

  push(node: number, key: number, height: number): void {
    if (this.length === this.nodes.length) this.grow();
    let index = this.length++;
    while (index > 0) {
      const parent = (index - 1) >> 1;
      if (!precedes(key, height, node, this.keys[parent], this.heights[parent], this.nodes[parent])) break;
      this.move(parent, index);
      index = parent;
    }
    this.keys[index] = key;
    this.heights[index] = height;
    this.nodes[index] = node;
  }

  /** Removes the first entry and returns its node (the heap must not be empty). */
  pop(): number {
    const top = this.nodes[0];
    const last = --this.length;
    const key = this.keys[last];
    const height = this.heights[last];
    const node = this.nodes[last];
    let index = 0;
    for (;;) {
      let child = 2 * index + 1;
      if (child >= this.length) break;
      if (child + 1 < this.length && precedes(this.keys[child + 1], this.heights[child + 1], this.nodes[child + 1], this.keys[child], this.heights[child], this.nodes[child])) child++;
      if (!precedes(this.keys[child], this.heights[child], this.nodes[child], key, height, node)) break;
      this.move(child, index);
      index = child;
    }
    this.keys[index] = key;
    this.heights[index] = height;
    this.nodes[index] = node;
    return top;
  }

  /** Keeps the entries `keep` accepts (renumbering their nodes through it; −1 drops), and restores the order. */
  rebuild(keep: (node: number, key: number) => number): void {
    const entries: [number, number, number][] = [];
    for (let i = 0; i < this.length; i++) {
      const node = keep(this.nodes[i], this.keys[i]);
      if (node !== -1) entries.push([this.keys[i], this.heights[i], node]);
    }
    this.length = 0;
    for (const [key, height, node] of entries) this.push(node, key, height);
  }

  private move(from: number, to: number): void {
    this.keys[to] = this.keys[from];
    this.heights[to] = this.heights[from];
    this.nodes[to] = this.nodes[from];
  }

  private grow(): void {
    const capacity = this.nodes.length * 2;
    const keys = new Float64Array(capacity);
    keys.set(this.keys);
    this.keys = keys;
    const heights = new Int32Array(capacity);
    heights.set(this.heights);
    this.heights = heights;
    const nodes = new Int32Array(capacity);
    nodes.set(this.nodes);
    this.nodes = nodes;
  }
}

function precedes(key: number, height: number, node: number, otherKey: number, otherHeight: number, otherNode: number): boolean {
  if (key !== otherKey) return key < otherKey;
  if (height !== otherHeight) return height < otherHeight;
  return node < otherNode;
}
