// `cloak risk`: re-identification risk of a CSV or Arrow file by its quasi-identifiers, as a readable summary or one
// JSON document on stdout. Turns flags into `estimateRisk` options (every problem reported at once); public API only.

import {
  CloakError,
  estimateRisk,
  ExitCode,
  isEstimateAvailable,
  POPULATION_COUNT_COLUMN,
  type PopulationEstimate,
  type RiskEstimateOptions,
  type TableRiskReport,
} from '../index.js';
import { FlagProblems, list, parseFlags } from './flags.js';
import { parseRiskFlags } from './model-flags.js';
import { count, readableNumber, readablePercent } from './readable.js';

export const RISK_HELP = `Usage: cloak risk <data.csv|data.arrow|-> --qi a,b,c [options]

Estimates how likely the records of a CSV or Arrow file are to be re-identified by someone who knows their
quasi-identifiers. Records are grouped by the quasi-identifiers; records whose quasi-identifiers are all *
count as suppressed and are left out of every figure.

Options:
  --qi a,b,c              quasi-identifiers: the columns an attacker may know (required)
  --population P          population size: an integer N or USA, UK, Germany, France, Canada, EU; enables
                          the population-uniqueness estimates (Zayatz, Pitman, SNB and Dankar's rule)
  --population-model M    the estimate repeated as populationUniqueness.estimate: pitman, zayatz, snb,
                          dankar (default)
  --population-table FILE population counts per combination (journalist and marketer risks), see below;
                          without --population, the sum of its counts is the population size
  --risk-threshold T      records whose risk 1/|class| is > T are "at risk", T in [0, 1] (default 0.2)
  --delimiter C           input delimiter (default: detected among , ; tab |)
  --input-format F        csv, arrow (IPC file) or arrows (IPC stream), as cloak anonymize --output-format
                          writes them; default from the extension (.arrow, .arrows), otherwise csv
  --json                  print one JSON document instead of the summary
  -h, --help              this help
      --version           print Cloak's version

Figures: prosecutor risks (highest 1/min|class|, lowest, average = classes/records, records affected by
the highest risk, records at risk); journalist risks against the population table (otherwise equal to
the prosecutor's); marketer risk; sample uniqueness (records alone in their class); population
uniqueness; and the records per risk band. In the JSON, counts come with their fractions, every figure
is a number at full precision, and an estimate that could not be computed says why.

Population table: a CSV file (delimiter detected) whose header holds exactly the --qi columns and
"${POPULATION_COUNT_COLUMN}", one row per combination of their values, "${POPULATION_COUNT_COLUMN}" being how many people of the
population have that combination (a non-negative integer). Every combination occurring in the data
needs a row, with a count at least its number of records; combinations absent from the data may be
listed; no combination may appear twice.

Exit codes: 0 ok, 2 usage, 3 input.`;

