// The anonymization report: one JSON-serializable object, the single source of the JSON and human summaries.
// Every figure is a plain JSON number at full double precision.

import type { DifferentialPrivacyReport } from './dp-release.js';
import type { ModelSpec } from './options.js';
import type { PseudonymizedAttribute } from './pseudonymize/pseudonymize-table.js';
import type { AnonymizationRisk } from './risk/anonymization-risk.js';

export interface ModelMargin {
  readonly model: string;
  readonly spec: ModelSpec;
  /**
   * The worst value of the model's measure over the released classes (smallest l, largest t…), or for a criterion
   * over the whole release (average risk, records at risk, population uniqueness) its figure; null if none.
   */
  readonly worst: number | null;
  /** Figures the model derived: an estimated k-map's `k` (k′), `typeOneError` and `significance`; differential privacy's `k` and `beta`. */
  readonly derived?: Readonly<Record<string, number>>;
}

export interface ReportedMetric {
  readonly value: number;
  readonly perAttribute: number[] | undefined;
}

/** How many released and suppressed equivalence classes have one size. */
export interface ClassSizeCount {
  readonly size: number;
  readonly released: number;
  readonly suppressed: number;
}

/** Where the search stood at one moment: the best score found so far and the proven lower bound on the optimum. */
export interface SearchProgressPoint {
  /** Since the search started. */
  readonly ms: number;
  readonly nodesChecked: number;
  /** The best score found so far; null while none. */
  readonly score: number | null;
  readonly lowerBound: number;
}

/** Lattice nodes at one height (sum of levels) and what the search did with them. */
export interface LatticeHeight {
  readonly height: number;
  readonly nodes: number;
  readonly checked: number;
  readonly prunedByTags: number;
  readonly prunedByBounds: number;
}

export interface AnonymizationReport {
  /** Generalization level per quasi-identifier, by name. */
  readonly transformation: Record<string, number>;
  /** Records suppressed by the search's decision. */
  readonly suppressed: number;
  /**
   * Of those, the records (and classes) suppressed for criteria over the whole release (average risk, records at
   * risk, population uniqueness): released classes suppressed further, smallest first, until the limits held.
   */
  readonly suppressedForRiskLimits: { readonly records: number; readonly classes: number };
  /** Released (unsuppressed) equivalence classes. */
  readonly classes: number;
  readonly suppressedClasses: number;
  /** Smallest released class (0 when every record is suppressed). */
  readonly minClassSize: number;
  /** Classes by size, ascending sizes, one entry per size that occurs. */
  readonly classSizeDistribution: readonly ClassSizeCount[];
  /**
   * Per quasi-identifier, the labels of the released records at the chosen level with their record counts, most
   * frequent first (at most `RELEASED_LABELS_SHOWN`). An attribute left at level 0 would list original values:
   * its labels are withheld (`withheld: true`) unless values may be shown.
   */
  readonly releasedLabels: Record<string, ReleasedLabels>;
  /** The metric that was optimized. */
  readonly metric: { readonly name: string; readonly value: number };
  /** Whether the transformation is proven optimal: the search finished within its time limit. */
  readonly optimal: boolean;
  /**
   * A proven lower bound on the optimal value of the metric: `metric.value` itself when optimal. Null where nothing is
   * optimized (differential privacy chooses its transformation at random).
   */
  readonly lowerBound: number | null;
  /** (metric.value − lowerBound) / metric.value: how far above the optimum's the value can be, at most; 0 when optimal. */
  readonly gap: number | null;
  /** Every metric at the chosen transformation. */
  readonly metrics: Record<string, ReportedMetric>;
  readonly models: readonly ModelMargin[];
  /** Re-identification risks of the input and of the released output (suppressed records left out). */
  readonly risk: AnonymizationRisk;
  readonly latticeSize: number;
  readonly lattice: {
    /** The top level of each quasi-identifier's hierarchy, by name. */
    readonly maxLevels: Record<string, number>;
    /** Bottom (height 0) to top: nodes, and how many were checked or pruned. */
    readonly perHeight: readonly LatticeHeight[];
    /** Height of the chosen transformation. */
    readonly optimumHeight: number;
  };
  readonly nodesChecked: number;
  readonly search: {
    readonly strategy: string;
    readonly nodesPrunedByTags: number;
    readonly nodesPrunedByBounds: number;
    readonly rollUps: number;
    readonly groupedFromHistogram: number;
    readonly distinctTuples: number;
    readonly anonymityMonotone: boolean;
    readonly timeLimitMs: number;
    /** Why the search ended: it completed (proving optimality), or its time limit or memory budget ran out. */
    readonly stoppedBy: 'completed' | 'time-limit' | 'memory';
    /** How the search held the nodes it reached: an array over the whole lattice (dense) or a hash map (sparse). */
    readonly nodeMemory: 'dense' | 'sparse';
    /** The best score and the lower bound over time, for plotting. */
    readonly progress: readonly SearchProgressPoint[];
  };
  readonly rows: number;
  readonly suppressionBudget: number;
  /** The identifying attributes released as tokens, ciphertexts, shifted dates or masks (the others are `*`). */
  readonly pseudonymized: readonly PseudonymizedAttribute[];
  readonly timingsMs: { read: number; pseudonymize: number; search: number; verify: number; write: number; total: number };
  readonly verified: boolean;
  /** The `version` of the Cloak package that produced the output. */
  readonly cloakVersion: string;
  /** SHA-256 (hex) of the RFC 8785 canonical JSON of the effective policy (after CLI overrides; `$schema` left out). */
  readonly policySha256: string;
  /** δ-presence: the population's records (the input) and the research subset's (the release's `rows`). */
  readonly deltaPresence?: { readonly populationRecords: number; readonly subsetRecords: number };
  /** (ε, δ)-differential privacy: its parameters, the derived k and β, and the records the sampling dropped. */
  readonly differentialPrivacy?: DifferentialPrivacyReport;
  /** Cells `--safe-csv` prefixed with `'` (header included); absent when the option is off. */
  readonly safeCsvCellsChanged?: number;
}

/** How many labels per quasi-identifier the report lists. */
export const RELEASED_LABELS_SHOWN = 50;

export interface ReleasedLabels {
  readonly level: number;
  readonly withheld: boolean;
  readonly labels: readonly { readonly label: string; readonly count: number }[];
  /** Distinct labels not listed (beyond `RELEASED_LABELS_SHOWN`, or all when withheld). */
  readonly omittedLabels: number;
}
