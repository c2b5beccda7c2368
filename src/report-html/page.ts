// The HTML report page: one self-contained document (inline CSS, inline SVG charts, no script, no external resource).
// Owns the layout, the summary cards and tables, number formatting and HTML escaping; the charts come in as SVG.

import type { AnonymizationReport } from '../report.js';
import { formatCount as count, formatShare, populationFraction, riskRows, type RenderedChart } from './charts.js';
import type { RiskSection } from './risk-section.js';

/** Escapes text for element content and double-quoted attribute values. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
}

/** A figure of any magnitude: integers grouped, others with four significant digits; NaN (null in JSON) as a dash. */
function figure(value: number | null | undefined): string {
  if (value === null || value === undefined || Number.isNaN(value)) return '–';
  if (!Number.isFinite(value)) return value > 0 ? '∞' : '−∞';
  if (Number.isInteger(value)) return count(value);
  return Math.abs(value) >= 1e-3 && Math.abs(value) < 1e6 ? String(Number(value.toPrecision(4))) : value.toExponential(3);
}

function percent(part: number, whole: number): string {
  return whole === 0 ? '0 %' : `${Number(((100 * part) / whole).toPrecision(3))} %`;
}

function quasiIdentifiers(report: AnonymizationReport): string {
  const n = Object.keys(report.lattice.maxLevels).length;
  return `${n} quasi-identifier${n === 1 ? '' : 's'}`;
}

function card(key: string, label: string, value: string, detail: string): string {
  return `<div class="card" data-card="${key}"><div class="label">${escapeHtml(label)}</div><div class="value">${escapeHtml(value)}</div><div class="detail">${escapeHtml(detail)}</div></div>`;
}

/** Lattices beyond this size are given in rounded words (“1.07 billion”): the exact count would wrap the tile. */
const EXACT_LATTICE_BELOW = 100_000_000;

function latticeNodes(size: number): string {
  if (size < EXACT_LATTICE_BELOW) return count(size);
  return new Intl.NumberFormat('en-US', { notation: 'compact', compactDisplay: 'long', maximumSignificantDigits: 3 }).format(size);
}

function summaryCards(report: AnonymizationReport): string {
  const released = report.rows - report.suppressed;
  const presence = report.deltaPresence;
  return [
    presence === undefined
      ? card('input', 'Input records', count(report.rows), quasiIdentifiers(report))
      : card('input', 'Input records', count(presence.populationRecords), `the population; research subset ${count(presence.subsetRecords)}`),
    card('output', 'Output records', count(report.rows), `${count(released)} released with generalized values`),
    card('suppressed', 'Suppressed', count(report.suppressed), `${percent(report.suppressed, report.rows)} of records; budget ${count(report.suppressionBudget)}`),
    card('classes', 'Equivalence classes', count(report.classes), `${report.classes === 0 ? 'none released' : `smallest ${count(report.minClassSize)}`}; ${count(report.suppressedClasses)} suppressed`),
    card('metric', `Optimized: ${report.metric.name}`, figure(report.metric.value), report.recoding === 'local' ? 'granularity loss, lower is better' : report.optimal ? 'lower is better; proven optimal' : report.gap === null ? 'lower is better; chosen at random (differential privacy)' : `lower is better; optimum ≥ ${figure(report.lowerBound)}`),
    // Under local recoding the optimized metric is the granularity loss already.
    ...(report.recoding === 'local' ? [] : [card('granularity', 'Granularity loss', figure(report.quality.granularityLoss.value), 'cell by cell; 0 keeps every value, 1 only *')]),
    // Short enough for one line at the narrowest tile (145 px inside): the strategy and share are in the search table.
    card('lattice', 'Nodes checked', count(report.nodesChecked), `of ${latticeNodes(report.latticeSize)} in the lattice`),
  ].join('\n');
}

/** What the report object does not hold about its run: the input's name and when it ran. */
export interface HtmlReportContext {
  /** The input as the caller named it (a path as given, `<stdin>`, …) — a name, never data; left out when absent. */
  readonly input?: string;
  /** When the run started; the time of rendering when absent. */
  readonly startedAt?: Date;
}

/** ISO 8601 in UTC to the second: 2025-03-14T09:26:53Z. */
function isoUtc(time: Date): string {
  return time.toISOString().replace(/\.\d{3}Z$/, 'Z');
}

