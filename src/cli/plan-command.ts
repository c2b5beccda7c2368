// `cloak plan` and `cloak apply`: the search saved as a plan, and a saved plan applied to new data, for recurring
// batches. `plan` takes the policy flags of `anonymize`; both are thin layers over planToFile and applyPlanToFile.

import { readFileSync } from 'node:fs';
import { applyPlanToFile, CloakError, ExitCode, parsePlan, planToFile, type ApplyPlanSummary, type TableFormat } from '../index.js';
import { ANONYMIZE_HELP, parseAnonymizeArgs, parseEngineFlags } from './anonymize-command.js';
import { FlagProblems, parseFlags, type ParsedValues } from './flags.js';
import { parseKeyFlags } from './pseudonymize-flags.js';
import { progressBar } from './progress-bar.js';
import { count, readablePercent } from './readable.js';

/** The part of `anonymize`'s help that defines the policy: every section up to the input and output flags. */
const POLICY_FLAGS_HELP = ANONYMIZE_HELP.slice(ANONYMIZE_HELP.indexOf('Policy:'), ANONYMIZE_HELP.indexOf('Input and output:')).trimEnd();

export const PLAN_HELP = `Usage: cloak plan <data.csv|data.arrow|data.parquet|-> -o <plan.json|-> [policy flags of cloak anonymize]
       cloak plan --engine duckdb|clickhouse --source <source> -o <plan.json|-> [policy flags]

Searches the optimal transformation of the data under the policy, exactly as cloak anonymize does, and saves it as a
plan (JSON) instead of writing anonymized data. Apply the plan to later batches with cloak apply: same levels, same
models, no search. The plan holds the value → label maps, the models and only the distributions they compare with.

${POLICY_FLAGS_HELP}

Input and output:
  -o, --output FILE       the plan (written atomically), or - for stdout
  --input-format F        csv, arrow, arrows or parquet; default from the extension, otherwise csv
  --delimiter C           input delimiter (default: detected among , ; tab |)
  --show-values           allow original quasi-identifier values in messages
  -q, --quiet             no summary on stderr
  -h, --help              this help

SQL engines (the engine counts; only the histogram of distinct tuples comes into Cloak):
  --engine E              duckdb or clickhouse (see cloak anonymize --help)
  --source S              what the engine reads, instead of the positional input
  --engine-memory SIZE    memory limit of the engine, e.g. 1GB
  --engine-temp DIR       where DuckDB spills beyond its memory limit

Exit codes: 0 ok, 2 usage, 3 input, 4 no transformation satisfies the models, 130/143 interrupted.`;

export const APPLY_HELP = `Usage: cloak apply <plan.json> <data.csv|data.arrow|data.parquet|-> -o <output|-> [options]
       cloak apply <plan.json> --engine duckdb|clickhouse --source <source> --target <target> [options]

Applies a saved plan to new data: generalizes every record with the plan's levels, re-counts the classes, re-checks
every model of the plan on them, suppresses the classes that fail (within the plan's suppression limit), re-checks
the release independently, and only then writes it. A failing release writes nothing.

Options:
  -o, --output FILE       output file (written to a temporary beside it, renamed when every check passed), or -
                          for stdout (nothing is written before every check passed)
  --mode M                two-pass (reads the data twice; default for a file) or one-pass (reads it once and holds
                          the rows back, in memory up to --hold-back-mb, then in a temporary file; default for -)
  --report FILE           JSON report: rows, classes, suppressed records and classes, budget, plan and policy hashes
  --input-format F        csv, arrow, arrows or parquet; default from the extension, otherwise csv
  --output-format F       csv, arrow, arrows or parquet; default from the output's extension, otherwise csv
  --delimiter C           input delimiter (default: detected); a CSV output keeps the input's delimiter
  --hold-back-mb N        memory for rows held back before the check (default 64)
  --temp-dir DIR          folder of the held-back rows' temporary file (default: the system's)
  --key-file FILE, --key-env NAME   the key of the plan's pseudonymized attributes (hex, or base64 after
                          "base64:"): it must be the one the plan was made with (same fingerprint)
  -q, --quiet             no summary on stderr
  -h, --help              this help

SQL engines (the engine counts and writes; only the histogram of distinct tuples comes into Cloak):
  --engine E              duckdb or clickhouse (see cloak anonymize --help)
  --source S              what the engine reads, instead of the positional data
  --target T              where the release goes, instead of -o (re-aggregated and checked before it is renamed)
  --overwrite             replace an existing target table (otherwise refused)
  --engine-memory SIZE    memory limit of the engine, e.g. 1GB
  --engine-temp DIR       where DuckDB spills beyond its memory limit

Exit codes: 0 ok, 2 usage (also an invalid or edited plan, or a key other than the plan's), 3 input (data the plan
cannot take: other columns, a value no hierarchy covers), 4 the release fails the plan's models beyond its
suppression limit, 5 verification failed (nothing written), 130/143 interrupted.`;

