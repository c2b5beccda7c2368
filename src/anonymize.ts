// Orchestrates one anonymization: validate → compile hierarchies → collapse → search → apply → verify → report.
// The only module that knows every stage; the stages know nothing of each other beyond their typed contracts.

import { CloakError, ExitCode, inputError, usageError } from './errors.js';
import { collapseTuples, recordsPerCode, type TupleHistogram } from './groupify/collapse.js';
import type { EquivalenceClasses } from './groupify/equivalence-classes.js';
import { applyNode, suppressedRowsOf } from './groupify/apply-node.js';
import { DEFAULT_CACHE_MB, NodeGrouper, levelDomainSizes } from './groupify/node-grouper.js';
import type { CompiledHierarchy } from './hierarchy/compiled-hierarchy.js';
import { resolveHierarchy } from './hierarchy/resolve.js';
import { compileHierarchy } from './hierarchy/compile.js';
import { Lattice } from './lattice/lattice.js';
import { nodesPerHeight, search, type HeightCounts, type SearchResult, type SearchSettings, type SearchTracePoint } from './lattice/search.js';
import { createMetric, normalizeWeights, scoreAllMetrics } from './metrics/index.js';
import type { MetricContext } from './metrics/metric.js';
import { createModel, minimumClassSize } from './models/index.js';
import type { ModelContext, PrivacyModel, SensitiveAttribute } from './models/privacy-model.js';
import type { AnonymizeOptions, ModelSpec } from './options.js';
import type { ProgressCallback } from './plan/progress.js';
import { prepareTransforms, type PreparedTransforms } from './pseudonymize/prepare-transforms.js';
import { pseudonymizeTable } from './pseudonymize/pseudonymize-table.js';
import { anonymityIsMonotone, createSearchProblem, decideNode, type NodeEvaluatorSetup } from './evaluate-node.js';
import { concatClasses, releaseWithDifferentialPrivacy, type DifferentialPrivacyReport, type DpReleaseSetup } from './dp-release.js';
import { assertPopulationCovers, populationOfInput, populationOfTable } from './populations.js';
import { selectRows, subsetFromColumn, subsetFromRows } from './table/research-subset.js';
import { columnIndex, recordCount, type EncodedTable } from './table/encoded-table.js';
import { validateColumnType } from './table/attribute-types.js';
import { DEFAULT_TIME_LIMIT_MS, metricOptionsOf, validateAgainstTable, validateOptions } from './validate-options.js';
import { verifyOutput } from './verify-output.js';
import { anonymizationRisk, prepareRiskSection } from './risk/anonymization-risk.js';
import { RELEASED_LABELS_SHOWN, type AnonymizationReport, type CellQuality, type LocalRecodingReport, type ModelMargin, type ReleasedLabels, type SearchProgressPoint } from './report.js';
import { granularityShares } from './metrics/granularity.js';
import { applyRecoding } from './recoding/apply-recoding.js';
import { cellQuality } from './recoding/cell-quality.js';
import { exploreTradeOff } from './recoding/explore.js';
import { labelIdentity } from './recoding/label-identity.js';
import { releaseLocally } from './recoding/local-release.js';
import { levelVectors, localAnonymizationRisk, localReleasedLabels } from './recoding/local-report.js';
import { releasedClasses as classesOfRelease } from './recoding/released-classes.js';
import { globalRecoding, rowLevelRecoding, suppressedRowsOfRecoding, type TupleRecoding } from './recoding/tuple-recoding.js';
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
/** The largest lattice local recoding takes on (its greedy queues every node); Adult's has 12,960. */
export const LOCAL_RECODING_MAX_NODES = 100_000;

export interface EncodedRun {
  /**
   * Receives the output as soon as it is built, before it is verified, so that the caller can prepare writing it
   * meanwhile (it must not publish anything before `anonymizeEncoded` returns, nor change the table).
   */
  readonly onOutput?: (output: EncodedTable) => void;
  /** The identifying attributes' transforms with their keys, loaded before the input was read (`prepareTransforms`). */
  readonly transforms?: PreparedTransforms;
  /** Receives the search's progress: nodes checked, best score so far, proven lower bound and gap. */
  readonly onProgress?: ProgressCallback;
  /** For tests: how the search holds its nodes, its clock and its memory budget. */
  readonly searchSettings?: Pick<SearchSettings, 'lookup' | 'now' | 'memoryBytes'>;
}

