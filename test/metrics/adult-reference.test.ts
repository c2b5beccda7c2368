// Checks loss and discernibility against the optima ARX 3.9.2 reports on Adult (k = 5; 9 quasi-identifiers, and 8 with
// distinct 3-diversity on occupation), grouping through the engine's data path (compiler, tuple collapse, grouper).
// Skipped, with the reason printed, when ../shared/datasets/adult is not present (never in CI: it fails there).

import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { collapseTuples } from '../../src/groupify/collapse.js';
import { levelDomainSizes, NodeGrouper } from '../../src/groupify/node-grouper.js';
import { compileHierarchy } from '../../src/hierarchy/compile.js';
import { parseHierarchyText } from '../../src/hierarchy/load.js';
import { createMetric, normalizeWeights, type MetricContext } from '../../src/metrics/index.js';
import type { MetricName } from '../../src/options.js';
import { encodeRows } from '../../src/table/encoded-table.js';
import { ADULT_DIR, noteAdultSkip, SKIP_ADULT } from '../adult-dataset.js';

const ATTRIBUTES = ['sex', 'age', 'race', 'marital-status', 'education', 'native-country', 'workclass', 'occupation', 'salary-class'];
const K = 5;

// [metric, suppression limit, optimal levels, ARX's score]
const REFERENCE: [MetricName, number, number[], number][] = [
  ['loss', 0, [0, 4, 1, 1, 3, 2, 2, 1, 0], 0.5731509655590044],
  ['loss', 0.05, [0, 3, 0, 0, 2, 1, 1, 2, 0], 0.2419323650662908],
  ['discernibility', 0, [1, 1, 1, 2, 3, 2, 2, 1, 1], 33627534],
  ['discernibility', 0.05, [0, 0, 1, 2, 3, 2, 2, 1, 1], 7220555],
];

/** Adult with the given quasi-identifier columns (indexes into ATTRIBUTES) and sensitive columns. */
function loadAdult(qiColumns: readonly number[], sensitiveColumns: readonly number[]): { grouper: NodeGrouper; context: MetricContext } {
  const [header, ...records] = readFileSync(join(ADULT_DIR, 'adult.csv'), 'utf8')
    .split(/\r?\n/)
    .filter((line) => line.length > 0)
    .map((line) => line.split(';'));
  expect(header).toEqual(ATTRIBUTES);
  const table = encodeRows(header, records);
  const qiColumnsOfTable = qiColumns.map((j) => table.columns[j]);
  const hierarchies = qiColumnsOfTable.map((column) => {
    const path = join(ADULT_DIR, `adult_hierarchy_${column.name}.csv`);
    return compileHierarchy(column, parseHierarchyText(readFileSync(path, 'utf8'), path));
  });
  const valueCounts = qiColumnsOfTable.map((column) => {
    const counts = new Int32Array(column.dictionary.length);
    for (const code of column.codes) counts[code]++;
    return counts;
  });
  const histogram = collapseTuples(table, qiColumns, sensitiveColumns, levelDomainSizes(hierarchies));
  const context: MetricContext = {
    rowCount: table.rowCount,
    hierarchies,
    valueCounts,
    weights: normalizeWeights(qiColumnsOfTable.map((column) => column.name)),
    gsFactor: 0.5,
    aggregate: 'geometric',
  };
  return { grouper: new NodeGrouper(histogram, hierarchies), context };
}

noteAdultSkip('Adult reference check');

describe.skipIf(SKIP_ADULT)('ARX reference optima on Adult, k = 5', () => {
  const adult = !SKIP_ADULT ? loadAdult(ATTRIBUTES.map((_, j) => j), []) : undefined;

  it.each(REFERENCE)('%s with suppression limit %s at %j scores %s', (name, limit, levels, expected) => {
    const { grouper, context } = adult!;
    const classes = grouper.classesAt(Int32Array.from(levels));
    // k-anonymity with a suppression limit suppresses exactly the classes smaller than k.
    const suppressed = Uint8Array.from(classes.sizes, (size) => (size < K ? 1 : 0));
    const suppressedRecords = classes.sizes.reduce((sum, size, c) => sum + (suppressed[c] === 1 ? size : 0), 0);
    expect(suppressedRecords).toBeLessThanOrEqual(limit * context.rowCount);
    const metric = createMetric({ name }, context);
    expect(metric.score(classes, suppressed).value).toBe(expected);
    expect(metric.lowerBound(classes)).toBeLessThanOrEqual(expected);
  });

  it('loss with k = 5, distinct 3-diversity on occupation, suppression limit 0.05 scores 0.17170218121750636', () => {
    const occupation = ATTRIBUTES.indexOf('occupation');
    const { grouper, context } = loadAdult(
      ATTRIBUTES.map((_, j) => j).filter((j) => j !== occupation),
      [occupation],
    );
    const classes = grouper.classesAt(Int32Array.of(0, 3, 0, 0, 2, 1, 1, 0));
    const { offsets } = classes.sensitive[0];
    const suppressed = Uint8Array.from(classes.sizes, (size, c) => (size < K || offsets[c + 1] - offsets[c] < 3 ? 1 : 0));
    const suppressedRecords = classes.sizes.reduce((sum, size, c) => sum + (suppressed[c] === 1 ? size : 0), 0);
    expect(suppressedRecords).toBeLessThanOrEqual(0.05 * context.rowCount);
    expect(createMetric({ name: 'loss' }, context).score(classes, suppressed).value).toBe(0.17170218121750636);
  });
});
