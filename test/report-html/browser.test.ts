// Browser test of the HTML report: each scenario's page opened in headless Debian Chromium through playwright-core.
// Asserts no console error, no request but the file itself, every chart laid out with content, no two texts of the
// class-size chart overlapping, the lattice tile on single lines; saves screenshots.

import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { renderHtmlReport, type AnonymizationReport } from '../../src/index.js';
import { sizeBuckets } from '../../src/report-html/charts.js';
import { SCENARIOS, expectedCharts, runScenario } from './fixtures.js';

const CHROMIUM = '/usr/bin/chromium';
const ARTIFACTS = join(process.cwd(), 'test-artifacts', 'report-html');
const available = existsSync(CHROMIUM);
if (!available) console.log(`report-html browser test skipped: ${CHROMIUM} not found (apt-get install -y chromium; CI installs it)`);

interface ChartBox {
  readonly id: string;
  readonly width: number;
  readonly height: number;
  readonly marks: number;
  readonly texts: number;
}

type Point = readonly [number, number];

/** Each text of the class-size chart as the four corners of its box on screen (turned labels give turned boxes). */
async function classSizeTexts(page: Page): Promise<{ text: string; xLabel: boolean; corners: Point[] }[]> {
  return page.evaluate(() =>
    [...document.querySelectorAll('figure[data-chart="class-sizes"] svg text')]
      .filter((text) => (text.textContent ?? '').trim() !== '')
      .map((element) => {
        const text = element as SVGTextElement;
        const box = text.getBBox();
        const matrix = text.getScreenCTM()!;
        const corner = (x: number, y: number): [number, number] => {
          const point = new DOMPoint(x, y).matrixTransform(matrix);
          return [point.x, point.y];
        };
        const xLabel = text.closest('.role-axis-label') !== null && (text.closest('.role-axis')?.getAttribute('aria-label') ?? '').startsWith('X-axis');
        return { text: text.textContent ?? '', xLabel, corners: [corner(box.x, box.y), corner(box.x + box.width, box.y), corner(box.x + box.width, box.y + box.height), corner(box.x, box.y + box.height)] };
      }),
  );
}

/** Whether two convex quadrilaterals share interior (separating axis theorem; touching edges do not count). */
function intersect(a: readonly Point[], b: readonly Point[]): boolean {
  for (const polygon of [a, b]) {
    for (let i = 0; i < polygon.length; i++) {
      const [x1, y1] = polygon[i];
      const [x2, y2] = polygon[(i + 1) % polygon.length];
      const axis: Point = [y1 - y2, x2 - x1];
      const project = (points: readonly Point[]) => points.map(([x, y]) => x * axis[0] + y * axis[1]);
      const [pa, pb] = [project(a), project(b)];
      if (Math.max(...pa) <= Math.min(...pb) + 1e-6 || Math.max(...pb) <= Math.min(...pa) + 1e-6) return false;
    }
  }
  return true;
}

/** Every pair of class-size chart texts whose boxes overlap. */
async function overlappingTexts(page: Page): Promise<string[]> {
  const texts = await classSizeTexts(page);
  const overlaps = [];
  for (let i = 0; i < texts.length; i++) {
    for (let j = i + 1; j < texts.length; j++) if (intersect(texts[i].corners, texts[j].corners)) overlaps.push(`${texts[i].text} / ${texts[j].text}`);
  }
  return overlaps;
}

/** Label, value and detail of the lattice tile: how many lines each takes, and whether it overflows the tile. */
async function latticeTile(page: Page): Promise<{ part: string; text: string; lines: number; overflow: number }[]> {
  return page.evaluate(() =>
    ['label', 'value', 'detail'].map((part) => {
      const element = document.querySelector(`.card[data-card="lattice"] .${part}`)!;
      const range = document.createRange();
      range.selectNodeContents(element);
      const tops = new Set([...range.getClientRects()].map((rect) => Math.round(rect.top)));
      const card = element.closest('.card')!;
      return { part, text: element.textContent ?? '', lines: tops.size, overflow: Math.max(element.scrollWidth - element.clientWidth, range.getBoundingClientRect().right - card.getBoundingClientRect().right) };
    }),
  );
}

