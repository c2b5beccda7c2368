// The t-closeness checker of cloak/testing: equal, ordered and hierarchical earth mover's distances per class.
// Distances are computed from decoded strings against a reference distribution, independently of the engine's models.

import { usageError } from '../errors.js';
import { buildClassContext, classIdentity, describeClass, forEachClassHistogram, type ClassContext, type ClassOptions } from './classes.js';
import { throwIfFailed } from './errors.js';
import { buildHierarchyTree, type HierarchyRows } from './hierarchy-rows.js';
import { sensitiveDistribution, type SensitiveDistribution } from './reference.js';
import { openTable, type TableInput } from './table-input.js';
import { DISTANCE_TOLERANCE, FailureCollector, formatNumber, type Verdict } from './verdict.js';

/** Ground distances of t-closeness. */
export type TClosenessDistance = 'equal' | 'ordered' | 'hierarchical';

/** Options of {@link checkTCloseness}. */
export interface TClosenessOptions extends ClassOptions {
  readonly sensitive: string;
  readonly t: number;
  readonly distance: TClosenessDistance;
  /** ARX rows of the sensitive attribute; required by the hierarchical distance. */
  readonly hierarchy?: HierarchyRows;
  /** The table whose rows (all of them) define p, normally the original input; default: the checked table itself. */
  readonly reference?: TableInput;
  /** Explicit value order for the ordered distance; it must list every value of table and reference. */
  readonly order?: readonly string[];
}

/**
 * Checks t-closeness: for every class, the distance between its distribution q of `sensitive` and the reference
 * distribution p is ≤ t, within an absolute tolerance of 1e-12 (`distance ≤ t + 1e-12`). The domain joins the values
 * of the table and the reference (m values).
 * - `equal`: ½ Σ_v |p_v − q_v|.
 * - `ordered`: values sorted numerically when all parse as numbers, else by code point, or by `order`;
 *   Σ_{i=1..m} |Σ_{j≤i}(q_j − p_j)| / (m − 1) (0 when m = 1).
 * - `hierarchical`: earth mover's distance over the hierarchy tree: leaves carry p_v − q_v, each inner node at level λ
 *   pays (λ/H)·min(positive, −negative) of its children's net masses and passes their sum up; H = columns − 1.
 *   Several labels at level H are joined under a virtual root at distance 1, as the engine does: mass still unmatched
 *   at the top crosses it at cost 1.
 * `measure` is the class's distance, `margin = distance − t`.
 */
export function checkTCloseness(table: TableInput, options: TClosenessOptions): Verdict {
  const reader = openTable(table, 'checked table');
  const reference = options.reference === undefined ? reader : openTable(options.reference, 'reference table');
  const context = buildClassContext(reader, options);
  return tClosenessVerdict(context, sensitiveDistribution(reader, reference, options.sensitive), options);
}

/** Throws an `AnonymizationAssertionError` unless {@link checkTCloseness} passes. */
export function assertTClose(table: TableInput, options: TClosenessOptions): void {
  throwIfFailed(checkTCloseness(table, options));
}

type ClassDistance = (codes: Int32Array, distinct: number, counts: Int32Array, size: number) => number;

/** t-closeness over an already grouped table and distribution (shared with the policy checker). */
export function tClosenessVerdict(
  context: ClassContext,
  distribution: SensitiveDistribution,
  options: Pick<TClosenessOptions, 'sensitive' | 't' | 'distance' | 'hierarchy' | 'order'>,
): Verdict {
  const { sensitive, t, distance } = options;
  if (!(t >= 0) || !Number.isFinite(t)) throw usageError('TESTING_BAD_T', `t must be a finite number ≥ 0 (got ${t}).`);
  const classDistance = distanceFunction(distribution, options);
  const { partition } = context;
  const failures = new FailureCollector(`${t}-closeness (${sensitive}, ${distance} distance)`, context.maxFailures);
  let worst: number | undefined;
  forEachClassHistogram(partition, distribution.column, (c, codes, distinct, counts) => {
    const measured = classDistance(codes, distinct, counts, partition.sizes[c]);
    worst = worst === undefined ? measured : Math.max(worst, measured);
    if (measured <= t + DISTANCE_TOLERANCE) return;
    failures.record(() => ({
      kind: 'class',
      check: failures.check,
      ...classIdentity(context, c),
      measure: measured,
      required: t,
      margin: measured - t,
      message:
        `${describeClass(context, c)}: ${distance} distance of "${sensitive}" to the reference is ` +
        `${formatNumber(measured)} > t = ${t} (by ${formatNumber(measured - t)}).`,
    }));
  });
  return failures.verdict({
    rowCount: partition.rowCount,
    classCount: partition.classCount,
    suppressedCount: partition.suppressedCount,
    ...(worst === undefined ? {} : { worst }),
  });
}

