// Checks one candidate class of tuples against the per-class privacy models: merges the tuples' sensitive
// histograms into a one-class view the models read, in reused buffers (the greedy checks many small classes).

import type { EquivalenceClasses, SensitiveHistograms } from '../groupify/equivalence-classes.js';
import type { PrivacyModel } from '../models/privacy-model.js';

export class ClassCheck {
  /** Whether any model reads more than the class size (a sensitive attribute): only then are histograms merged. */
  readonly readsValues: boolean;
  private readonly sizes = new Int32Array(1);
  private readonly histograms: { offsets: Int32Array; codes: Int32Array; counts: Int32Array }[];
  /** Per sensitive attribute: records per value while merging, and the values touched. */
  private readonly accumulated: Int32Array[];
  private readonly view: EquivalenceClasses;

  constructor(
    private readonly tuples: EquivalenceClasses,
    private readonly models: readonly PrivacyModel[],
    private readonly minClassSize: number,
  ) {
    this.readsValues = models.some((model) => 'attribute' in model.spec);
    this.accumulated = tuples.sensitive.map((histograms) => new Int32Array(domainOf(histograms)));
    this.histograms = this.accumulated.map((values) => ({ offsets: new Int32Array(2), codes: new Int32Array(values.length), counts: new Int32Array(values.length) }));
    this.view = { count: 1, width: tuples.width, levels: tuples.levels, keys: new Int32Array(0), sizes: this.sizes, sensitive: this.histograms };
  }

  /**
   * Whether the records of `members[from..to)` (tuple indices; plus, optionally, those of `more`) form a class that
   * satisfies every model. `size` is their record count.
   */
  passes(size: number, members: Int32Array, from: number, to: number, more?: readonly number[]): boolean {
    if (size < this.minClassSize) return false;
    if (!this.readsValues) return true;
    this.sizes[0] = size;
    this.tuples.sensitive.forEach((source, slot) => {
      const accumulated = this.accumulated[slot];
      const target = this.histograms[slot];
      let entries = 0;
      const add = (tuple: number) => {
        for (let e = source.offsets[tuple]; e < source.offsets[tuple + 1]; e++) {
          const code = source.codes[e];
          if (accumulated[code] === 0) target.codes[entries++] = code;
          accumulated[code] += source.counts[e];
        }
      };
      for (let i = from; i < to; i++) add(members[i]);
      if (more !== undefined) for (const tuple of more) add(tuple);
      for (let e = 0; e < entries; e++) {
        const code = target.codes[e];
        target.counts[e] = accumulated[code];
        accumulated[code] = 0;
      }
      target.offsets[1] = entries;
    });
    for (const model of this.models) if (!model.isClassValid(this.view, 0)) return false;
    return true;
  }
}

function domainOf(histograms: SensitiveHistograms): number {
  let domain = 1;
  for (let e = 0; e < histograms.codes.length; e++) if (histograms.codes[e] >= domain) domain = histograms.codes[e] + 1;
  return domain;
}
