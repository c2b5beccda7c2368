// The policy fingerprint recorded in reports and plans: SHA-256 of the RFC 8785 canonical JSON, and Cloak's version.
// One place decides what "the effective policy" is, so the CLI, the API and plans hash the same thing.

import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { AnonymizeOptions } from '../options.js';
import { canonicalJson } from './canonical-json.js';

/** SHA-256 (lowercase hex) of the canonical JSON of the policy; `$schema` is an editor hint, not policy, and is left out. */
export function policySha256(policy: AnonymizeOptions): string {
  const { $schema: _ignored, ...rest } = policy as AnonymizeOptions & { $schema?: unknown };
  return createHash('sha256').update(canonicalJson(rest), 'utf8').digest('hex');
}

let version: string | undefined;

/** The `version` of Cloak's package.json, found by walking up from this module (works from src/ and dist/). */
export function cloakVersion(): string {
  if (version !== undefined) return version;
  let directory = dirname(fileURLToPath(import.meta.url));
  for (;;) {
    try {
      const manifest = JSON.parse(readFileSync(join(directory, 'package.json'), 'utf8')) as { name?: string; version?: string };
      if (manifest.name === 'cloak' && typeof manifest.version === 'string') return (version = manifest.version);
    } catch {
      // No package.json here (or not Cloak's): keep walking up.
    }
    const parent = dirname(directory);
    if (parent === directory) return (version = 'unknown');
    directory = parent;
  }
}
