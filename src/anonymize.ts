// Orchestrates one anonymization: validate → compile hierarchies → collapse → search → apply → verify → report.
// The only module that knows every stage; the stages know nothing of each other beyond their typed contracts.

import { CloakError, ExitCode, usageError } from './errors.js';
import { collapseTuples, recordsPerCode } from './groupify/collapse.js';
import type { EquivalenceClasses } from './groupify/equivalence-classes.js';
import { applyNode, suppressedRowsOf } from './groupify/apply-node.js';
import { DEFAULT_CACHE_MB, NodeGrouper, levelDomainSizes } from './groupify/node-grouper.js';
import type { CompiledHierarchy } from './hierarchy/compiled-hierarchy.js';
import { resolveHierarchy } from './hierarchy/resolve.js';
import { compileHierarchy } from './hierarchy/compile.js';
import { Lattice } from './lattice/lattice.js';
import { search, type SearchResult, type SearchSettings, type SearchTracePoint } from './lattice/search.js';
import { createMetric, normalizeWeights, scoreAllMetrics } from './metrics/index.js';
import type { MetricContext } from './metrics/metric.js';
import { createModel, minimumClassSize } from './models/index.js';
import type { ModelContext, PrivacyModel, SensitiveAttribute } from './models/privacy-model.js';
import type { AnonymizeOptions } from './options.js';
import type { ProgressCallback } from './plan/progress.js';
import { anonymityIsMonotone, createSearchProblem, decideNode } from './evaluate-node.js';
import { columnIndex, type EncodedTable } from './table/encoded-table.js';
import { validateColumnType } from './table/attribute-types.js';
import { DEFAULT_TIME_LIMIT_MS, metricOptionsOf, validateAgainstTable, validateOptions } from './validate-options.js';
import { verifyOutput } from './verify-output.js';
import { anonymizationRisk, prepareRiskSection } from './risk/anonymization-risk.js';
import { RELEASED_LABELS_SHOWN, type AnonymizationReport, type ModelMargin, type ReleasedLabels, type SearchProgressPoint } from './report.js';
import { cloakVersion, policySha256 } from './policy/policy-hash.js';

export interface InputSource {
  /** Name of the input in messages (a path, `<stdin>`, `records`). */
  readonly file: string;
  /** 1-based file line per row, to point at offending rows. */
  readonly lineOfRow?: Int32Array;
}

export interface EncodedAnonymization {
  readonly output: EncodedTable;
  /** The report without the timings of reading and writing, which only the caller knows. */
  readonly report: AnonymizationReport;
  /** suppressedRows[r] = 1 when row r was suppressed by the search's decision. */
  readonly suppressedRows: Uint8Array;
}

/**
 * Histograms of at least this many tuples have their anchors built ahead on a worker thread during the search: an
 * anchor then costs milliseconds (1M-row Adult, 214,290 tuples: 8.5 ms each, a third of the search), well above
 * the worker's start-up. Below, the search takes tens of milliseconds at most.
 */
const PREFETCH_ANCHORS_FROM_TUPLES = 65536;

/**
 * Anonymizes an encoded table in memory; throws CloakError for every user-caused failure. `onOutput` receives the
 * output as soon as it is built, before it is verified, so that the caller can prepare writing it meanwhile (it
 * must not publish anything before this returns, nor change the table). `onProgress` receives search events.
 * `searchSettings` is for tests: it overrides how the search holds its nodes, its clock and its memory budget.
 */
