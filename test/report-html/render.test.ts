// Tests of the HTML report written by anonymizeCsv: self-contained, every chart drawn, no data value, escaping,
// the same figures as the JSON report, for k-only, l/t, all-suppressed, top-node, one and twenty quasi-identifiers.

import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseAnonymizeArgs } from '../../src/cli/anonymize-command.js';
import { anonymizeCsv, CloakError, renderHtmlReport, type AnonymizationReport } from '../../src/index.js';
import { classSizeLayout, sizeBucketNote, sizeBuckets } from '../../src/report-html/charts.js';
import { escapeHtml } from '../../src/report-html/page.js';
import { SCENARIOS, VALUE_MARKER, expectedCharts, runScenario, writeScenario, type ScenarioRun } from './fixtures.js';

let directory: string;
const runs = new Map<string, ScenarioRun & { html: string; input: string; before: number; after: number }>();

beforeAll(async () => {
  directory = mkdtempSync(join(tmpdir(), 'cloak-html-report-'));
  for (const scenario of SCENARIOS) {
    const before = Date.now();
    const run = await runScenario(join(directory, scenario.name), scenario);
    const after = Date.now();
    runs.set(scenario.name, { ...run, html: readFileSync(run.htmlPath, 'utf8'), input: join(directory, scenario.name, 'data.csv'), before, after });
  }
});

/** The provenance entries of the page's header, term → inner HTML. */
function provenance(html: string): Map<string, string> {
  const list = html.match(/<dl class="provenance">([\s\S]*?)<\/dl>/)?.[1] ?? '';
  return new Map([...list.matchAll(/<div><dt>([^<]+)<\/dt><dd>([\s\S]*?)<\/dd><\/div>/g)].map((match) => [match[1], match[2]]));
}

/** The caption of one chart figure. */
function caption(html: string, id: string): string {
  return html.match(new RegExp(`data-chart="${id}"[\\s\\S]*?<figcaption>([\\s\\S]*?)</figcaption>`))![1];
}

afterAll(() => rmSync(directory, { recursive: true, force: true }));

/** The SVG of each chart figure, by its data-chart id. */
function chartSvgs(html: string): Map<string, string> {
  const charts = new Map<string, string>();
  for (const match of html.matchAll(/<figure class="chart" data-chart="([^"]+)"[^>]*>\s*(<svg[\s\S]*?<\/svg>)/g)) charts.set(match[1], match[2]);
  return charts;
}

