// `cloak anonymize`: turns flags into the library's options (every problem reported at once), runs anonymizeCsv,
// and prints a short summary on stderr. Imports only the public API.

import { anonymizeCsv, applyPolicyOverrides, CloakError, ExitCode, parseMemorySize, readPolicyFileSync, type AnonymizationReport, type AnonymizeOptions, type AttributeOptions, type AttributeRole, type EngineOptions, type ModelMargin, type TableFormat } from '../index.js';
import { FlagProblems, list, pairs, parseFlags, type ParsedValues } from './flags.js';
import { MODEL_FLAG_OPTIONS, MODEL_FLAGS_HELP, parseAttributeFlags, parseModelFlags, parseRiskFlags, RELEASE_WIDE_MODELS } from './model-flags.js';
import { readHierarchySpecMap } from './hierarchy-command.js';
import { Lattice } from '../lattice/lattice.js';
import { PSEUDONYMIZE_FLAG_OPTIONS, PSEUDONYMIZE_FLAGS_HELP, parseKeyFlags, parsePseudonymizeFlags } from './pseudonymize-flags.js';
import { progressBar } from './progress-bar.js';
import { count, readableNumber, readablePercent } from './readable.js';

export const ANONYMIZE_HELP = `Usage: cloak anonymize <input.csv|-> -o <output.csv|-> --qi a,b,c --hierarchies <dir> [model flags] [options]
       cloak anonymize --engine duckdb|clickhouse --source <source> --target <target> [policy flags] [options]

Anonymizes a CSV file with full-domain generalization (or, with --recoding local, levels chosen per group of
records) and record suppression, choosing the release with the least information loss that satisfies every
privacy model, and verifies the output before writing it.

Policy:
  --policy FILE           JSON policy (the library's options; schema: dist/policy/policy.schema.json). Flags given
                          explicitly replace the policy's field: --qi/--sensitive/--identifying replace the roles
                          of the columns they name (their hierarchy and type are kept), --types and --hierarchy-spec
                          replace those columns' type or hierarchy, any model flag replaces the whole model list,
                          --metric/--gs-factor/--aggregate/--weights, --search/--time-limit/--max-nodes/
                          --cache-mb, --recoding, --explore/--explore-k and
                          --risk-threshold/--population/--population-model/--population-table replace one field
                          each, as do --suppression, --delimiter, --hierarchies and --show-values. The report's
                          policySha256 is the SHA-256 of the RFC 8785 canonical JSON of the result. Relative paths
                          in the policy (hierarchiesDir, hierarchy files, risk.populationTable) mean its folder;
                          those of flags mean the working directory.

Attributes:
  --qi a,b,c              quasi-identifiers (each needs a hierarchy)
  --hierarchies DIR       hierarchy files: <attribute>.csv or *_hierarchy_<attribute>.csv (ARX format)
  --hierarchy-spec FILE   JSON { "<attribute>": <builder spec>, … }: hierarchies built from the data
                          (types interval, mask, date, group, frequency; see cloak hierarchy --help). An entry
                          may also be a spec document as in hierarchies/specs ({ "domain"?, "hierarchy" }). Entries
                          for columns that are not quasi-identifiers or sensitive in this run are ignored, so one
                          file can serve every choice of --qi
  --sensitive a,b         sensitive attributes (for l-diversity, t-closeness, δ-disclosure, β-likeness)
  --identifying a,b       identifying attributes: replaced by * in every record
  --types a=integer,d=date:YYYY-MM-DD   attribute types: string, integer, decimal, date[:FORMAT]
                          (integer: whole numbers, also written with an exponent, e.g. 7.3e+07)

Pseudonymization (identifying attributes released as tokens instead of *; a run may have no --qi and no model):
${PSEUDONYMIZE_FLAGS_HELP}

${MODEL_FLAGS_HELP}

Search and utility:
  --recoding R            global (default): one level per quasi-identifier for every record; local: levels
                          chosen per group of records, each record released as its values or their generalizations,
                          with the least granularity loss found (never more than the global optimum's, which is
                          released instead when it loses no more). A record reading * in every quasi-identifier
                          counts as suppressed. Supports k-anonymity, l-diversity, t-closeness, δ-disclosure,
                          β-likeness and highest-risk; refuses, saying why, criteria over the whole release, k-map,
                          δ-presence and differential privacy
  --explore               also report the granularity loss each k costs (k 2, 3, 5, 10, 20, 50, 100) under the
                          run's recoding: the k-anonymity model's k replaced, or one added; the HTML report plots it
  --explore-k LIST        the k values of --explore, e.g. 2,5,10,20 (implies --explore)
  --suppression S         share of records that may be suppressed, in [0, 1] (default 0)
  --metric M              loss (default), discernibility, aecs, precision, precision-monotonic,
                          discernibility-monotonic, entropy, entropy-monotonic, height (global recoding's; local
                          recoding minimizes the granularity loss and compares with the global optimum of M)
  --gs-factor G           generalization/suppression factor in [0, 1] (default 0.5)
  --aggregate A           sum, max, arithmetic, geometric (default: the metric's own)
  --weights a=2,b=1       per-attribute weights (normalized by the largest)
  --search S              optimal (default) or exhaustive (checks every node; the reference)
  --time-limit MS         stop searching after MS milliseconds (default 60000) and release the best
                          transformation found; the report says whether it is proven optimal, and if not, a
                          lower bound on the optimum and the gap to it (optimal, lowerBound, gap)
  --max-nodes N           refuse lattices larger than N nodes (default: no limit; the time limit applies)
  --cache-mb N            memory bound of the roll-up cache (default 512)
  --population-table FILE population counts per quasi-identifier combination, for the report's risk section
                          (see cloak risk --help) and for --k-map; --population and --risk-threshold apply to
                          it too; without --population, the sum of its counts is the population size

Input and output:
  -o, --output FILE       output CSV, or - for stdout (written only after verification)
  --report FILE           write the JSON report
  --html-report FILE      write the same report as one self-contained HTML page with charts (no script,
                          no network; it shows counts and levels, never data values)
  --input-format F        csv, arrow (IPC file), arrows (IPC stream) or parquet; default from the extension
                          (.arrow, .arrows, .parquet), otherwise csv. Parquet needs @duckdb/node-api
  --output-format F       csv, arrow, arrows or parquet; default from the output's extension, otherwise csv;
                          Parquet keeps the other columns' types when the input is Parquet
  --delimiter C           input delimiter (default: detected among , ; tab |); the output keeps it
  --max-field-bytes N     largest accepted field (default 1048576)
  --max-columns N         most accepted columns (default 10000)
  --show-values           allow original quasi-identifier values in messages
  --safe-csv              prefix ' to output cells starting with = + - @ tab or CR (not numbers), so a
                          spreadsheet shows them as text instead of running them as formulas
  -q, --quiet             no summary on stderr
  -h, --help              this help
      --version           print Cloak's version

SQL engines (counting and applying pushed down; only the histogram of distinct tuples comes into Cloak):
  --engine E              duckdb (embedded; needs @duckdb/node-api) or clickhouse (needs @clickhouse/client)
  --source S              what the engine reads, instead of the positional input: a CSV or Parquet file or
                          duckdb:FILE#table for duckdb; clickhouse://[user:password@]host:port/database.table (the
                          HTTP port; credentials also from CLICKHOUSE_USER and CLICKHOUSE_PASSWORD) for clickhouse
  --target T              where the release goes, instead of -o: a file or duckdb:FILE#table; for clickhouse a
                          database.table on the source's server. Written to a temporary table or file, re-aggregated
                          and checked there, then renamed: a failure leaves nothing
  --overwrite             replace an existing target table (otherwise refused)
  --engine-memory SIZE    memory limit of the engine, e.g. 1GB (duckdb default 1GiB, which keeps the whole
                          process under about 2 GiB; clickhouse: max_memory_usage of each query)
  --engine-temp DIR       where DuckDB spills beyond its memory limit (default: a private temporary folder)

Files written (output, reports) replace their target atomically and keep its permissions; a new file is created
0600 (owner only), since it may hold personal data.

Exit codes: 0 ok, 2 usage, 3 input, 4 no transformation satisfies the models (also, before the search, a model
the data cannot meet: k above the records, l above the distinct values), 5 verification failed, 130/143 interrupted.`;

