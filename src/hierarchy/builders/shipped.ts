// The shipped hierarchy library: specs checked in as `hierarchies/specs/*.json`, and the
// generator that turns each into `hierarchies/<name>.csv` (regenerated and compared by a golden test).

import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { usageError } from '../../errors.js';
import { buildHierarchy, parseHierarchySpec, type HierarchySpec } from './spec.js';
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
   * Whole numbers `from..to` to generate the hierarchy for. Without it, a group mapping covers
   * the values its first level lists, and any other spec is a template applied to the data's own
   * values at anonymization time, so no CSV is generated for it.
   */
  domain?: { from: number; to: number };
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
  const invalid = (problem: string) => usageError(ShippedErrorCode.invalid, `${file}: ${problem}`, { location: { file } });
  if (typeof raw !== 'object' || raw === null) throw invalid('a shipped spec must be a JSON object');
  const { attribute, description, domain, hierarchy } = raw as Record<string, unknown>;
  if (typeof attribute !== 'string' || typeof description !== 'string') throw invalid('"attribute" and "description" must be strings');
  if (domain !== undefined) {
    const { from, to } = (typeof domain === 'object' && domain !== null ? domain : {}) as Record<string, unknown>;
    if (!Number.isSafeInteger(from) || !Number.isSafeInteger(to) || (from as number) > (to as number)) {
      throw invalid('"domain" must be { "from": integer, "to": integer } with from <= to');
    }
  }
  return { attribute, description, domain: domain as ShippedHierarchySpec['domain'], hierarchy: parseHierarchySpec(hierarchy, { file, path: '$.hierarchy' }) };
}

/** The values a shipped hierarchy covers, or undefined for a template that takes them from the data. */
export function shippedDomain({ domain, hierarchy }: ShippedHierarchySpec): string[] | undefined {
  if (domain !== undefined) return Array.from({ length: domain.to - domain.from + 1 }, (_, offset) => String(domain.from + offset));
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
