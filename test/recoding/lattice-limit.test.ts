// Local recoding refuses lattices beyond LOCAL_RECODING_MAX_NODES before any work (its greedy queues every node),
// with a typed usage error, where global recoding searches the same lattice within its time limit.

import { describe, expect, it } from 'vitest';
import { anonymizeEncoded, LOCAL_RECODING_MAX_NODES } from '../../src/anonymize.js';
import { CloakError } from '../../src/errors.js';
import type { AnonymizeOptions } from '../../src/options.js';
import { encodeRows } from '../../src/table/encoded-table.js';

/** `width` binary quasi-identifiers (each 0/1 → *): a lattice of 2^width nodes. */
function binaryTable(width: number) {
  const names = Array.from({ length: width }, (_, j) => `q${j}`);
  const rows = Array.from({ length: 40 }, (_, r) => names.map((_, j) => String((r >> j % 5) & 1)));
  const attributes = Object.fromEntries(names.map((name) => [name, { role: 'quasi-identifying' as const, hierarchy: [['0', '*'], ['1', '*']] }]));
  return { input: encodeRows(names, rows), attributes };
}

describe('local recoding and the lattice size', () => {
  it('refuses a lattice above its limit with LATTICE_TOO_LARGE (exit 2), naming the way out; global recoding searches it', async () => {
    const width = Math.ceil(Math.log2(LOCAL_RECODING_MAX_NODES + 1));
    const { input, attributes } = binaryTable(width);
    const options: AnonymizeOptions = { attributes, models: [{ type: 'k-anonymity', k: 2 }], recoding: 'local' };
    const refused = await anonymizeEncoded(input, options, { file: 'wide.csv' }).catch((error: unknown) => error);
    expect(refused).toBeInstanceOf(CloakError);
    expect([(refused as CloakError).code, (refused as CloakError).exitCode]).toEqual(['LATTICE_TOO_LARGE', 2]);
    expect((refused as CloakError).message).toContain(`local recoding supports lattices of up to ${LOCAL_RECODING_MAX_NODES} nodes, and this one has ${2 ** width}`);
    expect((refused as CloakError).message).toContain('--recoding global');

    const global = await anonymizeEncoded(input, { ...options, recoding: 'global', search: { timeLimitMs: 10_000 } }, { file: 'wide.csv' });
    expect(global.report.verified).toBe(true);
  });

  it('takes a lattice at its limit or below', async () => {
    const { input, attributes } = binaryTable(Math.floor(Math.log2(LOCAL_RECODING_MAX_NODES)));
    const { report } = await anonymizeEncoded(input, { attributes, models: [{ type: 'k-anonymity', k: 2 }], recoding: 'local' }, { file: 'narrow.csv' });
    expect(report.recoding).toBe('local');
  });
});
