// The HTML report: renders an AnonymizationReport (the same object as the JSON report) to one self-contained page.
// Owns the entry point only; charts.ts draws the charts, page.ts lays out the document.

import type { AnonymizationReport } from '../report.js';
import { renderCharts } from './charts.js';
import { renderPage, type HtmlReportContext } from './page.js';
import { riskSectionOf } from './risk-section.js';

export type { HtmlReportContext } from './page.js';

/**
 * Renders the report as an HTML document with static SVG charts: no script, no network, readable offline. The page
 * shows the report's Cloak version and policy hash, and from `context` the input's name and the time of the run.
 */
export async function renderHtmlReport(report: AnonymizationReport, context: HtmlReportContext = {}): Promise<string> {
  const risk = riskSectionOf(report);
  return renderPage(report, await renderCharts(report, risk), risk, context);
}
