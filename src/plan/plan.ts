// `plan`: the search alone, saved as JSON — levels with full value → label maps, models and the distributions they
// read, the suppression rule and the policy hash — so that new data can be anonymized later without searching.

import { anonymizeEncoded } from '../anonymize.js';
import { readTableInput, type AnonymizeInput } from '../api.js';
import { usageError } from '../errors.js';
import { SUPPRESSED_VALUE } from '../groupify/apply-node.js';
import { compileHierarchy } from '../hierarchy/compile.js';
import { resolveHierarchy } from '../hierarchy/resolve.js';
import type { AnonymizeOptions, ModelSpec } from '../options.js';
import { cloakVersion, policySha256 } from '../policy/policy-hash.js';
import { parsePolicy } from '../policy/parse-policy.js';
import { columnIndex, type AttributeType, type EncodedColumn } from '../table/encoded-table.js';
import { resolveRoles } from '../validate-options.js';
import type { ProgressCallback } from './progress.js';

/** One quasi-identifier of a plan: its level and the generalization of every value its hierarchy knows. */
export interface PlanQuasiIdentifier {
  readonly name: string;
  readonly level: number;
  readonly maxLevel: number;
  /** `[value, label at level]` for every value of the hierarchy (not only those of the planning data). */
  readonly map: readonly (readonly [string, string])[];
}

/** One sensitive attribute: its values with their planning-data counts (the distribution p the models compare to). */
export interface PlanSensitive {
  readonly name: string;
  readonly type: AttributeType;
  readonly counts: readonly (readonly [string, number])[];
  /** Hierarchy rows, for hierarchical t-closeness. */
  readonly hierarchy?: readonly (readonly string[])[];
}

/** A saved transformation: serializable JSON (`JSON.stringify`), loaded back with `parsePlan`. */
export interface Plan {
  readonly format: 'cloak-plan';
  readonly formatVersion: 1;
  readonly cloakVersion: string;
  /** Hash of the policy the plan was searched for (see `policySha256`). */
  readonly policySha256: string;
  /** The planning data's columns, in order: data applied to the plan must have exactly these. */
  readonly columns: readonly string[];
  readonly quasiIdentifiers: readonly PlanQuasiIdentifier[];
  /** Replaced by the suppressed value in every record. */
  readonly identifying: readonly string[];
  readonly sensitive: readonly PlanSensitive[];
  /** Every model of the policy, re-checked on the data the plan is applied to. */
  readonly models: readonly ModelSpec[];
  /** Records of the planning data (the denominator of the sensitive distributions). */
  readonly rows: number;
  /** Share of the applied data's records that may be suppressed. */
  readonly suppressionLimit: number;
  readonly suppressedValue: string;
}

/**
 * Searches the optimal transformation of `input` under `policy` and returns it as a plan, without writing output.
 * `policy` is validated like a policy file (every problem with its JSON path).
 * @throws CloakError as `anonymize` does (`NO_SOLUTION` when no transformation satisfies the models).
 */
export async function plan(input: AnonymizeInput, policy: AnonymizeOptions, run: { readonly onProgress?: ProgressCallback } = {}): Promise<Plan> {
  const options = parsePolicy(policy);
  const { table, file, lineOfRow } = await readTableInput(input, options.delimiter);
  run.onProgress?.({ phase: 'read', done: table.rowCount, total: table.rowCount });
  const { report } = await anonymizeEncoded(table, options, { file, lineOfRow });
  run.onProgress?.({ phase: 'search', done: report.nodesChecked, total: report.latticeSize });
  const roles = resolveRoles(options);
  const column = (name: string): EncodedColumn => table.columns[columnIndex(table, name)];

  const quasiIdentifiers: PlanQuasiIdentifier[] = [];
  for (const name of roles.quasiIdentifiers) {
    const rows = await resolveHierarchy(name, options.attributes[name].hierarchy, options.hierarchiesDir, column(name));
    const compiled = compileHierarchy(column(name), rows, { dataFile: file, dataLineOfRow: lineOfRow, showValues: options.showValues });
    const level = report.transformation[name];
    const map = new Map<string, string>();
    for (const row of rows.rows) if (!map.has(row[0])) map.set(row[0], row[level]);
    quasiIdentifiers.push({ name, level, maxLevel: compiled.maxLevel, map: [...map] });
  }

  const hierarchical = new Set(options.models.flatMap((model) => (model.type === 't-closeness' && model.distance === 'hierarchical' ? [model.attribute] : [])));
  const sensitive: PlanSensitive[] = [];
  for (const name of roles.sensitive) {
    const { codes, dictionary } = column(name);
    const counts = new Array<number>(dictionary.length).fill(0);
    for (let r = 0; r < codes.length; r++) counts[codes[r]]++;
    const hierarchy = hierarchical.has(name) ? (await resolveHierarchy(name, options.attributes[name].hierarchy, options.hierarchiesDir, column(name))).rows : undefined;
    sensitive.push({ name, type: options.attributes[name].type ?? 'string', counts: dictionary.map((value, code) => [value, counts[code]] as const), ...(hierarchy === undefined ? {} : { hierarchy }) });
  }

  return {
    format: 'cloak-plan',
    formatVersion: 1,
    cloakVersion: cloakVersion(),
    policySha256: policySha256(options),
    columns: table.columns.map((c) => c.name),
    quasiIdentifiers,
    identifying: roles.identifying,
    sensitive,
    models: options.models,
    rows: table.rowCount,
    suppressionLimit: options.suppressionLimit ?? 0,
    suppressedValue: SUPPRESSED_VALUE,
  };
}

