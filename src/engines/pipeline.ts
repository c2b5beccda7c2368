// A run on an SQL engine: the engine counts the source's tuples, Cloak searches that histogram and makes the plan, the
// engine writes the release to a temporary place, re-aggregates it, Cloak re-checks it independently, then it is published.

import { anonymizeEncoded } from '../anonymize.js';
import { CloakError, inputError, usageError } from '../errors.js';
import type { AnonymizeOptions } from '../options.js';
import { assertReleasable, PlanApplier, type PlanDecision } from '../plan/applier.js';
import { unplannableReason, type Plan } from '../plan/plan-format.js';
import { planOfSearch } from '../plan/plan-of-search.js';
import { searchDone, type ProgressCallback, type ProgressEvent } from '../plan/progress.js';
import { verificationFailed, verifyReleasedTuples, type ReleasedTuples } from '../plan/release-check.js';
import type { AnonymizationReport } from '../report.js';
import { recordCount, type EncodedColumn, type EncodedTable } from '../table/encoded-table.js';
import { validateOptions } from '../validate-options.js';
import { engineOptionProblems, type CodedHistogram, type EngineOptions, type EngineRunFacts, type EngineSession, type ReleaseColumn } from './engine.js';
import { parseLocation, redact, type EngineLocation } from './locations.js';

/** Where an engine run reads and writes, and how. */
export interface EngineRunRequest {
  readonly engine: EngineOptions;
  /** A file (CSV, Parquet), `duckdb:FILE#table`, or `clickhouse://host:port/db.table`. */
  readonly source: string;
  /** A file, `duckdb:FILE#table`, or a ClickHouse `db.table` on the source's server; absent when only planning. */
  readonly target?: string;
  /** Replace an existing target table (a file target is always replaced atomically, as without an engine). */
  readonly overwrite?: boolean;
  /** Format of a file source or target; default from the extension (`.parquet`), otherwise CSV. */
  readonly inputFormat?: 'csv' | 'parquet';
  readonly outputFormat?: 'csv' | 'parquet';
  /** Delimiter of a CSV source (detected when absent); a CSV target keeps it. */
  readonly delimiter?: string;
  /** Progress: one event per query (`query`, `queryMs`), and the search. */
  readonly onProgress?: ProgressCallback;
}

/** What applying a plan on an engine did. */
export interface EngineApplySummary {
  readonly rows: number;
  readonly classes: number;
  readonly suppressedRecords: number;
  readonly suppressedClasses: number;
  readonly budget: number;
}

/** An open session with the facts of its run collected as it goes, and the phase its queries report under. */
interface Run {
  readonly session: EngineSession;
  readonly facts: { type: EngineOptions['type']; source: string; target?: string; queries: { query: string; ms: number }[] };
  readonly progress: { phase: ProgressEvent['phase'] };
}

/** Validates the request once, then opens the dialect's session (its package loaded only now). */
async function openRun(request: EngineRunRequest, needsTarget: boolean): Promise<Run> {
  const problems = engineOptionProblems(request.engine);
  if (typeof request.source !== 'string' || request.source === '') problems.push('source: required with an engine (a file, duckdb:FILE#table or clickhouse://host:port/db.table)');
  if (needsTarget && (typeof request.target !== 'string' || request.target === '')) problems.push('target: required with an engine (a file, duckdb:FILE#table or a ClickHouse db.table)');
  if (problems.length > 0) throw usageError('INVALID_OPTIONS', problems.length === 1 ? problems[0] : `${problems.length} problems in the options:\n  - ${problems.join('\n  - ')}`, { problems });
  const type = request.engine.type;
  const source = parseLocation(request.source, type, 'source', request.inputFormat);
  const target = needsTarget ? parseLocation(request.target!, type, 'target', request.outputFormat) : undefined;
  const facts: Run['facts'] = { type, source: '', queries: [] };
  const progress: Run['progress'] = { phase: 'read' };
  const onQuery = (query: string, ms: number) => {
    facts.queries.push({ query, ms });
    request.onProgress?.({ phase: progress.phase, done: facts.queries.length, query, queryMs: ms });
  };
  const session = await openSession(request.engine, source, target, request, onQuery);
  facts.source = session.sourceName;
  if (session.targetName !== undefined) facts.target = session.targetName;
  return { session, facts, progress };
}

