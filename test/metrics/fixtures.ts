// Test fixtures for the metrics: a small hierarchy compiler, a row-by-row grouping at a node and a context builder.
// Deliberately naive (maps every row, groups by joined key) so that metric tests do not depend on groupify.

import type { EquivalenceClasses } from '../../src/groupify/equivalence-classes.js';
import type { CompiledHierarchy } from '../../src/hierarchy/compiled-hierarchy.js';
import type { MetricContext } from '../../src/metrics/metric.js';
import { normalizeWeights } from '../../src/metrics/index.js';

/** A data set for the tests: string records and, per attribute, ARX-style hierarchy rows `[value, level1, …]`. */
export interface Fixture {
  readonly attributes: readonly string[];
  readonly records: readonly (readonly string[])[];
  readonly hierarchyRows: readonly (readonly (readonly string[])[])[];
}

/** The encoded fixture: data codes per attribute (first-seen order), compiled hierarchies and value counts. */
export interface EncodedFixture {
  readonly rowCount: number;
  readonly codes: readonly Int32Array[];
  readonly hierarchies: readonly CompiledHierarchy[];
  readonly valueCounts: readonly Int32Array[];
}

function compileFixtureHierarchy(attribute: string, rows: readonly (readonly string[])[], dictionary: readonly string[]): CompiledHierarchy {
  const maxLevel = rows[0].length - 1;
  const rowOfValue = new Map(rows.map((row) => [row[0], row]));
  const labels: string[][] = [[...dictionary]];
  const dataToLevel: Int32Array[] = [Int32Array.from(dictionary, (_, code) => code)];
  const fileRowsPerLabel: Int32Array[] = [new Int32Array(dictionary.length).fill(1)];
  for (let level = 1; level <= maxLevel; level++) {
    const levelLabels = [...new Set(rows.map((row) => row[level]))];
    const codeOf = new Map(levelLabels.map((label, code) => [label, code]));
    labels.push(levelLabels);
    dataToLevel.push(Int32Array.from(dictionary, (value) => codeOf.get(rowOfValue.get(value)![level])!));
    const rowsPerLabel = new Int32Array(levelLabels.length);
    for (const row of rows) rowsPerLabel[codeOf.get(row[level])!]++;
    fileRowsPerLabel.push(rowsPerLabel);
  }
  const levelMap = (from: number, to: number): Int32Array => {
    const map = new Int32Array(labels[from].length);
    dictionary.forEach((_, code) => (map[dataToLevel[from][code]] = dataToLevel[to][code]));
    return map;
  };
  return { attribute, maxLevel, fileRowCount: rows.length, labels, dataToLevel, fileRowsPerLabel, levelMap };
}

export function encodeFixture(fixture: Fixture): EncodedFixture {
  const codes: Int32Array[] = [];
  const hierarchies: CompiledHierarchy[] = [];
  const valueCounts: Int32Array[] = [];
  fixture.attributes.forEach((attribute, j) => {
    const dictionary: string[] = [];
    const codeOf = new Map<string, number>();
    const column = Int32Array.from(fixture.records, (record) => {
      let code = codeOf.get(record[j]);
      if (code === undefined) {
        code = dictionary.length;
        codeOf.set(record[j], code);
        dictionary.push(record[j]);
      }
      return code;
    });
    codes.push(column);
    hierarchies.push(compileFixtureHierarchy(attribute, fixture.hierarchyRows[j], dictionary));
    const counts = new Int32Array(dictionary.length);
    for (const code of column) counts[code]++;
    valueCounts.push(counts);
  });
  return { rowCount: fixture.records.length, codes, hierarchies, valueCounts };
}

/** Groups the records at `levels`; classes come out in order of first appearance. */
export function groupAt(encoded: EncodedFixture, levels: readonly number[]): EquivalenceClasses {
  const width = levels.length;
  const classOfKey = new Map<string, number>();
  const keys: number[] = [];
  const sizes: number[] = [];
  for (let row = 0; row < encoded.rowCount; row++) {
    const labels = levels.map((level, j) => encoded.hierarchies[j].dataToLevel[level][encoded.codes[j][row]]);
    const key = labels.join(',');
    let classIndex = classOfKey.get(key);
    if (classIndex === undefined) {
      classIndex = sizes.length;
      classOfKey.set(key, classIndex);
      keys.push(...labels);
      sizes.push(0);
    }
    sizes[classIndex]++;
  }
  return {
    count: sizes.length,
    width,
    levels: Int32Array.from(levels),
    keys: Int32Array.from(keys),
    sizes: Int32Array.from(sizes),
    sensitive: [],
  };
}

export function contextFor(
  encoded: EncodedFixture,
  options: { gsFactor?: number; weights?: Record<string, number>; aggregate?: MetricContext['aggregate'] } = {},
): MetricContext {
  const names = encoded.hierarchies.map((hierarchy) => hierarchy.attribute);
  return {
    rowCount: encoded.rowCount,
    hierarchies: encoded.hierarchies,
    valueCounts: encoded.valueCounts,
    weights: normalizeWeights(names, options.weights),
    gsFactor: options.gsFactor ?? 0.5,
    aggregate: options.aggregate ?? 'sum',
  };
}

/** Marks the classes smaller than k as suppressed, the way k-anonymity with a suppression limit does. */
export function suppressSmallerThan(classes: EquivalenceClasses, k: number): Uint8Array {
  return Uint8Array.from(classes.sizes, (size) => (size < k ? 1 : 0));
}