/** Anonymizes an encoded table in memory; throws CloakError for every user-caused failure. */
export async function anonymizeEncoded(input: EncodedTable, options: AnonymizeOptions, source: InputSource, run: EncodedRun = {}): Promise<EncodedAnonymization> {
  const started = performance.now();
  const roles = validateOptions(options);
  validateAgainstTable(options, input, source.file);
  // Rows of an aggregated table (an engine's histogram) have no file lines: messages then name no line.
  const lineOfRow = input.weights === undefined ? source.lineOfRow : null;

  for (const [name, attribute] of Object.entries(options.attributes)) {
    // Shifted dates are read by their transform, which keeps empty cells empty.
    if (attribute.type !== undefined && attribute.transform?.method !== 'shift-dates') {
      validateColumnType(input.columns[columnIndex(input, name)], { type: attribute.type, format: attribute.format }, source.file, lineOfRow);
    }
  }

  // Transformed before the search, so that a value a transform refuses fails the run before minutes of work.
  const pseudonymizeStarted = performance.now();
  const pseudonymization = pseudonymizeTable(input, run.transforms ?? (await prepareTransforms(options.attributes)), source);
  const pseudonymizeMs = performance.now() - pseudonymizeStarted;

  const qiColumns = roles.quasiIdentifiers.map((name) => columnIndex(input, name));
  const sensitiveColumns = roles.sensitive.map((name) => columnIndex(input, name));
  // δ-presence releases a research subset of the input, which is then the data every other model judges.
  const presenceSpec = options.models.find((model) => model.type === 'delta-presence');
  const subset = presenceSpec === undefined ? undefined : await researchSubset(input, presenceSpec, source, options.delimiter);
  const data = subset?.table ?? input;

  // Hierarchies are compiled for the whole input: a population's values must be placed too. The subset shares its codes.
  const compileFor = async (name: string, keepRows?: (readonly (readonly string[])[])[]): Promise<CompiledHierarchy> => {
    const column = input.columns[columnIndex(input, name)];
    const rows = await resolveHierarchy(name, options.attributes[name].hierarchy, options.hierarchiesDir, column, {
      file: source.file,
      lineOfRow,
      weights: input.weights,
      showValues: options.showValues,
    });
    keepRows?.push(rows.rows);
    return compileHierarchy(column, rows, { dataLineOfRow: lineOfRow, dataWeights: input.weights, dataFile: source.file, showValues: options.showValues });
  };
  const hierarchies: CompiledHierarchy[] = [];
  // The risk section carries a population table through the rows, values absent from the data included.
  const hierarchyRows: (readonly (readonly string[])[])[] = [];
  for (const name of roles.quasiIdentifiers) hierarchies.push(await compileFor(name, hierarchyRows));
  const rowCount = recordCount(data);
  const riskSetup = await prepareRiskSection(options.risk, roles.quasiIdentifiers, hierarchyRows, rowCount);

  const maxLevels = hierarchies.map((hierarchy) => hierarchy.maxLevel);
  const latticeSize = Lattice.sizeOf(maxLevels);
  // Refused only on request: by default the time limit bounds the search, whatever the lattice's size.
  const maxNodes = options.search?.maxNodes ?? Infinity;
  if (latticeSize > maxNodes) {
    throw usageError('LATTICE_TOO_LARGE', `the generalization lattice has ${Lattice.describeSize(latticeSize)} nodes, more than --max-nodes ${maxNodes}; use fewer quasi-identifiers or shorter hierarchies`);
  }
  // Local recoding's greedy queues every node of the lattice and runs to the end: past this size it would exhaust
  // memory or run far beyond any time limit, so it is refused before any work.
  if (options.recoding === 'local' && roles.quasiIdentifiers.length > 0 && latticeSize > LOCAL_RECODING_MAX_NODES) {
    throw usageError(
      'LATTICE_TOO_LARGE',
      `local recoding supports lattices of up to ${LOCAL_RECODING_MAX_NODES} nodes, and this one has ${Lattice.describeSize(latticeSize)}; use --recoding global (searched within --time-limit at any size), fewer quasi-identifiers or shorter hierarchies`,
    );
  }

  const needsHierarchy = new Set(options.models.filter((m) => m.type === 't-closeness' && m.distance === 'hierarchical').map((m) => (m as { attribute: string }).attribute));
  const sensitive: SensitiveAttribute[] = [];
  for (let slot = 0; slot < roles.sensitive.length; slot++) {
    const name = roles.sensitive[slot];
    const column = data.columns[sensitiveColumns[slot]];
    sensitive.push({
      name,
      slot,
      type: options.attributes[name].type ?? 'string',
      format: options.attributes[name].format,
      dictionary: column.dictionary,
      globalCounts: countCodes(column.codes, column.dictionary.length, data),
      hierarchy: needsHierarchy.has(name) ? await compileFor(name) : undefined,
    });
  }

  const histogram = collapseTuples(data, qiColumns, sensitiveColumns, levelDomainSizes(hierarchies));
  const cacheBytes = (options.search?.cacheMb ?? DEFAULT_CACHE_MB) * 1024 * 1024;
  const populationTable = riskSetup.options.populationTable;
  const countedKMap = options.models.some((model) => model.type === 'k-map' && model.estimator === undefined);
  // The populations get a quarter of the cache each: their roll-ups matter less than the data's.
  const tablePopulation =
    countedKMap && populationTable !== undefined
      ? populationOfTable(populationTable, qiColumns.map((c) => input.columns[c]), hierarchyRows, cacheBytes / 4)
      : undefined;
  if (tablePopulation !== undefined) assertPopulationCovers(tablePopulation, histogram.tuples, populationTable!.origin);
  const presencePopulation = subset === undefined ? undefined : populationOfInput(input, qiColumns, hierarchies, cacheBytes / 4);
  const modelContext: ModelContext = { rowCount, sensitive, populationTable: tablePopulation, presencePopulation };
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
  const dpSpec = options.models.find((model) => model.type === 'differential-privacy');
  // Differential privacy suppresses every class below k, whatever it costs (as ARX does): the budget is every record.
  const suppressionLimit = dpSpec === undefined ? (options.suppressionLimit ?? 0) : 1;
  const suppressionBudget = Math.floor(suppressionLimit * rowCount);
  const setup = { models, metric, suppressionBudget, minClassSize: minimumClassSize(models) };
  // Without quasi-identifiers there is nothing to recode, locally or not (local recoding refuses δ-presence and DP).
  const recoding = roles.quasiIdentifiers.length === 0 ? 'global' : (options.recoding ?? 'global');
  const strategy = options.search?.strategy ?? 'optimal';
  const identity = labelIdentity(hierarchies);
  const shares = granularityShares(hierarchies);
  const quality = (tupleRecoding: TupleRecoding, tuples = histogram.tuples) =>
    cellQuality(tupleRecoding, { names: roles.quasiIdentifiers, hierarchies, tuples, valueCounts: metricContext.valueCounts, identity, shares });
  const noSolution = () =>
    new CloakError('NO_SOLUTION', `no ${recoding === 'local' ? 'local recoding' : 'transformation'} satisfies ${models.map((m) => m.label).join(' + ')} within the suppression limit (${suppressionBudget} of ${rowCount} records)`, {
      exitCode: ExitCode.noSolution,
    });

  const searchStarted = performance.now();
  const timeLimitMs = options.search?.timeLimitMs ?? DEFAULT_TIME_LIMIT_MS;
  // The global optimum: released as is under global recoding, the bar local recoding must clear otherwise.
  const optimum =
    dpSpec === undefined
      ? chooseBySearch(histogram, hierarchies, setup, cacheBytes, strategy, { timeLimitMs, onProgress: run.onProgress, searchSettings: run.searchSettings, required: recoding === 'global', noSolution })
      : chooseWithDifferentialPrivacy(dpSpec, { input, qiColumns, sensitiveColumns, hierarchies, quasiIdentifiers: roles.quasiIdentifiers, evaluator: setup, metric: metric.name, cacheBytes, timeLimitMs });
  if (optimum === undefined && recoding === 'global') throw noSolution();
  const identifyingColumns = roles.identifying.map((name) => columnIndex(input, name)).filter((column) => !pseudonymization.columns.has(column));
  // δ-presence writes the subset's rows; every other release writes every input row.
  const released = dpSpec === undefined ? data : input;
  const local = recoding === 'local' ? releaseLocally({
    names: roles.quasiIdentifiers,
    tuples: histogram.tuples,
    hierarchies,
    valueCounts: metricContext.valueCounts,
    identity,
    shares,
    models,
    minClassSize: setup.minClassSize,
    suppressionBudget,
    global: optimum?.tupleRecoding,
  }) : undefined;
  if (recoding === 'local' && local === undefined) throw noSolution();
  const searchMs = performance.now() - searchStarted;

  // The release's classes, suppression and labels, whichever recoding made it.
  let chosen: Chosen;
  let releasedQuality: CellQuality;
  let localReport: LocalRecodingReport | undefined;
  let applied: EncodedTable;
  let localClasses: ReturnType<typeof classesOfRelease> | undefined;
  if (local === undefined) {
    chosen = optimum!;
    applied = applyNode(released, { qiColumns, hierarchies, levels: chosen.levels, identifyingColumns, suppressedRows: chosen.suppressedRows });
    releasedQuality = chosen.tupleRecoding !== undefined ? quality(chosen.tupleRecoding) : quality(...rowLevelQualityInput(released, qiColumns, chosen.levels, chosen.suppressedRows));
  } else {
    localClasses = classesOfRelease(histogram.tuples, local.recoding, hierarchies, identity);
    chosen = {
      levels: optimum?.levels ?? Int32Array.from(maxLevels),
      classes: localClasses.classes,
      suppressed: localClasses.suppressed,
      classCount: localClasses.classes.count,
      suppressedRows: suppressedRowsOfRecoding(local.recoding, histogram.rowToTuple),
      suppressedForRiskLimits: { records: 0, classes: 0 },
      search: optimum?.search ?? emptySearch(strategy, maxLevels),
    };
    applied = applyRecoding(released, local.recoding, { qiColumns, hierarchies, identifyingColumns, rowToTuple: histogram.rowToTuple, tupleCodes: histogram.tuples.keys });
    releasedQuality = local.quality;
    localReport = {
      levelVectors: levelVectors(roles.quasiIdentifiers, local.recoding, histogram.tuples, localClasses.groupOfClass),
      globalGranularityLoss: local.globalGranularityLoss,
      released: local.released,
      nodeEvaluations: local.nodeEvaluations,
      mergedRecords: local.mergedRecords,
    };
  }
  const { classes, suppressed, suppressedRows } = chosen;
  const score = chosen.score ?? metric.score(classes, suppressed).value;
  // A search bounds the optimum; differential privacy's random choice is no optimization and has no bound.
  const proven = chosen.search.lowerBound === undefined ? undefined : gapOf(score, chosen.search.optimal ? score : chosen.search.lowerBound);
  // Pseudonymized columns are released on every row, suppressed ones too: they are not quasi-identifiers.
  const pseudonymized = (index: number) => {
    const column = pseudonymization.columns.get(index);
    return column === undefined || released === input ? column : { ...column, codes: Int32Array.from(subset!.rows, (r) => column.codes[r]) };
  };
  const output: EncodedTable = { ...applied, columns: applied.columns.map((column, index) => pseudonymized(index) ?? column) };
  run.onOutput?.(output);

  const verifyStarted = performance.now();
  verifyOutput({
    output,
    original: released,
    // Under local recoding the output's `*` decide, as for any reader: every record reading `*` everywhere counts.
    suppressedRows: recoding === 'local' ? 'infer' : suppressedRows,
    checkGeneralization: recoding === 'local',
    identifying: roles.identifying,
    quasiIdentifiers: roles.quasiIdentifiers,
    models: options.models,
    suppressionLimit,
    sensitive,
    hierarchies: Object.fromEntries(roles.quasiIdentifiers.map((name, j) => [name, hierarchyRows[j]])),
    population: subset === undefined ? undefined : input,
    populationTable,
  });
  const verifyMs = performance.now() - verifyStarted;
  // The population table grouped for k-map has the output classes' counts already (a DP release never has one).
  const risk =
    local === undefined
      ? anonymizationRisk(riskSetup, histogram.tuples, classes, suppressed, hierarchies, dpSpec === undefined ? tablePopulation : undefined)
      : localAnonymizationRisk(riskSetup, histogram.tuples, localClasses!, local.recoding, hierarchies);

  let minClass = Infinity;
  let releasedClasses = 0;
  const bySize = new Map<number, { size: number; released: number; suppressed: number }>();
  // Records a differentially private sampling dropped are suppressed records, not classes of the release.
  for (let c = 0; c < chosen.classCount; c++) {
    const size = classes.sizes[c];
    const counts = bySize.get(size) ?? { size, released: 0, suppressed: 0 };
    bySize.set(size, counts);
    if (suppressed[c] === 1) {
      counts.suppressed++;
      continue;
    }
    counts.released++;
    releasedClasses++;
    if (size < minClass) minClass = size;
  }
  let suppressedRecords = 0;
  // An aggregated table's row stands for its weight in records.
  const { weights } = released;
  for (let r = 0; r < suppressedRows.length; r++) suppressedRecords += weights === undefined ? suppressedRows[r] : suppressedRows[r] * weights[r];
  // Null prototype: a quasi-identifier named `__proto__` must be an own key, not a prototype assignment.
  const transformation: Record<string, number> = Object.create(null);
  const topLevels: Record<string, number> = Object.create(null);
  roles.quasiIdentifiers.forEach((name, j) => {
    transformation[name] = chosen.levels[j];
    topLevels[name] = maxLevels[j];
  });
  const explore = options.explore === undefined ? undefined : exploreTradeOff(options, rowCount, releaseQualityFor);
  const report: AnonymizationReport = {
    recoding,
    transformation,
    suppressed: suppressedRecords,
    suppressedForRiskLimits: chosen.suppressedForRiskLimits,
    classes: releasedClasses,
    suppressedClasses: chosen.classCount - releasedClasses,
    minClassSize: releasedClasses === 0 ? 0 : minClass,
    classSizeDistribution: [...bySize.values()].sort((a, b) => a.size - b.size),
    releasedLabels:
      local === undefined
        ? releasedLabels(roles.quasiIdentifiers, hierarchies, classes, suppressed, options.showValues === true)
        : localReleasedLabels(roles.quasiIdentifiers, hierarchies, histogram.tuples, local.recoding, options.showValues === true),
    metric: local === undefined ? { name: metric.name, value: score } : { name: 'granularity', value: releasedQuality.granularityLoss.value },
    // Proven only for a search's own choice: local recoding's greedy and differential privacy's draw have no bound.
    optimal: local === undefined && chosen.search.optimal,
    lowerBound: local === undefined ? (proven?.lowerBound ?? null) : null,
    gap: local === undefined ? (proven?.gap ?? null) : null,
    // Under local recoding, the search's metrics at the global optimum it was compared with.
    metrics: local === undefined ? scoreAllMetrics(classes, suppressed, metricContext) : optimum === undefined ? {} : scoreAllMetrics(optimum.classes, optimum.suppressed, metricContext),
    quality: releasedQuality,
    ...(localReport === undefined ? {} : { local: localReport }),
    ...(explore === undefined ? {} : { explore }),
    models: models.map((model) => modelMargin(model, classes, suppressed)),
    risk,
    latticeSize: chosen.search.latticeSize,
    lattice: { maxLevels: topLevels, perHeight: chosen.search.perHeight, optimumHeight: chosen.levels.reduce((sum, level) => sum + level, 0) },
    nodesChecked: chosen.search.nodesChecked,
    search: {
      strategy: chosen.search.strategy,
      nodesPrunedByTags: chosen.search.nodesPrunedByTags,
      nodesPrunedByBounds: chosen.search.nodesPrunedByBounds,
      rollUps: chosen.search.rollUps,
      groupedFromHistogram: chosen.search.groupedFromHistogram,
      distinctTuples: histogram.tuples.count,
      anonymityMonotone: anonymityIsMonotone(models, suppressionBudget),
      timeLimitMs,
      stoppedBy: chosen.search.stoppedBy,
      nodeMemory: chosen.search.nodeMemory,
      progress: chosen.search.progress,
    },
    rows: rowCount,
    suppressionBudget,
    ...(subset === undefined ? {} : { deltaPresence: { populationRecords: input.rowCount, subsetRecords: rowCount } }),
    ...(chosen.differentialPrivacy === undefined ? {} : { differentialPrivacy: chosen.differentialPrivacy }),
    pseudonymized: pseudonymization.attributes,
    timingsMs: { read: 0, pseudonymize: pseudonymizeMs, search: searchMs, verify: verifyMs, write: 0, total: performance.now() - started },
    verified: true,
    cloakVersion: cloakVersion(),
    policySha256: policySha256(options),
  };
  return { output, report, suppressedRows };

  /** The cell-level quality of what the run would release under other models (the trade-off curve). */
  function releaseQualityFor(specs: readonly ModelSpec[]): CellQuality | undefined {
    const otherModels = specs.map((spec) => createModel(spec, modelContext));
    const otherSetup = { ...setup, models: otherModels, minClassSize: minimumClassSize(otherModels) };
    // Each point of the curve is a search of its own, within the same time limit.
    const found = chooseBySearch(histogram, hierarchies, otherSetup, cacheBytes, strategy, { timeLimitMs, required: false, noSolution });
    if (recoding === 'global') return found === undefined ? undefined : quality(found.tupleRecoding!);
    return releaseLocally({
      names: roles.quasiIdentifiers,
      tuples: histogram.tuples,
      hierarchies,
      valueCounts: metricContext.valueCounts,
      identity,
      shares,
      models: otherModels,
      minClassSize: otherSetup.minClassSize,
      suppressionBudget,
      global: found?.tupleRecoding,
    })?.quality;
  }
}

