// The HTML report's charts: one Vega-Lite specification per chart, rendered to static SVG in Node by Vega.
// Owns what each chart plots and how its data is shaped from the report; knows nothing of the page around it.

import type { TopLevelSpec } from 'vega-lite';
import type { AnonymizationReport } from '../report.js';
import type { RiskFigures, RiskSection } from './risk-section.js';

/** A chart ready to inline: its SVG and the sentence that says what it shows (caption and accessible name). */
export interface RenderedChart {
  readonly id: string;
  readonly title: string;
  readonly caption: string;
  readonly svg: string;
}

const COLORS = {
  released: '#2f6db5',
  suppressed: '#c8553d',
  input: '#c8553d',
  output: '#2f6db5',
  checked: '#2f6db5',
  prunedByTags: '#e0a030',
  prunedByBounds: '#7a9e5a',
  track: '#e6e9ee',
  optimum: '#1b1f24',
  score: '#2f6db5',
  lowerBound: '#7a9e5a',
} as const;

const CONFIG = {
  font: 'Helvetica, Arial, sans-serif',
  background: 'white',
  view: { stroke: null },
  axis: { labelFontSize: 11, titleFontSize: 11, titleFontWeight: 'normal', labelColor: '#333', titleColor: '#333', gridColor: '#eceff3' },
  legend: { labelFontSize: 11, titleFontSize: 11, orient: 'bottom', direction: 'horizontal' },
  title: { fontSize: 12, fontWeight: 'bold', anchor: 'start' },
} as const;

/** Counts are whole: no 0.5 ticks on a small axis. */
const COUNT_AXIS = { tickMinStep: 1, format: 'd' } as const;

/** Renders a Vega-Lite spec to an SVG string; Vega is loaded on first use so runs without an HTML report never pay for it. */
export async function renderSvg(spec: TopLevelSpec): Promise<string> {
  const [vega, vegaLite] = await Promise.all([import('vega'), import('vega-lite')]);
  const compiled = vegaLite.compile({ ...spec, config: CONFIG } as TopLevelSpec).spec;
  // renderer 'none': no canvas or DOM in Node; toSVG draws the scenegraph to a string by itself.
  const view = new vega.View(vega.parse(compiled), { renderer: 'none' });
  try {
    return await view.toSVG();
  } finally {
    view.finalize();
  }
}

/** A class-size bucket: sizes `low` to `high` inclusive, and its axis label. */
export interface SizeBucket {
  readonly low: number;
  readonly high: number;
  readonly label: string;
}

/** From this size on, bucket labels are abbreviated (1k–2k), so that long ones do not collide on the axis. */
const ABBREVIATED_FROM = 1000;

/** 1000 → 1k, 20000 → 20k, 5000000 → 5M: every bucket bound from 1,000 on is one digit with zeros, so this is exact. */
function abbreviate(size: number): string {
  if (size >= 1e9) return `${size / 1e9}B`;
  return size >= 1e6 ? `${size / 1e6}M` : `${size / 1e3}k`;
}

/**
 * Size buckets 1, 2, 3–4, 5–9, 10–19, 20–49, …: equal-width bins would put every small (risky) class into one bar.
 * Below 1,000 a label names its sizes inclusively (500–999); from 1,000 on it names its bounds, 1k–2k holding 1,000
 * to 1,999, which keeps every label short (see `sizeBucketNote`).
 */
export function sizeBuckets(largest: number): SizeBucket[] {
  const starts = [1, 2, 3, 5];
  for (let scale = 10; starts[starts.length - 1] <= largest; scale *= 10) starts.push(scale, 2 * scale, 5 * scale);
  const buckets: SizeBucket[] = [];
  for (let i = 0; i + 1 < starts.length && starts[i] <= largest; i++) {
    const low = starts[i];
    const high = starts[i + 1] - 1;
    const label = low >= ABBREVIATED_FROM ? `${abbreviate(low)}–${abbreviate(high + 1)}` : low === high ? `${low}` : `${low}–${high}`;
    buckets.push({ low, high, label });
  }
  return buckets;
}

