// Engine bugs the guarantee suite found, pinned as exact counterexamples with `it.fails`: each test states the correct
// behaviour and is expected to fail until the engine is fixed, when vitest reports it and the marker must go.

import { describe, expect, it } from 'vitest';
import { anonymize, type AnonymizeOptions } from '../../src/index.js';
import { checkPolicy } from '../../src/testing/index.js';

const flat = (values: string[]): string[][] => values.map((value) => [value, '*']);

describe('known engine bugs', () => {
  // KNOWN ENGINE BUG: ordered t-closeness over a string attribute. The model (src/models/value-order.ts) orders values
  // by code point, the pre-write verifier (src/verify-output.ts, declaredOrder) by UTF-16 unit (`a < b`). They disagree
  // when astral characters meet U+E000–U+FFFF: by code point U+E000 < U+FF71 < U+1F600, by UTF-16 unit U+1F600 comes
  // first. The search picks q at level 0 (class {U+FF71} at distance 1/3 ≤ 0.35), the verifier measures 1/2 and aborts
  // with VERIFICATION_FAILED (exit 5) on a valid output. The random suite draws digit values only, so it never meets it.
  it.fails('ordered t-closeness orders string values the same way in the search and in the verifier', async () => {
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

  // KNOWN ENGINE BUG: ordered t-closeness over a date attribute with a declared format other than ISO. The column
  // validates against `format` (src/table/attribute-types.ts), but src/models/value-order.ts orders dates with
  // Date.parse and ignores the format, so `DD.MM.YYYY` values are refused with MODEL_VALUE_NOT_ORDERED (exit 3); the
  // verifier's declaredOrder also parses dates without the format. The random suite declares no dates.
  it.fails('ordered t-closeness orders dates through their declared format', async () => {
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
