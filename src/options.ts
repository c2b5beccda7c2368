// The shape of an anonymization job: attributes and roles, privacy models, suppression, metric, search.
// One JSON-friendly object used by the library API, the CLI and (later) policy files.

import type { TransformSpec } from './pseudonymize/transform-spec.js';
import type { PopulationModel } from './risk/population-uniqueness.js';
import type { AttributeType } from './table/encoded-table.js';

export type AttributeRole = 'identifying' | 'quasi-identifying' | 'sensitive' | 'insensitive';

/** A hierarchy source: a file path, ARX-style rows (`[value, level1, …, '*']`), or a builder spec. */
export type HierarchySource = string | readonly (readonly string[])[] | { readonly type: string; readonly [key: string]: unknown };

export interface AttributeOptions {
  readonly role: AttributeRole;
  readonly type?: AttributeType;
  /** Date format with the tokens YYYY, MM and DD, for `type: 'date'` (default `YYYY-MM-DD`). */
  readonly format?: string;
  /** Required for quasi-identifiers and for a sensitive attribute under hierarchical t-closeness. */
  readonly hierarchy?: HierarchySource;
  /** How an identifying attribute is released instead of `*`: keyed tokens, FF1, shifted dates, masking. */
  readonly transform?: TransformSpec;
}

/** Privacy models as a tagged union; `attribute` names a sensitive attribute. */
export type ModelSpec =
  | { readonly type: 'k-anonymity'; readonly k: number }
  | { readonly type: 'distinct-l-diversity'; readonly attribute: string; readonly l: number }
  | {
      readonly type: 'entropy-l-diversity';
      readonly attribute: string;
      readonly l: number;
      readonly estimator?: 'shannon' | 'grassberger';
    }
  | { readonly type: 'recursive-cl-diversity'; readonly attribute: string; readonly c: number; readonly l: number }
  | {
      readonly type: 't-closeness';
      readonly attribute: string;
      readonly t: number;
      readonly distance: 'equal' | 'ordered' | 'hierarchical';
    }
  | { readonly type: 'delta-disclosure'; readonly attribute: string; readonly delta: number }
  | { readonly type: 'beta-likeness'; readonly attribute: string; readonly beta: number; readonly enhanced?: boolean }
  /** Average prosecutor risk (released classes / released records) ≤ maxRisk: a criterion over the whole release. */
  | { readonly type: 'average-risk'; readonly maxRisk: number }
  /** Highest prosecutor risk 1/min|E| ≤ maxRisk: every released class holds at least ⌈1/maxRisk⌉ records. */
  | { readonly type: 'highest-risk'; readonly maxRisk: number }
  /** Share of released records in classes with risk 1/|E| strictly above `threshold` ≤ maxShare (whole release). */
  | { readonly type: 'records-at-risk'; readonly maxShare: number; readonly threshold: number }
  /** Estimated share of the population of `populationSize` unique on the quasi-identifiers ≤ maxUniqueness. */
  | {
      readonly type: 'population-uniqueness';
      readonly maxUniqueness: number;
      readonly populationSize: number;
      readonly model: PopulationModel;
    }
  /**
   * k-map: every released class stands for at least k people of the population. Without `estimator` the counts come
   * from `risk.populationTable` (its rows generalized like the data, summed per class); with one, they are estimated
   * from the sample as ARX does: a class size k′ derived from k, n/`populationSize` and `significance` (default 0.01).
   */
  | {
      readonly type: 'k-map';
      readonly k: number;
      readonly estimator?: 'poisson' | 'zero-truncated-poisson';
      readonly populationSize?: number;
      readonly significance?: number;
    }
  /**
   * δ-presence: the data is the population and a research subset of it is released; in every class,
   * deltaMin ≤ subset records / population records ≤ deltaMax. The subset is a boolean column of the data
   * (`subsetColumn`: true/false, 1/0, yes/no) or a second table of the subset's rows (`subsetFile`: a CSV path or
   * records), each matched to one identical data row.
   */
  | {
      readonly type: 'delta-presence';
      readonly deltaMin: number;
      readonly deltaMax: number;
      readonly subsetColumn?: string;
      readonly subsetFile?: SubsetSource;
    }
  /**
   * (ε, δ)-differential privacy by SafePub: records sampled with probability β, then k-anonymized with every class
   * below k suppressed (β and k derived from ε_anon and δ). The transformation is fixed by `levels` (one per
   * quasi-identifier; ε_anon = ε) or chosen by the exponential mechanism over `steps` steps spending `searchBudget`
   * (default 0.1; ε_anon = ε − searchBudget). `seed` makes a run reproducible: for tests only.
   */
  | {
      readonly type: 'differential-privacy';
      readonly epsilon: number;
      readonly delta: number;
      readonly levels?: Readonly<Record<string, number>>;
      readonly searchBudget?: number;
      readonly steps?: number;
      readonly seed?: number;
    };

