// The δ-disclosure privacy and β-likeness checkers of cloak/testing: per-value ratios of class to reference shares.
// Ratios are formed from integer counts before one division, independently of the engine's models.

import { usageError } from '../errors.js';
import { buildClassContext, classIdentity, describeClass, forEachClassHistogram, type ClassContext, type ClassOptions } from './classes.js';
import { throwIfFailed } from './errors.js';
import { sensitiveDistribution, type SensitiveDistribution } from './reference.js';
import { openTable, type TableInput } from './table-input.js';
import { FailureCollector, formatNumber, quoteValue, RELATIVE_TOLERANCE, type Verdict } from './verdict.js';

/** Options shared by {@link checkDeltaDisclosure} and {@link checkBetaLikeness}. */
export interface DisclosureOptions extends ClassOptions {
  readonly sensitive: string;
  /** The table whose rows (all of them) define p, normally the original input; default: the checked table itself. */
  readonly reference?: TableInput;
}

/** Options of {@link checkDeltaDisclosure}. */
export interface DeltaDisclosureOptions extends DisclosureOptions {
  readonly delta: number;
}

/** Options of {@link checkBetaLikeness}. */
export interface BetaLikenessOptions extends DisclosureOptions {
  readonly beta: number;
  /** Enhanced β-likeness bounds each value by min(β, −ln p_v); default false (basic). */
  readonly enhanced?: boolean;
}

/**
 * Checks δ-disclosure privacy: |log₂(q_v / p_v)| < δ for every value v present in a class (strict, compared exactly;
 * a value absent from the reference gives ∞). `measure` is the class's largest |log₂(q_v/p_v)|, `margin = measure − δ`.
 */
export function checkDeltaDisclosure(table: TableInput, options: DeltaDisclosureOptions): Verdict {
  const [context, distribution] = prepare(table, options);
  return deltaDisclosureVerdict(context, distribution, options);
}

/** Throws an `AnonymizationAssertionError` unless {@link checkDeltaDisclosure} passes. */
export function assertDeltaDisclosure(table: TableInput, options: DeltaDisclosureOptions): void {
  throwIfFailed(checkDeltaDisclosure(table, options));
}

/**
 * Checks β-likeness: (q_v − p_v) / p_v ≤ β (basic) or ≤ min(β, −ln p_v) (enhanced) for every value in a class, within a
 * relative tolerance of 1e-12 of the bound. `measure` is the worst value's relative gain, `required` that value's bound.
 */
export function checkBetaLikeness(table: TableInput, options: BetaLikenessOptions): Verdict {
  const [context, distribution] = prepare(table, options);
  return betaLikenessVerdict(context, distribution, options);
}

/** Throws an `AnonymizationAssertionError` unless {@link checkBetaLikeness} passes. */
export function assertBetaLike(table: TableInput, options: BetaLikenessOptions): void {
  throwIfFailed(checkBetaLikeness(table, options));
}

function prepare(table: TableInput, options: DisclosureOptions): [ClassContext, SensitiveDistribution] {
  const reader = openTable(table, 'checked table');
  const reference = options.reference === undefined ? reader : openTable(options.reference, 'reference table');
  return [buildClassContext(reader, options), sensitiveDistribution(reader, reference, options.sensitive)];
}

