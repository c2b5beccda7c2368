// x^y rounded to the nearest double, via double-double logarithm and exponential.
// V8's Math.pow can be one ulp off where Java's is not, which shifts ARX's geometric-mean scores in the last digit.

// Double-double arithmetic: a value is hi + lo with |lo| ≤ ulp(hi)/2. The operations leave their result in
// (resultHi, resultLo) instead of returning pairs, so a pow costs no allocation.
let resultHi = 0;
let resultLo = 0;

const SPLITTER = 134217729; // 2^27 + 1: splits a double into two 26-bit halves (Veltkamp)
const LN2_HI = 0.6931471805599453;
const LN2_LO = 2.3190468138462996e-17;
/** exp works on r / 2^REDUCTION_BITS, then squares back; keeps the Taylor series short. */
const REDUCTION_BITS = 8;
const TAYLOR_TERMS = 8;

function quickTwoSum(a: number, b: number): void {
  const sum = a + b;
  resultLo = b - (sum - a);
  resultHi = sum;
}

function twoSum(a: number, b: number): void {
  const sum = a + b;
  const bVirtual = sum - a;
  resultLo = a - (sum - bVirtual) + (b - bVirtual);
  resultHi = sum;
}

function twoProduct(a: number, b: number): void {
  const product = a * b;
  const aSplit = SPLITTER * a;
  const aHigh = aSplit - (aSplit - a);
  const aLow = a - aHigh;
  const bSplit = SPLITTER * b;
  const bHigh = bSplit - (bSplit - b);
  const bLow = b - bHigh;
  resultLo = aHigh * bHigh - product + aHigh * bLow + aLow * bHigh + aLow * bLow;
  resultHi = product;
}

function add(aHi: number, aLo: number, bHi: number, bLo: number): void {
  twoSum(aHi, bHi);
  quickTwoSum(resultHi, resultLo + aLo + bLo);
}

function multiply(aHi: number, aLo: number, bHi: number, bLo: number): void {
  twoProduct(aHi, bHi);
  quickTwoSum(resultHi, resultLo + aHi * bLo + aLo * bHi);
}

function multiplyByDouble(aHi: number, aLo: number, b: number): void {
  twoProduct(aHi, b);
  quickTwoSum(resultHi, resultLo + aLo * b);
}

function divideByDouble(aHi: number, aLo: number, b: number): void {
  const quotient = aHi / b;
  twoProduct(quotient, b);
  const remainder = aHi - resultHi - resultLo + aLo;
  quickTwoSum(quotient, remainder / b);
}

/** e^(aHi + aLo) for |a| well inside the double range. */
function exponential(aHi: number, aLo: number): void {
  const halvings = Math.round(aHi / LN2_HI);
  multiplyByDouble(LN2_HI, LN2_LO, halvings);
  add(aHi, aLo, -resultHi, -resultLo);
  const scale = 2 ** REDUCTION_BITS;
  const reducedHi = resultHi / scale;
  const reducedLo = resultLo / scale;
  // Horner: 1 + r(1 + r/2(1 + r/3(…)))
  let sumHi = 1;
  let sumLo = 0;
  for (let n = TAYLOR_TERMS; n >= 1; n--) {
    multiply(reducedHi, reducedLo, sumHi, sumLo);
    divideByDouble(resultHi, resultLo, n);
    add(1, 0, resultHi, resultLo);
    sumHi = resultHi;
    sumLo = resultLo;
  }
  for (let s = 0; s < REDUCTION_BITS; s++) {
    multiply(sumHi, sumLo, sumHi, sumLo);
    sumHi = resultHi;
    sumLo = resultLo;
  }
  const power = 2 ** halvings;
  resultHi = sumHi * power;
  resultLo = sumLo * power;
}

/** ln x for a positive finite double: Math.log refined by one Newton step on the double-double exponential. */
function logarithm(x: number): void {
  const estimate = Math.log(x);
  exponential(estimate, 0);
  // ln x = estimate + ln(x / e^estimate) ≈ estimate + (x − e^estimate) / x; the neglected term is below 1e-32.
  const correction = (x - resultHi - resultLo) / x;
  quickTwoSum(estimate, correction);
}

/**
 * x^y correctly rounded (ties aside, which need ~30 more digits to break). Falls back to Math.pow outside
 * positive finite bases, where both agree on the special values.
 */
export function correctlyRoundedPow(x: number, y: number): number {
  if (x === 1 || y === 0) return 1;
  if (!(x > 0) || !Number.isFinite(x) || !Number.isFinite(y)) return Math.pow(x, y);
  logarithm(x);
  multiplyByDouble(resultHi, resultLo, y);
  if (Math.abs(resultHi) > 700) return Math.pow(x, y);
  exponential(resultHi, resultLo);
  return resultHi + resultLo;
}
