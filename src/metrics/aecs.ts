// Average equivalence class size (ARX's SDAECS): n over the number of classes, suppressed records forming one class.
// The gs factor weighs kept classes by sF and the class of suppressed records by gF, as ARX does (the swap is on purpose).

import type { EquivalenceClasses } from '../groupify/equivalence-classes.js';
import { gsWeights } from './gs-factor.js';
import type { Metric, MetricContext, MetricValue } from './metric.js';

/**
 * n / (C·sF + [S > 0]·gF), C the kept classes. With gs = 0 and nothing suppressed the denominator is 0 and the
 * score is +∞, as in ARX. The bound n / (all classes) holds because C·sF + gF ≤ C + 1 ≤ C + |O| when O ≠ ∅,
 * and grows upward because generalizing only merges classes. (ARX's own bound, n / (all·sF), can exceed the
 * score when sF < 1 and something is suppressed, so it is not used.)
 */
export function createAecsMetric(context: MetricContext): Metric {
  const { rowCount } = context;
  const { suppression: sF, generalization: gF } = gsWeights(context.gsFactor);
  return {
    name: 'aecs',
    monotoneWithSuppression: false,
    monotoneWithoutSuppression: true,
    score(classes: EquivalenceClasses, suppressed: Uint8Array): MetricValue {
      if (classes.count === 0) return { value: 0 };
      let keptClasses = 0;
      for (let c = 0; c < classes.count; c++) if (suppressed[c] !== 1) keptClasses++;
      const someSuppressed = keptClasses !== classes.count;
      return { value: rowCount / (keptClasses * sF + (someSuppressed ? gF : 0)) };
    },
    lowerBound(classes: EquivalenceClasses): number {
      return classes.count === 0 ? 0 : rowCount / classes.count;
    },
  };
}
