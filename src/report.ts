// The anonymization report: one JSON-serializable object, the single source of the JSON and human summaries.
// Every figure is a plain JSON number at full double precision.

import type { DifferentialPrivacyReport } from './dp-release.js';
import type { ModelSpec } from './options.js';
import type { EngineRunFacts } from './engines/engine.js';
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
  /** `global`: one level per quasi-identifier for every record; `local`: levels chosen per group of records. */
  readonly recoding: 'global' | 'local';
  /**
   * Generalization level per quasi-identifier, by name: the released transformation under global recoding; under
   * local recoding, the global optimum that the local recoding was compared with (see `local`).
   */
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
  /** The metric that was optimized: the policy's under global recoding, `granularity` (its loss) under local. */
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
  /**
   * Every metric of the search at the chosen transformation: under local recoding, at the global optimum it was
   * compared with. The release's own cell-level figures are in `quality`.
   */
  readonly metrics: Record<string, ReportedMetric>;
  /** Information loss of the released output, measured cell by cell (any recoding). */
  readonly quality: CellQuality;
  /** Present under local recoding: how the records were generalized. */
  readonly local?: LocalRecodingReport;
  /** Present with `explore`: the granularity loss each k of the list costs under the run's recoding. */
  readonly explore?: ExploreReport;
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
  /** The SQL engine the run pushed counting and applying down to (`--engine`); absent for the in-memory engine. */
  readonly engine?: EngineRunFacts;
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

/** A figure per quasi-identifier and its overall value. */
export interface AttributeFigures {
  readonly value: number;
  readonly perAttribute: Record<string, number>;
}

/** The released output's information loss, cell by cell, whatever recoding produced it. */
export interface CellQuality {
  /**
   * ARX's granularity loss (1 − its granularity quality): a cell's share is the hierarchy rows under its label over the
   * hierarchy's rows |D_j| (1 for `*`); with r_j the mean share and d_j = 1/|D_j|, (r̄ − d̄)/(1 − d̄) over the
   * quasi-identifiers, and per attribute (r_j − d_j)/(1 − d_j). 0 keeps every value, 1 releases only `*`.
   */
  readonly granularityLoss: AttributeFigures;
  /** Σ over cells of −log₂(records with the value / records with the released label), in bits; `*` covers all n. */
  readonly nonUniformEntropy: AttributeFigures;
  /** Σ |E|² over released classes, plus n per suppressed record. */
  readonly discernibility: number;
  /** n / (released classes + 1 if any record is suppressed). */
  readonly aecs: number;
  /** Released classes: records with equal strings in every quasi-identifier. */
  readonly classes: number;
  /** Records whose every quasi-identifier reads `*`: suppressed, or generalized to the top of every hierarchy. */
  readonly recordsSuppressed: number;
  /** Quasi-identifier cells that read `*`, suppressed records' included. */
  readonly cellsSuppressed: { readonly total: number; readonly perAttribute: Record<string, number> };
  /** Per quasi-identifier, the released (not suppressed) records at each level, levels without records left out. */
  readonly levels: Record<string, readonly { readonly level: number; readonly records: number }[]>;
}

/** How local recoding generalized the records. */
export interface LocalRecodingReport {
  /** The level vectors of the released records, most records first. */
  readonly levelVectors: readonly { readonly levels: Record<string, number>; readonly records: number; readonly classes: number }[];
  /** The granularity loss of the global optimum on the same input and policy; null when it has none. */
  readonly globalGranularityLoss: number | null;
  /** `local`, or `global` when the global optimum lost no more and was released instead. */
  readonly released: 'local' | 'global';
  /** Groupings of lattice nodes the local recoding made. */
  readonly nodeEvaluations: number;
  /** Records left over by the greedy and merged into a released class by generalizing it further. */
  readonly mergedRecords: number;
}

/** The trade-off curve: what each k costs. */
export interface ExploreReport {
  readonly recoding: 'global' | 'local';
  readonly points: readonly ExplorePoint[];
}

export interface ExplorePoint {
  readonly k: number;
  /** Null when no release satisfies the policy with this k. */
  readonly granularityLoss: number | null;
  readonly recordsSuppressed: number | null;
  readonly classes: number | null;
}
