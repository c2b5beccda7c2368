// Atomic output: an owner-only temporary file beside the target, renamed over it with the mode of the file it replaces
// (0600 for a new one). Tracks live temporary files so that a failure or a signal never leaves one behind.

import { createWriteStream, openSync, rmSync, type WriteStream } from 'node:fs';
import { access, chmod, constants, rename, rm, stat } from 'node:fs/promises';
import { basename, dirname, join, resolve } from 'node:path';
import { randomBytes } from 'node:crypto';
import { inputError, usageError } from '../errors.js';

const liveTemporaryFiles = new Set<string>();

/** Permissions of a file that replaces none: the output may hold personal data, so only its owner reads it. */
const NEW_FILE_MODE = 0o600;

/** Removes every temporary file still open (for signal handlers); synchronous on purpose. */
export function removeTemporaryFiles(): void {
  for (const path of liveTemporaryFiles) {
    try {
      rmSync(path, { force: true, recursive: true });
    } catch {
      // Nothing more can be done while the process is going down.
    }
  }
  liveTemporaryFiles.clear();
}

export interface AtomicFile {
  readonly temporaryPath: string;
  readonly stream: WriteStream;
  /**
   * Flushes, closes and renames the temporary file over the target, giving it the permission bits of the file it
   * replaces (so a shared folder's 0644 export stays readable), or {@link NEW_FILE_MODE} when there is none.
   */
  commit(): Promise<void>;
  /** Closes and removes the temporary file; the target is untouched. */
  abort(): Promise<void>;
}

/** Fails early (before any work) when the output directory is missing or not writable. */
export async function checkWritableTarget(target: string, option: string): Promise<void> {
  const directory = dirname(resolve(target));
  try {
    const info = await stat(directory);
    if (!info.isDirectory()) throw new Error('not a directory');
    await access(directory, constants.W_OK);
  } catch (cause) {
    throw usageError('OUTPUT_NOT_WRITABLE', `cannot write ${option} ${target}: its directory does not exist or is not writable`, {
      location: { file: target },
      cause,
    });
  }
  try {
    if ((await stat(target)).isDirectory()) throw usageError('OUTPUT_IS_DIRECTORY', `${option} ${target} is a directory`, { location: { file: target } });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
  }
}

/**
 * Creates a private scratch file (mode 0600) in `directory`, removed by `removeTemporaryFiles` on a signal; the caller
 * removes it with `removeTemporaryFile` when done. For data held back before a release, never for output.
 */
export function createScratchFile(directory: string, purpose: string): { path: string; fd: number } {
  const path = join(resolve(directory), `.cloak-${purpose}-${process.pid}-${randomBytes(4).toString('hex')}.tmp`);
  let fd: number;
  try {
    fd = openSync(path, 'wx+', 0o600);
  } catch (cause) {
    throw inputError('SCRATCH_FILE_FAILED', `cannot create a temporary file in ${directory}`, { location: { file: directory }, cause });
  }
  liveTemporaryFiles.add(path);
  return { path, fd };
}

/** Removes a file made by `createScratchFile`. */
export async function removeTemporaryFile(path: string): Promise<void> {
  await rm(path, { force: true });
  liveTemporaryFiles.delete(path);
}

export async function openAtomicFile(target: string): Promise<AtomicFile> {
  const temporaryPath = join(dirname(resolve(target)), `.${basename(target)}.cloak-${process.pid}-${randomBytes(4).toString('hex')}.tmp`);
  // Created and registered in one synchronous step: with an asynchronous open, a signal handler could run
  // while the open is in flight, find nothing to remove, and exit just before the file appears.
  let fd: number;
  try {
    fd = openSync(temporaryPath, 'wx', 0o600); // owner-only while partial, whatever the final mode
  } catch (cause) {
    throw inputError('OUTPUT_WRITE_FAILED', `cannot create a temporary file beside ${target}`, { location: { file: target }, cause });
  }
  liveTemporaryFiles.add(temporaryPath);
  const stream = createWriteStream(temporaryPath, { fd });
  const closed = (): Promise<void> =>
    new Promise((ok, fail) => {
      if (stream.closed) return ok();
      stream.end((error?: Error | null) => (error ? fail(error) : ok()));
    });
  return {
    temporaryPath,
    stream,
    async commit() {
      try {
        await closed();
        await chmod(temporaryPath, await modeToKeep(target));
        await rename(temporaryPath, target);
      } catch (cause) {
        await rm(temporaryPath, { force: true });
        throw inputError('OUTPUT_WRITE_FAILED', `writing ${target} failed`, { location: { file: target }, cause });
      } finally {
        liveTemporaryFiles.delete(temporaryPath);
      }
    },
    async abort() {
      // The output is being thrown away: a write still pending fails with ERR_STREAM_DESTROYED, which must not
      // surface as an uncaught error event.
      stream.on('error', () => {});
      stream.destroy();
      await rm(temporaryPath, { force: true });
      liveTemporaryFiles.delete(temporaryPath);
    },
  };
}

