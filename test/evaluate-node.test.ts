import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { decideNode } from '../src/evaluate-node.js';
import { collapseTuples } from '../src/groupify/collapse.js';
import { levelDomainSizes, NodeGrouper } from '../src/groupify/node-grouper.js';
import { compileHierarchy } from '../src/hierarchy/compile.js';
import { createModel, minimumClassSize } from '../src/models/index.js';
import type { Metric } from '../src/metrics/metric.js';
import type { ModelSpec } from '../src/options.js';
import { encodeRows } from '../src/table/encoded-table.js';
import { arbitraryDataset } from './groupify/random-data.js';

/** Every per-class model on the sensitive column `s` (values a, b, c), each alone with k and all together. */
const SENSITIVE_SPECS: ModelSpec[] = [
  { type: 'distinct-l-diversity', attribute: 's', l: 2 },
  { type: 'entropy-l-diversity', attribute: 's', l: 1.8 },
  { type: 'entropy-l-diversity', attribute: 's', l: 2, estimator: 'grassberger' },
  { type: 'recursive-cl-diversity', attribute: 's', c: 1.5, l: 2 },
  { type: 't-closeness', attribute: 's', t: 0.15, distance: 'equal' },
  { type: 't-closeness', attribute: 's', t: 0.1, distance: 'ordered' },
  { type: 't-closeness', attribute: 's', t: 0.1, distance: 'hierarchical' },
  { type: 'delta-disclosure', attribute: 's', delta: 0.8 },
  { type: 'beta-likeness', attribute: 's', beta: 0.5 },
  { type: 'beta-likeness', attribute: 's', beta: 0.8, enhanced: true },
];
const MODEL_SETS: ModelSpec[][] = [[], ...SENSITIVE_SPECS.map((spec) => [spec]), SENSITIVE_SPECS];

describe('decideNode', () => {
  it('forced records at a node are suppressed at every specialization too (and at the node), for every model', () => {
    fc.assert(
      fc.property(
        arbitraryDataset(),
        fc.integer({ min: 1, max: 5 }),
        fc.nat(MODEL_SETS.length - 1),
        fc.infiniteStream(fc.nat()),
        (dataset, k, modelSet, choices) => {
          const names = [...dataset.qi, 's'];
          const table = encodeRows(names, dataset.rows.map((row) => names.map((name) => row[name])));
          const hierarchies = dataset.qi.map((name, j) => compileHierarchy(table.columns[j], { rows: dataset.hierarchyRows[name], origin: name }));
          const column = table.columns[dataset.qi.length];
          const sensitiveTree = [['a', 'ab', '*'], ['b', 'ab', '*'], ['c', 'c', '*']].filter((row) => column.dictionary.includes(row[0]));
          const globalCounts = new Int32Array(column.dictionary.length);
          for (const code of column.codes) globalCounts[code]++;
          const context = {
            rowCount: table.rowCount,
            sensitive: [
              {
                name: 's',
                slot: 0,
                type: 'string' as const,
                dictionary: column.dictionary,
                globalCounts,
                hierarchy: compileHierarchy(column, { rows: sensitiveTree, origin: 's' }),
              },
            ],
          };
          const models = [{ type: 'k-anonymity', k } as const, ...MODEL_SETS[modelSet]].map((spec) => createModel(spec, context));
          const histogram = collapseTuples(table, dataset.qi.map((_, j) => j), [dataset.qi.length], levelDomainSizes(hierarchies));
          const grouper = new NodeGrouper(histogram, hierarchies);
          const setup = { models, metric: {} as Metric, suppressionBudget: 0, minClassSize: minimumClassSize(models) };
          const iterator = choices[Symbol.iterator]();
          const lower = hierarchies.map((h) => iterator.next().value % (h.maxLevel + 1));
          const upper = lower.map((level, j) => level + (iterator.next().value % (hierarchies[j].maxLevel - level + 1)));
          const below = decideNode(grouper.classesAt(Int32Array.from(lower)), setup);
          const above = decideNode(grouper.classesAt(Int32Array.from(upper)), setup);
          expect(above.forcedRecords).toBeLessThanOrEqual(above.suppressedRecords);
          expect(above.forcedRecords).toBeLessThanOrEqual(below.suppressedRecords);
        },
      ),
      { seed: 12, numRuns: 1000 },
    );
  });
});