/**
 * Loads a plan from JSON text or a parsed value, checking the fields applying it relies on.
 * @throws CloakError `PLAN_INVALID` (exit 2) listing every problem.
 */
export function parsePlan(json: string | unknown, source = 'plan'): Plan {
  let raw: unknown = json;
  if (typeof json === 'string') {
    try {
      raw = JSON.parse(json);
    } catch (cause) {
      throw usageError('PLAN_INVALID', `${source}: not valid JSON`, { location: { file: source }, cause });
    }
  }
  const problems: string[] = [];
  const plan = raw as Partial<Plan>;
  if (typeof raw !== 'object' || raw === null || plan.format !== 'cloak-plan') problems.push('$.format: not a Cloak plan ("cloak-plan")');
  else {
    if (plan.formatVersion !== 1) problems.push('$.formatVersion: unsupported plan format version (expected 1)');
    if (!isStrings(plan.columns)) problems.push('$.columns: must be an array of column names');
    if (!isStrings(plan.identifying)) problems.push('$.identifying: must be an array of column names');
    if (!Array.isArray(plan.models) || plan.models.length === 0) problems.push('$.models: must be a non-empty array of model specs');
    if (!(Number.isInteger(plan.rows) && plan.rows! > 0)) problems.push('$.rows: must be a positive integer');
    if (!(typeof plan.suppressionLimit === 'number' && plan.suppressionLimit >= 0 && plan.suppressionLimit <= 1)) problems.push('$.suppressionLimit: must be a number in [0, 1]');
    if (typeof plan.suppressedValue !== 'string') problems.push('$.suppressedValue: must be a string');
    if (!Array.isArray(plan.quasiIdentifiers) || plan.quasiIdentifiers.length === 0) problems.push('$.quasiIdentifiers: must be a non-empty array');
    else
      plan.quasiIdentifiers.forEach((qi, index) => {
        if (typeof qi?.name !== 'string' || !Number.isInteger(qi.level) || !Array.isArray(qi.map) || !qi.map.every((pair: unknown) => isStrings(pair) && pair.length === 2)) {
          problems.push(`$.quasiIdentifiers[${index}]: must be { name, level, maxLevel, map: [[value, label], …] }`);
        }
      });
    if (!Array.isArray(plan.sensitive)) problems.push('$.sensitive: must be an array');
    else
      plan.sensitive.forEach((attribute, index) => {
        if (typeof attribute?.name !== 'string' || !Array.isArray(attribute.counts) || !attribute.counts.every((pair: unknown) => Array.isArray(pair) && typeof pair[0] === 'string' && Number.isInteger(pair[1]))) {
          problems.push(`$.sensitive[${index}]: must be { name, type, counts: [[value, count], …] }`);
        }
      });
  }
  if (problems.length > 0) {
    throw usageError('PLAN_INVALID', `${source}: ${problems.length === 1 ? problems[0] : `${problems.length} problems in the plan:\n  - ${problems.join('\n  - ')}`}`, { location: { file: source }, problems });
  }
  return raw as Plan;
}

function isStrings(value: unknown): value is string[] {
  return Array.isArray(value) && value.every((item) => typeof item === 'string');
}
