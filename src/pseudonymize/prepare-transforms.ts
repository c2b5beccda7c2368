// Before any data is read: resolves each identifying attribute's transform and loads the key it needs, checking
// each key's length for its method; every problem is reported at once, none of them shows a key.

import { CloakError, usageError } from '../errors.js';
import type { AttributeOptions } from '../options.js';
import { describeKeySource, loadKey, type KeySource, type LoadedKey, type PseudonymizationKeys } from './keys.js';
import { KEYED_METHODS, resolveTransform, type ResolvedTransform, type TransformSpec } from './transform-spec.js';

export interface PreparedTransform {
  readonly attribute: string;
  readonly transform: ResolvedTransform;
  /** Absent for `mask`. */
  readonly key?: LoadedKey;
}

/** The transforms of a run by attribute, in the attributes' order. */
export type PreparedTransforms = ReadonlyMap<string, PreparedTransform>;

/** HMAC keys shorter than 128 bits are refused: a token is only as hard to forge as its key is to guess. */
export const MIN_HMAC_KEY_BYTES = 16;
const AES_KEY_BYTES = [16, 24, 32];

/** A resolved transform before its key is loaded, with the attribute's own key source if it names one. */
export interface TransformEntry {
  readonly attribute: string;
  readonly transform: ResolvedTransform;
  readonly ownKey?: KeySource;
}

/**
 * Resolves and keys the transforms of `attributes` (already validated by `validateOptions`).
 * @throws CloakError (exit 2): KEY_MISSING, KEY_UNREADABLE, KEY_MALFORMED or KEY_LENGTH, listing every problem.
 */
export async function prepareTransforms(attributes: Readonly<Record<string, AttributeOptions>>, keys: PseudonymizationKeys = {}): Promise<PreparedTransforms> {
  const entries: TransformEntry[] = [];
  for (const [name, attribute] of Object.entries(attributes)) {
    const spec: TransformSpec | undefined = attribute.transform;
    if (spec === undefined) continue;
    const ownKey: KeySource | undefined = spec.method === 'mask' ? undefined : spec.keyFile !== undefined ? { file: spec.keyFile } : spec.keyEnv !== undefined ? { env: spec.keyEnv } : undefined;
    entries.push({ attribute: name, transform: resolveTransform(name, spec, attribute.format), ...(ownKey === undefined ? {} : { ownKey }) });
  }
  return keyTransforms(entries, keys);
}

/** Loads the key of every keyed entry: its own, else the run's for that attribute, else the run's default. */
export async function keyTransforms(entries: readonly TransformEntry[], keys: PseudonymizationKeys = {}): Promise<PreparedTransforms> {
  const problems: { code: string; message: string }[] = [];
  const loaded = new Map<string, Promise<LoadedKey>>();
  // One read per file or variable, however many attributes share it.
  const load = (source: KeySource): Promise<LoadedKey> => {
    if ('bytes' in source) return loadKey(source);
    const id = 'file' in source ? `file:${source.file}` : `env:${source.env}`;
    let promise = loaded.get(id);
    if (promise === undefined) loaded.set(id, (promise = loadKey(source)));
    return promise;
  };
  const prepared = new Map<string, PreparedTransform>();
  const perAttribute = keys.attributes ?? {};
  for (const name of Object.keys(perAttribute)) {
    const method = entries.find((entry) => entry.attribute === name)?.transform.method;
    if (method === undefined || !KEYED_METHODS.includes(method)) problems.push({ code: 'KEY_UNUSED', message: `a key is given for "${name}", which has no keyed transform (hmac, ff1, shift-dates)` });
  }
  for (const { attribute: name, transform, ownKey } of entries) {
    if (transform.method === 'mask') {
      prepared.set(name, { attribute: name, transform });
      continue;
    }
    if (ownKey !== undefined && Object.hasOwn(perAttribute, name)) {
      problems.push({ code: 'KEY_TWICE', message: `"${name}": its transform names a key (keyFile/keyEnv) and the run gives it one too` });
      continue;
    }
    const source = ownKey ?? (Object.hasOwn(perAttribute, name) ? perAttribute[name] : keys.default);
    if (source === undefined) {
      problems.push({ code: 'KEY_MISSING', message: `"${name}" (${transform.method}) needs a key: give --key-file FILE or --key-env NAME` });
      continue;
    }
    try {
      const key = await load(source);
      const lengthProblem = keyLengthProblem(transform.method, key.bytes.length);
      if (lengthProblem !== undefined) problems.push({ code: 'KEY_LENGTH', message: `"${name}" (${transform.method}): the ${describeKeySource(source)} holds ${key.bytes.length} bytes; ${lengthProblem}` });
      else prepared.set(name, { attribute: name, transform, key });
    } catch (error) {
      if (!(error instanceof CloakError)) throw error;
      // A shared key that cannot be read is one problem, not one per attribute.
      if (!problems.some((problem) => problem.message === error.message)) problems.push({ code: error.code, message: error.message });
    }
  }
  if (problems.length > 0) {
    const messages = problems.map((problem) => problem.message);
    const message = messages.length === 1 ? messages[0] : `${messages.length} problems with the pseudonymization keys:\n  - ${messages.join('\n  - ')}`;
    throw usageError(problems[0].code, message, { problems: messages });
  }
  return prepared;
}

function keyLengthProblem(method: ResolvedTransform['method'], bytes: number): string | undefined {
  if (method === 'ff1') return AES_KEY_BYTES.includes(bytes) ? undefined : 'ff1 needs 16, 24 or 32 bytes (AES-128, AES-192, AES-256)';
  return bytes >= MIN_HMAC_KEY_BYTES ? undefined : `${method} needs at least ${MIN_HMAC_KEY_BYTES} bytes`;
}
