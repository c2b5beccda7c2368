// Property: on random small tables with random nested hierarchies, every metric's lower bound is ≤ its score at the
// node and at every generalization, whatever is suppressed, and declared monotonicity holds; for every gs.

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { AGGREGATE_NAMES, createMetric, METRIC_NAMES } from '../../src/metrics/index.js';
import { contextFor, encodeFixture, groupAt, suppressSmallerThan, type Fixture } from './fixtures.js';

const GS_FACTORS = [0, 0.25, 0.5, 0.75, 1];

interface AttributeSpec {
  /** Group of each value at level 1, of each level-1 label at level 2, …: nested by construction. */
  readonly parents: number[][];
  /** Values of the domain; the data uses a subset, so the hierarchy has rows the data lacks. */
  readonly domainSize: number;
}

const attributeSpec: fc.Arbitrary<AttributeSpec> = fc
  .record({ domainSize: fc.integer({ min: 1, max: 6 }), height: fc.integer({ min: 0, max: 3 }) })
  .chain(({ domainSize, height }) => {
    // Each level maps the previous level's labels onto at most as many groups; the top is one label.
    const levelsOf = (size: number, remaining: number): fc.Arbitrary<number[][]> =>
      remaining === 0
        ? fc.constant([])
        : remaining === 1
          ? fc.constant([new Array<number>(size).fill(0)])
          : fc
              .array(fc.integer({ min: 0, max: Math.max(0, size - 1) }), { minLength: size, maxLength: size })
              .chain((parents) => levelsOf(Math.max(...parents) + 1, remaining - 1).map((rest) => [parents, ...rest]));
    return levelsOf(domainSize, height).map((parents) => ({ parents, domainSize }));
  });

function hierarchyRows(spec: AttributeSpec): string[][] {
  return Array.from({ length: spec.domainSize }, (_, value) => {
    const row = [`v${value}`];
    let label = value;
    spec.parents.forEach((parents, level) => {
      label = parents[label];
      row.push(`L${level + 1}g${label}`);
    });
    return row;
  });
}

const scenario = fc
  .array(attributeSpec, { minLength: 1, maxLength: 3 })
  .chain((specs) =>
    fc.record({
      specs: fc.constant(specs),
      records: fc.array(fc.tuple(...specs.map((spec) => fc.integer({ min: 0, max: spec.domainSize - 1 }))), {
        minLength: 1,
        maxLength: 30,
      }),
      node: fc.tuple(...specs.map((spec) => fc.integer({ min: 0, max: spec.parents.length }))),
      raise: fc.tuple(...specs.map((spec) => fc.integer({ min: 0, max: spec.parents.length }))),
      weights: fc.option(fc.tuple(...specs.map(() => fc.double({ min: 0, max: 3, noNaN: true }))), { nil: undefined }),
      suppressionSeeds: fc.array(fc.integer({ min: 0, max: 2 ** 30 }), { minLength: 3, maxLength: 3 }),
    }),
  );

/** A pseudo-random suppressed set from a seed, so that one scenario tries several. */
function suppressedSet(count: number, seed: number): Uint8Array {
  let state = seed | 1;
  return Uint8Array.from({ length: count }, () => {
    state = (state * 1103515245 + 12345) & 0x7fffffff;
    return (state >> 16) & 1;
  });
}

/** The scenario's records encoded with its hierarchies, and `node` raised by `raise` (capped at each top level). */
function scenarioTables(specs: readonly AttributeSpec[], records: readonly (readonly number[])[], node: readonly number[], raise: readonly number[]) {
  const attributes = specs.map((_, j) => `a${j}`);
  const fixture: Fixture = { attributes, records: records.map((record) => record.map((value) => `v${value}`)), hierarchyRows: specs.map(hierarchyRows) };
  const raised = node.map((level, j) => Math.min(specs[j].parents.length, level + raise[j]));
  return { attributes, encoded: encodeFixture(fixture), raised };
}

