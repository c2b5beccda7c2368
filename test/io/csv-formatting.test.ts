import { spawnSync } from 'node:child_process';
import { dirname, join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { csvChunks } from '../../src/io/csv-writer.js';
import { csvBytesAtMost, formatCsvAside } from '../../src/io/csv-formatting.js';
import { startWorkerTask } from '../../src/io/worker-task.js';
import { encodeRows } from '../../src/table/encoded-table.js';
import { buildCli } from '../reliability/cli-harness.js';

const table = encodeRows(
  ['a', 'b;c', 'n'],
  Array.from({ length: 500 }, (_, r) => [`v${r % 7}`, r % 11 === 0 ? 'say "hi"' : `w${r % 3}`, String(r)]),
);
const bytesOf = (chunks: Iterable<Uint8Array>) => Buffer.concat([...chunks]).toString('utf8');

describe('formatCsvAside from TypeScript sources (no compiled worker)', () => {
  it('formats in place when the worker declines, byte for byte as csvChunks', async () => {
    const pending = formatCsvAside(table, ';', 0);
    expect(bytesOf(await pending.chunks())).toBe(bytesOf(csvChunks(table, ';')));
  });

  it('declines a worker whose module does not exist, without throwing', async () => {
    const task = startWorkerTask(new URL('./no-such-worker.js', import.meta.url), {});
    expect(await task.answer).toBe('declined');
    task.stop();
  });
});

describe('csvBytesAtMost', () => {
  const recordBytes = (t: typeof table) => Buffer.concat([...csvChunks(t, ';')].slice(1)).length; // without the header

  it('is at least the records\' bytes, for values with quotes, delimiters, line breaks and multi-byte characters', () => {
    const value = fc.string({ unit: fc.constantFrom('a', ';', '"', '\n', 'é', '€', '𝄞'), maxLength: 6 });
    fc.assert(
      fc.property(fc.array(fc.array(value, { minLength: 2, maxLength: 2 }), { minLength: 1, maxLength: 40 }), (rows) => {
        const t = encodeRows(['x', 'y'], rows);
        expect(csvBytesAtMost(t, ';')).toBeGreaterThanOrEqual(recordBytes(t));
      }),
      { seed: 3, numRuns: 300 },
    );
  });

  it('bounds a column of more than 65,536 distinct values from their lengths', () => {
    const t = encodeRows(['id', 'q'], Array.from({ length: 70_000 }, (_, r) => [`"€${r}`, 'a']));
    expect(csvBytesAtMost(t, ';')).toBeGreaterThanOrEqual(recordBytes(t));
  });
});

// The worker starts only from compiled JavaScript: the reliability tests' private build, in a plain Node process.
describe('formatting on a worker thread (compiled build)', () => {
  let io: string;
  beforeAll(async () => {
    io = join(dirname(dirname(await buildCli())), 'io');
  }, 180_000);

  it('formats on the worker byte for byte as csvChunks, declines a request it cannot format, and leaves nothing running', () => {
    const script = `
      const io = process.argv[1];
      const { csvChunks } = await import(io + '/csv-writer.js');
      const { startWorkerTask } = await import(io + '/worker-task.js');
      const { formatCsvAside } = await import(io + '/csv-formatting.js');
      const { encodeRows } = await import(io + '/../table/encoded-table.js');
      const rows = Array.from({ length: 30000 }, (_, r) => ['v' + (r % 7), r % 11 === 0 ? 'say "hi"' : 'w' + (r % 3), String(r)]);
      const table = encodeRows(['a', 'b;c', 'n'], rows);
      const text = (chunks) => Buffer.concat([...chunks]).toString('utf8');
      const worker = new URL('csv-format-worker.js', 'file://' + io + '/');
      const onWorker = await startWorkerTask(worker, { table, delimiter: ';' }).answer;
      const broken = await startWorkerTask(worker, { table: null, delimiter: ';' }).answer;
      const aside = text(await formatCsvAside(table, ';', 0).chunks());
      console.log(JSON.stringify({ onWorker: onWorker === 'declined' ? 'declined' : text(onWorker), broken, aside, expected: text(csvChunks(table, ';')) }));
    `;
    const run = spawnSync(process.execPath, ['--input-type=module', '-e', script, io], { encoding: 'utf8', timeout: 60_000, maxBuffer: 64 * 1024 * 1024 });
    // The process ends by itself: no worker keeps it alive, stopped or not.
    expect(run.status, run.stderr).toBe(0);
    const { onWorker, broken, aside, expected } = JSON.parse(run.stdout);
    expect(expected.split('\n')).toHaveLength(30002);
    expect(onWorker).toBe(expected);
    expect(broken).toBe('declined');
    expect(aside).toBe(expected);
  });
});
