// Typed errors with stable codes, exit codes and a location (file, line, column) — never a cell value.
// Every failure the user can cause surfaces as a CloakError; anything else is a bug.

/** Process exit codes, shared by the CLI and the error classes. */
export const ExitCode = {
  ok: 0,
  usage: 2,
  input: 3,
  noSolution: 4,
  verification: 5,
  checkFailed: 6,
  sigint: 130,
  sigterm: 143,
} as const;

export interface ErrorLocation {
  /** Path of the file the problem is in. */
  file?: string;
  /** 1-based line number in that file. */
  line?: number;
  /** Column (attribute) name. */
  column?: string;
  /** JSON path, for policy documents. */
  path?: string;
}

export interface CloakErrorOptions {
  exitCode?: number;
  location?: ErrorLocation;
  cause?: unknown;
  /** Further problems found in the same validation pass (options report every problem at once). */
  problems?: readonly string[];
}

/**
 * The one error type Cloak throws for anything a user can cause.
 * `code` is stable (e.g. `CSV_RAGGED_ROW`); the message says what and where, never a data value.
 */
export class CloakError extends Error {
  readonly code: string;
  readonly exitCode: number;
  readonly location: ErrorLocation | undefined;
  readonly problems: readonly string[];

  constructor(code: string, message: string, options: CloakErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'CloakError';
    this.code = code;
    this.exitCode = options.exitCode ?? ExitCode.input;
    this.location = options.location;
    this.problems = options.problems ?? [message];
  }
}

/** A usage error (bad flag or parameter): exit code 2. */
export function usageError(code: string, message: string, options: Omit<CloakErrorOptions, 'exitCode'> = {}): CloakError {
  return new CloakError(code, message, { ...options, exitCode: ExitCode.usage });
}

/** An input error (data or hierarchy): exit code 3. */
export function inputError(code: string, message: string, options: Omit<CloakErrorOptions, 'exitCode'> = {}): CloakError {
  return new CloakError(code, message, { ...options, exitCode: ExitCode.input });
}

/** Formats a location as `file:line, column "name"` for messages. */
export function describeLocation(location: ErrorLocation): string {
  const parts: string[] = [];
  if (location.file !== undefined) parts.push(location.line !== undefined ? `${location.file}:${location.line}` : location.file);
  else if (location.line !== undefined) parts.push(`line ${location.line}`);
  if (location.column !== undefined) parts.push(`column "${location.column}"`);
  if (location.path !== undefined) parts.push(`at ${location.path}`);
  return parts.join(', ');
}
