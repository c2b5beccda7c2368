import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { createDiscernibilityMetric } from '../../src/metrics/discernibility.js';
import type { EquivalenceClasses } from '../../src/groupify/equivalence-classes.js';
import type { MetricContext } from '../../src/metrics/metric.js';

/** Classes with the given sizes (keys are irrelevant to discernibility). */
function classesOf(sizes: number[]): EquivalenceClasses {
  return { count: sizes.length, width: 1, levels: new Int32Array(1), keys: new Int32Array(sizes.length), sizes: Int32Array.from(sizes), sensitive: [] };
}

describe('discernibility bound refined by suppression', () => {
  it('never exceeds the score of a node suppressing at least that many records within the budget', () => {
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: 1, max: 30 }), { minLength: 1, maxLength: 25 }),
        fc.infiniteStream(fc.boolean()),
        fc.double({ min: 0, max: 1, noNaN: true }),
        fc.double({ min: 0, max: 1, noNaN: true }),
        (sizes, choices, forcedShare, budgetShare) => {
          const rowCount = sizes.reduce((a, b) => a + b, 0);
          const metric = createDiscernibilityMetric({ rowCount } as MetricContext);
          const classes = classesOf(sizes);
          const iterator = choices[Symbol.iterator]();
          const suppressed = Uint8Array.from(sizes, () => (iterator.next().value ? 1 : 0));
          const suppressedRecords = sizes.reduce((sum, size, c) => sum + (suppressed[c] === 1 ? size : 0), 0);
          // Any budget the node respects, and any forced count the node reaches.
          const budget = suppressedRecords + Math.floor(budgetShare * (rowCount - suppressedRecords));
          const forced = Math.floor(forcedShare * suppressedRecords);
          const bound = metric.boundAt!(classes.levels, metric.lowerBound(classes), forced, budget);
          expect(bound).toBeLessThanOrEqual(metric.score(classes, suppressed).value);
        },
      ),
      { seed: 31, numRuns: 2000 },
    );
  });
});
