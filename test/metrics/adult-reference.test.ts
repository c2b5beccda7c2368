// Checks loss and discernibility against the optima ARX 3.9.2 reports on Adult (k = 5, 9 quasi-identifiers).
// Skipped, with the reason printed, when ../shared/datasets/adult is not present.

import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createMetric } from '../../src/metrics/index.js';
import type { MetricName } from '../../src/options.js';
import { contextFor, encodeFixture, groupAt, suppressSmallerThan, type Fixture } from './fixtures.js';

const ADULT_DIR = join(import.meta.dirname, '../../../shared/datasets/adult');
const ATTRIBUTES = ['sex', 'age', 'race', 'marital-status', 'education', 'native-country', 'workclass', 'occupation', 'salary-class'];
const K = 5;

function readSemicolonRows(path: string): string[][] {
  return readFileSync(path, 'utf8')
    .split(/\r?\n/)
    .filter((line) => line.length > 0)
    .map((line) => line.split(';'));
}

function loadAdult(): Fixture {
  const [header, ...records] = readSemicolonRows(join(ADULT_DIR, 'adult.csv'));
  expect(header).toEqual(ATTRIBUTES);
  const hierarchyRows = ATTRIBUTES.map((attribute) => readSemicolonRows(join(ADULT_DIR, `adult_hierarchy_${attribute}.csv`)));
  return { attributes: ATTRIBUTES, records, hierarchyRows };
}

// [metric, suppression limit, optimal levels, ARX's score]
const REFERENCE: [MetricName, number, number[], number][] = [
  ['loss', 0, [0, 4, 1, 1, 3, 2, 2, 1, 0], 0.5731509655590044],
  ['loss', 0.05, [0, 3, 0, 0, 2, 1, 1, 2, 0], 0.2419323650662908],
  ['discernibility', 0, [1, 1, 1, 2, 3, 2, 2, 1, 1], 33627534],
  ['discernibility', 0.05, [0, 0, 1, 2, 3, 2, 2, 1, 1], 7220555],
];

const present = existsSync(join(ADULT_DIR, 'adult.csv'));
if (!present) console.log(`Adult reference check skipped: ${ADULT_DIR} not found`);

describe.skipIf(!present)('ARX reference optima on Adult, k = 5', () => {
  const encoded = present ? encodeFixture(loadAdult()) : undefined;

  it.each(REFERENCE)('%s with suppression limit %s at %j scores %s', (name, limit, levels, expected) => {
    const classes = groupAt(encoded!, levels);
    const suppressed = suppressSmallerThan(classes, K);
    const suppressedRecords = classes.sizes.reduce((sum, size, c) => sum + (suppressed[c] === 1 ? size : 0), 0);
    expect(suppressedRecords).toBeLessThanOrEqual(limit * encoded!.rowCount);
    const metric = createMetric({ name }, contextFor(encoded!));
    expect(metric.score(classes, suppressed).value).toBe(expected);
    expect(metric.lowerBound(classes)).toBeLessThanOrEqual(expected);
  });
});
