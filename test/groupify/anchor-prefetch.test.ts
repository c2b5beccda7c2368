import { spawnSync } from 'node:child_process';
import { dirname } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { collapseTuples } from '../../src/groupify/collapse.js';
import { anchorLevels, anchorPattern } from '../../src/groupify/anchor-prefetch.js';
import { levelDomainSizes, NodeGrouper } from '../../src/groupify/node-grouper.js';
import { compileHierarchy } from '../../src/hierarchy/compile.js';
import { encodeRows } from '../../src/table/encoded-table.js';
import { buildCli } from '../reliability/cli-harness.js';

describe('anchor patterns', () => {
  it('mark the attributes above level 0, and give back the anchor min(levels, 1)', () => {
    expect(anchorPattern(Int32Array.from([0, 2, 1, 0, 3]))).toBe(0b10110);
    expect(Array.from(anchorLevels(0b10110, 5))).toEqual([0, 1, 1, 0, 1]);
  });

  it('leave grouping on this thread from TypeScript sources, where no compiled worker exists', () => {
    const table = encodeRows(['a'], [['x'], ['y']]);
    const hierarchy = compileHierarchy(table.columns[0], { rows: [['x', '*'], ['y', '*']], origin: 'a' });
    const grouper = new NodeGrouper(collapseTuples(table, [0], [], levelDomainSizes([hierarchy])), [hierarchy], undefined, true);
    grouper.anticipate([Int32Array.from([1])]);
    expect(grouper.classesAt(Int32Array.from([1])).count).toBe(1);
    expect(grouper.statistics.prefetched).toBe(0);
    grouper.close();
  });
});

/** Script lines for a plain Node process: the compiled modules, a 4-attribute histogram with a sensitive column, and helpers. */
const DATASET = `
      const dist = process.argv[1];
      const { collapseTuples } = await import(dist + '/groupify/collapse.js');
      const { levelDomainSizes, NodeGrouper } = await import(dist + '/groupify/node-grouper.js');
      const { compileHierarchy } = await import(dist + '/hierarchy/compile.js');
      const { encodeRows } = await import(dist + '/table/encoded-table.js');
      // Four quasi-identifiers (domains 40, 24, 12, 6; hierarchies halving each level) and a sensitive column.
      const domains = [40, 24, 12, 6];
      let seed = 7;
      const random = (n) => { seed = (seed * 1103515245 + 12345) % 2147483648; return (seed >>> 12) % n; };
      const rows = Array.from({ length: 30000 }, () => [...domains.map((d) => 'v' + random(d)), 's' + random(5)]);
      const table = encodeRows(['a', 'b', 'c', 'd', 's'], rows);
      const hierarchies = domains.map((d, j) => compileHierarchy(table.columns[j], {
        origin: 'q' + j,
        rows: table.columns[j].dictionary.map((value) => { const v = Number(value.slice(1)); return [value, 'h' + (v >> 1), 'g' + (v >> 2), '*']; }),
      }));
      const histogram = collapseTuples(table, [0, 1, 2, 3], [4], levelDomainSizes(hierarchies));
      const nodes = [];
      // Every anchor but the bottom, most attributes at level 1 first: none has a finer one asked for before it.
      for (let pattern = 1; pattern < 16; pattern++) nodes.push(Int32Array.from([0, 1, 2, 3], (j) => (pattern >> j) & 1));
      nodes.sort((x, y) => y.reduce((s, l) => s + l, 0) - x.reduce((s, l) => s + l, 0));
      const plain = (classes) => ({ count: classes.count, levels: Array.from(classes.levels), sizes: Array.from(classes.sizes), keys: Array.from(classes.keys),
        sensitive: classes.sensitive.map((h) => [Array.from(h.offsets), Array.from(h.codes), Array.from(h.counts)]) });
`;

/** Runs a script in a fresh Node process against the compiled build; it must end by itself (no worker keeps it alive). */
function runCompiled(script: string, dist: string): Record<string, unknown> {
  const run = spawnSync(process.execPath, ['--input-type=module', '-e', script, dist], { encoding: 'utf8', timeout: 60_000, maxBuffer: 64 * 1024 * 1024 });
  expect(run.status, run.stderr).toBe(0);
  return JSON.parse(run.stdout);
}

// The worker starts only from compiled JavaScript: the reliability tests' private build, in a plain Node process.
describe('anchors built on the worker thread (compiled build)', () => {
  let dist: string;
  beforeAll(async () => {
    dist = dirname(dirname(await buildCli()));
  }, 180_000);

  it('are the very classes this thread builds, sensitive histograms included, and the process ends by itself', () => {
    const script = `
${DATASET}      const withWorker = new NodeGrouper(histogram, hierarchies, undefined, true);
      withWorker.anticipate(nodes);
      await new Promise((done) => setTimeout(done, 1500)); // the worker builds them meanwhile
      const prefetched = nodes.map((levels) => plain(withWorker.classesAt(levels)));
      const statistics = withWorker.statistics;
      withWorker.close();
      const alone = new NodeGrouper(histogram, hierarchies, undefined, false);
      const here = nodes.map((levels) => plain(alone.classesAt(levels)));
      console.log(JSON.stringify({ same: JSON.stringify(prefetched) === JSON.stringify(here), statistics, tuples: histogram.tuples.count }));
    `;
    const { same, statistics, tuples } = runCompiled(script, dist) as { same: boolean; statistics: { fromHistogram: number; prefetched: number }; tuples: number };
    expect(tuples).toBeGreaterThan(5_000);
    expect(statistics.fromHistogram).toBe(15);
    // Not vacuous: the worker built (nearly) every anchor while this thread slept.
    expect(statistics.prefetched).toBeGreaterThanOrEqual(12);
    expect(same).toBe(true);
  });

  it('are the same classes when taken at once, while the worker may be building them, whatever the order and the hints', () => {
    const script = `
${DATASET}
      const all = nodes.map((levels) => JSON.stringify(plain(new NodeGrouper(histogram, hierarchies, undefined, false).classesAt(levels))));
      let differences = 0;
      let prefetched = 0;
      for (let round = 0; round < 12; round++) {
        const order = nodes.map((_, i) => i).sort(() => random(3) - 1);
        const grouper = new NodeGrouper(histogram, hierarchies, undefined, true);
        grouper.anticipate(order.map((i) => nodes[i]));
        // Taken at once, around the worker's start-up, or after it had time to build: every phase of the race.
        await new Promise((done) => setTimeout(done, [0, 40, 80, 300][round % 4]));
        for (const [step, i] of order.entries()) {
          // Hints replaced midway, as the search does at each height.
          if (step === 5) grouper.anticipate(order.slice(5).reverse().map((k) => nodes[k]));
          if (JSON.stringify(plain(grouper.classesAt(nodes[i]))) !== all[i]) differences++;
        }
        prefetched += grouper.statistics.prefetched;
        grouper.close();
      }
      console.log(JSON.stringify({ differences, prefetched }));
    `;
    const { differences, prefetched } = runCompiled(script, dist) as { differences: number; prefetched: number };
    expect(differences).toBe(0);
    // The comparison covered anchors built by the worker (those taken after 300 ms at least).
    expect(prefetched).toBeGreaterThan(0);
  });
});
