// The Loss metric (ARX's MDNMLoss): per attribute, the normalized share of the domain each record's label covers.
// Suppressed records cost their full cell (or a gs-weighted mix); the default aggregate is ARX's geometric mean.

import type { EquivalenceClasses } from '../groupify/equivalence-classes.js';
import { aggregate, floor10, geometricFactor } from './aggregate.js';
import { gsWeights } from './gs-factor.js';
import type { Metric, MetricContext, MetricValue } from './metric.js';

/**
 * share_j(E) = rows of hierarchy file j whose level-l_j column holds E's label / |D_j|. Sums are kept as integer
 * row counts (Σ |E|·rows, exact below 2^53) and divided by |D_j| once: grouping the same records differently then
 * gives the same sum, so upward monotonicity holds exactly rather than up to rounding. The per-attribute values
 * agree with ARX's per-class summation after floor10 (checked on Adult).
 */
export function createLossMetric(context: MetricContext): Metric {
  const { rowCount, hierarchies, weights } = context;
  const kind = context.aggregate;
  const { suppression: sF, generalization: gF } = gsWeights(context.gsFactor);
  const width = hierarchies.length;

  // Level 0 labels are the data values: each is one row of the file by definition.
  const rowsPerLabelByLevel: Int32Array[][] = hierarchies.map((hierarchy) =>
    hierarchy.fileRowsPerLabel.map((rows, level) => (level === 0 ? new Int32Array(hierarchy.dataToLevel[0].length).fill(1) : rows)),
  );
  const domainSizes = Float64Array.from(hierarchies, (hierarchy) => hierarchy.fileRowCount);

  const rowsAtNode: Int32Array[] = new Array(width);
  const unsuppressedRows = new Float64Array(width);
  const suppressedRows = new Float64Array(width);
  const boundValues = new Float64Array(width);
  const recordShares = hierarchies.map((_, j) => recordSharesByLevel(rowsPerLabelByLevel[j], hierarchies[j].dataToLevel, context.valueCounts[j]));
  // a = gF + sF − 1: beyond gF·T_j, a suppressed record adds sF·|D_j| − a·(the rows its label covers), see boundAt.
  const rowsWeight = gF + sF - 1;
  // Absolute slack on a bound's row sum, 2⁻⁴⁰·n|D_j|: far above the rounding error of the bound's and the score's
  // few operations on magnitudes ≤ 2n|D_j| (tens of 2⁻⁵³·n|D_j|), so rounding cannot lift the bound above the score.
  const slack = Float64Array.from(domainSizes, (size) => 2 ** -40 * rowCount * size);
  // The search asks for bounds of many nodes sharing an attribute's level and the forced count, again and again:
  // each attribute's term (for the geometric mean its correctly rounded power, the costly part) is memoized.
  const geometric = kind === 'geometric';
  const boundTerms = hierarchies.map(() => new Map<number, number>());

  /** Attribute j's value in boundAt (or its geometric factor), at `level` with at least `atLeast` records suppressed. */
  function boundTerm(j: number, level: number, atLeast: number): number {
    const key = level * (rowCount + 1) + atLeast;
    let term = boundTerms[j].get(key);
    if (term === undefined) {
      const shares = recordShares[j][level];
      const rowSum = gF * shares.total + (sF * atLeast * domainSizes[j] - rowsWeight * largestRows(shares, atLeast));
      const value = normalize(rowSum - slack[j], j);
      term = geometric ? geometricFactor(value, weights[j], width) : value;
      boundTerms[j].set(key, term);
    }
    return term;
  }

  /**
   * raw_j = rowSum / |D_j|; returns (raw − gF·n/|D_j|) / (n − gF·n/|D_j|) clamped at 0, floored to ten decimals.
   * NaN (a one-row hierarchy) also becomes 0, as in ARX.
   */
  function normalize(rowSum: number, j: number): number {
    const minimum = (gF * rowCount) / domainSizes[j];
    const normalized = (rowSum / domainSizes[j] - minimum) / (rowCount - minimum);
    return floor10(normalized >= 0 ? normalized : 0);
  }

  /** Accumulates Σ|E|·rows per attribute into the two scratch arrays; returns the number of suppressed records. */
  function accumulate(classes: EquivalenceClasses, suppressed: Uint8Array): number {
    for (let j = 0; j < width; j++) rowsAtNode[j] = rowsPerLabelByLevel[j][classes.levels[j]];
    unsuppressedRows.fill(0);
    suppressedRows.fill(0);
    const { keys, sizes, count } = classes;
    let suppressedRecords = 0;
    for (let c = 0; c < count; c++) {
      const size = sizes[c];
      const isSuppressed = suppressed[c] === 1;
      const target = isSuppressed ? suppressedRows : unsuppressedRows;
      if (isSuppressed) suppressedRecords += size;
      const base = c * width;
      for (let j = 0; j < width; j++) target[j] += size * rowsAtNode[j][keys[base + j]];
    }
    return suppressedRecords;
  }

  return {
    name: 'loss',
    monotoneWithSuppression: false,
    monotoneWithoutSuppression: true,

    score(classes: EquivalenceClasses, suppressed: Uint8Array): MetricValue {
      const suppressedRecords = accumulate(classes, suppressed);
      const perAttribute = new Float64Array(width);
      for (let j = 0; j < width; j++) {
        // A suppressed cell keeps the share its label would have had and pays sF for the rest of the cell:
        // Σ_O |E|·share + sF·(|E| − |E|·share), which is |E| when sF = 1. Integer operands keep it ≥ the bound's term.
        const suppressionCost = suppressedRows[j] + sF * (suppressedRecords * domainSizes[j] - suppressedRows[j]);
        perAttribute[j] = normalize(gF * unsuppressedRows[j] + suppressionCost, j);
      }
      return { value: aggregate(kind, perAttribute, weights), perAttribute };
    },

    /** ARX's loss of one class: per attribute |E|·share of its label, aggregated with the weights (no gs factor). */
    classLoss(classes: EquivalenceClasses, c: number): number {
      const values = new Float64Array(width);
      const size = classes.sizes[c];
      for (let j = 0; j < width; j++) values[j] = (size * rowsPerLabelByLevel[j][classes.levels[j]][classes.keys[c * width + j]]) / domainSizes[j];
      return aggregate(kind, values, weights);
    },

    /** The score with nothing suppressed; its row sums depend on the levels alone, so no class is visited. */
    lowerBound(classes: EquivalenceClasses): number {
      for (let j = 0; j < width; j++) boundValues[j] = normalize(gF * recordShares[j][classes.levels[j]].total, j);
      return aggregate(kind, boundValues, weights);
    },

    /**
     * The row sum scored for attribute j is gF·T_j + Σ_{r∈O} (sF·|D_j| − a·rows_j(r)), with T_j the rows of all n
     * records, O the suppressed ones and a = gF + sF − 1 ∈ [0, 1] (gs ≤ ½: a = sF; above: a = gF). T_j depends on
     * l_j alone (the sum runs over records, however they are grouped). Each suppressed record adds ≥ (1 − gF)·|D_j|
     * ≥ 0, the less the more rows its label covers, so |O| ≥ S records add at least S·sF·|D_j| − a·(the S largest
     * rows at l_j). normalize, floor10 and every aggregate are non-decreasing, hence the bound.
     */
    boundAt(levels: Int32Array, boundBelow: number, suppressedAtLeast: number): number {
      let bound: number;
      if (geometric) {
        // The same products in the same order as `aggregate`.
        let product = 1;
        for (let j = 0; j < width; j++) product *= boundTerm(j, levels[j], suppressedAtLeast);
        bound = product - 1;
      } else {
        for (let j = 0; j < width; j++) boundValues[j] = boundTerm(j, levels[j], suppressedAtLeast);
        bound = aggregate(kind, boundValues, weights);
      }
      return Math.max(boundBelow, bound);
    },
  };
}