/** A search that checked nothing: the report's search figures when there is no global optimum. */
function emptySearch(strategy: string, maxLevels: readonly number[]): Chosen['search'] {
  // Counted, not enumerated: the lattice may be far too large to list.
  const perHeight = nodesPerHeight(maxLevels).map((nodes, height) => ({ height, nodes, checked: 0, prunedByTags: 0, prunedByBounds: 0 }));
  return {
    strategy,
    latticeSize: Lattice.sizeOf(maxLevels),
    nodesChecked: 0,
    nodesPrunedByTags: 0,
    nodesPrunedByBounds: 0,
    perHeight,
    rollUps: 0,
    groupedFromHistogram: 0,
    optimal: false,
    stoppedBy: 'completed',
    nodeMemory: 'sparse',
    progress: [],
  };
}

/** The quality inputs of a release decided row by row (a differentially private sample): every row its own tuple. */
function rowLevelQualityInput(table: EncodedTable, qiColumns: readonly number[], levels: Int32Array, suppressedRows: Uint8Array): [TupleRecoding, EquivalenceClasses] {
  const { recoding, tuples } = rowLevelRecoding(table, qiColumns, levels, suppressedRows);
  return [recoding, tuples];
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

/** The chosen transformation with what the report needs of it, however it was chosen. */
interface Chosen {
  readonly levels: Int32Array;
  /** The classes the report describes (a differentially private release adds the dropped records' after the sample's). */
  readonly classes: EquivalenceClasses;
  readonly suppressed: Uint8Array;
  /** How many of `classes` are the release's own (the rest are dropped records). */
  readonly classCount: number;
  readonly suppressedRows: Uint8Array;
  readonly suppressedForRiskLimits: { readonly records: number; readonly classes: number };
  /** The optimized metric's value, where the search computed it. */
  readonly score?: number;
  readonly search: {
    readonly strategy: string;
    readonly latticeSize: number;
    readonly nodesChecked: number;
    readonly nodesPrunedByTags: number;
    readonly nodesPrunedByBounds: number;
    readonly perHeight: HeightCounts[];
    readonly rollUps: number;
    readonly groupedFromHistogram: number;
    /** Whether the search proved its choice optimal. */
    readonly optimal: boolean;
    /** A proven lower bound on the optimal score (absent where nothing bounds it). */
    readonly lowerBound?: number;
    readonly stoppedBy: 'completed' | 'time-limit' | 'memory';
    readonly nodeMemory: 'dense' | 'sparse';
    readonly progress: SearchProgressPoint[];
  };
  readonly differentialPrivacy?: DifferentialPrivacyReport;
  /** The release per distinct tuple, where whole tuples are released or suppressed (the search's). */
  readonly tupleRecoding?: TupleRecoding;
}

/** What bounds and reports a search: its time limit, whom to tell how it goes, and (for tests) its internals. */
interface SearchRun {
  readonly timeLimitMs: number;
  readonly onProgress?: ProgressCallback;
  readonly searchSettings?: EncodedRun['searchSettings'];
  /** Whether the release needs the search's transformation (global recoding), and the error when there is none. */
  readonly required: boolean;
  readonly noSolution: () => CloakError;
}

/**
 * The optimal (or exhaustive) search, then the decision at its optimum; undefined when no node satisfies the models
 * — or when the search found none within its time limit and `run.required` is false (local recoding, for which the
 * global optimum is only a bar to clear); when it is required, that case fails as such.
 */
function chooseBySearch(histogram: TupleHistogram, hierarchies: readonly CompiledHierarchy[], setup: NodeEvaluatorSetup, cacheBytes: number, strategy: 'optimal' | 'exhaustive', run: SearchRun): Chosen | undefined {
  const maxLevels = hierarchies.map((hierarchy) => hierarchy.maxLevel);
  const prefetchAnchors = histogram.tuples.count >= PREFETCH_ANCHORS_FROM_TUPLES;
  const grouper = new NodeGrouper(histogram, hierarchies, cacheBytes, prefetchAnchors);
  const { onProgress, timeLimitMs } = run;
  const latticeSize = Lattice.sizeOf(maxLevels);
  const total = latticeSize <= Number.MAX_SAFE_INTEGER ? latticeSize : undefined;
  let result: SearchResult;
  try {
    result = search(createSearchProblem(grouper, setup, maxLevels), strategy, {
      timeLimitMs,
      onProgress: onProgress === undefined ? undefined : (point) => onProgress({ phase: 'search', done: point.nodesChecked, total, ...progressOf(point), elapsedMs: point.ms }),
      ...run.searchSettings,
    });
  } finally {
    grouper.close();
  }
  if (result.optimum === null) {
    if (!result.optimal && run.required) {
      const message = run.noSolution().message.replace(/^no transformation satisfies/, 'the search found no transformation satisfying');
      throw new CloakError('NO_SOLUTION_FOUND_IN_TIME', `${message} within its time limit of ${timeLimitMs} ms, and did not finish; raise --time-limit`, { exitCode: ExitCode.noSolution });
    }
    return undefined;
  }
  const { classes, tupleToClass } = grouper.classesWithTupleMap(result.optimum);
  const decision = decideNode(classes, setup);
  return {
    levels: result.optimum,
    classes,
    suppressed: decision.suppressed,
    classCount: classes.count,
    suppressedRows: suppressedRowsOf(histogram.rowToTuple, tupleToClass, decision.suppressed),
    suppressedForRiskLimits: { records: decision.releaseSuppressedRecords, classes: decision.releaseSuppressedClasses },
    score: result.score,
    tupleRecoding: globalRecoding(result.optimum, tupleToClass, decision.suppressed),
    search: {
      strategy,
      latticeSize: result.latticeSize,
      nodesChecked: result.nodesChecked,
      nodesPrunedByTags: result.nodesPrunedByTags,
      nodesPrunedByBounds: result.nodesPrunedByBounds,
      perHeight: result.perHeight,
      rollUps: grouper.statistics.rollUps,
      groupedFromHistogram: grouper.statistics.fromHistogram,
      optimal: result.optimal,
      lowerBound: result.lowerBound,
      stoppedBy: result.stoppedBy,
      nodeMemory: result.representation,
      progress: result.trace.map((point): SearchProgressPoint => {
        const { score, lowerBound } = progressOf(point);
        return { ms: point.ms, nodesChecked: point.nodesChecked, score: score ?? null, lowerBound };
      }),
    },
  };
}

/** SafePub's sampling and choice (dp-release.ts), described like a search. */
function chooseWithDifferentialPrivacy(spec: Extract<ModelSpec, { type: 'differential-privacy' }>, setup: DpReleaseSetup): Chosen {
  const release = releaseWithDifferentialPrivacy(spec, setup);
  const classes = concatClasses(release.sampleClasses, release.droppedClasses);
  const suppressed = new Uint8Array(classes.count).fill(1);
  suppressed.set(release.sampleSuppressed);
  const strategy = release.report.transformation === 'fixed' ? 'differential-privacy (fixed levels)' : 'differential-privacy (exponential mechanism)';
  // Nothing pruned; a walk stopped by the time limit is refused (see dp-release.ts), so a released one completed.
  const search = emptySearch(strategy, setup.hierarchies.map((hierarchy) => hierarchy.maxLevel));
  return {
    levels: release.levels,
    classes,
    suppressed,
    classCount: release.sampleClasses.count,
    suppressedRows: release.suppressedRows,
    suppressedForRiskLimits: { records: 0, classes: 0 },
    search: {
      ...search,
      nodesChecked: release.nodesChecked,
      perHeight: search.perHeight.map((entry, height) => ({ ...entry, checked: release.checkedPerHeight[height] })),
    },
    differentialPrivacy: release.report,
  };
}

/** The research subset δ-presence releases, as a table of its own (sharing the input's dictionaries). */
async function researchSubset(input: EncodedTable, spec: Extract<ModelSpec, { type: 'delta-presence' }>, source: InputSource, delimiter: string | undefined) {
  const mask = spec.subsetColumn !== undefined ? subsetFromColumn(input, spec.subsetColumn, source) : await subsetFromRows(input, spec.subsetFile!, delimiter);
  const selected = selectRows(input, mask);
  if (selected.table.rowCount === 0) throw inputError('SUBSET_EMPTY', `δ-presence: the research subset of ${source.file} holds no record`, { location: { file: source.file } });
  return selected;
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

/** Records per code of a column of `table` (weighted when the table is aggregated). */
function countCodes(codes: Int32Array, domain: number, table: EncodedTable): Int32Array {
  const counts = new Int32Array(domain);
  const { weights, rowCount } = table;
  if (weights === undefined) for (let r = 0; r < rowCount; r++) counts[codes[r]]++;
  else for (let r = 0; r < rowCount; r++) counts[codes[r]] += weights[r];
  return counts;
}

/** The worst value each model reaches over the released classes, or its figure over the whole release. */
function modelMargin(model: PrivacyModel, classes: EquivalenceClasses, suppressed: Uint8Array): ModelMargin {
  const derived = model.derived === undefined ? {} : { derived: model.derived };
  if (model.releaseMeasure !== undefined) return { model: model.label, spec: model.spec, worst: model.releaseMeasure(classes.sizes.filter((_, c) => suppressed[c] === 0)), ...derived };
  let worst: number | null = null;
  for (let c = 0; c < classes.count; c++) {
    if (suppressed[c] === 1) continue;
    const value = model.classMeasure(classes, c);
    if (worst === null || (model.worst === 'min' ? value < worst : value > worst)) worst = value;
  }
  return { model: model.label, spec: model.spec, worst, ...derived };
}
