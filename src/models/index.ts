// The privacy-model factory: turns validated specs into PrivacyModel instances bound to the run's sensitive data.
// Also the helpers the engine needs over a set of models (validation, the smallest admissible class).

import { usageError } from '../errors.js';
import type { ModelSpec } from '../options.js';
import { createBetaLikeness } from './beta-likeness.js';
import { createDeltaDisclosurePrivacy } from './delta-disclosure.js';
import { createDeltaPresence } from './delta-presence.js';
import { createDifferentialPrivacy } from './differential-privacy.js';
import { createKMap } from './k-map.js';
import { createDistinctLDiversity } from './distinct-l-diversity.js';
import { createEntropyLDiversity } from './entropy-l-diversity.js';
import { createKAnonymity } from './k-anonymity.js';
import type { ModelContext, PrivacyModel } from './privacy-model.js';
import { createRecursiveClDiversity } from './recursive-cl-diversity.js';
import { createRiskModel } from './risk-models.js';
import { isRiskModelSpec } from '../risk/criteria.js';
import { resolveSensitive } from './sensitive-support.js';
import { createEqualDistanceTCloseness } from './t-closeness-equal.js';
import { createHierarchicalDistanceTCloseness } from './t-closeness-hierarchical.js';
import { createOrderedDistanceTCloseness } from './t-closeness-ordered.js';

export type { ModelContext, PrivacyModel, SensitiveAttribute } from './privacy-model.js';
export { validateModelSpecs } from './validate-specs.js';

/**
 * Builds the model a spec describes. Expects a spec that passed `validateModelSpecs`; throws a usage error when it
 * names no sensitive attribute of the run or asks for hierarchical t-closeness without a hierarchy.
 */
export function createModel(spec: ModelSpec, context: ModelContext): PrivacyModel {
  if (spec.type === 'k-anonymity') return createKAnonymity(spec.k);
  if (isRiskModelSpec(spec)) return createRiskModel(spec, context);
  if (spec.type === 'k-map') return createKMap(spec, context);
  if (spec.type === 'delta-presence') return createDeltaPresence(spec, context);
  if (spec.type === 'differential-privacy') return createDifferentialPrivacy(spec);
  const attribute = resolveSensitive(context, spec.attribute, spec.type);
  switch (spec.type) {
    case 'distinct-l-diversity':
      return createDistinctLDiversity(spec, attribute);
    case 'entropy-l-diversity':
      return createEntropyLDiversity(spec, attribute);
    case 'recursive-cl-diversity':
      return createRecursiveClDiversity(spec, attribute);
    case 't-closeness':
      switch (spec.distance) {
        case 'equal':
          return createEqualDistanceTCloseness(spec, attribute, context.rowCount);
        case 'ordered':
          return createOrderedDistanceTCloseness(spec, attribute, context.rowCount);
        case 'hierarchical':
          return createHierarchicalDistanceTCloseness(spec, attribute, context.rowCount);
      }
      break;
    case 'delta-disclosure':
      return createDeltaDisclosurePrivacy(spec, attribute, context.rowCount);
    case 'beta-likeness':
      return createBetaLikeness(spec, attribute, context.rowCount);
  }
  // Reachable only with a spec that skipped validateModelSpecs (untyped input).
  throw usageError('MODEL_UNKNOWN', 'unknown privacy model type or t-closeness distance');
}

/** The smallest class size that can satisfy every model: the largest of their minimums (1 for no model). */
export function minimumClassSize(models: readonly PrivacyModel[]): number {
  let minimum = 1;
  for (const model of models) minimum = Math.max(minimum, model.minClassSize);
  return minimum;
}
