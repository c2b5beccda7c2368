// `mask`: keeps the first and/or last characters of a value and replaces the others with one character — a card
// number as `************1234`. Characters are Unicode code points, so a masked value never splits a pair.

export interface MaskOptions {
  readonly keepFirst: number;
  readonly keepLast: number;
  /** One character (code point). */
  readonly char: string;
}

/** The masked form of every value, in order; a value no longer than what is kept stays as it is. */
export function maskValues(values: readonly string[], options: MaskOptions): string[] {
  const { keepFirst, keepLast, char } = options;
  return values.map((value) => {
    const points = Array.from(value);
    if (points.length <= keepFirst + keepLast) return value;
    return points.slice(0, keepFirst).join('') + char.repeat(points.length - keepFirst - keepLast) + points.slice(points.length - keepLast).join('');
  });
}
