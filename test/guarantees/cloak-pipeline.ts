// The guarantee suite's harness: Cloak's own `anonymize` as a cloak/testing pipeline, run budgets and dataset tweaks.
// Derives the per-row suppression decision the public API does not return, exactly, from the report and the output.

import fc from 'fast-check';
import { anonymize, CloakError, type AnonymizationReport, type AnonymizeOptions } from '../../src/index.js';
import { DEFAULT_SUPPRESSED_TOKEN, type Dataset, type OutputWithSuppression } from '../../src/testing/index.js';

/** Runs per property by default; `CLOAK_FC_RUNS` overrides it (`npm run test:long` sets 100 × this). */
export const DEFAULT_RUNS = 40;

/** Runs per property: `CLOAK_FC_RUNS`, or the default. A property may scale it (cheap ones run more). */
export function runs(scale = 1): number {
  const configured = Number(process.env.CLOAK_FC_RUNS ?? DEFAULT_RUNS);
  if (!Number.isInteger(configured) || configured < 1) throw new Error('CLOAK_FC_RUNS must be a positive integer');
  return Math.max(1, Math.round(configured * scale));
}

/** Seed of every property: fixed, so CI replays the same datasets; `CLOAK_FC_SEED` explores others. */
export const SEED = Number(process.env.CLOAK_FC_SEED ?? 20_251_010);

/** A test timeout that grows with the run count (about 40 ms per run is ample, measured at 2–10 ms per dataset). */
export function timeoutFor(runCount: number): number {
  return Math.max(60_000, runCount * 40);
}

/** What happened to the datasets a property saw, so that a suite can refuse to pass vacuously. */
export interface Outcomes {
  solved: number;
  /** Solutions below the top node: the top (one class, q = p) satisfies every distribution model trivially. */
  belowTop: number;
  noSolution: number;
}

export function newOutcomes(): Outcomes {
  return { solved: 0, belowTop: 0, noSolution: 0 };
}

function quasiIdentifiers(policy: AnonymizeOptions): string[] {
  return Object.entries(policy.attributes)
    .filter(([, attribute]) => attribute.role === 'quasi-identifying')
    .map(([name]) => name);
}

/**
 * Which rows the engine suppressed, from what `anonymize` returns. The kit's hierarchies put `*` only at their top
 * level (inner labels are `L<level>.<group>`, values are digits), so:
 * - below the top node, some quasi-identifier is below its top and never reads `*` unless its row was suppressed:
 *   the rows whose every quasi-identifier is `*` are exactly the suppressed ones (the kit's `'infer'`);
 * - at the top node, every row reads `*` everywhere and forms one class, suppressed whole or not at all, so
 *   `report.suppressed` is 0 or n and says which.
 * Returns the decision at the top node, undefined (infer from `*`) below it; the pipeline cross-checks both against
 * `report.suppressed`, and a mismatch is an engine bug that fails the property.
 */
export function suppressionDecision(dataset: Dataset, report: AnonymizationReport, rowCount: number): boolean[] | undefined {
  const qi = quasiIdentifiers(dataset.policy);
  const atTop = qi.every((name) => report.transformation[name] === dataset.hierarchies[name][0].length - 1);
  if (atTop) {
    // Differential privacy suppresses the records its sampling dropped, one by one: at the top, where every cell
    // reads `*`, they cannot be told from the sample's; the whole output counts as suppressed (k then holds vacuously).
    if (report.differentialPrivacy !== undefined) return Array.from({ length: rowCount }, () => true);
    if (report.suppressed !== 0 && report.suppressed !== rowCount) {
      throw new Error(`At the top node the report suppresses ${report.suppressed} of ${rowCount} records, not none or all.`);
    }
    return Array.from({ length: rowCount }, () => report.suppressed > 0);
  }
  return undefined;
}

