// The plan format (version 2): its types, its content hash, and `parsePlan`, which refuses unknown versions and
// inconsistent or edited plans. A leaf module: whatever applies a plan imports this, never the search behind `plan()`.

import { createHash } from 'node:crypto';
import { CloakError, usageError } from '../errors.js';
import { compileRule, parseHierarchyRule, type HierarchyRule } from '../hierarchy/builders/rule.js';
import type { ModelSpec } from '../options.js';
import { canonicalJson } from '../policy/canonical-json.js';
import { validateModelSpecs } from '../models/validate-specs.js';
import { resolveAlphabet } from '../pseudonymize/alphabet.js';
import { KEYED_METHODS, transformProblems, type ResolvedTransform } from '../pseudonymize/transform-spec.js';
import type { AttributeType } from '../table/encoded-table.js';

/** The version this Cloak writes and reads; a plan of another version is refused. */
export const PLAN_FORMAT_VERSION = 2;

/**
 * One quasi-identifier of a plan: its level, and how values generalize — exactly one of `map` and `rule`.
 */
export interface PlanQuasiIdentifier {
  readonly name: string;
  readonly level: number;
  readonly maxLevel: number;
  /**
   * `[value, label at level]` for every value of a hierarchy given as rows (a file, inline rows, or a builder whose
   * labels depend on the whole planning data: frequency, group runs), not only the planning data's values.
   */
  readonly map?: readonly (readonly [string, string])[];
  /** A builder hierarchy kept as its rule (interval, mask, date, group mapping): labels any value it covers. */
  readonly rule?: HierarchyRule;
}

/**
 * One sensitive attribute. `counts` (the planning data's distribution, which t-closeness, δ-disclosure and
 * β-likeness compare with) is present only when such a model reads the attribute; l-diversity needs none of it.
 */
export interface PlanSensitive {
  readonly name: string;
  readonly type: AttributeType;
  /** Date format of a `date` attribute, when not ISO (orders values for ordered-distance t-closeness). */
  readonly format?: string;
  readonly counts?: readonly (readonly [string, number])[];
  /** Hierarchy rows, for hierarchical t-closeness. */
  readonly hierarchy?: readonly (readonly string[])[];
}

/**
 * An identifying attribute the plan releases transformed: the method with every parameter (its domain included),
 * and the fingerprint of the key it was planned with — never the key. Applying the plan with a key of another
 * fingerprint is an error.
 */
export interface PlanPseudonymized {
  readonly attribute: string;
  readonly transform: ResolvedTransform;
  /** Absent for `mask`, which has no key. */
  readonly keyFingerprint?: string;
  /** Where the policy said this attribute's own key is (a path or a variable name, not the key). */
  readonly keyFile?: string;
  readonly keyEnv?: string;
}