async function openSession(engine: EngineOptions, source: EngineLocation, target: EngineLocation | undefined, request: EngineRunRequest, onQuery: (query: string, ms: number) => void): Promise<EngineSession> {
  try {
    if (engine.type === 'duckdb') {
      const { openDuckDbSession } = await import('./duckdb.js');
      return await openDuckDbSession(source, { engine, target, overwrite: request.overwrite, delimiter: request.delimiter, onQuery });
    }
    const { openClickHouseSession } = await import('./clickhouse.js');
    return await openClickHouseSession(source, { engine, target, overwrite: request.overwrite, onQuery });
  } catch (error) {
    throw scrubbed(error);
  }
}

/** A CloakError whose message cannot carry a credential, whatever produced it. */
function scrubbed(error: unknown): unknown {
  if (!(error instanceof CloakError)) return error;
  const message = redact(error.message);
  if (message === error.message) return error;
  return new CloakError(error.code, message, { exitCode: error.exitCode, location: error.location, problems: error.problems.map(redact) });
}

/** What the engines cannot do yet (they generalize, suppress and hide; they do not pseudonymize). */
function unsupported(what: string): CloakError {
  return usageError('ENGINE_UNSUPPORTED', `${what}: not available with an engine; run without --engine`);
}

/** Runs `work` on an open run, always closing the session (and removing anything temporary). */
async function within<T>(run: Run, work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    await run.session.discard().catch(() => undefined);
    throw scrubbed(error);
  } finally {
    await run.session.close().catch(() => undefined);
  }
}

/** The search on the engine's histogram: the weighted table, the report, and the plan it makes. */
async function search(run: Run, options: AnonymizeOptions, onProgress: ProgressCallback | undefined) {
  const roles = validateOptions(options);
  const transformed = Object.keys(options.attributes).filter((name) => options.attributes[name].transform !== undefined);
  if (transformed.length > 0) throw unsupported(`pseudonymizing transforms (${transformed.map((name) => `"${name}"`).join(', ')})`);
  if (roles.quasiIdentifiers.length === 0) throw unsupported('a run without quasi-identifiers');
  // Each of these reads records one by one (samples, subsets, per-record levels), not classes of the histogram.
  if (options.recoding === 'local') throw unsupported('local recoding (recoding: "local")');
  if (options.explore !== undefined) throw unsupported('the trade-off curve (explore)');
  const perRecord = options.models.filter((model) => unplannableReason(model) !== undefined).map((model) => model.type);
  if (perRecord.length > 0) throw unsupported(`the model${perRecord.length === 1 ? '' : 's'} ${[...new Set(perRecord)].join(', ')} (as configured)`);
  const sourceColumns = await run.session.columns();
  const missing = Object.keys(options.attributes).filter((name) => !sourceColumns.includes(name));
  if (missing.length > 0) {
    const problems = missing.map((name) => `column "${name}" (${options.attributes[name].role}) is not in ${run.session.sourceName}`);
    throw usageError('INVALID_OPTIONS', problems.length === 1 ? problems[0] : `${problems.length} problems in the options:\n  - ${problems.join('\n  - ')}`, { problems });
  }
  const counted = [...roles.quasiIdentifiers, ...roles.sensitive];
  const started = performance.now();
  const histogram = await run.session.histogram(counted);
  const readMs = performance.now() - started;
  if (histogram.tuples === 0) throw inputError('INPUT_EMPTY', `${run.session.sourceName}: no records`, { location: { file: run.session.sourceName } });
  const table = weightedTable(sourceColumns, histogram);
  const records = recordCount(table);
  onProgress?.({ phase: 'read', done: records, total: records });
  run.progress.phase = 'search';
  const { report } = await anonymizeEncoded(table, options, { file: run.session.sourceName }, { onProgress });
  onProgress?.(searchDone(report));
  const plan = await planOfSearch(table, options, report, { file: run.session.sourceName });
  run.progress.phase = 'write';
  return { histogram, report, plan, readMs };
}

/**
 * The engine's histogram as an aggregated table with every column of the source: the counted columns with their
 * dictionaries, the others one empty value each (the search never reads them; the plan lists their names).
 */
function weightedTable(sourceColumns: readonly string[], histogram: CodedHistogram): EncodedTable {
  const blank = new Int32Array(histogram.tuples);
  const columns: EncodedColumn[] = sourceColumns.map((name) => {
    const c = histogram.columns.findIndex((column) => column.name === name);
    return c === -1 ? { name, codes: blank, dictionary: [''] } : { name, codes: histogram.codes[c], dictionary: histogram.columns[c].dictionary };
  });
  return { columns, rowCount: histogram.tuples, weights: histogram.counts };
}

