// A spec's declared domain: whole numbers `{ from, to }` or a list of values, covered by the hierarchy even where the
// data lacks them. Validation of its JSON shape, its values, and the membership test a data value must pass.

import { compareDecimals, decimalFromNumber, parseDecimal } from './decimal.js';

/** `{ from, to }`: the whole numbers from..to (data values may be any number in that range); a list: exactly those values. */
export type DeclaredDomain = { readonly from: number; readonly to: number } | readonly string[];

/** More values than this would make a hierarchy file nobody wants; a range that large is a typo. */
export const MAX_DECLARED_VALUES = 1_000_000;

/** Appends to `problems` what is wrong with `raw` as a declared domain at JSON path `path`. */
export function collectDeclaredDomainProblems(raw: unknown, path: string, problems: string[]): void {
  if (Array.isArray(raw)) {
    if (raw.length === 0) problems.push(`${path} must list at least one value`);
    else if (!raw.every((value) => typeof value === 'string')) problems.push(`${path} must be an array of strings`);
    else if (raw.length > MAX_DECLARED_VALUES) problems.push(`${path} lists more than ${MAX_DECLARED_VALUES} values`);
    return;
  }
  const shape = `${path} must be { "from": integer, "to": integer } with from <= to, or an array of values`;
  if (typeof raw !== 'object' || raw === null) {
    problems.push(shape);
    return;
  }
  const { from, to, ...rest } = raw as Record<string, unknown>;
  for (const name of Object.keys(rest)) problems.push(`${path}.${name} is not a field of a declared domain (from, to)`);
  if (!Number.isSafeInteger(from) || !Number.isSafeInteger(to) || (from as number) > (to as number)) problems.push(shape);
  else if ((to as number) - (from as number) + 1 > MAX_DECLARED_VALUES) problems.push(`${path} spans more than ${MAX_DECLARED_VALUES} whole numbers`);
}

/** The values a declared domain lists: the whole numbers of a range in increasing order, or the list in its order. */
export function declaredValues(domain: DeclaredDomain): string[] {
  if (isRange(domain)) return Array.from({ length: domain.to - domain.from + 1 }, (_, offset) => String(domain.from + offset));
  return [...new Set(domain)];
}

/** Whether a data value belongs to the declared domain: listed, or a number within the range (bounds included). */
export function declaredMembership(domain: DeclaredDomain): (value: string) => boolean {
  if (!isRange(domain)) {
    const listed = new Set(domain);
    return (value) => listed.has(value);
  }
  const from = decimalFromNumber(domain.from)!;
  const to = decimalFromNumber(domain.to)!;
  return (value) => {
    const number = parseDecimal(value);
    return number !== undefined && compareDecimals(number, from) >= 0 && compareDecimals(number, to) <= 0;
  };
}

/** The domain in words, for error messages: `the numbers 0 to 120` or `the 51 values it lists`. */
export function describeDeclaredDomain(domain: DeclaredDomain): string {
  return isRange(domain) ? `the numbers ${domain.from} to ${domain.to}` : `the ${new Set(domain).size} value(s) it lists`;
}

function isRange(domain: DeclaredDomain): domain is { readonly from: number; readonly to: number } {
  return !Array.isArray(domain);
}
