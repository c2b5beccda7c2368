// SafePub's score functions (ARX's getScore): a node's utility on the sample, divided by the score's sensitivity and
// signed so that higher is better. Records the sampling dropped count as suppressed, like those in classes below k.

import type { EquivalenceClasses } from '../../groupify/equivalence-classes.js';
import type { CompiledHierarchy } from '../../hierarchy/compiled-hierarchy.js';
import type { MetricName } from '../../options.js';

/** The metrics with a score function (ARX has none for Height). */
export const DP_SCORED_METRICS: readonly MetricName[] = ['loss', 'precision', 'precision-monotonic', 'discernibility', 'discernibility-monotonic', 'aecs', 'entropy', 'entropy-monotonic'];

export interface ScoreContext {
  /** n: every input record, those the sampling dropped included. */
  readonly rowCount: number;
  /** The k classes of the sample must reach. */
  readonly k: number;
  readonly hierarchies: readonly CompiledHierarchy[];
}

/**
 * The score of a node from the sample's classes there (`suppressed`: the classes below k). Every score is a sum of
 * non-negative integers or integer-weighted shares, scaled once: a few dozen roundings, relative error below 2⁻⁴⁴
 * (what exponential-mechanism.ts assumes). Sensitivities, as in ARX: Loss and Precision d(k − 1) (d for k = 1),
 * Discernibility and Entropy n(k²/(k − 1) + 1) and n·d(k²/(k − 1) + 1) (5n, 5n·d for k = 1), AECS 1.
 */
export function dpScore(metric: MetricName, classes: EquivalenceClasses, suppressed: Uint8Array, context: ScoreContext): number {
  // + 0 turns a −0 (a perfect negated score) into 0.
  return signedScore(metric, classes, suppressed, context) + 0;
}

function signedScore(metric: MetricName, classes: EquivalenceClasses, suppressed: Uint8Array, context: ScoreContext): number {
  const { rowCount: n, k, hierarchies } = context;
  const d = hierarchies.length;
  const { sizes, count, keys, levels } = classes;
  let released = 0;
  let releasedClasses = 0;
  for (let c = 0; c < count; c++) {
    if (suppressed[c] === 1) continue;
    released += sizes[c];
    releasedClasses++;
  }
  const dropped = n - released;
  const quadratic = k === 1 ? 5 : (k * k) / (k - 1) + 1;
  switch (metric) {
    case 'loss': {
      // Σ_j Σ_released |E|·rows_j(E)/|D_j|: integer row sums per attribute, divided once.
      let shares = 0;
      for (let j = 0; j < d; j++) {
        const rows = hierarchies[j].fileRowsPerLabel[levels[j]];
        let sum = 0;
        for (let c = 0; c < count; c++) if (suppressed[c] === 0) sum += sizes[c] * (levels[j] === 0 ? 1 : rows[keys[c * d + j]]);
        shares += sum / hierarchies[j].fileRowCount;
      }
      return -(d * dropped + shares) / (d * (k > 1 ? k - 1 : 1));
    }
    case 'precision':
    case 'precision-monotonic': {
      let sum = 0;
      for (let j = 0; j < d; j++) sum += (hierarchies[j].maxLevel === 0 ? 0 : (released * levels[j]) / hierarchies[j].maxLevel) + dropped;
      return -sum / (d * (k > 1 ? k - 1 : 1));
    }
    case 'discernibility':
    case 'discernibility-monotonic': {
      let squares = 0;
      for (let c = 0; c < count; c++) if (suppressed[c] === 0) squares += sizes[c] * sizes[c];
      return -(n * dropped + squares) / (n * quadratic);
    }
    case 'aecs':
      return releasedClasses + (dropped > 0 ? 1 : 0);
    case 'entropy':
    case 'entropy-monotonic': {
      let sum = 0;
      for (let j = 0; j < d; j++) {
        const hierarchy = hierarchies[j];
        const top = hierarchy.labels[hierarchy.maxLevel];
        // A value equal to the hierarchy's single root counts as suppressed (ARX compares dictionary codes: strings).
        const root = top.length === 1 ? top[0] : undefined;
        const labels = hierarchy.labels[levels[j]];
        const frequency = new Float64Array(labels.length);
        let kept = 0;
        for (let c = 0; c < count; c++) {
          if (suppressed[c] === 1) continue;
          const code = keys[c * d + j];
          if (labels[code] === root) continue;
          frequency[code] += sizes[c];
          kept += sizes[c];
        }
        let squares = 0;
        for (const records of frequency) squares += records * records;
        sum += n * (n - kept) + squares;
      }
      return -sum / (n * d) / quadratic;
    }
    case 'height':
      throw new RangeError('Height has no score function');
  }
}