const OPTIONS = {
  output: { type: 'string', short: 'o' },
  policy: { type: 'string' },
  'input-format': { type: 'string' },
  'output-format': { type: 'string' },
  qi: { type: 'string' },
  hierarchies: { type: 'string' },
  'hierarchy-spec': { type: 'string' },
  sensitive: { type: 'string' },
  identifying: { type: 'string' },
  types: { type: 'string' },
  suppression: { type: 'string' },
  metric: { type: 'string' },
  'gs-factor': { type: 'string' },
  aggregate: { type: 'string' },
  weights: { type: 'string' },
  search: { type: 'string' },
  recoding: { type: 'string' },
  explore: { type: 'boolean' },
  'explore-k': { type: 'string' },
  'max-nodes': { type: 'string' },
  'time-limit': { type: 'string' },
  'cache-mb': { type: 'string' },
  report: { type: 'string' },
  'population-table': { type: 'string' },
  'html-report': { type: 'string' },
  delimiter: { type: 'string' },
  'max-field-bytes': { type: 'string' },
  'max-columns': { type: 'string' },
  'show-values': { type: 'boolean' },
  'safe-csv': { type: 'boolean' },
  engine: { type: 'string' },
  source: { type: 'string' },
  target: { type: 'string' },
  overwrite: { type: 'boolean' },
  'engine-memory': { type: 'string' },
  'engine-temp': { type: 'string' },
  quiet: { type: 'boolean', short: 'q' },
  help: { type: 'boolean', short: 'h' },
  ...MODEL_FLAG_OPTIONS,
  ...PSEUDONYMIZE_FLAG_OPTIONS,
} as const;

