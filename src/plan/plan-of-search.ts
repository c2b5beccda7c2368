// The plan of a search's result: levels with the value → label map or rule of every quasi-identifier, the models, the
// distributions they compare with and the hashes. Shared by `plan()` and the SQL engines; it runs no search itself.

import type { InputSource } from '../anonymize.js';
import { SUPPRESSED_VALUE } from '../groupify/apply-node.js';
import { compileHierarchy } from '../hierarchy/compile.js';
import { resolveHierarchy } from '../hierarchy/resolve.js';
import type { AnonymizeOptions } from '../options.js';
import { cloakVersion, policySha256 } from '../policy/policy-hash.js';
import { columnIndex, recordCount, type EncodedColumn, type EncodedTable } from '../table/encoded-table.js';
import { resolveRoles } from '../validate-options.js';
import type { AnonymizationReport } from '../report.js';
import { PLAN_FORMAT_VERSION, planContentSha256, readsDistribution, type Plan, type PlanPseudonymized, type PlanQuasiIdentifier, type PlanSensitive } from './plan-format.js';

/**
 * The plan of a search's result: `table` is the data searched (rows, or an engine's aggregated table with weights,
 * whose columns are every column of the source), `options` the parsed policy, `transformation` the chosen levels.
 */
export async function planOfSearch(table: EncodedTable, options: AnonymizeOptions, report: Pick<AnonymizationReport, 'transformation' | 'pseudonymized'>, source: InputSource): Promise<Plan> {
  const { transformation } = report;
  const { file } = source;
  const lineOfRow = table.weights === undefined ? source.lineOfRow : null;
  const roles = resolveRoles(options);
  const column = (name: string): EncodedColumn => table.columns[columnIndex(table, name)];

  const quasiIdentifiers: PlanQuasiIdentifier[] = [];
  for (const name of roles.quasiIdentifiers) {
    const data = { file, lineOfRow, weights: table.weights, showValues: options.showValues };
    const resolved = await resolveHierarchy(name, options.attributes[name].hierarchy, options.hierarchiesDir, column(name), data);
    const compiled = compileHierarchy(column(name), resolved, { dataFile: file, dataLineOfRow: lineOfRow, dataWeights: table.weights, showValues: options.showValues });
    const level = transformation[name];
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
    for (let r = 0; r < table.rowCount; r++) counts[codes[r]] += table.weights?.[r] ?? 1;
    const data = { file, lineOfRow, weights: table.weights, showValues: options.showValues };
    const hierarchy = hierarchical.has(name) ? (await resolveHierarchy(name, options.attributes[name].hierarchy, options.hierarchiesDir, column(name), data)).rows : undefined;
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
    rows: recordCount(table),
    suppressionLimit: options.suppressionLimit ?? 0,
    suppressedValue: SUPPRESSED_VALUE,
  } as const;
  return { ...content, planSha256: planContentSha256(content) };
}
