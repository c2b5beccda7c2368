// The package root: the public API of Cloak. Everything a library user imports comes from here.
// Internals (kernels, search, models) stay behind these verbs and types.

export { anonymize, anonymizeCsv, type AnonymizeCsvRequest, type AnonymizeInput, type AnonymizeResult } from './api.js';
export { CloakError, ExitCode, type ErrorLocation } from './errors.js';
export type {
  AnonymizeOptions,
  AttributeOptions,
  AttributeRole,
  HierarchySource,
  MetricName,
  MetricOptions,
  ModelSpec,
  SearchOptions,
} from './options.js';
export type { AnonymizationReport, ModelMargin, ReportedMetric } from './report.js';
export type { AttributeType } from './table/encoded-table.js';
export { parseTypeSpec, type TypedAttribute } from './table/attribute-types.js';
export { DEFAULT_MAX_NODES } from './validate-options.js';
export { DEFAULT_MAX_COLUMNS, DEFAULT_MAX_FIELD_BYTES } from './io/csv-reader.js';
export { removeTemporaryFiles } from './io/atomic-file.js';
