// Figures for people: numbers and shares rounded for reading, and counted nouns with their right plural.
// Only the human summaries use these; reports and --json documents keep every figure at full precision.

/** A number to read: integers as they are, others to 4 significant digits (to the unit from 1000 on). */
export function readableNumber(value: number): string {
  if (value === Infinity) return '∞';
  if (value === -Infinity) return '-∞';
  if (Number.isInteger(value) || Number.isNaN(value)) return String(value);
  if (Math.abs(value) >= 1000) return String(Math.round(value));
  return String(Number(value.toPrecision(4)));
}

/**
 * A share as a percentage to read: 2 significant digits below 10 %, one decimal above (1.8%, 0.035%, 80.4%). A share
 * that is not exactly 0 or 1 never reads as 0% or 100%: it gets the digits that tell it apart.
 */
export function readablePercent(fraction: number): string {
  const percent = 100 * fraction;
  if (!Number.isFinite(percent) || Number.isInteger(percent)) return `${percent}%`;
  let rounded = percent >= 10 ? Number(percent.toFixed(1)) : Number(percent.toPrecision(2));
  for (let digits = 4; (rounded === 100 || rounded === 0) && digits <= 15; digits++) rounded = Number(percent.toPrecision(digits));
  return `${rounded}%`;
}

/** `1 record`, `2 records`; `count(3, 'class', 'classes')`. */
export function count(n: number, singular: string, plural = `${singular}s`): string {
  return `${n} ${n === 1 ? singular : plural}`;
}