/** The run's provenance: input, time, Cloak version and the hash of the effective policy. */
function provenance(report: AnonymizationReport, context: HtmlReportContext): string {
  const time = isoUtc(context.startedAt ?? new Date());
  const entries = [
    ...(context.input === undefined ? [] : [['Input', escapeHtml(context.input)]]),
    ['Run', `<time datetime="${time}">${time}</time>`],
    ['Cloak', escapeHtml(report.cloakVersion)],
    ['Policy SHA-256', `<code>${escapeHtml(report.policySha256)}</code>`],
  ];
  return `<dl class="provenance">\n${entries.map(([term, value]) => `<div><dt>${term}</dt><dd>${value}</dd></div>`).join('\n')}\n</dl>`;
}

function table(head: readonly string[], rows: readonly (readonly string[])[], numericFrom = 1): string {
  const cell = (tag: string, text: string, index: number) => `<${tag}${index >= numericFrom ? ' class="num"' : ''}>${escapeHtml(text)}</${tag}>`;
  return [
    '<table>',
    `<thead><tr>${head.map((text, index) => cell('th', text, index)).join('')}</tr></thead>`,
    '<tbody>',
    ...rows.map((row) => `<tr>${row.map((text, index) => cell('td', text, index)).join('')}</tr>`),
    '</tbody></table>',
  ].join('\n');
}

function modelsTable(report: AnonymizationReport): string {
  return table(
    ['Privacy model', 'Worst released class'],
    report.models.map((margin) => [margin.model, margin.worst === null ? 'no released class' : figure(margin.worst)]),
  );
}

/** What the models table does not say: derived figures, suppression for risk limits, the subset, the sampling. */
function modelNotes(report: AnonymizationReport): string {
  const notes: string[] = [];
  for (const margin of report.models) {
    if (margin.derived === undefined) continue;
    const figures = Object.entries(margin.derived).map(([name, value]) => `${name} ${figure(value)}`);
    notes.push(`${escapeHtml(margin.model)}: ${escapeHtml(figures.join(', '))}.`);
  }
  const risk = report.suppressedForRiskLimits;
  if (risk !== undefined && risk.records > 0) {
    notes.push(`${count(risk.records)} records in ${count(risk.classes)} classes were suppressed for the risk limits, smallest classes first.`);
  }
  if (report.deltaPresence !== undefined) {
    notes.push(`δ-presence: the output is the research subset (${count(report.deltaPresence.subsetRecords)} of ${count(report.deltaPresence.populationRecords)} records of the population).`);
  }
  const paragraphs = notes.map((note) => `<p class="note">${note}</p>`);
  const dp = report.differentialPrivacy;
  if (dp !== undefined) {
    paragraphs.push(
      '<h3>Differential privacy</h3>',
      table(
        ['Parameter', 'Value'],
        [
          ['ε / δ', `${figure(dp.epsilon)} / ${figure(dp.delta)}`],
          ['ε of the anonymization (ε_anon)', figure(dp.epsilonAnon)],
          ['ε of the search', dp.transformation === 'fixed' ? '0 (fixed levels)' : `${figure(dp.searchBudget)} over ${count(dp.steps ?? 0)} steps`],
          ['k (classes below are suppressed)', count(dp.k)],
          ['β (sampling probability)', figure(dp.beta)],
          ['records not sampled (released suppressed)', count(dp.sampledOut)],
        ],
      ),
    );
    if (dp.seed !== undefined) paragraphs.push(`<p class="note warning">Seeded run (seed ${count(dp.seed)}): its randomness is predictable, so this output is for testing only, never for release.</p>`);
  }
  return paragraphs.join('\n');
}

function metricsTable(report: AnonymizationReport): string {
  return table(
    ['Metric', 'Value'],
    Object.entries(report.metrics).map(([name, metric]) => [name === report.metric.name ? `${name} (optimized)` : name, figure(metric.value)]),
  );
}

/** The release's cell-level figures, for any recoding. */
function qualityTable(report: AnonymizationReport): string {
  const { quality } = report;
  return table(
    ['Measure (cell by cell)', 'Value'],
    [
      ['granularity loss', figure(quality.granularityLoss.value)],
      ['non-uniform entropy (bits)', figure(quality.nonUniformEntropy.value)],
      ['discernibility', figure(quality.discernibility)],
      ['average class size (AECS)', figure(quality.aecs)],
      ['released classes', count(quality.classes)],
      ['records suppressed', count(quality.recordsSuppressed)],
      ['cells suppressed (*)', count(quality.cellsSuppressed.total)],
    ],
  );
}

