// The package root: the public API of Cloak. Everything a library user imports comes from here.
// Internals (kernels, search, models) stay behind these verbs and types.

export { anonymize, anonymizeCsv, type AnonymizeCsvRequest, type AnonymizeInput, type AnonymizeResult, type AnonymizeRun } from './api.js';
export { CloakError, ExitCode, type ErrorLocation } from './errors.js';
export type {
  AnonymizeOptions,
  AttributeOptions,
  AttributeRole,
  ExploreOptions,
  HierarchySource,
  MetricName,
  MetricOptions,
  ModelSpec,
  SearchOptions,
  SubsetSource,
} from './options.js';
export type {
  AnonymizationReport,
  AttributeFigures,
  CellQuality,
  ClassSizeCount,
  ExplorePoint,
  ExploreReport,
  LatticeHeight,
  LocalRecodingReport,
  ModelMargin,
  ReportedMetric,
  SearchProgressPoint,
} from './report.js';
export { DEFAULT_EXPLORE_K } from './validate-options.js';
export type { DifferentialPrivacyReport } from './dp-release.js';
export { renderHtmlReport, type HtmlReportContext } from './report-html/index.js';
export type { AttributeType } from './table/encoded-table.js';
export { parseTypeSpec, type TypedAttribute } from './table/attribute-types.js';
export { missingColumnProblems } from './table/column-names.js';
export { DEFAULT_TIME_LIMIT_MS } from './validate-options.js';
export { DEFAULT_MAX_COLUMNS, DEFAULT_MAX_FIELD_BYTES } from './io/csv-reader.js';
export { removeTemporaryFiles } from './io/atomic-file.js';
export {
  buildColumnHierarchy,
  checkHierarchies,
  type AttributeHierarchyCheck,
  type BuildColumnHierarchyRequest,
  type BuiltColumnHierarchy,
  type CheckHierarchiesRequest,
  type HierarchyLevelCounts,
  type HierarchyProblem,
  type HierarchyReport,
  type MissingValuesSummary,
} from './hierarchy/check.js';
export {
  buildHierarchy,
  groupLevelsFromCsv,
  groupLevelsFromJson,
  hierarchyRule,
  parseHierarchyRule,
  parseHierarchySpec,
  parseSpecDocument,
  ruleLabels,
  writeHierarchyCsv,
  type DeclaredDomain,
  type GroupLevel,
  type HierarchyRule,
  type HierarchySpec,
  type MissingOption,
} from './hierarchy/builders/index.js';
export { findHierarchyFile, readHierarchyFile } from './hierarchy/load.js';
export { readCsvTable, readTableFile, type CsvTableFile, type TableFile, type TableFileOptions } from './testing/csv-table.js';
export { checkModels, checkPolicy, type ModelsCheckOptions, type PolicyCheckOptions, type PolicyVerdict } from './testing/policy.js';
export { checkSuppressionWithin } from './testing/suppression.js';
export type { Failure, Verdict } from './testing/verdict.js';
export { estimateRisk, type RiskEstimateOptions } from './risk/estimate-risk.js';
export type { PopulationTableSource, RiskReportOptions } from './options.js';
export { POPULATION_PRESETS, RISK_BAND_LIMITS, isEstimateAvailable, type AttackerRisk, type CountAndFraction, type PopulationEstimate, type PopulationModel, type PopulationUniquenessReport, type RiskBand, type RiskReport } from './risk/index.js';
export { POPULATION_COUNT_COLUMN } from './risk/population-table.js';
export { resolvePopulationSize, type TableRiskReport } from './risk/table-risk.js';
export type { AnonymizationRisk } from './risk/anonymization-risk.js';
export { jsonPath, parsePolicy, readPolicyFile, readPolicyFileSync, resolvePolicyPaths } from './policy/parse-policy.js';
export { applyPolicyOverrides, type PolicyOverrides } from './policy/overrides.js';
export { canonicalJson } from './policy/canonical-json.js';
export { cloakVersion, policySha256 } from './policy/policy-hash.js';
export { tableFormatOf, type TableFormat } from './io/arrow-ipc.js';
export type { ProgressCallback, ProgressEvent } from './plan/progress.js';
export { plan, planToFile, type EngineSource, type PlanToFileRequest } from './plan/plan.js';
export { parseMemorySize, type ClickHouseEngineOptions, type DuckDbEngineOptions, type EngineOptions, type EngineRunFacts } from './engines/engine.js';
export { parsePlan, PLAN_FORMAT_VERSION, type Plan, type PlanQuasiIdentifier, type PlanSensitive } from './plan/plan-format.js';
export { applyPlan, applyPlanStream, applyPlanToFile, type ApplyPlanOptions, type ApplyPlanReport, type ApplyPlanStreamOptions, type ApplyPlanSummary, type ApplyPlanToFileOptions } from './plan/apply-plan.js';
export type { PlanRecord, PlanSource } from './plan/sources.js';
export {
  TRANSFORM_METHODS,
  transformProblems,
  type Ff1Transform,
  type HmacTransform,
  type MaskTransform,
  type ResolvedTransform,
  type ShiftDatesTransform,
  type TransformSpec,
} from './pseudonymize/transform-spec.js';
export { keyFingerprint, type KeySource, type PseudonymizationKeys } from './pseudonymize/keys.js';
export type { PseudonymizedAttribute } from './pseudonymize/pseudonymize-table.js';
export { reidentify, reidentifyCsv, type ReidentifyCsvRequest, type ReidentifyOptions, type ReidentifyResult } from './pseudonymize/reidentify.js';
