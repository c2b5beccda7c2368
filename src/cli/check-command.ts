// `cloak check`: proves an existing CSV export meets a policy with cloak/testing's independent checkers (exit 0 or 6),
// printing the verdict for people or as one JSON document. Imports only the public API.

import { parseArgs } from 'node:util';
import {
  checkModels,
  checkPolicy,
  checkSuppressionWithin,
  CloakError,
  ExitCode,
  findHierarchyFile,
  readCsvTable,
  readHierarchyFile,
  type AnonymizeOptions,
  type CsvTableFile,
  type ModelSpec,
  type Verdict,
} from '../index.js';
import { FlagProblems, list } from './flags.js';
import { MODEL_FLAG_OPTIONS, MODEL_FLAGS_HELP, parseAttributeFlags, parseModelFlags, type ParsedValues } from './model-flags.js';

export const CHECK_HELP = `Usage: cloak check <export.csv|-> --qi a,b,c [--sensitive a,b] [model flags] [options]

Checks that an existing CSV export meets a policy, with cloak/testing's checkers: they group records by their
quasi-identifier strings and share no code with the anonymization engine. Exit 0 when every check passes, 6 when
one fails; the verdict goes to stdout. A record whose every quasi-identifier is * counts as suppressed (a CSV cannot
tell it from a record generalized to the top) and belongs to no class.

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

Input and output:
  --delimiter C           delimiter of both files (default: detected among , ; tab |)
  --json                  print the verdict as one JSON document
  --show-values           allow quasi-identifier labels and values in the verdict
  -h, --help              this help

Exit codes: 0 the export meets the policy, 6 it does not, 2 usage, 3 input (unreadable file, bad hierarchy).`;

const OPTIONS = {
  qi: { type: 'string' },
  sensitive: { type: 'string' },
  identifying: { type: 'string' },
  types: { type: 'string' },
  original: { type: 'string' },
  hierarchies: { type: 'string' },
  suppression: { type: 'string' },
  delimiter: { type: 'string' },
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
  readonly policy: AnonymizeOptions;
  readonly json: boolean;
}

function usage(message: string, problems?: string[]): CloakError {
  return new CloakError('USAGE', message, { exitCode: ExitCode.usage, problems });
}

/** Parses argv into a check request; throws one usage error listing every problem. */
export function parseCheckArgs(argv: readonly string[]): { help: true } | { help: false; request: CheckRequest } {
  let parsed;
  try {
    parsed = parseArgs({ args: [...argv], options: OPTIONS as never, allowPositionals: true, strict: true });
  } catch (cause) {
    throw usage(`${(cause as Error).message.replace(/\s*\n\s*/g, ' ').replace(/\.$/, '')}; see cloak check --help`);
  }
  const values = parsed.values as ParsedValues;
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
  const suppressionLimit = problems.number('suppression', text('suppression'), { min: 0, max: 1 });
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
      policy: { attributes, models, suppressionLimit, showValues: values['show-values'] === true },
      json: values.json === true,
    },
  };
}

function isHierarchical(model: ModelSpec): boolean {
  return model.type === 't-closeness' && model.distance === 'hierarchical';
}

/** Every column the policy names must be in the file's header: a usage error otherwise, as in `cloak anonymize`. */
function requireColumns(file: CsvTableFile, path: string, policy: AnonymizeOptions): void {
  const header = new Set(file.columnNames);
  const missing = Object.entries(policy.attributes)
    .filter(([name]) => !header.has(name))
    .map(([name, attribute]) => `column "${name}" (${attribute.role}) is not in the header of ${path === '-' ? '<stdin>' : path}`);
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
}

/** Reads the files and runs the checkers. Anything the checkers refuse about the files is an input error (exit 3). */
export async function runChecks(request: CheckRequest): Promise<CheckOutcome> {
  const { policy } = request;
  const read = { delimiter: request.delimiter };
  const exported = await readCsvTable(request.export, read);
  requireColumns(exported, request.export, policy);
  const original = request.original === undefined ? undefined : await readCsvTable(request.original, read);
  if (original !== undefined) requireColumns(original, request.original!, policy);
  const qi = Object.keys(policy.attributes).filter((name) => policy.attributes[name].role === 'quasi-identifying');
  const needed = [...(original === undefined ? [] : qi), ...policy.models.filter(isHierarchical).map((model) => (model as { attribute: string }).attribute)];
  const hierarchies = request.hierarchiesDir === undefined ? {} : await readHierarchies(request.hierarchiesDir, [...new Set(needed)]);
  try {
    if (original !== undefined) {
      const verdict = checkPolicy(original.table, exported.table, policy, { hierarchies });
      return { ok: verdict.ok, verdicts: verdict.verdicts, rows: verdict.stats.rowCount, classes: verdict.stats.classCount, suppressed: verdict.stats.suppressedCount };
    }
    const models = checkModels(exported.table, policy, { hierarchies });
    const budget =
      request.suppressionLimit === undefined ? [] : [checkSuppressionWithin(exported.table, exported.table, { qi, limit: request.suppressionLimit })];
    const verdicts = [...budget, ...models.verdicts];
    return { ok: verdicts.every((verdict) => verdict.ok), verdicts, rows: models.stats.rowCount, classes: models.stats.classCount, suppressed: models.stats.suppressedCount };
  } catch (error) {
    if (!(error instanceof CloakError)) throw error;
    throw new CloakError(error.code, error.message, { exitCode: ExitCode.input, location: error.location, problems: error.problems, cause: error });
  }
}

/** The verdict for people: a headline, then one line per check with its failures indented under it. */
export function describeOutcome(outcome: CheckOutcome, request: CheckRequest): string {
  const file = request.export === '-' ? '<stdin>' : request.export;
  const failed = outcome.verdicts.filter((verdict) => !verdict.ok).length;
  const figures = [
    `${outcome.rows} records`,
    ...(outcome.classes === undefined ? [] : [`${outcome.classes} classes`]),
    ...(outcome.suppressed === undefined ? [] : [`${outcome.suppressed} suppressed`]),
  ].join(', ');
  const headline = outcome.ok
    ? `cloak check: ${file} meets the policy: ${outcome.verdicts.length} checks passed (${figures})`
    : `cloak check: ${file} does NOT meet the policy: ${failed} of ${outcome.verdicts.length} checks failed (${figures})`;
  const lines = [headline];
  for (const verdict of outcome.verdicts) {
    const worst = verdict.stats.worst === undefined ? '' : `; worst class measure ${verdict.stats.worst}`;
    if (verdict.ok) {
      lines.push(`  ok    ${verdict.check}${worst}`);
      continue;
    }
    lines.push(`  FAIL  ${verdict.check}: ${verdict.failureCount} failure${verdict.failureCount === 1 ? '' : 's'}${worst}`);
    for (const failure of verdict.failures) lines.push(`        - ${failure.message}`);
    const hidden = verdict.failureCount - verdict.failures.length;
    if (hidden > 0) lines.push(`        … and ${hidden} more`);
  }
  return lines.join('\n');
}

/** The verdict as one JSON document; infinite measures (a class lacking a value entirely) serialize as null. */
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
      failures: verdict.ok ? [] : verdict.failures,
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
