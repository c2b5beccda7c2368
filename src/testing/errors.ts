// The error the `assert…` twins of cloak/testing throw, carrying the failed verdict.
// A CloakError with the verification exit code, so the engine's pre-write verifier can surface it unchanged.

import { CloakError, ExitCode } from '../errors.js';
import { describeFailedVerdict, type FailedVerdict, type Verdict } from './verdict.js';

/** Thrown by every `assert…` function; `verdict` holds the structured failures, the message lists them readably. */
export class AnonymizationAssertionError extends CloakError {
  readonly verdict: FailedVerdict;

  constructor(verdict: FailedVerdict) {
    super('ANONYMIZATION_ASSERTION_FAILED', describeFailedVerdict(verdict), {
      exitCode: ExitCode.verification,
      problems: verdict.failures.map((failure) => failure.message),
    });
    this.name = 'AnonymizationAssertionError';
    this.verdict = verdict;
  }
}

/** Throws an {@link AnonymizationAssertionError} when the verdict failed. */
export function throwIfFailed(verdict: Verdict): void {
  if (!verdict.ok) throw new AnonymizationAssertionError(verdict);
}
