// ARX's granularity as the issue defines it: per-label shares of the hierarchy's rows (the highest level where a
// label occurs, 1 for `*`), and the loss (r̄ − d̄) / (1 − d̄), checked on hand-computed hierarchies.

import { describe, expect, it } from 'vitest';
import { attributeGranularityLoss, granularityLoss, granularityShares } from '../../src/metrics/granularity.js';
import { encodeFixture } from './fixtures.js';

describe('granularityShares', () => {
  it('is the rows under a label over the rows of the hierarchy, at every level', () => {
    // |D| = 5: 10-19 covers three rows, 20-29 two (12 is in the hierarchy, not in the data).
    const { hierarchies } = encodeFixture({
      attributes: ['age'],
      records: [['10'], ['11'], ['20'], ['21']],
      hierarchyRows: [[['10', '10-19', '*'], ['11', '10-19', '*'], ['12', '10-19', '*'], ['20', '20-29', '*'], ['21', '20-29', '*']]],
    });
    const [shares] = granularityShares(hierarchies);
    expect(Array.from(shares[0])).toEqual([0.2, 0.2, 0.2, 0.2]);
    expect(hierarchies[0].labels[1]).toEqual(['10-19', '20-29']);
    expect(Array.from(shares[1])).toEqual([0.6, 0.4]);
    expect(Array.from(shares[2])).toEqual([1]);
  });

  it('takes a label that occurs at several levels at its highest level, wherever it is released', () => {
    // "a" is a value (one row) and the level-1 label of a and b (two rows): released anywhere, it reads 2/3.
    const { hierarchies } = encodeFixture({
      attributes: ['x'],
      records: [['a'], ['b'], ['c']],
      hierarchyRows: [[['a', 'a', 'top'], ['b', 'a', 'top'], ['c', 'd', 'top']]],
    });
    const [shares] = granularityShares(hierarchies);
    expect(Array.from(shares[0])).toEqual([2 / 3, 1 / 3, 1 / 3]);
    expect(hierarchies[0].labels[1]).toEqual(['a', 'd']);
    expect(Array.from(shares[1])).toEqual([2 / 3, 1 / 3]);
    // The top is not `*` here: it covers all three rows, 1 all the same.
    expect(Array.from(shares[2])).toEqual([1]);
  });

  it('gives `*` a share of 1 even where it labels a part of the rows', () => {
    const { hierarchies } = encodeFixture({
      attributes: ['x'],
      records: [['p'], ['q'], ['r']],
      hierarchyRows: [[['p', '*', 'all'], ['q', 'Q', 'all'], ['r', 'Q', 'all']]],
    });
    const [shares] = granularityShares(hierarchies);
    expect(hierarchies[0].labels[1]).toEqual(['*', 'Q']);
    expect(Array.from(shares[1])).toEqual([1, 2 / 3]);
  });
});

describe('granularityLoss', () => {
  const { hierarchies } = encodeFixture({
    attributes: ['sex', 'age'],
    records: [['M', '10']],
    hierarchyRows: [
      [['M', '*'], ['F', '*']],
      [['10', '10-19', '*'], ['11', '10-19', '*'], ['12', '10-19', '*'], ['20', '20-29', '*'], ['21', '20-29', '*']],
    ],
  });

  it('is 0 when every cell keeps its value and 1 when every cell is *', () => {
    expect(granularityLoss([0.5, 0.2], hierarchies)).toBe(0);
    expect(granularityLoss([1, 1], hierarchies)).toBe(1);
  });

  it('is (r̄ − d̄)/(1 − d̄) over the quasi-identifiers', () => {
    // d̄ = (1/2 + 1/5)/2 = 0.35; r̄ = (0.5 + 0.6)/2 = 0.55: (0.55 − 0.35)/0.65.
    expect(granularityLoss([0.5, 0.6], hierarchies)).toBeCloseTo(0.2 / 0.65, 15);
    // Per attribute: (0.6 − 0.2)/0.8 = 0.5.
    expect(attributeGranularityLoss(0.6, hierarchies[1])).toBeCloseTo(0.5, 15);
  });

  it('is 0 when every hierarchy has one row: nothing can be lost', () => {
    const single = encodeFixture({ attributes: ['x'], records: [['v']], hierarchyRows: [[['v', '*']]] }).hierarchies;
    expect(granularityLoss([1], single)).toBe(0);
    expect(attributeGranularityLoss(1, single[0])).toBe(0);
  });
});
