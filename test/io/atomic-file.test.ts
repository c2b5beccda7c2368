import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { openAtomicFile } from '../../src/io/atomic-file.js';

const directory = mkdtempSync(join(tmpdir(), 'cloak-atomic-'));
afterAll(() => rmSync(directory, { recursive: true, force: true }));

describe('openAtomicFile', () => {
  it('aborting with writes still pending removes the temporary file, leaves no target, and raises no uncaught error', async () => {
    const target = join(directory, 'out.csv');
    const file = await openAtomicFile(target);
    const uncaught: unknown[] = [];
    const record = (error: unknown) => uncaught.push(error);
    process.on('uncaughtException', record);
    try {
      for (let i = 0; i < 64; i++) file.stream.write(Buffer.alloc(1 << 20));
      await file.abort();
      await new Promise((resolve) => setTimeout(resolve, 50));
    } finally {
      process.off('uncaughtException', record);
    }
    expect(uncaught).toEqual([]);
    expect(existsSync(target)).toBe(false);
    expect(readdirSync(directory)).toEqual([]);
  });
});
