// Log-gamma, digamma and trigamma on the positive reals, and cancellation-free differences of them.
// Owns every special-function evaluation of the risk estimator; nothing else in Cloak computes these.

// Method: recurrences move the argument to at least ASYMPTOTIC_FROM, where the asymptotic (Stirling)
// series is accurate to double precision; log-gamma on [0.5, 2.5) uses the Taylor series of lnΓ(1+z)
// instead, because shifting upward would subtract two large numbers around its zeros at 1 and 2.
// Reflection is not used: the estimators only ever evaluate these functions at positive arguments,
// so non-positive or NaN inputs return NaN rather than a value from the analytic continuation.

/** Below this, arguments are shifted up by recurrence before the asymptotic series is used. */
const ASYMPTOTIC_FROM = 10;

/** B_2, B_4, …, B_16: with arguments ≥ 10 the first omitted term is below 1e-17 relative. */
const BERNOULLI_EVEN: readonly number[] = [
  1 / 6,
  -1 / 30,
  1 / 42,
  -1 / 30,
  5 / 66,
  -691 / 2730,
  7 / 6,
  -3617 / 510,
];

const EULER_MASCHERONI = 0.5772156649015329;
/** ½·ln(2π). */
const HALF_LOG_TWO_PI = 0.9189385332046728;

/**
 * The positive zero of digamma, x₀ = 1.46163214496836234126…, as a double plus the remainder.
 * Near x₀ digamma is evaluated as ψ(x) − ψ(x₀), with x − x₀ formed from both parts, which keeps
 * full relative precision even though ψ(x) → 0 there.
 */
const DIGAMMA_ROOT_HIGH = 1.4616321449683622;
const DIGAMMA_ROOT_LOW = 9.549995429965697e-17;

/**
 * (ζ(k) − 1)/k for k = 2, 3, …: coefficients of the series
 * lnΓ(1+z) = −γz + (z − ln(1+z)) + Σ_{k≥2} (−1)^k (ζ(k)−1)/k · z^k,
 * whose terms shrink like (|z|/2)^k, so 30 terms give full precision for |z| ≤ 0.5.
 */
const LOG_GAMMA_SERIES: readonly number[] = buildLogGammaSeries(30);

function buildLogGammaSeries(lastPower: number): number[] {
  const coefficients: number[] = [];
  for (let k = 2; k <= lastPower; k++) coefficients.push(zetaMinusOne(k) / k);
  return coefficients;
}

/**
 * ζ(k) − 1 = Σ_{n≥2} n^−k by Euler–Maclaurin: the first terms summed directly (smallest first),
 * the tail from n = 12 by its integral, half its first term and Bernoulli corrections.
 */
function zetaMinusOne(k: number): number {
  const cut = 12;
  let tail = cut ** (1 - k) / (k - 1) + cut ** -k / 2;
  // The j-th correction is B_2j/(2j)! · k(k+1)…(k+2j−2) · cut^(−k−2j+1).
  let risingFactorial = k;
  let factorial = 2;
  for (let j = 1; j <= BERNOULLI_EVEN.length; j++) {
    tail += (BERNOULLI_EVEN[j - 1] / factorial) * risingFactorial * cut ** (-k - 2 * j + 1);
    risingFactorial *= (k + 2 * j - 1) * (k + 2 * j);
    factorial *= (2 * j + 1) * (2 * j + 2);
  }
  let sum = tail;
  for (let n = cut - 1; n >= 2; n--) sum += n ** -k;
  return sum;
}

/** lnΓ(1+z) for |z| ≤ 0.5 from its Taylor series at 1; accurate relative to the result near z = 0. */
function logGammaOnePlus(z: number): number {
  let power = z * z;
  let series = 0;
  for (let i = 0; i < LOG_GAMMA_SERIES.length; i++) {
    // (−1)^k for k = i + 2 is +1 for even i.
    series += (i % 2 === 0 ? 1 : -1) * LOG_GAMMA_SERIES[i] * power;
    power *= z;
  }
  return -EULER_MASCHERONI * z + (z - Math.log1p(z)) + series;
}