/** The sentence that reads abbreviated labels exactly, when the chart has one. */
export function sizeBucketNote(buckets: readonly SizeBucket[]): string | undefined {
  const first = buckets.find((bucket) => bucket.low >= ABBREVIATED_FROM);
  if (first === undefined) return undefined;
  return `From ${formatCount(first.low)} records on, a bar’s label gives its bounds: ${first.label} holds classes of ${formatCount(first.low)} to ${formatCount(first.high)} records.`;
}

/** A whole number with thousands separators (en-US), as every count in the report is shown. */
export function formatCount(value: number): string {
  return value.toLocaleString('en-US');
}

/** Axis labels are 11 px; this over-estimates their width in Helvetica or Arial (digits are 0.556 em, B 0.667, M 0.833). */
function labelWidth(label: string): number {
  let ems = 0;
  for (const char of label) ems += char === 'M' ? 0.85 : char === 'B' ? 0.7 : 0.6;
  return ems * CONFIG.axis.labelFontSize;
}

/**
 * Room for the class-size plots at the report's full width: its panels have 1,106 px inside, less the y axes
 * (counts up to ten digits) and the space between facets.
 */
const CLASS_SIZE_ROOM = 940;
/** The least band that keeps neighbouring labels apart when they are turned by 45°: their height over sin 45°, and a gap. */
const TURNED_STEP = 24;

/** How the class-size chart is laid out so that no two axis labels overlap. */
export interface ClassSizeLayout {
  /** Facets side by side (2) or one above the other (1). */
  readonly columns: 1 | 2;
  /** Width of one bucket's band, in pixels. */
  readonly step: number;
  /** 0: labels read across; −45: turned, when even one facet per row has no room for them across. */
  readonly labelAngle: 0 | -45;
}

export function classSizeLayout(buckets: readonly SizeBucket[]): ClassSizeLayout {
  const across = Math.max(44, Math.ceil(Math.max(...buckets.map((bucket) => labelWidth(bucket.label))) + 12));
  if (2 * across * buckets.length <= CLASS_SIZE_ROOM) return { columns: 2, step: across, labelAngle: 0 };
  if (across * buckets.length <= CLASS_SIZE_ROOM) return { columns: 1, step: across, labelAngle: 0 };
  return { columns: 1, step: Math.max(TURNED_STEP, Math.floor(CLASS_SIZE_ROOM / buckets.length)), labelAngle: -45 };
}

export function classSizeSpec(report: AnonymizationReport): TopLevelSpec | undefined {
  const distribution = report.classSizeDistribution;
  if (distribution.length === 0) return undefined;
  const buckets = sizeBuckets(distribution[distribution.length - 1].size);
  const values = [];
  for (const [order, bucket] of buckets.entries()) {
    for (const status of ['released', 'suppressed'] as const) {
      let classes = 0;
      let records = 0;
      for (const entry of distribution) {
        if (entry.size < bucket.low || entry.size > bucket.high) continue;
        classes += entry[status];
        records += entry[status] * entry.size;
      }
      values.push({ order, bucket: bucket.label, status, measure: 'classes', count: classes });
      values.push({ order, bucket: bucket.label, status, measure: 'records in them', count: records });
    }
  }
  const layout = classSizeLayout(buckets);
  const labels = layout.labelAngle === 0 ? { labelAngle: 0 } : { labelAngle: layout.labelAngle, labelAlign: 'right', labelBaseline: 'top' };
  return {
    description: 'Equivalence classes and their records by class size, released and suppressed',
    data: { values },
    // Side by side as columns, or one above the other as rows titled on top, like the columns.
    facet: { [layout.columns === 2 ? 'column' : 'row']: { field: 'measure', type: 'nominal', sort: ['classes', 'records in them'], title: null, header: { labelFontSize: 12, labelFontWeight: 'bold', labelAngle: 0, labelOrient: 'top' } } },
    // Each facet keeps its own x axis: in rows, the upper one would otherwise have none.
    resolve: { scale: { y: 'independent' }, axis: { x: 'independent' } },
    spec: {
      width: Math.max(220, layout.step * buckets.length),
      height: 200,
      mark: { type: 'bar' },
      encoding: {
        x: { field: 'bucket', type: 'ordinal', sort: { field: 'order' }, title: 'class size', axis: labels },
        y: { field: 'count', type: 'quantitative', title: null, stack: 'zero', axis: COUNT_AXIS },
        color: { field: 'status', type: 'nominal', title: null, scale: { domain: ['released', 'suppressed'], range: [COLORS.released, COLORS.suppressed] } },
        order: { field: 'status', sort: 'ascending' },
      },
    },
  } as TopLevelSpec;
}

