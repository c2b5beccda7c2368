// The l-diversity checkers of cloak/testing: distinct, entropy (Shannon or Grassberger) and recursive (c,l).
// Each class's sensitive histogram is counted from decoded strings, independently of the engine's models.

import { usageError } from '../errors.js';
import { buildClassContext, classIdentity, describeClass, forEachClassHistogram, type ClassContext, type ClassOptions } from './classes.js';
import { throwIfFailed } from './errors.js';
import { openTable, type TableInput } from './table-input.js';
import { FailureCollector, formatNumber, RELATIVE_TOLERANCE, type Verdict } from './verdict.js';

/** Options of {@link checkLDiversity}. */
export interface LDiversityOptions extends ClassOptions {
  /** The sensitive column. */
  readonly sensitive: string;
  readonly l: number;
  readonly variant: 'distinct' | 'entropy' | 'recursive';
  /** Required by the recursive variant: the `c` of recursive (c,l)-diversity. */
  readonly c?: number;
  /** Entropy estimator of the entropy variant; default `shannon`. */
  readonly estimator?: 'shannon' | 'grassberger';
}

/**
 * Checks l-diversity of `sensitive` within every class (suppressed rows excluded).
 * - `distinct`: ≥ l distinct values; `measure` is the class's distinct count.
 * - `entropy`: ≥ ceil(l) distinct values and H = −Σ q ln q ≥ ln l (natural log; Grassberger's estimator, in ARX's form,
 *   when asked); the comparison passes within 1e-12 relative to max(1, ln l) (`H ≥ ln l − 1e-12 · max(1, ln l)`, so that
 *   rounding around H = 0 does not fail l = 1); `measure` is the class's
 *   effective l, e^H, so `margin = l − e^H`.
 * - `recursive`: ≥ l distinct values and r₁ < c·(r_l + … + r_m) with counts sorted descending, compared exactly;
 *   `measure` is r₁ / (r_l + … + r_m) (∞ with fewer than l values), `required` is c.
 */
export function checkLDiversity(table: TableInput, options: LDiversityOptions): Verdict {
  return lDiversityVerdict(buildClassContext(openTable(table, 'checked table'), options), options);
}

/** Throws an `AnonymizationAssertionError` unless {@link checkLDiversity} passes. */
export function assertLDiverse(table: TableInput, options: LDiversityOptions): void {
  throwIfFailed(checkLDiversity(table, options));
}