/** Per quasi-identifier: granularity loss, entropy, cells reading `*`, and records per level. */
function qualityAttributeTable(report: AnonymizationReport): string {
  const { quality } = report;
  return table(
    ['Quasi-identifier', 'Granularity loss', 'Entropy (bits)', 'Cells *', 'Records by level'],
    Object.keys(quality.levels).map((name) => [
      name,
      figure(quality.granularityLoss.perAttribute[name]),
      figure(quality.nonUniformEntropy.perAttribute[name]),
      count(quality.cellsSuppressed.perAttribute[name]),
      quality.levels[name].map(({ level, records }) => `${level}: ${count(records)}`).join(', ') || '–',
    ]),
  );
}

/** The level vectors of a local recoding, most records first (the first twenty). */
function levelVectorTable(report: AnonymizationReport): string {
  const local = report.local!;
  const names = Object.keys(report.lattice.maxLevels);
  const shown = local.levelVectors.slice(0, LEVEL_VECTORS_SHOWN);
  const more = local.levelVectors.length - shown.length;
  return [
    table(
      ['Levels (' + names.join(', ') + ')', 'Records', 'Classes'],
      shown.map((vector) => [names.map((name) => vector.levels[name]).join(' '), count(vector.records), count(vector.classes)]),
    ),
    more > 0 ? `<p class="note">${count(more)} more level vectors not listed.</p>` : '',
  ].join('\n');
}

const LEVEL_VECTORS_SHOWN = 20;

/** The granularity loss of each k explored. */
function exploreTable(report: AnonymizationReport): string {
  return table(
    ['k', 'Granularity loss', 'Records suppressed', 'Classes'],
    report.explore!.points.map((point) => [count(point.k), point.granularityLoss === null ? 'no release' : figure(point.granularityLoss), point.recordsSuppressed === null ? '–' : count(point.recordsSuppressed), point.classes === null ? '–' : count(point.classes)]),
  );
}

function attributeTable(report: AnonymizationReport): string {
  const names = Object.keys(report.transformation);
  const perAttribute = Object.entries(report.metrics).filter(([, metric]) => metric.perAttribute?.length === names.length);
  return table(
    ['Quasi-identifier', 'Level', 'Top level', ...perAttribute.map(([name]) => name)],
    names.map((name, j) => [name, count(report.transformation[name]), count(report.lattice.maxLevels[name]), ...perAttribute.map(([, metric]) => figure(metric.perAttribute![j]))]),
  );
}

/** The released labels of each quasi-identifier with their counts; withheld original values are said to be. */
function labelTables(report: AnonymizationReport): string {
  return Object.entries(report.releasedLabels)
    .map(([name, released]) => {
      const summary = `${escapeHtml(name)} (${report.recoding === 'local' ? 'lowest level' : 'level'} ${count(released.level)})`;
      if (released.withheld && released.labels.length === 0) {
        return `<details><summary>${summary}</summary>\n<p class="note">Not generalized: its labels are original values, shown only with --show-values.</p>\n</details>`;
      }
      const rows = released.labels.map((entry) => [entry.label, count(entry.count)]);
      const notes = [
        released.withheld ? 'Records released with their original values are not listed (shown only with --show-values).' : '',
        released.omittedLabels > 0 ? `${count(released.omittedLabels)} more labels not listed.` : '',
      ].filter((note) => note !== '');
      const more = notes.length > 0 ? `<p class="note">${notes.join(' ')}</p>` : '';
      return `<details><summary>${summary}</summary>\n${table(['Label', 'Released records'], rows)}${more}\n</details>`;
    })
    .join('\n');
}

function riskTable(risk: RiskSection): string {
  const rows = riskRows(risk).map((row) => [row.measure, row.input === undefined ? '–' : formatShare(row.input), row.output === undefined ? '–' : formatShare(row.output)]);
  const threshold = risk.output.prosecutor.recordsAtRisk.threshold;
  const unavailable = [risk.input, risk.output].some((figures) => figures.populationUniqueness !== undefined && populationFraction(figures) === undefined);
  return [
    table(['Measure', 'Input', 'Output'], rows),
    `<p class="note">Records count as at risk above a risk of ${escapeHtml(formatShare(threshold))}.${unavailable ? ' Population uniqueness is shown only where the estimator gave a figure.' : ''}</p>`,
  ].join('\n');
}