const OPTIONS = {
  qi: { type: 'string' },
  population: { type: 'string' },
  'population-model': { type: 'string' },
  'population-table': { type: 'string' },
  'risk-threshold': { type: 'string' },
  delimiter: { type: 'string' },
  'input-format': { type: 'string' },
  json: { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
} as const;

function usage(message: string, problems?: string[]): CloakError {
  return new CloakError('USAGE', message, { exitCode: ExitCode.usage, problems });
}

/** Parses argv into the input and `estimateRisk` options; throws one usage error listing every problem. */
export function parseRiskArgs(argv: readonly string[]): { help: true } | { help: false; input: string; json: boolean; options: RiskEstimateOptions } {
  const parsed = parseFlags(argv, OPTIONS, 'risk');
  const { values } = parsed;
  if (values.help === true) return { help: true };
  const problems = new FlagProblems();
  if (parsed.positionals.length !== 1) problems.add(`expected exactly one input file (or -), got ${parsed.positionals.length}`);
  const quasiIdentifiers = list(values.qi as string | undefined);
  if (quasiIdentifiers.length === 0) problems.add('--qi is required: the quasi-identifier columns');
  const risk = parseRiskFlags(values, problems);
  const inputFormat = problems.choice('input-format', values['input-format'] as string | undefined, ['csv', 'arrow', 'arrows'] as const);
  const rawDelimiter = values.delimiter as string | undefined;
  const delimiter = rawDelimiter === 'tab' || rawDelimiter === '\\t' ? '\t' : rawDelimiter;
  if (delimiter !== undefined && (delimiter.length !== 1 || delimiter === '"' || delimiter === '\n' || delimiter === '\r')) {
    problems.add('--delimiter: expected one character other than a quote or a line break (or "tab")');
  }
  if (problems.problems.length > 0) {
    const message =
      problems.problems.length === 1 ? `${problems.problems[0]}; see cloak risk --help` : `${problems.problems.length} problems with the arguments:\n  - ${problems.problems.join('\n  - ')}`;
    throw usage(message, problems.problems);
  }
  return {
    help: false,
    input: parsed.positionals[0],
    json: values.json === true,
    options: {
      quasiIdentifiers,
      delimiter,
      inputFormat,
      threshold: risk.threshold,
      population: risk.population,
      populationModel: risk.populationModel,
      populationTable: values['population-table'] as string | undefined,
    },
  };
}

function estimateLine(name: string, estimate: PopulationEstimate, chosenModel?: string): string {
  if (!isEstimateAvailable(estimate)) return `    ${name.padEnd(8)} unavailable: ${estimate.reason}`;
  const chosen = chosenModel === undefined ? '' : ` (${chosenModel})`;
  const uniques = `${readableNumber(estimate.count)} ${estimate.count === 1 ? 'unique' : 'uniques'}`;
  return `    ${name.padEnd(8)} ${uniques}, ${readablePercent(estimate.fraction)} of the population${chosen}`;
}

/**
 * The readable summary of a report, figures rounded for reading (--json keeps full precision); journalist figures
 * are shown when a population table was given.
 */
export function summarizeRisk(report: TableRiskReport, input: string, withPopulationTable: boolean): string {
  const { prosecutor, journalist, populationUniqueness: population } = report;
  const percent = readablePercent;
  const lines = [
    `cloak: risk of ${input === '-' ? 'stdin' : input} by ${report.quasiIdentifiers.join(', ')}`,
    `  records: ${report.records} in ${count(report.classes, 'class', 'classes')}` +
      (report.excludedRecords > 0 ? ` (${count(report.excludedRecords, 'suppressed record')} left out)` : ''),
    `  prosecutor: highest ${percent(prosecutor.highestRisk)} (${count(prosecutor.recordsAffectedByHighestRisk.count, 'record')}), ` +
      `average ${percent(prosecutor.averageRisk)}, lowest ${percent(prosecutor.lowestRisk)}`,
    `  records at risk (> ${prosecutor.recordsAtRisk.threshold}): ${prosecutor.recordsAtRisk.count} (${percent(prosecutor.recordsAtRisk.fraction)})`,
    !withPopulationTable
      ? '  journalist: as prosecutor (no population table)'
      : `  journalist: highest ${percent(journalist.highestRisk)}, average ${percent(journalist.averageRisk)}, records at risk ${journalist.recordsAtRisk.count} (${percent(journalist.recordsAtRisk.fraction)})`,
    `  marketer: ${percent(report.marketer.averageRisk)}`,
    `  sample uniques: ${report.sampleUniqueness.count} (${percent(report.sampleUniqueness.fraction)})`,
  ];
  if (population.populationSize === null) {
    lines.push('  population uniqueness: not computed (give --population or --population-table)');
  } else {
    lines.push(`  population uniqueness (N = ${population.populationSize}, sampling fraction ${population.samplingFraction === null ? 'unknown' : readableNumber(population.samplingFraction)}):`);
    lines.push(estimateLine('zayatz', population.zayatz), estimateLine('pitman', population.pitman), estimateLine('snb', population.snb), estimateLine('dankar', population.dankar, isEstimateAvailable(population.dankar) ? population.dankar.model : undefined));
  }
  lines.push('  records by risk band:');
  let lower = 0;
  for (const band of report.distribution) {
    lines.push(`    (${percent(lower)}, ${percent(band.upTo)}]`.padEnd(24) + `${band.count} (${percent(band.fraction)})`);
    lower = band.upTo;
  }
  return lines.join('\n');
}

export async function runRisk(argv: readonly string[]): Promise<number> {
  const parsed = parseRiskArgs(argv);
  if (parsed.help) {
    process.stdout.write(RISK_HELP + '\n');
    return ExitCode.ok;
  }
  const report = await estimateRisk(parsed.input, parsed.options);
  process.stdout.write((parsed.json ? JSON.stringify(report, null, 2) : summarizeRisk(report, parsed.input, parsed.options.populationTable !== undefined)) + '\n');
  return ExitCode.ok;
}
