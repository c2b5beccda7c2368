// Browser test of the HTML report: each scenario's page opened in headless Debian Chromium through playwright-core.
// Asserts no console error, no request but the file itself, every chart laid out with content; saves screenshots.

import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { chromium, type BrowserContext } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
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
    it(`${scenario.name}: loads with no error and no request, every chart drawn`, async () => {
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
    });
  }
});
