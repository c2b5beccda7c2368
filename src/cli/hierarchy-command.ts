// `cloak hierarchy check|build`: flag parsing (every problem at once), the report printout, and the spec-file
// readers shared with `cloak anonymize --hierarchy-spec`. Imports only the public API.

import { readFileSync } from 'node:fs';
import {
  buildColumnHierarchy,
  checkHierarchies,
  CloakError,
  ExitCode,
  groupLevelsFromCsv,
  groupLevelsFromJson,
  parseHierarchySpec,
  parseSpecDocument,
  type AttributeHierarchyCheck,
  type HierarchySource,
  type HierarchySpec,
} from '../index.js';
import { FlagProblems, list, parseFlags } from './flags.js';

export const HIERARCHY_HELP = `Usage: cloak hierarchy check <data.csv|-> --hierarchies DIR --qi a,b [--delimiter C] [--show-values] [--json]
       cloak hierarchy build --type T --data <data.csv|-> --column C [builder options] -o <out.csv|->
       cloak hierarchy build --spec spec.json --data <data.csv|-> --column C -o <out.csv|->

check   reports, per attribute, whether its hierarchy file (<attribute>.csv or *_hierarchy_<attribute>.csv
        in DIR) is usable for the data: height, distinct values per level, data values missing from the
        hierarchy (count, records, first lines; the values only with --show-values), hierarchy values absent
        from the data (not an error), ragged rows, values with two rows, non-nested generalizations.
        --json prints the reports as JSON. Exit 0 when every hierarchy is usable, 3 otherwise.

build   builds a hierarchy over the distinct values of one column (plus a declared domain) and writes it in
        ARX's format (value;level 1;…;*, no header), after checking it as "check" would. -o - writes to stdout.
  --type interval   --width W [--fanout 2,2] [--lower L] [--upper U] [--origin O]
                    ranges [a, b) of width W, then W×2, W×2×2…: each fanout entry merges that many ranges
                    of the level below; below --lower "<L", from --upper on "≥U"
  --type mask       [--direction right-to-left|left-to-right] [--mask-char C] [--levels N]
                    [--align left|right [--pad-char C]]
                    one more character masked per level. Codes of varying length: without --align each
                    keeps its length and lengths meet only at *; with --align each is padded to the longest
                    length with --pad-char (default: the mask character) on the other side, so codes of
                    different lengths merge as masking proceeds (ARX's redaction alignment)
  --type date       [--chain calendar|week] [--format YYYY-MM-DD]
  --type group      --groups mapping.json|mapping.csv   or   --run-sizes 5,2,2
                    --run-sizes: runs of 5 consecutive sorted values, then 2 runs of the level below per run
                    (10 values), then 2 of those (20): the relative convention of --width/--fanout. A run of
                    one value is labelled by the value; a level whose one run holds every value is * itself.
  --type frequency  --threshold N [--other-label Other]
  --spec FILE       a JSON builder spec, e.g. {"type": "interval", "width": 5, "fanout": [2]}, or a spec
                    document as in hierarchies/specs: {"attribute", "description", "domain"?, "hierarchy": {spec}}
  --domain A..B     declared domain: the hierarchy covers the whole numbers A to B even where the data lacks
                    them; a data value outside is an error (file, column, line). In a spec: "domain":
                    {"from": A, "to": B}, or a list of values ["a", "b", …]
  --missing-label L missing values (empty or NA) get the label L at every level below *; without it they are
                    an error. In a spec: "missing": {"label": L, "values"?: [what counts as missing]}
  --delimiter C     data delimiter (default: detected among , ; tab |)
  --show-values     quote the offending value in errors

Group mapping files (--groups):
  JSON   [{"<label>": ["value", …], …}, …]: one object per level, most specific first; every level lists
         original values (not the labels of the level below), and must nest in the next. Example:
         [{"Married": ["Married", "Separated"], "Divorced": ["Divorced"], "Single": ["Never married"]},
          {"Ever married": ["Married", "Separated", "Divorced"], "Never married": ["Never married"]}]
  CSV    any other extension: ARX layout, one row per value, value;level 1;level 2;… (no header; delimiter
         ; , tab or |, detected), a last column of only * is dropped. Example line: Separated;Married;*
  A level that puts every value in one group is the * level: the hierarchy ends there, * is not repeated.

Exit codes: 0 ok, 2 usage, 3 input (data, hierarchy, or a check that found an unusable hierarchy).`;

type BuilderType = HierarchySpec['type'];