function searchTable(report: AnonymizationReport): string {
  const { search, timingsMs } = report;
  return table(
    ['Search', 'Value'],
    [
      ['recoding', report.recoding],
      ...(report.local === undefined
        ? []
        : [
            ['released', report.local.released === 'local' ? 'the local recoding' : 'the global optimum (it lost no more)'],
            ['global optimum’s granularity loss', report.local.globalGranularityLoss === null ? 'no global optimum' : figure(report.local.globalGranularityLoss)],
            ['level vectors released', count(report.local.levelVectors.length)],
            ['node groupings (local)', count(report.local.nodeEvaluations)],
            ['records merged into a class', count(report.local.mergedRecords)],
          ]),
      ['strategy', search.strategy],
      ['proven optimal', report.optimal ? 'yes' : report.gap !== null ? `no: stopped by the ${search.stoppedBy === 'memory' ? 'memory budget' : `time limit of ${count(search.timeLimitMs)} ms`}` : report.differentialPrivacy === undefined ? 'no: levels chosen per group of records (local recoding), no bound known' : 'no: chosen at random (differential privacy)'],
      ['lower bound on the optimum', figure(report.lowerBound)],
      ['gap (share of the score)', report.gap === null ? '–' : formatShare(report.gap)],
      ['node memory', search.nodeMemory === 'dense' ? 'dense (an array over the lattice)' : 'sparse (the nodes reached)'],
      ['lattice nodes', latticeNodes(report.latticeSize)],
      ['checked', `${count(report.nodesChecked)} (${percent(report.nodesChecked, report.latticeSize)})`],
      ['pruned by tags', count(search.nodesPrunedByTags)],
      ['pruned by bounds', count(search.nodesPrunedByBounds)],
      ['optimum height', count(report.lattice.optimumHeight)],
      ['distinct tuples', count(search.distinctTuples)],
      ['roll-ups', count(search.rollUps)],
      ['time (ms): read / search / verify / write / total', [timingsMs.read, timingsMs.search, timingsMs.verify, timingsMs.write, timingsMs.total].map((ms) => ms.toFixed(0)).join(' / ')],
    ],
  );
}

/** Which identifying attributes were pseudonymized and how: methods, parameters, key fingerprints; never a value. */
function pseudonymizedSection(report: AnonymizationReport): string {
  const entries = report.pseudonymized ?? [];
  if (entries.length === 0) return '';
  const parameters = (transform: Record<string, unknown>) =>
    Object.entries(transform)
      .filter(([name]) => name !== 'method')
      .map(([name, value]) => `${name} ${String(value)}`)
      .join(', ');
  const rows = entries.map((entry) => [entry.attribute, entry.transform.method, parameters(entry.transform), entry.keyFingerprint ?? '–', count(entry.distinctValues)]);
  return [
    '<section class="panel" id="pseudonymized"><h2>Pseudonymized attributes</h2>',
    table(['Attribute', 'Method', 'Parameters', 'Key fingerprint', 'Distinct values'], rows, 4),
    '<p class="note">Identifying attributes released as keyed tokens (hmac), format-preserving ciphertexts (ff1), shifted dates or masks instead of *. Equal key fingerprints mean the same key; the key itself is never recorded.</p>',
    '</section>',
  ].join('\n');
}

function chartFigure(chart: RenderedChart): string {
  return [
    `<section class="panel" id="${escapeHtml(chart.id)}">`,
    `<h2>${escapeHtml(chart.title)}</h2>`,
    `<figure class="chart" data-chart="${escapeHtml(chart.id)}" role="img" aria-label="${escapeHtml(chart.caption)}">`,
    chart.svg,
    `<figcaption>${escapeHtml(chart.caption)}</figcaption>`,
    '</figure>',
  ].join('\n');
}