function usage(message: string, problems?: string[]): CloakError {
  return new CloakError('USAGE', message, { exitCode: ExitCode.usage, problems });
}

/**
 * Parses argv into the request for anonymizeCsv; throws one usage error listing every problem. `command` names the
 * command whose help the messages point to (`cloak plan` takes the same flags).
 */
export function parseAnonymizeArgs(argv: readonly string[], command = 'anonymize') {
  const parsed = parseFlags(argv, OPTIONS, command);
  const { values } = parsed;
  if (values.help) return { help: true as const };
  const problems = new FlagProblems();
  const text = (flag: string) => values[flag] as string | undefined;

  const engine = parseEngineFlags(values, problems);
  const source = text('source');
  const target = text('target');
  if (source !== undefined) {
    if (parsed.positionals.length > 0) problems.add('--source replaces the positional input: give one or the other');
  } else if (parsed.positionals.length !== 1) problems.add(`expected exactly one input file (or -), got ${parsed.positionals.length}`);
  if (target !== undefined && text('output') !== undefined && command === 'anonymize') problems.add('--target replaces -o/--output: give one or the other');
  if (text('output') === undefined && (target === undefined || command !== 'anonymize')) problems.add('-o/--output is required (a file, or - for stdout)');
  const qi = list(text('qi'));
  const policy = text('policy') === undefined ? undefined : readPolicyFileSync(text('policy')!);
  const transforms = parsePseudonymizeFlags(values, problems);
  const keys = parseKeyFlags(values, problems);
  const sensitive = list(text('sensitive'));
  // A pseudonymized attribute is identifying (--identifying may name it too), never a quasi-identifier or sensitive.
  for (const name of transforms.keys()) {
    if (qi.includes(name) || sensitive.includes(name)) {
      problems.add(`--pseudonymize: column "${name}" is also given ${qi.includes(name) ? '--qi' : '--sensitive'}; a pseudonymized attribute is identifying`);
      transforms.delete(name);
    }
  }
  const identifying = [...new Set([...list(text('identifying')), ...transforms.keys()])];
  const pseudonymizeOnly = qi.length === 0 && policy === undefined && (identifying.length > 0 || values.pseudonymize !== undefined);
  if (qi.length === 0 && policy === undefined && !pseudonymizeOnly) problems.add('--qi is required: the quasi-identifier columns (or give --policy, --identifying or --pseudonymize)');

  const attributes = parseAttributeFlags({ qi, sensitive, identifying }, text('types'), problems);
  for (const [name, transform] of transforms) if (attributes[name]?.role === 'identifying') attributes[name] = { ...attributes[name], transform };
  const specFile = text('hierarchy-spec');
  // One spec file serves any choice of quasi-identifiers: entries for columns this run does not generalize are
  // checked for shape but left unused.
  for (const [attribute, hierarchy] of specFile === undefined ? [] : (readHierarchySpecMap(specFile, problems) ?? [])) {
    const role = attributes[attribute]?.role ?? policy?.attributes[attribute]?.role;
    if (role === 'quasi-identifying' || role === 'sensitive') attributes[attribute] = { ...attributes[attribute], hierarchy };
  }

  const risk = parseRiskFlags(values, problems);
  // With a policy, model flags are optional (the policy's models stand) and apply to its sensitive attributes too.
  const modelFlagGiven = Object.keys(MODEL_FLAG_OPTIONS).some((flag) => !NON_MODEL_FLAGS.includes(flag) && values[flag] !== undefined);
  const sensitiveNames = policy === undefined ? sensitive : effectiveSensitive(policy, attributes, qi, sensitive, identifying);
  // Without quasi-identifiers no model is needed: the run only releases identifying attributes transformed.
  const models = (policy !== undefined || pseudonymizeOnly) && !modelFlagGiven ? undefined : parseModelFlags(values, sensitiveNames, problems, risk);
  const inputFormat = problems.choice('input-format', text('input-format'), ['csv', 'arrow', 'arrows', 'parquet'] as const) as TableFormat | undefined;
  const outputFormat = problems.choice('output-format', text('output-format'), ['csv', 'arrow', 'arrows', 'parquet'] as const) as TableFormat | undefined;

  const suppressionLimit = problems.number('suppression', text('suppression'), { min: 0, max: 1 });
  const metricName = text('metric') ?? 'loss';
  const gsFactor = problems.number('gs-factor', text('gs-factor'), { min: 0, max: 1 });
  const aggregate = problems.choice('aggregate', text('aggregate'), ['sum', 'max', 'arithmetic', 'geometric'] as const);
  let weights: Record<string, number> | undefined;
  if (text('weights') !== undefined) {
    weights = Object.create(null) as Record<string, number>;
    for (const { attribute, value } of pairs(text('weights')!)) {
      if (attribute === undefined) problems.add(`--weights: expected attribute=weight entries, got "${value}"`);
      else {
        const weight = problems.number('weights', value, { min: 0 });
        if (weight !== undefined) weights[attribute] = weight;
      }
    }
  }
  const strategy = problems.choice('search', text('search'), ['optimal', 'exhaustive'] as const);
  const recoding = problems.choice('recoding', text('recoding'), ['global', 'local'] as const);
  const exploreK = text('explore-k') === undefined ? undefined : parseExploreK(text('explore-k')!, problems);
  const explore = exploreK !== undefined ? { k: exploreK } : values.explore === true ? {} : undefined;
  const maxNodes = problems.number('max-nodes', text('max-nodes'), { integer: true, min: 1 });
  const timeLimitMs = problems.number('time-limit', text('time-limit'), { min: 0, minExclusive: true });
  const cacheMb = problems.number('cache-mb', text('cache-mb'), { min: 0 });
  const maxFieldBytes = problems.number('max-field-bytes', text('max-field-bytes'), { integer: true, min: 1 });
  const maxColumns = problems.number('max-columns', text('max-columns'), { integer: true, min: 1 });
  const delimiter = text('delimiter') === 'tab' || text('delimiter') === '\\t' ? '\t' : text('delimiter');
  if (delimiter !== undefined && (delimiter.length !== 1 || delimiter === '"' || delimiter === '\n' || delimiter === '\r')) {
    problems.add('--delimiter: expected one character other than a quote or a line break (or "tab")');
  }

  if (problems.problems.length > 0) {
    const message =
      problems.problems.length === 1 ? `${problems.problems[0]}; see cloak ${command} --help` : `${problems.problems.length} problems with the arguments:\n  - ${problems.problems.join('\n  - ')}`;
    throw usage(message, problems.problems);
  }

  const cliOptions: AnonymizeOptions = {
    attributes,
    models: models ?? [],
    suppressionLimit: suppressionLimit ?? 0,
    metric: { name: metricName as never, gsFactor, aggregate, weights },
    search: { strategy, maxNodes, cacheMb, timeLimitMs },
    delimiter,
    hierarchiesDir: text('hierarchies'),
    showValues: values['show-values'] === true,
    risk: { threshold: risk.threshold, population: risk.population, populationModel: risk.populationModel, populationTable: text('population-table') },
    ...(recoding === undefined ? {} : { recoding }),
    ...(explore === undefined ? {} : { explore }),
  };
  const options = policy === undefined ? cliOptions : applyPolicyOverrides(policy, {
    roles: rolesOf(attributes, [...qi, ...sensitive, ...identifying]),
    attributeFields: Object.fromEntries(Object.entries(attributes).map(([name, { role: _role, ...fields }]) => [name, fields])),
    models,
    suppressionLimit,
    metric: { name: text('metric') as never, gsFactor, aggregate, weights },
    search: { strategy, maxNodes, cacheMb, timeLimitMs },
    delimiter,
    hierarchiesDir: text('hierarchies'),
    showValues: values['show-values'] === true ? true : undefined,
    risk: { threshold: risk.threshold, population: risk.population, populationModel: risk.populationModel, populationTable: text('population-table') },
    recoding,
    explore,
  });

  return {
    help: false as const,
    quiet: values.quiet === true,
    request: {
      input: source === undefined ? parsed.positionals[0] : undefined,
      source,
      output: target === undefined || command !== 'anonymize' ? text('output') : undefined,
      target,
      engine,
      overwrite: values.overwrite === true ? true : undefined,
      reportPath: text('report'),
      htmlReportPath: text('html-report'),
      options,
      read: { maxFieldBytes, maxColumns },
      safeCsv: values['safe-csv'] === true,
      inputFormat,
      outputFormat,
      keys,
    },
  };
}

