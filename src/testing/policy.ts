// The whole-policy checker of cloak/testing: an output against its original under an `AnonymizeOptions` policy.
// Combines generalization, suppression budget and every privacy model of the policy; the engine's pre-write verifier.

import type { AnonymizeOptions, ModelSpec } from '../options.js';
import { buildClassContext, type ClassContext, type SuppressedRows } from './classes.js';
import { deltaDisclosureVerdict, betaLikenessVerdict } from './disclosure.js';
import { throwIfFailed } from './errors.js';
import { generalizesVerdict } from './generalizes.js';
import type { HierarchyRows } from './hierarchy-rows.js';
import { kAnonymityVerdict } from './k-anonymity.js';
import { lDiversityVerdict } from './l-diversity.js';
import { sensitiveDistribution, type SensitiveDistribution } from './reference.js';
import { suppressionVerdict } from './suppression.js';
import { tClosenessVerdict } from './t-closeness.js';
import { openTable, type TableInput, type TableReader } from './table-input.js';
import type { Failure, ReportOptions, Verdict } from './verdict.js';

/** Options of {@link checkPolicy}. */
export interface PolicyCheckOptions extends ReportOptions {
  /**
   * Hierarchy rows per attribute; they take precedence over rows given inline in the policy. Needed for every
   * quasi-identifier (and a hierarchically t-close sensitive attribute) whose policy hierarchy is a file or a builder.
   */
  readonly hierarchies?: Readonly<Record<string, HierarchyRows>>;
  /** Explicit value orders for ordered t-closeness, per sensitive attribute. */
  readonly orders?: Readonly<Record<string, readonly string[]>>;
  /** Token of a suppressed cell; default `*`. */
  readonly suppressedToken?: string;
  /** Which output rows are suppressed; default `'infer'`. The engine should pass its own decision (see `SuppressedRows`). */
  readonly suppressedRows?: SuppressedRows;
}

/** A policy verdict: `verdicts` holds one verdict per part, `failures` gathers theirs (each names its `check`). */
export type PolicyVerdict = Verdict & { readonly verdicts: readonly Verdict[] };

/**
 * Checks an output against its original under a policy: the output generalizes the original (identifying columns
 * exempt), keeps its rows, suppresses within `suppressionLimit` (default 0), and satisfies every model of `policy.models`
 * with the original (all rows) as the reference distribution. `showValues` defaults to the policy's.
 * Models are skipped when the output lacks a quasi-identifier or their attribute; the generalization part fails then.
 */
export function checkPolicy(original: TableInput, output: TableInput, policy: AnonymizeOptions, options: PolicyCheckOptions = {}): PolicyVerdict {
  const before = openTable(original, 'original table');
  const after = openTable(output, 'output table');
  const roles = Object.entries(policy.attributes);
  const qi = roles.filter(([, attribute]) => attribute.role === 'quasi-identifying').map(([name]) => name);
  const identifying = roles.filter(([, attribute]) => attribute.role === 'identifying').map(([name]) => name);
  const hierarchyOf = (name: string): HierarchyRows | undefined => {
    const inline = policy.attributes[name]?.hierarchy;
    return options.hierarchies?.[name] ?? (Array.isArray(inline) ? (inline as HierarchyRows) : undefined);
  };
  const hierarchies: Record<string, HierarchyRows> = {};
  for (const name of qi) {
    const rows = hierarchyOf(name);
    if (rows !== undefined) hierarchies[name] = rows;
  }
  const shared = {
    qi,
    suppressedToken: options.suppressedToken,
    suppressedRows: options.suppressedRows,
    showValues: options.showValues ?? policy.showValues ?? false,
    maxFailures: options.maxFailures,
  };
  const suppression = suppressionVerdict(before, after, { ...shared, limit: policy.suppressionLimit ?? 0 });
  const verdicts: Verdict[] = [generalizesVerdict(before, after, { ...shared, hierarchies, ignoreColumns: identifying }), suppression];
  let context: ClassContext | undefined;
  if (qi.every((name) => after.hasColumn(name))) {
    context = buildClassContext(after, shared);
    const distributions = new Map<string, SensitiveDistribution>();
    for (const model of policy.models) {
      if ('attribute' in model && !after.hasColumn(model.attribute)) continue;
      verdicts.push(modelVerdict(model, context, before, after, distributions, hierarchyOf, options.orders));
    }
  }
  const failed = verdicts.filter((verdict) => !verdict.ok);
  const stats = {
    rowCount: after.rowCount,
    ...(context === undefined ? {} : { classCount: context.partition.classCount, suppressedCount: context.partition.suppressedCount }),
    allowedSuppressed: suppression.stats.allowedSuppressed,
  };
  if (failed.length === 0) return { ok: true, check: 'policy', stats, verdicts };
  const failures: Failure[] = failed.flatMap((verdict) => (verdict.ok ? [] : verdict.failures));
  const failureCount = failed.reduce((sum, verdict) => sum + (verdict.ok ? 0 : verdict.failureCount), 0);
  return { ok: false, check: 'policy', stats, verdicts, failures, failureCount };
}

/** Throws an `AnonymizationAssertionError` unless {@link checkPolicy} passes. */
export function assertPolicy(original: TableInput, output: TableInput, policy: AnonymizeOptions, options: PolicyCheckOptions = {}): void {
  throwIfFailed(checkPolicy(original, output, policy, options));
}

function modelVerdict(
  model: ModelSpec,
  context: ClassContext,
  original: TableReader,
  output: TableReader,
  distributions: Map<string, SensitiveDistribution>,
  hierarchyOf: (name: string) => HierarchyRows | undefined,
  orders: Readonly<Record<string, readonly string[]>> | undefined,
): Verdict {
  const distribution = (name: string): SensitiveDistribution => {
    let found = distributions.get(name);
    if (found === undefined) distributions.set(name, (found = sensitiveDistribution(output, original, name)));
    return found;
  };
  switch (model.type) {
    case 'k-anonymity':
      return kAnonymityVerdict(context, model.k);
    case 'distinct-l-diversity':
      return lDiversityVerdict(context, { sensitive: model.attribute, l: model.l, variant: 'distinct' });
    case 'entropy-l-diversity':
      return lDiversityVerdict(context, { sensitive: model.attribute, l: model.l, variant: 'entropy', estimator: model.estimator });
    case 'recursive-cl-diversity':
      return lDiversityVerdict(context, { sensitive: model.attribute, l: model.l, c: model.c, variant: 'recursive' });
    case 't-closeness':
      return tClosenessVerdict(context, distribution(model.attribute), {
        sensitive: model.attribute,
        t: model.t,
        distance: model.distance,
        hierarchy: hierarchyOf(model.attribute),
        order: orders?.[model.attribute],
      });
    case 'delta-disclosure':
      return deltaDisclosureVerdict(context, distribution(model.attribute), { sensitive: model.attribute, delta: model.delta });
    case 'beta-likeness':
      return betaLikenessVerdict(context, distribution(model.attribute), {
        sensitive: model.attribute,
        beta: model.beta,
        enhanced: model.enhanced,
      });
  }
}