describe('HTML report of anonymizeCsv', () => {
  for (const scenario of SCENARIOS) {
    describe(scenario.name, () => {
      it('is one self-contained document: no script, no external resource, a CSP that forbids both', () => {
        const { html } = runs.get(scenario.name)!;
        expect(html.startsWith('<!DOCTYPE html>')).toBe(true);
        expect(html).not.toMatch(/<script|<link|<iframe|<img|\son\w+=|\bsrc=|\bhref=|url\(|@import/i);
        // The only URLs are the SVG and XLink namespace names, which are never fetched.
        const urls = new Set(html.match(/https?:\/\/[^\s"'<>]+/g) ?? []);
        for (const url of urls) expect(['http://www.w3.org/2000/svg', 'http://www.w3.org/1999/xlink']).toContain(url);
        expect(html).toContain(`content="default-src 'none'; style-src 'unsafe-inline'; img-src data:"`);
      });

      it('draws every chart as an SVG with marks and text', () => {
        const { html, report } = runs.get(scenario.name)!;
        const charts = chartSvgs(html);
        expect([...charts.keys()]).toEqual(expectedCharts(report));
        for (const svg of charts.values()) {
          const [, width, height] = svg.match(/^<svg[^>]*width="(\d+(?:\.\d+)?)" height="(\d+(?:\.\d+)?)"/)!;
          expect(Number(width)).toBeGreaterThan(50);
          expect(Number(height)).toBeGreaterThan(50);
          expect(svg).toMatch(/<path[^>]* d="M/);
          expect(svg).toContain('<text');
        }
      });

      it('shows the released generalized labels with their counts, but no original value', () => {
        const { html, report } = runs.get(scenario.name)!;
        // Original values are `zq<attribute>v<n>` and sensitive values `zq<disease>`; generalized labels `zq<attribute>g<level>-<n>`.
        expect(html).not.toMatch(new RegExp(`${VALUE_MARKER}\\d+v\\d`));
        expect(html).not.toMatch(new RegExp(`${VALUE_MARKER}(flu|cold|asthma|gout)`));
        for (const [name, released] of Object.entries(report.releasedLabels)) {
          expect(released.withheld).toBe(released.level === 0);
          for (const { label, count } of released.labels) {
            expect(html).toContain(`<td>${label}</td><td class="num">${count.toLocaleString('en-US')}</td>`);
            if (label !== '*') expect(label).toMatch(new RegExp(`^${VALUE_MARKER}\\d+g`));
          }
          expect(html).toContain(`${name} (${report.recoding === 'local' ? 'lowest level' : 'level'} ${released.level})`);
        }
      });

      it('comes from the same report object as the JSON report, and shows its figures', () => {
        const { report, html, jsonPath } = runs.get(scenario.name)!;
        expect(JSON.parse(readFileSync(jsonPath, 'utf8'))).toEqual(JSON.parse(JSON.stringify(report)));
        expect(html).toContain(`<div class="label">Input records</div><div class="value">${report.rows.toLocaleString('en-US')}</div>`);
        expect(html).toContain(`<div class="label">Suppressed</div><div class="value">${report.suppressed.toLocaleString('en-US')}</div>`);
        expect(html).toContain(`<div class="label">Equivalence classes</div><div class="value">${report.classes.toLocaleString('en-US')}</div>`);
        for (const name of Object.keys(report.transformation)) expect(html).toContain(`<td>${name}</td>`);
        for (const margin of report.models) expect(html).toContain(`<td>${margin.model}</td>`);
        expect(html).toContain(`optimum (height ${report.lattice.optimumHeight})`);
      });

      it('names the input as given, the start of the run (ISO 8601, UTC), the Cloak version and the policy hash', () => {
        const { html, report, input, before, after } = runs.get(scenario.name)!;
        const entries = provenance(html);
        expect([...entries.keys()]).toEqual(['Input', 'Run', 'Cloak', 'Policy SHA-256']);
        expect(entries.get('Input')).toBe(escapeHtml(input));
        const [, datetime, shown] = entries.get('Run')!.match(/^<time datetime="([^"]+)">([^<]+)<\/time>$/)!;
        expect(shown).toBe(datetime);
        expect(datetime).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/);
        // Shown to the second: the run started in the second of `before` or later, and before `after`.
        expect(Date.parse(datetime)).toBeGreaterThanOrEqual(Math.floor(before / 1000) * 1000);
        expect(Date.parse(datetime)).toBeLessThanOrEqual(after);
        expect(entries.get('Cloak')).toBe(JSON.parse(readFileSync('package.json', 'utf8')).version);
        expect(entries.get('Cloak')).toBe(report.cloakVersion);
        expect(entries.get('Policy SHA-256')).toBe(`<code>${report.policySha256}</code>`);
        expect(report.policySha256).toMatch(/^[0-9a-f]{64}$/);
      });

      it('explains abbreviated class-size labels exactly when the chart has them', () => {
        const { html, report } = runs.get(scenario.name)!;
        const largest = report.classSizeDistribution.at(-1)?.size ?? 0;
        const note = 'From 1,000 records on, a bar’s label gives its bounds: 1k–2k holds classes of 1,000 to 1,999 records.';
        if (largest >= 1000) expect(caption(html, 'class-sizes')).toContain(note);
        else if (largest > 0) expect(caption(html, 'class-sizes')).not.toContain('From 1,000');
      });

      it('reports the class-size distribution and the lattice consistently with the other figures', () => {
        const { report } = runs.get(scenario.name)!;
        const distribution = report.classSizeDistribution;
        expect(distribution.map((entry) => entry.size)).toEqual([...distribution.map((entry) => entry.size)].sort((a, b) => a - b));
        expect(distribution.reduce((sum, entry) => sum + entry.released, 0)).toBe(report.classes);
        expect(distribution.reduce((sum, entry) => sum + entry.suppressed, 0)).toBe(report.suppressedClasses);
        expect(distribution.reduce((sum, entry) => sum + entry.suppressed * entry.size, 0)).toBe(report.suppressed);
        expect(distribution.reduce((sum, entry) => sum + (entry.released + entry.suppressed) * entry.size, 0)).toBe(report.rows);

        const { perHeight, optimumHeight, maxLevels } = report.lattice;
        expect(Object.values(maxLevels)).toEqual(scenario.levels);
        expect(optimumHeight).toBe(Object.values(report.transformation).reduce((sum, level) => sum + level, 0));
        expect(perHeight.reduce((sum, at) => sum + at.nodes, 0)).toBe(report.latticeSize);
        expect(perHeight.reduce((sum, at) => sum + at.checked, 0)).toBe(report.nodesChecked);
        expect(perHeight[optimumHeight].checked).toBeGreaterThan(0);
      });
    });
  }

  it('all-suppressed: no released class, every class drawn as suppressed', () => {
    const { report, html } = runs.get('all-suppressed')!;
    expect(report.classes).toBe(0);
    expect(report.suppressed).toBe(report.rows);
    expect(html).toContain('<td class="num">no released class</td>');
    expect(chartSvgs(html).get('class-sizes')).toContain('suppressed');
  });

  it('top-node: every quasi-identifier at its top level, one class of every record', () => {
    const { report, html } = runs.get('top-node')!;
    expect(report.transformation).toEqual(report.lattice.maxLevels);
    expect(report.lattice.optimumHeight).toBe(report.lattice.perHeight.length - 1);
    expect(report.classSizeDistribution).toEqual([{ size: report.rows, released: 1, suppressed: 0 }]);
    expect(html).toContain(`${report.lattice.maxLevels['attribute-01']} / ${report.lattice.maxLevels['attribute-01']}`);
  });

  it('l/t models: each model with its worst released class', () => {
    const { report, html } = runs.get('l-and-t')!;
    expect(report.models.map((margin) => margin.spec.type)).toEqual(['k-anonymity', 'distinct-l-diversity', 't-closeness']);
    for (const margin of report.models) expect(margin.worst).not.toBeNull();
    expect(html).toMatch(/<td>distinct 2-diversity \(disease\)<\/td><td class="num">\d/);
    expect(html).toMatch(/<td>0\.4-closeness, equal distance \(disease\)<\/td><td class="num">\d/);
  });

  it('the per-attribute caption says suppressed records count as fully lost, which is what loss and precision compute', () => {
    for (const { html, report } of runs.values()) {
      // Local recoding has no one level per attribute: its levels chart stands in for the attributes chart.
      if (report.recoding === 'local') continue;
      expect(caption(html, 'attributes')).toContain('suppressed records count as fully lost in every attribute');
      expect(caption(html, 'attributes')).toContain('a suppressed record adds log₂(S/c) bits');
    }
    // Everything suppressed: every attribute fully lost, however general the labels.
    const all = runs.get('all-suppressed')!.report;
    for (const name of ['loss', 'precision']) expect(all.metrics[name].perAttribute, name).toEqual(Object.keys(all.transformation).map(() => 1));
    // At level 0 the released records lose nothing, so an attribute's loss is the share of suppressed records.
    const { report } = runs.get('twenty-qis')!;
    expect(report.suppressed).toBeGreaterThan(0);
    const atZero = Object.entries(report.transformation).flatMap(([, level], j) => (level === 0 ? [j] : []));
    expect(atZero.length).toBeGreaterThan(0);
    for (const j of atZero) {
      for (const name of ['loss', 'precision']) expect(report.metrics[name].perAttribute![j], name).toBeCloseTo(report.suppressed / report.rows, 9);
    }
  });

  it('twenty quasi-identifiers: one labelled row per attribute, the chart taller than for one', () => {
    const twenty = chartSvgs(runs.get('twenty-qis')!.html).get('attributes')!;
    const one = chartSvgs(runs.get('single-qi')!.html).get('attributes')!;
    for (let j = 1; j <= 20; j++) expect(twenty).toContain(`>attribute-${String(j).padStart(2, '0')}</text>`);
    const height = (svg: string) => Number(svg.match(/^<svg[^>]*height="(\d+(?:\.\d+)?)"/)![1]);
    expect(height(twenty)).toBeGreaterThanOrEqual(20 * 20);
    expect(height(twenty)).toBeGreaterThan(height(one));
  });
});

describe('HTML report: cell-level quality, local recoding and the trade-off curve', () => {
  it('shows the release’s cell-level figures for every run, global or local', () => {
    for (const { html, report } of runs.values()) {
      const { quality } = report;
      expect(html).toContain('<h2>Information loss of the release</h2>');
      expect(html).toContain(`<td>records suppressed</td><td class="num">${quality.recordsSuppressed.toLocaleString('en-US')}</td>`);
      expect(html).toContain(`<td>released classes</td><td class="num">${quality.classes.toLocaleString('en-US')}</td>`);
      expect(html).toContain(`<td>cells suppressed (*)</td><td class="num">${quality.cellsSuppressed.total.toLocaleString('en-US')}</td>`);
      // The levels chart draws one bar row per quasi-identifier.
      for (const name of Object.keys(quality.levels)) expect(chartSvgs(html).get('levels')).toContain(`>${name}</text>`);
    }
  });

  it('a local release lists its level vectors and says what was released and how it compares with the global optimum', () => {
    const { html, report } = runs.get('local')!;
    expect(report.recoding).toBe('local');
    expect(report.local!.levelVectors.length).toBeGreaterThan(1);
    const names = Object.keys(report.lattice.maxLevels);
    const first = report.local!.levelVectors[0];
    expect(html).toContain(`<td>${names.map((name) => first.levels[name]).join(' ')}</td><td class="num">${first.records.toLocaleString('en-US')}</td>`);
    expect(html).toContain(`<td>global optimum’s granularity loss</td>`);
    expect(html).toContain('the global optimum the local recoding was compared with');
    expect(chartSvgs(html).has('attributes')).toBe(false);
    // No bound is known for a local release, and it was not drawn at random: the page says so, and plots no trace of
    // the global search's score (another metric) under the granularity loss.
    expect(report.gap).toBeNull();
    expect(html).toMatch(/proven optimal<\/td><td[^>]*>no: levels chosen per group of records \(local recoding\)/);
    expect(html).not.toContain('differential privacy');
    expect(chartSvgs(html).has('search')).toBe(false);
  });

  it('plots the trade-off curve and lists its points', () => {
    const { html, report } = runs.get('local')!;
    expect(report.explore!.points.map((point) => point.k)).toEqual([2, 5, 10, 20]);
    const svg = chartSvgs(html).get('explore')!;
    for (const point of report.explore!.points) {
      expect(point.granularityLoss).not.toBeNull();
      expect(html).toContain(`<tr><td>${point.k}</td><td class="num">${String(Number(point.granularityLoss!.toPrecision(4)))}</td>`);
    }
    // Larger k never costs less here: the curve rises.
    const losses = report.explore!.points.map((point) => point.granularityLoss!);
    for (let i = 1; i < losses.length; i++) expect(losses[i]).toBeGreaterThanOrEqual(losses[i - 1]);
    expect(svg).toContain('granularity loss');
    expect(runs.get('k-only')!.html).not.toContain('data-chart="explore"');
  });
});

describe('renderHtmlReport', () => {
  it('escapes attribute and model names in the page and in the charts', async () => {
    const { report } = runs.get('single-qi')!;
    const name = '<img src=x onerror=alert(1)>&"q"';
    const { quality } = report;
    const rename = <T>(figures: Record<string, T>) => ({ [name]: figures['attribute-01'] });
    const renamed: AnonymizationReport = {
      ...report,
      transformation: { [name]: report.transformation['attribute-01'] },
      lattice: { ...report.lattice, maxLevels: { [name]: report.lattice.maxLevels['attribute-01'] } },
      models: report.models.map((margin) => ({ ...margin, model: `<b>${margin.model}</b>` })),
      quality: {
        ...quality,
        granularityLoss: { ...quality.granularityLoss, perAttribute: rename(quality.granularityLoss.perAttribute) },
        nonUniformEntropy: { ...quality.nonUniformEntropy, perAttribute: rename(quality.nonUniformEntropy.perAttribute) },
        cellsSuppressed: { ...quality.cellsSuppressed, perAttribute: rename(quality.cellsSuppressed.perAttribute) },
        levels: rename(quality.levels),
      },
    };
    const html = await renderHtmlReport(renamed);
    expect(html).not.toContain('<img');
    expect(html).not.toContain('<b>');
    expect(html).toContain('&lt;img src=x onerror=alert(1)&gt;&amp;&quot;q&quot;');
    expect(chartSvgs(html).get('attributes')).toContain('&lt;img');
    expect(chartSvgs(html).get('levels')).toContain('&lt;img');
  });

  it('leaves the risk chart out when the report has no risk section', async () => {
    const { report } = runs.get('k-only')!;
    const { risk: _risk, ...withoutRisk } = report as AnonymizationReport & { risk?: unknown };
    const html = await renderHtmlReport(withoutRisk as AnonymizationReport);
    expect([...chartSvgs(html).keys()]).toEqual(['class-sizes', 'levels', 'attributes', 'lattice', 'search']);
    expect(html).not.toContain('id="risk"');
  });

  it('plots the best score and the proven lower bound against time, and says whether they met', async () => {
    const { report } = runs.get('k-only')!;
    const stopped: AnonymizationReport = {
      ...report,
      optimal: false,
      lowerBound: 0.25,
      gap: 0.5,
      search: {
        ...report.search,
        stoppedBy: 'time-limit',
        progress: [
          { ms: 0, nodesChecked: 1, score: null, lowerBound: 0 },
          { ms: 1200, nodesChecked: 40, score: 0.8, lowerBound: 0.1 },
          { ms: 2500, nodesChecked: 95, score: 0.5, lowerBound: 0.25 },
        ],
      },
    };
    const html = await renderHtmlReport(stopped);
    const svg = chartSvgs(html).get('search')!;
    // One step line per series, with points at the moments that had a score.
    expect(svg.match(/class="mark-line role-mark/g)).toHaveLength(2);
    expect(svg).toContain('class="mark-symbol role-mark');
    expect(svg).toContain('best score found');
    expect(svg).toContain('proven lower bound');
    expect(caption(html, 'search')).toContain('gap of 0.5 of the score');
    expect(html).toMatch(/proven optimal<\/td><td[^>]*>no: stopped by the time limit/);
    expect(caption(html, 'search').length).toBeGreaterThan(0);
    expect(caption(runs.get('k-only')!.html, 'search')).toContain('proven optimal');
  });

  it('buckets class sizes 1, 2, 3–4, 5–9, 10–19, … up to the largest', () => {
    expect(sizeBuckets(1).map((bucket) => bucket.label)).toEqual(['1']);
    expect(sizeBuckets(4).map((bucket) => bucket.label)).toEqual(['1', '2', '3–4']);
    expect(sizeBuckets(60).map((bucket) => bucket.label)).toEqual(['1', '2', '3–4', '5–9', '10–19', '20–49', '50–99']);
    expect(sizeBuckets(100).at(-1)).toEqual({ low: 100, high: 199, label: '100–199' });
  });

  it('labels buckets from 1,000 on by their bounds (1k–2k), and says how to read them', () => {
    expect(sizeBuckets(2500).slice(-3)).toEqual([
      { low: 500, high: 999, label: '500–999' },
      { low: 1000, high: 1999, label: '1k–2k' },
      { low: 2000, high: 4999, label: '2k–5k' },
    ]);
    expect(sizeBuckets(12_000_000).slice(-3).map((bucket) => bucket.label)).toEqual(['2M–5M', '5M–10M', '10M–20M']);
    expect(sizeBuckets(2 ** 31 - 1).at(-1)).toEqual({ low: 2e9, high: 5e9 - 1, label: '2B–5B' });
    expect(sizeBucketNote(sizeBuckets(999))).toBeUndefined();
    expect(sizeBucketNote(sizeBuckets(1000))).toBe('From 1,000 records on, a bar’s label gives its bounds: 1k–2k holds classes of 1,000 to 1,999 records.');
  });

  it('lays the class-size facets side by side while they fit, then one above the other, then turns the labels', () => {
    expect(classSizeLayout(sizeBuckets(60))).toMatchObject({ columns: 2, labelAngle: 0 });
    expect(classSizeLayout(sizeBuckets(15_000))).toMatchObject({ columns: 1, labelAngle: 0 });
    const widest = classSizeLayout(sizeBuckets(2 ** 31 - 1));
    expect(widest.labelAngle).toBe(-45);
    expect(widest.step * sizeBuckets(2 ** 31 - 1).length).toBeLessThanOrEqual(940);
  });

  it('shows the input only when given, and escapes it', async () => {
    const { report } = runs.get('k-only')!;
    const named = await renderHtmlReport(report, { input: 'exports/<day 1>&.csv', startedAt: new Date(Date.UTC(2025, 2, 14, 9, 26, 53, 589)) });
    expect(provenance(named).get('Input')).toBe('exports/&lt;day 1&gt;&amp;.csv');
    expect(provenance(named).get('Run')).toBe('<time datetime="2025-03-14T09:26:53Z">2025-03-14T09:26:53Z</time>');
    const before = Math.floor(Date.now() / 1000) * 1000;
    const unnamed = await renderHtmlReport(report);
    expect([...provenance(unnamed).keys()]).toEqual(['Run', 'Cloak', 'Policy SHA-256']);
    expect(Date.parse(provenance(unnamed).get('Run')!.match(/datetime="([^"]+)"/)![1])).toBeGreaterThanOrEqual(before);
  });
});

describe('--html-report', () => {
  it('the CLI flag becomes the request’s htmlReportPath', () => {
    const parsed = parseAnonymizeArgs(['in.csv', '-o', 'out.csv', '--qi', 'a', '--k', '2', '--html-report', 'report.html']);
    expect(parsed.help).toBe(false);
    expect(parsed.help === false && parsed.request.htmlReportPath).toBe('report.html');
    // The request carries the input as typed: the HTML report names it so.
    expect(parsed.help === false && parsed.request.input).toBe('in.csv');
  });

  it('names a relative input as it was given, not resolved', async () => {
    const scenarioDirectory = join(directory, 'relative');
    const input = relative(process.cwd(), writeScenario(scenarioDirectory, SCENARIOS[0]));
    const htmlReportPath = join(scenarioDirectory, 'report.html');
    const attributes = { 'attribute-01': { role: 'quasi-identifying' as const }, 'attribute-02': { role: 'quasi-identifying' as const }, 'attribute-03': { role: 'quasi-identifying' as const } };
    await anonymizeCsv({
      input,
      output: join(scenarioDirectory, 'out.csv'),
      htmlReportPath,
      options: { attributes, models: [{ type: 'k-anonymity', k: 2 }], suppressionLimit: 0.1, hierarchiesDir: join(scenarioDirectory, 'hierarchies') },
    });
    expect(input.startsWith('/')).toBe(false);
    expect(provenance(readFileSync(htmlReportPath, 'utf8')).get('Input')).toBe(escapeHtml(input));
  });

  it('refuses an HTML report path that is the input, output or JSON report, before any work', async () => {
    const scenarioDirectory = join(directory, 'paths');
    const input = writeScenario(scenarioDirectory, SCENARIOS[0]);
    const output = join(scenarioDirectory, 'out.csv');
    const reportPath = join(scenarioDirectory, 'report.json');
    for (const htmlReportPath of [input, output, reportPath]) {
      const request = { input, output, reportPath, htmlReportPath, options: { attributes: {}, models: [] } };
      await expect(anonymizeCsv(request)).rejects.toSatisfy((error) => error instanceof CloakError && error.code === 'HTML_REPORT_PATH_TAKEN');
    }
  });
});

describe('HTML report with --show-values', () => {
  it('lists the original values of a quasi-identifier left at level 0, with their counts', async () => {
    const showDirectory = mkdtempSync(join(tmpdir(), 'cloak-html-show-'));
    try {
      const scenario = SCENARIOS.find((s) => s.name === 'twenty-qis')!;
      const { report, htmlPath } = await runScenario(showDirectory, scenario, true);
      const html = readFileSync(htmlPath, 'utf8');
      const atZero = Object.entries(report.releasedLabels).filter(([, released]) => released.level === 0);
      expect(atZero.length).toBeGreaterThan(0);
      for (const [, released] of atZero) {
        expect(released.withheld).toBe(false);
        for (const { label } of released.labels) expect(html).toContain(`<td>${label}</td>`);
      }
    } finally {
      rmSync(showDirectory, { recursive: true, force: true });
    }
  });
});
