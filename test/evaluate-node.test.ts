import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { decideNode } from '../src/evaluate-node.js';
import { collapseTuples } from '../src/groupify/collapse.js';
import { levelDomainSizes, NodeGrouper } from '../src/groupify/node-grouper.js';
import { compileHierarchy } from '../src/hierarchy/compile.js';
import { createKAnonymity } from '../src/models/k-anonymity.js';
import type { Metric } from '../src/metrics/metric.js';
import { encodeRows } from '../src/table/encoded-table.js';
import { arbitraryDataset } from './groupify/random-data.js';

describe('decideNode', () => {
  it('forced suppression (records in classes below the minimum size) never increases from a node to a generalization', () => {
    fc.assert(
      fc.property(arbitraryDataset(), fc.integer({ min: 1, max: 5 }), fc.infiniteStream(fc.nat()), (dataset, k, choices) => {
        const table = encodeRows(dataset.qi, dataset.rows.map((row) => dataset.qi.map((q) => row[q])));
        const hierarchies = dataset.qi.map((name, j) => compileHierarchy(table.columns[j], { rows: dataset.hierarchyRows[name], origin: name }));
        const grouper = new NodeGrouper(collapseTuples(table, dataset.qi.map((_, j) => j), [], levelDomainSizes(hierarchies)), hierarchies);
        const setup = { models: [createKAnonymity(k)], metric: {} as Metric, suppressionBudget: 0, minClassSize: k };
        const iterator = choices[Symbol.iterator]();
        const lower = hierarchies.map((h) => iterator.next().value % (h.maxLevel + 1));
        const upper = lower.map((level, j) => level + (iterator.next().value % (hierarchies[j].maxLevel - level + 1)));
        const forcedLower = decideNode(grouper.classesAt(Int32Array.from(lower)), setup).tooSmallRecords;
        const forcedUpper = decideNode(grouper.classesAt(Int32Array.from(upper)), setup).tooSmallRecords;
        expect(forcedUpper).toBeLessThanOrEqual(forcedLower);
      }),
      { seed: 12, numRuns: 300 },
    );
  });
});
