// The `transform` of an identifying attribute as policies and the library state it, its checks (every problem, in
// words without values) and its resolved form with every default filled in, which reports and plans record.

import { parseTypeSpec } from '../table/attribute-types.js';
import { NAMED_ALPHABETS, resolveAlphabet } from './alphabet.js';
import { HMAC_TOKEN_MAX_LENGTH } from './hmac-tokens.js';

/** Where a keyed transform's own key comes from, instead of the run's default key. */
export interface TransformKeyFields {
  /** A file holding the key (hex, or `base64:…`). */
  readonly keyFile?: string;
  /** An environment variable holding the key. */
  readonly keyEnv?: string;
}

export interface HmacTransform extends TransformKeyFields {
  readonly method: 'hmac';
  /** Token characters, 1–52 (default 20). */
  readonly length?: number;
  /** Default: the attribute's name. */
  readonly domain?: string;
}

export interface Ff1Transform extends TransformKeyFields {
  readonly method: 'ff1';
  /** `digits` (default), `lower-alnum`, `alnum`, or the characters in radix order. */
  readonly alphabet?: string;
  /** The tweak as hex; default: the UTF-8 bytes of the domain. */
  readonly tweak?: string;
  /** Default: the attribute's name. */
  readonly domain?: string;
  /** Characters outside the alphabet: kept in place (default) or an error. */
  readonly other?: 'keep' | 'error';
}

export interface ShiftDatesTransform extends TransformKeyFields {
  readonly method: 'shift-dates';
  /** The column naming each record's subject (a person): all dates of a subject move by the same offset. */
  readonly subject: string;
  /** Largest shift in days, either way (default 30). */
  readonly days?: number;
  /** Default: the subject column's name, so that every date column of a subject moves together. */
  readonly domain?: string;
}

export interface MaskTransform {
  readonly method: 'mask';
  readonly keepFirst?: number;
  readonly keepLast?: number;
  /** The replacing character (default `*`). */
  readonly char?: string;
}

/** How an identifying attribute is released instead of `*`. */
export type TransformSpec = HmacTransform | Ff1Transform | ShiftDatesTransform | MaskTransform;

export type TransformMethod = TransformSpec['method'];

export const TRANSFORM_METHODS: readonly TransformMethod[] = ['hmac', 'ff1', 'shift-dates', 'mask'];

/** Methods that need a key. */
export const KEYED_METHODS: readonly TransformMethod[] = ['hmac', 'ff1', 'shift-dates'];

/** A transform with every default filled in, key sources left out: what reports and plans record. */
export type ResolvedTransform =
  | { readonly method: 'hmac'; readonly domain: string; readonly length: number }
  | { readonly method: 'ff1'; readonly alphabet: string; readonly radix: number; readonly tweak: string; readonly domain?: string; readonly other: 'keep' | 'error' }
  | { readonly method: 'shift-dates'; readonly subject: string; readonly days: number; readonly domain: string; readonly format: string }
  | { readonly method: 'mask'; readonly keepFirst: number; readonly keepLast: number; readonly char: string };

export const DEFAULT_TOKEN_LENGTH = 20;
export const DEFAULT_SHIFT_DAYS = 30;
/** A century each way: enough for any real shift, and far from where dates leave the years YYYY can write. */
const MAX_SHIFT_DAYS = 36_525;
/** FF1 tweaks of up to 256 bytes (SP 800-38G leaves the bound to the implementation). */
const MAX_TWEAK_BYTES = 256;

const FIELDS: Record<TransformMethod, readonly string[]> = {
  hmac: ['method', 'length', 'domain', 'keyFile', 'keyEnv'],
  ff1: ['method', 'alphabet', 'tweak', 'domain', 'other', 'keyFile', 'keyEnv'],
  'shift-dates': ['method', 'subject', 'days', 'domain', 'keyFile', 'keyEnv'],
  mask: ['method', 'keepFirst', 'keepLast', 'char'],
};

/**
 * Every problem with an attribute's transform (it may come from untyped JSON), each prefixed by `where`;
 * `format` is the attribute's date format, which `shift-dates` reads and writes; `spelled` names a field as the
 * caller's syntax does (the CLI's `keep-last` for `keepLast`).
 */
