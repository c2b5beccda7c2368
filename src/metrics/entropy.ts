// Non-uniform entropy (ARX's MDNUNMEntropy and MDNUEntropy): bits lost per attribute when records show a label
// instead of their value. The plain variant adds the entropy of the suppressed records' labels, weighted by sF.

import type { EquivalenceClasses } from '../groupify/equivalence-classes.js';
import type { CompiledHierarchy } from '../hierarchy/compiled-hierarchy.js';
import { aggregate, floor10 } from './aggregate.js';
import { gsWeights } from './gs-factor.js';
import type { Metric, MetricContext, MetricValue } from './metric.js';

const LN2 = Math.log(2);

/** log₂ as ARX computes it (natural log over ln 2), so sums round identically. */
function log2(x: number): number {
  return Math.log(x) / LN2;
}

/**
 * Σ_v a_v·log₂(a_v / b_v) for every level (≤ 0; ARX's sign), where a_v counts value v over all n input records and b_v
 * counts the records sharing v's label at that level. It depends on the level alone, so it is computed once here.
 */
function generalizationEntropyByLevel(hierarchy: CompiledHierarchy, valueCounts: Int32Array): Float64Array {
  const byLevel = new Float64Array(hierarchy.maxLevel + 1);
  for (let level = 0; level <= hierarchy.maxLevel; level++) {
    const toLabel = hierarchy.dataToLevel[level];
    const recordsPerLabel = new Float64Array(hierarchy.labels[level].length);
    for (let value = 0; value < valueCounts.length; value++) recordsPerLabel[toLabel[value]] += valueCounts[value];
    let sum = 0;
    for (let value = 0; value < valueCounts.length; value++) {
      const records = valueCounts[value];
      if (records !== 0) sum += records * log2(records / recordsPerLabel[toLabel[value]]);
    }
    byLevel[level] = sum;
  }
  return byLevel;
}

/** Flips ARX's sign (avoiding −0) and keeps ten decimals. */
function toLoss(rawEntropy: number): number {
  return floor10(rawEntropy === 0 ? rawEntropy : -rawEntropy);
}

interface EntropyTables {
  readonly entropyByLevel: readonly Float64Array[];
  readonly gF: number;
  readonly sF: number;
}

function entropyTables(context: MetricContext): EntropyTables {
  const { suppression: sF, generalization: gF } = gsWeights(context.gsFactor);
  const entropyByLevel = context.hierarchies.map((hierarchy, j) => generalizationEntropyByLevel(hierarchy, context.valueCounts[j]));
  return { entropyByLevel, gF, sF };
}

function monotonicPart(tables: EntropyTables, levels: Int32Array, into: Float64Array): Float64Array {
  for (let j = 0; j < into.length; j++) into[j] = toLoss(tables.entropyByLevel[j][levels[j]] * tables.gF);
  return into;
}

/**
 * NUE_j = floor10(gF·Σ_v a_v·(−log₂(a_v/b_v)) + sF·Σ_w c_w·(−log₂(c_w/S))), c_w the suppressed records labelled w.
 * The second term is ≥ 0, so the first alone (entropy-monotonic) bounds it below at the node and every generalization.
 */
export function createEntropyMetric(context: MetricContext): Metric {
  const tables = entropyTables(context);
  const { weights } = context;
  const kind = context.aggregate;
  const width = context.hierarchies.length;
  // Per attribute: suppressed records per label, and the labels touched, so a reset costs only what was used.
  const labelCapacity = context.hierarchies.map((hierarchy) => Math.max(...hierarchy.labels.map((labels) => labels.length)));
  const suppressedPerLabel = labelCapacity.map((capacity) => new Int32Array(capacity));
  const touchedLabels = labelCapacity.map((capacity) => new Int32Array(capacity));
  const touchedCounts = new Int32Array(width);
  const boundValues = new Float64Array(width);

  return {
    name: 'entropy',
    monotoneWithSuppression: false,
    monotoneWithoutSuppression: true,
    score(classes: EquivalenceClasses, suppressed: Uint8Array): MetricValue {
      const { keys, sizes, count, levels } = classes;
      touchedCounts.fill(0);
      let suppressedRecords = 0;
      for (let c = 0; c < count; c++) {
        if (suppressed[c] !== 1) continue;
        const size = sizes[c];
        suppressedRecords += size;
        const base = c * width;
        for (let j = 0; j < width; j++) {
          const label = keys[base + j];
          if (suppressedPerLabel[j][label] === 0) touchedLabels[j][touchedCounts[j]++] = label;
          suppressedPerLabel[j][label] += size;
        }
      }
      const perAttribute = new Float64Array(width);
      for (let j = 0; j < width; j++) {
        let raw = tables.entropyByLevel[j][levels[j]] * tables.gF;
        const counts = suppressedPerLabel[j];
        const touched = touchedLabels[j];
        for (let t = 0; t < touchedCounts[j]; t++) {
          const records = counts[touched[t]];
          raw += records * log2(records / suppressedRecords) * tables.sF;
          counts[touched[t]] = 0;
        }
        perAttribute[j] = toLoss(raw);
      }
      return { value: aggregate(kind, perAttribute, weights), perAttribute };
    },
    lowerBound: (classes: EquivalenceClasses): number =>
      aggregate(kind, monotonicPart(tables, classes.levels, boundValues), weights),
    // The same bound, known before grouping.
    boundAt: (levels: Int32Array, boundBelow: number): number =>
      Math.max(boundBelow, aggregate(kind, monotonicPart(tables, levels, boundValues), weights)),
  };
}

/** gF·Σ_v a_v·(−log₂(a_v/b_v)) only: a function of the levels, so monotone whatever is suppressed and its own bound. */
export function createMonotonicEntropyMetric(context: MetricContext): Metric {
  const tables = entropyTables(context);
  const { weights } = context;
  const kind = context.aggregate;
  const width = context.hierarchies.length;
  return {
    name: 'entropy-monotonic',
    monotoneWithSuppression: true,
    monotoneWithoutSuppression: true,
    score(classes: EquivalenceClasses): MetricValue {
      const perAttribute = monotonicPart(tables, classes.levels, new Float64Array(width));
      return { value: aggregate(kind, perAttribute, weights), perAttribute };
    },
    lowerBound: (classes: EquivalenceClasses): number =>
      aggregate(kind, monotonicPart(tables, classes.levels, new Float64Array(width)), weights),
    // The score itself, known before grouping.
    boundAt: (levels: Int32Array, boundBelow: number): number =>
      Math.max(boundBelow, aggregate(kind, monotonicPart(tables, levels, new Float64Array(width)), weights)),
  };
}
