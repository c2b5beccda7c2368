// Strict parsing of CLI flags: argv into values (an unknown flag gets the near known ones), then flag values (numbers,
// lists, `attr=value` pairs), collecting every problem at once. A flag value is never silently coerced: `5x` is not 5.

import { parseArgs } from 'node:util';
import { CloakError, ExitCode } from '../index.js';
import { alternatives } from '../table/column-names.js';
import { nearFlags } from './near-flags.js';

/** A flag as node:util's parseArgs declares it. */
export interface FlagSpec {
  readonly type: 'string' | 'boolean';
  readonly short?: string;
  readonly multiple?: boolean;
}

/** Parsed flag values as parseArgs returns them. */
export type ParsedValues = Record<string, string | string[] | boolean | undefined>;

/**
 * Parses the argv of `cloak <command>` strictly, with positionals. A parse error becomes one usage error (exit 2)
 * pointing at the command's help; an unknown flag names the known flags near it (`did you mean --qi?`).
 */
export function parseFlags(argv: readonly string[], options: Readonly<Record<string, FlagSpec>>, command: string): { values: ParsedValues; positionals: string[] } {
  try {
    const { values, positionals } = parseArgs({ args: [...argv], options: options as never, allowPositionals: true, strict: true });
    return { values: values as ParsedValues, positionals };
  } catch (cause) {
    const error = cause as NodeJS.ErrnoException;
    const unknown = error.code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION' ? /Unknown option '([^']+)'/.exec(error.message)?.[1] : undefined;
    const message =
      unknown === undefined
        ? // Node's later lines carry the fix (e.g. `--k=-1` for a negative value), so they are kept, on one line.
          error.message.replace(/\s*\n\s*/g, ' ').replace(/\.$/, '')
        : `unknown option ${unknown}${suggestion(nearFlags(unknown, options))}`;
    throw new CloakError('USAGE', `${message}; see cloak ${command} --help`, { exitCode: ExitCode.usage, cause });
  }
}

function suggestion(flags: readonly string[]): string {
  return flags.length === 0 ? '' : ` (did you mean ${alternatives(flags)}?)`;
}

export class FlagProblems {
  readonly problems: string[] = [];

  add(problem: string): void {
    this.problems.push(problem);
  }

  /** A finite number; optionally an integer and within bounds. */
  number(flag: string, text: string | undefined, rule: { integer?: boolean; min?: number; max?: number; minExclusive?: boolean } = {}): number | undefined {
    if (text === undefined) return undefined;
    const trimmed = text.trim();
    const value = trimmed === '' ? NaN : Number(trimmed);
    const kind = rule.integer ? 'an integer' : 'a number';
    const range =
      rule.min !== undefined && rule.max !== undefined
        ? ` in [${rule.min}, ${rule.max}]`
        : rule.min !== undefined
          ? rule.minExclusive
            ? ` > ${rule.min}`
            : ` ≥ ${rule.min}`
          : '';
    if (
      !Number.isFinite(value) ||
      (rule.integer && !Number.isInteger(value)) ||
      (rule.min !== undefined && (rule.minExclusive ? value <= rule.min : value < rule.min)) ||
      (rule.max !== undefined && value > rule.max)
    ) {
      this.add(`--${flag}: expected ${kind}${range}, got "${text}"`);
      return undefined;
    }
    return value;
  }

  choice<T extends string>(flag: string, text: string | undefined, choices: readonly T[]): T | undefined {
    if (text === undefined) return undefined;
    if (!(choices as readonly string[]).includes(text)) {
      this.add(`--${flag}: expected one of ${choices.join(', ')}, got "${text}"`);
      return undefined;
    }
    return text as T;
  }
}

/** Splits a comma-separated list, trimming entries and dropping empty ones. */
export function list(text: string | undefined): string[] {
  if (text === undefined) return [];
  return text
    .split(',')
    .map((entry) => entry.trim())
    .filter((entry) => entry !== '');
}

/** Splits `a=1,b=2` into pairs; entries without `=` get the attribute `undefined`. */
export function pairs(text: string): { attribute: string | undefined; value: string }[] {
  return list(text).map((entry) => {
    const equals = entry.indexOf('=');
    return equals === -1 ? { attribute: undefined, value: entry } : { attribute: entry.slice(0, equals).trim(), value: entry.slice(equals + 1).trim() };
  });
}