/** The builder flags of each type, the spec field each sets, and the flags a type cannot do without. */
const BUILDER_FLAGS: Record<BuilderType, { readonly fields: Readonly<Record<string, string>>; readonly required: readonly string[] }> = {
  interval: { fields: { width: 'width', fanout: 'fanout', lower: 'lower', upper: 'upper', origin: 'origin' }, required: ['width'] },
  mask: { fields: { direction: 'direction', 'mask-char': 'maskChar', levels: 'levels', align: 'align', 'pad-char': 'padChar' }, required: [] },
  date: { fields: { chain: 'chain', format: 'format' }, required: [] },
  group: { fields: { groups: 'levels', 'run-sizes': 'runSize' }, required: [] },
  frequency: { fields: { threshold: 'threshold', 'other-label': 'otherLabel' }, required: ['threshold'] },
};
/** Flags every type takes. */
const COMMON_FLAGS = ['domain', 'missing-label'];
const NUMBER_FLAGS = new Set(['width', 'lower', 'upper', 'origin', 'threshold', 'levels']);
const NUMBER_LIST_FLAGS = new Set(['fanout']);
const ALL_BUILDER_FLAGS = [...new Set(Object.values(BUILDER_FLAGS).flatMap((entry) => Object.keys(entry.fields))), ...COMMON_FLAGS];

