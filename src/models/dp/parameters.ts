// SafePub's parameters for (ε, δ)-differential privacy by sampling and k-anonymization: the sampling probability β
// and the class size k, derived in interval arithmetic so that rounding can only make them safer (Bild et al. 2018).

import type { ModelSpec } from '../../options.js';
import { add, div, exp, log, mul, point, sub, type Interval } from './interval.js';

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

/** Beyond this n the supremum is not pursued: ε_anon and δ so extreme that deriving k would take minutes. */
const MAX_N = 5_000_000;

/**
 * β and k for (ε_anon, δ), as ARX derives them:
 * β = 1 − e^(−ε), γ = (e^ε − 1 + β) / e^ε, a_n = Σ_{j=⌊γn⌋+1}^{n} C(n, j) β^j (1 − β)^(n − j), c_n = e^(−n(γ ln(γ/β) − (γ − β)))
 * (a Chernoff bound: a_n ≤ c_n, and c_n falls with n), d(k) = sup over n ≥ n_m = ⌈k/γ − 1⌉ of a_n, and
 * k = 1 + min{k′ ≥ 1 : d(k′) < δ}.
 * ARX pursues each supremum until c_n drops below the running maximum. The same decision is reached once for every k′:
 * with N the first n where c_N < δ, every a_n beyond N is below δ, so d(k′) < δ exactly when the maximum of a_n over
 * n_m ≤ n < N is; those maxima are suffix maxima of one pass over a_n.
 * Every quantity is an interval enclosing the exact real; each choice is the safe one: ⌊γn⌋ and n_m from the lower
 * ends (more terms, more n), N from c_N's upper end, and d(k′) < δ accepted only when the upper end of its maximum
 * is below δ. So the k found is never smaller than the exact one, and β is never larger. Throws a RangeError when k
 * would exceed `maxK` or N would exceed 5·10⁶ (parameters no release could use).
 */
export function dpParameters(epsilonAnon: number, delta: number, maxK = Number.MAX_SAFE_INTEGER): DpParameters {
  if (!(epsilonAnon > 0) || !Number.isFinite(epsilonAnon)) throw new RangeError('ε_anon must be a positive finite number');
  if (!(delta > 0 && delta < 1)) throw new RangeError('δ must lie in (0, 1)');
  const epsilon = point(epsilonAnon);
  const one = point(1);
  const beta = sub(one, exp(mul(point(-1), epsilon)));
  const power = exp(epsilon);
  const gamma = div(add(sub(power, one), beta), power);
  // The Chernoff exponent γ ln(γ/β) − (γ − β) > 0; c_n = e^(−n · exponent).
  const exponent = sub(mul(gamma, log(div(gamma, beta))), sub(gamma, beta));
  if (!(exponent.lo > 0)) throw new RangeError('ε_anon is too large for the derivation in double precision');
  const chernoff = (n: number): Interval => exp(mul(point(-n), exponent));
  let last = Math.max(1, Math.ceil(Math.log(1 / delta) / exponent.lo));
  while (last <= MAX_N && chernoff(last).hi >= delta) last++;
  if (last > MAX_N) throw new RangeError('ε_anon and δ need the supremum beyond n = 5·10⁶; choose a larger δ or a smaller ε');

  // suffix[n] encloses max over n ≤ m < N of a_m (−∞ past the end).
  const tail = new BinomialTail(beta, gamma);
  const suffixHi = new Float64Array(last + 1).fill(-Infinity);
  for (let n = last - 1; n >= 0; n--) suffixHi[n] = Math.max(suffixHi[n + 1], tail.at(n).hi);
  for (let candidate = 1; candidate <= maxK; candidate++) {
    const start = Math.max(0, Math.ceil(sub(div(point(candidate), gamma), one).lo));
    if (start >= last || suffixHi[start] < delta) return { beta: beta.lo, k: candidate + 1 };
  }
  throw new RangeError(`ε_anon = ${epsilonAnon} and δ = ${delta} need k above ${maxK}`);
}

/** a_n for one β and γ. */
class BinomialTail {
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
    return this.compute(n);
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
