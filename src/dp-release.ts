// The release under (ε, δ)-differential privacy (SafePub): sample the records, choose the transformation (fixed, or
// by the exponential mechanism on the sample), suppress the sample's classes below k and every record not sampled.

import { CloakError, ExitCode, usageError } from './errors.js';
import { collapseTuples } from './groupify/collapse.js';
import type { EquivalenceClasses, SensitiveHistograms } from './groupify/equivalence-classes.js';
import { NodeGrouper, levelDomainSizes } from './groupify/node-grouper.js';
import { regroup } from './groupify/regroup.js';
import type { CompiledHierarchy } from './hierarchy/compiled-hierarchy.js';
import { safePubSearch } from './lattice/safepub.js';
import { nextDown } from './models/dp/interval.js';
import { bernoulliAtMost, cryptoRandom, seededRandom } from './models/dp/random.js';
import { dpScore } from './models/dp/scores.js';
import { epsilonAnon, searchBudgetOf } from './models/dp/parameters.js';
import type { MetricName, ModelSpec } from './options.js';
import { decideNode, type NodeEvaluatorSetup } from './evaluate-node.js';
import { selectRows } from './table/research-subset.js';
import type { EncodedTable } from './table/encoded-table.js';

type DifferentialPrivacySpec = Extract<ModelSpec, { type: 'differential-privacy' }>;

/** Without `steps`, ARX's default: its 1,000 checks spread over the expansions of d quasi-identifiers. */
export function defaultDpSteps(quasiIdentifiers: number): number {
  return Math.max(1, Math.floor(1000 / Math.max(1, quasiIdentifiers)));
}

/** The report's account of a differentially private release. */
export interface DifferentialPrivacyReport {
  readonly epsilon: number;
  readonly delta: number;
  /** The ε the sampling and k-anonymization satisfy: ε minus the search budget. */
  readonly epsilonAnon: number;
  /** The ε spent on choosing the transformation (0 with fixed levels). */
  readonly searchBudget: number;
  readonly k: number;
  /** The probability with which each record was kept (at most 1 − e^(−ε_anon)). */
  readonly beta: number;
  /** Records the sampling dropped (released as suppressed records). */
  readonly sampledOut: number;
  /** `fixed` levels, or the exponential mechanism's `search`. */
  readonly transformation: 'fixed' | 'search';
  /**
   * Steps of the search, the ε of each, and the ε of the final draw among the pivots (absent with fixed levels): half
   * the search budget goes to the steps, half to the final choice.
   */
  readonly steps?: number;
  readonly epsilonPerStep?: number;
  readonly epsilonFinalChoice?: number;
  /** Present on seeded runs: their randomness is predictable, so their output is for testing only. */
  readonly seed?: number;
  readonly note?: string;
}

export interface DpRelease {
  readonly levels: Int32Array;
  /** The sample's classes at `levels`, and which are suppressed (below k). */
  readonly sampleClasses: EquivalenceClasses;
  readonly sampleSuppressed: Uint8Array;
  /** The records the sampling dropped, grouped at `levels` (all suppressed). */
  readonly droppedClasses: EquivalenceClasses;
  /** suppressedRows[r] = 1 for every input row dropped by the sampling or in a suppressed class of the sample. */
  readonly suppressedRows: Uint8Array;
  readonly report: DifferentialPrivacyReport;
  readonly nodesChecked: number;
  readonly checkedPerHeight: readonly number[];
}

export interface DpReleaseSetup {
  readonly input: EncodedTable;
  readonly qiColumns: readonly number[];
  readonly sensitiveColumns: readonly number[];
  readonly hierarchies: readonly CompiledHierarchy[];
  readonly quasiIdentifiers: readonly string[];
  /** The per-class models: differential privacy's k, and k-anonymity or highest risk if given (the largest k wins). */
  readonly evaluator: Omit<NodeEvaluatorSetup, 'suppressionBudget'>;
  readonly metric: MetricName;
  readonly cacheBytes: number;
  /** Past this much time the exponential mechanism's walk stops, and the release is refused (DP_SEARCH_TIME_LIMIT). */
  readonly timeLimitMs?: number;
}

/**
 * Samples, chooses and decides. Only the sample is ever grouped for a decision: the records left out influence
 * nothing but their own suppression, which is what the guarantee requires.
 */