const PER_ATTRIBUTE_METRICS: readonly { name: string; title: string }[] = [
  { name: 'loss', title: 'information loss' },
  { name: 'precision', title: 'precision loss' },
  { name: 'entropy', title: 'non-uniform entropy' },
];

export function attributeSpec(report: AnonymizationReport): TopLevelSpec {
  const names = Object.keys(report.transformation);
  const rowHeight = { step: 20 };
  const label = { field: 'attribute', type: 'nominal', sort: names, title: null } as const;
  const levels = names.map((attribute) => {
    const level = report.transformation[attribute];
    const max = report.lattice.maxLevels[attribute];
    return { attribute, level, max, text: `${level} / ${max}` };
  });
  const panels: object[] = [
    {
      title: 'generalization level',
      data: { values: levels },
      width: 200,
      height: rowHeight,
      encoding: { y: { ...label, axis: { labelLimit: 180, labelFontSize: 11 } } },
      layer: [
        { mark: { type: 'bar', color: COLORS.track }, encoding: { x: { field: 'max', type: 'quantitative', title: 'level / top level', axis: { tickMinStep: 1, format: 'd' } } } },
        { mark: { type: 'bar', color: COLORS.released }, encoding: { x: { field: 'level', type: 'quantitative' } } },
        { mark: { type: 'text', align: 'left', dx: 4, fontSize: 10 }, encoding: { x: { field: 'max', type: 'quantitative' }, text: { field: 'text' } } },
      ],
    },
  ];
  for (const { name, title } of PER_ATTRIBUTE_METRICS) {
    const perAttribute = report.metrics[name]?.perAttribute;
    if (perAttribute === undefined || perAttribute.length !== names.length) continue;
    // A NaN figure arrives as null through JSON; it is left out rather than drawn as zero.
    const values = names.flatMap((attribute, j) => (Number.isFinite(perAttribute[j]) ? [{ attribute, value: perAttribute[j], text: formatShare(perAttribute[j]) }] : []));
    panels.push({
      title,
      data: { values },
      width: 150,
      height: rowHeight,
      encoding: { y: { ...label, axis: null } },
      layer: [
        { mark: { type: 'bar', color: '#6b8fbf' }, encoding: { x: { field: 'value', type: 'quantitative', title: null, axis: { tickCount: 4 } } } },
        { mark: { type: 'text', align: 'left', dx: 3, fontSize: 10 }, encoding: { x: { field: 'value', type: 'quantitative' }, text: { field: 'text' } } },
      ],
    });
  }
  return {
    description: 'Generalization level and information loss per quasi-identifier',
    hconcat: panels,
    spacing: 28,
  } as TopLevelSpec;
}

/** Colours of the levels 0, 1, 2, … in the level-distribution chart: light to dark, original values lightest. */
const LEVEL_COLORS = ['#c6dbef', '#9ecae1', '#6baed6', '#4292c6', '#2171b5', '#08519c', '#08306b'];

/**
 * Per quasi-identifier, the share of records released at each level (and suppressed), and the granularity loss and
 * non-uniform entropy measured cell by cell: one level per attribute under global recoding, several under local.
 */