export async function anonymizeEncoded(
  input: EncodedTable,
  options: AnonymizeOptions,
  source: InputSource,
  onOutput?: (output: EncodedTable) => void,
  onProgress?: ProgressCallback,
  searchSettings?: Pick<SearchSettings, 'lookup' | 'now' | 'memoryBytes'>,
): Promise<EncodedAnonymization> {
  const started = performance.now();
  const roles = validateOptions(options);
  validateAgainstTable(options, input, source.file);

  for (const [name, attribute] of Object.entries(options.attributes)) {
    if (attribute.type !== undefined) {
      validateColumnType(input.columns[columnIndex(input, name)], { type: attribute.type, format: attribute.format }, source.file, source.lineOfRow);
    }
  }

  const qiColumns = roles.quasiIdentifiers.map((name) => columnIndex(input, name));
  const sensitiveColumns = roles.sensitive.map((name) => columnIndex(input, name));
  const compileFor = async (name: string, keepRows?: (readonly (readonly string[])[])[]): Promise<CompiledHierarchy> => {
    const column = input.columns[columnIndex(input, name)];
    const rows = await resolveHierarchy(name, options.attributes[name].hierarchy, options.hierarchiesDir, column, {
      file: source.file,
      lineOfRow: source.lineOfRow,
      showValues: options.showValues,
    });
    keepRows?.push(rows.rows);
    return compileHierarchy(column, rows, { dataLineOfRow: source.lineOfRow, dataFile: source.file, showValues: options.showValues });
  };
  const hierarchies: CompiledHierarchy[] = [];
  // The risk section carries a population table through the rows, values absent from the data included.
  const hierarchyRows: (readonly (readonly string[])[])[] = [];
  for (const name of roles.quasiIdentifiers) hierarchies.push(await compileFor(name, hierarchyRows));
  const riskSetup = await prepareRiskSection(options.risk, roles.quasiIdentifiers, hierarchyRows, input.rowCount);

  const maxLevels = hierarchies.map((hierarchy) => hierarchy.maxLevel);
  const latticeSize = Lattice.sizeOf(maxLevels);
  // Refused only on request: by default the time limit bounds the search, whatever the lattice's size.
  const maxNodes = options.search?.maxNodes ?? Infinity;
  if (latticeSize > maxNodes) {
    throw usageError('LATTICE_TOO_LARGE', `the generalization lattice has ${latticeSize} nodes, more than --max-nodes ${maxNodes}; use fewer quasi-identifiers or shorter hierarchies`);
  }

  const needsHierarchy = new Set(options.models.filter((m) => m.type === 't-closeness' && m.distance === 'hierarchical').map((m) => (m as { attribute: string }).attribute));
  const sensitive: SensitiveAttribute[] = [];
  for (let slot = 0; slot < roles.sensitive.length; slot++) {
    const name = roles.sensitive[slot];
    const column = input.columns[sensitiveColumns[slot]];
    sensitive.push({
      name,
      slot,
      type: options.attributes[name].type ?? 'string',
      format: options.attributes[name].format,
      dictionary: column.dictionary,
      globalCounts: countCodes(column.codes, column.dictionary.length),
      hierarchy: needsHierarchy.has(name) ? await compileFor(name) : undefined,
    });
  }

  const rowCount = input.rowCount;
  const histogram = collapseTuples(input, qiColumns, sensitiveColumns, levelDomainSizes(hierarchies));
  const modelContext: ModelContext = { rowCount, sensitive };
  const models: PrivacyModel[] = options.models.map((spec) => createModel(spec, modelContext));
  const metricOptions = metricOptionsOf(options);
  const metricContext: MetricContext = {
    rowCount,
    hierarchies,
    valueCounts: qiColumns.map((c, j) => recordsPerCode(histogram.tuples, j, input.columns[c].dictionary.length)),
    weights: normalizeWeights(roles.quasiIdentifiers, metricOptions.weights),
    gsFactor: metricOptions.gsFactor ?? 0.5,
    aggregate: metricOptions.aggregate ?? 'geometric',
  };
  const metric = createMetric(metricOptions, metricContext);
  const suppressionBudget = Math.floor((options.suppressionLimit ?? 0) * rowCount);
  const setup = { models, metric, suppressionBudget, minClassSize: minimumClassSize(models) };

  const prefetchAnchors = histogram.tuples.count >= PREFETCH_ANCHORS_FROM_TUPLES;
  const grouper = new NodeGrouper(histogram, hierarchies, (options.search?.cacheMb ?? DEFAULT_CACHE_MB) * 1024 * 1024, prefetchAnchors);
  const searchStarted = performance.now();
  const timeLimitMs = options.search?.timeLimitMs ?? DEFAULT_TIME_LIMIT_MS;
  const total = latticeSize <= Number.MAX_SAFE_INTEGER ? latticeSize : undefined;
  let result: SearchResult;
  try {
    result = search(createSearchProblem(grouper, setup, maxLevels), options.search?.strategy ?? 'optimal', {
      timeLimitMs,
      onProgress: onProgress === undefined ? undefined : (point) => onProgress({ phase: 'search', done: point.nodesChecked, total, ...progressOf(point), elapsedMs: point.ms }),
      ...searchSettings,
    });
  } finally {
    grouper.close();
  }
  const searchMs = performance.now() - searchStarted;
  if (result.optimum === null) {
    const what = `${models.map((m) => m.label).join(' + ')} within the suppression limit (${suppressionBudget} of ${rowCount} records)`;
    if (!result.optimal) {
      throw new CloakError('NO_SOLUTION_FOUND_IN_TIME', `the search found no transformation satisfying ${what} within its time limit of ${timeLimitMs} ms, and did not finish; raise --time-limit`, {
        exitCode: ExitCode.noSolution,
      });
    }
    throw new CloakError('NO_SOLUTION', `no transformation satisfies ${what}`, { exitCode: ExitCode.noSolution });
  }
  const proven = gapOf(result.score, result.optimal ? result.score : result.lowerBound);

  const { classes, tupleToClass } = grouper.classesWithTupleMap(result.optimum);
  const decision = decideNode(classes, setup);
  const identifyingColumns = roles.identifying.map((name) => columnIndex(input, name));
  const suppressedRows = suppressedRowsOf(histogram.rowToTuple, tupleToClass, decision.suppressed);
  const output = applyNode(input, { qiColumns, hierarchies, levels: result.optimum, identifyingColumns, suppressedRows });
  onOutput?.(output);

  const verifyStarted = performance.now();
  verifyOutput({
    output,
    original: input,
    suppressedRows,
    quasiIdentifiers: roles.quasiIdentifiers,
    models: options.models,
    suppressionLimit: options.suppressionLimit ?? 0,
    sensitive,
  });
  const verifyMs = performance.now() - verifyStarted;
  const risk = anonymizationRisk(riskSetup, histogram.tuples, classes, decision.suppressed, hierarchies);

  let minClass = Infinity;
  let releasedClasses = 0;
  const bySize = new Map<number, { size: number; released: number; suppressed: number }>();
  for (let c = 0; c < classes.count; c++) {
    const size = classes.sizes[c];
    const counts = bySize.get(size) ?? { size, released: 0, suppressed: 0 };
    bySize.set(size, counts);
    if (decision.suppressed[c] === 1) {
      counts.suppressed++;
      continue;
    }
    counts.released++;
    releasedClasses++;
    if (size < minClass) minClass = size;
  }
  // Null prototype: a quasi-identifier named `__proto__` must be an own key, not a prototype assignment.
  const transformation: Record<string, number> = Object.create(null);
  const topLevels: Record<string, number> = Object.create(null);
  roles.quasiIdentifiers.forEach((name, j) => {
    transformation[name] = result.optimum![j];
    topLevels[name] = maxLevels[j];
  });
  const report: AnonymizationReport = {
    transformation,
    suppressed: decision.suppressedRecords,
    classes: releasedClasses,
    suppressedClasses: classes.count - releasedClasses,
    minClassSize: releasedClasses === 0 ? 0 : minClass,
    classSizeDistribution: [...bySize.values()].sort((a, b) => a.size - b.size),
    releasedLabels: releasedLabels(roles.quasiIdentifiers, hierarchies, classes, decision.suppressed, options.showValues === true),
    metric: { name: metric.name, value: result.score },
    optimal: result.optimal,
    lowerBound: proven.lowerBound,
    gap: proven.gap,
    metrics: scoreAllMetrics(classes, decision.suppressed, metricContext),
    models: models.map((model) => modelMargin(model, classes, decision.suppressed)),
    risk,
    latticeSize: result.latticeSize,
    lattice: { maxLevels: topLevels, perHeight: result.perHeight, optimumHeight: result.optimum.reduce((sum, level) => sum + level, 0) },
    nodesChecked: result.nodesChecked,
    search: {
      strategy: options.search?.strategy ?? 'optimal',
      nodesPrunedByTags: result.nodesPrunedByTags,
      nodesPrunedByBounds: result.nodesPrunedByBounds,
      rollUps: grouper.statistics.rollUps,
      groupedFromHistogram: grouper.statistics.fromHistogram,
      distinctTuples: histogram.tuples.count,
      anonymityMonotone: anonymityIsMonotone(models, suppressionBudget),
      timeLimitMs,
      stoppedBy: result.stoppedBy,
      nodeMemory: result.representation,
      progress: result.trace.map((point): SearchProgressPoint => {
        const { score, lowerBound } = progressOf(point);
        return { ms: point.ms, nodesChecked: point.nodesChecked, score: score ?? null, lowerBound };
      }),
    },
    rows: rowCount,
    suppressionBudget,
    timingsMs: { read: 0, search: searchMs, verify: verifyMs, write: 0, total: performance.now() - started },
    verified: true,
    cloakVersion: cloakVersion(),
    policySha256: policySha256(options),
  };
  return { output, report, suppressedRows };
}

