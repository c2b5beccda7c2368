// Turns a lattice node into a search verdict: group, test every class against every model, suppress within budget,
// score. This is the `evaluate(node)` the lattice search receives; it owns which monotonicity facts are valid.

import type { EquivalenceClasses } from './groupify/equivalence-classes.js';
import type { NodeGrouper } from './groupify/node-grouper.js';
import type { Metric } from './metrics/metric.js';
import type { PrivacyModel } from './models/privacy-model.js';
import type { NodeCheck, SearchProblem } from './lattice/search.js';
import { enforceReleaseCriteria } from './models/release-suppression.js';

export interface NodeDecision {
  readonly classes: EquivalenceClasses;
  /** suppressed[c] = 1 when class c fails a model (or is too small) and is suppressed whole. */
  readonly suppressed: Uint8Array;
  readonly suppressedRecords: number;
  /** Of those, the records (and classes) suppressed for criteria over the whole release, beyond the per-class tests. */
  readonly releaseSuppressedRecords: number;
  readonly releaseSuppressedClasses: number;
  readonly anonymous: boolean;
}

export interface NodeEvaluatorSetup {
  readonly models: readonly PrivacyModel[];
  readonly metric: Metric;
  /** floor(limit × n): records that may be suppressed. */
  readonly suppressionBudget: number;
  /** Largest minimum class size over the models. */
  readonly minClassSize: number;
}

/** The per-class information loss ARX breaks ties with when it suppresses for a criterion over the release. */
function classLossOf(setup: NodeEvaluatorSetup): ((classes: EquivalenceClasses, c: number) => number) | undefined {
  const classLoss = setup.metric.classLoss;
  return classLoss === undefined ? undefined : (classes, c) => classLoss.call(setup.metric, classes, c);
}

/**
 * Which classes fail a per-class test, and whether the node is anonymous: their records fit in the budget and the
 * released classes satisfy every criterion over the whole release (`PrivacyModel.isReleaseValid`) — where they do not,
 * further classes are suppressed as ARX does (smallest first, within the budget; see release-suppression.ts). Also
 * the records every specialization suppresses too (`forcedRecords`): all of a class below the minimum size, and of a
 * failing class the most any failing model's `suppressedBelow` claims.
 */
export function decideNode(classes: EquivalenceClasses, setup: NodeEvaluatorSetup): NodeDecision & { readonly forcedRecords: number } {
  const suppressed = new Uint8Array(classes.count);
  let suppressedRecords = 0;
  let forcedRecords = 0;
  const { models, minClassSize } = setup;
  for (let c = 0; c < classes.count; c++) {
    const size = classes.sizes[c];
    if (size < minClassSize) {
      suppressed[c] = 1;
      suppressedRecords += size;
      forcedRecords += size;
      continue;
    }
    // −1 while the class passes; once it fails, every failing model may add to what goes below.
    let goesBelow = -1;
    for (let m = 0; m < models.length && goesBelow < size; m++) {
      if (models[m].isClassValid(classes, c)) continue;
      goesBelow = Math.max(goesBelow, models[m].suppressedBelow?.(classes, c) ?? 0);
    }
    if (goesBelow >= 0) {
      suppressed[c] = 1;
      suppressedRecords += size;
      forcedRecords += goesBelow;
    }
  }
  let anonymous = suppressedRecords <= setup.suppressionBudget && models.every((model) => model.isNodeValid?.(classes) ?? true);
  let releaseSuppressedRecords = 0;
  let releaseSuppressedClasses = 0;
  const releaseCriteria = models.filter((model) => model.isReleaseValid !== undefined);
  if (anonymous && releaseCriteria.length > 0) {
    const enforced = enforceReleaseCriteria(classes, suppressed, releaseCriteria, setup.suppressionBudget, suppressedRecords, classLossOf(setup));
    releaseSuppressedRecords = enforced.records;
    releaseSuppressedClasses = enforced.classes;
    suppressedRecords += enforced.records;
    anonymous = enforced.holds && suppressedRecords <= setup.suppressionBudget;
  }
  return { classes, suppressed, suppressedRecords, releaseSuppressedRecords, releaseSuppressedClasses, forcedRecords, anonymous };
}

/**
 * Whether "every model holds within the budget" is itself monotone upward. Otherwise the search propagates
 * "forced records fit in the budget" instead: where it fails, every specialization suppresses more than the budget
 * — also with criteria over the whole release, since they only add conditions to being anonymous.
 */
export function anonymityIsMonotone(models: readonly PrivacyModel[], suppressionBudget: number): boolean {
  return models.every((model) => (suppressionBudget > 0 ? model.monotoneWithSuppression : model.monotoneWithoutSuppression));
}

/** The search problem over a grouper: `evaluate` for each node, and the metric's bound refinement if it has one. */
export function createSearchProblem(grouper: NodeGrouper, setup: NodeEvaluatorSetup, maxLevels: readonly number[]): SearchProblem {
  const fullyMonotone = anonymityIsMonotone(setup.models, setup.suppressionBudget);
  const { metric, suppressionBudget } = setup;
  const boundAt = metric.boundAt;
  return {
    maxLevels,
    evaluate(levels: Int32Array): NodeCheck {
      const classes = grouper.classesAt(levels);
      const decision = decideNode(classes, setup);
      return {
        anonymous: decision.anonymous,
        monotoneConditionHolds: fullyMonotone ? decision.anonymous : decision.forcedRecords <= suppressionBudget,
        score: decision.anonymous ? metric.score(classes, decision.suppressed).value : NaN,
        lowerBound: metric.lowerBound(classes),
        forcedSuppression: decision.forcedRecords,
      };
    },
    // Only where the grouper prefetches: working out the hints costs the search a path per start.
    anticipate: grouper.prefetches ? (nodes) => grouper.anticipate(nodes) : undefined,
    refineBound: boundAt === undefined ? undefined : (levels, bound, forced) => boundAt.call(metric, levels, bound, forced, suppressionBudget),
    // With nothing below checked and nothing known to be suppressed, what a node's levels alone imply: every
    // metric's boundAt is then non-decreasing in the levels (each term grows with its attribute's level).
    boundAbove: boundAt === undefined ? undefined : (levels) => boundAt.call(metric, levels, -Infinity, 0, suppressionBudget),
    prepare: (levels) => void grouper.classesAt(levels),
  };
}
