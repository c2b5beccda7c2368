// The trade-off curve: the run's recoding repeated for each k of a list, so that a data owner sees what each k
// costs in granularity. Every other model of the policy is kept; the k-anonymity model's k is replaced (or added).

import type { AnonymizeOptions, ModelSpec } from '../options.js';
import type { CellQuality, ExploreReport } from '../report.js';
import { DEFAULT_EXPLORE_K } from '../validate-options.js';

/**
 * One point per k, ascending: the release's granularity loss, suppressed records and classes, or nulls where no
 * release satisfies the policy with that k (or k exceeds the records). The default list stops at the record count.
 */
export function exploreTradeOff(options: AnonymizeOptions, rowCount: number, qualityFor: (models: readonly ModelSpec[]) => CellQuality | undefined): ExploreReport {
  const given = options.explore?.k;
  const ks = [...(given ?? DEFAULT_EXPLORE_K.filter((k) => k <= rowCount))].sort((a, b) => a - b);
  const points = ks.map((k) => {
    const quality = k > rowCount ? undefined : qualityFor(withK(options.models, k));
    return {
      k,
      granularityLoss: quality?.granularityLoss.value ?? null,
      recordsSuppressed: quality?.recordsSuppressed ?? null,
      classes: quality?.classes ?? null,
    };
  });
  return { recoding: options.recoding ?? 'global', points };
}

/** The models with every k-anonymity model's k set to `k`, or k-anonymity added when there is none. */
export function withK(models: readonly ModelSpec[], k: number): ModelSpec[] {
  const replaced = models.map((model) => (model.type === 'k-anonymity' ? { ...model, k } : model));
  return models.some((model) => model.type === 'k-anonymity') ? replaced : [...replaced, { type: 'k-anonymity', k }];
}
