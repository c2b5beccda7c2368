// `plan`: the search alone, saved as a plan (see plan-format.ts) — levels with full value → label maps, the models
// and only the distributions they read, the suppression rule and the hashes — to anonymize new data without searching.

import { anonymizeEncoded } from '../anonymize.js';
import { readTableInput, type AnonymizeInput } from '../api.js';
import type { EngineOptions } from '../engines/engine.js';
import { usageError } from '../errors.js';
import { checkWritableTarget, writeChunk, writeFileAtomic } from '../io/atomic-file.js';
import { readArrowTable, tableFormatOf, type TableFormat } from '../io/arrow-ipc.js';
import type { AnonymizeOptions } from '../options.js';
import { parsePolicy } from '../policy/parse-policy.js';
import type { PseudonymizationKeys } from '../pseudonymize/keys.js';
import { prepareTransforms } from '../pseudonymize/prepare-transforms.js';
import { resolveRoles } from '../validate-options.js';
import { unplannableReason, type Plan } from './plan-format.js';
import { planOfSearch } from './plan-of-search.js';
import { searchDone, type ProgressCallback } from './progress.js';

/**
 * Searches the optimal transformation of `input` under `policy` and returns it as a plan, without writing output.
 * `policy` is validated like a policy file (every problem with its JSON path). `input` may name what an SQL engine
 * reads (`{ engine, source }`): only its histogram comes into this process.
 * @throws CloakError as `anonymize` does (`NO_SOLUTION` when no transformation satisfies the models).
 */
export async function plan(input: AnonymizeInput | EngineSource, policy: AnonymizeOptions, run: { readonly onProgress?: ProgressCallback; readonly keys?: PseudonymizationKeys } = {}): Promise<Plan> {
  const parsed = parsePolicy(policy);
  if (parsed.recoding === 'local') {
    throw usageError(
      'PLAN_LOCAL_RECODING',
      'a plan saves one generalization level per quasi-identifier; local recoding chooses levels per group of the planning records, which a plan does not carry: plan with recoding "global", or anonymize each batch with recoding "local"',
      { location: { path: 'recoding' } },
    );
  }
  // The trade-off curve is a report's, not a plan's: planning does not spend a search per k on it.
  const { explore: _explore, ...options } = parsed;
  const refused = options.models.flatMap((model) => unplannableReason(model) ?? []);
  if (refused.length > 0) throw usageError('PLAN_MODEL_UNSUPPORTED', [...new Set(refused)].join('; '));
  if (resolveRoles(options).quasiIdentifiers.length === 0) {
    throw usageError('PLAN_WITHOUT_QUASI_IDENTIFIERS', 'a plan saves a generalization of quasi-identifiers, and the policy has none; to pseudonymize alone, run cloak anonymize on each batch (the same key gives the same tokens)');
  }
  if (isEngineSource(input)) {
    const { planOnEngine } = await import('../engines/pipeline.js');
    const { source, engine, inputFormat, delimiter } = input;
    return (await planOnEngine({ engine, source, inputFormat, delimiter: delimiter ?? options.delimiter, options, onProgress: run.onProgress })).plan;
  }
  // The keys are loaded before the data is read; the plan keeps their fingerprints, never the keys.
  const transforms = await prepareTransforms(options.attributes, run.keys);
  const { table, file, lineOfRow } = await readTableInput(input, options.delimiter);
  run.onProgress?.({ phase: 'read', done: table.rowCount, total: table.rowCount });
  const { report } = await anonymizeEncoded(table, options, { file, lineOfRow }, { transforms, onProgress: run.onProgress });
  run.onProgress?.(searchDone(report));
  return planOfSearch(table, options, report, { file, lineOfRow });
}

/** Data an SQL engine reads for `plan`: its histogram is all that comes into this process. */
export interface EngineSource {
  readonly engine: EngineOptions;
  /** A file (CSV, Parquet), `duckdb:FILE#table`, or `clickhouse://host:port/db.table`. */
  readonly source: string;
  readonly inputFormat?: 'csv' | 'parquet';
  readonly delimiter?: string;
}

function isEngineSource(input: AnonymizeInput | EngineSource): input is EngineSource {
  return typeof input === 'object' && input !== null && !Array.isArray(input) && 'engine' in input && 'source' in input;
}

export interface PlanToFileRequest {
  /** CSV, Arrow IPC or Parquet file, or `-` for stdin (CSV); with an engine, what it reads (see `EngineSource`). */
  readonly input: string;
  /** Where the plan's JSON goes (written atomically), or `-` for stdout. */
  readonly output: string;
  readonly policy: AnonymizeOptions;
  /** Default from the input's extension, otherwise CSV. */
  readonly inputFormat?: TableFormat;
  readonly onProgress?: ProgressCallback;
  /** Keys of the policy's keyed transforms (their fingerprints go into the plan). */
  readonly keys?: PseudonymizationKeys;
  /** Count on an SQL engine instead of in this process. */
  readonly engine?: EngineOptions;
}

/** `plan` from a file to a plan file: the CLI's `cloak plan`. Nothing is written when planning fails. */
export async function planToFile(request: PlanToFileRequest): Promise<Plan> {
  if (request.output !== '-') await checkWritableTarget(request.output, 'output');
  const format = request.input === '-' ? 'csv' : tableFormatOf(request.input, request.inputFormat);
  let input: AnonymizeInput | EngineSource;
  if (request.engine !== undefined) {
    if (format === 'arrow' || format === 'arrows') throw usageError('INVALID_REQUEST', 'an engine reads CSV and Parquet, not Arrow IPC');
    if (request.keys !== undefined) throw usageError('INVALID_REQUEST', 'keys: pseudonymizing transforms are not available with an engine');
    input = { engine: request.engine, source: request.input, inputFormat: format };
  } else input = format === 'arrow' || format === 'arrows' ? await readArrowTable(request.input) : request.input;
  const saved = await plan(input, request.policy, { onProgress: request.onProgress, keys: request.keys });
  const text = JSON.stringify(saved, null, 2) + '\n';
  if (request.output === '-') await writeChunk(process.stdout, text);
  else await writeFileAtomic(request.output, text);
  return saved;
}
