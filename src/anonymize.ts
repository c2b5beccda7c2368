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
import { search, type SearchResult } from './lattice/search.js';
import { createMetric, normalizeWeights, scoreAllMetrics } from './metrics/index.js';
import type { MetricContext } from './metrics/metric.js';
import { createModel, minimumClassSize } from './models/index.js';
import type { ModelContext, PrivacyModel, SensitiveAttribute } from './models/privacy-model.js';
import type { AnonymizeOptions, ModelSpec } from './options.js';
import { prepareTransforms, type PreparedTransforms } from './pseudonymize/prepare-transforms.js';
import { pseudonymizeTable } from './pseudonymize/pseudonymize-table.js';
import { anonymityIsMonotone, createSearchProblem, decideNode } from './evaluate-node.js';
import { columnIndex, type EncodedTable } from './table/encoded-table.js';
import { validateColumnType } from './table/attribute-types.js';
import { DEFAULT_MAX_NODES, metricOptionsOf, validateAgainstTable, validateOptions } from './validate-options.js';
import { verifyOutput } from './verify-output.js';
import { anonymizationRisk, prepareRiskSection } from './risk/anonymization-risk.js';
import { RELEASED_LABELS_SHOWN, type AnonymizationReport, type CellQuality, type LocalRecodingReport, type ModelMargin, type ReleasedLabels } from './report.js';
import { applyRecoding } from './recoding/apply-recoding.js';
import { cellQuality } from './recoding/cell-quality.js';
import { exploreTradeOff } from './recoding/explore.js';
import { labelIdentity } from './recoding/label-identity.js';
import { releaseLocally } from './recoding/local-release.js';
import { levelVectors, localAnonymizationRisk, localReleasedLabels } from './recoding/local-report.js';
import { releasedClasses, type ReleasedClasses } from './recoding/released-classes.js';
import { globalRecoding, suppressedRowsOfRecoding, type TupleRecoding } from './recoding/tuple-recoding.js';
import { granularityShares } from './metrics/granularity.js';
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

export interface EncodedRun {
  /**
   * Receives the output as soon as it is built, before it is verified, so that the caller can prepare writing it
   * meanwhile (it must not publish anything before `anonymizeEncoded` returns, nor change the table).
   */
  readonly onOutput?: (output: EncodedTable) => void;
  /** The identifying attributes' transforms with their keys, loaded before the input was read (`prepareTransforms`). */
  readonly transforms?: PreparedTransforms;
}