/** The Stirling series Σ B_2k / (2k(2k−1) x^(2k−1)) for x ≥ ASYMPTOTIC_FROM. */
function stirlingCorrection(x: number): number {
  const inverseSquare = 1 / (x * x);
  let power = 1 / x;
  let sum = 0;
  for (let k = 1; k <= BERNOULLI_EVEN.length; k++) {
    sum += (BERNOULLI_EVEN[k - 1] / (2 * k * (2 * k - 1))) * power;
    power *= inverseSquare;
  }
  return sum;
}

/** ln Γ(x) for x > 0 (NaN otherwise), about 1e-15 relative everywhere including near 1 and 2. */
export function logGamma(x: number): number {
  if (!(x > 0)) return Number.NaN;
  if (x === Number.POSITIVE_INFINITY) return x;
  if (x < 0.5) return logGammaOnePlus(x) - Math.log(x);
  if (x < 1.5) return logGammaOnePlus(x - 1);
  if (x < 2.5) return Math.log1p(x - 2) + logGammaOnePlus(x - 2);
  if (x < ASYMPTOTIC_FROM) {
    // Γ(x) = (x−1)(x−2)…(y)·Γ(y) with y in [1.5, 2.5): every factor positive, no cancellation.
    let y = x;
    let product = 1;
    while (y >= 2.5) {
      y -= 1;
      product *= y;
    }
    return Math.log(product) + Math.log1p(y - 2) + logGammaOnePlus(y - 2);
  }
  return (x - 0.5) * Math.log(x) - x + HALF_LOG_TWO_PI + stirlingCorrection(x);
}

/**
 * E_n(a, b) = Σ_{j=0}^{n−1} a^−(j+1) · b^−(n−j) for n = 1…count, so that a^−n − b^−n = (b − a)·E_n.
 * Writing power differences this way keeps them exact in relative terms when a and b are close.
 */
function powerDifferenceFactors(a: number, b: number, count: number): Float64Array {
  const inverseA = 1 / a;
  const inverseB = 1 / b;
  const factors = new Float64Array(count + 1);
  factors[1] = inverseA * inverseB;
  let inverseAPower = inverseA;
  for (let n = 1; n < count; n++) {
    inverseAPower *= inverseA;
    factors[n + 1] = inverseB * factors[n] + inverseAPower * inverseB;
  }
  return factors;
}

/** ψ(x) for x > 0 (NaN otherwise), about 1e-15 relative, including around its zero x₀ ≈ 1.4616. */
export function digamma(x: number): number {
  if (!(x > 0)) return Number.NaN;
  if (x === Number.POSITIVE_INFINITY) return x;
  if (Math.abs(x - DIGAMMA_ROOT_HIGH) < 0.5) {
    // ψ(x) = ψ(x) − ψ(x₀); x − DIGAMMA_ROOT_HIGH is exact here (Sterbenz), so the gap to x₀ is correct
    // to rounding however small it is.
    return digammaDifference(DIGAMMA_ROOT_HIGH, x - DIGAMMA_ROOT_HIGH - DIGAMMA_ROOT_LOW);
  }
  let shifted = x;
  let recurrence = 0;
  while (shifted < ASYMPTOTIC_FROM) {
    recurrence += 1 / shifted;
    shifted += 1;
  }
  return digammaAsymptotic(shifted) - recurrence;
}

function digammaAsymptotic(y: number): number {
  const inverseSquare = 1 / (y * y);
  let power = inverseSquare;
  let sum = 0;
  for (let k = 1; k <= BERNOULLI_EVEN.length; k++) {
    sum += (BERNOULLI_EVEN[k - 1] / (2 * k)) * power;
    power *= inverseSquare;
  }
  return Math.log(y) - 0.5 / y - sum;
}

/** ψ'(x) for x > 0 (NaN otherwise), about 1e-15 relative; every term is positive. */
export function trigamma(x: number): number {
  if (!(x > 0)) return Number.NaN;
  if (x === Number.POSITIVE_INFINITY) return 0;
  let shifted = x;
  let recurrence = 0;
  while (shifted < ASYMPTOTIC_FROM) {
    recurrence += 1 / (shifted * shifted);
    shifted += 1;
  }
  const inverse = 1 / shifted;
  const inverseSquare = inverse * inverse;
  let power = inverse * inverseSquare;
  let sum = inverse + 0.5 * inverseSquare;
  for (let k = 1; k <= BERNOULLI_EVEN.length; k++) {
    sum += BERNOULLI_EVEN[k - 1] * power;
    power *= inverseSquare;
  }
  return sum + recurrence;
}