export function releaseWithDifferentialPrivacy(spec: DifferentialPrivacySpec, setup: DpReleaseSetup): DpRelease {
  const { input, qiColumns, sensitiveColumns, hierarchies } = setup;
  const dpModel = setup.evaluator.models.find((model) => model.spec.type === 'differential-privacy')!;
  const { k: dpK, beta } = dpModel.derived as { k: number; beta: number };
  const k = setup.evaluator.minClassSize;
  const random = spec.seed === undefined ? cryptoRandom() : seededRandom(spec.seed);

  const keep = bernoulliAtMost(random, beta);
  const sampled = new Uint8Array(input.rowCount);
  for (let r = 0; r < input.rowCount; r++) sampled[r] = keep() ? 1 : 0;
  const sample = selectRows(input, sampled);
  const domains = levelDomainSizes(hierarchies);
  const histogram = collapseTuples(sample.table, qiColumns, sensitiveColumns, domains);
  // Every class below k is suppressed, whatever their records add up to: the budget is the whole sample.
  const evaluator: NodeEvaluatorSetup = { ...setup.evaluator, suppressionBudget: sample.table.rowCount };
  const grouper = new NodeGrouper(histogram, hierarchies, setup.cacheBytes, false);

  let levels: Int32Array;
  let nodesChecked = 1;
  let checkedPerHeight: number[];
  let steps: number | undefined;
  let epsilonPerStep: number | undefined;
  let epsilonFinalChoice: number | undefined;
  const maxLevels = hierarchies.map((hierarchy) => hierarchy.maxLevel);
  if (spec.levels !== undefined) {
    levels = Int32Array.from(setup.quasiIdentifiers, (name, j) => {
      const level = spec.levels![name];
      if (level > maxLevels[j]) throw usageError('DP_LEVEL_OUT_OF_RANGE', `differential privacy: the level ${level} of "${name}" is above its hierarchy's top level ${maxLevels[j]}`);
      return level;
    });
    checkedPerHeight = new Array<number>(maxLevels.reduce((sum, level) => sum + level, 0) + 1).fill(0);
    checkedPerHeight[levels.reduce((sum, level) => sum + level, 0)] = 1;
  } else {
    steps = spec.steps ?? defaultDpSteps(hierarchies.length);
    // Half the budget over the steps, half for the final choice among the pivots (see safePubSearch): the walk needs
    // little per step, while a final draw with a tiny ε would release a nearly uniform pivot. Each share is the lower
    // end of its quotient's interval, so that the shares never sum above the budget.
    epsilonFinalChoice = nextDown(searchBudgetOf(spec) / 2);
    epsilonPerStep = nextDown(nextDown(searchBudgetOf(spec) / 2) / steps);
    const context = { rowCount: input.rowCount, k, hierarchies };
    const result = safePubSearch(
      {
        maxLevels,
        score: (at) => {
          const classes = grouper.classesAt(at);
          return dpScore(setup.metric, classes, decideNode(classes, evaluator).suppressed, context);
        },
      },
      steps,
      epsilonPerStep,
      epsilonFinalChoice,
      random,
      { timeLimitMs: setup.timeLimitMs },
    );
    // A walk cut by the clock takes as many steps as the data's timing allows: that number would depend on the data,
    // outside every mechanism, and the composition of the steps would no longer cover the release. Refuse instead.
    if (result.stoppedByTimeLimit) {
      throw new CloakError(
        'DP_SEARCH_TIME_LIMIT',
        `differential privacy: the exponential mechanism took ${result.steps} of its ${steps} steps within the time limit of ${setup.timeLimitMs} ms, and nothing was released: ` +
          'a walk stopped by the clock takes a number of steps that depends on the data, which the guarantee does not cover; raise --time-limit or lower --dp-steps',
        { exitCode: ExitCode.noSolution },
      );
    }
    levels = result.optimum;
    nodesChecked = result.nodesChecked;
    checkedPerHeight = result.checkedPerHeight;
  }

  const { classes: sampleClasses, tupleToClass } = grouper.classesWithTupleMap(levels);
  const sampleSuppressed = decideNode(sampleClasses, evaluator).suppressed;
  const suppressedRows = new Uint8Array(input.rowCount).fill(1);
  sample.rows.forEach((row, i) => (suppressedRows[row] = sampleSuppressed[tupleToClass[histogram.rowToTuple[i]]]));
  const dropped = selectRows(input, sampled.map((flag) => 1 - flag));
  const droppedClasses = classesAt(collapseTuples(dropped.table, qiColumns, sensitiveColumns, domains), hierarchies, levels);
  const seeded = random.seeded;
  return {
    levels,
    sampleClasses,
    sampleSuppressed,
    droppedClasses,
    suppressedRows,
    nodesChecked,
    checkedPerHeight,
    report: {
      epsilon: spec.epsilon,
      delta: spec.delta,
      epsilonAnon: epsilonAnon(spec),
      searchBudget: searchBudgetOf(spec),
      k: dpK,
      beta,
      sampledOut: dropped.table.rowCount,
      transformation: spec.levels === undefined ? 'search' : 'fixed',
      ...(steps === undefined ? {} : { steps, epsilonPerStep, epsilonFinalChoice }),
      ...(seeded ? { seed: spec.seed, note: 'seeded run: its randomness is predictable from the seed, so the output is for testing only, never for release' } : {}),
    },
  };
}

function classesAt(histogram: ReturnType<typeof collapseTuples>, hierarchies: readonly CompiledHierarchy[], levels: Int32Array): EquivalenceClasses {
  const maps = hierarchies.map((hierarchy, j) => (levels[j] === 0 ? null : hierarchy.levelMap(0, levels[j])));
  return regroup(histogram.tuples, maps, Int32Array.from(levels), histogram.packing).classes;
}

/** Two groupings at one node as one list of classes (keys may repeat across them), `b`'s after `a`'s. */
export function concatClasses(a: EquivalenceClasses, b: EquivalenceClasses): EquivalenceClasses {
  const width = a.width;
  const keys = new Int32Array((a.count + b.count) * width);
  keys.set(a.keys.subarray(0, a.count * width));
  keys.set(b.keys.subarray(0, b.count * width), a.count * width);
  const sizes = new Int32Array(a.count + b.count);
  sizes.set(a.sizes);
  sizes.set(b.sizes, a.count);
  const sensitive: SensitiveHistograms[] = a.sensitive.map((first, s) => {
    const second = b.sensitive[s];
    const offsets = new Int32Array(a.count + b.count + 1);
    offsets.set(first.offsets);
    const base = first.offsets[a.count];
    for (let c = 1; c <= b.count; c++) offsets[a.count + c] = base + second.offsets[c];
    const codes = new Int32Array(base + second.offsets[b.count]);
    codes.set(first.codes.subarray(0, base));
    codes.set(second.codes.subarray(0, second.offsets[b.count]), base);
    const counts = new Int32Array(codes.length);
    counts.set(first.counts.subarray(0, base));
    counts.set(second.counts.subarray(0, second.offsets[b.count]), base);
    return { offsets, codes, counts };
  });
  return { count: a.count + b.count, width, levels: a.levels, keys, sizes, sensitive };
}