export function levelsSpec(report: AnonymizationReport): TopLevelSpec | undefined {
  const { quality } = report;
  const names = Object.keys(report.lattice.maxLevels);
  if (names.length === 0) return undefined;
  const label = { field: 'attribute', type: 'nominal', sort: names, title: null } as const;
  const topLevel = Math.max(0, ...names.map((name) => report.lattice.maxLevels[name]));
  const levelNames = [...Array.from({ length: topLevel + 1 }, (_, level) => `level ${level}`), 'suppressed'];
  const colors = [...levelNames.slice(0, -1).map((_, level) => LEVEL_COLORS[Math.min(level, LEVEL_COLORS.length - 1)]), COLORS.suppressed];
  const shares = names.flatMap((attribute) => {
    const entries = quality.levels[attribute].map(({ level, records }) => ({ attribute, status: `level ${level}`, order: level, share: records / report.rows, records }));
    if (quality.recordsSuppressed > 0) entries.push({ attribute, status: 'suppressed', order: topLevel + 1, share: quality.recordsSuppressed / report.rows, records: quality.recordsSuppressed });
    return entries;
  });
  const figure = (title: string, values: { attribute: string; value: number }[], text: (value: number) => string) => ({
    title,
    data: { values: values.filter((entry) => Number.isFinite(entry.value)).map((entry) => ({ ...entry, text: text(entry.value) })) },
    width: 150,
    height: { step: 20 },
    encoding: { y: { ...label, axis: null } },
    layer: [
      { mark: { type: 'bar', color: '#6b8fbf' }, encoding: { x: { field: 'value', type: 'quantitative', title: null, axis: { tickCount: 4 } } } },
      { mark: { type: 'text', align: 'left', dx: 3, fontSize: 10 }, encoding: { x: { field: 'value', type: 'quantitative' }, text: { field: 'text' } } },
    ],
  });
  return {
    description: 'Records per generalization level, granularity loss and non-uniform entropy, per quasi-identifier',
    hconcat: [
      {
        title: 'records by level',
        data: { values: shares },
        width: 260,
        height: { step: 20 },
        mark: { type: 'bar' },
        encoding: {
          y: { ...label, axis: { labelLimit: 180, labelFontSize: 11 } },
          x: { field: 'share', type: 'quantitative', title: 'share of records', stack: 'zero', scale: { domain: [0, 1] }, axis: { format: '%' } },
          color: { field: 'status', type: 'nominal', title: null, scale: { domain: levelNames, range: colors } },
          order: { field: 'order' },
        },
      },
      figure('granularity loss', names.map((attribute) => ({ attribute, value: quality.granularityLoss.perAttribute[attribute] })), formatShare),
      figure('non-uniform entropy (bits)', names.map((attribute) => ({ attribute, value: quality.nonUniformEntropy.perAttribute[attribute] })), (value) => formatCount(Math.round(value))),
    ],
    spacing: 28,
  } as TopLevelSpec;
}

/** The trade-off curve: granularity loss against k, one point per k (log scale: the k of interest spread widely). */
export function exploreSpec(report: AnonymizationReport): TopLevelSpec | undefined {
  const points = (report.explore?.points ?? []).filter((point) => point.granularityLoss !== null);
  if (points.length === 0) return undefined;
  const values = points.map((point) => ({ k: point.k, loss: point.granularityLoss, text: formatShare(point.granularityLoss!) }));
  const x = { field: 'k', type: 'quantitative', title: 'k', scale: { type: 'log', nice: false }, axis: { values: points.map((point) => point.k), format: 'd' } } as const;
  return {
    description: 'Granularity loss of the release for each k',
    data: { values },
    width: 420,
    height: 200,
    encoding: { x, y: { field: 'loss', type: 'quantitative', title: 'granularity loss', scale: { domainMin: 0 } } },
    layer: [
      { mark: { type: 'line', color: COLORS.released, point: { color: COLORS.released, size: 40 } } },
      { mark: { type: 'text', align: 'left', dx: 6, dy: -6, fontSize: 10 }, encoding: { text: { field: 'text' } } },
    ],
  } as TopLevelSpec;
}

