// How criteria over the whole release spend the suppression budget: ARX's binary search over the ordered classes
// (checked against a step-by-step transliteration of ARX's loop), the order (size, class loss, first record), the budget.

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { decideNode, type NodeEvaluatorSetup } from '../../src/evaluate-node.js';
import type { EquivalenceClasses } from '../../src/groupify/equivalence-classes.js';
import type { Metric } from '../../src/metrics/metric.js';
import { createModel } from '../../src/models/index.js';
import { enforceReleaseCriteria, prefixToSuppress, suppressionOrder, type PrefixState } from '../../src/models/release-suppression.js';

/**
 * ARX's `suppressWhileNotFulfilledBinary` as it reads: outlier flags on the ordered entries, suppressed and
 * unsuppressed step by step, the condition asked about the current flags. Returns how many are suppressed, or -1.
 */
function arxLoop(count: number, condition: (suppressed: number) => PrefixState): number {
  const outlier = new Uint8Array(count);
  const suppressedCount = () => outlier.reduce((sum, flag) => sum + flag, 0);
  let low = 0;
  let high = count - 1;
  let mid = Math.trunc((low + high) / 2);
  let state: PrefixState = 'abort';
  for (let i = low; i <= mid; i++) outlier[i] = 1;
  while (low <= high) {
    state = condition(suppressedCount());
    if (state === 'abort') break;
    if (state === 'holds') {
      high = mid - 1;
      mid = Math.trunc((low + high) / 2);
      for (let i = mid + 1; i < count && outlier[i] === 1; i++) outlier[i] = 0;
    } else {
      low = mid + 1;
      mid = Math.trunc((low + high) / 2);
      for (let i = low; i <= mid; i++) outlier[i] = 1;
    }
  }
  if (state === 'abort') return -1;
  state = condition(suppressedCount());
  if (state === 'fails' && mid + 1 < count && outlier[mid + 1] === 0) outlier[mid + 1] = 1;
  // The flags always form a prefix.
  const suppressed = suppressedCount();
  for (let i = 0; i < count; i++) expect(outlier[i]).toBe(i < suppressed ? 1 : 0);
  return suppressed;
}

function classesOfSizes(sizes: readonly number[]): EquivalenceClasses {
  return { count: sizes.length, width: 0, levels: new Int32Array(0), keys: new Int32Array(0), sizes: Int32Array.from(sizes), sensitive: [] };
}

describe('the prefix search', () => {
  it('is ARX’s loop, for any condition (monotone or not, with aborts)', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 40 }), fc.array(fc.constantFrom<PrefixState>('holds', 'fails', 'abort'), { minLength: 41, maxLength: 41 }), (count, states) => {
        const condition = (prefix: number) => states[prefix];
        expect(prefixToSuppress(count, condition)).toBe(arxLoop(count, condition));
      }),
      { numRuns: 2000 },
    );
  });

  it('finds the shortest prefix that holds when holding only improves with the prefix', () => {
    for (let count = 1; count <= 30; count++) {
      for (let shortest = 1; shortest <= count; shortest++) {
        expect(prefixToSuppress(count, (prefix) => (prefix >= shortest ? 'holds' : 'fails'))).toBe(shortest);
      }
      // Nothing holds: every class is suppressed (ARX's "all suppressed" then holds by convention).
      expect(prefixToSuppress(count, () => 'fails')).toBe(count);
    }
  });

  it('gives up as soon as a failing prefix costs more than the budget', () => {
    expect(prefixToSuppress(10, (prefix) => (prefix >= 8 ? 'holds' : prefix > 5 ? 'abort' : 'fails'))).toBe(-1);
  });
});

describe('the suppression order', () => {
  it('is smallest first, then the lower class loss, then the earlier class; suppressed classes are left out', () => {
    const classes = classesOfSizes([3, 1, 3, 2, 3, 1]);
    const loss = [5, 0, 4, 0, 5, 0];
    expect(Array.from(suppressionOrder(classes, Uint8Array.of(0, 0, 0, 0, 0, 1)))).toEqual([1, 3, 0, 2, 4]);
    expect(Array.from(suppressionOrder(classes, Uint8Array.of(0, 0, 0, 0, 0, 1), (_, c) => loss[c]))).toEqual([1, 3, 2, 0, 4]);
  });
});