/** The research subset's rows for δ-presence: a CSV path, or records (all columns of the data, as strings). */
export type SubsetSource = string | readonly Readonly<Record<string, string | number>>[];

/** Where population counts per quasi-identifier combination come from: a CSV path, or records with a `count` field. */
export type PopulationTableSource = string | readonly Readonly<Record<string, string | number>>[];

/** The re-identification risk figures of the report (`cloak risk`, the `risk` section of `cloak anonymize`). */
export interface RiskReportOptions {
  /** Records whose prosecutor risk is strictly above this are "at risk"; in [0, 1], default 0.2. */
  readonly threshold?: number;
  /**
   * N, or a preset (USA, UK, Germany, France, Canada, EU): enables the population-uniqueness estimates. Without it, a
   * `populationTable` implies N: the sum of its counts.
   */
  readonly population?: number | string;
  /** The model repeated as `populationUniqueness.estimate`; default Dankar's rule. */
  readonly populationModel?: PopulationModel;
  /** Population counts of the quasi-identifier combinations: enable the journalist and marketer population risks. */
  readonly populationTable?: PopulationTableSource;
}

export type MetricName =
  | 'loss'
  | 'precision'
  | 'precision-monotonic'
  | 'discernibility'
  | 'discernibility-monotonic'
  | 'aecs'
  | 'entropy'
  | 'entropy-monotonic'
  | 'height';

export interface MetricOptions {
  readonly name: MetricName;
  /** Generalization/suppression factor in [0, 1]; default 0.5. */
  readonly gsFactor?: number;
  readonly aggregate?: 'sum' | 'max' | 'arithmetic' | 'geometric';
  /** Per-attribute weights, normalized by the largest. */
  readonly weights?: Readonly<Record<string, number>>;
}

export interface SearchOptions {
  readonly strategy?: 'optimal' | 'exhaustive';
  /** Lattices with more nodes are refused (usage error). Default: none (the time limit bounds the search). */
  readonly maxNodes?: number;
  /** Memory bound of the roll-up cache in MiB. */
  readonly cacheMb?: number;
  /**
   * The search returns its best transformation, with a proven lower bound on the optimum, once this many milliseconds
   * have passed (default 60,000); it is optimal whenever it finishes sooner.
   */
  readonly timeLimitMs?: number;
}

/** The trade-off curve: the run's recoding repeated for each k of the list (see `AnonymizationReport.explore`). */
export interface ExploreOptions {
  /** The k values; default 2, 3, 5, 10, 20, 50, 100 (those not above the number of records). */
  readonly k?: readonly number[];
}

export interface AnonymizeOptions {
  /** Every column not listed is insensitive and kept unchanged. */
  readonly attributes: Readonly<Record<string, AttributeOptions>>;
  readonly models: readonly ModelSpec[];
  /** Share of records that may be suppressed, in [0, 1]; default 0. */
  readonly suppressionLimit?: number;
  readonly metric?: MetricName | MetricOptions;
  readonly search?: SearchOptions;
  /** CSV delimiter; detected when absent. */
  readonly delimiter?: string;
  /** Directory where hierarchy files named after attributes are looked up. */
  readonly hierarchiesDir?: string;
  /** Allow original quasi-identifier values in messages and reports. */
  readonly showValues?: boolean;
  /** Options of the report's risk section (input and output figures side by side). */
  readonly risk?: RiskReportOptions;
  /**
   * `global` (default): one generalization level per quasi-identifier for every record (full-domain). `local`: levels
   * chosen per group of records, released when it loses no more granularity than the global optimum.
   */
  readonly recoding?: 'global' | 'local';
  /** Report the granularity loss each k of a list costs (the k-anonymity model's k replaced, or one added). */
  readonly explore?: ExploreOptions;
}