/** Rows whose every quasi-identifier is the suppression token, counted on the output. */
function allTokenRows(output: Awaited<ReturnType<typeof anonymize>>['table'], qi: readonly string[]): number {
  const columns = qi.map((name) => output.getChild(name)!);
  let count = 0;
  for (let row = 0; row < output.numRows; row++) {
    if (columns.every((column) => column.get(row) === DEFAULT_SUPPRESSED_TOKEN)) count++;
  }
  return count;
}

/**
 * Cloak's public `anonymize` as a pipeline: records in, the Arrow output and the suppression decision out.
 * A policy no transformation can meet on the data (k > n, l above the distinct values) is refused up front as
 * `MODEL_IMPOSSIBLE`, exit 4 like "no solution", which the property tolerates.
 */
export function cloakPipeline(outcomes: Outcomes): (dataset: Dataset) => Promise<OutputWithSuppression> {
  return async (dataset) => {
    let result;
    try {
      result = await anonymize(dataset.table, dataset.policy);
    } catch (error) {
      if (error instanceof CloakError && (error.code === 'NO_SOLUTION' || error.code === 'MODEL_IMPOSSIBLE')) outcomes.noSolution++;
      throw error;
    }
    outcomes.solved++;
    const { table, report } = result;
    const suppressedRows = suppressionDecision(dataset, report, table.numRows);
    if (suppressedRows === undefined) {
      outcomes.belowTop++;
      const inferred = allTokenRows(table, quasiIdentifiers(dataset.policy));
      if (inferred !== report.suppressed) {
        throw new Error(`The output has ${inferred} fully suppressed rows but the report counts ${report.suppressed}.`);
      }
    }
    return { output: table, suppressedRows };
  };
}

/** Adds a `row` column holding each record's index (insensitive), so the generalization check pins the row order. */
export function withRowNumbers(dataset: Dataset): Dataset {
  return {
    table: dataset.table.map((record, index) => ({ ...record, row: String(index) })),
    hierarchies: dataset.hierarchies,
    policy: { ...dataset.policy, attributes: { ...dataset.policy.attributes, row: { role: 'insensitive' } } },
  };
}

/** Replaces every model's parameters through `edit` (e.g. to pin β-likeness to basic or enhanced). */
export function mapModels(dataset: Dataset, edit: (model: AnonymizeOptions['models'][number]) => AnonymizeOptions['models'][number]): Dataset {
  return { ...dataset, policy: { ...dataset.policy, models: dataset.policy.models.map(edit) } };
}

/** Gives every sensitive attribute `type` (for ordered t-closeness, whose value order follows the declared type). */
export function withSensitiveType(dataset: Dataset, type: 'string' | 'integer'): Dataset {
  const attributes = Object.fromEntries(
    Object.entries(dataset.policy.attributes).map(([name, attribute]) => [name, attribute.role === 'sensitive' ? { ...attribute, type } : attribute]),
  );
  return { ...dataset, policy: { ...dataset.policy, attributes } };
}

/**
 * Drops the `*` column of every sensitive attribute's hierarchy that has a level below it, leaving several top labels,
 * which the engine joins under a virtual root (hierarchical t-closeness) and the kit must measure the same way.
 */
export function withSeveralTops(dataset: Dataset): Dataset {
  const hierarchies = { ...dataset.hierarchies };
  const attributes = { ...dataset.policy.attributes };
  for (const [name, attribute] of Object.entries(attributes)) {
    const rows = hierarchies[name];
    if (attribute.role !== 'sensitive' || rows === undefined || rows[0].length < 3) continue;
    hierarchies[name] = rows.map((row) => row.slice(0, -1));
    attributes[name] = { ...attribute, hierarchy: hierarchies[name] };
  }
  return { ...dataset, hierarchies, policy: { ...dataset.policy, attributes } };
}

/** An arbitrary that applies a deterministic tweak to every dataset (shrinking still acts on the underlying draw). */
export function tweaked(datasets: fc.Arbitrary<Dataset>, ...tweaks: ((dataset: Dataset) => Dataset)[]): fc.Arbitrary<Dataset> {
  return datasets.map((dataset) => tweaks.reduce((current, tweak) => tweak(current), dataset));
}
