// Hand-built inputs for the model tests: equivalence classes from per-class histograms, sensitive attributes, hierarchies.
// Independent of groupify and the hierarchy compiler, so model tests fail only for model bugs.

import type { EquivalenceClasses } from '../../src/groupify/equivalence-classes.js';
import type { CompiledHierarchy } from '../../src/hierarchy/compiled-hierarchy.js';
import type { ModelContext, SensitiveAttribute } from '../../src/models/privacy-model.js';
import type { AttributeType } from '../../src/table/encoded-table.js';

/** One class's histogram as [data code, records] pairs, each code at most once, counts > 0. */
export type Histogram = readonly (readonly [number, number])[];

/** Classes of a single sensitive attribute (slot 0), sizes the sums of their histograms. */
export function classesOf(histograms: readonly Histogram[]): EquivalenceClasses {
  const offsets = new Int32Array(histograms.length + 1);
  const codes: number[] = [];
  const counts: number[] = [];
  const sizes = new Int32Array(histograms.length);
  histograms.forEach((histogram, c) => {
    for (const [code, count] of histogram) {
      codes.push(code);
      counts.push(count);
      sizes[c] += count;
    }
    offsets[c + 1] = codes.length;
  });
  return {
    count: histograms.length,
    width: 0,
    levels: new Int32Array(0),
    keys: new Int32Array(0),
    sizes,
    sensitive: [{ offsets, codes: Int32Array.from(codes), counts: Int32Array.from(counts) }],
  };
}

export interface AttributeFixture {
  readonly name?: string;
  readonly type?: AttributeType;
  readonly dictionary?: readonly string[];
  readonly hierarchy?: CompiledHierarchy;
}

/** A one-attribute context whose input distribution is `globalCounts` (n = their sum). */
export function contextOf(globalCounts: readonly number[], fixture: AttributeFixture = {}): ModelContext {
  const attribute: SensitiveAttribute = {
    name: fixture.name ?? 'diagnosis',
    slot: 0,
    type: fixture.type ?? 'string',
    dictionary: fixture.dictionary ?? globalCounts.map((_, code) => `v${code}`),
    globalCounts: Int32Array.from(globalCounts),
    hierarchy: fixture.hierarchy,
  };
  return { rowCount: globalCounts.reduce((sum, count) => sum + count, 0), sensitive: [attribute] };
}

/**
 * Compiles ARX-style rows ([value, level 1, …, top]) for a dictionary by hand; rows for values outside the
 * dictionary are kept as file rows, as the real compiler does.
 */
export function hierarchyOf(dictionary: readonly string[], rows: readonly (readonly string[])[]): CompiledHierarchy {
  const maxLevel = rows[0].length - 1;
  const labels: string[][] = [[...dictionary]];
  for (let level = 1; level <= maxLevel; level++) labels.push([...new Set(rows.map((row) => row[level]))]);
  const codeAt = (level: number, label: string): number => labels[level].indexOf(label);
  const rowOf = (value: string): readonly string[] => {
    const row = rows.find((candidate) => candidate[0] === value);
    if (row === undefined) throw new Error('fixture hierarchy misses a dictionary value');
    return row;
  };
  const dataToLevel = labels.map((_, level) => Int32Array.from(dictionary, (value) => codeAt(level, rowOf(value)[level])));
  const fileRowsPerLabel = labels.map((levelLabels, level) =>
    Int32Array.from(levelLabels, (label) => rows.filter((row) => row[level] === label).length),
  );
  return {
    attribute: 'diagnosis',
    maxLevel,
    fileRowCount: rows.length,
    labels,
    dataToLevel,
    fileRowsPerLabel,
    levelMap(from: number, to: number): Int32Array {
      const map = new Int32Array(labels[from].length);
      for (const row of rows) {
        const fromCode = codeAt(from, row[from]);
        if (fromCode >= 0) map[fromCode] = codeAt(to, row[to]);
      }
      return map;
    },
  };
}
