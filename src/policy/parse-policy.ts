// Reading a policy document: JSON text or a parsed object → validated `AnonymizeOptions`, every problem at once.
// Problems carry JSON paths (`$.models[0].k`); the error (POLICY_INVALID, exit 2) lists all of them. A policy file's
// relative paths mean its own folder.

import { readFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { dirname, isAbsolute, relative, resolve } from 'node:path';
import type { z } from 'zod';
import { usageError } from '../errors.js';
import type { AnonymizeOptions, AttributeOptions } from '../options.js';
import { crossFieldProblems, policySchema } from './schema.js';

type Path = readonly PropertyKey[];

/** A JSON path in the `$.a.b[0]["odd key"]` notation. */
export function jsonPath(path: Path): string {
  return path.reduce<string>((text, key) => {
    if (typeof key === 'number') return `${text}[${key}]`;
    const name = String(key);
    return /^[A-Za-z_$][\w$-]*$/.test(name) ? `${text}.${name}` : `${text}[${JSON.stringify(name)}]`;
  }, '$');
}

/**
 * Validates a policy: JSON text, or an already parsed value. `source` names it in messages (a path, `policy`).
 * @returns the policy as `AnonymizeOptions` (the same object shape; `$schema` removed).
 * @throws CloakError `POLICY_INVALID` (exit 2) whose `problems` list every problem as `$.path: message`.
 */
export function parsePolicy(json: string | unknown, source = 'policy'): AnonymizeOptions {
  let raw: unknown = json;
  if (typeof json === 'string') {
    try {
      raw = JSON.parse(json.replace(/^\uFEFF/, ''));
    } catch (cause) {
      throw usageError('POLICY_INVALID', `${source}: not valid JSON (${(cause as Error).message.replace(/,? *".*$/, '')})`, { location: { file: source }, cause });
    }
  }
  const problems: string[] = [];
  const parsed = policySchema().safeParse(raw);
  if (!parsed.success) for (const issue of parsed.error.issues) problems.push(...describeIssue(issue, []));
  for (const problem of crossFieldProblems(raw)) problems.push(`${jsonPath(problem.path)}: ${problem.message}`);
  if (problems.length > 0 || !parsed.success) {
    const message = problems.length === 1 ? `${source}: ${problems[0]}` : `${source}: ${problems.length} problems in the policy:\n  - ${problems.join('\n  - ')}`;
    throw usageError('POLICY_INVALID', message, { location: { file: source }, problems });
  }
  const { $schema: _editorHint, ...policy } = parsed.data;
  return policy as AnonymizeOptions;
}

/**
 * Reads and validates a policy file (see `parsePolicy`). Its relative paths (`hierarchiesDir`, hierarchy files,
 * `risk.populationTable`) are resolved against the file's folder, so a policy works from any working directory.
 */
export async function readPolicyFile(path: string): Promise<AnonymizeOptions> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (cause) {
    throw usageError('POLICY_UNREADABLE', `cannot read the policy file ${path}`, { location: { file: path }, cause });
  }
  return resolvePolicyPaths(parsePolicy(text, path), dirname(path));
}

/**
 * The policy with its relative paths resolved against `folder`, and written relative to the working directory:
 * the options then mean the same files as the policy file did, errors show paths the user can open, and a policy
 * read from the working directory keeps its paths (and its hash) unchanged. A hierarchy given by bare file name
 * stays a name while `hierarchiesDir` is set (it is looked up there); otherwise it becomes a path (`./age.csv`).
 */
export function resolvePolicyPaths(policy: AnonymizeOptions, folder: string): AnonymizeOptions {
  const resolved = (path: string): string => (isAbsolute(path) ? path : relative(process.cwd(), resolve(folder, path)) || '.');
  // A path without a slash would be taken for a name to look up in hierarchiesDir.
  const filePath = (path: string): string => {
    const result = resolved(path);
    return result.includes('/') || isAbsolute(result) ? result : `./${result}`;
  };
  // Null prototype: a column named `__proto__` must stay an own key.
  const attributes: Record<string, AttributeOptions> = Object.create(null);
  for (const [name, attribute] of Object.entries(policy.attributes)) {
    const { hierarchy, transform } = attribute;
    const keep = typeof hierarchy !== 'string' || (policy.hierarchiesDir !== undefined && !hierarchy.includes('/'));
    const rebased = keep ? attribute : { ...attribute, hierarchy: filePath(hierarchy) };
    // A transform's own key file, like every other path of the policy.
    attributes[name] = transform !== undefined && transform.method !== 'mask' && transform.keyFile !== undefined ? { ...rebased, transform: { ...transform, keyFile: resolved(transform.keyFile) } } : rebased;
  }
  const populationTable = policy.risk?.populationTable;
  return {
    ...policy,
    attributes,
    ...(policy.hierarchiesDir === undefined ? {} : { hierarchiesDir: resolved(policy.hierarchiesDir) }),
    ...(typeof populationTable === 'string' ? { risk: { ...policy.risk, populationTable: resolved(populationTable) } } : {}),
  };
}

function describeIssue(issue: z.core.$ZodIssue, prefix: Path): string[] {
  const path = [...prefix, ...issue.path];
  switch (issue.code) {
    case 'unrecognized_keys':
      return issue.keys.map((key) => `${jsonPath([...path, key])}: unknown field`);
    case 'invalid_union': {
      if (issue.errors.length === 0) return [`${jsonPath(path)}: ${issue.message}`];
      // A union fails every branch; the branches that got past the root type are the ones the author meant.
      const meant = issue.errors.filter((branch) => !branch.every((inner) => inner.code === 'invalid_type' && inner.path.length === 0));
      if (meant.length === 1) return meant[0].flatMap((inner) => describeIssue(inner, path));
      return [`${jsonPath(path)}: expected ${issue.errors.map((branch) => (branch[0]?.code === 'invalid_type' ? branch[0].expected : 'another shape')).join(' or ')}`];
    }
    default:
      return [`${jsonPath(path)}: ${issue.message}`];
  }
}

/** Synchronous `readPolicyFile`, for argument parsing that runs before any asynchronous work. */
export function readPolicyFileSync(path: string): AnonymizeOptions {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (cause) {
    throw usageError('POLICY_UNREADABLE', `cannot read the policy file ${path}`, { location: { file: path }, cause });
  }
  return resolvePolicyPaths(parsePolicy(text, path), dirname(path));
}
