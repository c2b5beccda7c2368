// The independent re-check of a plan's release: generalized rows re-aggregated by their strings (not the applier's
// codes), then cloak/testing's checkers run on those classes before anything is published.

import { CloakError, ExitCode } from '../errors.js';
import type { AttributeOptions } from '../options.js';
import type { ColumnarTable } from '../testing/table-input.js';
import { openTable } from '../testing/table-input.js';
import { modelsVerdict } from '../testing/policy.js';
import { suppressionVerdict } from '../testing/suppression.js';
import type { Verdict } from '../testing/verdict.js';
import type { PlanDecision } from './applier.js';
import type { Plan } from './plan-format.js';

/** A tuple seen under two classes of the applier, or a class seen as two tuples. */
const INCONSISTENT = -1;

/**
 * The released tuples of quasi-identifier labels with their record counts and sensitive values, counted from the
 * generalized rows themselves. Memory grows with tuples × sensitive values, never with rows.
 */
export class ReleaseTally {
  private readonly qiColumns: number[];
  private readonly sensitiveColumns: number[];
  private readonly tupleOf = new Map<string, number>();
  private readonly labels: string[][] = [];
  private readonly sizes: number[] = [];
  /** The applier's class of each tuple: the link to its decision, and a consistency check of its grouping. */
  private readonly classOfTuple: number[] = [];
  private readonly tupleOfClass: number[] = [];
  /** Per sensitive attribute, per tuple: value → records. */
  private readonly sensitive: Map<string, number>[][];
  private records = 0;

  constructor(
    private readonly plan: Plan,
    header: readonly string[],
  ) {
    this.qiColumns = plan.quasiIdentifiers.map((qi) => header.indexOf(qi.name));
    this.sensitiveColumns = plan.sensitive.map((attribute) => header.indexOf(attribute.name));
    this.sensitive = plan.sensitive.map(() => []);
  }

  /**
   * Counts a generalized row (before any suppression) that the applier put into class `cls`. Rows are grouped by
   * their label strings: a class's first row opens its tuple (two classes with the same labels are an
   * inconsistency), every further row of the class must carry exactly those labels — the same grouping as hashing
   * every row's labels, at the cost of comparing strings the applier interned.
   */
  add(row: readonly string[], cls: number): void {
    let tuple: number | undefined = this.tupleOfClass[cls];
    if (tuple === undefined) {
      const labels = this.qiColumns.map((column) => row[column]);
      const key = labels.join('\u0000');
      tuple = this.tupleOf.get(key);
      if (tuple !== undefined) this.classOfTuple[tuple] = INCONSISTENT;
      else {
        tuple = this.labels.length;
        this.tupleOf.set(key, tuple);
        this.labels.push(labels);
        this.sizes.push(0);
        this.classOfTuple.push(cls);
        this.sensitive.forEach((perTuple) => perTuple.push(new Map()));
      }
      this.tupleOfClass[cls] = tuple;
    } else {
      const labels = this.labels[tuple];
      for (let j = 0; j < labels.length; j++) if (row[this.qiColumns[j]] !== labels[j]) this.classOfTuple[tuple] = INCONSISTENT;
    }
    this.sizes[tuple]++;
    this.records++;
    for (let s = 0; s < this.sensitiveColumns.length; s++) {
      const counts = this.sensitive[s][tuple];
      const value = row[this.sensitiveColumns[s]];
      counts.set(value, (counts.get(value) ?? 0) + 1);
    }
  }

  /**
   * Re-checks the release the decision describes: the classes it keeps satisfy every model of the plan and the
   * suppressed records fit the budget, by cloak/testing's checkers over the tallied tuples.
   * @throws CloakError `VERIFICATION_FAILED` (exit 5) naming the first failed check.
   */
  verify(decision: PlanDecision, source: string): void {
    const classes = this.classOfTuple;
    const seen = new Set(classes);
    if (this.records !== decision.rows || classes.includes(INCONSISTENT) || seen.size !== classes.length || seen.size !== decision.classes) {
      throw verificationFailed(source, "the release's classes differ from the ones the plan checked");
    }
    const suppressed = Uint8Array.from(classes, (cls) => decision.suppressed[cls]);
    verifyReleasedTuples(this.plan, { labels: this.labels, sizes: this.sizes, suppressed, sensitive: this.sensitive }, source);
  }
}