/**
 * ψ(x + h) − ψ(x) for x > 0 and x + h > 0, accurate relative to the difference itself, whether h is
 * tiny (no subtraction of nearly equal digammas) or huge (e.g. Σ_{i=0}^{h−1} 1/(x+i) for h = 10⁹).
 */
export function digammaDifference(x: number, h: number): number {
  if (!(x > 0) || !(x + h > 0)) return Number.NaN;
  if (h === 0) return 0;
  let low = x;
  let high = x + h;
  let sum = 0;
  // ψ(b) − ψ(a) = ψ(b+1) − ψ(a+1) + 1/a − 1/b, and 1/a − 1/b = h/(ab) exactly in relative terms.
  while (Math.min(low, high) < ASYMPTOTIC_FROM) {
    sum += h / (low * high);
    low += 1;
    high += 1;
  }
  const factors = powerDifferenceFactors(low, high, 2 * BERNOULLI_EVEN.length);
  // ln b − ln a − (1/(2b) − 1/(2a)) − Σ B_2k/(2k) (b^−2k − a^−2k)
  let series = Math.log1p(h / low) + 0.5 * h * factors[1];
  for (let k = 1; k <= BERNOULLI_EVEN.length; k++) {
    series += (BERNOULLI_EVEN[k - 1] / (2 * k)) * h * factors[2 * k];
  }
  return sum + series;
}

/** ψ'(x) − ψ'(x + h) for x > 0 and x + h > 0, accurate relative to the difference itself. */
export function trigammaDifference(x: number, h: number): number {
  if (!(x > 0) || !(x + h > 0)) return Number.NaN;
  if (h === 0) return 0;
  let low = x;
  let high = x + h;
  let sum = 0;
  // ψ'(a) − ψ'(b) = ψ'(a+1) − ψ'(b+1) + 1/a² − 1/b², and 1/a² − 1/b² = h·(1/a + 1/b)/(ab).
  while (Math.min(low, high) < ASYMPTOTIC_FROM) {
    sum += (h * (1 / low + 1 / high)) / (low * high);
    low += 1;
    high += 1;
  }
  const factors = powerDifferenceFactors(low, high, 2 * BERNOULLI_EVEN.length + 1);
  let series = h * factors[1] + 0.5 * h * factors[2];
  for (let k = 1; k <= BERNOULLI_EVEN.length; k++) {
    series += BERNOULLI_EVEN[k - 1] * h * factors[2 * k + 1];
  }
  return sum + series;
}

/**
 * ln Γ(x + h) − ln Γ(x) for x > 0 and x + h > 0, without subtracting two large log-gammas:
 * Γ(θ+1)/Γ(θ+α) for θ in the millions keeps its full precision.
 */
export function logGammaDifference(x: number, h: number): number {
  if (!(x > 0) || !(x + h > 0)) return Number.NaN;
  if (h === 0) return 0;
  let low = x;
  let high = x + h;
  let sum = 0;
  // lnΓ(b) − lnΓ(a) = lnΓ(b+1) − lnΓ(a+1) − ln(b/a).
  while (Math.min(low, high) < ASYMPTOTIC_FROM) {
    sum -= Math.log1p(h / low);
    low += 1;
    high += 1;
  }
  const factors = powerDifferenceFactors(low, high, 2 * BERNOULLI_EVEN.length);
  // (b−½)ln b − (a−½)ln a − h = (a−½)·ln(b/a) + h·(ln b − 1), then the Stirling terms' difference.
  let series = (low - 0.5) * Math.log1p(h / low) + h * (Math.log(high) - 1);
  for (let k = 1; k <= BERNOULLI_EVEN.length; k++) {
    series -= (BERNOULLI_EVEN[k - 1] / (2 * k * (2 * k - 1))) * h * factors[2 * k - 1];
  }
  return sum + series;
}
