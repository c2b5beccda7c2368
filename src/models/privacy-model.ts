// The contract every privacy criterion implements: a per-class test (or a test of the whole release) plus the
// monotonicity facts the search relies on. Models read equivalence classes (sizes, histograms); never rows.

import type { EquivalenceClasses } from '../groupify/equivalence-classes.js';
import type { PopulationCounter } from '../groupify/population-counts.js';
import type { CompiledHierarchy } from '../hierarchy/compiled-hierarchy.js';
import type { ModelSpec } from '../options.js';
import type { AttributeType } from '../table/encoded-table.js';

/** A sensitive attribute as the models see it, computed once from the whole input. */
export interface SensitiveAttribute {
  readonly name: string;
  /** Position in `EquivalenceClasses.sensitive`. */
  readonly slot: number;
  readonly type: AttributeType;
  /** Date format (tokens YYYY, MM, DD) when `type` is `date` and the values are not ISO dates. */
  readonly format?: string;
  /** The data column's dictionary (data code → value). */
  readonly dictionary: readonly string[];
  /** Records per data code over the whole input, suppressed records included (the distribution p). */
  readonly globalCounts: Int32Array;
  /** Present when the attribute has a hierarchy (hierarchical t-closeness). */
  readonly hierarchy?: CompiledHierarchy;
}

export interface ModelContext {
  /** n: input records. */
  readonly rowCount: number;
  readonly sensitive: readonly SensitiveAttribute[];
  /** Records of the data the models judge where that is not `rowCount`: new data a plan is applied to. */
  readonly recordCount?: number;
  /** Population records per class, counted from `risk.populationTable` (k-map without an estimator). */
  readonly populationTable?: PopulationCounter;
  /** The population a research subset is released from: the whole input (δ-presence). */
  readonly presencePopulation?: PopulationCounter;
}

export interface PrivacyModel {
  readonly spec: ModelSpec;
  /** Human-readable, e.g. `5-anonymity`, `distinct 3-diversity (occupation)`. */
  readonly label: string;
  /** Smallest class size that can satisfy the model (1 when the model sets none). */
  readonly minClassSize: number;
  /**
   * "Failing records ≤ budget" is monotone upward for any suppression limit
   * (k-anonymity, distinct l-diversity). When false, it holds only without suppression, if at all.
   */
  readonly monotoneWithSuppression: boolean;
  /** Monotone upward when nothing may be suppressed (false for δ-disclosure). */
  readonly monotoneWithoutSuppression: boolean;
  /** Whether class `c` satisfies the model. */
  isClassValid(classes: EquivalenceClasses, c: number): boolean;
  /**
   * For a class `c` that fails `isClassValid`: how many of its records every specialization of the node suppresses
   * too (at most its size). There the class splits, and only subclasses that pass are released; where passing
   * survives merging in a measurable way (a convex condition on the distribution), their union cannot be all of it.
   * Absent: 0, nothing known.
   */
  suppressedBelow?(classes: EquivalenceClasses, c: number): number;
  /** The model's measure on class `c` (e.g. its l, its distance), for the report's margins. */
  classMeasure(classes: EquivalenceClasses, c: number): number;
  /** Which end of `classMeasure` is the worst: the smallest l, the largest t. */
  readonly worst: 'min' | 'max';
  /**
   * Present on criteria over the whole release rather than each class (average risk, records at risk, population
   * uniqueness): whether the released classes, given by their sizes (in any order), satisfy it. Where they do not,
   * further classes are suppressed in ARX's order within the budget (release-suppression.ts); its `isClassValid`
   * accepts every class.
   */
  isReleaseValid?(releasedSizes: ArrayLike<number>): boolean;
  /**
   * Present on models with a condition on the node that no suppression can meet (δ-presence: a population class
   * without any released record lies outside [δmin, δmax] and cannot be suppressed). A node failing it is not anonymous.
   */
  isNodeValid?(classes: EquivalenceClasses): boolean;
  /** Figures the model derived, for the report (e.g. an estimated k-map's k′, differential privacy's k and β). */
  readonly derived?: Readonly<Record<string, number>>;
  /** The figure `isReleaseValid` bounds, reported instead of the worst class measure; null when there is none. */
  releaseMeasure?(releasedSizes: ArrayLike<number>): number | null;
}