/**
 * The engine flags as library engine options, or undefined without --engine; --source, --target, --overwrite and the
 * --engine-* flags without --engine are problems.
 */
export function parseEngineFlags(values: ParsedValues, problems: FlagProblems): EngineOptions | undefined {
  const text = (flag: string) => values[flag] as string | undefined;
  const type = problems.choice('engine', text('engine'), ['duckdb', 'clickhouse'] as const);
  if (text('engine') === undefined) {
    const given = ['source', 'target', 'overwrite', 'engine-memory', 'engine-temp'].filter((flag) => values[flag] !== undefined);
    if (given.length > 0) problems.add(`${given.map((flag) => `--${flag}`).join(', ')} ${given.length === 1 ? 'goes' : 'go'} with --engine duckdb or --engine clickhouse`);
    return undefined;
  }
  const memory = text('engine-memory');
  if (memory !== undefined && parseMemorySize(memory) === undefined) problems.add(`--engine-memory: expected a size such as 512MB or 2GiB, got "${memory}"`);
  if (text('engine-temp') !== undefined && type === 'clickhouse') problems.add('--engine-temp is for --engine duckdb (ClickHouse spills where its server is configured to)');
  if (type === undefined) return undefined;
  if (type === 'clickhouse') return { type, ...(memory === undefined ? {} : { memoryLimit: memory }) };
  return { type, ...(memory === undefined ? {} : { memoryLimit: memory }), ...(text('engine-temp') === undefined ? {} : { tempDirectory: text('engine-temp') }) };
}

