// In-process checks of the atomic writer's cleanup: what a signal handler removes, at any moment, is everything.
// The CLI-level signal tests are in atomic-output.test.ts; this pins the race they once hit.

import { readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { openAtomicFile, removeTemporaryFiles } from '../../src/io/atomic-file.js';
import { makeTempDir } from './cli-harness.js';

const work = makeTempDir('atomic-file');
afterAll(() => rmSync(work, { recursive: true, force: true }));

describe('atomic file cleanup', () => {
  it('removeTemporaryFiles right after openAtomicFile is called leaves no temporary file (no open in flight)', async () => {
    const target = join(work, 'out.csv');
    writeFileSync(target, 'earlier\n');
    // The signal handler's view: it may run as soon as openAtomicFile has started, before its promise settles.
    const opening = openAtomicFile(target);
    removeTemporaryFiles();
    const file = await opening;
    await new Promise((ok) => setTimeout(ok, 20));
    expect(readdirSync(work)).toEqual(['out.csv']);
    await file.abort();
    expect(readFileSync(target, 'utf8')).toBe('earlier\n');
  });

  it('commit replaces the target; abort leaves it and removes the temporary file', async () => {
    const target = join(work, 'replace.csv');
    writeFileSync(target, 'earlier\n');
    const aborted = await openAtomicFile(target);
    aborted.stream.write('partial');
    await aborted.abort();
    expect(readFileSync(target, 'utf8')).toBe('earlier\n');
    const committed = await openAtomicFile(target);
    committed.stream.write('new\n');
    await committed.commit();
    expect(readFileSync(target, 'utf8')).toBe('new\n');
    expect(readdirSync(work).filter((name) => name.endsWith('.tmp'))).toEqual([]);
  });
});