describe('lower bounds and monotonicity', () => {
  it('hold for every metric, aggregate and gs factor', () => {
    fc.assert(
      fc.property(scenario, ({ specs, records, node, raise, weights, suppressionSeeds }) => {
        const { attributes, encoded, raised: generalization } = scenarioTables(specs, records, node, raise);
        const atNode = groupAt(encoded, node);
        const atGeneralization = groupAt(encoded, generalization);
        const weightRecord = weights && Object.fromEntries(attributes.map((name, j) => [name, weights[j]]));
        const nodeSets = [new Uint8Array(atNode.count), ...suppressionSeeds.map((seed) => suppressedSet(atNode.count, seed))];
        const generalizationSets = [
          new Uint8Array(atGeneralization.count),
          ...suppressionSeeds.map((seed) => suppressedSet(atGeneralization.count, seed + 1)),
        ];

        // Violations are collected and asserted once: an expect per comparison would dominate the run time.
        const violations: string[] = [];
        const check = (lower: number, upper: number, what: string): void => {
          if (!(lower <= upper)) violations.push(`${what}: ${lower} > ${upper}`);
        };
        for (const gsFactor of GS_FACTORS) {
          const context = contextFor(encoded, { gsFactor, weights: weightRecord });
          for (const name of METRIC_NAMES) {
            for (const aggregate of AGGREGATE_NAMES) {
              const metric = createMetric({ name, gsFactor, aggregate }, context);
              const label = `${name}/${aggregate}/gs ${gsFactor}`;
              const bound = metric.lowerBound(atNode);
              check(bound, metric.lowerBound(atGeneralization), `${label}: bound grows`);
              for (const set of nodeSets) check(bound, metric.score(atNode, set).value, `${label}: bound ≤ score at node`);
              for (const set of generalizationSets) {
                check(bound, metric.score(atGeneralization, set).value, `${label}: bound ≤ score above`);
              }
              if (metric.monotoneWithoutSuppression) {
                const below = metric.score(atNode, nodeSets[0]).value;
                check(below, metric.score(atGeneralization, generalizationSets[0]).value, `${label}: monotone`);
              }
              if (metric.monotoneWithSuppression) {
                for (const below of nodeSets) {
                  for (const above of generalizationSets) {
                    const lower = metric.score(atNode, below).value;
                    check(lower, metric.score(atGeneralization, above).value, `${label}: monotone with suppression`);
                  }
                }
              }
            }
          }
        }
        expect(violations).toEqual([]);
      }),
      { numRuns: 300 },
    );
  });

  it('boundAt holds at its node for every suppressed set within the budget that suppresses at least the given records', () => {
    fc.assert(
      fc.property(scenario, ({ specs, records, node, raise, weights, suppressionSeeds }) => {
        // The bound is asked at `target`, with the lower bound of a checked node below it.
        const { attributes, encoded, raised: target } = scenarioTables(specs, records, node, raise);
        const below = groupAt(encoded, node);
        const atTarget = groupAt(encoded, target);
        const weightRecord = weights && Object.fromEntries(attributes.map((name, j) => [name, weights[j]]));
        // Random sets, and the classes below k (what forced suppression is made of), for a few k.
        const sets = [
          new Uint8Array(atTarget.count),
          ...suppressionSeeds.map((seed) => suppressedSet(atTarget.count, seed)),
          ...[2, 3, 5].map((k) => suppressSmallerThan(atTarget, k)),
        ];
        const violations: string[] = [];
        for (const gsFactor of GS_FACTORS) {
          const context = contextFor(encoded, { gsFactor, weights: weightRecord });
          for (const name of METRIC_NAMES) {
            for (const aggregate of AGGREGATE_NAMES) {
              const metric = createMetric({ name, gsFactor, aggregate }, context);
              if (metric.boundAt === undefined) continue;
              const boundBelow = metric.lowerBound(below);
              // Larger suppression first, so that a memo keyed too coarsely would hand a later, smaller case a bound too large.
              for (const set of [...sets].reverse()) {
                const suppressedRecords = atTarget.sizes.reduce((sum, size, c) => sum + (set[c] === 1 ? size : 0), 0);
                const score = metric.score(atTarget, set).value;
                for (const atLeast of [suppressedRecords, suppressedRecords >> 1, 0]) {
                  for (const budget of [suppressedRecords, encoded.rowCount]) {
                    // With a checked node below, and with none (the search's −∞).
                    for (const below of [boundBelow, -Infinity]) {
                      const bound = metric.boundAt(atTarget.levels, below, atLeast, budget);
                      if (!(bound <= score)) violations.push(`${name}/${aggregate}/gs ${gsFactor}, ${atLeast} ≤ S ≤ ${budget}, below ${below}: ${bound} > ${score}`);
                    }
                  }
                }
              }
            }
          }
        }
        expect(violations).toEqual([]);
      }),
      { numRuns: 300 },
    );
  });
});
