// Synthetic inputs for the HTML report tests: seeded CSV data and hierarchies written to a temp dir, run end to end.
// Owns the report scenarios (k-only, l/t, all-suppressed, top node, one and twenty quasi-identifiers, many class sizes).

import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { anonymizeCsv, type AnonymizationReport, type MetricName, type ModelSpec } from '../../src/index.js';
import { riskSectionOf } from '../../src/report-html/risk-section.js';

export interface Scenario {
  readonly name: string;
  /** Top hierarchy level of each quasi-identifier (each level halves the number of groups, the top is `*`; 0: never generalized). */
  readonly levels: readonly number[];
  /** Distinct values per quasi-identifier. */
  readonly values: number;
  readonly rows: number;
  readonly models: readonly ModelSpec[];
  readonly suppression: number;
  readonly metric?: MetricName;
  /** Values drawn as ⌊u^skew · values⌋ (u uniform): a few huge classes and many tiny ones. Default: ⌊u·u′ · values⌋. */
  readonly skew?: number;
  readonly recoding?: 'global' | 'local';
  /** k values of the trade-off curve; none when absent. */
  readonly explore?: readonly number[];
}

const repeat = (level: number, times: number) => Array.from({ length: times }, () => level);

export const SCENARIOS: readonly Scenario[] = [
  { name: 'k-only', levels: repeat(3, 3), values: 8, rows: 400, models: [{ type: 'k-anonymity', k: 5 }], suppression: 0.05 },
  {
    name: 'l-and-t',
    levels: repeat(3, 3),
    values: 8,
    rows: 400,
    models: [
      { type: 'k-anonymity', k: 3 },
      { type: 'distinct-l-diversity', attribute: 'disease', l: 2 },
      { type: 't-closeness', attribute: 'disease', t: 0.4, distance: 'equal' },
    ],
    suppression: 0.05,
  },
  // k = the row count with the whole table as budget, and the height metric: suppressing every record at the
  // bottom node costs less than generalizing to the top, so no class is released.
  { name: 'all-suppressed', levels: repeat(2, 2), values: 4, rows: 30, models: [{ type: 'k-anonymity', k: 30 }], suppression: 1, metric: 'height' },
  // k equal to the row count and no suppression: only the top node (one class of every record) satisfies it.
  { name: 'top-node', levels: repeat(2, 3), values: 4, rows: 60, models: [{ type: 'k-anonymity', k: 60 }], suppression: 0 },
  { name: 'single-qi', levels: [3], values: 8, rows: 200, models: [{ type: 'k-anonymity', k: 4 }], suppression: 0.02 },
  // Six attributes that are never generalized keep the lattice at 2^14 nodes: 2^20 takes minutes, not what a render test is for.
  { name: 'twenty-qis', levels: [...repeat(1, 14), ...repeat(0, 6)], values: 2, rows: 300, models: [{ type: 'k-anonymity', k: 2 }], suppression: 0.1 },
  // Classes from 1 record (suppressed) to over 10,000 released: fourteen class-size bins, the long labels included.
  { name: 'many-bins', levels: [1], values: 4000, rows: 30_000, models: [{ type: 'k-anonymity', k: 2 }], suppression: 0.1, skew: 8 },
  // Local recoding: levels vary record by record; the trade-off curve over four k.
  { name: 'local', levels: repeat(3, 3), values: 8, rows: 400, models: [{ type: 'k-anonymity', k: 5 }], suppression: 0.05, recoding: 'local', explore: [2, 5, 10, 20] },
  {
    name: 'local-l-and-t',
    levels: repeat(3, 3),
    values: 8,
    rows: 400,
    models: [
      { type: 'k-anonymity', k: 3 },
      { type: 'distinct-l-diversity', attribute: 'disease', l: 2 },
      { type: 't-closeness', attribute: 'disease', t: 0.4, distance: 'equal' },
    ],
    suppression: 0.05,
    recoding: 'local',
  },
];