/** A release summarized as its distinct quasi-identifier tuples, counted from the released strings themselves. */
export interface ReleasedTuples {
  /** labels[t][j]: the label of the plan's quasi-identifier j in tuple t. */
  readonly labels: readonly (readonly string[])[];
  /** Records per tuple. */
  readonly sizes: ArrayLike<number>;
  /** suppressed[t] = 1 when the records of tuple t are suppressed. */
  readonly suppressed: Uint8Array;
  /** Per sensitive attribute of the plan (in its order), per tuple: value → records. */
  readonly sensitive: readonly (readonly ReadonlyMap<string, number>[])[];
}

/**
 * The independent check of a release before it is published (shared by the in-process applier and the SQL engines):
 * the tuples it keeps satisfy every model of the plan, and the suppressed records fit the plan's budget, by
 * cloak/testing's checkers over the tuples as aggregated tables.
 * @throws CloakError `VERIFICATION_FAILED` (exit 5) naming the first failed check.
 */
export function verifyReleasedTuples(plan: Plan, tuples: ReleasedTuples, source: string): void {
  const { labels, sizes, suppressed } = tuples;
  const qi = plan.quasiIdentifiers.map((attribute) => attribute.name);
  const qiColumns = Object.fromEntries(qi.map((name, j) => [name, labels.map((tuple) => tuple[j])]));
  const table: ColumnarTable = { rowCount: labels.length, columns: qiColumns, weights: sizes };
  const verdicts: Verdict[] = [suppressionVerdict(openTable(table, 'original'), openTable(table, 'release'), { qi, limit: plan.suppressionLimit, suppressedRows: suppressed })];

  const attributes: Record<string, AttributeOptions> = Object.fromEntries(qi.map((name) => [name, { role: 'quasi-identifying' }]));
  const free = plan.models.filter((model) => !('attribute' in model));
  if (free.length > 0) verdicts.push(modelsVerdict(openTable(table, 'release'), openTable(table, 'release'), { attributes, models: free }, { suppressedRows: suppressed }));
  plan.sensitive.forEach((planned, s) => {
    const models = plan.models.filter((model) => 'attribute' in model && model.attribute === planned.name);
    if (models.length === 0) return;
    const entries = tuples.sensitive[s].flatMap((counts, tuple) => [...counts].map(([value, records]) => ({ tuple, value, records })));
    const values: ColumnarTable = {
      rowCount: entries.length,
      columns: { ...Object.fromEntries(qi.map((name, j) => [name, entries.map(({ tuple }) => labels[tuple][j])])), [planned.name]: entries.map(({ value }) => value) },
      weights: entries.map(({ records }) => records),
    };
    const release = openTable(values, 'release');
    const reference = planned.counts === undefined ? release : openTable({ rowCount: planned.counts.length, columns: { [planned.name]: planned.counts.map(([value]) => value) }, weights: planned.counts.map(([, records]) => records) }, 'plan distribution');
    const policy = { attributes: { ...attributes, [planned.name]: { role: 'sensitive' as const, type: planned.type, format: planned.format } }, models };
    const hierarchies = planned.hierarchy === undefined ? undefined : { [planned.name]: planned.hierarchy };
    verdicts.push(modelsVerdict(release, reference, policy, { suppressedRows: Uint8Array.from(entries, ({ tuple }) => suppressed[tuple]), hierarchies }));
  });
  const failed = verdicts.find((verdict) => !verdict.ok);
  if (failed !== undefined && !failed.ok) throw verificationFailed(source, `${failed.failures[0]?.check ?? failed.check}: ${failed.failureCount} failure${failed.failureCount === 1 ? '' : 's'}`);
}

/** The error of a release whose independent check failed (exit 5). */
export function verificationFailed(source: string, what: string): CloakError {
  return new CloakError('VERIFICATION_FAILED', `${source}: independent verification of the release failed (${what}); nothing was written`, { exitCode: ExitCode.verification });
}
