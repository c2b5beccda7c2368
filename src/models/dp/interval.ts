// Interval arithmetic over doubles with outward rounding: every result encloses the exact real result, so a
// decision taken on an interval's safe end cannot be reversed by rounding. Used to derive DP parameters.

/** A closed interval [lo, hi] of reals. */
export interface Interval {
  readonly lo: number;
  readonly hi: number;
}

const scratch = new Float64Array(1);
const bits = new BigInt64Array(scratch.buffer);

/** The next double above x (x finite). */
export function nextUp(x: number): number {
  if (x === 0) return Number.MIN_VALUE;
  scratch[0] = x;
  bits[0] += x > 0 ? 1n : -1n;
  return scratch[0];
}

/** The next double below x (x finite). */
export function nextDown(x: number): number {
  return -nextUp(-x);
}

/**
 * + − × ÷ are correctly rounded (within half an ulp), so one step outward encloses the exact result. Math.exp and
 * Math.log are V8's ports of fdlibm, documented within one ulp: two steps outward enclose theirs.
 */
function widen(lo: number, hi: number, ulps: number): Interval {
  for (let i = 0; i < ulps; i++) {
    lo = nextDown(lo);
    hi = nextUp(hi);
  }
  if (Number.isNaN(lo) || Number.isNaN(hi)) throw new RangeError('interval arithmetic on an undefined value');
  return { lo, hi };
}

/** The exact value x, a double. */
export function point(x: number): Interval {
  return { lo: x, hi: x };
}

export function add(a: Interval, b: Interval): Interval {
  return widen(a.lo + b.lo, a.hi + b.hi, 1);
}

export function sub(a: Interval, b: Interval): Interval {
  return widen(a.lo - b.hi, a.hi - b.lo, 1);
}

export function mul(a: Interval, b: Interval): Interval {
  const products = [a.lo * b.lo, a.lo * b.hi, a.hi * b.lo, a.hi * b.hi];
  return widen(Math.min(...products), Math.max(...products), 1);
}

export function div(a: Interval, b: Interval): Interval {
  if (b.lo <= 0 && b.hi >= 0) throw new RangeError('interval division by an interval containing 0');
  const quotients = [a.lo / b.lo, a.lo / b.hi, a.hi / b.lo, a.hi / b.hi];
  return widen(Math.min(...quotients), Math.max(...quotients), 1);
}

/** e^x: non-negative, so the lower end never goes below 0. */
export function exp(a: Interval): Interval {
  const result = widen(Math.exp(a.lo), Math.exp(a.hi), 2);
  return { lo: Math.max(0, result.lo), hi: result.hi };
}

export function log(a: Interval): Interval {
  if (!(a.lo > 0)) throw new RangeError('interval logarithm of a non-positive value');
  return widen(Math.log(a.lo), Math.log(a.hi), 2);
}

/** The interval of max(x, y) over x ∈ a, y ∈ b. */
export function max(a: Interval, b: Interval): Interval {
  return { lo: Math.max(a.lo, b.lo), hi: Math.max(a.hi, b.hi) };
}