/** The rows each record's label covers at one level: their total, and the distinct values, largest first. */
interface RecordShares {
  readonly total: number;
  readonly rows: Float64Array;
  /** records[i]: how many records have a label covering rows[i] rows. */
  readonly records: Float64Array;
}

function recordSharesByLevel(rowsPerLabel: readonly Int32Array[], dataToLevel: readonly Int32Array[], valueCounts: Int32Array): RecordShares[] {
  return rowsPerLabel.map((rowsOfLabel, level) => {
    const recordsByRows = new Map<number, number>();
    let total = 0;
    for (let value = 0; value < valueCounts.length; value++) {
      const rows = rowsOfLabel[dataToLevel[level][value]];
      total += valueCounts[value] * rows;
      recordsByRows.set(rows, (recordsByRows.get(rows) ?? 0) + valueCounts[value]);
    }
    const distinct = [...recordsByRows.keys()].sort((a, b) => b - a);
    return { total, rows: Float64Array.from(distinct), records: Float64Array.from(distinct, (rows) => recordsByRows.get(rows)!) };
  });
}

/** Σ of the `count` largest per-record rows (all records' if `count` exceeds them). */
function largestRows(shares: RecordShares, count: number): number {
  let sum = 0;
  for (let i = 0; i < shares.rows.length && count > 0; i++) {
    const taken = Math.min(count, shares.records[i]);
    sum += taken * shares.rows[i];
    count -= taken;
  }
  return sum;
}
