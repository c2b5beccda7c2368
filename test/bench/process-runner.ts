// Runs one whole `cloak` process and measures it: wall time from spawn to exit and the child's peak RSS,
// through `/usr/bin/time -f %M` when present, else through this harness's own launcher (launcher.ts).

import { spawn } from 'node:child_process';
import { accessSync, constants } from 'node:fs';
import { readFile, rm } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export type RssMethod = 'time' | 'launcher';

export interface ProcessRun {
  readonly wallMs: number;
  /** Peak resident set size of the child in KiB (NaN when it could not be read). */
  readonly maxRssKiB: number;
  /** The child's user + system CPU time in ms (NaN when it could not be read). */
  readonly cpuMs: number;
}

const TIME = '/usr/bin/time';
const LAUNCHER = join(dirname(fileURLToPath(import.meta.url)), 'launcher.js');

/** `time` when /usr/bin/time is executable, else the launcher; `forced` overrides. */
export function chooseRssMethod(forced?: RssMethod): RssMethod {
  if (forced !== undefined) return forced;
  try {
    accessSync(TIME, constants.X_OK);
    return 'time';
  } catch {
    return 'launcher';
  }
}

export function describeRssMethod(method: RssMethod): string {
  return method === 'time' ? `${TIME} -f '%M %U %S'` : 'launcher (process.resourceUsage().maxRSS at exit)';
}

/** Spawns `node <cli> ...args`; rejects with the child's stderr when it exits non-zero. */
export async function runCliProcess(cli: string, args: readonly string[], method: RssMethod, scratchDir: string): Promise<ProcessRun> {
  const rssFile = join(scratchDir, `rss-${process.pid}-${Date.now()}.txt`);
  const [command, argv] =
    method === 'time'
      ? [TIME, ['-f', '%M %U %S', '-o', rssFile, process.execPath, cli, ...args]]
      : [process.execPath, [LAUNCHER, rssFile, cli, ...args]];
  const started = performance.now();
  const { code, stderr } = await new Promise<{ code: number | null; stderr: string }>((resolveRun, reject) => {
    const child = spawn(command, argv, { stdio: ['ignore', 'ignore', 'pipe'] });
    let stderrText = '';
    child.stderr.setEncoding('utf8');
    child.stderr.on('data', (chunk: string) => {
      if (stderrText.length < 20_000) stderrText += chunk;
    });
    child.on('error', reject);
    child.on('close', (exitCode) => resolveRun({ code: exitCode, stderr: stderrText }));
  });
  const wallMs = performance.now() - started;
  if (code !== 0) {
    await rm(rssFile, { force: true });
    throw new Error(`cloak exited with ${code}: ${stderr.trim() || '(no message)'}`);
  }
  let maxRssKiB = NaN;
  let cpuMs = NaN;
  try {
    // "<maxRSS KiB> <user s> <system s>"; /usr/bin/time may prefix lines (e.g. "Command exited with…"), so the last line.
    const lines = (await readFile(rssFile, 'utf8')).trim().split('\n');
    const [rss, user, system] = lines[lines.length - 1].trim().split(/\s+/).map(Number);
    maxRssKiB = rss;
    cpuMs = (user + system) * 1000;
  } catch {
    // no figure: reported as NaN
  }
  await rm(rssFile, { force: true });
  return { wallMs, maxRssKiB, cpuMs };
}
