// The trade-off curve: the k-anonymity model's k replaced (or one added), one point per k ascending, nulls where no
// release exists; through anonymize, for both recodings, and its options refused when malformed.

import { describe, expect, it } from 'vitest';
import { anonymize, DEFAULT_EXPLORE_K, type AnonymizeOptions } from '../../src/index.js';
import { withK } from '../../src/recoding/explore.js';

const AGE_ROWS = [
  ['10', '10-19', '*'],
  ['11', '10-19', '*'],
  ['12', '10-19', '*'],
  ['20', '20-29', '*'],
  ['21', '20-29', '*'],
];
const records = ['10', '10', '11', '20', '20', '21', '21', '12'].map((age) => ({ age }));
const policy: AnonymizeOptions = { attributes: { age: { role: 'quasi-identifying', hierarchy: AGE_ROWS } }, models: [{ type: 'k-anonymity', k: 2 }], suppressionLimit: 0.25 };

describe('withK', () => {
  it('replaces the k of every k-anonymity model and keeps the other models', () => {
    expect(withK([{ type: 'k-anonymity', k: 2 }, { type: 'distinct-l-diversity', attribute: 's', l: 2 }], 7)).toEqual([
      { type: 'k-anonymity', k: 7 },
      { type: 'distinct-l-diversity', attribute: 's', l: 2 },
    ]);
  });

  it('adds k-anonymity when the policy has none', () => {
    expect(withK([{ type: 't-closeness', attribute: 's', t: 0.2, distance: 'equal' }], 3)).toEqual([
      { type: 't-closeness', attribute: 's', t: 0.2, distance: 'equal' },
      { type: 'k-anonymity', k: 3 },
    ]);
  });
});

describe('explore', () => {
  it('reports each k of the list, ascending, as the run would release it; nulls above the record count', async () => {
    for (const recoding of ['global', 'local'] as const) {
      const { report } = await anonymize(records, { ...policy, recoding, explore: { k: [9, 4, 2] } });
      expect(report.explore!.recoding).toBe(recoding);
      expect(report.explore!.points.map((point) => point.k)).toEqual([2, 4, 9]);
      const [two, four, nine] = report.explore!.points;
      // k = 2 is the run's own policy: the same figures as the release.
      expect(two.granularityLoss).toBe(report.quality.granularityLoss.value);
      expect(two.recordsSuppressed).toBe(report.quality.recordsSuppressed);
      expect(two.classes).toBe(report.quality.classes);
      expect(four.granularityLoss).toBeGreaterThanOrEqual(two.granularityLoss!);
      expect(nine).toEqual({ k: 9, granularityLoss: null, recordsSuppressed: null, classes: null });
    }
  });

  it('defaults to 2, 3, 5, 10, 20, 50, 100, those not above the records', async () => {
    expect(DEFAULT_EXPLORE_K).toEqual([2, 3, 5, 10, 20, 50, 100]);
    const { report } = await anonymize(records, { ...policy, explore: {} });
    expect(report.explore!.points.map((point) => point.k)).toEqual([2, 3, 5]);
  });

  it('says where no release satisfies the policy with a k: at k = 8 local recoding would release only *', async () => {
    const { report } = await anonymize(records, { ...policy, recoding: 'local', explore: { k: [8] } });
    expect(report.explore!.points).toEqual([{ k: 8, granularityLoss: null, recordsSuppressed: null, classes: null }]);
  });

  it('refuses a malformed list, with every problem at once', async () => {
    await expect(anonymize(records, { ...policy, explore: { k: [2, 0] } })).rejects.toMatchObject({ code: 'INVALID_OPTIONS', message: expect.stringContaining('explore.k: must be a list of 1 to 50 integers ≥ 1') });
    await expect(anonymize(records, { ...policy, explore: { k: [3, 3] } })).rejects.toMatchObject({ message: expect.stringContaining('explore.k: lists a k twice') });
    await expect(anonymize(records, { ...policy, recoding: 'partial' as never, explore: 5 as never })).rejects.toMatchObject({
      message: expect.stringMatching(/2 problems[\s\S]*recoding: must be global or local[\s\S]*explore: must be an object/),
    });
  });
});
