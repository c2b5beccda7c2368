// Pseudonymization keys: where they come from (a file, an environment variable, or bytes from the library caller),
// how their text is decoded (hex, or base64 after `base64:`), and their fingerprint. No message ever shows a key.

import { createHmac } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { usageError } from '../errors.js';

/** A key's origin. Never a command-line value: it would show in the process list. */
export type KeySource = { readonly file: string } | { readonly env: string } | { readonly bytes: Uint8Array };

/** The keys of a run: one for every keyed transform, unless an attribute has its own. */
export interface PseudonymizationKeys {
  readonly default?: KeySource;
  /** Per attribute; an attribute whose transform names `keyFile`/`keyEnv` must not be listed here too. */
  readonly attributes?: Readonly<Record<string, KeySource>>;
}

export interface LoadedKey {
  /** The decoded bytes, used as they are (no derivation). */
  readonly bytes: Uint8Array;
  /** See `keyFingerprint`. */
  readonly fingerprint: string;
  /** Where the key came from, for messages: `key file k.txt`, `environment variable CLOAK_KEY`, `key bytes`. */
  readonly origin: string;
}

/** The label whose HMAC under the key is its fingerprint: two reports with equal fingerprints used the same key. */
const FINGERPRINT_LABEL = 'cloak key fingerprint v1';

/** First 16 bytes (hex) of HMAC-SHA-256(key, FINGERPRINT_LABEL): shows nothing of the key, identifies it. */
export function keyFingerprint(key: Uint8Array): string {
  return createHmac('sha256', key).update(FINGERPRINT_LABEL).digest('hex').slice(0, 32);
}

export function describeKeySource(source: KeySource): string {
  if ('file' in source) return `key file ${source.file}`;
  if ('env' in source) return `environment variable ${source.env}`;
  return 'key bytes';
}

/** Reads and decodes a key; throws a usage error (KEY_UNREADABLE, KEY_MALFORMED) when it cannot be read or is not hex or `base64:…`. */
export async function loadKey(source: KeySource): Promise<LoadedKey> {
  const origin = describeKeySource(source);
  let bytes: Uint8Array;
  if ('bytes' in source) {
    if (!(source.bytes instanceof Uint8Array)) throw usageError('KEY_MALFORMED', `${origin}: must be a Uint8Array`);
    bytes = source.bytes;
  } else {
    let text: string | undefined;
    if ('file' in source) {
      try {
        text = await readFile(source.file, 'utf8');
      } catch {
        throw usageError('KEY_UNREADABLE', `cannot read the ${origin}`);
      }
    } else {
      text = process.env[source.env];
      if (text === undefined) throw usageError('KEY_UNREADABLE', `the ${origin} is not set`);
    }
    bytes = decodeKeyText(text, origin);
  }
  if (bytes.length === 0) throw usageError('KEY_MALFORMED', `the ${origin} holds an empty key`);
  return { bytes, fingerprint: keyFingerprint(bytes), origin };
}

const HEX = /^[0-9a-fA-F]*$/;
const BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=|[A-Za-z0-9+/]{2,3})?$/;

/** Hex in either case, or base64 after `base64:`; surrounding whitespace (a final newline too) is ignored. */
export function decodeKeyText(text: string, origin: string): Uint8Array {
  const trimmed = text.trim();
  if (trimmed.startsWith('base64:')) {
    const body = trimmed.slice('base64:'.length);
    if (!BASE64.test(body)) throw usageError('KEY_MALFORMED', `the ${origin} is not valid base64 after "base64:"`);
    return new Uint8Array(Buffer.from(body, 'base64'));
  }
  if (!HEX.test(trimmed) || trimmed.length % 2 !== 0) {
    throw usageError('KEY_MALFORMED', `the ${origin} is neither hex (an even number of 0-9a-f digits) nor "base64:" followed by base64`);
  }
  return new Uint8Array(Buffer.from(trimmed, 'hex'));
}