function distanceFunction(
  distribution: SensitiveDistribution,
  options: Pick<TClosenessOptions, 'sensitive' | 'distance' | 'hierarchy' | 'order'>,
): ClassDistance {
  const p = Float64Array.from(distribution.referenceCounts, (count) => count / distribution.referenceTotal);
  switch (options.distance) {
    case 'equal':
      return equalDistance(p);
    case 'ordered':
      return orderedDistance(p, valueRanks(distribution.domain, options.order, options.sensitive));
    case 'hierarchical': {
      if (options.hierarchy === undefined) {
        throw usageError('TESTING_MISSING_HIERARCHY', `Hierarchical t-closeness of "${options.sensitive}" needs its hierarchy.`, {
          location: { column: options.sensitive },
        });
      }
      return hierarchicalDistance(p, distribution.domain, options.hierarchy, options.sensitive);
    }
    default:
      throw usageError('TESTING_BAD_DISTANCE', `Unknown t-closeness distance "${String(options.distance)}".`);
  }
}

/** ½ Σ_v |p_v − q_v|; values absent from the class contribute p_v, summed as 1 − Σ_{v in class} p_v. */
function equalDistance(p: Float64Array): ClassDistance {
  return (codes, distinct, counts, size) => {
    let absolute = 0;
    let covered = 0;
    for (let i = 0; i < distinct; i++) {
      const value = codes[i];
      absolute += Math.abs(p[value] - counts[value] / size);
      covered += p[value];
    }
    return 0.5 * (absolute + Math.max(0, 1 - covered));
  };
}

/** rank[domainIndex]: the value's position in the ordered distance's order. */
function valueRanks(domain: readonly string[], order: readonly string[] | undefined, attribute: string): Int32Array {
  const indices = domain.map((_, index) => index);
  if (order !== undefined) {
    const position = new Map<string, number>();
    order.forEach((value, index) => {
      if (!position.has(value)) position.set(value, index);
    });
    const missing = domain.filter((value) => !position.has(value)).length;
    if (missing > 0) {
      throw usageError('TESTING_INCOMPLETE_ORDER', `The order given for "${attribute}" misses ${missing} of its values.`, {
        location: { column: attribute },
      });
    }
    indices.sort((a, b) => position.get(domain[a])! - position.get(domain[b])!);
  } else if (domain.every(isNumeric)) {
    const numbers = domain.map(Number);
    indices.sort((a, b) => numbers[a] - numbers[b] || compareCodePoints(domain[a], domain[b]));
  } else {
    indices.sort((a, b) => compareCodePoints(domain[a], domain[b]));
  }
  const ranks = new Int32Array(domain.length);
  indices.forEach((domainIndex, rank) => {
    ranks[domainIndex] = rank;
  });
  return ranks;
}

function isNumeric(value: string): boolean {
  return value.trim() !== '' && Number.isFinite(Number(value));
}

/** Compares by Unicode code point (JavaScript's `<` compares UTF-16 units, which misorders astral characters). */
export function compareCodePoints(a: string, b: string): number {
  let i = 0;
  let j = 0;
  while (i < a.length && j < b.length) {
    const x = a.codePointAt(i)!;
    const y = b.codePointAt(j)!;
    if (x !== y) return x - y;
    i += x > 0xffff ? 2 : 1;
    j += y > 0xffff ? 2 : 1;
  }
  return a.length - i - (b.length - j);
}

/**
 * Σ_i |Q_i − P_i| / (m − 1) with Q, P the cumulative class and reference shares in rank order, over the m values the
 * reference holds. A value the reference lacks (a plan applied to new data) counts at the position of the nearest
 * reference value below it, or at the first position below them all.
 * Between two positions present in the class Q is constant while P only grows, so each stretch is summed in
 * O(log m) from prefix sums of P instead of walking all m values per class.
 */
