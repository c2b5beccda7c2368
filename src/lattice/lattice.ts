// The generalization lattice: nodes numbered in mixed radix (first attribute fastest), levels, heights, neighbours.
// Pure structure: it knows nothing about data, only the maximal level of each attribute.

export class Lattice {
  readonly size: number;
  readonly width: number;
  readonly maxLevels: Int32Array;
  /** strides[j]: id difference of raising attribute j by one level. */
  readonly strides: Int32Array;
  /** heights[id]: sum of the node's levels. */
  readonly heights: Int32Array;
  /** Node ids ordered by height, then id: a bottom-up visiting order. */
  readonly byHeight: Int32Array;
  /** levelTable[id * width + j]: level of attribute j at node id (the search asks for levels in its inner loops). */
  readonly levelTable: Uint8Array | Uint16Array;

  constructor(maxLevels: readonly number[]) {
    this.width = maxLevels.length;
    this.maxLevels = Int32Array.from(maxLevels);
    this.strides = new Int32Array(this.width);
    let size = 1;
    for (let j = 0; j < this.width; j++) {
      this.strides[j] = size;
      size *= maxLevels[j] + 1;
    }
    this.size = size;
    this.levelTable = Math.max(0, ...maxLevels) <= 255 ? new Uint8Array(size * this.width) : new Uint16Array(size * this.width);
    this.heights = new Int32Array(size);
    // Count through the ids in mixed radix, first attribute fastest, carrying like an odometer.
    const odometer = new Int32Array(this.width);
    const levelTable = this.levelTable;
    for (let id = 0, height = 0; id < size; id++) {
      for (let j = 0, at = id * this.width; j < this.width; j++) levelTable[at + j] = odometer[j];
      this.heights[id] = height;
      for (let j = 0; j < this.width; j++) {
        if (odometer[j] < maxLevels[j]) {
          odometer[j]++;
          height++;
          break;
        }
        height -= odometer[j];
        odometer[j] = 0;
      }
    }
    const maxHeight = this.maxLevels.reduce((sum, level) => sum + level, 0);
    const start = new Int32Array(maxHeight + 2);
    for (let id = 0; id < size; id++) start[this.heights[id] + 1]++;
    for (let h = 0; h <= maxHeight; h++) start[h + 1] += start[h];
    this.byHeight = new Int32Array(size);
    for (let id = 0; id < size; id++) this.byHeight[start[this.heights[id]]++] = id;
  }

  /** Number of nodes of a lattice with these maximal levels, without building it (may exceed 2^53 loosely). */
  static sizeOf(maxLevels: readonly number[]): number {
    return maxLevels.reduce((product, level) => product * (level + 1), 1);
  }

  /** A lattice size for messages: exactly while it is an exact integer, else in scientific notation (4.01e+18). */
  static describeSize(size: number): string {
    return size <= Number.MAX_SAFE_INTEGER ? String(size) : size.toPrecision(3);
  }

  levelOf(id: number, attribute: number): number {
    return this.levelTable[id * this.width + attribute];
  }

  levels(id: number): Int32Array {
    return this.levelsInto(id, new Int32Array(this.width));
  }

  /** The levels of node `id` written into `target` (a scratch array the caller reuses), which is returned. */
  levelsInto(id: number, target: Int32Array): Int32Array {
    for (let j = 0, at = id * this.width; j < this.width; j++, at++) target[j] = this.levelTable[at];
    return target;
  }

  idOf(levels: ArrayLike<number>): number {
    let id = 0;
    for (let j = 0; j < this.width; j++) id += levels[j] * this.strides[j];
    return id;
  }

  /** Calls `visit` with each direct successor (one attribute one level higher). */
  forEachSuccessor(id: number, visit: (successor: number, attribute: number) => void): void {
    for (let j = 0; j < this.width; j++) if (this.levelOf(id, j) < this.maxLevels[j]) visit(id + this.strides[j], j);
  }

  /** Calls `visit` with each direct predecessor (one attribute one level lower). */
  forEachPredecessor(id: number, visit: (predecessor: number) => void): void {
    for (let j = 0; j < this.width; j++) if (this.levelOf(id, j) > 0) visit(id - this.strides[j]);
  }
}
