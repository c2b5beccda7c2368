// Regression tests for two engine bugs the guarantee suite found in ordered t-closeness, kept as exact counterexamples:
// string values ordered differently by the search and the verifier, and dates ordered without their declared format.

import { describe, expect, it } from 'vitest';
import { anonymize, type AnonymizeOptions } from '../../src/index.js';
import { checkPolicy } from '../../src/testing/index.js';

const flat = (values: string[]): string[][] => values.map((value) => [value, '*']);

describe('ordered t-closeness regressions', () => {
  // The model orders values by code point; the pre-write verifier once ordered them by UTF-16 unit (`a < b`). They
  // disagree when astral characters meet U+E000–U+FFFF: by code point U+E000 < U+FF71 < U+1F600, by UTF-16 unit U+1F600
  // comes first. The search picks q at level 0 (class {U+FF71} at distance 1/3 ≤ 0.35); the verifier measured 1/2 and
  // aborted with VERIFICATION_FAILED on a valid output.
  it('ordered t-closeness orders string values the same way in the search and in the verifier', async () => {
    const table = [
      { q: '0', s: '\uE000' },
      { q: '1', s: '\uFF71' },
      { q: '0', s: '\u{1F600}' },
    ];
    const policy: AnonymizeOptions = {
      attributes: { q: { role: 'quasi-identifying', hierarchy: flat(['0', '1']) }, s: { role: 'sensitive' } },
      models: [{ type: 't-closeness', attribute: 's', t: 0.35, distance: 'ordered' }],
    };
    const { table: output, report } = await anonymize(table, policy);
    expect(report.transformation).toEqual({ q: 0 });
    expect(checkPolicy(table, output, policy).ok).toBe(true);
  });

  // A date attribute with a declared format other than ISO validates against `format`; the model once ordered dates with
  // Date.parse, ignoring the format, and refused `DD.MM.YYYY` values with MODEL_VALUE_NOT_ORDERED; the verifier too.
  it('ordered t-closeness orders dates through their declared format', async () => {
    const dates = ['03.01.2020', '15.02.2020', '28.02.2021', '01.03.2021'];
    const table = dates.flatMap((date, index) => [
      { q: String(index % 2), d: date },
      { q: String((index + 1) % 2), d: date },
    ]);
    const policy: AnonymizeOptions = {
      attributes: { q: { role: 'quasi-identifying', hierarchy: flat(['0', '1']) }, d: { role: 'sensitive', type: 'date', format: 'DD.MM.YYYY' } },
      models: [{ type: 't-closeness', attribute: 'd', t: 0.5, distance: 'ordered' }],
    };
    const { table: output } = await anonymize(table, policy);
    expect(checkPolicy(table, output, policy).ok).toBe(true);
  });
});