/** `--explore-k 2,5,10`: distinct integers ≥ 1. */
function parseExploreK(text: string, problems: FlagProblems): number[] | undefined {
  const entries = list(text);
  const ks = entries.map((entry) => problems.number('explore-k', entry, { integer: true, min: 1 }));
  if (entries.length === 0) problems.add('--explore-k: expected a list of k values, e.g. 2,5,10,20');
  else if (ks.every((k) => k !== undefined) && new Set(ks).size !== ks.length) problems.add('--explore-k: lists a k twice');
  return ks.every((k) => k !== undefined) && entries.length > 0 ? (ks as number[]) : undefined;
}

/** Flags among the model flags' options that state no model (they only tune models or the risk section). */
const NON_MODEL_FLAGS: readonly string[] = ['entropy-estimator', 'population', 'risk-threshold', 'population-model'];

/** Roles the flags gave explicitly, by column. */
function rolesOf(attributes: Readonly<Record<string, AttributeOptions>>, named: readonly string[]): Record<string, AttributeRole> {
  return Object.fromEntries(named.filter((name) => attributes[name] !== undefined).map((name) => [name, attributes[name].role]));
}

/** Sensitive attributes after the flags' role overrides of the policy. */
function effectiveSensitive(policy: AnonymizeOptions, attributes: Readonly<Record<string, AttributeOptions>>, ...named: (readonly string[])[]): string[] {
  const flagged = new Set(named.flat());
  const fromPolicy = Object.keys(policy.attributes).filter((name) => !flagged.has(name) && policy.attributes[name].role === 'sensitive');
  return [...fromPolicy, ...[...flagged].filter((name) => attributes[name]?.role === 'sensitive')];
}

