// The ready-made property of cloak/testing: any anonymization pipeline must turn a dataset into a valid output.
// Validity is judged by the independent policy checker; "no solution" failures are tolerated when allowed.

import fc from 'fast-check';
import { ExitCode } from '../errors.js';
import type { Dataset } from './arbitrary-policy.js';
import type { SuppressedRows } from './classes.js';
import { assertPolicy } from './policy.js';
import type { TableInput } from './table-input.js';

/**
 * What a pipeline returns: the output table, or the output together with its own per-row suppression decision
 * (needed when a solution generalizes every quasi-identifier to `*`, see `SuppressedRows`).
 */
export type PipelineResult = TableInput | OutputWithSuppression;

/** An output with the pipeline's own suppression decision, one entry per row. */
export interface OutputWithSuppression {
  readonly output: TableInput;
  readonly suppressedRows?: SuppressedRows;
}

/** The code under test: anonymizes `dataset.table` under `dataset.policy`. */
export type AnonymizationPipeline = (dataset: Dataset) => PipelineResult | Promise<PipelineResult>;

/** Options of {@link propertyAnonymizes}. */
export interface PropertyAnonymizesOptions {
  /** Where datasets come from, typically `arbitraryDataset(…)`. */
  readonly dataset: fc.Arbitrary<Dataset>;
  readonly numRuns?: number;
  readonly seed?: number;
  /**
   * Accept a pipeline that throws "no solution" — an error with `exitCode === 4` or `code === 'NO_SOLUTION'` — since many
   * generated policies cannot be met. Default true; any other error fails the property.
   */
  readonly allowNoSolution?: boolean;
  /** Let failure messages quote values (generated data, so usually harmless); default false. */
  readonly showValues?: boolean;
}

/** A property with its run parameters: `await fc.assert(property, parameters)`, or simply `await check()`. */
export interface AnonymizationProperty {
  readonly property: fc.IAsyncPropertyWithHooks<[Dataset]>;
  readonly parameters: fc.Parameters<[Dataset]>;
  /** Runs `fc.assert(property, parameters)`, rejecting with fast-check's report of the shrunk counterexample. */
  check(): Promise<void>;
}

/**
 * The property "the pipeline anonymizes": for every generated dataset, the pipeline's output keeps the input's rows,
 * generalizes it along the hierarchies, suppresses within the policy's limit and satisfies every model of the policy
 * (checked by `checkPolicy`, with the input as reference). Returns the property and its parameters (`numRuns`, `seed`)
 * rather than a bare property so that both travel together to `fc.assert`.
 */
export function propertyAnonymizes(pipeline: AnonymizationPipeline, options: PropertyAnonymizesOptions): AnonymizationProperty {
  const allowNoSolution = options.allowNoSolution ?? true;
  const property = fc.asyncProperty(options.dataset, async (dataset) => {
    let result: PipelineResult;
    try {
      result = await pipeline(dataset);
    } catch (error) {
      if (allowNoSolution && isNoSolution(error)) return;
      throw error;
    }
    const output = isWrappedResult(result) ? result.output : result;
    assertPolicy(dataset.table, output, dataset.policy, {
      hierarchies: dataset.hierarchies,
      suppressedRows: isWrappedResult(result) ? result.suppressedRows : undefined,
      showValues: options.showValues ?? false,
    });
  });
  const parameters: fc.Parameters<[Dataset]> = {
    ...(options.numRuns === undefined ? {} : { numRuns: options.numRuns }),
    ...(options.seed === undefined ? {} : { seed: options.seed }),
  };
  return { property, parameters, check: () => fc.assert(property, parameters) };
}

function isNoSolution(error: unknown): boolean {
  if (typeof error !== 'object' || error === null) return false;
  const { exitCode, code } = error as { exitCode?: unknown; code?: unknown };
  return exitCode === ExitCode.noSolution || code === 'NO_SOLUTION';
}

function isWrappedResult(result: PipelineResult): result is OutputWithSuppression {
  return typeof result === 'object' && result !== null && !Array.isArray(result) && 'output' in result;
}