/** The marker every generated value and label carries, so a test can prove none reached the HTML. */
export const VALUE_MARKER = 'zq';

function attributeName(j: number): string {
  return `attribute-${String(j + 1).padStart(2, '0')}`;
}

/** mulberry32: small, seeded, good enough to make varied synthetic rows. */
function random(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Writes `data.csv` and one hierarchy per quasi-identifier under `directory`; returns the input path. */
export function writeScenario(directory: string, scenario: Scenario): string {
  mkdirSync(join(directory, 'hierarchies'), { recursive: true });
  const names = scenario.levels.map((_, j) => attributeName(j));
  const next = random(scenario.rows * 31 + scenario.levels.length);
  const value = (j: number, v: number) => `${VALUE_MARKER}${j}v${v}`;
  for (const [j, name] of names.entries()) {
    const lines = [];
    const top = scenario.levels[j];
    for (let v = 0; v < scenario.values; v++) {
      const row = [value(j, v)];
      for (let level = 1; level < top; level++) row.push(`${VALUE_MARKER}${j}g${level}-${v >> level}`);
      if (top > 0) row.push('*');
      lines.push(row.join(';'));
    }
    writeFileSync(join(directory, 'hierarchies', `${name}.csv`), lines.join('\n') + '\n');
  }
  const diseases = ['flu', 'cold', 'asthma', 'gout'].map((d) => `${VALUE_MARKER}${d}`);
  const rows = [[...names, 'disease'].join(',')];
  for (let r = 0; r < scenario.rows; r++) {
    // Skewed draws (squared uniform) give classes of very different sizes, as real data does.
    const draw = () => (scenario.skew === undefined ? next() * next() : next() ** scenario.skew);
    const cells = names.map((_, j) => value(j, Math.floor(draw() * scenario.values)));
    cells.push(diseases[Math.floor(next() * diseases.length)]);
    rows.push(cells.join(','));
  }
  const input = join(directory, 'data.csv');
  writeFileSync(input, rows.join('\n') + '\n');
  return input;
}

export interface ScenarioRun {
  readonly report: AnonymizationReport;
  readonly jsonPath: string;
  readonly htmlPath: string;
}

/** Generates the scenario's files in `directory` and anonymizes them with both reports written. */
export async function runScenario(directory: string, scenario: Scenario, showValues = false): Promise<ScenarioRun> {
  const input = writeScenario(directory, scenario);
  const names = scenario.levels.map((_, j) => attributeName(j));
  const jsonPath = join(directory, 'report.json');
  const htmlPath = join(directory, 'report.html');
  const report = await anonymizeCsv({
    input,
    output: join(directory, 'output.csv'),
    reportPath: jsonPath,
    htmlReportPath: htmlPath,
    options: {
      attributes: { ...Object.fromEntries(names.map((name) => [name, { role: 'quasi-identifying' as const }])), disease: { role: 'sensitive' } },
      models: scenario.models,
      suppressionLimit: scenario.suppression,
      metric: scenario.metric,
      hierarchiesDir: join(directory, 'hierarchies'),
      showValues,
      recoding: scenario.recoding,
      ...(scenario.explore === undefined ? {} : { explore: { k: scenario.explore } }),
    },
  });
  return { report, jsonPath, htmlPath };
}

/** The charts a report must show, in page order: the risk chart only when the report has a risk section. */
export function expectedCharts(report: AnonymizationReport): string[] {
  const explored = report.explore?.points.some((point) => point.granularityLoss !== null) === true;
  return [
    'class-sizes',
    'levels',
    ...(explored ? ['explore'] : []),
    ...(report.recoding === 'local' ? [] : ['attributes']),
    ...(riskSectionOf(report) === undefined ? [] : ['risk']),
    'lattice',
    ...(report.recoding !== 'local' && report.search.progress.some((point) => point.score !== null) ? ['search'] : []),
  ];
}
