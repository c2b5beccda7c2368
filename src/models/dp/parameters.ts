// SafePub's parameters for (ε, δ)-differential privacy by sampling and k-anonymization: the sampling probability β
// and the class size k, derived in interval arithmetic so that rounding can only make them safer (Bild et al. 2018).

import type { ModelSpec } from '../../options.js';
import { add, div, exp, log, max, mul, point, sub, type Interval } from './interval.js';

type DifferentialPrivacySpec = Extract<ModelSpec, { type: 'differential-privacy' }>;

/** The ε SafePub spends on choosing the transformation unless told otherwise (ARX's default, an absolute amount). */
export const DEFAULT_DP_SEARCH_BUDGET = 0.1;

/** The ε spent on choosing the transformation: none with fixed levels. */
export function searchBudgetOf(spec: DifferentialPrivacySpec): number {
  return spec.levels !== undefined ? 0 : (spec.searchBudget ?? DEFAULT_DP_SEARCH_BUDGET);
}

/** ε_anon, what the sampling and k-anonymization satisfy: all of ε with fixed levels, ε − the search budget otherwise. */
export function epsilonAnon(spec: DifferentialPrivacySpec): number {
  return spec.epsilon - searchBudgetOf(spec);
}

/** What sampling plus k-anonymization needs to satisfy (ε_anon, δ)-differential privacy. */
export interface DpParameters {
  /** Records are kept with probability at most β = 1 − e^(−ε_anon): the lower end of its enclosing interval. */
  readonly beta: number;
  /** Classes of the sample below k records are suppressed. */
  readonly k: number;
}

/** Beyond this n the supremum is not pursued: ε_anon and δ so small that k would be unusable anyway. */
const MAX_N = 50_000_000;

/**
 * β and k for (ε_anon, δ), as ARX derives them:
 * β = 1 − e^(−ε), γ = (e^ε − 1 + β) / e^ε, a_n = Σ_{j=⌊γn⌋+1}^{n} C(n, j) β^j (1 − β)^(n − j), c_n = e^(−n(γ ln(γ/β) − (γ − β)))
 * (a Chernoff bound: a_n ≤ c_n, and c_n falls with n), d(k) = sup over n ≥ n_m = ⌈k/γ − 1⌉ of a_n, and
 * k = 1 + min{k′ ≥ 1 : d(k′) < δ}.
 * Every quantity is an interval enclosing the exact real; each choice is the safe one: ⌊γn⌋ and n_m from the lower
 * ends (more terms, more n), the supremum pursued until c_n lies certainly below the running maximum, and d(k′) < δ
 * accepted only when the upper end of d(k′) is below δ. So the k found is never smaller than the exact one, and β
 * is never larger. Throws a RangeError when k would exceed `maxK` (no useful release) or n would exceed 5·10⁷.
 */
export function dpParameters(epsilonAnon: number, delta: number, maxK = Number.MAX_SAFE_INTEGER): DpParameters {
  if (!(epsilonAnon > 0) || !Number.isFinite(epsilonAnon)) throw new RangeError('ε_anon must be a positive finite number');
  if (!(delta > 0 && delta < 1)) throw new RangeError('δ must lie in (0, 1)');
  const epsilon = point(epsilonAnon);
  const one = point(1);
  const beta = sub(one, exp(mul(point(-1), epsilon)));
  const power = exp(epsilon);
  const gamma = div(add(sub(power, one), beta), power);
  const tail = new BinomialTail(beta, gamma);
  // The Chernoff exponent γ ln(γ/β) − (γ − β) > 0; c_n = e^(−n · exponent).
  const exponent = sub(mul(gamma, log(div(gamma, beta))), sub(gamma, beta));
  const chernoff = (n: number): Interval => exp(mul(point(-n), exponent));

  for (let candidate = 1; candidate <= maxK; candidate++) {
    const start = Math.max(0, Math.ceil(sub(div(point(candidate), gamma), one).lo));
    let supremum: Interval = { lo: -Infinity, hi: -Infinity };
    for (let n = start; ; n++) {
      if (n > MAX_N) throw new RangeError('ε_anon and δ need k beyond any practical size');
      supremum = max(supremum, tail.at(n));
      if (chernoff(n).hi < supremum.lo) break;
    }
    if (supremum.hi < delta) return { beta: beta.lo, k: candidate + 1 };
  }
  throw new RangeError(`ε_anon = ${epsilonAnon} and δ = ${delta} need k above ${maxK}`);
}

/** a_n for one β and γ, memoized: every k′ revisits the n of the previous ones. */
class BinomialTail {
  private readonly cache = new Map<number, Interval>();
  /** logFactorial[i] encloses ln(i!). */
  private readonly logFactorial: Interval[] = [point(0)];
  private readonly logBeta: Interval;
  private readonly logComplement: Interval;

  constructor(
    private readonly beta: Interval,
    private readonly gamma: Interval,
  ) {
    this.logBeta = log(beta);
    this.logComplement = log(sub(point(1), beta));
  }

  at(n: number): Interval {
    let value = this.cache.get(n);
    if (value === undefined) this.cache.set(n, (value = this.compute(n)));
    return value;
  }

  private lnFactorial(n: number): Interval {
    for (let i = this.logFactorial.length; i <= n; i++) this.logFactorial.push(add(this.logFactorial[i - 1], log(point(i))));
    return this.logFactorial[n];
  }

  /** C(n, j) β^j (1 − β)^(n − j), through logarithms. */
  private term(n: number, j: number): Interval {
    const logBinomial = sub(sub(this.lnFactorial(n), this.lnFactorial(j)), this.lnFactorial(n - j));
    return exp(add(logBinomial, add(mul(point(j), this.logBeta), mul(point(n - j), this.logComplement))));
  }

  /**
   * Σ_{j=⌊γn⌋+1}^{n} of the terms. Beyond the mode ⌊(n + 1)β⌋ the terms fall, so once past it the remaining ones sum
   * to at most (n − j) times the current one: the sum stops there when that is below 2⁻⁶⁰ of it, adding the bound to
   * its upper end only.
   */
  private compute(n: number): Interval {
    const from = Math.floor(mul(point(n), this.gamma).lo) + 1;
    const mode = Math.floor((n + 1) * this.beta.hi) + 1;
    let sum: Interval = point(0);
    for (let j = Math.max(from, 0); j <= n; j++) {
      const term = this.term(n, j);
      sum = add(sum, term);
      const remaining = n - j;
      if (j > mode && remaining > 0 && remaining * term.hi <= sum.lo * 2 ** -60) {
        return add(sum, { lo: 0, hi: mul(point(remaining), point(term.hi)).hi });
      }
    }
    return sum;
  }
}
