// `cloak check`: proves an existing CSV or Arrow export meets a policy with cloak/testing's independent checkers
// (exit 0 or 6), printing the verdict for people (failures at their file:line) or as one JSON document. Public API only.

import {
  checkModels,
  checkPolicy,
  checkSuppressionWithin,
  CloakError,
  ExitCode,
  findHierarchyFile,
  missingColumnProblems,
  readHierarchyFile,
  readTableFile,
  type AnonymizeOptions,
  type Failure,
  type ModelSpec,
  type TableFile,
  type TableFormat,
  type Verdict,
} from '../index.js';
import { FlagProblems, list, parseFlags } from './flags.js';
import { count, readableNumber } from './readable.js';
import { MODEL_FLAG_OPTIONS, MODEL_FLAGS_HELP, parseAttributeFlags, parseModelFlags, RELEASE_WIDE_MODELS } from './model-flags.js';

export const CHECK_HELP = `Usage: cloak check <export.csv|export.arrow|-> --qi a,b,c [--sensitive a,b] [model flags] [options]

Checks that an existing export (CSV, or Arrow as cloak anonymize --output-format writes it) meets a policy, with
cloak/testing's checkers: they group records by their quasi-identifier strings and share no code with the
anonymization engine. Exit 0 when every check passes, 6 when one fails; the verdict goes to stdout, naming each
failing class by its first record's line (file:line; its record number in an Arrow file). A record whose every
quasi-identifier is * counts as suppressed (an export cannot tell it from a record generalized to the top) and
belongs to no class.

Attributes:
  --qi a,b,c              quasi-identifiers of the export
  --sensitive a,b         sensitive attributes (for l-diversity, t-closeness, δ-disclosure, β-likeness)
  --identifying a,b       identifying attributes, exempt from the comparison with --original
  --types a=integer,d=date:YYYY-MM-DD   attribute types (the order of --t-ordered): string, integer, decimal, date[:FORMAT]
                          (integer: whole numbers, also written with an exponent, e.g. 7.3e+07)

${MODEL_FLAGS_HELP}

Against the original (optional):
  --original FILE         the input the export was made from: then every export row must be its original row with
                          quasi-identifiers generalized along their hierarchies and other columns unchanged, and the
                          distributions of t-closeness, δ-disclosure and β-likeness are the original's
                          (without it: the export's own)
  --hierarchies DIR       hierarchy files: <attribute>.csv or *_hierarchy_<attribute>.csv (ARX format); needed for
                          every quasi-identifier with --original, and for --t-hierarchical
  --suppression S         share of records that may be suppressed, in [0, 1] (of the original's records, or of
                          the export's without --original)
  --population-table FILE population counts per quasi-identifier combination, for --k-map without an estimator
                          (needs --hierarchies); --delta-presence takes --original as the population

Input and output:
  --delimiter C           delimiter of both files (default: detected among , ; tab |)
  --input-format F        format of the export: csv, arrow (IPC file), arrows (IPC stream) or parquet; default from
                          the extension (.arrow, .arrows, .parquet), otherwise csv. The original's comes from its
                          extension
  --json                  print the verdict as one JSON document
  --show-values           allow quasi-identifier labels and values in the verdict
  -h, --help              this help
      --version           print Cloak's version

Exit codes: 0 the export meets the policy, 6 it does not, 2 usage, 3 input (unreadable file, bad hierarchy).`;