/** A temporary path beside a target that another writer (an SQL engine) fills; renamed over the target on commit. */
export interface TemporaryPath {
  readonly path: string;
  commit(): Promise<void>;
  abort(): Promise<void>;
}

/**
 * Reserves a temporary name beside `target` for a file another program writes (DuckDB's COPY), removed by
 * `removeTemporaryFiles` on a signal and by `abort`; `commit` renames it over the target.
 */
export function reserveTemporaryPath(target: string): TemporaryPath {
  const path = join(dirname(resolve(target)), `.${basename(target)}.cloak-${process.pid}-${randomBytes(4).toString('hex')}.tmp`);
  liveTemporaryFiles.add(path);
  return {
    path,
    async commit() {
      try {
        await chmod(path, await modeToKeep(target));
        await rename(path, target);
      } catch (cause) {
        await rm(path, { force: true, recursive: true });
        throw inputError('OUTPUT_WRITE_FAILED', `writing ${target} failed`, { location: { file: target }, cause });
      } finally {
        liveTemporaryFiles.delete(path);
      }
    },
    async abort() {
      await rm(path, { force: true, recursive: true });
      liveTemporaryFiles.delete(path);
    },
  };
}

/** Registers a temporary folder (an engine's spill folder) for removal on a signal; `release` unregisters it. */
export function registerTemporaryFolder(path: string): { release(): void } {
  liveTemporaryFiles.add(path);
  return { release: () => liveTemporaryFiles.delete(path) };
}

/** The permission bits (no set-id or sticky bit) of the regular file at `target`, or {@link NEW_FILE_MODE}. */
async function modeToKeep(target: string): Promise<number> {
  try {
    const info = await stat(target);
    return info.isFile() ? info.mode & 0o777 : NEW_FILE_MODE;
  } catch {
    return NEW_FILE_MODE;
  }
}

/**
 * Runs `write` on stdout for `-`; otherwise on a temporary file beside `target`, renamed over it once `write`
 * resolved and removed when it throws, so that a failure leaves the target untouched.
 */
export async function writeOutput<T>(target: string, write: (stream: NodeJS.WritableStream) => Promise<T>): Promise<T> {
  if (target === '-') return write(process.stdout);
  const file = await openAtomicFile(target);
  // A write still in flight when an abort destroys the stream reports ERR_STREAM_DESTROYED as an 'error' event;
  // kept here (a real write error fails the commit below) instead of surfacing as an uncaught exception.
  let streamError: Error | undefined;
  file.stream.on('error', (error) => (streamError ??= error));
  try {
    const result = await write(file.stream);
    if (streamError !== undefined) throw inputError('OUTPUT_WRITE_FAILED', `writing ${target} failed`, { location: { file: target }, cause: streamError });
    await file.commit();
    return result;
  } catch (error) {
    await file.abort();
    throw error;
  }
}

/** Writes a whole string atomically (reports). */
export async function writeFileAtomic(target: string, content: string): Promise<void> {
  const file = await openAtomicFile(target);
  try {
    await writeChunk(file.stream, content);
    await file.commit();
  } catch (error) {
    await file.abort();
    throw error;
  }
}

/** Writes a chunk (text or bytes), waiting for the stream to drain when its buffer is full. */
export function writeChunk(stream: NodeJS.WritableStream, chunk: string | Uint8Array): Promise<void> | void {
  if (stream.write(chunk)) return;
  return new Promise((ok, fail) => {
    const onError = (error: Error) => {
      stream.off('drain', onDrain);
      fail(error);
    };
    const onDrain = () => {
      stream.off('error', onError);
      ok();
    };
    stream.once('drain', onDrain);
    stream.once('error', onError);
  });
}
