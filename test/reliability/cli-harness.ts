// Test harness for the reliability suite: one private build of the CLI per vitest run, and helpers to run it.
// The build goes to test-artifacts/ (git-ignored) so that other sessions rebuilding dist/ cannot race these tests.

import { spawn, spawnSync, type ChildProcess, type SpawnSyncReturns } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const REPO = fileURLToPath(new URL('../..', import.meta.url));
const BUILDS = join(REPO, 'test-artifacts', 'reliability');
const BUILD_WAIT_MS = 180_000;

function processIsAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/**
 * Compiles src/ with `tsc -p tsconfig.json` into a build directory shared by every test file of this
 * vitest run (its workers share the parent pid); the first file builds, the others wait for the marker.
 * Returns the path of cli/main.js.
 */
export async function buildCli(): Promise<string> {
  const runKey = process.ppid;
  const directory = join(BUILDS, `cli-${runKey}`);
  const main = join(directory, 'cli', 'main.js');
  const done = join(directory, '.built');
  mkdirSync(BUILDS, { recursive: true });
  let builder = false;
  try {
    mkdirSync(directory);
    builder = true;
  } catch {
    // Another test file of this run is building (or has built) it.
  }
  if (builder) {
    for (const entry of readdirSync(BUILDS)) {
      const pid = Number(entry.replace('cli-', ''));
      if (Number.isInteger(pid) && pid !== runKey && !processIsAlive(pid)) rmSync(join(BUILDS, entry), { recursive: true, force: true });
    }
    // Type errors in work in progress elsewhere still emit JavaScript; only a missing entry point is fatal.
    const result = spawnSync('npx', ['tsc', '-p', 'tsconfig.json', '--outDir', directory], { cwd: REPO, encoding: 'utf8' });
    if (!existsSync(main)) throw new Error(`tsc produced no ${main}:\n${result.stdout}\n${result.stderr}`);
    if (result.status !== 0) console.warn(`tsc reported problems (the build is used anyway):\n${result.stdout.slice(0, 2000)}`);
    writeFileSync(done, '');
    return main;
  }
  const deadline = Date.now() + BUILD_WAIT_MS;
  while (!existsSync(done)) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for the CLI build in ${directory}`);
    await new Promise((ok) => setTimeout(ok, 200));
  }
  return main;
}

export interface CliRun {
  readonly status: number | null;
  readonly signal: NodeJS.Signals | null;
  readonly stdout: string;
  readonly stderr: string;
}

/** Runs `node <cli> …argv` to completion. */
export function runCli(cli: string, argv: readonly string[], options: { cwd: string; timeoutMs?: number; env?: NodeJS.ProcessEnv }): CliRun {
  const result: SpawnSyncReturns<string> = spawnSync(process.execPath, [cli, ...argv], {
    cwd: options.cwd,
    encoding: 'utf8',
    timeout: options.timeoutMs ?? 120_000,
    maxBuffer: 64 * 1024 * 1024,
    env: { ...process.env, CLOAK_DEBUG: '', ...options.env },
  });
  if (result.error !== undefined) throw result.error;
  return { status: result.status, signal: result.signal, stdout: result.stdout, stderr: result.stderr };
}

/** Runs the CLI to completion without blocking the worker, so that independent cases can overlap. */
export interface RunCliOptions {
  readonly cwd: string;
  readonly timeoutMs?: number;
  /**
   * Run without root's power to write where permissions forbid it (CAP_DAC_OVERRIDE), through util-linux's setpriv:
   * CI runs as root, and a test of an unwritable directory must not pass or skip merely because root writes anywhere.
   */
  readonly withoutWriteOverride?: boolean;
}

export function runCliAsync(cli: string, argv: readonly string[], options: RunCliOptions): Promise<CliRun> {
  return new Promise((ok, fail) => {
    const child = startCli(cli, argv, options.cwd, 'ignore', options.withoutWriteOverride === true && process.getuid?.() === 0);
    let stdout = '';
    let stderr = '';
    child.stdout!.setEncoding('utf8').on('data', (text: string) => (stdout += text));
    child.stderr!.setEncoding('utf8').on('data', (text: string) => (stderr += text));
    const timer = setTimeout(() => child.kill('SIGKILL'), options.timeoutMs ?? 120_000);
    child.on('error', fail);
    child.on('close', (status, signal) => {
      clearTimeout(timer);
      ok({ status, signal, stdout, stderr });
    });
  });
}

/** Starts the CLI without waiting, for tests that signal it mid-run. */
export function startCli(cli: string, argv: readonly string[], cwd: string, stdin: 'ignore' | 'pipe' = 'ignore', dropWriteOverride = false): ChildProcess {
  const command = [process.execPath, cli, ...argv];
  // Dropped from the bounding set, the capability is gone for the process setpriv executes.
  if (dropWriteOverride) command.unshift('setpriv', '--bounding-set', '-dac_override,-fowner', '--');
  const [program, ...args] = command;
  return spawn(program, args, { cwd, stdio: [stdin, 'pipe', 'pipe'], env: { ...process.env, CLOAK_DEBUG: '' } });
}

export function makeTempDir(prefix: string): string {
  return mkdtempSync(join(tmpdir(), `cloak-${prefix}-`));
}

/** Every file under `root`, relative, with size and modification time (enough to see anything created or touched). */
export function listFiles(root: string): Map<string, string> {
  const files = new Map<string, string>();
  const walk = (relative: string) => {
    for (const entry of readdirSync(join(root, relative), { withFileTypes: true })) {
      const path = relative === '' ? entry.name : `${relative}/${entry.name}`;
      if (entry.isDirectory()) walk(path);
      else {
        const info = statSync(join(root, path));
        files.set(path, `${info.size}:${info.mtimeMs}`);
      }
    }
  };
  walk('');
  return files;
}

/** Temporary files the atomic writer names `.<target>.cloak-<pid>-<random>.tmp`. */
export function temporaryFiles(root: string): string[] {
  return [...listFiles(root).keys()].filter((path) => /(^|\/)\.[^/]*\.cloak-[^/]*\.tmp$/.test(path));
}
