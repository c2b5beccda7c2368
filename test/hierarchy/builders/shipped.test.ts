// Golden test of the shipped hierarchy library: every spec in hierarchies/specs regenerates its
// checked-in CSV byte for byte. Set CLOAK_UPDATE_GOLDEN=1 to rewrite the CSVs after changing a spec.

import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readHierarchyRows } from '../../../src/hierarchy/builders/read-rows.js';
import { readShippedSpecs, shippedDomain, shippedHierarchyRows, writeShippedLibrary } from '../../../src/hierarchy/builders/shipped.js';
import { writeHierarchyCsv } from '../../../src/hierarchy/builders/write-csv.js';
import { expectWellFormedHierarchy } from './hierarchy-checks.js';

const LIBRARY = resolve(import.meta.dirname, '../../../hierarchies');

if (process.env.CLOAK_UPDATE_GOLDEN === '1') writeShippedLibrary(LIBRARY);

describe('shipped hierarchy library', () => {
  const entries = readShippedSpecs(LIBRARY);

  it.each(entries.map((entry) => [entry.name, entry] as const))('%s regenerates its checked-in CSV, or is a template without one', (name, entry) => {
    const rows = shippedHierarchyRows(entry);
    const csvPath = join(LIBRARY, `${name}.csv`);
    if (rows === undefined) {
      expect(existsSync(csvPath)).toBe(false);
      return;
    }
    expectWellFormedHierarchy(shippedDomain(entry.spec)!, rows);
    const checkedIn = readFileSync(csvPath, 'utf8');
    expect(checkedIn).toBe(writeHierarchyCsv(rows));
    expect(readHierarchyRows(checkedIn, csvPath)).toEqual(rows);
  });

  it('has a spec for every generated CSV and a README row for every spec', () => {
    const csvNames = readdirSync(LIBRARY).filter((file) => file.endsWith('.csv'));
    const generated = entries.filter((entry) => shippedHierarchyRows(entry) !== undefined).map((entry) => `${entry.name}.csv`);
    expect(csvNames.sort()).toEqual(generated.sort());
    const readme = readFileSync(join(LIBRARY, 'README.md'), 'utf8');
    for (const entry of entries) expect(readme).toContain(`specs/${entry.name}.json`);
  });
});
