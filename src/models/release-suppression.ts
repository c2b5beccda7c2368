// How criteria over the whole release (average risk, records at risk, population uniqueness) spend the suppression
// budget, as ARX does: released classes are suppressed further, smallest first, until every such criterion holds.

import type { EquivalenceClasses } from '../groupify/equivalence-classes.js';
import type { PrivacyModel } from './privacy-model.js';

/** What a probe of the prefix search finds: the criteria hold, they do not, or they do not and the budget is spent. */
export type PrefixState = 'holds' | 'fails' | 'abort';

/**
 * ARX's binary search (`HashGroupifyDistribution.suppressWhileNotFulfilledBinary`) for how many of `count` ordered
 * classes to suppress, given that suppressing none fails: probes prefixes by halving, and after the search suppresses
 * one class more if the last prefix still fails. For criteria that only improve as the prefix grows it finds the
 * shortest prefix that holds; for the others it finds what ARX finds. Returns the prefix length, or -1 when a probe
 * aborted (the prefix failed and already cost more than the budget).
 */
export function prefixToSuppress(count: number, state: (prefix: number) => PrefixState): number {
  if (count === 0) return 0;
  let low = 0;
  let high = count - 1;
  // Java's integer division truncates towards zero: (0 + −1) / 2 is 0, which the search relies on.
  let middle = Math.trunc((low + high) / 2);
  let probe: PrefixState = 'abort';
  while (low <= high) {
    probe = state(middle + 1);
    if (probe === 'abort') return -1;
    if (probe === 'holds') high = middle - 1;
    else low = middle + 1;
    middle = Math.trunc((low + high) / 2);
  }
  if (state(middle + 1) === 'fails' && middle + 1 < count) return middle + 2;
  return middle + 1;
}

/** What enforcing the criteria over the whole release did at one node. */
export interface ReleaseEnforcement {
  /** Whether every criterion over the release holds on what is left released. */
  readonly holds: boolean;
  /** Records and classes suppressed for those criteria, beyond the per-class tests. */
  readonly records: number;
  readonly classes: number;
}

/**
 * The order in which ARX suppresses released classes for a criterion over the release: smallest first; among classes
 * of one size, the lower per-class information loss first where the metric has one (ARX's Loss), then the class
 * holding the earlier record (classes are numbered in order of their first record).
 */
export function suppressionOrder(classes: EquivalenceClasses, suppressed: Uint8Array, classLoss?: (classes: EquivalenceClasses, c: number) => number): Int32Array {
  const order = bySizeThenIndex(classes, suppressed);
  if (classLoss !== undefined) for (let start = 0; start < order.length; ) start = orderGroupByLoss(classes, order, start, classLoss);
  return order;
}

/** The released classes by size, then index: a counting sort, stable, in O(classes + largest size). */
function bySizeThenIndex(classes: EquivalenceClasses, suppressed: Uint8Array): Int32Array {
  const { sizes, count } = classes;
  let largest = 0;
  let released = 0;
  for (let c = 0; c < count; c++) {
    if (suppressed[c] === 1) continue;
    released++;
    if (sizes[c] > largest) largest = sizes[c];
  }
  const start = new Int32Array(largest + 2);
  for (let c = 0; c < count; c++) if (suppressed[c] === 0) start[sizes[c] + 1]++;
  for (let size = 1; size <= largest + 1; size++) start[size] += start[size - 1];
  const order = new Int32Array(released);
  for (let c = 0; c < count; c++) if (suppressed[c] === 0) order[start[sizes[c]]++] = c;
  return order;
}

/** Orders the run of equal-sized classes beginning at `start` by class loss (stable); returns where the run ends. */
function orderGroupByLoss(classes: EquivalenceClasses, order: Int32Array, start: number, classLoss: (classes: EquivalenceClasses, c: number) => number): number {
  const size = classes.sizes[order[start]];
  let end = start + 1;
  while (end < order.length && classes.sizes[order[end]] === size) end++;
  if (end - start > 1) {
    const loss = new Map<number, number>();
    for (let i = start; i < end; i++) loss.set(order[i], classLoss(classes, order[i]));
    order.subarray(start, end).sort((a, b) => loss.get(a)! - loss.get(b)! || a - b);
  }
  return end;
}

/**
 * Suppresses further released classes (in `suppressed`, in place) until every criterion over the whole release holds,
 * in ARX's order and by ARX's search, which gives up (suppressing nothing) once a failing prefix costs more than
 * `budget` leaves after `alreadySuppressed` records. A prefix that holds may cost more: the caller weighs the total.
 * Criteria are enforced together: a prefix holds when all of them hold on what it leaves, which for criteria that
 * improve with the prefix is the longest of the prefixes each would need alone (what ARX reaches one by one).
 * The criteria read only the sizes of the released classes, so the search runs over classes ordered by size alone;
 * the class loss then only decides which classes of the last, partly suppressed size go (it costs a power per
 * attribute and class: computed for that size only, it is ~0.1 % of the work instead of most of it).
 */
export function enforceReleaseCriteria(
  classes: EquivalenceClasses,
  suppressed: Uint8Array,
  criteria: readonly PrivacyModel[],
  budget: number,
  alreadySuppressed: number,
  classLoss?: (classes: EquivalenceClasses, c: number) => number,
): ReleaseEnforcement {
  const order = bySizeThenIndex(classes, suppressed);
  // A prefix of the order suppressed leaves the sizes after it released: a view, no copy per probe.
  const sortedSizes = Int32Array.from(order, (c) => classes.sizes[c]);
  const holdsWith = (prefix: number): boolean => criteria.every((model) => model.isReleaseValid!(sortedSizes.subarray(prefix)));
  if (holdsWith(0)) return { holds: true, records: 0, classes: 0 };
  const recordsBefore = new Float64Array(order.length + 1);
  for (let i = 0; i < order.length; i++) recordsBefore[i + 1] = recordsBefore[i] + classes.sizes[order[i]];
  const suppressPrefix = (prefix: number): void => {
    for (let i = 0; i < prefix; i++) suppressed[order[i]] = 1;
  };
  const prefix = prefixToSuppress(order.length, (length) => {
    if (holdsWith(length)) return 'holds';
    return alreadySuppressed + recordsBefore[length] > budget ? 'abort' : 'fails';
  });
  if (prefix === -1) return { holds: false, records: 0, classes: 0 };
  if (classLoss !== undefined && prefix > 0) {
    // Which classes of the last suppressed size go: the run of that size reordered by loss, its first ones suppressed.
    let start = prefix - 1;
    while (start > 0 && sortedSizes[start - 1] === sortedSizes[prefix - 1]) start--;
    orderGroupByLoss(classes, order, start, classLoss);
  }
  suppressPrefix(prefix);
  // ARX trusts its search; the release is judged again here, since a criterion that does not improve with the prefix
  // (population uniqueness) may still fail where the search stopped.
  return { holds: holdsWith(prefix), records: recordsBefore[prefix], classes: prefix };
}
