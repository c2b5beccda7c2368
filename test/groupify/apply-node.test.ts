import { describe, expect, it } from 'vitest';
import { applyNode, suppressedRowsOf } from '../../src/groupify/apply-node.js';
import { collapseTuples } from '../../src/groupify/collapse.js';
import { levelDomainSizes, NodeGrouper } from '../../src/groupify/node-grouper.js';
import { compileHierarchy } from '../../src/hierarchy/compile.js';
import { decodeRow, encodeRows } from '../../src/table/encoded-table.js';

describe('applyNode', () => {
  const table = encodeRows(
    ['name', 'age', 'note'],
    [
      ['Ann', '21', 'x'],
      ['Bob', '22', 'y'],
      ['Cid', '37', 'z'],
    ],
  );
  const hierarchy = compileHierarchy(table.columns[1], { rows: [['21', '20-29', '*'], ['22', '20-29', '*'], ['37', '30-39', '*']], origin: 'age' });
  const histogram = collapseTuples(table, [1], [], levelDomainSizes([hierarchy]));
  const grouper = new NodeGrouper(histogram, [hierarchy]);

  it('generalizes, suppresses whole classes, blanks identifying columns and keeps rows, order and other columns', () => {
    const { classes, tupleToClass } = grouper.classesWithTupleMap(Int32Array.from([1]));
    const suppressedClass = Uint8Array.from({ length: classes.count }, (_, c) => (classes.sizes[c] < 2 ? 1 : 0));
    const output = applyNode(table, { qiColumns: [1], hierarchies: [hierarchy], levels: Int32Array.from([1]), identifyingColumns: [0], suppressedRows: suppressedRowsOf(histogram.rowToTuple, tupleToClass, suppressedClass) });
    expect([0, 1, 2].map((r) => decodeRow(output, r))).toEqual([
      ['*', '20-29', 'x'],
      ['*', '20-29', 'y'],
      ['*', '*', 'z'],
    ]);
    // The untouched column is shared, not copied.
    expect(output.columns[2]).toBe(table.columns[2]);
  });

  it('reuses an existing "*" label for suppressed cells at the top level', () => {
    const { classes, tupleToClass } = grouper.classesWithTupleMap(Int32Array.from([2]));
    const output = applyNode(table, { qiColumns: [1], hierarchies: [hierarchy], levels: Int32Array.from([2]), identifyingColumns: [], suppressedRows: suppressedRowsOf(histogram.rowToTuple, tupleToClass, new Uint8Array(classes.count)) });
    expect(output.columns[1].dictionary).toEqual(['*']);
    expect([0, 1, 2].map((r) => decodeRow(output, r)[1])).toEqual(['*', '*', '*']);
  });
});
