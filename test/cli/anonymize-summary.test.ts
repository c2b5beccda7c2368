// The human summary `cloak anonymize` prints on stderr: figures rounded for reading (the JSON report keeps full
// precision), the worst class measure only for per-class models, and plurals right.

import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { summarize } from '../../src/cli/anonymize-command.js';
import { anonymizeCsv, type AnonymizeOptions } from '../../src/index.js';

const directory = mkdtempSync(join(tmpdir(), 'cloak-summary-'));
afterAll(() => rmSync(directory, { recursive: true, force: true }));

/** Seven records: ages 31-35 (30-39) three times with 41, 42 (40-49) and a lone 57 (50-59), which is suppressed. */
const DATA = 'age,disease\n31,flu\n33,cold\n35,flu\n41,cold\n42,flu\n57,cold\n38,cancer\n';
const decade = (age: string) => [age, `${age[0]}0-${age[0]}9`, '*'];
const OPTIONS: AnonymizeOptions = {
  attributes: { age: { role: 'quasi-identifying', hierarchy: ['31', '33', '35', '38', '41', '42', '57'].map(decade) }, disease: { role: 'sensitive' } },
  models: [
    { type: 'k-anonymity', k: 2 },
    { type: 'average-risk', maxRisk: 0.45 },
  ],
  suppressionLimit: 0.2,
};

describe('summary of cloak anonymize', () => {
  it('rounds for reading, keeps full precision in the report, and says "release figure" for release-wide models', async () => {
    const input = join(directory, 'in.csv');
    writeFileSync(input, DATA);
    const reportPath = join(directory, 'report.json');
    const report = await anonymizeCsv({ input, output: join(directory, 'out.csv'), reportPath, options: OPTIONS });
    const lines = summarize(report, 'out.csv').split('\n');
    expect(lines[0]).toBe('cloak: anonymized 7 records → out.csv (verified)');
    expect(lines[1]).toBe('  transformation: age=1');
    // One record (57) suppressed: 1/7 = 14.285…%.
    expect(lines[2]).toBe('  suppressed: 1 record (14.3%, budget 1); classes: 2, smallest 2');
    expect(lines[3]).toBe(`  loss: ${Number(report.metric.value.toPrecision(4))}`);
    expect(String(report.metric.value).length).toBeGreaterThan(lines[3].length - '  loss: '.length);
    expect(lines[4]).toBe('  2-anonymity: worst class measure 2');
    // Two classes over six released records: 2/6 = 0.3333…, a figure of the whole release.
    expect(lines[5]).toBe('  average risk ≤ 0.45: release figure 0.3333');
    expect(lines[6]).toBe('  risk (input → output): average 100% → 33.3%, highest 100% → 50%, sample uniques 7 → 0');
    expect(lines[7]).toMatch(/^ {2}search: optimal \(proven\); \d+ of 3 nodes checked in \d+ ms; total \d+ ms$/);
    expect(JSON.parse(readFileSync(reportPath, 'utf8')).models[1].worst).toBe(1 / 3);
  });
});
