// Tests of the frequency builder: rare categories merge into Other over random columns, counts may
// come from the raw column or from a map, and bad thresholds, counts or labels are refused.

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { buildFrequencyHierarchy } from '../../../src/hierarchy/builders/frequency.js';
import { expectCloakError, expectWellFormedHierarchy } from './hierarchy-checks.js';

describe('buildFrequencyHierarchy', () => {
  it('is well formed and merges exactly the values seen fewer times than the threshold', () => {
    fc.assert(
      fc.property(fc.array(fc.constantFrom('a', 'b', 'c', 'd', 'e', 'f'), { minLength: 1, maxLength: 80 }), fc.integer({ min: 1, max: 12 }), (column, threshold) => {
        const rows = buildFrequencyHierarchy(column, { threshold, otherLabel: 'rare' });
        expectWellFormedHierarchy(column, rows);
        for (const [value, label] of rows) {
          const count = column.filter((item) => item === value).length;
          expect(label).toBe(count < threshold ? 'rare' : value);
        }
      }),
    );
  });

  it('takes counts from a map', () => {
    const counts = new Map([
      ['nurse', 40],
      ['astronaut', 1],
      ['lighthouse keeper', 0],
    ]);
    expect(buildFrequencyHierarchy(counts, { threshold: 5 })).toEqual([
      ['nurse', 'nurse', '*'],
      ['astronaut', 'Other', '*'],
      ['lighthouse keeper', 'Other', '*'],
    ]);
  });

  it('refuses a bad threshold, a bad count, a label equal to a frequent value, and an empty domain', () => {
    for (const threshold of [0, -1, 1.5, Number.NaN]) {
      expectCloakError(() => buildFrequencyHierarchy(['a'], { threshold }), 'HIERARCHY_SPEC_INVALID', { exitCode: 2 });
    }
    const error = expectCloakError(() => buildFrequencyHierarchy(new Map([['secret', -2]]), { threshold: 1 }), 'HIERARCHY_VALUE_INVALID', { secret: 'secret' });
    expect(error.message).toContain('index 0');
    expectCloakError(() => buildFrequencyHierarchy(['Other', 'Other', 'x'], { threshold: 2 }), 'HIERARCHY_SPEC_INVALID');
    expectCloakError(() => buildFrequencyHierarchy([], { threshold: 2 }), 'HIERARCHY_DOMAIN_EMPTY');
  });
});
