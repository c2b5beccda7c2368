// The pseudonymization flags shared by `cloak anonymize` and `cloak reidentify`: `--pseudonymize ATTR=METHOD[:name=value,…]`
// (repeatable) and the run's key (`--key-file`, `--key-env`), parsed strictly with every problem collected.

import { TRANSFORM_METHODS, transformProblems, type PseudonymizationKeys, type TransformSpec } from '../index.js';
import type { FlagProblems, ParsedValues } from './flags.js';

export const PSEUDONYMIZE_FLAG_OPTIONS = {
  pseudonymize: { type: 'string', multiple: true },
  'key-file': { type: 'string' },
  'key-env': { type: 'string' },
} as const;

export const PSEUDONYMIZE_FLAGS_HELP = `  --pseudonymize ATTR=METHOD[:name=value,…]   release an identifying attribute as (repeatable):
      hmac        keyed token: base32 of HMAC-SHA-256(key, domain ‖ 0 ‖ value); length=N (1–52, default 20),
                  domain=D (default: the attribute's name)
      ff1         format-preserving encryption (NIST SP 800-38G FF1, AES): alphabet=digits (default),
                  lower-alnum, alnum or the characters in order; tweak=HEX or domain=D (default: the
                  attribute's name); other=keep (characters outside the alphabet stay in place) or error
      shift-dates every date of a subject moves by one keyed offset in [−N, +N] days: subject=COLUMN
                  (required), days=N (default 30), domain=D (default: the subject column); the format is
                  the attribute's --types date format
      mask        keep-first=N and/or keep-last=N characters, the others replaced by char=C (default *)
    e.g. --pseudonymize card=ff1:alphabet=digits,tweak=3737 --pseudonymize name=hmac:length=16
    Keyed methods also take key-file=FILE or key-env=NAME: that attribute's own key.
  --key-file FILE         the key of every keyed method: hex, or base64 after "base64:" (16, 24 or 32 bytes
                          for ff1, at least 16 for hmac and shift-dates); never give a key on the command line
  --key-env NAME          the same, from an environment variable`;

/** Parameter names by method, as the flag spells them, with the transform field each sets. */
const PARAMETERS: Record<TransformSpec['method'], Readonly<Record<string, string>>> = {
  hmac: { length: 'length', domain: 'domain', 'key-file': 'keyFile', 'key-env': 'keyEnv' },
  ff1: { alphabet: 'alphabet', tweak: 'tweak', domain: 'domain', other: 'other', 'key-file': 'keyFile', 'key-env': 'keyEnv' },
  'shift-dates': { subject: 'subject', days: 'days', domain: 'domain', 'key-file': 'keyFile', 'key-env': 'keyEnv' },
  mask: { 'keep-first': 'keepFirst', 'keep-last': 'keepLast', char: 'char' },
};

const INTEGER_FIELDS = new Set(['length', 'days', 'keepFirst', 'keepLast']);

/** `--pseudonymize` entries as transforms by attribute, in flag order; a problem for every bad entry. */
export function parsePseudonymizeFlags(values: ParsedValues, problems: FlagProblems): Map<string, TransformSpec> {
  const transforms = new Map<string, TransformSpec>();
  for (const entry of (values.pseudonymize as string[] | undefined) ?? []) {
    const equals = entry.indexOf('=');
    const attribute = equals === -1 ? '' : entry.slice(0, equals).trim();
    const rest = equals === -1 ? '' : entry.slice(equals + 1);
    const colon = rest.indexOf(':');
    const method = (colon === -1 ? rest : rest.slice(0, colon)).trim() as TransformSpec['method'];
    if (attribute === '' || !TRANSFORM_METHODS.includes(method)) {
      problems.add(`--pseudonymize: expected ATTR=METHOD[:name=value,…] with METHOD one of ${TRANSFORM_METHODS.join(', ')}, got "${entry}"`);
      continue;
    }
    if (transforms.has(attribute)) {
      problems.add(`--pseudonymize: "${attribute}" is given twice`);
      continue;
    }
    const fields: Record<string, unknown> = { method };
    const where = `--pseudonymize ${attribute}`;
    for (const parameter of colon === -1 ? [] : rest.slice(colon + 1).split(',')) {
      const separator = parameter.indexOf('=');
      const name = separator === -1 ? parameter.trim() : parameter.slice(0, separator).trim();
      const field = Object.hasOwn(PARAMETERS[method], name) ? PARAMETERS[method][name] : undefined;
      if (separator === -1 || field === undefined) {
        problems.add(`${where}: expected name=value with a name among ${Object.keys(PARAMETERS[method]).join(', ')} for ${method}, got "${parameter}"`);
        continue;
      }
      const text = parameter.slice(separator + 1);
      fields[field] = INTEGER_FIELDS.has(field) && /^\s*\d+\s*$/.test(text) ? Number(text) : text;
    }
    const spelled = (field: string) => Object.entries(PARAMETERS[method]).find(([, target]) => target === field)?.[0] ?? field;
    const found = transformProblems(fields, where, undefined, spelled);
    for (const problem of found) problems.add(problem.replace(`${where}.`, `${where}: `));
    if (found.length === 0) transforms.set(attribute, fields as unknown as TransformSpec);
  }
  return transforms;
}

/** The run's key from `--key-file` or `--key-env` (not both); undefined when neither is given. */
export function parseKeyFlags(values: ParsedValues, problems: FlagProblems): PseudonymizationKeys | undefined {
  const file = values['key-file'] as string | undefined;
  const env = values['key-env'] as string | undefined;
  if (file !== undefined && env !== undefined) problems.add('--key-file and --key-env: give one of them');
  else if (file === '' || env === '') problems.add(`--${file === '' ? 'key-file' : 'key-env'}: expected a ${file === '' ? 'file name' : 'variable name'}`);
  else if (file !== undefined) return { default: { file } };
  else if (env !== undefined) return { default: { env } };
  return undefined;
}