/** A saved transformation: serializable JSON (`JSON.stringify`), loaded back with `parsePlan`. */
export interface Plan {
  readonly format: 'cloak-plan';
  readonly formatVersion: typeof PLAN_FORMAT_VERSION;
  readonly cloakVersion: string;
  /** Hash of the policy the plan was searched for (see `policySha256`): traces the plan to its policy. */
  readonly policySha256: string;
  /** SHA-256 of the canonical JSON of every other field: `parsePlan` refuses a plan edited after it was made. */
  readonly planSha256: string;
  /** The planning data's columns, in order: data applied to the plan must have exactly these. */
  readonly columns: readonly string[];
  readonly quasiIdentifiers: readonly PlanQuasiIdentifier[];
  /**
   * Replaced by the suppressed value in every record, except those in `pseudonymized`, which are transformed. A
   * pseudonymized attribute is listed here too, so that a reader that does not know `pseudonymized` hides it
   * rather than releasing it.
   */
  readonly identifying: readonly string[];
  /** Present only when the policy pseudonymizes an attribute. */
  readonly pseudonymized?: readonly PlanPseudonymized[];
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
 * Why a model cannot be saved in a plan and applied to new data, or undefined when it can. Differential privacy rests
 * on a fresh sample of each input; δ-presence releases a subset measured against its whole population, which a plan
 * applied to one table record by record does not have; a counted k-map needs the population table's counts.
 */
export function unplannableReason(model: ModelSpec): string | undefined {
  switch (model.type) {
    case 'differential-privacy':
      return 'differential privacy cannot be planned: its guarantee rests on a fresh random sample of each input, which applying a saved transformation would skip; anonymize each release instead';
    case 'delta-presence':
      return 'δ-presence cannot be planned: it releases a research subset measured against its whole population, which a plan applied record by record does not see; anonymize each release instead';
    case 'k-map':
      return model.estimator === undefined
        ? 'k-map counted from a population table cannot be planned: the plan does not carry the population\'s counts; estimate it (estimator, populationSize) or anonymize each release'
        : undefined;
    default:
      return undefined;
  }
}

/** Models that compare a class with the planning data's distribution of their attribute. */
export function readsDistribution(model: ModelSpec): model is Extract<ModelSpec, { attribute: string }> {
  return model.type === 't-closeness' || model.type === 'delta-disclosure' || model.type === 'beta-likeness';
}

/** The plan's content hash: SHA-256 of the RFC 8785 canonical JSON of every field but `planSha256`. */
export function planContentSha256(plan: Omit<Plan, 'planSha256'> & { planSha256?: unknown }): string {
  const { planSha256: _ignored, ...content } = plan;
  return createHash('sha256').update(canonicalJson(content), 'utf8').digest('hex');
}

/**
 * Loads a plan from JSON text or a parsed value, checking that it is a plan of this version, consistent, and
 * unedited since it was made.
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
  const problems = planProblems(raw);
  if (problems.length > 0) {
    throw usageError('PLAN_INVALID', `${source}: ${problems.length === 1 ? problems[0] : `${problems.length} problems in the plan:\n  - ${problems.join('\n  - ')}`}`, { location: { file: source }, problems });
  }
  return raw as Plan;
}

function planProblems(raw: unknown): string[] {
  const plan = raw as Partial<Plan> & { formatVersion?: unknown };
  if (typeof raw !== 'object' || raw === null || plan.format !== 'cloak-plan') return ['$.format: not a Cloak plan ("cloak-plan")'];
  if (plan.formatVersion !== PLAN_FORMAT_VERSION) {
    const version = plan.formatVersion;
    if (typeof version === 'number' && Number.isInteger(version) && version >= 1 && version < PLAN_FORMAT_VERSION) {
      return [`$.formatVersion: plan format version ${version} was written by an older Cloak; this one reads version ${PLAN_FORMAT_VERSION}: plan again`];
    }
    if (typeof version === 'number' && Number.isInteger(version) && version > PLAN_FORMAT_VERSION) {
      return [`$.formatVersion: plan format version ${version} is newer than this Cloak reads (${PLAN_FORMAT_VERSION}): upgrade Cloak`];
    }
    return [`$.formatVersion: must be the plan format version (${PLAN_FORMAT_VERSION})`];
  }
  const problems: string[] = [];
  const columns = isStrings(plan.columns) ? plan.columns : undefined;
  if (columns === undefined) problems.push('$.columns: must be an array of column names');
  const inColumns = (name: string, where: string) => {
    if (columns !== undefined && !columns.includes(name)) problems.push(`${where}: "${name}" is not one of the plan's columns`);
  };
  if (!isStrings(plan.identifying)) problems.push('$.identifying: must be an array of column names');
  else plan.identifying.forEach((name, index) => inColumns(name, `$.identifying[${index}]`));
  if (plan.pseudonymized !== undefined) {
    if (!Array.isArray(plan.pseudonymized)) problems.push('$.pseudonymized: must be an array');
    else plan.pseudonymized.forEach((entry, index) => pseudonymizedProblems(entry, `$.pseudonymized[${index}]`, plan.identifying, problems, inColumns));
  }
  if (!(Number.isInteger(plan.rows) && plan.rows! > 0)) problems.push('$.rows: must be a positive integer');
  if (!(typeof plan.suppressionLimit === 'number' && plan.suppressionLimit >= 0 && plan.suppressionLimit <= 1)) problems.push('$.suppressionLimit: must be a number in [0, 1]');
  if (typeof plan.suppressedValue !== 'string') problems.push('$.suppressedValue: must be a string');
  if (typeof plan.policySha256 !== 'string' || !/^[0-9a-f]{64}$/.test(plan.policySha256)) problems.push('$.policySha256: must be a SHA-256 in lowercase hex');
  if (!Array.isArray(plan.quasiIdentifiers) || plan.quasiIdentifiers.length === 0) problems.push('$.quasiIdentifiers: must be a non-empty array');
  else plan.quasiIdentifiers.forEach((qi, index) => quasiIdentifierProblems(qi, `$.quasiIdentifiers[${index}]`, problems, inColumns));

  const sensitive = Array.isArray(plan.sensitive) ? plan.sensitive : undefined;
  if (sensitive === undefined) problems.push('$.sensitive: must be an array');
  else sensitive.forEach((attribute, index) => sensitiveProblems(attribute, `$.sensitive[${index}]`, plan.rows, problems, inColumns));
  if (!Array.isArray(plan.models)) problems.push('$.models: must be a non-empty array of model specs');
  else {
    const names = (sensitive ?? []).flatMap((attribute) => (typeof attribute?.name === 'string' ? [attribute.name] : []));
    for (const problem of validateModelSpecs(plan.models, names)) problems.push(`$.${problem}`);
    plan.models.forEach((model, index) => {
      const unplannable = typeof model === 'object' && model !== null ? unplannableReason(model) : undefined;
      if (unplannable !== undefined) problems.push(`$.models[${index}]: ${unplannable}`);
    });
    plan.models.forEach((model, index) => {
      if (typeof model !== 'object' || model === null || !readsDistribution(model)) return;
      const attribute = sensitive?.find((candidate) => candidate?.name === model.attribute);
      if (attribute !== undefined && !Array.isArray(attribute.counts)) problems.push(`$.models[${index}]: ${model.type} compares with the distribution of "${model.attribute}", which the plan lacks`);
      const hierarchical = model.type === 't-closeness' && model.distance === 'hierarchical';
      if (attribute !== undefined && hierarchical && !Array.isArray(attribute.hierarchy)) problems.push(`$.models[${index}]: hierarchical t-closeness needs the hierarchy of "${model.attribute}", which the plan lacks`);
    });
  }
  // Checked last: a plan that is malformed anyway gets its shape problems, not a hash mismatch on top.
  if (problems.length === 0 && plan.planSha256 !== planContentSha256(plan as Plan)) {
    problems.push('$.planSha256: the plan does not match its hash: it was edited after it was made (its models, levels or maps); plan again instead');
  }
  return problems;
}

function quasiIdentifierProblems(qi: unknown, where: string, problems: string[], inColumns: (name: string, where: string) => void): void {
  const { name, level, maxLevel, map, rule } = (typeof qi === 'object' && qi !== null ? qi : {}) as Partial<PlanQuasiIdentifier>;
  const mapIsPairs = Array.isArray(map) && map.every((pair: unknown) => isStrings(pair) && pair.length === 2);
  if (typeof name !== 'string' || (map === undefined) === (rule === undefined) || (map !== undefined && !mapIsPairs)) {
    problems.push(`${where}: must be { name, level, maxLevel, and either map: [[value, label], …] or rule: {…} }`);
    return;
  }
  inColumns(name, `${where}.name`);
  let height: number | undefined;
  if (rule !== undefined) {
    try {
      height = compileRule(parseHierarchyRule(rule, { path: `${where}.rule` })).labeler.height + 1;
    } catch (error) {
      if (!(error instanceof CloakError)) throw error;
      problems.push(...error.problems);
    }
  }
  if (!Number.isInteger(maxLevel) || maxLevel! < 0) problems.push(`${where}.maxLevel: must be an integer ≥ 0`);
  else if (!Number.isInteger(level) || level! < 0 || level! > maxLevel!) problems.push(`${where}.level: must be an integer from 0 to maxLevel (${maxLevel})`);
  else if (height !== undefined && height !== maxLevel) problems.push(`${where}.maxLevel: the rule's hierarchy has ${height} levels above the values, not ${maxLevel}`);
  const values = new Set<string>();
  for (const [value] of map ?? []) {
    if (values.has(value)) {
      problems.push(`${where}.map: a value is listed twice`);
      break;
    }
    values.add(value);
  }
}

function sensitiveProblems(attribute: unknown, where: string, rows: unknown, problems: string[], inColumns: (name: string, where: string) => void): void {
  const { name, counts, hierarchy } = (typeof attribute === 'object' && attribute !== null ? attribute : {}) as Partial<PlanSensitive>;
  if (typeof name !== 'string') {
    problems.push(`${where}: must be { name, type, counts?: [[value, count], …] }`);
    return;
  }
  inColumns(name, `${where}.name`);
  if (counts !== undefined && !(Array.isArray(counts) && counts.every((pair: unknown) => Array.isArray(pair) && typeof pair[0] === 'string' && Number.isInteger(pair[1]) && pair[1] > 0))) {
    problems.push(`${where}.counts: must be [[value, count], …] with positive integer counts`);
  }
  else if (counts !== undefined && Number.isInteger(rows) && counts.reduce((sum, [, records]) => sum + records, 0) !== rows) {
    problems.push(`${where}.counts: must sum to the plan's rows (${rows})`);
  }
  if (hierarchy !== undefined && !(Array.isArray(hierarchy) && hierarchy.every(isStrings))) problems.push(`${where}.hierarchy: must be rows of strings`);
}

function pseudonymizedProblems(entry: unknown, where: string, identifying: unknown, problems: string[], inColumns: (name: string, where: string) => void): void {
  const { attribute, transform, keyFingerprint } = (typeof entry === 'object' && entry !== null ? entry : {}) as Partial<PlanPseudonymized>;
  if (typeof attribute !== 'string' || typeof transform !== 'object' || transform === null) {
    problems.push(`${where}: must be { attribute, transform, keyFingerprint? }`);
    return;
  }
  inColumns(attribute, `${where}.attribute`);
  if (!isStrings(identifying) || !identifying.includes(attribute)) problems.push(`${where}.attribute: "${attribute}" must be listed in $.identifying too`);
  // The resolved form back as a transform spec, checked as a policy's would be.
  const { radix, format, ...spec } = transform as ResolvedTransform & { radix?: unknown; format?: unknown };
  const fields: Record<string, unknown> = spec.method === 'ff1' ? { method: 'ff1', alphabet: spec.alphabet, tweak: spec.tweak, other: spec.other } : spec;
  problems.push(...transformProblems(fields, `${where}.transform`, typeof format === 'string' ? format : undefined));
  if (spec.method === 'ff1' && typeof spec.alphabet === 'string') {
    const alphabet = resolveAlphabet(spec.alphabet);
    if (!('problem' in alphabet) && radix !== alphabet.radix) problems.push(`${where}.transform.radix: must be the alphabet's size (${alphabet.radix})`);
  }
  if (spec.method === 'shift-dates' && typeof spec.subject === 'string') inColumns(spec.subject, `${where}.transform.subject`);
  const keyed = KEYED_METHODS.includes(spec.method);
  if (keyed && !(typeof keyFingerprint === 'string' && /^[0-9a-f]{32}$/.test(keyFingerprint))) problems.push(`${where}.keyFingerprint: must be the key's fingerprint (32 lowercase hex digits)`);
  if (!keyed && keyFingerprint !== undefined) problems.push(`${where}.keyFingerprint: ${spec.method} has no key`);
}

function isStrings(value: unknown): value is string[] {
  return Array.isArray(value) && value.every((item) => typeof item === 'string');
}
