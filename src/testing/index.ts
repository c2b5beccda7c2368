// Public entry of `cloak/testing`: independent checkers, their assert twins, and fast-check arbitraries and properties.
// Nothing here reaches into the engine's kernels; the checkers re-derive every class from decoded strings.

export {
  arbitraryDataset,
  arbitraryPolicy,
  SUBSET_COLUMN,
  type Dataset,
  type DatasetArbitraryOptions,
  type ModelType,
  type PolicyArbitraryOptions,
} from './arbitrary-policy.js';
export {
  arbitraryHierarchy,
  arbitrarySchema,
  arbitraryTable,
  domainOf,
  type ColumnSchema,
  type HierarchyArbitraryOptions,
  type IntegerRange,
  type SchemaArbitraryOptions,
  type TableSchema,
} from './arbitrary-table.js';
export { DEFAULT_SUPPRESSED_TOKEN, type ClassOptions, type SuppressedRows } from './classes.js';
export { readCsvTable, readTableFile, type CsvTableFile, type TableFile, type TableFileOptions } from './csv-table.js';
export {
  assertBetaLike,
  assertDeltaDisclosure,
  checkBetaLikeness,
  checkDeltaDisclosure,
  type BetaLikenessOptions,
  type DeltaDisclosureOptions,
  type DisclosureOptions,
} from './disclosure.js';
export { AnonymizationAssertionError } from './errors.js';
export { assertGeneralizes, checkGeneralizes, type GeneralizesOptions } from './generalizes.js';
export { assertHierarchy, checkHierarchy, type HierarchyCheckOptions, type HierarchyRows } from './hierarchy-rows.js';
export { assertKAnonymous, checkKAnonymity, type KAnonymityOptions } from './k-anonymity.js';
export { assertLDiverse, checkLDiversity, type LDiversityOptions } from './l-diversity.js';
export { assertModels, assertPolicy, checkModels, checkPolicy, type ModelsCheckOptions, type PolicyCheckOptions, type PolicyVerdict } from './policy.js';
export {
  propertyAnonymizes,
  type AnonymizationPipeline,
  type AnonymizationProperty,
  type OutputWithSuppression,
  type PipelineResult,
  type PropertyAnonymizesOptions,
} from './property.js';
export { assertRisk, checkRisk, type RiskCheckOptions } from './risk.js';
export {
  assertDeltaPresent,
  assertDifferentiallyPrivate,
  assertKMap,
  checkDeltaPresence,
  checkDifferentialPrivacy,
  checkKMap,
  type DeltaPresenceCheckOptions,
  type DifferentialPrivacyCheckOptions,
  type KMapCheckOptions,
  type PopulationOptions,
} from './population.js';
export { assertSuppressionWithin, checkSuppressionWithin, type SuppressionOptions } from './suppression.js';
export { assertTClose, checkTCloseness, type TClosenessDistance, type TClosenessOptions } from './t-closeness.js';
export type { ColumnarTable, ColumnInput, DictionaryColumn, TableInput } from './table-input.js';
export {
  BUDGET_EPSILON,
  DISTANCE_TOLERANCE,
  RELATIVE_TOLERANCE,
  type ClassFailure,
  type FailedVerdict,
  type Failure,
  type PassedVerdict,
  type ReportOptions,
  type RowFailure,
  type TableFailure,
  type Verdict,
  type VerdictStats,
} from './verdict.js';
