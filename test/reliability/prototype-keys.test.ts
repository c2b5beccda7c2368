// Column names that are Object.prototype keys (`__proto__`, `constructor`, …) work as ordinary columns, in process.
// Guards the report's name-keyed maps and the weight lookup, and checks that no run pollutes Object.prototype.

import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { anonymize, anonymizeCsv } from '../../src/index.js';
import { makeTempDir } from './cli-harness.js';

const PROTOTYPE_NAMES = ['__proto__', 'constructor', 'toString', 'hasOwnProperty', 'valueOf'];
const work = makeTempDir('prototype');
afterAll(() => rmSync(work, { recursive: true, force: true }));

function prototypeSnapshot(): string[] {
  return Object.getOwnPropertyNames(Object.prototype).sort();
}

describe('prototype keys as column names', () => {
  it('anonymizeCsv treats them as columns: every quasi-identifier is reported by name, Object.prototype is untouched', async () => {
    const before = prototypeSnapshot();
    const rows = Array.from({ length: 12 }, (_, r) => PROTOTYPE_NAMES.map((_, c) => `v${(r + c) % 3}`).join(','));
    writeFileSync(join(work, 'data.csv'), [PROTOTYPE_NAMES.join(','), ...rows, ''].join('\n'));
    mkdirSync(join(work, 'h'), { recursive: true });
    for (const name of PROTOTYPE_NAMES) writeFileSync(join(work, 'h', `${name}.csv`), 'v0;v*;*\nv1;v*;*\nv2;v*;*\n');
    const qi = PROTOTYPE_NAMES.slice(0, 4);
    const report = await anonymizeCsv({
      input: join(work, 'data.csv'),
      output: join(work, 'out.csv'),
      reportPath: join(work, 'report.json'),
      options: {
        attributes: Object.fromEntries(qi.map((name) => [name, { role: 'quasi-identifying' as const }])),
        models: [{ type: 'k-anonymity', k: 12 }],
        hierarchiesDir: join(work, 'h'),
      },
    });
    expect(Object.keys(report.transformation).sort()).toEqual([...qi].sort());
    const written = JSON.parse(readFileSync(join(work, 'report.json'), 'utf8')) as { transformation: Record<string, number> };
    expect(Object.keys(written.transformation).sort()).toEqual([...qi].sort());
    expect(readFileSync(join(work, 'out.csv'), 'utf8').split('\n')[0]).toBe(PROTOTYPE_NAMES.join(','));
    expect(prototypeSnapshot()).toEqual(before);
    expect(Object.getPrototypeOf({})).toBe(Object.prototype);
    expect(({} as Record<string, unknown>).v0).toBeUndefined();
  });

  it('a quasi-identifier named constructor gets its default weight, not Object.prototype.constructor', async () => {
    const records = Array.from({ length: 8 }, (_, r) => ({ constructor: `c${r % 2}`, age: `a${r % 4}` }));
    const { report } = await anonymize(records, {
      attributes: {
        constructor: { role: 'quasi-identifying', hierarchy: [['c0', '*'], ['c1', '*']] },
        age: { role: 'quasi-identifying', hierarchy: [['a0', 'a01', '*'], ['a1', 'a01', '*'], ['a2', 'a23', '*'], ['a3', 'a23', '*']] },
      },
      models: [{ type: 'k-anonymity', k: 2 }],
      metric: { name: 'loss', weights: { age: 2 } },
    });
    expect(Number.isFinite(report.metric.value)).toBe(true);
    for (const { value } of Object.values(report.metrics)) expect(Number.isNaN(value)).toBe(false);
  });
});