interface RiskMeasure {
  readonly measure: string;
  readonly value: (figures: RiskFigures) => number | undefined;
}

const RISK_MEASURES: readonly RiskMeasure[] = [
  { measure: 'prosecutor: highest risk', value: (f) => f.prosecutor.highestRisk },
  { measure: 'prosecutor: average risk', value: (f) => f.prosecutor.averageRisk },
  { measure: 'prosecutor: records at risk', value: (f) => f.prosecutor.recordsAtRisk.fraction },
  { measure: 'journalist: highest risk', value: (f) => f.journalist.highestRisk },
  { measure: 'journalist: average risk', value: (f) => f.journalist.averageRisk },
  { measure: 'marketer: average risk', value: (f) => f.marketer.averageRisk },
  { measure: 'sample uniques', value: (f) => f.sampleUniqueness.fraction },
  { measure: 'population uniques (estimate)', value: (f) => populationFraction(f) },
];

/** The estimated share of population uniques, when the estimator gave one. */
export function populationFraction(figures: RiskFigures): number | undefined {
  const estimate = figures.populationUniqueness?.estimate;
  return estimate !== undefined && 'fraction' in estimate ? estimate.fraction : undefined;
}

export function riskRows(risk: RiskSection): { measure: string; input: number | undefined; output: number | undefined }[] {
  return RISK_MEASURES.map(({ measure, value }) => ({ measure, input: value(risk.input), output: value(risk.output) })).filter(
    (row) => row.input !== undefined || row.output !== undefined,
  );
}

export function riskSpec(risk: RiskSection): TopLevelSpec {
  const rows = riskRows(risk);
  const values = rows.flatMap((row) =>
    (['input', 'output'] as const).flatMap((phase) => {
      const value = row[phase];
      return value === undefined || !Number.isFinite(value) ? [] : [{ measure: row.measure, phase, value, text: formatShare(value) }];
    }),
  );
  const y = { field: 'measure', type: 'nominal', sort: rows.map((row) => row.measure), title: null, axis: { labelLimit: 0 } } as const;
  return {
    description: 'Re-identification risk of the input and of the output',
    data: { values },
    width: 420,
    // The step is per bar (input and output side by side), not per measure.
    height: { step: 13 },
    encoding: {
      y,
      yOffset: { field: 'phase', type: 'nominal', sort: ['input', 'output'] },
      color: { field: 'phase', type: 'nominal', title: null, sort: ['input', 'output'], scale: { domain: ['input', 'output'], range: [COLORS.input, COLORS.output] } },
    },
    layer: [
      { mark: { type: 'bar' }, encoding: { x: { field: 'value', type: 'quantitative', title: 'share (0–1)', scale: { domain: [0, 1] } } } },
      { mark: { type: 'text', align: 'left', dx: 3, fontSize: 10 }, encoding: { x: { field: 'value', type: 'quantitative' }, text: { field: 'text' }, color: { value: '#333' } } },
    ],
  } as TopLevelSpec;
}

const LATTICE_STATUSES = ['checked', 'pruned by tags', 'pruned by bounds'] as const;

