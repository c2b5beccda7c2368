// Holds back generalized rows until the release is decided: batches in memory up to a bound, then in a private
// temporary file (mode 0600, removed afterwards and on signals), replayed in their original order.

import { closeSync, createReadStream, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { createScratchFile, removeTemporaryFile } from '../io/atomic-file.js';
import type { RowBatch } from './sources.js';

/** Where and how much to hold back. */
export interface SpoolOptions {
  /** Memory held before the rows go to a temporary file; default 64 MiB. */
  readonly memoryMb?: number;
  /** Folder of the temporary file; default the operating system's. */
  readonly directory?: string;
}

/** A held-back batch: its rows (already generalized) and the class of each. */
export interface SpooledBatch {
  readonly batch: RowBatch;
  readonly classes: Int32Array;
}

const DEFAULT_MEMORY_MB = 64;
/** A string costs about two bytes a character plus its header; an array its slots. */
const BYTES_PER_FIELD = 24;
const BYTES_PER_ROW = 48;

export class RowSpool {
  private readonly memoryBytes: number;
  private readonly directory: string;
  private held: SpooledBatch[] = [];
  private heldBytes = 0;
  /** The first batch's header and delimiter: the same for every batch of a source. */
  private first: RowBatch | undefined;
  private file: { path: string; fd: number } | undefined;

  constructor(options: SpoolOptions = {}) {
    this.memoryBytes = (options.memoryMb ?? DEFAULT_MEMORY_MB) * 2 ** 20;
    this.directory = options.directory ?? tmpdir();
  }

  /** Whether rows went to the temporary file (for tests and reports). */
  get spilled(): boolean {
    return this.file !== undefined;
  }

  add(batch: RowBatch, classes: Int32Array): void {
    this.first ??= batch;
    if (this.file !== undefined) return this.write({ batch, classes });
    this.held.push({ batch, classes });
    for (const row of batch.rows) {
      this.heldBytes += BYTES_PER_ROW;
      for (const field of row) this.heldBytes += BYTES_PER_FIELD + 2 * field.length;
    }
    if (this.heldBytes > this.memoryBytes) this.spill();
  }

  /** Every batch in the order added. */
  async *replay(): AsyncGenerator<SpooledBatch> {
    if (this.file === undefined) {
      yield* this.held;
      return;
    }
    const { header, delimiter } = this.first!;
    let rest = '';
    // A JSON line holds no raw line break (JSON escapes them), so '\n' separates batches.
    for await (const chunk of createReadStream(this.file.path, { encoding: 'utf8', highWaterMark: 2 ** 20 })) {
      const text = rest + (chunk as string);
      let start = 0;
      for (let end = text.indexOf('\n'); end !== -1; end = text.indexOf('\n', start)) {
        const [classes, lines, rows] = JSON.parse(text.slice(start, end)) as [number[], number[], string[][]];
        yield { batch: { header, rows, lines, delimiter }, classes: Int32Array.from(classes) };
        start = end + 1;
      }
      rest = text.slice(start);
    }
  }

  /** Frees the memory and removes the temporary file. */
  async dispose(): Promise<void> {
    this.held = [];
    const file = this.file;
    this.file = undefined;
    if (file === undefined) return;
    try {
      closeSync(file.fd);
    } catch {
      // Already closed: removing the file is what matters.
    }
    await removeTemporaryFile(file.path);
  }

  private spill(): void {
    this.file = createScratchFile(this.directory, 'held-rows');
    for (const spooled of this.held) this.write(spooled);
    this.held = [];
    this.heldBytes = 0;
  }

  private write({ batch, classes }: SpooledBatch): void {
    // Synchronous: a batch is a few hundred KiB, and ordering is then trivially the order of `add`.
    const bytes = Buffer.from(JSON.stringify([Array.from(classes), batch.lines, batch.rows]) + '\n');
    for (let written = 0; written < bytes.length; ) written += writeSync(this.file!.fd, bytes, written);
  }
}
