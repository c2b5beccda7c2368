// `plan`: the search alone, saved as a plan (see plan-format.ts) — levels with full value → label maps, the models
// and only the distributions they read, the suppression rule and the hashes — to anonymize new data without searching.

import { anonymizeEncoded } from '../anonymize.js';
import { readTableInput, searchDone, type AnonymizeInput } from '../api.js';
import { SUPPRESSED_VALUE } from '../groupify/apply-node.js';
import { compileHierarchy } from '../hierarchy/compile.js';
import { checkWritableTarget, writeChunk, writeFileAtomic } from '../io/atomic-file.js';
import { readArrowTable, tableFormatOf, type TableFormat } from '../io/arrow-ipc.js';
import { resolveHierarchy } from '../hierarchy/resolve.js';
import type { AnonymizeOptions } from '../options.js';
import { cloakVersion, policySha256 } from '../policy/policy-hash.js';
import { parsePolicy } from '../policy/parse-policy.js';
import type { PseudonymizationKeys } from '../pseudonymize/keys.js';
import { prepareTransforms } from '../pseudonymize/prepare-transforms.js';
import { usageError } from '../errors.js';
import { columnIndex, type EncodedColumn } from '../table/encoded-table.js';
import { resolveRoles } from '../validate-options.js';
import { PLAN_FORMAT_VERSION, planContentSha256, readsDistribution, unplannableReason, type Plan, type PlanPseudonymized, type PlanQuasiIdentifier, type PlanSensitive } from './plan-format.js';
import type { ProgressCallback } from './progress.js';

/**
 * Searches the optimal transformation of `input` under `policy` and returns it as a plan, without writing output.
 * `policy` is validated like a policy file (every problem with its JSON path).
 * @throws CloakError as `anonymize` does (`NO_SOLUTION` when no transformation satisfies the models).
 */
export async function plan(input: AnonymizeInput, policy: AnonymizeOptions, run: { readonly onProgress?: ProgressCallback; readonly keys?: PseudonymizationKeys } = {}): Promise<Plan> {
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
  // The keys are loaded before the data is read; the plan keeps their fingerprints, never the keys.
  const transforms = await prepareTransforms(options.attributes, run.keys);
  const { table, file, lineOfRow } = await readTableInput(input, options.delimiter);
  run.onProgress?.({ phase: 'read', done: table.rowCount, total: table.rowCount });
  const { report } = await anonymizeEncoded(table, options, { file, lineOfRow }, { transforms, onProgress: run.onProgress });
  run.onProgress?.(searchDone(report));
  const roles = resolveRoles(options);
  const column = (name: string): EncodedColumn => table.columns[columnIndex(table, name)];

  const quasiIdentifiers: PlanQuasiIdentifier[] = [];
  for (const name of roles.quasiIdentifiers) {
    const data = { file, lineOfRow, showValues: options.showValues };
    const resolved = await resolveHierarchy(name, options.attributes[name].hierarchy, options.hierarchiesDir, column(name), data);
    const compiled = compileHierarchy(column(name), resolved, { dataFile: file, dataLineOfRow: lineOfRow, showValues: options.showValues });
    const level = report.transformation[name];
    const maxLevel = compiled.maxLevel;
    // A rule labels values the planning data lacked (a later batch's new ages); a list only the values it lists.
    if (resolved.rule !== undefined) {
      quasiIdentifiers.push({ name, level, maxLevel, rule: resolved.rule });
      continue;
    }
    const map = new Map<string, string>();
    for (const row of resolved.rows) if (!map.has(row[0])) map.set(row[0], row[level]);
    quasiIdentifiers.push({ name, level, maxLevel, map: [...map] });
  }

  // Only what applying needs: a distribution for the models that compare with one, a hierarchy for hierarchical t.
  const distribution = new Set(options.models.flatMap((model) => (readsDistribution(model) ? [model.attribute] : [])));
  const hierarchical = new Set(options.models.flatMap((model) => (model.type === 't-closeness' && model.distance === 'hierarchical' ? [model.attribute] : [])));
  const sensitive: PlanSensitive[] = [];
  for (const name of roles.sensitive) {
    const { type = 'string', format } = options.attributes[name];
    const attribute: PlanSensitive = { name, type, ...(type === 'date' && format !== undefined ? { format } : {}) };
    if (!distribution.has(name)) {
      sensitive.push(attribute);
      continue;
    }
    const { codes, dictionary } = column(name);
    const counts = new Array<number>(dictionary.length).fill(0);
    for (let r = 0; r < codes.length; r++) counts[codes[r]]++;
    const hierarchy = hierarchical.has(name) ? (await resolveHierarchy(name, options.attributes[name].hierarchy, options.hierarchiesDir, column(name), { file, lineOfRow, showValues: options.showValues })).rows : undefined;
    sensitive.push({ ...attribute, counts: dictionary.map((value, code) => [value, counts[code]] as const).filter(([, records]) => records > 0), ...(hierarchy === undefined ? {} : { hierarchy }) });
  }

  const pseudonymized: PlanPseudonymized[] = report.pseudonymized.map(({ attribute, transform, keyFingerprint }) => {
    const spec = options.attributes[attribute].transform;
    const own = spec === undefined || spec.method === 'mask' ? {} : { ...(spec.keyFile === undefined ? {} : { keyFile: spec.keyFile }), ...(spec.keyEnv === undefined ? {} : { keyEnv: spec.keyEnv }) };
    return { attribute, transform, ...(keyFingerprint === undefined ? {} : { keyFingerprint }), ...own };
  });
  const content = {
    format: 'cloak-plan',
    formatVersion: PLAN_FORMAT_VERSION,
    cloakVersion: cloakVersion(),
    policySha256: policySha256(options),
    columns: table.columns.map((c) => c.name),
    quasiIdentifiers,
    identifying: roles.identifying,
    // Absent rather than empty: a plan without pseudonymization stays what it was before the field existed.
    ...(pseudonymized.length === 0 ? {} : { pseudonymized }),
    sensitive,
    models: options.models,
    rows: table.rowCount,
    suppressionLimit: options.suppressionLimit ?? 0,
    suppressedValue: SUPPRESSED_VALUE,
  } as const;
  return { ...content, planSha256: planContentSha256(content) };
}

export interface PlanToFileRequest {
  /** CSV or Arrow IPC file, or `-` for stdin (CSV). */
  readonly input: string;
  /** Where the plan's JSON goes (written atomically), or `-` for stdout. */
  readonly output: string;
  readonly policy: AnonymizeOptions;
  /** Default from the input's extension, otherwise CSV. */
  readonly inputFormat?: TableFormat;
  readonly onProgress?: ProgressCallback;
  /** Keys of the policy's keyed transforms (their fingerprints go into the plan). */
  readonly keys?: PseudonymizationKeys;
}

/** `plan` from a file to a plan file: the CLI's `cloak plan`. Nothing is written when planning fails. */
export async function planToFile(request: PlanToFileRequest): Promise<Plan> {
  if (request.output !== '-') await checkWritableTarget(request.output, 'output');
  const format = request.input === '-' ? 'csv' : tableFormatOf(request.input, request.inputFormat);
  const input = format === 'csv' ? request.input : await readArrowTable(request.input);
  const saved = await plan(input, request.policy, { onProgress: request.onProgress, keys: request.keys });
  const text = JSON.stringify(saved, null, 2) + '\n';
  if (request.output === '-') await writeChunk(process.stdout, text);
  else await writeFileAtomic(request.output, text);
  return saved;
}