const CHECK_OPTIONS = {
  hierarchies: { type: 'string' },
  qi: { type: 'string' },
  delimiter: { type: 'string' },
  'show-values': { type: 'boolean' },
  json: { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
} as const;

const BUILD_OPTIONS = {
  type: { type: 'string' },
  spec: { type: 'string' },
  data: { type: 'string' },
  column: { type: 'string' },
  delimiter: { type: 'string' },
  output: { type: 'string', short: 'o' },
  'show-values': { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
  ...Object.fromEntries(ALL_BUILDER_FLAGS.map((flag) => [flag, { type: 'string' }])),
} as const;

function usage(message: string, problems?: readonly string[]): CloakError {
  return new CloakError('USAGE', message, { exitCode: ExitCode.usage, problems });
}

function throwIfProblems(problems: FlagProblems, command: string): void {
  const found = problems.problems;
  if (found.length === 0) return;
  throw usage(found.length === 1 ? `${found[0]}; see cloak hierarchy --help` : `${found.length} problems with the arguments of ${command}:\n  - ${found.join('\n  - ')}`, found);
}

/** `tab` and `\t` name the tab character; the CSV reader validates the rest. */
function delimiterFlag(text: string | undefined): string | undefined {
  return text === 'tab' || text === '\\t' ? '\t' : text;
}

export async function runHierarchy(argv: readonly string[]): Promise<number> {
  const [subcommand, ...rest] = argv;
  if (subcommand === undefined || subcommand === '-h' || subcommand === '--help' || subcommand === 'help') {
    process.stdout.write(HIERARCHY_HELP + '\n');
    return subcommand === undefined ? ExitCode.usage : ExitCode.ok;
  }
  if (subcommand === 'check') return runCheck(rest);
  if (subcommand === 'build') return runBuild(rest);
  throw usage(`unknown hierarchy subcommand "${subcommand}"; use check or build`);
}

async function runCheck(argv: readonly string[]): Promise<number> {
  const parsed = parseFlags(argv, CHECK_OPTIONS, 'hierarchy check');
  const values = parsed.values as Record<string, string | boolean | undefined>;
  if (values.help) {
    process.stdout.write(HIERARCHY_HELP + '\n');
    return ExitCode.ok;
  }
  const problems = new FlagProblems();
  if (parsed.positionals.length !== 1) problems.add(`expected exactly one data file (or -), got ${parsed.positionals.length}`);
  const hierarchiesDir = values.hierarchies as string | undefined;
  if (hierarchiesDir === undefined) problems.add('--hierarchies is required: the directory of hierarchy files');
  const attributes = list(values.qi as string | undefined);
  if (attributes.length === 0) problems.add('--qi is required: the columns whose hierarchies to check');
  for (const name of new Set(attributes.filter((name, index) => attributes.indexOf(name) !== index))) problems.add(`--qi: column "${name}" is named more than once`);
  throwIfProblems(problems, 'hierarchy check');

  const checks = await checkHierarchies({
    input: parsed.positionals[0],
    attributes,
    hierarchiesDir: hierarchiesDir!,
    delimiter: delimiterFlag(values.delimiter as string | undefined),
    showValues: values['show-values'] === true,
  });
  process.stdout.write(values.json ? `${JSON.stringify(checks, null, 2)}\n` : checks.map(describeCheck).join(''));
  const unusable = checks.filter((check) => !check.usable).length;
  if (unusable === 0) return ExitCode.ok;
  process.stderr.write(`cloak: error: ${unusable} of ${checks.length} hierarchies cannot be used with this data\n`);
  return ExitCode.input;
}

/** The text form of one attribute's check: counts only, values only where the report holds them. */
function describeCheck(check: AttributeHierarchyCheck): string {
  const { report } = check;
  if (report === undefined) return `${check.attribute}: NOT USABLE\n  ${check.failure.message}\n`;
  const lines = [`${check.attribute}: ${report.usable ? 'usable' : 'NOT USABLE'} (${report.origin})`, `  height ${report.height}, ${report.rowCount} row(s)`];
  for (const { level, dataValues, hierarchyLabels } of report.levels) {
    lines.push(`  level ${level}: ${dataValues} distinct in the data, ${hierarchyLabels} in the hierarchy`);
  }
  // The missing-values problem carries the count, records and data lines (and values with --show-values).
  if (report.missing.distinctValues === 0) lines.push('  every data value has a row in the hierarchy');
  lines.push(`  hierarchy values absent from the data: ${report.absentFromData} (not an error)`);
  for (const problem of report.problems) lines.push(`  problem: ${problem.message}`);
  if (report.unlistedProblems > 0) lines.push(`  … and ${report.unlistedProblems} more problem(s) of the kinds above`);
  return `${lines.join('\n')}\n`;
}

async function runBuild(argv: readonly string[]): Promise<number> {
  const parsed = parseFlags(argv, BUILD_OPTIONS, 'hierarchy build');
  const values = parsed.values as Record<string, string | boolean | undefined>;
  if (values.help) {
    process.stdout.write(HIERARCHY_HELP + '\n');
    return ExitCode.ok;
  }
  const text = (flag: string) => values[flag] as string | undefined;
  const problems = new FlagProblems();
  if (parsed.positionals.length > 0) problems.add(`unexpected argument(s): ${parsed.positionals.length}; the data file goes after --data`);
  if (text('data') === undefined) problems.add('--data is required: the CSV file whose column the hierarchy covers');
  if (text('column') === undefined) problems.add('--column is required: the column to build the hierarchy for');
  if (text('output') === undefined) problems.add('-o/--output is required (a file, or - for stdout)');
  const builderFlagsGiven = ALL_BUILDER_FLAGS.filter((flag) => text(flag) !== undefined);
  let spec: HierarchySpec | undefined;
  if ((text('type') === undefined) === (text('spec') === undefined)) problems.add('give exactly one of --type and --spec');
  else if (text('spec') !== undefined) {
    for (const flag of builderFlagsGiven) problems.add(`--${flag} cannot be combined with --spec; put it in the spec file`);
    spec = readSpecFile(text('spec')!, problems);
  } else {
    spec = specFromFlags(text('type')!, text, problems);
  }
  throwIfProblems(problems, 'hierarchy build');

  const output = text('output')!;
  const built = await buildColumnHierarchy({
    data: text('data')!,
    column: text('column')!,
    spec: spec!,
    delimiter: delimiterFlag(text('delimiter')),
    output: output === '-' ? undefined : output,
    showValues: values['show-values'] === true,
  });
  if (output === '-') process.stdout.write(built.text);
  else process.stderr.write(`cloak: wrote ${output}: ${built.report.rowCount} values, height ${built.report.height}\n`);
  return ExitCode.ok;
}

/** The spec the builder flags describe; problems are flag names, value ranges are left to the builder. */
function specFromFlags(type: string, text: (flag: string) => string | undefined, problems: FlagProblems): HierarchySpec | undefined {
  if (!Object.hasOwn(BUILDER_FLAGS, type)) {
    problems.add(`--type: expected one of ${Object.keys(BUILDER_FLAGS).join(', ')}, got "${type}"`);
    return undefined;
  }
  const { fields, required } = BUILDER_FLAGS[type as BuilderType];
  const spec: Record<string, unknown> = { type };
  for (const flag of ALL_BUILDER_FLAGS) {
    const value = text(flag);
    if (value === undefined) continue;
    const field = fields[flag];
    if (flag === 'domain') spec.domain = domainFlag(value, problems);
    else if (flag === 'missing-label') spec.missing = { label: value };
    else if (field === undefined) problems.add(`--${flag} does not apply to --type ${type}`);
    else if (flag === 'run-sizes') Object.assign(spec, runSizesFlag(value, problems));
    else if (NUMBER_FLAGS.has(flag)) spec[field] = problems.number(flag, value);
    else if (NUMBER_LIST_FLAGS.has(flag)) spec[field] = list(value).map((entry) => problems.number(flag, entry));
    else if (flag === 'groups') spec[field] = readGroupsFile(value, problems);
    else spec[field] = value;
  }
  for (const flag of required) if (text(flag) === undefined) problems.add(`--type ${type} needs --${flag}`);
  if (type === 'group' && (text('groups') === undefined) === (text('run-sizes') === undefined)) problems.add('--type group needs exactly one of --groups and --run-sizes');
  if (problems.problems.length > 0) return undefined;
  return parseHierarchySpec(spec, { path: `--type ${type}` });
}

/** `--run-sizes 5,2,2`: the level-1 run size, then the relative fanout of each further level. */
function runSizesFlag(text: string, problems: FlagProblems): { runSize?: number; fanout?: number[] } {
  const entries = list(text);
  if (entries.length === 0) problems.add('--run-sizes: expected the values per run at level 1, then the runs merged per further level, e.g. 5,2,2');
  const [runSize, ...fanout] = entries.map((entry) => problems.number('run-sizes', entry, { integer: true, min: 1 }));
  return fanout.length === 0 ? { runSize } : { runSize, fanout: fanout as number[] };
}

/** `--domain A..B`: the whole numbers A to B. */
function domainFlag(text: string, problems: FlagProblems): { from: number; to: number } | undefined {
  const match = /^\s*(-?\d+)\s*\.\.\s*(-?\d+)\s*$/.exec(text);
  const from = Number(match?.[1]);
  const to = Number(match?.[2]);
  if (match === null || !Number.isSafeInteger(from) || !Number.isSafeInteger(to) || from > to) {
    problems.add(`--domain: expected whole numbers FROM..TO with FROM <= TO, e.g. 0..120, got "${text}"; a list of values goes in a --spec file`);
    return undefined;
  }
  return { from, to };
}

function readGroupsFile(path: string, problems: FlagProblems): unknown {
  const content = readFlagFile(path, '--groups', problems);
  if (content === undefined) return undefined;
  try {
    return path.toLowerCase().endsWith('.json') ? groupLevelsFromJson(content, path) : groupLevelsFromCsv(content, path);
  } catch (error) {
    if (!(error instanceof CloakError)) throw error;
    problems.add(`--groups: ${error.message}`);
    return undefined;
  }
}

/** Reads a file named by a flag; a missing or unreadable file becomes a problem of that flag. */
function readFlagFile(path: string, flag: string, problems: FlagProblems): string | undefined {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    problems.add(`${flag}: cannot read ${path}`);
    return undefined;
  }
}

/** Parses JSON from a flag's file; the parser's own message is dropped since it quotes the text. */
function readJsonFlagFile(path: string, flag: string, problems: FlagProblems): unknown {
  const content = readFlagFile(path, flag, problems);
  if (content === undefined) return undefined;
  try {
    return JSON.parse(content.replace(/^\uFEFF/, '')) as unknown;
  } catch {
    problems.add(`${flag}: ${path} is not valid JSON`);
    return undefined;
  }
}

/** Adds the problems of a spec or spec document (each with its JSON path) instead of throwing on the first. */
function checkedSpec(raw: unknown, file: string, path: string, flag: string, problems: FlagProblems): HierarchySpec | undefined {
  try {
    return parseSpecDocument(raw, { file, path });
  } catch (error) {
    if (!(error instanceof CloakError)) throw error;
    for (const problem of error.problems) problems.add(`${flag} ${file}: ${problem}`);
    return undefined;
  }
}

function readSpecFile(path: string, problems: FlagProblems): HierarchySpec | undefined {
  const raw = readJsonFlagFile(path, '--spec', problems);
  return raw === undefined ? undefined : checkedSpec(raw, path, '$', '--spec', problems);
}

/**
 * Reads `--hierarchy-spec FILE` for `cloak anonymize`: `{ "<attribute>": <builder spec or spec document>, … }`.
 * Every entry's shape is checked, used or not; every problem is added with its JSON path. Returns the valid specs by
 * attribute (undefined when the file cannot be read as a JSON object); callers pick the ones their run uses.
 */
export function readHierarchySpecMap(path: string, problems: FlagProblems): Map<string, HierarchySource> | undefined {
  const raw = readJsonFlagFile(path, '--hierarchy-spec', problems);
  if (raw === undefined) return undefined;
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) {
    problems.add(`--hierarchy-spec ${path}: expected a JSON object mapping attribute names to hierarchy specs`);
    return undefined;
  }
  const specs = new Map<string, HierarchySource>();
  for (const [attribute, entry] of Object.entries(raw)) {
    const jsonPath = /^[A-Za-z_$][\w$]*$/.test(attribute) ? `$.${attribute}` : `$[${JSON.stringify(attribute)}]`;
    const spec = checkedSpec(entry, path, jsonPath, '--hierarchy-spec', problems);
    // A spec copy is a plain object type, which HierarchySource accepts (a builder spec interface is not).
    if (spec !== undefined) specs.set(attribute, { ...spec });
  }
  return specs;
}