describe('enforcing criteria over the release', () => {
  const context = { rowCount: 30, sensitive: [] };

  it('suppresses the smallest classes until every criterion holds, and counts what it suppressed', () => {
    // {1, 2, 3, 10, 10}: 5 classes over 26 records (average risk 0.19); 0.1 needs the 1, 2 and 3 gone (2 over 20),
    // while records at risk (classes of 1 and 2) alone would need only the singleton gone (2 of 25).
    const classes = classesOfSizes([10, 3, 1, 10, 2]);
    const suppressed = new Uint8Array(5);
    const average = createModel({ type: 'average-risk', maxRisk: 0.1 }, context);
    const atRisk = createModel({ type: 'records-at-risk', maxShare: 0.1, threshold: 0.4 }, context);
    const result = enforceReleaseCriteria(classes, suppressed, [average, atRisk], 6, 0);
    expect(result).toEqual({ holds: true, records: 6, classes: 3 });
    expect(Array.from(suppressed)).toEqual([0, 1, 1, 0, 1]);
  });

  it('suppresses, of the last size it reaches into, the classes of lower loss first', () => {
    // Average risk ≤ 0.2 over {1, 1, 1, 10}: 4/13; two singletons gone leave 2/11 ≤ 0.2. Loss picks which two.
    const classes = classesOfSizes([1, 10, 1, 1]);
    const average = createModel({ type: 'average-risk', maxRisk: 0.2 }, context);
    const loss = [3, 0, 1, 2];
    const suppressed = new Uint8Array(4);
    expect(enforceReleaseCriteria(classes, suppressed, [average], 10, 0, (_, c) => loss[c])).toEqual({ holds: true, records: 2, classes: 2 });
    expect(Array.from(suppressed)).toEqual([0, 0, 1, 1]);
    const byIndex = new Uint8Array(4);
    enforceReleaseCriteria(classes, byIndex, [average], 10, 0);
    expect(Array.from(byIndex)).toEqual([1, 0, 1, 0]);
  });

  it('stops at a failing prefix that overruns the budget; a prefix that holds is the caller’s to weigh', () => {
    const classes = classesOfSizes([10, 3, 1, 10, 2]);
    const average = createModel({ type: 'average-risk', maxRisk: 0.1 }, context);
    // With the singleton suppressed already and a budget of 2, suppressing the 2 fails at 3 records: given up.
    const early = Uint8Array.of(0, 0, 1, 0, 0);
    expect(enforceReleaseCriteria(classes, early, [average], 2, 1)).toEqual({ holds: false, records: 0, classes: 0 });
    expect(Array.from(early)).toEqual([0, 0, 1, 0, 0]);
    // With a budget of 5, the 2 fails within it and the 2 and the 3 hold at 6 records: ARX's search ends there, and
    // the node is anonymous only if the 6 fit (see decideNode).
    const late = Uint8Array.of(0, 0, 1, 0, 0);
    expect(enforceReleaseCriteria(classes, late, [average], 5, 1)).toEqual({ holds: true, records: 5, classes: 2 });
  });

  it('makes a node anonymous only within the budget', () => {
    const classes = classesOfSizes([10, 3, 1, 10, 2]);
    const setup = (budget: number): NodeEvaluatorSetup => {
      const models = [createModel({ type: 'k-anonymity', k: 2 }, context), createModel({ type: 'average-risk', maxRisk: 0.1 }, context)];
      return { models, metric: {} as Metric, suppressionBudget: budget, minClassSize: 2 };
    };
    expect(decideNode(classes, setup(5)).anonymous).toBe(false);
    const within = decideNode(classes, setup(6));
    expect([within.anonymous, within.suppressedRecords, within.releaseSuppressedRecords]).toEqual([true, 6, 5]);
  });
});
