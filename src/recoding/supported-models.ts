// Which privacy models local recoding supports, and why the others are refused: it releases records class by
// class, so a model must be a condition on each class alone, decided on the class's records.

import type { ModelSpec } from '../options.js';

const PER_CLASS: ReadonlySet<string> = new Set([
  'k-anonymity',
  'distinct-l-diversity',
  'entropy-l-diversity',
  'recursive-cl-diversity',
  't-closeness',
  'delta-disclosure',
  'beta-likeness',
  'highest-risk',
]);

const OVER_THE_RELEASE: ReadonlySet<string> = new Set(['average-risk', 'records-at-risk', 'population-uniqueness']);

/** Problems of `models` under local recoding, one per refused model (with its index), empty when all are supported. */
export function localRecodingProblems(models: readonly ModelSpec[]): string[] {
  const problems: string[] = [];
  models.forEach((model, index) => {
    const type = (model as { type?: unknown } | null)?.type;
    if (typeof type !== 'string' || PER_CLASS.has(type)) return;
    problems.push(
      OVER_THE_RELEASE.has(type)
        ? `models[${index}]: ${type} is not supported with local recoding: it bounds a figure of the whole release, while local recoding releases records class by class and cannot tell whether their union meets it; use highest-risk (a bound on every class) or recoding "global"`
        : `models[${index}]: ${type} is not supported with local recoding, which releases records class by class and supports only per-class models (${[...PER_CLASS].join(', ')}); use recoding "global"`,
    );
  });
  return problems;
}
