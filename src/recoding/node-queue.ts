// A binary min-heap of lattice nodes keyed by a cost, with a look at the smallest key: the greedy accepts what
// costs no more than whatever any other node might still offer.

export class NodeQueue {
  private keys = new Float64Array(64);
  private nodes = new Int32Array(64);
  private length = 0;

  get size(): number {
    return this.length;
  }

  /** The smallest key, +∞ when empty. */
  peekKey(): number {
    return this.length === 0 ? Infinity : this.keys[0];
  }

  push(node: number, key: number): void {
    if (this.length === this.nodes.length) {
      const keys = new Float64Array(this.length * 2);
      keys.set(this.keys);
      this.keys = keys;
      const nodes = new Int32Array(this.length * 2);
      nodes.set(this.nodes);
      this.nodes = nodes;
    }
    let index = this.length++;
    while (index > 0) {
      const parent = (index - 1) >> 1;
      if (this.keys[parent] <= key) break;
      this.keys[index] = this.keys[parent];
      this.nodes[index] = this.nodes[parent];
      index = parent;
    }
    this.keys[index] = key;
    this.nodes[index] = node;
  }

  /** Removes the node with the smallest key and returns it (the queue must not be empty). */
  pop(): number {
    const top = this.nodes[0];
    const lastKey = this.keys[--this.length];
    const lastNode = this.nodes[this.length];
    let index = 0;
    for (;;) {
      let child = 2 * index + 1;
      if (child >= this.length) break;
      if (child + 1 < this.length && this.keys[child + 1] < this.keys[child]) child++;
      if (this.keys[child] >= lastKey) break;
      this.keys[index] = this.keys[child];
      this.nodes[index] = this.nodes[child];
      index = child;
    }
    this.keys[index] = lastKey;
    this.nodes[index] = lastNode;
    return top;
  }
}