const STYLE = `
:root { color-scheme: light; --ink: #1b1f24; --muted: #5b6470; --line: #dde2e8; --accent: #2f6db5; --ok: #2e7d4f; --bad: #c8553d; }
* { box-sizing: border-box; }
body { margin: 0; font: 14px/1.45 Helvetica, Arial, sans-serif; color: var(--ink); background: #f4f6f8; }
main { max-width: 1180px; margin: 0 auto; padding: 24px 20px 48px; }
header h1 { margin: 0 0 4px; font-size: 22px; }
header p { margin: 0; color: var(--muted); }
.badge { display: inline-block; padding: 2px 8px; border-radius: 10px; font-size: 12px; font-weight: bold; color: white; background: var(--ok); vertical-align: middle; }
.badge.unverified { background: var(--bad); }
.provenance { display: flex; flex-wrap: wrap; gap: 2px 20px; margin: 8px 0 0; font-size: 12px; color: var(--muted); }
.provenance div { display: flex; gap: 6px; min-width: 0; }
.provenance dt::after { content: ':'; }
.provenance dd { margin: 0; color: var(--ink); overflow-wrap: anywhere; }
.provenance code { font: 12px/1.45 ui-monospace, Menlo, Consolas, monospace; }
.cards { display: grid; grid-template-columns: repeat(auto-fill, minmax(175px, 1fr)); gap: 12px; margin: 20px 0; }
.card { background: white; border: 1px solid var(--line); border-radius: 8px; padding: 12px 14px; }
.card .label { color: var(--muted); font-size: 12px; text-transform: uppercase; letter-spacing: .03em; overflow-wrap: anywhere; }
.card .value { font-size: 24px; font-weight: bold; margin: 2px 0; overflow-wrap: anywhere; }
.card .detail { color: var(--muted); font-size: 12px; }
.columns { display: grid; grid-template-columns: repeat(auto-fit, minmax(320px, 1fr)); gap: 16px; }
.panel { background: white; border: 1px solid var(--line); border-radius: 8px; padding: 14px 16px; margin: 16px 0; overflow-x: auto; }
.columns .panel { margin: 0; }
h2 { font-size: 16px; margin: 0 0 10px; }
figure.chart { margin: 0; }
figure.chart svg { display: block; max-width: 100%; height: auto; }
figcaption, .note { color: var(--muted); font-size: 12px; margin-top: 6px; }
.note.warning { color: #a4262c; font-weight: 600; }
table { border-collapse: collapse; width: 100%; font-size: 13px; }
th, td { text-align: left; padding: 4px 8px; border-bottom: 1px solid var(--line); vertical-align: top; overflow-wrap: anywhere; }
th { color: var(--muted); font-weight: normal; }
td.num, th.num { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
details summary { cursor: pointer; color: var(--accent); margin-top: 10px; }
footer { color: var(--muted); font-size: 12px; margin-top: 24px; }
@media print { body { background: white; } .panel, .card { break-inside: avoid; } }
`;

/** The whole document; `charts` are already rendered, in page order. */
export function renderPage(report: AnonymizationReport, charts: readonly RenderedChart[], risk: RiskSection | undefined, context: HtmlReportContext = {}): string {
  const chart = (id: string) => charts.find((c) => c.id === id);
  const section = (id: string, extra = '') => {
    const found = chart(id);
    return found === undefined ? '' : `${chartFigure(found)}\n${extra}\n</section>`;
  };
  const verified = report.verified ? '<span class="badge">verified</span>' : '<span class="badge unverified">not verified</span>';
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; img-src data:">
<title>Cloak anonymization report</title>
<style>${STYLE}</style>
</head>
<body>
<main>
<header>
<h1>Anonymization report ${verified}</h1>
<p>${count(report.rows)} records, ${quasiIdentifiers(report)}; models: ${escapeHtml(report.models.map((m) => m.model).join(', '))}.${report.verified ? ' The output was checked against every model independently before it was written.' : ''}</p>
${provenance(report, context)}
</header>
<div class="cards">
${summaryCards(report)}
</div>
<div class="columns">
<section class="panel"><h2>Privacy models</h2>
${modelsTable(report)}
<p class="note">The worst value of each model’s measure over the released classes (smallest class for k, smallest l, largest t, …).</p>
${modelNotes(report)}
</section>
<section class="panel"><h2>Information loss of the release</h2>
${qualityTable(report)}
<p class="note">Measured on the released cells, whatever the recoding.</p>
</section>
<section class="panel"><h2>${report.recoding === 'local' ? 'Search metrics of the global optimum' : 'Utility metrics'}</h2>
${metricsTable(report)}
</section>
</div>
${pseudonymizedSection(report)}
${section('class-sizes')}
${section('levels', `<details><summary>Figures per quasi-identifier</summary>\n${qualityAttributeTable(report)}\n</details>${report.local === undefined ? '' : `\n<details><summary>Level vectors</summary>\n${levelVectorTable(report)}\n</details>`}`)}
${report.explore === undefined ? '' : section('explore', `<details open><summary>Points</summary>\n${exploreTable(report)}\n</details>`)}
${report.recoding === 'local' ? `<section class="panel" id="labels"><h2>Released labels</h2>\n${labelTables(report)}\n</section>` : section('attributes', `<details><summary>Figures per quasi-identifier</summary>\n${attributeTable(report)}\n</details>\n<h3>Released labels</h3>\n${labelTables(report)}`)}
${risk === undefined ? '' : section('risk', riskTable(risk))}
${section('lattice', `<details><summary>Search figures</summary>\n${searchTable(report)}\n</details>`)}
${section('search')}
<footer>This report shows counts, levels, measures and generalized labels: an original value of the input appears only when it was asked for (--show-values). Generated by Cloak ${escapeHtml(report.cloakVersion)}.</footer>
</main>
</body>
</html>
`;
}