/** Anonymizes an encoded table in memory; throws CloakError for every user-caused failure. */
export async function anonymizeEncoded(input: EncodedTable, options: AnonymizeOptions, source: InputSource, run: EncodedRun = {}): Promise<EncodedAnonymization> {
  const started = performance.now();
  const roles = validateOptions(options);
  validateAgainstTable(options, input, source.file);

  for (const [name, attribute] of Object.entries(options.attributes)) {
    // Shifted dates are read by their transform, which keeps empty cells empty.
    if (attribute.type !== undefined && attribute.transform?.method !== 'shift-dates') {
      validateColumnType(input.columns[columnIndex(input, name)], { type: attribute.type, format: attribute.format }, source.file, source.lineOfRow);
    }
  }
  // Transformed before the search, so that a value a transform refuses fails the run before minutes of work.
  const pseudonymizeStarted = performance.now();
  const pseudonymization = pseudonymizeTable(input, run.transforms ?? (await prepareTransforms(options.attributes)), source);
  const pseudonymizeMs = performance.now() - pseudonymizeStarted;

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
  const maxNodes = options.search?.maxNodes ?? DEFAULT_MAX_NODES;
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
  // Without quasi-identifiers there is nothing to recode, locally or not.
  const recoding = roles.quasiIdentifiers.length === 0 ? 'global' : (options.recoding ?? 'global');
  const strategy = options.search?.strategy ?? 'optimal';
  const identity = labelIdentity(hierarchies);
  const shares = granularityShares(hierarchies);
  const quality = (tupleRecoding: TupleRecoding) =>
    cellQuality(tupleRecoding, { names: roles.quasiIdentifiers, hierarchies, tuples: histogram.tuples, valueCounts: metricContext.valueCounts, identity, shares });

  const prefetchAnchors = histogram.tuples.count >= PREFETCH_ANCHORS_FROM_TUPLES;
  const grouper = new NodeGrouper(histogram, hierarchies, (options.search?.cacheMb ?? DEFAULT_CACHE_MB) * 1024 * 1024, prefetchAnchors);
  const searchStarted = performance.now();
  let result: SearchResult;
  try {
    result = search(createSearchProblem(grouper, setup, maxLevels), strategy);
  } finally {
    grouper.close();
  }
  const noSolution = () =>
    new CloakError('NO_SOLUTION', `no ${recoding === 'local' ? 'local recoding' : 'transformation'} satisfies ${models.map((m) => m.label).join(' + ')} within the suppression limit (${suppressionBudget} of ${rowCount} records)`, {
      exitCode: ExitCode.noSolution,
    });
  if (result.optimum === null && recoding === 'global') throw noSolution();
  // The global optimum: released as is under global recoding, the bar local recoding must clear otherwise.
  const optimum = result.optimum === null ? undefined : { levels: result.optimum, ...grouper.classesWithTupleMap(result.optimum) };
  const decision = optimum === undefined ? undefined : decideNode(optimum.classes, setup);
  const identifyingColumns = roles.identifying.map((name) => columnIndex(input, name)).filter((column) => !pseudonymization.columns.has(column));

  let output: EncodedTable;
  let released: { classes: EquivalenceClasses; suppressed: Uint8Array; labels: Record<string, ReleasedLabels> };
  let releasedQuality: CellQuality;
  let suppressedRows: Uint8Array;
  let local: LocalRecodingReport | undefined;
  let localRelease: { classes: ReleasedClasses; recoding: TupleRecoding } | undefined;
  if (recoding === 'global') {
    suppressedRows = suppressedRowsOf(histogram.rowToTuple, optimum!.tupleToClass, decision!.suppressed);
    output = applyNode(input, { qiColumns, hierarchies, levels: optimum!.levels, identifyingColumns, suppressedRows });
    releasedQuality = quality(globalRecoding(optimum!.levels, optimum!.tupleToClass, decision!.suppressed));
    released = {
      classes: optimum!.classes,
      suppressed: decision!.suppressed,
      labels: releasedLabels(roles.quasiIdentifiers, hierarchies, optimum!.classes, decision!.suppressed, options.showValues === true),
    };
  } else {
    const release = releaseLocally({
      names: roles.quasiIdentifiers,
      tuples: histogram.tuples,
      hierarchies,
      valueCounts: metricContext.valueCounts,
      identity,
      shares,
      models,
      minClassSize: setup.minClassSize,
      suppressionBudget,
      global: optimum === undefined ? undefined : { levels: optimum.levels, tupleToClass: optimum.tupleToClass, suppressedClass: decision!.suppressed },
    });
    if (release === undefined) throw noSolution();
    suppressedRows = suppressedRowsOfRecoding(release.recoding, histogram.rowToTuple);
    output = applyRecoding(input, release.recoding, { qiColumns, hierarchies, identifyingColumns, rowToTuple: histogram.rowToTuple, tupleCodes: histogram.tuples.keys });
    releasedQuality = release.quality;
    const classes = releasedClasses(histogram.tuples, release.recoding, hierarchies, identity);
    localRelease = { classes, recoding: release.recoding };
    released = { classes: classes.classes, suppressed: classes.suppressed, labels: localReleasedLabels(roles.quasiIdentifiers, hierarchies, histogram.tuples, release.recoding, options.showValues === true) };
    local = {
      levelVectors: levelVectors(roles.quasiIdentifiers, release.recoding, histogram.tuples, classes.groupOfClass),
      globalGranularityLoss: release.globalGranularityLoss,
      released: release.released,
      nodeEvaluations: release.nodeEvaluations,
      mergedRecords: release.mergedRecords,
    };
  }
  const searchMs = performance.now() - searchStarted;
  // Pseudonymized columns are released on every row, suppressed ones too: they are not quasi-identifiers.
  output = { rowCount: output.rowCount, columns: output.columns.map((column, index) => pseudonymization.columns.get(index) ?? column) };
  run.onOutput?.(output);

  const verifyStarted = performance.now();
  verifyOutput({
    output,
    original: input,
    // Under local recoding the output's `*` decide, as for any reader: every record reading `*` everywhere counts.
    suppressedRows: recoding === 'local' ? 'infer' : suppressedRows,
    quasiIdentifiers: roles.quasiIdentifiers,
    hierarchies: recoding === 'local' ? hierarchies : undefined,
    identifying: roles.identifying,
    models: options.models,
    suppressionLimit: options.suppressionLimit ?? 0,
    sensitive,
  });
  const verifyMs = performance.now() - verifyStarted;
  const risk =
    localRelease === undefined
      ? anonymizationRisk(riskSetup, histogram.tuples, released.classes, released.suppressed, hierarchies)
      : localAnonymizationRisk(riskSetup, histogram.tuples, localRelease.classes, localRelease.recoding, hierarchies);

  const { classes, suppressed } = released;
  let minClass = Infinity;
  let releasedClassCount = 0;
  let suppressedRecords = 0;
  const bySize = new Map<number, { size: number; released: number; suppressed: number }>();
  for (let c = 0; c < classes.count; c++) {
    const size = classes.sizes[c];
    const counts = bySize.get(size) ?? { size, released: 0, suppressed: 0 };
    bySize.set(size, counts);
    if (suppressed[c] === 1) {
      counts.suppressed++;
      suppressedRecords += size;
      continue;
    }
    counts.released++;
    releasedClassCount++;
    if (size < minClass) minClass = size;
  }
  // Null prototype: a quasi-identifier named `__proto__` must be an own key, not a prototype assignment.
  const transformation: Record<string, number> = Object.create(null);
  const topLevels: Record<string, number> = Object.create(null);
  roles.quasiIdentifiers.forEach((name, j) => {
    transformation[name] = optimum?.levels[j] ?? maxLevels[j];
    topLevels[name] = maxLevels[j];
  });
  const explore = options.explore === undefined ? undefined : exploreTradeOff(options, input.rowCount, releaseQualityFor);
  const report: AnonymizationReport = {
    recoding,
    transformation,
    suppressed: suppressedRecords,
    classes: releasedClassCount,
    suppressedClasses: classes.count - releasedClassCount,
    minClassSize: releasedClassCount === 0 ? 0 : minClass,
    classSizeDistribution: [...bySize.values()].sort((a, b) => a.size - b.size),
    releasedLabels: released.labels,
    metric: recoding === 'local' ? { name: 'granularity', value: releasedQuality.granularityLoss.value } : { name: metric.name, value: result.score },
    metrics: optimum === undefined ? {} : scoreAllMetrics(optimum.classes, decision!.suppressed, metricContext),
    quality: releasedQuality,
    ...(local === undefined ? {} : { local }),
    ...(explore === undefined ? {} : { explore }),
    models: models.map((model) => modelMargin(model, classes, suppressed)),
    risk,
    latticeSize: result.latticeSize,
    lattice: { maxLevels: topLevels, perHeight: result.perHeight, optimumHeight: (optimum?.levels ?? Int32Array.from(maxLevels)).reduce((sum, level) => sum + level, 0) },
    nodesChecked: result.nodesChecked,
    search: {
      strategy,
      nodesPrunedByTags: result.nodesPrunedByTags,
      nodesPrunedByBounds: result.nodesPrunedByBounds,
      rollUps: grouper.statistics.rollUps,
      groupedFromHistogram: grouper.statistics.fromHistogram,
      distinctTuples: histogram.tuples.count,
      anonymityMonotone: anonymityIsMonotone(models, suppressionBudget),
    },
    rows: rowCount,
    suppressionBudget,
    pseudonymized: pseudonymization.attributes,
    timingsMs: { read: 0, pseudonymize: pseudonymizeMs, search: searchMs, verify: verifyMs, write: 0, total: performance.now() - started },
    verified: true,
    cloakVersion: cloakVersion(),
    policySha256: policySha256(options),
  };
  return { output, report, suppressedRows };

  /** Granularity loss, suppressed records and classes of what the run would release under other models (explore). */
  function releaseQualityFor(specs: readonly ModelSpec[]): CellQuality | undefined {
    const otherModels = specs.map((spec) => createModel(spec, modelContext));
    const otherSetup = { ...setup, models: otherModels, minClassSize: minimumClassSize(otherModels) };
    const found = search(createSearchProblem(grouper, otherSetup, maxLevels), strategy).optimum;
    const node = found === null ? undefined : grouper.classesWithTupleMap(found);
    const nodeSuppressed = node === undefined ? undefined : decideNode(node.classes, otherSetup).suppressed;
    if (recoding === 'global') return node === undefined ? undefined : quality(globalRecoding(found!, node.tupleToClass, nodeSuppressed!));
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
      global: node === undefined ? undefined : { levels: found!, tupleToClass: node.tupleToClass, suppressedClass: nodeSuppressed! },
    })?.quality;
  }
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
