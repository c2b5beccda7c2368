// Public surface of the hierarchy builders: the five builders, the spec union, its dispatcher and its rules,
// ARX file reading/writing, spec documents and the shipped library generator.

export { buildDateHierarchy, type DateChain, type DateOptions } from './date.js';
export type { HierarchyDomain } from './domain.js';
export { HierarchyBuildErrorCode, type BuildContext } from './failures.js';
export { buildFrequencyHierarchy, type FrequencyOptions } from './frequency.js';
export { buildGroupHierarchy, type GroupLevel, type GroupMappingOptions } from './group.js';
export { GroupLevelsErrorCode, groupLevelsFromCsv, groupLevelsFromJson } from './group-levels.js';
export { buildIntervalHierarchy, type IntervalOptions } from './interval.js';
export { buildMaskHierarchy, type MaskAlign, type MaskDirection, type MaskOptions } from './mask.js';
export { buildOrderedHierarchy, type OrderedGroupOptions } from './ordered.js';
export { HierarchyFileErrorCode, readHierarchyRows } from './read-rows.js';
export {
  ShippedErrorCode,
  parseSpecDocument,
  readShippedSpecs,
  shippedDomain,
  shippedHierarchyRows,
  writeShippedLibrary,
  type ShippedHierarchy,
  type ShippedHierarchySpec,
} from './shipped.js';
export { buildHierarchy } from './build.js';
export type { DeclaredDomain } from './declared-domain.js';
export type { MissingOption } from './missing.js';
export {
  HierarchyRuleErrorCode,
  hierarchyRule,
  parseHierarchyRule,
  ruleLabels,
  type DateRule,
  type GroupRule,
  type HierarchyRule,
  type IntervalRule,
  type MaskRule,
} from './rule.js';
export {
  parseHierarchySpec,
  type CommonSpecOptions,
  type DateSpec,
  type FrequencySpec,
  type GroupSpec,
  type HierarchySpec,
  type HierarchyType,
  type IntervalSpec,
  type MaskSpec,
} from './spec.js';
export { writeHierarchyCsv } from './write-csv.js';