/**
 * A score's proven lower bound, at most the score, and the gap between them: (score − bound) / score, 0 when they
 * meet. Without any bound (−∞: a metric with no bound, nothing checked yet) it is 0, below which no metric's
 * score falls but the geometric aggregate's with weights below 1, and that one always has a bound.
 */
function gapOf(score: number, bound: number): { lowerBound: number; gap: number } {
  const lowerBound = Math.min(score, Number.isFinite(bound) ? bound : 0);
  return { lowerBound, gap: score === lowerBound ? 0 : (score - lowerBound) / Math.max(Math.abs(score), Math.abs(lowerBound)) };
}

/** A search progress point as the report and progress events give it: no score (nor gap) while none is found. */
function progressOf(point: SearchTracePoint): { score?: number; lowerBound: number; gap?: number } {
  if (Number.isNaN(point.score)) return { lowerBound: Number.isFinite(point.lowerBound) ? point.lowerBound : 0 };
  return { score: point.score, ...gapOf(point.score, point.lowerBound) };
}

/** The labels of the released records per quasi-identifier with their counts; original values only when allowed. */
function releasedLabels(
  names: readonly string[],
  hierarchies: readonly CompiledHierarchy[],
  classes: EquivalenceClasses,
  suppressed: Uint8Array,
  showValues: boolean,
): Record<string, ReleasedLabels> {
  const result: Record<string, ReleasedLabels> = Object.create(null);
  names.forEach((name, j) => {
    const level = classes.levels[j];
    const counts = new Float64Array(hierarchies[j].labels[level].length);
    for (let c = 0; c < classes.count; c++) if (suppressed[c] === 0) counts[classes.keys[c * classes.width + j]] += classes.sizes[c];
    const present = [...counts.keys()].filter((code) => counts[code] > 0).sort((a, b) => counts[b] - counts[a] || a - b);
    const withheld = level === 0 && !showValues;
    const listed = withheld ? [] : present.slice(0, RELEASED_LABELS_SHOWN);
    result[name] = {
      level,
      withheld,
      labels: listed.map((code) => ({ label: hierarchies[j].labels[level][code], count: counts[code] })),
      omittedLabels: present.length - listed.length,
    };
  });
  return result;
}

function countCodes(codes: Int32Array, domain: number): Int32Array {
  const counts = new Int32Array(domain);
  for (let r = 0; r < codes.length; r++) counts[codes[r]]++;
  return counts;
}

/** The worst value each model reaches over the released classes, or its figure over the whole release. */
function modelMargin(model: PrivacyModel, classes: EquivalenceClasses, suppressed: Uint8Array): ModelMargin {
  if (model.releaseMeasure !== undefined) return { model: model.label, spec: model.spec, worst: model.releaseMeasure(classes, suppressed) };
  let worst: number | null = null;
  for (let c = 0; c < classes.count; c++) {
    if (suppressed[c] === 1) continue;
    const value = model.classMeasure(classes, c);
    if (worst === null || (model.worst === 'min' ? value < worst : value > worst)) worst = value;
  }
  return { model: model.label, spec: model.spec, worst };
}
