// The frontier search keeps its memory within a budget derived from V8's heap limit, by design: a 40-attribute lattice
// (5^40 nodes) is searched in a child process whose heap is capped far below what its open nodes would otherwise take.

import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { buildCli } from '../reliability/cli-harness.js';

/**
 * Runs in the child: 40 attributes of height 4; the condition holds from height 100 up (of 160), the score is a
 * weighted sum of the levels, so the open frontier grows by dozens of nodes per expansion, checks or not.
 */
const CHILD = (searchModule: string) => `
import { search } from ${JSON.stringify(searchModule)};
import { getHeapStatistics } from 'node:v8';
const width = 40;
const cost = (levels) => { let sum = 0; for (let j = 0; j < width; j++) sum += (1 + (j % 3)) * levels[j]; return sum; };
let peak = 0;
const problem = {
  maxLevels: Array.from({ length: width }, () => 4),
  evaluate(levels) {
    const used = process.memoryUsage().heapUsed;
    if (used > peak) peak = used;
    const holds = levels.reduce((a, b) => a + b, 0) >= 100;
    return { anonymous: holds, monotoneConditionHolds: holds, score: holds ? cost(levels) : NaN, lowerBound: cost(levels), forcedSuppression: 0 };
  },
  boundAbove: cost,
};
const result = search(problem, 'optimal', { timeLimitMs: 20000 });
console.log(JSON.stringify({ stoppedBy: result.stoppedBy, representation: result.representation, score: result.score, lowerBound: result.lowerBound, latticeSize: result.latticeSize, peak, limit: getHeapStatistics().heap_size_limit }));
`;

describe('frontier search memory', () => {
  it('searches a 40-attribute lattice of height 4 under a 32 MB heap, forgetting open nodes rather than running out', async () => {
    const cli = await buildCli();
    const searchModule = join(cli, '..', '..', 'lattice', 'search.js');
    const run = spawnSync(process.execPath, ['--max-old-space-size=32', '--input-type=module', '-e', CHILD(searchModule)], { encoding: 'utf8', timeout: 60_000 });
    expect(run.stderr).toBe('');
    expect(run.status).toBe(0);
    const result = JSON.parse(run.stdout) as { stoppedBy: string; representation: string; score: number; lowerBound: number; latticeSize: number; peak: number; limit: number };
    expect(result.latticeSize / 5 ** 40).toBeCloseTo(1, 12);
    expect(result.representation).toBe('sparse');
    // The budget was reached and honoured: open nodes were forgotten (their bound kept), the heap never filled.
    expect(result.stoppedBy).toBe('memory');
    expect(result.peak).toBeLessThan(result.limit);
    expect(result.lowerBound).toBeLessThanOrEqual(result.score);
    expect(Number.isFinite(result.score)).toBe(true);
  }, 120_000);
});