/** A model's line: the worst class measure of a per-class model, the release figure of a release-wide one. */
function modelLine(margin: ModelMargin): string {
  if (RELEASE_WIDE_MODELS.includes(margin.spec.type)) return `  ${margin.model}: release figure ${margin.worst === null ? 'unavailable' : readableNumber(margin.worst)}`;
  return `  ${margin.model}: ${margin.worst === null ? 'no class released' : `worst class measure ${readableNumber(margin.worst)}`}`;
}

/** Human summary of a report, for stderr: figures rounded for reading (the JSON report keeps full precision). */
export function summarize(report: AnonymizationReport, output: string): string {
  const levels = Object.entries(report.transformation)
    .map(([name, level]) => `${name}=${level}`)
    .join(' ');
  const share = report.rows === 0 ? 0 : report.suppressed / report.rows;
  const { input, output: released } = report.risk;
  const pseudonymized = report.pseudonymized.map(
    (entry) => `  ${entry.attribute}: ${entry.transform.method}${entry.keyFingerprint === undefined ? '' : ` (key fingerprint ${entry.keyFingerprint})`}, ${count(entry.distinctValues, 'distinct value')}`,
  );
  if (Object.keys(report.transformation).length === 0) {
    return [
      `cloak: released ${count(report.rows, 'record')} → ${output === '-' ? 'stdout' : output} (verified); no quasi-identifier, so nothing generalized or suppressed`,
      ...report.models.map(modelLine),
      ...pseudonymized,
      ...(report.safeCsvCellsChanged === undefined ? [] : [`  safe-csv: ${count(report.safeCsvCellsChanged, 'cell')} prefixed with '`]),
      `  total ${report.timingsMs.total.toFixed(0)} ms`,
    ].join('\n');
  }
  const local = report.local;
  const recoding =
    local === undefined
      ? [`  transformation: ${levels}`]
      : local.released === 'local'
        ? [`  local recoding: ${count(local.levelVectors.length, 'level vector')}; granularity loss ${readableNumber(report.quality.granularityLoss.value)} (global optimum ${levels}: ${local.globalGranularityLoss === null ? 'none' : readableNumber(local.globalGranularityLoss)})`]
        : [`  local recoding lost no less than the global optimum: released ${levels} (granularity loss ${readableNumber(report.quality.granularityLoss.value)})`];
  const lines = [
    `cloak: anonymized ${count(report.rows, 'record')} → ${output === '-' ? 'stdout' : output} (verified)`,
    ...recoding,
    `  suppressed: ${count(report.suppressed, 'record')} (${readablePercent(share)}, budget ${report.suppressionBudget}); classes: ${report.classes}, smallest ${report.minClassSize}`,
    ...(report.suppressedForRiskLimits.records === 0 ? [] : [`  of which for the risk limits: ${count(report.suppressedForRiskLimits.records, 'record')} in ${count(report.suppressedForRiskLimits.classes, 'class')} (smallest first)`]),
    ...(report.deltaPresence === undefined ? [] : [`  δ-presence: released the research subset, ${report.deltaPresence.subsetRecords} of ${report.deltaPresence.populationRecords} records`]),
    ...differentialPrivacyLines(report),
    `  ${report.metric.name}: ${readableNumber(report.metric.value)}`,
    ...report.models.map(modelLine),
    `  risk (input → output): average ${readablePercent(input.prosecutor.averageRisk)} → ${readablePercent(released.prosecutor.averageRisk)}, ` +
      `highest ${readablePercent(input.prosecutor.highestRisk)} → ${readablePercent(released.prosecutor.highestRisk)}, ` +
      `sample uniques ${input.sampleUniqueness.count} → ${released.sampleUniqueness.count}`,
    ...pseudonymized,
    ...(report.explore === undefined ? [] : [`  granularity loss by k: ${report.explore.points.map((point) => `${point.k}: ${point.granularityLoss === null ? 'none' : readableNumber(point.granularityLoss)}`).join(', ')}`]),
    ...(report.safeCsvCellsChanged === undefined ? [] : [`  safe-csv: ${count(report.safeCsvCellsChanged, 'cell')} prefixed with '`]),
    ...(report.engine === undefined ? [] : [`  engine: ${report.engine.type}, ${count(report.engine.queries.length, 'query', 'queries')}; read ${report.timingsMs.read.toFixed(0)} ms, write and check ${report.timingsMs.write.toFixed(0)} ms`]),
    `  search: ${searchVerdict(report)}; ${report.nodesChecked} of ${Lattice.describeSize(report.latticeSize)} nodes checked in ${report.timingsMs.search.toFixed(0)} ms; total ${report.timingsMs.total.toFixed(0)} ms`,
  ];
  return lines.join('\n');
}