const OPTIONS = {
  qi: { type: 'string' },
  sensitive: { type: 'string' },
  identifying: { type: 'string' },
  types: { type: 'string' },
  original: { type: 'string' },
  hierarchies: { type: 'string' },
  suppression: { type: 'string' },
  'population-table': { type: 'string' },
  delimiter: { type: 'string' },
  'input-format': { type: 'string' },
  json: { type: 'boolean' },
  'show-values': { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
  ...MODEL_FLAG_OPTIONS,
} as const;

/** What `cloak check` was asked to do. */
export interface CheckRequest {
  readonly export: string;
  readonly original?: string;
  readonly hierarchiesDir?: string;
  readonly suppressionLimit?: number;
  readonly delimiter?: string;
  /** Format of the export; default from its extension. */
  readonly inputFormat?: TableFormat;
  readonly policy: AnonymizeOptions;
  readonly json: boolean;
  /** The population table counted k-map reads. */
  readonly populationTable?: string;
}

function usage(message: string, problems?: string[]): CloakError {
  return new CloakError('USAGE', message, { exitCode: ExitCode.usage, problems });
}

/** Parses argv into a check request; throws one usage error listing every problem. */
export function parseCheckArgs(argv: readonly string[]): { help: true } | { help: false; request: CheckRequest } {
  const parsed = parseFlags(argv, OPTIONS, 'check');
  const { values } = parsed;
  if (values.help) return { help: true };
  const problems = new FlagProblems();
  const text = (flag: string) => values[flag] as string | undefined;

  if (parsed.positionals.length !== 1) problems.add(`expected exactly one export file (or -), got ${parsed.positionals.length}`);
  const qi = list(text('qi'));
  if (qi.length === 0) problems.add('--qi is required: the quasi-identifier columns');
  const sensitive = list(text('sensitive'));
  const attributes = parseAttributeFlags({ qi, sensitive, identifying: list(text('identifying')) }, text('types'), problems);
  const models = parseModelFlags(values, sensitive, problems);
  for (const model of models) {
    if ('attribute' in model && attributes[model.attribute] === undefined) attributes[model.attribute] = { role: 'sensitive' };
  }

  const original = text('original');
  const hierarchiesDir = text('hierarchies');
  if (original !== undefined && original === '-' && parsed.positionals[0] === '-') problems.add('--original and the export cannot both be stdin (-)');
  if (original !== undefined && hierarchiesDir === undefined) {
    problems.add('--original needs --hierarchies DIR: the generalization check reads every quasi-identifier\'s hierarchy');
  }
  if (hierarchiesDir === undefined && models.some(isHierarchical)) problems.add('--t-hierarchical needs --hierarchies DIR: the distance reads the attribute\'s hierarchy');
  const populationTable = text('population-table');
  if (models.some(isCountedKMap) && (populationTable === undefined || hierarchiesDir === undefined)) {
    problems.add('--k-map without --estimator counts the population: give --population-table FILE and --hierarchies DIR');
  }
  if (models.some((model) => model.type === 'delta-presence') && original === undefined) {
    problems.add('--delta-presence checks the release against its population: give it as --original (with --hierarchies DIR)');
  }
  const suppressionLimit = problems.number('suppression', text('suppression'), { min: 0, max: 1 });
  const inputFormat = problems.choice('input-format', text('input-format'), ['csv', 'arrow', 'arrows', 'parquet'] as const);
  const delimiter = text('delimiter') === 'tab' || text('delimiter') === '\\t' ? '\t' : text('delimiter');
  if (delimiter !== undefined && (delimiter.length !== 1 || delimiter === '"' || delimiter === '\n' || delimiter === '\r')) {
    problems.add('--delimiter: expected one character other than a quote or a line break (or "tab")');
  }

  if (problems.problems.length > 0) {
    const message =
      problems.problems.length === 1 ? `${problems.problems[0]}; see cloak check --help` : `${problems.problems.length} problems with the arguments:\n  - ${problems.problems.join('\n  - ')}`;
    throw usage(message, problems.problems);
  }
  return {
    help: false,
    request: {
      export: parsed.positionals[0],
      original,
      hierarchiesDir,
      suppressionLimit,
      delimiter,
      inputFormat,
      policy: { attributes, models, suppressionLimit, showValues: values['show-values'] === true },
      json: values.json === true,
      populationTable,
    },
  };
}

function isCountedKMap(model: ModelSpec): boolean {
  return model.type === 'k-map' && model.estimator === undefined;
}

function isHierarchical(model: ModelSpec): boolean {
  return model.type === 't-closeness' && model.distance === 'hierarchical';
}

/** Every column the policy names must be in the file's header: a usage error otherwise, as in `cloak anonymize`. */
function requireColumns(file: TableFile, path: string, policy: AnonymizeOptions): void {
  const describe = (name: string) => `column "${name}" (${policy.attributes[name].role})`;
  const missing = missingColumnProblems(Object.keys(policy.attributes), file.columnNames, path === '-' ? '<stdin>' : path, describe);
  if (missing.length === 1) throw usage(missing[0], missing);
  if (missing.length > 1) throw usage(`${missing.length} problems with the columns:\n  - ${missing.join('\n  - ')}`, missing);
}

/** Hierarchy rows of the named attributes from the directory; a missing file is an input error (exit 3). */
async function readHierarchies(directory: string, names: readonly string[]): Promise<Record<string, string[][]>> {
  const hierarchies: Record<string, string[][]> = {};
  for (const name of names) {
    const path = await findHierarchyFile(directory, name);
    if (path === undefined) {
      throw new CloakError('HIERARCHY_NOT_FOUND', `no hierarchy file for attribute "${name}" in ${directory} (looked for ${name}.csv and *_hierarchy_${name}.csv)`, {
        exitCode: ExitCode.input,
        location: { column: name, file: directory },
      });
    }
    hierarchies[name] = (await readHierarchyFile(path)).rows.map((row) => [...row]);
  }
  return hierarchies;
}

/** The outcome of a check: the verdict of every part, and the figures of the export. */
export interface CheckOutcome {
  readonly ok: boolean;
  readonly verdicts: readonly Verdict[];
  readonly rows: number;
  readonly classes?: number;
  readonly suppressed?: number;
  /**
   * Per verdict: whether its measure (`stats.worst`) is a figure of the whole release (average risk, records at risk,
   * population uniqueness) rather than the worst class's.
   */
  readonly releaseWide: readonly boolean[];
  /** 1-based line of each export record (CSV); absent for an Arrow export, which has none. */
  readonly exportLines?: Int32Array;
}

/** Reads the files and runs the checkers. Anything the checkers refuse about the files is an input error (exit 3). */
export async function runChecks(request: CheckRequest): Promise<CheckOutcome> {
  const { policy } = request;
  const exported = await readTableFile(request.export, { delimiter: request.delimiter, format: request.inputFormat });
  requireColumns(exported, request.export, policy);
  const original = request.original === undefined ? undefined : await readTableFile(request.original, { delimiter: request.delimiter });
  if (original !== undefined) requireColumns(original, request.original!, policy);
  const qi = Object.keys(policy.attributes).filter((name) => policy.attributes[name].role === 'quasi-identifying');
  const needsQi = original !== undefined || policy.models.some(isCountedKMap);
  const needed = [...(needsQi ? qi : []), ...policy.models.filter(isHierarchical).map((model) => (model as { attribute: string }).attribute)];
  const hierarchies = request.hierarchiesDir === undefined ? {} : await readHierarchies(request.hierarchiesDir, [...new Set(needed)]);
  const populationTable = request.populationTable === undefined ? undefined : (await readTableFile(request.populationTable, { delimiter: request.delimiter })).table;
  const exportLines = exported.format === 'csv' ? exported.lineOfRow : undefined;
  // Every column is present (requireColumns), so the model verdicts are the last ones, one per model, in order.
  const scopes = (verdicts: readonly Verdict[]): boolean[] => {
    const firstModel = verdicts.length - policy.models.length;
    return verdicts.map((_, index) => index >= firstModel && RELEASE_WIDE_MODELS.includes(policy.models[index - firstModel].type));
  };
  try {
    if (original !== undefined) {
      const verdict = checkPolicy(original.table, exported.table, policy, { hierarchies, populationTable });
      const { verdicts, stats } = verdict;
      return { ok: verdict.ok, verdicts, rows: stats.rowCount, classes: stats.classCount, suppressed: stats.suppressedCount, releaseWide: scopes(verdicts), exportLines };
    }
    const models = checkModels(exported.table, policy, { hierarchies, populationTable });
    const budget =
      request.suppressionLimit === undefined ? [] : [checkSuppressionWithin(exported.table, exported.table, { qi, limit: request.suppressionLimit })];
    const verdicts = [...budget, ...models.verdicts];
    const { stats } = models;
    return { ok: verdicts.every((verdict) => verdict.ok), verdicts, rows: stats.rowCount, classes: stats.classCount, suppressed: stats.suppressedCount, releaseWide: scopes(verdicts), exportLines };
  } catch (error) {
    if (!(error instanceof CloakError)) throw error;
    throw new CloakError(error.code, error.message, { exitCode: ExitCode.input, location: error.location, problems: error.problems, cause: error });
  }
}

/** The export row a failure points at: a class's first record, or the record of a row failure. */
function rowOf(failure: Failure): number | undefined {
  return failure.kind === 'class' ? failure.firstRow : failure.kind === 'row' ? failure.row : undefined;
}

/** Where a failure is in the export: its line in a CSV file, its 1-based record number in an Arrow file. */
function locationOf(failure: Failure, outcome: CheckOutcome, file: string): { file: string; line: number } | { file: string; record: number } | undefined {
  const row = rowOf(failure);
  if (row === undefined) return undefined;
  return outcome.exportLines === undefined ? { file, record: row + 1 } : { file, line: outcome.exportLines[row] };
}

/** The verdict for people: a headline, then one line per check with its failures indented under it. */
export function describeOutcome(outcome: CheckOutcome, request: CheckRequest): string {
  const file = request.export === '-' ? '<stdin>' : request.export;
  const failed = outcome.verdicts.filter((verdict) => !verdict.ok).length;
  const figures = [
    count(outcome.rows, 'record'),
    ...(outcome.classes === undefined ? [] : [count(outcome.classes, 'class', 'classes')]),
    ...(outcome.suppressed === undefined ? [] : [`${outcome.suppressed} suppressed`]),
  ].join(', ');
  const checks = count(outcome.verdicts.length, 'check');
  const headline = outcome.ok
    ? `cloak check: ${file} meets the policy: ${checks} passed (${figures})`
    : `cloak check: ${file} does NOT meet the policy: ${failed} of ${checks} failed (${figures})`;
  const lines = [headline];
  outcome.verdicts.forEach((verdict, index) => {
    const { worst } = verdict.stats;
    const measure = worst === undefined ? '' : `; ${outcome.releaseWide[index] ? 'release figure' : 'worst class measure'} ${readableNumber(worst)}`;
    if (verdict.ok) {
      lines.push(`  ok    ${verdict.check}${measure}`);
      return;
    }
    lines.push(`  FAIL  ${verdict.check}: ${count(verdict.failureCount, 'failure')}${measure}`);
    for (const failure of verdict.failures) {
      const location = locationOf(failure, outcome, file);
      const where = location === undefined ? '' : 'line' in location ? `${location.file}:${location.line}: ` : `${location.file} record ${location.record}: `;
      lines.push(`        - ${where}${failure.message}`);
    }
    const hidden = verdict.failureCount - verdict.failures.length;
    if (hidden > 0) lines.push(`        … and ${hidden} more`);
  });
  return lines.join('\n');
}

/**
 * The verdict as one JSON document; infinite measures (a class lacking a value entirely) serialize as null. A failure
 * at a record carries its `location` in the export: `{file, line}` for CSV, `{file, record}` (1-based) for Arrow.
 */
export function outcomeDocument(outcome: CheckOutcome, request: CheckRequest): object {
  return {
    ok: outcome.ok,
    export: request.export,
    original: request.original ?? null,
    rows: outcome.rows,
    classes: outcome.classes ?? null,
    suppressed: outcome.suppressed ?? null,
    models: request.policy.models,
    suppressionLimit: request.suppressionLimit ?? null,
    checks: outcome.verdicts.map((verdict) => ({
      check: verdict.check,
      ok: verdict.ok,
      stats: verdict.stats,
      failureCount: verdict.ok ? 0 : verdict.failureCount,
      failures: verdict.ok
        ? []
        : verdict.failures.map((failure) => {
            const location = locationOf(failure, outcome, request.export);
            return location === undefined ? failure : { ...failure, location };
          }),
    })),
  };
}

/** Runs `cloak check`; resolves to the exit code (0 pass, 6 fail), rejects with a CloakError for usage or input errors. */
export async function runCheck(argv: readonly string[]): Promise<number> {
  const parsed = parseCheckArgs(argv);
  if (parsed.help) {
    process.stdout.write(CHECK_HELP + '\n');
    return ExitCode.ok;
  }
  const { request } = parsed;
  const outcome = await runChecks(request);
  process.stdout.write((request.json ? JSON.stringify(outcomeDocument(outcome, request), null, 2) : describeOutcome(outcome, request)) + '\n');
  return outcome.ok ? ExitCode.ok : ExitCode.checkFailed;
}