/** Flags of `anonymize` that concern its anonymized output or report, which `plan` does not write. */
const ANONYMIZE_ONLY_FLAGS = ['--report', '--html-report', '--safe-csv', '--output-format', '--max-field-bytes', '--max-columns', '--population-table', '--target', '--overwrite'];

export async function runPlan(argv: readonly string[]): Promise<number> {
  const misplaced = argv.filter((arg) => ANONYMIZE_ONLY_FLAGS.includes(arg.split('=')[0]));
  if (misplaced.length > 0) {
    throw usage(`${misplaced.map((flag) => flag.split('=')[0]).join(', ')}: cloak plan writes a plan, not anonymized data or a report; give ${misplaced.length === 1 ? 'it' : 'them'} to cloak apply or cloak anonymize`);
  }
  const parsed = parseAnonymizeArgs(argv, 'plan');
  if (parsed.help) {
    process.stdout.write(PLAN_HELP + '\n');
    return ExitCode.ok;
  }
  const { input, source, output, options, inputFormat, keys, engine } = parsed.request;
  const bar = parsed.quiet ? undefined : progressBar();
  let saved;
  try {
    saved = await planToFile({ input: (source ?? input)!, output: output!, policy: options, inputFormat, keys, engine, onProgress: bar?.onProgress });
  } finally {
    bar?.done();
  }
  if (!parsed.quiet) {
    const levels = saved.quasiIdentifiers.map((qi) => `${qi.name}=${qi.level}`).join(' ');
    process.stderr.write(`cloak: planned on ${count(saved.rows, 'record')} → ${output === '-' ? 'stdout' : output}\n  transformation: ${levels}\n`);
  }
  return ExitCode.ok;
}

const APPLY_OPTIONS = {
  output: { type: 'string', short: 'o' },
  mode: { type: 'string' },
  report: { type: 'string' },
  'input-format': { type: 'string' },
  'output-format': { type: 'string' },
  delimiter: { type: 'string' },
  'hold-back-mb': { type: 'string' },
  'temp-dir': { type: 'string' },
  engine: { type: 'string' },
  source: { type: 'string' },
  target: { type: 'string' },
  overwrite: { type: 'boolean' },
  'engine-memory': { type: 'string' },
  'engine-temp': { type: 'string' },
  'key-file': { type: 'string' },
  'key-env': { type: 'string' },
  quiet: { type: 'boolean', short: 'q' },
  help: { type: 'boolean', short: 'h' },
} as const;