/** Whether the transformation is proven optimal, and if not, how far from the optimum it can be, in words. */
export function searchVerdict(report: AnonymizationReport): string {
  if (report.optimal) return 'optimal (proven)';
  if (report.lowerBound === null || report.gap === null) {
    return report.differentialPrivacy === undefined
      ? 'levels chosen per group of records by local recoding, with no proven bound'
      : 'chosen at random by the exponential mechanism, not optimized';
  }
  const why = report.search.stoppedBy === 'time-limit' ? `time limit of ${report.search.timeLimitMs} ms reached` : 'memory budget reached';
  return `not proven optimal (${why}): the optimum's ${report.metric.name} is at least ${readableNumber(report.lowerBound)}, so at most ${readablePercent(report.gap)} of this one's ${report.metric.name} could still be saved`;
}

/** The summary's account of a differentially private release, with the warning a seeded run deserves. */
function differentialPrivacyLines(report: AnonymizationReport): string[] {
  const dp = report.differentialPrivacy;
  if (dp === undefined) return [];
  const how = dp.transformation === 'fixed' ? 'fixed levels' : `exponential mechanism, ${dp.steps} steps, search budget ${dp.searchBudget}`;
  return [
    `  (${dp.epsilon}, ${dp.delta})-differential privacy: ε_anon ${dp.epsilonAnon}, k ${dp.k}, β ${readableNumber(dp.beta)}; ${dp.sampledOut} records not sampled (${how})`,
    ...(dp.seed === undefined ? [] : [`  warning: seeded run (--seed ${dp.seed}): its randomness is predictable, so this output is for testing only, never for release`]),
  ];
}

export async function runAnonymize(argv: readonly string[]): Promise<number> {
  const parsed = parseAnonymizeArgs(argv);
  if (parsed.help) {
    process.stdout.write(ANONYMIZE_HELP + '\n');
    return ExitCode.ok;
  }
  const bar = parsed.quiet ? undefined : progressBar();
  let report: AnonymizationReport;
  try {
    report = await anonymizeCsv({ ...parsed.request, onProgress: bar?.onProgress });
  } finally {
    bar?.done();
  }
  if (report.classes === 0) process.stderr.write('cloak: warning: every record was suppressed; the output holds no quasi-identifier values\n');
  if (!parsed.quiet) process.stderr.write(summarize(report, report.engine?.target ?? parsed.request.output!) + '\n');
  return ExitCode.ok;
}
