// Collects an engine's grouped rows (codes or strings, with a record count each) into a CodedHistogram, growing typed
// arrays as rows arrive, so that millions of groups cost a few bytes each rather than an object each.

import { inputError } from '../errors.js';
import type { CodedHistogram } from './engine.js';

/** Counts above this do not fit the histogram's Int32 weights. */
const MAX_GROUP_RECORDS = 0x7fffffff;

export class HistogramBuilder {
  private codes: Int32Array[];
  private counts = new Int32Array(1024);
  private size = 0;
  private readonly codeOf: Map<string, number>[];
  private readonly dictionaries: string[][];

  /** `dictionaries[c]`: the given dictionary of column c (rows then bring codes), or undefined (rows bring strings). */
  constructor(
    private readonly names: readonly string[],
    private readonly source: string,
    dictionaries: readonly (readonly string[] | undefined)[] = [],
  ) {
    this.codes = names.map(() => new Int32Array(1024));
    this.dictionaries = names.map((_, c) => (dictionaries[c] ?? []).slice());
    this.codeOf = names.map(() => new Map());
  }

  /** Adds a group given by codes into the given dictionaries. */
  addCodes(codes: ArrayLike<number>, records: number): void {
    const row = this.reserve(records);
    for (let c = 0; c < this.names.length; c++) this.codes[c][row] = codes[c];
  }

  /** Adds a group given by its values (NULL already mapped to the empty string). */
  addValues(values: readonly string[], records: number): void {
    const row = this.reserve(records);
    for (let c = 0; c < this.names.length; c++) {
      const value = values[c];
      let code = this.codeOf[c].get(value);
      if (code === undefined) {
        code = this.dictionaries[c].length;
        this.dictionaries[c].push(value);
        this.codeOf[c].set(value, code);
      }
      this.codes[c][row] = code;
    }
  }

  finish(): CodedHistogram {
    return {
      columns: this.names.map((name, c) => ({ name, dictionary: this.dictionaries[c] })),
      codes: this.codes.map((codes) => codes.slice(0, this.size)),
      counts: this.counts.slice(0, this.size),
      tuples: this.size,
    };
  }

  private reserve(records: number): number {
    if (!(Number.isInteger(records) && records >= 1 && records <= MAX_GROUP_RECORDS)) {
      throw inputError('ENGINE_GROUP_TOO_LARGE', `${this.source}: a group holds ${records} records, more than Cloak counts in one group (${MAX_GROUP_RECORDS})`, { location: { file: this.source } });
    }
    if (this.size === this.counts.length) {
      const grow = (array: Int32Array) => {
        const grown = new Int32Array(array.length * 2);
        grown.set(array);
        return grown;
      };
      this.counts = grow(this.counts);
      this.codes = this.codes.map(grow);
    }
    this.counts[this.size] = records;
    return this.size++;
  }
}
