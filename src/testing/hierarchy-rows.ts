// ARX-style hierarchy rows (`[value, level 1, …, top]`) as cloak/testing reads them: validation, generalization sets, trees.
// Independent of src/hierarchy: the checkers re-derive everything from the rows' strings.

import { usageError } from '../errors.js';
import { throwIfFailed } from './errors.js';
import { FailureCollector, quoteValue, type ReportOptions, type Verdict } from './verdict.js';

/** ARX hierarchy rows: `rows[i] = [value, level 1 label, …, top label]`, all rows equally long. */
export type HierarchyRows = readonly (readonly string[])[];

/** Options of {@link checkHierarchy}. */
export interface HierarchyCheckOptions extends ReportOptions {
  /** Values that must each have a row (e.g. a column's distinct values). */
  readonly domain?: readonly string[];
  /** Require one label in the last column (a single root, `*` in ARX files). Default true. */
  readonly singleRoot?: boolean;
}

/**
 * Checks that hierarchy rows are well formed: at least one row, every row equally long (≥ 1 column),
 * functional and nested (a label at level λ always has the same label at level λ + 1, which also makes each value's row
 * unique), a single label at the top level unless `singleRoot: false`, and every `domain` value present.
 */
export function checkHierarchy(rows: HierarchyRows, options: HierarchyCheckOptions = {}): Verdict {
  const failures = new FailureCollector('hierarchy', options.maxFailures);
  for (const problem of hierarchyProblems(rows, options)) {
    failures.record(() => ({ kind: 'table', check: failures.check, message: problem }));
  }
  return failures.verdict({ rowCount: rows.length });
}

/** Throws an `AnonymizationAssertionError` unless {@link checkHierarchy} passes. */
export function assertHierarchy(rows: HierarchyRows, options: HierarchyCheckOptions = {}): void {
  throwIfFailed(checkHierarchy(rows, options));
}

function hierarchyProblems(rows: HierarchyRows, options: HierarchyCheckOptions): string[] {
  const problems: string[] = [];
  if (rows.length === 0) return ['The hierarchy has no rows.'];
  const width = rows[0].length;
  if (width === 0) return ['Row 0 of the hierarchy is empty.'];
  rows.forEach((row, index) => {
    if (row.length !== width) problems.push(`Row ${index} has ${row.length} columns where row 0 has ${width}.`);
  });
  if (problems.length > 0) return problems;
  for (let level = 0; level + 1 < width; level++) {
    const parentRow = new Map<string, number>();
    rows.forEach((row, index) => {
      const seen = parentRow.get(row[level]);
      if (seen === undefined) parentRow.set(row[level], index);
      else if (rows[seen][level + 1] !== row[level + 1]) {
        const what = options.showValues ? `label ${quoteValue(row[level])}` : 'label';
        problems.push(`Level ${level} ${what} of rows ${seen} and ${index} has two different level ${level + 1} labels: not nested.`);
      }
    });
  }
  if (options.singleRoot ?? true) {
    const roots = new Set(rows.map((row) => row[width - 1]));
    if (roots.size !== 1) problems.push(`The top level (column ${width - 1}) has ${roots.size} labels, not a single root.`);
  }
  if (options.domain !== undefined) {
    const values = new Set(rows.map((row) => row[0]));
    const missing = [...new Set(options.domain)].filter((value) => !values.has(value));
    if (missing.length > 0) {
      const list = options.showValues ? `: ${missing.slice(0, 10).map(quoteValue).join(', ')}` : '';
      problems.push(`${missing.length} domain value${missing.length === 1 ? ' has' : 's have'} no hierarchy row${list}.`);
    }
  }
  return problems;
}

/** For each value of column 0, the labels of its row(s): the value's admissible generalizations (itself included). */
export function generalizationSets(rows: HierarchyRows): Map<string, Set<string>> {
  const sets = new Map<string, Set<string>>();
  for (const row of rows) {
    if (row.length === 0) continue;
    let labels = sets.get(row[0]);
    if (labels === undefined) sets.set(row[0], (labels = new Set()));
    for (const label of row) labels.add(label);
  }
  return sets;
}

/**
 * A hierarchy as a tree over a domain, for earth mover's distances. Nodes are the distinct labels of levels 1 … H
 * (H = columns − 1), numbered from the top down; leaves are the domain's indices. Several top labels are allowed:
 * the distance joins them under a virtual root (see `rootCount`).
 */
export interface HierarchyTree {
  readonly height: number;
  /** leafParent[domainIndex]: the level-1 node above that value. */
  readonly leafParent: Int32Array;
  readonly nodeCount: number;
  /** nodeLevel[node] ∈ 1 … H. */
  readonly nodeLevel: Int32Array;
  /** nodeParent[node]: the node one level up, −1 for a top-level node. */
  readonly nodeParent: Int32Array;
  /** Distinct labels at level H; more than one means a virtual root above them. */
  readonly rootCount: number;
}

/** Builds the tree of `rows` over `domain`; a usage error when the rows are malformed or a domain value lacks a row. */
export function buildHierarchyTree(rows: HierarchyRows, domain: readonly string[], attribute: string): HierarchyTree {
  const problems = hierarchyProblems(rows, { domain, singleRoot: false });
  if (problems.length === 0 && rows[0].length < 2) problems.push('The hierarchy has no level above the values.');
  if (problems.length > 0) {
    throw usageError('TESTING_BAD_HIERARCHY', `The hierarchy of "${attribute}" is malformed: ${problems[0]}`, {
      location: { column: attribute },
      problems,
    });
  }
  const height = rows[0].length - 1;
  const nodeIds: Map<string, number>[] = [];
  const levels: number[] = [];
  const parents: number[] = [];
  for (let level = 1; level <= height; level++) nodeIds[level] = new Map();
  // Walk levels top-down so a node's parent id exists when the node is created.
  for (let level = height; level >= 1; level--) {
    for (const row of rows) {
      if (nodeIds[level].has(row[level])) continue;
      nodeIds[level].set(row[level], levels.length);
      levels.push(level);
      parents.push(level === height ? -1 : nodeIds[level + 1].get(row[level + 1])!);
    }
  }
  const rowOfValue = new Map<string, readonly string[]>();
  for (const row of rows) rowOfValue.set(row[0], row);
  const leafParent = Int32Array.from(domain, (value) => nodeIds[1].get(rowOfValue.get(value)![1])!);
  return {
    height,
    leafParent,
    nodeCount: levels.length,
    nodeLevel: Int32Array.from(levels),
    nodeParent: Int32Array.from(parents),
    rootCount: nodeIds[height].size,
  };
}
