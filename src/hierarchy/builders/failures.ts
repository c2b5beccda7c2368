// Error construction shared by the hierarchy builders: one message shape, one set of codes.
// Messages name the builder, the column and the value's position, never the value itself.

import { inputError, usageError, type CloakError } from '../../errors.js';

/** Optional naming context so that errors can say which column a hierarchy was built for. */
export interface BuildContext {
  /** Attribute (column) name, used in error messages and locations. */
  column?: string;
}

/** Stable error codes raised by the builders. */
export const HierarchyBuildErrorCode = {
  /** The spec or builder options are invalid (exit 2). */
  invalidSpec: 'HIERARCHY_SPEC_INVALID',
  /** There are no values to build a hierarchy for (exit 3). */
  emptyDomain: 'HIERARCHY_DOMAIN_EMPTY',
  /** A domain value cannot be generalized by the chosen builder (exit 3). */
  invalidValue: 'HIERARCHY_VALUE_INVALID',
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

/** A value of the domain does not fit the builder; `index` is its position in the values passed in. */
export function invalidValue(builder: string, context: BuildContext | undefined, index: number, problem: string): CloakError {
  return inputError(HierarchyBuildErrorCode.invalidValue, `${subject(builder, context)}: value at index ${index} ${problem}`, {
    location: { column: context?.column },
  });
}

/** The domain has no values: there is nothing a hierarchy could cover. */
export function emptyDomain(builder: string, context: BuildContext | undefined): CloakError {
  return inputError(HierarchyBuildErrorCode.emptyDomain, `${subject(builder, context)}: the domain is empty, there are no values to generalize`, {
    location: { column: context?.column },
  });
}