describe.skipIf(!available)('HTML report in headless Chromium', () => {
  let directory: string;
  let context: BrowserContext;

  beforeAll(async () => {
    directory = mkdtempSync(join(tmpdir(), 'cloak-html-browser-'));
    mkdirSync(ARTIFACTS, { recursive: true });
    // A persistent context is how playwright takes a user-data-dir: a fresh one per run, so no profile leaks in.
    context = await chromium.launchPersistentContext(join(directory, 'profile'), {
      executablePath: CHROMIUM,
      headless: true,
      viewport: { width: 1280, height: 900 },
      args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
    });
  });

  afterAll(async () => {
    await context?.close();
    rmSync(directory, { recursive: true, force: true });
  });

  for (const scenario of SCENARIOS) {
    it(`${scenario.name}: loads with no error and no request, every chart drawn, no texts overlapping, the lattice tile on one line`, async () => {
      const { htmlPath, report } = await runScenario(join(directory, scenario.name), scenario);
      const url = pathToFileURL(htmlPath).href;
      const page = await context.newPage();
      const errors: string[] = [];
      const requests: string[] = [];
      page.on('console', (message) => {
        if (message.type() === 'error') errors.push(message.text());
      });
      page.on('pageerror', (error) => errors.push(error.message));
      page.on('request', (request) => {
        if (request.url() !== url) requests.push(request.url());
      });
      await page.goto(url, { waitUntil: 'load' });
      const overlaps = await overlappingTexts(page);
      const tile = await latticeTile(page);

      const seen = await page.evaluate(() => ({
        scripts: document.scripts.length,
        overflow: document.documentElement.scrollWidth - document.documentElement.clientWidth,
        charts: [...document.querySelectorAll('figure.chart')].map((figure) => {
          const svg = figure.querySelector('svg');
          const box = svg?.getBoundingClientRect();
          return {
            id: figure.getAttribute('data-chart') ?? '',
            width: box?.width ?? 0,
            height: box?.height ?? 0,
            marks: svg?.querySelectorAll('path[d^="M"], line, text').length ?? 0,
            texts: [...(svg?.querySelectorAll('text') ?? [])].filter((text) => (text.textContent ?? '').trim() !== '').length,
          };
        }),
      }));
      await page.screenshot({ path: join(ARTIFACTS, `${scenario.name}.png`), fullPage: true });
      await page.close();

      expect(errors).toEqual([]);
      expect(requests).toEqual([]);
      expect(seen.scripts).toBe(0);
      // At a common laptop width nothing needs horizontal scrolling, twenty quasi-identifiers included.
      expect(seen.overflow).toBeLessThanOrEqual(0);
      expect(seen.charts.map((chart: ChartBox) => chart.id)).toEqual(expectedCharts(report));
      for (const chart of seen.charts as ChartBox[]) {
        expect(chart.width, chart.id).toBeGreaterThan(50);
        expect(chart.height, chart.id).toBeGreaterThan(50);
        expect(chart.marks, chart.id).toBeGreaterThan(10);
        expect(chart.texts, chart.id).toBeGreaterThan(3);
      }
      expect(overlaps).toEqual([]);
      for (const { part, text, lines, overflow } of tile) {
        expect(lines, `${part}: ${text}`).toBe(1);
        expect(overflow, `${part}: ${text}`).toBeLessThanOrEqual(0);
      }
    });
  }

  /** Renders a report to a file, opens it at the report's full width, and returns the page (closed by the caller). */
  async function open(report: AnonymizationReport, name: string): Promise<Page> {
    const path = join(directory, `${name}.html`);
    writeFileSync(path, await renderHtmlReport(report, { input: `${name}.csv` }));
    const page = await context.newPage();
    await page.goto(pathToFileURL(path).href, { waitUntil: 'load' });
    await page.screenshot({ path: join(ARTIFACTS, `${name}.png`), fullPage: true });
    return page;
  }

  it('class sizes up to the largest possible class: every bucket labelled, no two texts overlapping', async () => {
    const { report } = await runScenario(join(directory, 'base'), SCENARIOS[0]);
    // One released class in every bucket from 1 to 2^31 − 1 records (row indexes are 32-bit integers): 30 buckets.
    const buckets = sizeBuckets(2 ** 31 - 1);
    const classSizeDistribution = buckets.map((bucket) => ({ size: Math.min(bucket.high, 2 ** 31 - 1), released: 1, suppressed: 0 }));
    const page = await open({ ...report, classSizeDistribution }, 'largest-classes');
    const texts = await classSizeTexts(page);
    const overlaps = await overlappingTexts(page);
    await page.close();
    // Both facets label every bucket on their own x axis.
    expect(texts.filter((text) => text.xLabel).map((text) => text.text)).toEqual([...buckets, ...buckets].map((bucket) => bucket.label));
    expect(overlaps).toEqual([]);
  });

  it('the lattice tile stays on single lines for lattices of tens of millions of nodes, and of 5^20', async () => {
    const { report } = await runScenario(join(directory, 'base-lattice'), SCENARIOS[0]);
    for (const [nodesChecked, latticeSize] of [
      [12_345_678, 99_999_999],
      [1_234_567, 5 ** 20],
    ]) {
      const page = await open({ ...report, nodesChecked, latticeSize }, `lattice-${latticeSize}`);
      const tile = await latticeTile(page);
      await page.close();
      for (const { part, text, lines, overflow } of tile) {
        expect(lines, `${part}: ${text}`).toBe(1);
        expect(overflow, `${part}: ${text}`).toBeLessThanOrEqual(0);
      }
      expect(tile.map(({ text }) => text).join(' ')).toContain(nodesChecked.toLocaleString('en-US'));
    }
  });
});
