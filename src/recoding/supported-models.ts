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

/** Models tied to one transformation of the whole table, with why local recoding cannot take them. */
const ONE_TRANSFORMATION: Readonly<Record<string, string>> = {
  'k-map': 'it counts each class in the population generalized to the release\'s one level vector, while local recoding gives every class its own',
  'delta-presence': 'it bounds each class\'s share of the population generalized to the release\'s one level vector, while local recoding gives every class its own',
  'differential-privacy': 'its guarantee rests on sampling the records and releasing them at one transformation (fixed or drawn at random), which local recoding would replace by levels chosen from the data',
};

/** Problems of `models` under local recoding, one per refused model (with its index), empty when all are supported. */
export function localRecodingProblems(models: readonly ModelSpec[]): string[] {
  const problems: string[] = [];
  models.forEach((model, index) => {
    const type = (model as { type?: unknown } | null)?.type;
    if (typeof type !== 'string' || PER_CLASS.has(type)) return;
    const why = ONE_TRANSFORMATION[type];
    problems.push(
      OVER_THE_RELEASE.has(type)
        ? `models[${index}]: ${type} is not supported with local recoding: it bounds a figure of the whole release, while local recoding releases records class by class and cannot tell whether their union meets it; use highest-risk (a bound on every class) or recoding "global"`
        : why !== undefined
          ? `models[${index}]: ${type} is not supported with local recoding: ${why}; use recoding "global"`
          : `models[${index}]: ${type} is not supported with local recoding, which releases records class by class and supports only per-class models (${[...PER_CLASS].join(', ')}); use recoding "global"`,
    );
  });
  return problems;
}
