// Grouping builder: categorical values generalized by a user mapping, one `label → members` table
// per level, validated to be a function of the values at every level and nested across levels.

import { distinctValues, type HierarchyDomain } from './domain.js';
import { invalidSpec, type BuildContext } from './failures.js';
import { labelRows, type Labeler } from './labeler.js';

const BUILDER = 'Group';

/** One level of a grouping: group label → the original values in that group. */
export type GroupLevel = Record<string, string[]>;

export interface GroupMappingOptions {
  /**
   * The levels from most specific to most general. Every level lists original values (not the
   * labels of the level below), so each level can be read on its own. A level that puts every value
   * in one group is the `*` level: it ends the hierarchy, whatever its label, so `*` is never repeated.
   */
  levels: GroupLevel[];
  runSize?: never;
  fanout?: never;
}

/**
 * Builds `[value, group at level 1, …, group at level n, *]` for each distinct value.
 * A value listed in two groups of one level, a domain value missing from a level, or a group
 * split between groups of the next level (a non-nested mapping) is an error.
 */
export function buildGroupHierarchy(values: HierarchyDomain, options: GroupMappingOptions, context?: BuildContext): string[][] {
  return labelRows(distinctValues(values, BUILDER, context), groupLabeler(options, context), BUILDER, context);
}

/** The labels of every value the mapping lists (in each level below the `*` level); the mapping is validated here. */
export function groupLabeler(options: GroupMappingOptions, context?: BuildContext): Labeler {
  const levelMaps = toLevelMaps(options.levels, context);
  checkNesting(levelMaps, context);
  const allInOne = levelMaps.findIndex((groupOf, level) => isAllInOne(groupOf, levelMaps.slice(0, level)));
  const kept = allInOne === -1 ? levelMaps : levelMaps.slice(0, allInOne);
  const labelsOf = (value: string): readonly string[] | string => {
    const labels: string[] = [];
    for (let level = 0; level < kept.length; level++) {
      const label = kept[level].get(value);
      if (label === undefined) return `is in no group of level ${level + 1}`;
      labels.push(label);
    }
    return labels;
  };
  return { height: kept.length, labelsOf };
}

/** A level with one group that holds every value the levels below it list: the same grouping as `*`. */
function isAllInOne(groupOf: Map<string, string>, below: Array<Map<string, string>>): boolean {
  if (new Set(groupOf.values()).size !== 1) return false;
  return below.every((level) => [...level.keys()].every((value) => groupOf.has(value)));
}

/** Every value the mapping lists, in any level: such a value is never treated as missing. */
export function listedValues(levels: readonly GroupLevel[]): Set<string> {
  return new Set(levels.flatMap((level) => Object.values(level).flat()));
}

/** Inverts each level into value → label, refusing a value placed in two groups of one level. */
function toLevelMaps(levels: GroupLevel[], context: BuildContext | undefined): Array<Map<string, string>> {
  if (!Array.isArray(levels)) throw invalidSpec(BUILDER, context, 'levels must be an array of group mappings');
  return levels.map((level, position) => {
    const groupOf = new Map<string, string>();
    for (const [label, members] of Object.entries(level)) {
      for (const member of members) {
        const previous = groupOf.get(member);
        if (previous !== undefined && previous !== label) {
          throw invalidSpec(BUILDER, context, `level ${position + 1} lists one value in both group "${previous}" and group "${label}"`);
        }
        groupOf.set(member, label);
      }
    }
    return groupOf;
  });
}

/** Every group of level i must fall inside a single group of level i+1, for the values both list. */
function checkNesting(levelMaps: Array<Map<string, string>>, context: BuildContext | undefined): void {
  for (let level = 1; level < levelMaps.length; level++) {
    const parentOf = new Map<string, string>();
    for (const [member, label] of levelMaps[level - 1]) {
      const parent = levelMaps[level].get(member);
      if (parent === undefined) continue;
      const knownParent = parentOf.get(label);
      if (knownParent !== undefined && knownParent !== parent) {
        throw invalidSpec(
          BUILDER,
          context,
          `the mapping is not nested: group "${label}" of level ${level} is split between groups "${knownParent}" and "${parent}" of level ${level + 1}`,
        );
      }
      parentOf.set(label, parent);
    }
  }
}
