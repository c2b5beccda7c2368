// `cloak reidentify`: decrypts the ff1 columns of a release for the key holder, with the same --pseudonymize specs
// (or policy) and key the release was made with; other columns pass through unchanged. Imports only the public API.

import { CloakError, ExitCode, readPolicyFileSync, reidentifyCsv, type ReidentifyOptions, type TableFormat } from '../index.js';
import { FlagProblems, parseFlags } from './flags.js';
import { count } from './readable.js';
import { PSEUDONYMIZE_FLAG_OPTIONS, PSEUDONYMIZE_FLAGS_HELP, parseKeyFlags, parsePseudonymizeFlags } from './pseudonymize-flags.js';

export const REIDENTIFY_HELP = `Usage: cloak reidentify <input|-> -o <output|-> (--pseudonymize ATTR=ff1[:…] … | --policy FILE) --key-file FILE

Re-identifies a release for the key holder: decrypts its ff1 columns with the transforms and key they were
encrypted with, and writes every other column (hmac tokens, shifted dates, masks, *) as it is: those methods
are one-way. Nothing is written unless every value was decrypted.

Transforms and key:
  --policy FILE           take the transforms from the policy's attributes (flags below add to it)
${PSEUDONYMIZE_FLAGS_HELP}

Input and output:
  -o, --output FILE       output file, or - for stdout
  --input-format F        csv, arrow or arrows; default from the extension, otherwise csv
  --output-format F       csv, arrow or arrows; default from the output's extension, otherwise csv
  --delimiter C           input delimiter (default: detected); the output keeps it
  -q, --quiet             no summary on stderr
  -h, --help              this help
      --version           print Cloak's version

Exit codes: 0 ok, 2 usage (a missing or wrong-sized key too), 3 input (a value ff1 cannot take). FF1 is not
authenticated: a wrong key of the right size decrypts to wrong values without an error; the summary names each key's
fingerprint, to compare with the one in the release's report (cloak anonymize --report).`;

const OPTIONS = {
  output: { type: 'string', short: 'o' },
  policy: { type: 'string' },
  'input-format': { type: 'string' },
  'output-format': { type: 'string' },
  delimiter: { type: 'string' },
  quiet: { type: 'boolean', short: 'q' },
  help: { type: 'boolean', short: 'h' },
  ...PSEUDONYMIZE_FLAG_OPTIONS,
} as const;

function usage(message: string, problems?: string[]): CloakError {
  return new CloakError('USAGE', message, { exitCode: ExitCode.usage, problems });
}

export function parseReidentifyArgs(argv: readonly string[]) {
  const { values, positionals } = parseFlags(argv, OPTIONS, 'reidentify');
  if (values.help) return { help: true as const };
  const problems = new FlagProblems();
  if (positionals.length !== 1) problems.add(`expected exactly one input file (or -), got ${positionals.length}`);
  if (values.output === undefined) problems.add('-o/--output is required (a file, or - for stdout)');
  const transforms = parsePseudonymizeFlags(values, problems);
  const keys = parseKeyFlags(values, problems);
  const policy = values.policy === undefined ? undefined : readPolicyFileSync(values.policy as string);
  if (transforms.size === 0 && policy === undefined) problems.add('give the ff1 columns: --pseudonymize ATTR=ff1[:…] (as for cloak anonymize) or --policy FILE');
  const text = (flag: string) => values[flag] as string | undefined;
  const inputFormat = problems.choice('input-format', text('input-format'), ['csv', 'arrow', 'arrows'] as const) as TableFormat | undefined;
  const outputFormat = problems.choice('output-format', text('output-format'), ['csv', 'arrow', 'arrows'] as const) as TableFormat | undefined;
  const delimiter = text('delimiter') === 'tab' || text('delimiter') === '\\t' ? '\t' : text('delimiter');
  if (delimiter !== undefined && (delimiter.length !== 1 || delimiter === '"' || delimiter === '\n' || delimiter === '\r')) {
    problems.add('--delimiter: expected one character other than a quote or a line break (or "tab")');
  }
  if (problems.problems.length > 0) {
    const message = problems.problems.length === 1 ? `${problems.problems[0]}; see cloak reidentify --help` : `${problems.problems.length} problems with the arguments:\n  - ${problems.problems.join('\n  - ')}`;
    throw usage(message, problems.problems);
  }
  // Null prototype: a column named `__proto__` must stay an own key.
  const attributes: Record<string, ReidentifyOptions['attributes'][string]> = Object.assign(Object.create(null), policy?.attributes);
  for (const [name, transform] of transforms) attributes[name] = { ...attributes[name], transform };
  return {
    help: false as const,
    quiet: values.quiet === true,
    request: { input: positionals[0], output: text('output')!, options: { attributes, delimiter: delimiter ?? policy?.delimiter }, keys, inputFormat, outputFormat },
  };
}

export async function runReidentify(argv: readonly string[]): Promise<number> {
  const parsed = parseReidentifyArgs(argv);
  if (parsed.help) {
    process.stdout.write(REIDENTIFY_HELP + '\n');
    return ExitCode.ok;
  }
  const summary = await reidentifyCsv(parsed.request);
  if (!parsed.quiet) {
    const kept = summary.leftAsIs.length === 0 ? '' : `; left as they are (one-way): ${summary.leftAsIs.join(', ')}`;
    const decrypted = summary.reidentified.map((name) => `${name} (key fingerprint ${summary.keyFingerprints[name]})`).join(', ');
    process.stderr.write(`cloak: re-identified ${count(summary.rows, 'record')} → ${parsed.request.output === '-' ? 'stdout' : parsed.request.output}: decrypted ${decrypted}${kept}\n`);
  }
  return ExitCode.ok;
}
