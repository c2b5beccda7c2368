// Error construction shared by the hierarchy builders: one message shape, one set of codes.
// Messages name the builder, the column and the data file's line of a value, never the value (unless showValues).

import { inputError, usageError, type CloakError, type ErrorLocation } from '../../errors.js';
import type { DomainValue } from './domain.js';

/** Optional naming context so that errors can say which column, file and line a problem comes from. */
export interface BuildContext {
  /** Attribute (column) name, used in error messages and locations. */
  column?: string;
  /** The data file the values come from, named in errors. */
  file?: string;
  /** The 1-based line of the data file where a value first occurs; errors name it instead of an index. */
  lineOf?: (value: string) => number | undefined;
  /** Quote the offending value in errors (`--show-values`); off by default, since values may be personal data. */
  showValues?: boolean;
}

/** Stable error codes raised by the builders. */
export const HierarchyBuildErrorCode = {
  /** The spec or builder options are invalid (exit 2). */
  invalidSpec: 'HIERARCHY_SPEC_INVALID',
  /** There are no values to build a hierarchy for (exit 3). */
  emptyDomain: 'HIERARCHY_DOMAIN_EMPTY',
  /** A domain value cannot be generalized by the chosen builder (exit 3). */
  invalidValue: 'HIERARCHY_VALUE_INVALID',
  /** A value is missing (empty or `NA`) and the spec does not say how to generalize missing values (exit 3). */
  missingValue: 'HIERARCHY_VALUE_MISSING',
  /** A data value lies outside the spec's declared domain (exit 3). */
  outsideDomain: 'HIERARCHY_VALUE_OUTSIDE_DOMAIN',
} as const;

function subject(builder: string, context: BuildContext | undefined): string {
  return context?.column === undefined ? `${builder} hierarchy` : `${builder} hierarchy for column "${context.column}"`;
}

/** The options of a builder are wrong: a usage error. */
export function invalidSpec(builder: string, context: BuildContext | undefined, problem: string): CloakError {
  return usageError(HierarchyBuildErrorCode.invalidSpec, `${subject(builder, context)}: ${problem}`, {
    location: { column: context?.column },
  });
}

/**
 * A value does not fit the builder. A data value is named by the data file's line of its first occurrence when the
 * context knows it (else by its index in the values passed in); a value of the spec's declared domain is a spec error.
 */
export function invalidValue(
  builder: string,
  context: BuildContext | undefined,
  entry: DomainValue,
  problem: string,
  code: string = HierarchyBuildErrorCode.invalidValue,
): CloakError {
  const shown = context?.showValues ? ` ${JSON.stringify(entry.value)}` : '';
  if (entry.declared) {
    return usageError(HierarchyBuildErrorCode.invalidSpec, `${subject(builder, context)}: the value${shown} at position ${entry.index + 1} of the declared domain ${problem}`, {
      location: { column: context?.column },
    });
  }
  const line = context?.lineOf?.(entry.value);
  const location: ErrorLocation = { file: context?.file, line, column: context?.column };
  const where = line === undefined ? `value${shown} at index ${entry.index}` : `value${shown} at ${context?.file ?? 'data'} line ${line}`;
  return inputError(code, `${subject(builder, context)}: the ${where} ${problem}`, { location: defined(location) });
}

/** The domain has no values: there is nothing a hierarchy could cover. */
export function emptyDomain(builder: string, context: BuildContext | undefined): CloakError {
  return inputError(HierarchyBuildErrorCode.emptyDomain, `${subject(builder, context)}: the domain is empty, there are no values to generalize`, {
    location: { column: context?.column },
  });
}

function defined(location: ErrorLocation): ErrorLocation {
  return Object.fromEntries(Object.entries(location).filter(([, value]) => value !== undefined)) as ErrorLocation;
}
