// The shape of an anonymization job: attributes and roles, privacy models, suppression, metric, search.
// One JSON-friendly object used by the library API, the CLI and (later) policy files.

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
  | { readonly type: 'beta-likeness'; readonly attribute: string; readonly beta: number; readonly enhanced?: boolean };

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
  /** Lattices with more nodes are refused (usage error). Default 100,000. */
  readonly maxNodes?: number;
  /** Memory bound of the roll-up cache in MiB. */
  readonly cacheMb?: number;
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
}
