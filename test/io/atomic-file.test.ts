import { chmodSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { anonymizeCsv } from '../../src/api.js';
import { openAtomicFile, writeFileAtomic } from '../../src/io/atomic-file.js';

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

describe('permissions of the files written', () => {
  const modeOf = (path: string) => statSync(path).mode & 0o777;

  it('a new file is owner-only (0600), whatever the umask lets through', async () => {
    const target = join(directory, 'new.csv');
    await writeFileAtomic(target, 'a\n');
    expect(modeOf(target)).toBe(0o600);
  });

  it.for(['644', '640', '604'])('a replaced file keeps its mode %s', async (octal) => {
    const mode = parseInt(octal, 8);
    const target = join(directory, `replaced-${octal}.csv`);
    writeFileSync(target, 'earlier\n');
    chmodSync(target, mode);
    const file = await openAtomicFile(target);
    // Owner-only while partial: a reader of the folder never sees half an output.
    expect(modeOf(file.temporaryPath)).toBe(0o600);
    file.stream.write('later\n');
    await file.commit();
    expect(readFileSync(target, 'utf8')).toBe('later\n');
    expect(modeOf(target)).toBe(mode);
  });

  it('output, JSON report and HTML report of anonymizeCsv keep the modes of the files they replace', async () => {
    const input = join(directory, 'people.csv');
    writeFileSync(input, 'age,disease\n31,flu\n35,cold\n42,flu\n47,cold\n');
    const [output, report, html] = ['people-out.csv', 'people-report.json', 'people-report.html'].map((name) => join(directory, name));
    writeFileSync(output, 'earlier\n');
    chmodSync(output, 0o644);
    writeFileSync(html, 'earlier\n');
    chmodSync(html, 0o640);
    await anonymizeCsv({
      input,
      output,
      reportPath: report,
      htmlReportPath: html,
      options: { attributes: { age: { role: 'quasi-identifying', hierarchy: [['31', '*'], ['35', '*'], ['42', '*'], ['47', '*']] } }, models: [{ type: 'k-anonymity', k: 2 }] },
    });
    expect([modeOf(output), modeOf(report), modeOf(html)]).toEqual([0o644, 0o600, 0o640]);
  });
});