/**
 * Applies a plan on an open session: classes counted from the histogram (`known`, or counted now), decided by the
 * plan's models, the release written to a temporary place, re-aggregated by the engine and re-checked by Cloak, and
 * published only then. The caller discards and closes the session.
 */
export async function applyOnSession(session: EngineSession, plan: Plan, known?: CodedHistogram): Promise<EngineApplySummary> {
  if (plan.pseudonymized !== undefined) throw unsupported('a plan that pseudonymizes attributes');
  const applier = new PlanApplier(plan);
  applier.bind(await session.columns(), session.sourceName);
  const counted = [...plan.quasiIdentifiers.map((qi) => qi.name), ...plan.sensitive.map((attribute) => attribute.name)];
  const histogram = known ?? (await session.histogram(counted));
  if (histogram.tuples === 0) throw inputError('INPUT_EMPTY', `${session.sourceName}: no records`, { location: { file: session.sourceName } });
  const column = (name: string) => histogram.columns.findIndex((entry) => entry.name === name);
  const labelCodes = plan.quasiIdentifiers.map((qi, j) => applier.labelCodesOf(j, histogram.columns[column(qi.name)].dictionary));
  const valueCodes = plan.sensitive.map((attribute, s) => applier.sensitiveCodesOf(s, histogram.columns[column(attribute.name)].dictionary));
  const qiColumns = plan.quasiIdentifiers.map((qi) => histogram.codes[column(qi.name)]);
  const sensitiveColumns = plan.sensitive.map((attribute) => histogram.codes[column(attribute.name)]);
  const labels = new Int32Array(plan.quasiIdentifiers.length);
  const values = new Int32Array(plan.sensitive.length);
  for (let t = 0; t < histogram.tuples; t++) {
    for (let j = 0; j < labels.length; j++) labels[j] = labelCodes[j][qiColumns[j][t]];
    for (let s = 0; s < values.length; s++) values[s] = valueCodes[s][sensitiveColumns[s][t]];
    applier.countCoded(labels, values, histogram.counts[t]);
  }
  const decision = applier.decide();
  assertReleasable(decision, session.sourceName);

  const generalized = new Map(plan.quasiIdentifiers.map((qi, j) => [qi.name, j]));
  const identifying = new Set(plan.identifying);
  const columns: ReleaseColumn[] = plan.columns.map((name) => {
    const j = generalized.get(name);
    if (j === undefined) return identifying.has(name) ? { name, kind: 'identifying' } : { name, kind: 'keep' };
    const byCode = applier.labelsOf(j);
    return { name, kind: 'generalize', values: histogram.columns[column(name)].dictionary, labels: Array.from(labelCodes[j], (code) => byCode[code]), codes: labelCodes[j], radix: byCode.length };
  });
  // The engine keys classes by the `generalize` columns in output order; a class's codes are in plan (--qi) order.
  const planIndexOfGeneralized = columns.flatMap((entry) => (entry.kind === 'generalize' ? [generalized.get(entry.name)!] : []));
  const suppressed: Int32Array[] = [];
  for (let c = 0; c < decision.classes; c++) {
    if (decision.suppressed[c] !== 1) continue;
    const codes = applier.classCodes(c);
    suppressed.push(Int32Array.from(planIndexOfGeneralized, (j) => codes[j]));
  }
  await session.writeRelease({ columns, suppressed, suppressedValue: plan.suppressedValue });

  const tally = await session.tallyRelease(counted);
  verifyReleasedTuples(plan, releasedTuples(plan, tally, applier, decision, session.sourceName), session.sourceName);
  await session.publish();
  return { rows: decision.rows, classes: decision.classes, suppressedRecords: decision.suppressedRecords, suppressedClasses: decision.suppressedClasses, budget: decision.budget };
}

/**
 * The re-aggregated release as tuples for the independent check, after checking that it holds exactly the records and
 * released classes the decision describes. A tuple of suppressed values is suppressed — unless the decision released
 * a class whose labels are the suppressed value too (every attribute at a level labelled `*`): the release cannot
 * tell those records apart, so the class's records are checked as released and the rest as suppressed.
 */