/** l-diversity over an already grouped table (shared with the policy checker). */
export function lDiversityVerdict(
  context: ClassContext,
  options: Pick<LDiversityOptions, 'sensitive' | 'l' | 'variant' | 'c' | 'estimator'>,
): Verdict {
  const { sensitive, l, variant } = options;
  if (!(l >= 1) || !Number.isFinite(l) || (variant !== 'entropy' && !Number.isInteger(l))) {
    throw usageError('TESTING_BAD_L', `l must be ${variant === 'entropy' ? 'a number' : 'an integer'} ≥ 1 (got ${l}).`);
  }
  const column = context.table.column(sensitive);
  const { partition } = context;
  let worst: number | undefined;
  let failures: FailureCollector;
  if (variant === 'distinct') {
    failures = new FailureCollector(`distinct ${l}-diversity (${sensitive})`, context.maxFailures);
    forEachClassHistogram(partition, column, (c, _codes, distinct) => {
      worst = worst === undefined ? distinct : Math.min(worst, distinct);
      if (distinct >= l) return;
      failures.record(() => ({
        kind: 'class',
        check: failures.check,
        ...classIdentity(context, c),
        measure: distinct,
        required: l,
        margin: l - distinct,
        message: `${describeClass(context, c)}: ${distinct} distinct value${distinct === 1 ? '' : 's'} of "${sensitive}" < l = ${l}.`,
      }));
    });
  } else if (variant === 'entropy') {
    const estimator = options.estimator ?? 'shannon';
    const label = estimator === 'shannon' ? 'entropy' : 'entropy (Grassberger)';
    failures = new FailureCollector(`${label} ${l}-diversity (${sensitive})`, context.maxFailures);
    const lnL = Math.log(l);
    const minDistinct = Math.ceil(l);
    forEachClassHistogram(partition, column, (c, codes, distinct, counts) => {
      const size = partition.sizes[c];
      const entropy = estimator === 'shannon' ? shannonEntropy(codes, distinct, counts, size) : grassbergerEntropy(codes, distinct, counts, size);
      const effectiveL = Math.exp(entropy);
      worst = worst === undefined ? effectiveL : Math.min(worst, effectiveL);
      if (distinct >= minDistinct && entropy >= lnL - RELATIVE_TOLERANCE * Math.max(1, lnL)) return;
      failures.record(() => ({
        kind: 'class',
        check: failures.check,
        ...classIdentity(context, c),
        measure: effectiveL,
        required: l,
        margin: l - effectiveL,
        message:
          `${describeClass(context, c)}: entropy of "${sensitive}" is ${formatNumber(entropy)} nats (effective l ${formatNumber(effectiveL)}) ` +
          `over ${distinct} distinct value${distinct === 1 ? '' : 's'}, needs ln ${l} = ${formatNumber(lnL)} and ≥ ${minDistinct} values.`,
      }));
    });
  } else {
    const c = options.c;
    if (c === undefined || !(c > 0) || !Number.isFinite(c)) {
      throw usageError('TESTING_BAD_C', `Recursive (c,l)-diversity needs a finite c > 0 (got ${c}).`);
    }
    failures = new FailureCollector(`recursive (${c}, ${l})-diversity (${sensitive})`, context.maxFailures);
    const sorted = new Int32Array(column.values.length);
    forEachClassHistogram(partition, column, (classIndex, codes, distinct, counts) => {
      for (let i = 0; i < distinct; i++) sorted[i] = counts[codes[i]];
      const ascending = sorted.subarray(0, distinct).sort();
      // Descending ranks l … m are the distinct − l + 1 smallest counts.
      let tail = 0;
      for (let i = 0; i <= distinct - l; i++) tail += ascending[i];
      const top = ascending[distinct - 1];
      const ratio = distinct >= l ? top / tail : Infinity;
      worst = worst === undefined ? ratio : Math.max(worst, ratio);
      if (distinct >= l && top < c * tail) return;
      failures.record(() => ({
        kind: 'class',
        check: failures.check,
        ...classIdentity(context, classIndex),
        measure: ratio,
        required: c,
        margin: ratio - c,
        message:
          distinct < l
            ? `${describeClass(context, classIndex)}: ${distinct} distinct value${distinct === 1 ? '' : 's'} of "${sensitive}" < l = ${l}.`
            : `${describeClass(context, classIndex)}: most frequent value of "${sensitive}" occurs ${top} times, ` +
              `not < c × ${tail} (ranks ${l}…${distinct}) = ${formatNumber(c * tail)}; ratio ${formatNumber(ratio)} ≥ c = ${c}.`,
      }));
    });
  }
  return failures.verdict({
    rowCount: partition.rowCount,
    classCount: partition.classCount,
    suppressedCount: partition.suppressedCount,
    ...(worst === undefined ? {} : { worst }),
  });
}

/** −Σ q ln q over a class histogram. */
function shannonEntropy(codes: Int32Array, distinct: number, counts: Int32Array, size: number): number {
  let entropy = 0;
  for (let i = 0; i < distinct; i++) {
    const share = counts[codes[i]] / size;
    entropy -= share * Math.log(share);
  }
  return entropy;
}

/**
 * Grassberger's estimator with G_N as its leading term, as ARX (and so Cloak) defines it: G_N − (1/N) Σ nᵢ G(nᵢ),
 * G(n) = ψ(n) + ½(−1)ⁿ(ψ((n+1)/2) − ψ(n/2)). The paper writes ln N there; the two differ by O(1/N²), enough to flip
 * small classes (a class of two equal values has G_2 − G_2 = 0 here, but ln 2 − G_2 < 0 with ln N).
 */
function grassbergerEntropy(codes: Int32Array, distinct: number, counts: Int32Array, size: number): number {
  let weighted = 0;
  for (let i = 0; i < distinct; i++) {
    const n = counts[codes[i]];
    weighted += n * grassbergerG(n);
  }
  return grassbergerG(size) - weighted / size;
}

function grassbergerG(n: number): number {
  const sign = n % 2 === 0 ? 1 : -1;
  return digamma(n) + 0.5 * sign * (digamma((n + 1) / 2) - digamma(n / 2));
}

/** ψ(x) for x > 0: shift up with ψ(x) = ψ(x + 1) − 1/x, then the asymptotic series (error < 1e-14 from x ≥ 10). */
export function digamma(x: number): number {
  let shift = 0;
  let y = x;
  while (y < 10) {
    shift -= 1 / y;
    y += 1;
  }
  const inverse2 = 1 / (y * y);
  const series =
    inverse2 * (-1 / 12 + inverse2 * (1 / 120 + inverse2 * (-1 / 252 + inverse2 * (1 / 240 + inverse2 * (-1 / 132)))));
  return shift + Math.log(y) - 0.5 / y + series;
}