export function transformProblems(spec: unknown, where: string, format?: string, spelled: (field: string) => string = (field) => field): string[] {
  if (typeof spec !== 'object' || spec === null || Array.isArray(spec)) return [`${where}: must be an object { method, … }`];
  const fields = spec as Record<string, unknown>;
  const method = fields.method as TransformMethod;
  if (!TRANSFORM_METHODS.includes(method)) return [`${where}.method: must be one of ${TRANSFORM_METHODS.join(', ')}`];
  const problems: string[] = [];
  const at = (name: string) => `${where}.${spelled(name)}`;
  for (const name of Object.keys(fields)) if (!FIELDS[method].includes(name)) problems.push(`${at(name)}: unknown field for ${method}`);
  const integer = (name: string, min: number, max: number) => {
    const value = fields[name];
    if (value !== undefined && !(Number.isInteger(value) && (value as number) >= min && (value as number) <= max)) problems.push(`${at(name)}: must be an integer in [${min}, ${max}]`);
  };
  const text = (name: string, nonEmpty: boolean) => {
    const value = fields[name];
    if (value !== undefined && (typeof value !== 'string' || (nonEmpty && value === ''))) problems.push(`${at(name)}: must be a${nonEmpty ? ' non-empty' : ''} string`);
  };
  text('domain', false);
  text('keyFile', true);
  text('keyEnv', true);
  switch (method) {
    case 'hmac':
      integer('length', 1, HMAC_TOKEN_MAX_LENGTH);
      break;
    case 'ff1':
      text('alphabet', false);
      if (fields.tweak !== undefined && !(typeof fields.tweak === 'string' && /^(?:[0-9a-fA-F]{2})*$/.test(fields.tweak))) problems.push(`${at('tweak')}: must be hex (an even number of 0-9a-f digits)`);
      if (fields.other !== undefined && fields.other !== 'keep' && fields.other !== 'error') problems.push(`${at('other')}: must be keep or error`);
      break;
    case 'shift-dates':
      if (typeof fields.subject !== 'string' || fields.subject === '') problems.push(`${at('subject')}: required, the column naming each record's subject`);
      integer('days', 1, MAX_SHIFT_DAYS);
      break;
    case 'mask':
      integer('keepFirst', 0, Number.MAX_SAFE_INTEGER);
      integer('keepLast', 0, Number.MAX_SAFE_INTEGER);
      text('char', false);
      break;
  }
  return [...problems, ...transformMeaningProblems(fields, where, format, spelled)];
}

/**
 * The problems a JSON schema cannot state (alphabets, tweak size, fields that exclude each other, the date format),
 * for a transform whose fields have the right types; the policy schema checks the types.
 */
export function transformMeaningProblems(fields: Readonly<Record<string, unknown>>, where: string, format?: string, spelled: (field: string) => string = (field) => field): string[] {
  const problems: string[] = [];
  const at = (name: string) => `${where}.${spelled(name)}`;
  if (fields.keyFile !== undefined && fields.keyEnv !== undefined) problems.push(`${where}: give ${spelled('keyFile')} or ${spelled('keyEnv')}, not both`);
  if (typeof fields.alphabet === 'string') {
    const alphabet = resolveAlphabet(fields.alphabet);
    if ('problem' in alphabet) problems.push(`${at('alphabet')}: ${alphabet.problem}`);
  }
  if (typeof fields.tweak === 'string' && fields.tweak.length > 2 * MAX_TWEAK_BYTES) problems.push(`${at('tweak')}: at most ${MAX_TWEAK_BYTES} bytes`);
  if (fields.tweak !== undefined && fields.domain !== undefined) problems.push(`${where}: give ${spelled('tweak')} or ${spelled('domain')}, not both (the tweak is the domain's bytes by default)`);
  if (typeof fields.char === 'string' && Array.from(fields.char).length !== 1) problems.push(`${at('char')}: must be one character`);
  if (fields.method === 'shift-dates' && format !== undefined) {
    try {
      parseTypeSpec(`date:${format}`, '');
    } catch {
      problems.push(`${where}: the attribute's date format must contain YYYY, MM and DD`);
    }
  }
  return problems;
}

/** The transform with its defaults; `spec` must be free of problems. */
export function resolveTransform(attribute: string, spec: TransformSpec, format: string | undefined): ResolvedTransform {
  switch (spec.method) {
    case 'hmac':
      return { method: 'hmac', domain: spec.domain ?? attribute, length: spec.length ?? DEFAULT_TOKEN_LENGTH };
    case 'ff1': {
      const alphabet = spec.alphabet ?? 'digits';
      const radix = (Object.hasOwn(NAMED_ALPHABETS, alphabet) ? NAMED_ALPHABETS[alphabet] : alphabet).length;
      if (spec.tweak !== undefined) return { method: 'ff1', alphabet, radix, tweak: spec.tweak.toLowerCase(), other: spec.other ?? 'keep' };
      const domain = spec.domain ?? attribute;
      return { method: 'ff1', alphabet, radix, tweak: Buffer.from(domain, 'utf8').toString('hex'), domain, other: spec.other ?? 'keep' };
    }
    case 'shift-dates':
      return { method: 'shift-dates', subject: spec.subject, days: spec.days ?? DEFAULT_SHIFT_DAYS, domain: spec.domain ?? spec.subject, format: format ?? 'YYYY-MM-DD' };
    case 'mask':
      return { method: 'mask', keepFirst: spec.keepFirst ?? 0, keepLast: spec.keepLast ?? 0, char: spec.char ?? '*' };
  }
}
