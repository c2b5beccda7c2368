// Builds anchors — a node's classes at min(levels, 1), regrouped from the whole tuple histogram — on a worker thread
// ahead of the search, in the order the search hints at; the grouper takes a prefetched anchor instead of building it.

import { existsSync } from 'node:fs';
import { MessageChannel, receiveMessageOnPort, Worker, type MessagePort } from 'node:worker_threads';
import type { EquivalenceClasses, SensitiveHistograms } from './equivalence-classes.js';
import { PackedClasses, type KeyPacking } from './regroup.js';

/** Beyond this many attributes the per-pattern state would not be small: no prefetching. */
const MAX_WIDTH = 20;

/** Per pattern, in the shared state: who builds the anchor. */
export const IDLE = 0;
export const WORKER_BUILDING = 1;
const MAIN_BUILDS = 2;
export const WORKER_BUILT = 3;

/**
 * The shared state: one slot per pattern, then these (counted from the end). The worker builds while fewer than
 * MAX_UNRECEIVED anchors wait in the port, from the hint at CURSOR on (where the search has got), until STOP.
 */
export const UNRECEIVED = 4;
export const CURSOR = 3;
export const GENERATION = 2;
export const STOP = 1;
export const MAX_UNRECEIVED = 4;

/** Received anchors kept for the search beyond this many bytes are dropped, oldest first (it builds them itself). */
const KEPT_BYTES = 64 * 1024 * 1024;

/** How long a take waits for an anchor the worker is building before giving up on the worker for good. */
const WORKER_TIMEOUT_MS = 10_000;

/** What the worker is given: the histogram's tuples (with their coarse keys) and each attribute's level-0 → 1 map. */
export interface AnchorWorkerSetup {
  readonly tuples: EquivalenceClasses;
  /** levelOneMaps[j]: attribute j's map from level 0 to 1, or null where its hierarchy has level 0 only. */
  readonly levelOneMaps: readonly (Int32Array | null)[];
  readonly domainSizes: readonly number[];
  readonly state: Int32Array;
  readonly port: MessagePort;
}

/** One anchor built by the worker, its arrays transferred. */
export interface BuiltAnchor {
  readonly pattern: number;
  readonly count: number;
  readonly sizes: Int32Array;
  readonly packedKeys: Float64Array;
  readonly sensitive: SensitiveHistograms[];
}

/** An anchor's pattern: bit j set where attribute j is at level 1 (or above, for the anchor of any node). */
export function anchorPattern(levels: Int32Array): number {
  let pattern = 0;
  for (let j = 0; j < levels.length; j++) if (levels[j] > 0) pattern |= 1 << j;
  return pattern;
}

/** The anchor's levels from its pattern. */
export function anchorLevels(pattern: number, width: number): Int32Array {
  const levels = new Int32Array(width);
  for (let j = 0; j < width; j++) levels[j] = (pattern >>> j) & 1;
  return levels;
}

export class AnchorPrefetcher {
  /** Anchors received from the worker and not taken yet, oldest first. */
  private readonly received = new Map<number, BuiltAnchor>();
  private receivedBytes = 0;
  /** Where each pattern stands in the latest hints. */
  private hintIndex = new Map<number, number>();
  private stopped = false;

  private constructor(
    private readonly worker: Worker,
    private readonly port: MessagePort,
    private readonly state: Int32Array,
    private readonly width: number,
    private readonly packing: KeyPacking,
  ) {}

  /**
   * Starts the worker, or returns undefined where it cannot run: too many attributes, keys that do not pack exactly,
   * no compiled worker next to this module (TypeScript sources under a test runner).
   */
  static start(tuples: EquivalenceClasses, levelOneMaps: readonly (Int32Array | null)[], domainSizes: readonly number[], packing: KeyPacking): AnchorPrefetcher | undefined {
    const width = tuples.width;
    if (width > MAX_WIDTH || !packing.exact) return undefined;
    const file = new URL('./anchor-worker.js', import.meta.url);
    if (!existsSync(file)) return undefined;
    const state = new Int32Array(new SharedArrayBuffer(((1 << width) + UNRECEIVED) * 4));
    const { port1, port2 } = new MessageChannel();
    const { count, levels, keys, sizes, packedKeys, sensitive, coarse } = tuples; // plain data: no getters, no class
    const setup: AnchorWorkerSetup = { tuples: { count, width, levels, keys, sizes, packedKeys, sensitive, coarse }, levelOneMaps, domainSizes, state, port: port2 };
    let worker: Worker;
    try {
      // No inherited Node options: some refuse a worker (`--input-type`), and the worker needs none.
      worker = new Worker(file, { workerData: setup, transferList: [port2], execArgv: [] });
    } catch {
      port1.close();
      return undefined;
    }
    worker.unref(); // never what keeps a process alive
    const prefetcher = new AnchorPrefetcher(worker, port1, state, width, packing);
    // A worker that fails (it should not) leaves every anchor to the caller.
    worker.on('error', () => prefetcher.stop());
    worker.on('exit', () => prefetcher.stop());
    return prefetcher;
  }