export async function runApply(argv: readonly string[]): Promise<number> {
  const { values: parsed, positionals } = parseFlags(argv, APPLY_OPTIONS, 'apply');
  const values = parsed as { [flag in keyof typeof APPLY_OPTIONS]?: (typeof APPLY_OPTIONS)[flag]['type'] extends 'boolean' ? boolean : string };
  if (values.help) {
    process.stdout.write(APPLY_HELP + '\n');
    return ExitCode.ok;
  }
  const problems = new FlagProblems();
  const engine = parseEngineFlags(values as ParsedValues, problems);
  const source = values.source;
  const expected = source === undefined ? 2 : 1;
  if (positionals.length !== expected) {
    problems.add(source === undefined ? `expected the plan and one input file (or -), got ${positionals.length} file${positionals.length === 1 ? '' : 's'}` : `with --source, expected the plan alone, got ${positionals.length} files`);
  }
  if (values.target !== undefined && values.output !== undefined) problems.add('--target replaces -o/--output: give one or the other');
  if (values.output === undefined && values.target === undefined) problems.add('-o/--output is required (a file, or - for stdout)');
  if (engine !== undefined && values.mode !== undefined) problems.add('--mode is for Cloak\'s own reading; an engine reads its source twice');
  const planFile = positionals[0];
  const input = source ?? positionals[1];
  const mode = problems.choice('mode', values.mode, ['two-pass', 'one-pass'] as const) ?? (input === '-' ? 'one-pass' : 'two-pass');
  if (mode === 'two-pass' && input === '-' && values.mode !== undefined) problems.add('--mode two-pass reads the data twice, which stdin cannot be; use one-pass');
  const inputFormat = problems.choice('input-format', values['input-format'], ['csv', 'arrow', 'arrows', 'parquet'] as const) as TableFormat | undefined;
  const outputFormat = problems.choice('output-format', values['output-format'], ['csv', 'arrow', 'arrows', 'parquet'] as const) as TableFormat | undefined;
  const holdBackMb = problems.number('hold-back-mb', values['hold-back-mb'], { min: 0 });
  const keys = parseKeyFlags(values, problems);
  const delimiter = values.delimiter === 'tab' || values.delimiter === '\\t' ? '\t' : values.delimiter;
  if (delimiter !== undefined && (delimiter.length !== 1 || delimiter === '"' || delimiter === '\n' || delimiter === '\r')) {
    problems.add('--delimiter: expected one character other than a quote or a line break (or "tab")');
  }
  if (problems.problems.length > 0) {
    throw usage(problems.problems.length === 1 ? `${problems.problems[0]}; see cloak apply --help` : `${problems.problems.length} problems with the arguments:\n  - ${problems.problems.join('\n  - ')}`, problems.problems);
  }
  const plan = parsePlan(readPlanText(planFile), planFile);
  const output = values.target ?? values.output!;
  const bar = values.quiet ? undefined : progressBar();
  let summary: ApplyPlanSummary;
  try {
    summary = await applyPlanToFile(plan, input, output, {
      ...(engine === undefined ? { mode } : { engine, overwrite: values.overwrite }),
      delimiter,
      inputFormat,
      outputFormat,
      reportPath: values.report,
      holdBack: { memoryMb: holdBackMb, directory: values['temp-dir'] },
      keys,
      onProgress: bar?.onProgress,
    });
  } finally {
    bar?.done();
  }
  if (!values.quiet) process.stderr.write(applySummary(summary, output) + '\n');
  return ExitCode.ok;
}

/** Human summary of an application, for stderr. */
function applySummary(summary: ApplyPlanSummary, output: string): string {
  const share = summary.rows === 0 ? 0 : summary.suppressedRecords / summary.rows;
  return [
    `cloak: applied the plan to ${count(summary.rows, 'record')} → ${output === '-' ? 'stdout' : output} (verified)`,
    `  suppressed: ${count(summary.suppressedRecords, 'record')} (${readablePercent(share)}, budget ${summary.budget}) in ${count(summary.suppressedClasses, 'class', 'classes')}; classes: ${summary.classes}`,
  ].join('\n');
}

function readPlanText(path: string): string {
  try {
    return readFileSync(path, 'utf8');
  } catch (cause) {
    throw new CloakError('PLAN_NOT_READABLE', `cannot read the plan ${path}`, { exitCode: ExitCode.usage, location: { file: path }, cause });
  }
}

function usage(message: string, problems?: string[]): CloakError {
  return new CloakError('USAGE', message, { exitCode: ExitCode.usage, problems });
}
