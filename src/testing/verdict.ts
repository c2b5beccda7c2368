// Verdicts of cloak/testing: the tagged union every checker returns, its failure kinds, and their wording.
// Also owns the comparison tolerances, so every checker rounds the same documented way.

/**
 * Relative tolerance on non-strict floating-point comparisons (entropy ≥ ln l, β-likeness ≤ bound):
 * a value within `1e-12 × |bound|` of the bound on the wrong side still passes, absorbing summation-order rounding
 * (entropy l-diversity scales by max(1, ln l), since ln 1 = 0 would leave no slack at all).
 */
export const RELATIVE_TOLERANCE = 1e-12;

/** Absolute tolerance on t-closeness distances, which lie in [0, 1]: `distance ≤ t + 1e-12` passes. */
export const DISTANCE_TOLERANCE = 1e-12;

/**
 * Guard added before flooring `limit × n` (suppression budget), so that e.g. `0.29 × 100 = 28.999…` allows 29 records.
 */
export const BUDGET_EPSILON = 1e-9;

/** An equivalence class violating a privacy model. */
export interface ClassFailure {
  readonly kind: 'class';
  /** The check's label, e.g. `5-anonymity`. */
  readonly check: string;
  /** Classes are numbered 0, 1, … in the order of their first row. */
  readonly classIndex: number;
  readonly size: number;
  /** The class's first row (0-based). */
  readonly firstRow: number;
  /** The class's quasi-identifier labels; present only when `showValues` was given. */
  readonly labels?: Readonly<Record<string, string>>;
  /** The class's measure: its size, its (entropy) l, its distance, … */
  readonly measure: number;
  /** The bound the measure had to meet. */
  readonly required: number;
  /** By how much the class misses the bound: > 0, or 0 exactly at a strict bound (δ, recursive c); may be `Infinity`. */
  readonly margin: number;
  readonly message: string;
}

/** A row (and possibly a column) that breaks a row-wise check, e.g. a cell that does not generalize its original. */
export interface RowFailure {
  readonly kind: 'row';
  readonly check: string;
  readonly row: number;
  readonly column?: string;
  readonly message: string;
}

/** A whole-table problem: row counts differ, too many records suppressed, a column missing. */
export interface TableFailure {
  readonly kind: 'table';
  readonly check: string;
  readonly measure?: number;
  readonly required?: number;
  readonly margin?: number;
  readonly column?: string;
  readonly message: string;
}

/** Any failure a verdict can carry. */
export type Failure = ClassFailure | RowFailure | TableFailure;

/** Figures a verdict reports whether or not it passed. */
export interface VerdictStats {
  readonly rowCount: number;
  /** Equivalence classes (suppressed rows excluded), for class checks. */
  readonly classCount?: number;
  /** Rows treated as suppressed. */
  readonly suppressedCount?: number;
  /** Suppression budget floor(limit × n), for the suppression check. */
  readonly allowedSuppressed?: number;
  /** The worst class measure (smallest size or l, largest distance); absent when there is no class. */
  readonly worst?: number;
}

/** A passing verdict. */
export interface PassedVerdict {
  readonly ok: true;
  readonly check: string;
  readonly stats: VerdictStats;
}

/** A failing verdict: `failures` holds at most `maxFailures` entries, `failureCount` counts them all. */
export interface FailedVerdict {
  readonly ok: false;
  readonly check: string;
  readonly stats: VerdictStats;
  readonly failures: readonly Failure[];
  readonly failureCount: number;
}

/** What every checker returns. */
export type Verdict = PassedVerdict | FailedVerdict;

/** Options every checker accepts for its report. */
export interface ReportOptions {
  /** Name classes by their quasi-identifier labels and cells by their values. Default false: indices and sizes only. */
  readonly showValues?: boolean;
  /** Failures kept in the verdict (all are counted). Default 20. */
  readonly maxFailures?: number;
}

/** Default cap on the failures a verdict lists. */
export const DEFAULT_MAX_FAILURES = 20;

/** Counts failures and keeps the first few; building a failure (its message) happens only for kept ones. */
export class FailureCollector {
  private readonly kept: Failure[] = [];
  private counted = 0;

  constructor(
    readonly check: string,
    private readonly limit: number = DEFAULT_MAX_FAILURES,
  ) {}

  record(build: () => Failure): void {
    if (this.counted < this.limit) this.kept.push(build());
    this.counted++;
  }

  get count(): number {
    return this.counted;
  }

  verdict(stats: VerdictStats): Verdict {
    if (this.counted === 0) return { ok: true, check: this.check, stats };
    return { ok: false, check: this.check, stats, failures: this.kept, failureCount: this.counted };
  }
}

/** Numbers in messages: up to 6 significant digits, `∞` for infinities. */
export function formatNumber(value: number): string {
  if (value === Infinity) return '∞';
  if (value === -Infinity) return '-∞';
  return String(Number(value.toPrecision(6)));
}

/** A cell value quoted for a message; only ever called under `showValues`. */
export function quoteValue(value: string): string {
  return JSON.stringify(value);
}

/** The multi-line message of a failed verdict, listing its kept failures. */
export function describeFailedVerdict(verdict: FailedVerdict): string {
  const lines = [`${verdict.check} does not hold: ${verdict.failureCount} failure${verdict.failureCount === 1 ? '' : 's'}.`];
  for (const failure of verdict.failures) lines.push(`  - ${failure.message}`);
  const hidden = verdict.failureCount - verdict.failures.length;
  if (hidden > 0) lines.push(`  … and ${hidden} more.`);
  return lines.join('\n');
}
