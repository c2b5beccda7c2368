// What a local-recoding run releases: the local recoding, or the global optimum when that loses no more granularity
// (so local recoding is never worse than global), judged by the same cell-level quality either way.

import type { EquivalenceClasses } from '../groupify/equivalence-classes.js';
import type { CompiledHierarchy } from '../hierarchy/compiled-hierarchy.js';
import type { PrivacyModel } from '../models/privacy-model.js';
import type { CellQuality } from '../report.js';
import { cellQuality } from './cell-quality.js';
import type { LabelIdentity } from './label-identity.js';
import { recodeLocally } from './local-recoding.js';
import type { TupleRecoding } from './tuple-recoding.js';

export interface LocalReleaseInput {
  readonly names: readonly string[];
  readonly tuples: EquivalenceClasses;
  readonly hierarchies: readonly CompiledHierarchy[];
  readonly valueCounts: readonly Int32Array[];
  readonly identity: LabelIdentity;
  readonly shares: readonly Float64Array[][];
  readonly models: readonly PrivacyModel[];
  readonly minClassSize: number;
  readonly suppressionBudget: number;
  /** The global optimum of the same policy, if there is one. */
  readonly global?: TupleRecoding;
}

export interface LocalRelease {
  readonly recoding: TupleRecoding;
  readonly quality: CellQuality;
  readonly released: 'local' | 'global';
  readonly globalGranularityLoss: number | null;
  readonly nodeEvaluations: number;
  readonly mergedRecords: number;
}

/**
 * The release, or undefined when neither recoding satisfies the policy. Under local recoding a record reading `*`
 * in every quasi-identifier counts as suppressed, so a global optimum releasing more such records than the budget
 * (the top node) is no alternative.
 */
export function releaseLocally(input: LocalReleaseInput): LocalRelease | undefined {
  const quality = (recoding: TupleRecoding) =>
    cellQuality(recoding, { names: input.names, hierarchies: input.hierarchies, tuples: input.tuples, valueCounts: input.valueCounts, identity: input.identity, shares: input.shares });
  const local = recodeLocally(input);
  const localQuality = local === undefined ? undefined : quality(local.recoding);
  const global = input.global;
  const globalQuality = global === undefined ? undefined : quality(global);
  const globalValid = globalQuality !== undefined && globalQuality.recordsSuppressed <= input.suppressionBudget;
  const common = {
    globalGranularityLoss: globalQuality?.granularityLoss.value ?? null,
    nodeEvaluations: local?.nodeEvaluations ?? 0,
    mergedRecords: local?.mergedRecords ?? 0,
  };
  if (local !== undefined && (!globalValid || localQuality!.granularityLoss.value <= globalQuality!.granularityLoss.value)) {
    return { recoding: local.recoding, quality: localQuality!, released: 'local', ...common };
  }
  if (globalValid) return { recoding: global!, quality: globalQuality!, released: 'global', ...common };
  return undefined;
}