function orderedDistance(p: Float64Array, ranks: Int32Array): ClassDistance {
  const domainAtRank = new Int32Array(p.length);
  ranks.forEach((rank, index) => {
    domainAtRank[rank] = index;
  });
  const positionOf = new Int32Array(p.length);
  const referenceShares: number[] = [];
  for (let rank = 0; rank < p.length; rank++) {
    const index = domainAtRank[rank];
    if (p[index] > 0) referenceShares.push(p[index]);
    positionOf[index] = Math.max(0, referenceShares.length - 1);
  }
  const m = referenceShares.length;
  const cumulative = new Float64Array(m);
  const prefixOfCumulative = new Float64Array(m + 1);
  let running = 0;
  for (let position = 0; position < m; position++) {
    running += referenceShares[position];
    cumulative[position] = running;
    prefixOfCumulative[position + 1] = prefixOfCumulative[position] + running;
  }
  const stretch = (from: number, to: number, classShare: number): number => {
    if (from >= to) return 0;
    let low = from;
    let high = to;
    while (low < high) {
      const middle = (low + high) >>> 1;
      if (cumulative[middle] < classShare) low = middle + 1;
      else high = middle;
    }
    const below = classShare * (low - from) - (prefixOfCumulative[low] - prefixOfCumulative[from]);
    const above = prefixOfCumulative[to] - prefixOfCumulative[low] - classShare * (to - low);
    return below + above;
  };
  const touched = new Int32Array(p.length);
  const classAtPosition = new Float64Array(Math.max(1, m));
  return (codes, distinct, counts, size) => {
    if (m <= 1) return 0;
    let touchedCount = 0;
    for (let i = 0; i < distinct; i++) {
      const position = positionOf[codes[i]];
      if (classAtPosition[position] === 0) touched[touchedCount++] = position;
      classAtPosition[position] += counts[codes[i]];
    }
    const present = touched.subarray(0, touchedCount).sort();
    let total = 0;
    let from = 0;
    let classCount = 0;
    for (const position of present) {
      total += stretch(from, position, classCount / size);
      classCount += classAtPosition[position];
      classAtPosition[position] = 0;
      from = position;
    }
    total += stretch(from, m, classCount / size);
    return total / (m - 1);
  };
}

/**
 * Earth mover's distance over the hierarchy tree, visiting only the paths above values present in the class:
 * a node none of whose leaves is in the class holds only reference mass (positive), which its parent adds in bulk.
 */
function hierarchicalDistance(p: Float64Array, domain: readonly string[], rows: HierarchyRows, attribute: string): ClassDistance {
  const tree = buildHierarchyTree(rows, domain, attribute);
  const { height, leafParent, nodeLevel, nodeParent, nodeCount, rootCount } = tree;
  const subtreeMass = new Float64Array(nodeCount);
  for (let value = 0; value < domain.length; value++) {
    for (let node = leafParent[value]; node >= 0; node = nodeParent[node]) subtreeMass[node] += p[value];
  }
  const positive = new Float64Array(nodeCount);
  const negative = new Float64Array(nodeCount);
  const childMassSeen = new Float64Array(nodeCount);
  const listed = new Uint8Array(nodeCount);
  const nodesAtLevel: Int32Array[] = [];
  const listLength = new Int32Array(height + 1);
  for (let level = 1; level <= height; level++) {
    nodesAtLevel[level] = new Int32Array(nodeLevel.filter((l) => l === level).length);
  }
  const enlist = (node: number): void => {
    if (listed[node] === 1) return;
    listed[node] = 1;
    const level = nodeLevel[node];
    nodesAtLevel[level][listLength[level]++] = node;
  };
  const addChild = (node: number, net: number, mass: number): void => {
    enlist(node);
    if (net > 0) positive[node] += net;
    else negative[node] += net;
    childMassSeen[node] += mass;
  };
  return (codes, distinct, counts, size) => {
    for (let i = 0; i < distinct; i++) {
      const value = codes[i];
      addChild(leafParent[value], p[value] - counts[value] / size, p[value]);
    }
    let cost = 0;
    for (let level = 1; level <= height; level++) {
      for (let i = 0; i < listLength[level]; i++) {
        const node = nodesAtLevel[level][i];
        const positiveMass = positive[node] + Math.max(0, subtreeMass[node] - childMassSeen[node]);
        cost += (level / height) * Math.min(positiveMass, -negative[node]);
        const parent = nodeParent[node];
        if (parent >= 0) addChild(parent, positiveMass + negative[node], subtreeMass[node]);
        else if (rootCount > 1) {
          // Surpluses sum to zero, so a top node's deficit is what must cross the virtual root; untouched tops only give.
          cost += Math.max(0, -(positiveMass + negative[node]));
        }
        positive[node] = 0;
        negative[node] = 0;
        childMassSeen[node] = 0;
        listed[node] = 0;
      }
      listLength[level] = 0;
    }
    return cost;
  };
}
