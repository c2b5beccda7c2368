// RFC 8785 JSON Canonicalization Scheme: the byte-exact text a policy is hashed over.
// Sorted keys (UTF-16 code units), ECMAScript number serialization, no whitespace; undefined members dropped.

import { usageError } from '../errors.js';

/**
 * The RFC 8785 canonical form of a JSON value. Object members whose value is `undefined` are left out (as
 * `JSON.stringify` does), so an options object with absent optional fields hashes like the JSON it came from.
 * @throws CloakError `POLICY_NOT_CANONICALIZABLE` for non-finite numbers, lone surrogates, or non-JSON values.
 */
export function canonicalJson(value: unknown): string {
  return serialize(value, '$');
}

function serialize(value: unknown, path: string): string {
  if (value === null) return 'null';
  switch (typeof value) {
    case 'boolean':
      return value ? 'true' : 'false';
    case 'number':
      if (!Number.isFinite(value)) throw notCanonicalizable(path, 'a non-finite number');
      // ECMAScript Number::toString is exactly RFC 8785's number serialization; -0 serializes as 0.
      return Object.is(value, -0) ? '0' : String(value);
    case 'string':
      return serializeString(value, path);
    case 'object': {
      if (Array.isArray(value)) return `[${value.map((item, index) => (item === undefined ? 'null' : serialize(item, `${path}[${index}]`))).join(',')}]`;
      const members = Object.keys(value)
        .filter((key) => (value as Record<string, unknown>)[key] !== undefined)
        // Default sort compares UTF-16 code units, the order RFC 8785 prescribes.
        .sort()
        .map((key) => `${serializeString(key, path)}:${serialize((value as Record<string, unknown>)[key], `${path}.${key}`)}`);
      return `{${members.join(',')}}`;
    }
    default:
      throw notCanonicalizable(path, `a ${typeof value}`);
  }
}

// With the u flag a surrogate pair is one code point, so \p{Cs} matches only unpaired surrogates.
const LONE_SURROGATE = /\p{Cs}/u;

function serializeString(text: string, path: string): string {
  // JSON.stringify escapes exactly as RFC 8785 asks (\b \f \n \r \t, other controls as \u00xx), but it would
  // escape a lone surrogate where RFC 8785 requires a failure.
  if (LONE_SURROGATE.test(text)) throw notCanonicalizable(path, 'a string with a lone surrogate');
  return JSON.stringify(text);
}

function notCanonicalizable(path: string, what: string) {
  return usageError('POLICY_NOT_CANONICALIZABLE', `the policy holds ${what} at ${path}, which has no canonical JSON form`, { location: { path } });
}
