// The lattice greedy on random tables: every cluster is one class of the lattice (its tuples share their labels at
// its levels) with enough records and not all `*`, no tuple is in two, and the first released is the cheapest class
// with k records anywhere in the lattice — the order that makes each record take the cheapest class it can get.

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { collapseTuples } from '../../src/groupify/collapse.js';
import { levelDomainSizes } from '../../src/groupify/node-grouper.js';
import { compileHierarchy } from '../../src/hierarchy/compile.js';
import { Lattice } from '../../src/lattice/lattice.js';
import { granularityShares } from '../../src/metrics/granularity.js';
import { createKAnonymity } from '../../src/models/k-anonymity.js';
import { labelIdentity } from '../../src/recoding/label-identity.js';
import { latticeGreedy } from '../../src/recoding/lattice-greedy.js';
import { encodeRows } from '../../src/table/encoded-table.js';
import { arbitraryHierarchy } from '../../src/testing/index.js';

const DOMAIN = ['0', '1', '2', '3', '4', '5'];

const cases = fc.record({
  width: fc.integer({ min: 1, max: 3 }),
  k: fc.integer({ min: 2, max: 4 }),
  hierarchies: fc.array(arbitraryHierarchy(DOMAIN, { height: { min: 1, max: 3 } }), { minLength: 3, maxLength: 3 }),
  rows: fc.array(fc.array(fc.constantFrom(...DOMAIN), { minLength: 3, maxLength: 3 }), { minLength: 4, maxLength: 40 }),
});

describe('latticeGreedy', () => {
  it('releases lattice classes of at least k records, none all `*`, each tuple at most once, the cheapest first', () => {
    fc.assert(
      fc.property(cases, ({ width, k, hierarchies: rowsOf, rows }) => {
        const names = Array.from({ length: width }, (_, j) => `q${j}`);
        const table = encodeRows(names, rows.map((row) => row.slice(0, width)));
        const hierarchies = names.map((name, j) => compileHierarchy(table.columns[j], { rows: rowsOf[j], origin: name }));
        const { tuples } = collapseTuples(table, names.map((_, j) => j), [], levelDomainSizes(hierarchies));
        const shares = granularityShares(hierarchies);
        const identity = labelIdentity(hierarchies);
        const result = latticeGreedy({ tuples, hierarchies, models: [createKAnonymity(k)], minClassSize: k, shares, identity });

        const labelOf = (t: number, j: number, level: number) => hierarchies[j].dataToLevel[level][tuples.keys[t * width + j]];
        const costOf = (t: number, levels: ArrayLike<number>) => names.reduce((sum, _, j) => sum + shares[j][levels[j]][labelOf(t, j, levels[j])], 0);
        const members = Array.from({ length: result.clusterCount }, () => [] as number[]);
        for (let t = 0; t < tuples.count; t++) if (result.clusterOfTuple[t] >= 0) members[result.clusterOfTuple[t]].push(t);
        members.forEach((cluster, c) => {
          const levels = result.clusterLevels.subarray(c * width, (c + 1) * width);
          expect(cluster.reduce((records, t) => records + tuples.sizes[t], 0)).toBeGreaterThanOrEqual(k);
          for (const t of cluster) for (let j = 0; j < width; j++) expect(labelOf(t, j, levels[j])).toBe(labelOf(cluster[0], j, levels[j]));
          expect(names.every((_, j) => hierarchies[j].labels[levels[j]][labelOf(cluster[0], j, levels[j])] === '*')).toBe(false);
        });

        // The cheapest class with k records over the whole lattice (not all `*`), by brute force.
        const lattice = new Lattice(hierarchies.map((hierarchy) => hierarchy.maxLevel));
        let cheapest = Infinity;
        for (let node = 0; node < lattice.size; node++) {
          const levels = names.map((_, j) => lattice.levelOf(node, j));
          const records = new Map<string, { size: number; cost: number; stars: boolean }>();
          for (let t = 0; t < tuples.count; t++) {
            const key = names.map((_, j) => labelOf(t, j, levels[j])).join(',');
            const entry = records.get(key) ?? { size: 0, cost: costOf(t, levels), stars: names.every((_, j) => hierarchies[j].labels[levels[j]][labelOf(t, j, levels[j])] === '*') };
            entry.size += tuples.sizes[t];
            records.set(key, entry);
          }
          for (const entry of records.values()) if (entry.size >= k && !entry.stars) cheapest = Math.min(cheapest, entry.cost);
        }
        if (cheapest === Infinity) expect(result.clusterCount).toBe(0);
        else expect(costOf(members[0][0], result.clusterLevels.subarray(0, width))).toBeCloseTo(cheapest, 12);
      }),
      { numRuns: 200, seed: 20_251_010 },
    );
  });
});