export function latticeSpec(report: AnonymizationReport): TopLevelSpec {
  const { perHeight, optimumHeight } = report.lattice;
  const values = perHeight.flatMap((at) => {
    const counts = [at.checked, at.prunedByTags, at.prunedByBounds];
    return LATTICE_STATUSES.map((status, order) => ({ height: at.height, status, order, nodes: counts[order] })).filter((entry) => entry.nodes > 0);
  });
  const tallest = perHeight.reduce((most, at) => Math.max(most, at.nodes), 0);
  return {
    description: `Lattice nodes per height, checked or pruned by the search; the optimum is at height ${optimumHeight}`,
    width: Math.min(900, Math.max(260, 22 * perHeight.length)),
    height: 220,
    layer: [
      {
        data: { values },
        mark: { type: 'bar' },
        encoding: {
          x: { field: 'height', type: 'ordinal', title: 'height (sum of generalization levels)', axis: { labelAngle: 0, labelOverlap: 'parity' } },
          y: { field: 'nodes', type: 'quantitative', title: 'nodes', stack: 'zero', axis: COUNT_AXIS },
          color: { field: 'status', type: 'nominal', title: null, scale: { domain: [...LATTICE_STATUSES], range: [COLORS.checked, COLORS.prunedByTags, COLORS.prunedByBounds] } },
          order: { field: 'order' },
        },
      },
      {
        data: { values: [{ height: optimumHeight, nodes: tallest, label: 'optimum' }] },
        mark: { type: 'rule', color: COLORS.optimum, strokeWidth: 2, strokeDash: [4, 3] },
        encoding: { x: { field: 'height', type: 'ordinal', bandPosition: 0.5 } },
      },
      {
        data: { values: [{ height: optimumHeight, nodes: tallest, label: `▼ optimum (height ${optimumHeight})` }] },
        // Left-aligned from the rule, so the label never runs over the y axis when the optimum is at height 0.
        mark: { type: 'text', align: 'left', dx: -4, dy: -8, fontSize: 11, fontWeight: 'bold', color: COLORS.optimum },
        encoding: { x: { field: 'height', type: 'ordinal', bandPosition: 0.5 }, y: { field: 'nodes', type: 'quantitative' }, text: { field: 'label' } },
      },
    ],
  } as TopLevelSpec;
}

const PROGRESS_SERIES = ['best score found', 'proven lower bound'] as const;

/**
 * The search's best score and its proven lower bound on the optimum against time: two steps that meet when the
 * optimum is proven, or leave the gap the report gives. Undefined when the search found no score to plot.
 */
export function searchProgressSpec(report: AnonymizationReport): TopLevelSpec | undefined {
  // Under local recoding the trace is the global search's, in the policy's metric, not the released granularity loss.
  if (report.recoding === 'local') return undefined;
  const points = report.search.progress.filter((point) => point.score !== null);
  if (points.length === 0) return undefined;
  const values = points.flatMap((point) => [
    { seconds: point.ms / 1000, series: PROGRESS_SERIES[0], value: point.score },
    { seconds: point.ms / 1000, series: PROGRESS_SERIES[1], value: point.lowerBound },
  ]);
  const encoding = {
    x: { field: 'seconds', type: 'quantitative', title: 'seconds since the search started' },
    y: { field: 'value', type: 'quantitative', title: report.metric.name, scale: { zero: false } },
    color: { field: 'series', type: 'nominal', title: null, scale: { domain: [...PROGRESS_SERIES], range: [COLORS.score, COLORS.lowerBound] } },
  };
  return {
    description: `The best ${report.metric.name} found and the proven lower bound on the optimum over the search`,
    width: 520,
    height: 200,
    data: { values },
    layer: [
      { mark: { type: 'line', interpolate: 'step-after' }, encoding },
      { mark: { type: 'point', filled: true, size: 24 }, encoding },
    ],
  } as TopLevelSpec;
}

function searchProgressCaption(report: AnonymizationReport): string {
  const outcome = report.optimal
    ? 'they meet: the transformation is proven optimal'
    : report.gap === null
      ? 'no lower bound is known for this release'
      : `the search stopped (${report.search.stoppedBy === 'memory' ? 'memory budget' : 'time limit'}) with a gap of ${formatShare(report.gap)} of the score: the optimum lies between them`;
  return `The best score found and the proven lower bound on the optimal score as the search went; ${outcome}.`;
}

/** A share in [0, 1] with three significant digits, or its exponent when tiny. */
export function formatShare(value: number): string {
  if (value === 0) return '0';
  if (Math.abs(value) < 0.001) return value.toExponential(1);
  return value.toPrecision(3).replace(/(\.\d*?)0+$/, '$1').replace(/\.$/, '');
}