  /** The anchors (patterns) likely to be needed soon, most likely first; replaces earlier hints. */
  hint(patterns: Int32Array): void {
    if (this.stopped) return;
    this.receive(-1);
    this.hintIndex = new Map(Array.from(patterns, (pattern, index) => [pattern, index]));
    this.store(CURSOR, 0);
    this.port.postMessage(patterns);
    Atomics.add(this.state, this.state.length - GENERATION, 1);
    Atomics.notify(this.state, this.state.length - GENERATION);
  }

  /**
   * The anchor with these levels (each 0 or 1) if the worker built it, or is building it (then waits for it);
   * otherwise undefined, and the worker will not build it: the caller does.
   */
  take(levels: Int32Array): EquivalenceClasses | undefined {
    if (this.stopped) return undefined;
    const pattern = anchorPattern(levels);
    this.receive(pattern);
    const previous = Atomics.compareExchange(this.state, pattern, IDLE, MAIN_BUILDS);
    if (previous === IDLE || previous === MAIN_BUILDS) {
      // The search has got this far in the hints: the worker skips ahead rather than build what would come too late.
      const index = this.hintIndex.get(pattern);
      if (index !== undefined && index + 1 > this.load(CURSOR)) this.store(CURSOR, index + 1);
      return undefined;
    }
    const deadline = Date.now() + WORKER_TIMEOUT_MS;
    while (Atomics.load(this.state, pattern) === WORKER_BUILDING) {
      const left = deadline - Date.now();
      if (left <= 0) {
        this.stop();
        return undefined;
      }
      Atomics.wait(this.state, pattern, WORKER_BUILDING, left);
    }
    // Posted before its state said built: it is in the port by now. Absent when the worker gave it up, or when it was
    // handed out before (asked for again after an eviction): the caller builds it.
    this.receive(pattern);
    const anchor = this.received.get(pattern);
    if (anchor === undefined) return undefined;
    this.received.delete(pattern);
    this.receivedBytes -= anchorBytes(anchor);
    return new PackedClasses(anchor.count, this.width, anchorLevels(pattern, this.width), anchor.sizes, anchor.packedKeys, anchor.sensitive, this.packing);
  }

  stop(): void {
    if (this.stopped) return;
    this.stopped = true;
    this.store(STOP, 1);
    Atomics.add(this.state, this.state.length - GENERATION, 1);
    Atomics.notify(this.state, this.state.length - GENERATION);
    Atomics.notify(this.state, this.state.length - UNRECEIVED);
    this.port.close();
    this.received.clear();
    void this.worker.terminate();
  }

  /**
   * Moves what the worker posted into `received`, within KEPT_BYTES (dropping the oldest, never `wanted`), and lets
   * the worker post more.
   */
  private receive(wanted: number): void {
    for (let message = receiveMessageOnPort(this.port); message !== undefined; message = receiveMessageOnPort(this.port)) {
      const anchor = message.message as BuiltAnchor;
      this.received.set(anchor.pattern, anchor);
      this.receivedBytes += anchorBytes(anchor);
      Atomics.sub(this.state, this.state.length - UNRECEIVED, 1);
    }
    Atomics.notify(this.state, this.state.length - UNRECEIVED);
    for (const [pattern, anchor] of this.received) {
      if (this.receivedBytes <= KEPT_BYTES) break;
      if (pattern === wanted) continue;
      this.received.delete(pattern);
      this.receivedBytes -= anchorBytes(anchor);
    }
  }

  private load(slotFromEnd: number): number {
    return Atomics.load(this.state, this.state.length - slotFromEnd);
  }

  private store(slotFromEnd: number, value: number): void {
    Atomics.store(this.state, this.state.length - slotFromEnd, value);
  }
}

function anchorBytes(anchor: BuiltAnchor): number {
  let bytes = anchor.sizes.byteLength + anchor.packedKeys.byteLength;
  for (const histograms of anchor.sensitive) bytes += histograms.offsets.byteLength + histograms.codes.byteLength + histograms.counts.byteLength;
  return bytes;
}
