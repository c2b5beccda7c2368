// Exact decimal numbers for interval bounds and numeric ordering, as a BigInt scaled by a power of ten.
// Binary floats would drift (0.1 * 3 !== 0.3); labels and comparisons here are exact instead.

/** The number `units / 10^scale`, with `scale >= 0`. */
export interface Decimal {
  units: bigint;
  scale: number;
}

const DECIMAL_PATTERN = /^([+-]?)(\d*)(?:\.(\d*))?(?:[eE]([+-]?\d+))?$/;

/**
 * Exponents beyond this are refused rather than expanded: `1e-99999999` would otherwise
 * become a hundred-million-digit BigInt. Every finite double fits comfortably inside.
 */
const MAX_EXPONENT = 400;

/**
 * Parses plain or exponent decimal notation (surrounding whitespace allowed). Returns undefined for
 * anything else, including `NaN`, `Infinity`, hex, and magnitudes that are not finite as a double.
 */
export function parseDecimal(text: string): Decimal | undefined {
  const trimmed = text.trim();
  const match = DECIMAL_PATTERN.exec(trimmed);
  if (match === null) return undefined;
  const [, sign, integerDigits, fractionDigits = '', exponentText = '0'] = match;
  if (integerDigits.length === 0 && fractionDigits.length === 0) return undefined;
  const exponent = Number(exponentText);
  if (Math.abs(exponent) > MAX_EXPONENT || !Number.isFinite(Number(trimmed))) return undefined;
  let units = BigInt(`${integerDigits}${fractionDigits}` || '0');
  let scale = fractionDigits.length - exponent;
  if (scale < 0) {
    units *= 10n ** BigInt(-scale);
    scale = 0;
  }
  return normalize({ units: sign === '-' ? -units : units, scale });
}

/** Converts a finite JavaScript number through its shortest round-trip text, so 0.1 stays 0.1. */
export function decimalFromNumber(value: number): Decimal | undefined {
  return Number.isFinite(value) ? parseDecimal(String(value)) : undefined;
}

/** Drops trailing zero digits so equal numbers have one representation. */
function normalize(decimal: Decimal): Decimal {
  let { units, scale } = decimal;
  while (scale > 0 && units % 10n === 0n) {
    units /= 10n;
    scale--;
  }
  return { units, scale };
}

/** The units of `decimal` expressed at a larger or equal `scale`. */
export function unitsAtScale(decimal: Decimal, scale: number): bigint {
  return decimal.units * 10n ** BigInt(scale - decimal.scale);
}

export function compareDecimals(a: Decimal, b: Decimal): number {
  const scale = Math.max(a.scale, b.scale);
  const difference = unitsAtScale(a, scale) - unitsAtScale(b, scale);
  return difference < 0n ? -1 : difference > 0n ? 1 : 0;
}

/** Integer division rounding toward negative infinity (BigInt `/` truncates toward zero). */
export function floorDivide(dividend: bigint, divisor: bigint): bigint {
  const quotient = dividend / divisor;
  const inexact = dividend % divisor !== 0n;
  return inexact && dividend < 0n !== divisor < 0n ? quotient - 1n : quotient;
}

/** Plain decimal notation without trailing zeros: `-2.5`, `20`, `0.125`. */
export function formatDecimal(decimal: Decimal): string {
  const { units, scale } = normalize(decimal);
  const digits = (units < 0n ? -units : units).toString().padStart(scale + 1, '0');
  const sign = units < 0n ? '-' : '';
  if (scale === 0) return `${sign}${digits}`;
  return `${sign}${digits.slice(0, -scale)}.${digits.slice(-scale)}`;
}

/** Whether the decimal converts to a finite double, the range the rest of Cloak computes in. */
export function isFiniteAsNumber(decimal: Decimal): boolean {
  return Number.isFinite(Number(formatDecimal(decimal)));
}