function classSizeCaption(report: AnonymizationReport): string {
  const caption = 'Classes and the records in them by class size; small classes carry the highest re-identification risk, suppressed ones are withheld.';
  const largest = report.classSizeDistribution.at(-1)?.size ?? 0;
  const note = sizeBucketNote(sizeBuckets(largest));
  return note === undefined ? caption : `${caption} ${note}`;
}

/**
 * What the three panels measure, as src/metrics computes them with the report's gs factor (default 0.5): loss and
 * precision charge a suppressed record its whole cell in every attribute (sF = 1; 2·gs below 0.5), while non-uniform
 * entropy charges it −log₂(c/S), c of the S suppressed records sharing its label.
 */
const ATTRIBUTE_CAPTION =
  'Generalization level of each quasi-identifier against its hierarchy’s top level, and the information it lost. ' +
  'Information loss and precision loss are shares from 0 (kept as is) to 1 (all lost); suppressed records count as fully lost in every attribute, ' +
  'however general their labels would have been. ' +
  'Non-uniform entropy is in bits summed over the records (0 = kept as is); a suppressed record adds log₂(S/c) bits, ' +
  'S being the suppressed records and c those of them sharing its generalized label. ' +
  'With a --gs-factor other than 0.5, suppression (below 0.5) or generalization (above) is charged less.';

const LEVELS_CAPTION =
  'Share of the records released at each generalization level of every quasi-identifier (level 0 keeps the value), and suppressed. ' +
  'Granularity loss is ARX’s: a cell covers the hierarchy rows under its label, as a share of all rows (1 for *), normalized so that 0 keeps every value and 1 releases only *. ' +
  'Non-uniform entropy sums, over the records, the bits lost by showing a label instead of the value.';

/** Every chart the report has data for, rendered in page order. */
export async function renderCharts(report: AnonymizationReport, risk: RiskSection | undefined): Promise<RenderedChart[]> {
  const charts: { id: string; title: string; caption: string; spec: TopLevelSpec | undefined }[] = [
    {
      id: 'class-sizes',
      title: 'Equivalence class sizes',
      caption: classSizeCaption(report),
      spec: classSizeSpec(report),
    },
    {
      id: 'levels',
      title: 'Generalization levels and granularity, cell by cell',
      caption: LEVELS_CAPTION,
      spec: levelsSpec(report),
    },
    {
      id: 'explore',
      title: 'What each k costs',
      caption: `Granularity loss of the release the policy yields with each k (${report.explore?.recoding ?? 'global'} recoding; every other model kept). Points are missing where no release satisfies the policy.`,
      spec: exploreSpec(report),
    },
    {
      id: 'attributes',
      title: 'Per quasi-identifier',
      caption: ATTRIBUTE_CAPTION,
      // Under local recoding there is no one level per attribute: the level distribution below says it all.
      spec: report.recoding === 'local' ? undefined : attributeSpec(report),
    },
    {
      id: 'risk',
      title: 'Re-identification risk, before and after',
      caption: 'Risk figures of the input and of the released output (shares between 0 and 1).',
      spec: risk === undefined ? undefined : riskSpec(risk),
    },
    {
      id: 'lattice',
      title: 'Generalization lattice explored',
      caption:
        'Nodes at each height of the lattice: checked against the models, skipped by tagging (a generalization failed the monotone condition), or skipped by a lower bound; the dashed line marks the ' +
        (report.recoding === 'local' ? 'global optimum the local recoding was compared with.' : 'chosen transformation.'),
      spec: latticeSpec(report),
    },
    {
      id: 'search',
      title: 'Search progress',
      caption: searchProgressCaption(report),
      spec: searchProgressSpec(report),
    },
  ];
  const rendered: RenderedChart[] = [];
  for (const chart of charts) {
    if (chart.spec !== undefined) rendered.push({ id: chart.id, title: chart.title, caption: chart.caption, svg: await renderSvg(chart.spec) });
  }
  return rendered;
}