function releasedTuples(plan: Plan, tally: CodedHistogram, applier: PlanApplier, decision: PlanDecision, source: string): ReleasedTuples {
  const width = plan.quasiIdentifiers.length;
  const star = plan.suppressedValue;
  const tupleOf = new Map<string, number>();
  const labels: string[][] = [];
  const sizes: number[] = [];
  const sensitive: Map<string, number>[][] = plan.sensitive.map(() => []);
  let records = 0;
  for (let g = 0; g < tally.tuples; g++) {
    const tuple = Array.from({ length: width }, (_, j) => tally.columns[j].dictionary[tally.codes[j][g]]);
    const key = JSON.stringify(tuple);
    let t = tupleOf.get(key);
    if (t === undefined) {
      t = labels.length;
      tupleOf.set(key, t);
      labels.push(tuple);
      sizes.push(0);
      sensitive.forEach((perTuple) => perTuple.push(new Map()));
    }
    sizes[t] += tally.counts[g];
    records += tally.counts[g];
    plan.sensitive.forEach((_, s) => {
      const value = tally.columns[width + s].dictionary[tally.codes[width + s][g]];
      sensitive[s][t!].set(value, (sensitive[s][t!].get(value) ?? 0) + tally.counts[g]);
    });
  }
  const differs = () => verificationFailed(source, "the release's classes differ from the ones the plan checked");
  if (records !== decision.rows) throw differs();

  // Every released class must appear as one tuple of its labels, with its size.
  const allStar = JSON.stringify(Array<string>(width).fill(star));
  let releasedStar = 0;
  const expected = new Map<string, number>();
  for (let c = 0; c < decision.classes; c++) {
    if (decision.suppressed[c] === 1) continue;
    const codes = applier.classCodes(c);
    const key = JSON.stringify(Array.from(codes, (code, j) => applier.labelsOf(j)[code]));
    expected.set(key, (expected.get(key) ?? 0) + applier.classSize(c));
    if (key === allStar) releasedStar += applier.classSize(c);
  }
  const suppressed = new Uint8Array(labels.length + 1);
  labels.forEach((tuple, t) => {
    const key = JSON.stringify(tuple);
    if (key === allStar) return;
    if (expected.get(key) !== sizes[t]) throw differs();
    expected.delete(key);
  });
  expected.delete(allStar);
  if (expected.size > 0) throw differs();
  const starTuple = tupleOf.get(allStar);
  if (starTuple === undefined) {
    if (releasedStar > 0) throw differs();
    return { labels, sizes, suppressed: suppressed.subarray(0, labels.length), sensitive };
  }
  if (sizes[starTuple] < releasedStar) throw differs();
  if (releasedStar === 0) {
    suppressed[starTuple] = 1;
    return { labels, sizes, suppressed: suppressed.subarray(0, labels.length), sensitive };
  }
  // Split: the released class (with every value the release shows in that tuple) and the suppressed remainder.
  const rest = sizes[starTuple] - releasedStar;
  sizes[starTuple] = releasedStar;
  if (rest > 0) {
    labels.push(labels[starTuple]);
    sizes.push(rest);
    sensitive.forEach((perTuple) => perTuple.push(new Map()));
    suppressed[labels.length - 1] = 1;
  }
  return { labels, sizes, suppressed: suppressed.subarray(0, labels.length), sensitive };
}

/** `anonymize` on an engine: search on its histogram, apply the plan there, check, publish; returns the report. */
export async function anonymizeOnEngine(request: EngineRunRequest & { readonly options: AnonymizeOptions }): Promise<{ report: AnonymizationReport; plan: Plan; engine: EngineRunFacts }> {
  const started = performance.now();
  const run = await openRun(request, true);
  return within(run, async () => {
    const { histogram, report, plan, readMs } = await search(run, request.options, request.onProgress);
    const writeStarted = performance.now();
    await applyOnSession(run.session, plan, histogram);
    const total = performance.now() - started;
    const timed: AnonymizationReport = { ...report, timingsMs: { ...report.timingsMs, read: readMs, write: performance.now() - writeStarted, total } };
    return { report: timed, plan, engine: run.facts };
  });
}

/** `plan` on an engine: the search on its histogram, no output. */
export async function planOnEngine(request: EngineRunRequest & { readonly options: AnonymizeOptions }): Promise<{ plan: Plan; engine: EngineRunFacts }> {
  const run = await openRun({ ...request, target: undefined }, false);
  return within(run, async () => ({ plan: (await search(run, request.options, request.onProgress)).plan, engine: run.facts }));
}

/** `applyPlan` on an engine: the plan's classes counted, re-checked, written, re-aggregated and checked, published. */
export async function applyPlanOnEngine(plan: Plan, request: EngineRunRequest): Promise<{ summary: EngineApplySummary; engine: EngineRunFacts }> {
  const run = await openRun(request, true);
  return within(run, async () => {
    run.progress.phase = 'write';
    return { summary: await applyOnSession(run.session, plan), engine: run.facts };
  });
}
