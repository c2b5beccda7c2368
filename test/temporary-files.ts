// Temporary files for tests: one directory per test file, written under numbered names, removed after its tests.
// For the tests that write many small inputs (readers, scanners).

import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll } from 'vitest';

/** A fresh directory, and `file`, which writes `content` to a new file `<stem><n>.csv` in it and returns its path. */
export function temporaryFiles(prefix: string, stem = 'f'): { directory: string; file: (content: string | Buffer) => string } {
  const directory = mkdtempSync(join(tmpdir(), prefix));
  afterAll(() => rmSync(directory, { recursive: true, force: true }));
  let counter = 0;
  const file = (content: string | Buffer): string => {
    const path = join(directory, `${stem}${counter++}.csv`);
    writeFileSync(path, content);
    return path;
  };
  return { directory, file };
}