/** δ-disclosure over an already grouped table and distribution (shared with the policy checker). */
export function deltaDisclosureVerdict(
  context: ClassContext,
  distribution: SensitiveDistribution,
  options: Pick<DeltaDisclosureOptions, 'sensitive' | 'delta'>,
): Verdict {
  const { sensitive, delta } = options;
  if (!(delta > 0) || !Number.isFinite(delta)) throw usageError('TESTING_BAD_DELTA', `δ must be a finite number > 0 (got ${delta}).`);
  const { referenceCounts, referenceTotal } = distribution;
  const { partition } = context;
  const failures = new FailureCollector(`${delta}-disclosure privacy (${sensitive})`, context.maxFailures);
  let worst: number | undefined;
  forEachClassHistogram(partition, distribution.column, (c, codes, distinct, counts) => {
    const size = partition.sizes[c];
    let classWorst = 0;
    let worstValue = codes[0];
    for (let i = 0; i < distinct; i++) {
      const value = codes[i];
      // q/p = (count/size) / (ref/total), with integer products formed first.
      const ratio = (counts[value] * referenceTotal) / (size * referenceCounts[value]);
      const disclosure = Math.abs(Math.log2(ratio));
      if (disclosure > classWorst) {
        classWorst = disclosure;
        worstValue = value;
      }
    }
    worst = worst === undefined ? classWorst : Math.max(worst, classWorst);
    if (classWorst < delta) return;
    failures.record(() => ({
      kind: 'class',
      check: failures.check,
      ...classIdentity(context, c),
      measure: classWorst,
      required: delta,
      margin: classWorst - delta,
      message:
        `${describeClass(context, c)}: ${valueName(context, distribution, worstValue, sensitive)} has |log₂(q/p)| = ` +
        `${formatNumber(classWorst)}, not < δ = ${delta}.`,
    }));
  });
  return failures.verdict({
    rowCount: partition.rowCount,
    classCount: partition.classCount,
    suppressedCount: partition.suppressedCount,
    ...(worst === undefined ? {} : { worst }),
  });
}

/** β-likeness over an already grouped table and distribution (shared with the policy checker). */
export function betaLikenessVerdict(
  context: ClassContext,
  distribution: SensitiveDistribution,
  options: Pick<BetaLikenessOptions, 'sensitive' | 'beta' | 'enhanced'>,
): Verdict {
  const { sensitive, beta } = options;
  const enhanced = options.enhanced ?? false;
  if (!(beta > 0) || !Number.isFinite(beta)) throw usageError('TESTING_BAD_BETA', `β must be a finite number > 0 (got ${beta}).`);
  const { referenceCounts, referenceTotal } = distribution;
  const { partition } = context;
  const failures = new FailureCollector(`${enhanced ? 'enhanced' : 'basic'} ${beta}-likeness (${sensitive})`, context.maxFailures);
  let worst: number | undefined;
  forEachClassHistogram(partition, distribution.column, (c, codes, distinct, counts) => {
    const size = partition.sizes[c];
    let worstExcess = -Infinity;
    let worstGain = 0;
    let worstBound = beta;
    let worstValue = codes[0];
    for (let i = 0; i < distinct; i++) {
      const value = codes[i];
      const referenceShare = referenceCounts[value] / referenceTotal;
      // (q − p)/p = (count·total − size·ref) / (size·ref), with integer products formed first.
      const gain = (counts[value] * referenceTotal - size * referenceCounts[value]) / (size * referenceCounts[value]);
      const bound = enhanced ? Math.min(beta, -Math.log(referenceShare)) : beta;
      if (gain - bound > worstExcess) {
        worstExcess = gain - bound;
        worstGain = gain;
        worstBound = bound;
        worstValue = value;
      }
    }
    worst = worst === undefined ? worstGain : Math.max(worst, worstGain);
    if (worstGain <= worstBound + RELATIVE_TOLERANCE * Math.abs(worstBound)) return;
    failures.record(() => ({
      kind: 'class',
      check: failures.check,
      ...classIdentity(context, c),
      measure: worstGain,
      required: worstBound,
      margin: worstGain - worstBound,
      message:
        `${describeClass(context, c)}: ${valueName(context, distribution, worstValue, sensitive)} has (q − p)/p = ` +
        `${formatNumber(worstGain)} > ${formatNumber(worstBound)}${enhanced ? ' = min(β, −ln p)' : ' = β'}.`,
    }));
  });
  return failures.verdict({
    rowCount: partition.rowCount,
    classCount: partition.classCount,
    suppressedCount: partition.suppressedCount,
    ...(worst === undefined ? {} : { worst }),
  });
}

/** How a message names a sensitive value: quoted only under `showValues`. */
function valueName(context: ClassContext, distribution: SensitiveDistribution, value: number, sensitive: string): string {
  return context.showValues ? `value ${quoteValue(distribution.domain[value])} of "${sensitive}"` : `a value of "${sensitive}"`;
}
