// The shipped hierarchy library: specs checked in as `hierarchies/specs/*.json`, and the
// generator that turns each into `hierarchies/<name>.csv` (regenerated and compared by a golden test).

import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { describeLocation, usageError, type ErrorLocation } from '../../errors.js';
import { buildHierarchy } from './build.js';
import { collectDeclaredDomainProblems, declaredValues, type DeclaredDomain } from './declared-domain.js';
import { HierarchyBuildErrorCode } from './failures.js';
import { specProblems, type HierarchySpec } from './spec.js';
import { writeHierarchyCsv } from './write-csv.js';

export const ShippedErrorCode = {
  /** A file under `hierarchies/specs/` is not a valid shipped spec. */
  invalid: 'HIERARCHY_SHIPPED_INVALID',
} as const;

/** The content of one `hierarchies/specs/<name>.json` file. */
export interface ShippedHierarchySpec {
  /** The kind of attribute the hierarchy is for, e.g. `age` or `country`. */
  attribute: string;
  description: string;
  /**
   * The values to generate the hierarchy for: whole numbers `from..to` (or a list). Without it, a group mapping covers
   * the values its first level lists, and any other spec is a template applied to the data's own
   * values at anonymization time, so no CSV is generated for it.
   */
  domain?: DeclaredDomain;
  hierarchy: HierarchySpec;
}

export interface ShippedHierarchy {
  /** File name without extension, shared by the spec and the generated CSV. */
  name: string;
  spec: ShippedHierarchySpec;
}

/** Reads and validates every spec in `<hierarchiesDirectory>/specs`, sorted by name. */
export function readShippedSpecs(hierarchiesDirectory: string): ShippedHierarchy[] {
  const specDirectory = join(hierarchiesDirectory, 'specs');
  return readdirSync(specDirectory)
    .filter((file) => file.endsWith('.json'))
    .sort()
    .map((file) => {
      const path = join(specDirectory, file);
      return { name: basename(file, '.json'), spec: parseShippedSpec(JSON.parse(readFileSync(path, 'utf8')) as unknown, path) };
    });
}

function parseShippedSpec(raw: unknown, file: string): ShippedHierarchySpec {
  const problems = specDocumentProblems(raw, '$');
  const { attribute, description } = (isObject(raw) ? raw : {}) as Record<string, unknown>;
  if (isObject(raw) && (typeof attribute !== 'string' || typeof description !== 'string')) problems.unshift('"attribute" and "description" must be strings');
  if (!isSpecDocument(raw)) problems.unshift('a shipped spec must be a JSON object { attribute, description, domain?, hierarchy }');
  if (problems.length > 0) throw usageError(ShippedErrorCode.invalid, `${file}: ${problems.join('; ')}`, { location: { file }, problems });
  return raw as unknown as ShippedHierarchySpec;
}

/**
 * Reads a spec file's JSON: a builder spec (`{ "type": … }`), or the shape of the shipped specs,
 * `{ attribute?, description?, domain?, hierarchy }`, whose `domain` becomes the builder spec's declared domain.
 * Every problem is reported at once, with its JSON path under `where.path` (default `$`).
 */
export function parseSpecDocument(raw: unknown, where: ErrorLocation = {}): HierarchySpec {
  const path = where.path ?? '$';
  const problems = specDocumentProblems(raw, path);
  if (problems.length > 0) {
    throw usageError(HierarchyBuildErrorCode.invalidSpec, `invalid hierarchy spec (${describeLocation({ ...where, path })}): ${problems.join('; ')}`, {
      location: { ...where, path },
      problems,
    });
  }
  if (!isSpecDocument(raw)) return raw as HierarchySpec;
  const { domain, hierarchy } = raw as unknown as ShippedHierarchySpec;
  return domain === undefined ? hierarchy : { ...hierarchy, domain };
}

/** Every problem of `raw` as a builder spec or a shipped-spec document. */
function specDocumentProblems(raw: unknown, path: string): string[] {
  if (!isSpecDocument(raw)) return specProblems(raw, path);
  const { attribute, description, domain, hierarchy, ...rest } = raw;
  const problems = Object.keys(rest).map((name) => `${path}.${name} is not a field of a spec document (attribute, description, domain, hierarchy)`);
  if (attribute !== undefined && typeof attribute !== 'string') problems.push(`${path}.attribute must be a string`);
  if (description !== undefined && typeof description !== 'string') problems.push(`${path}.description must be a string`);
  if (domain !== undefined) collectDeclaredDomainProblems(domain, `${path}.domain`, problems);
  problems.push(...specProblems(hierarchy, `${path}.hierarchy`));
  if (domain !== undefined && isObject(hierarchy) && hierarchy.domain !== undefined) problems.push(`${path}.domain and ${path}.hierarchy.domain cannot both be given`);
  return problems;
}

/** A spec document holds its builder spec under `hierarchy` and has no `type` of its own. */
function isSpecDocument(raw: unknown): raw is Record<string, unknown> {
  return isObject(raw) && raw.type === undefined && raw.hierarchy !== undefined;
}

function isObject(raw: unknown): raw is Record<string, unknown> {
  return typeof raw === 'object' && raw !== null && !Array.isArray(raw);
}

/** The values a shipped hierarchy covers, or undefined for a template that takes them from the data. */
export function shippedDomain({ domain, hierarchy }: ShippedHierarchySpec): string[] | undefined {
  if (domain !== undefined) return declaredValues(domain);
  if (hierarchy.type === 'group' && hierarchy.levels !== undefined && hierarchy.levels.length > 0) {
    return Object.values(hierarchy.levels[0]).flat();
  }
  return undefined;
}

/** The rows of a shipped hierarchy, or undefined for a template. */
export function shippedHierarchyRows(entry: ShippedHierarchy): string[][] | undefined {
  const domain = shippedDomain(entry.spec);
  return domain === undefined ? undefined : buildHierarchy(entry.spec.hierarchy, domain, { column: entry.spec.attribute });
}

/** Regenerates `<hierarchiesDirectory>/<name>.csv` for every non-template spec; returns the paths written. */
export function writeShippedLibrary(hierarchiesDirectory: string): string[] {
  const written: string[] = [];
  for (const entry of readShippedSpecs(hierarchiesDirectory)) {
    const rows = shippedHierarchyRows(entry);
    if (rows === undefined) continue;
    const path = join(hierarchiesDirectory, `${entry.name}.csv`);
    writeFileSync(path, writeHierarchyCsv(rows));
    written.push(path);
  }
  return written;
}
