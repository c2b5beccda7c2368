// Worker-thread entry of the anchor prefetcher (anchor-prefetch.ts): builds hinted anchors from the tuple histogram
// with the same regrouping code the grouper runs, and posts each one, its arrays transferred.

import { receiveMessageOnPort, workerData } from 'node:worker_threads';
import { anchorLevels, CURSOR, GENERATION, IDLE, MAX_UNRECEIVED, STOP, UNRECEIVED, WORKER_BUILDING, WORKER_BUILT, type AnchorWorkerSetup, type BuiltAnchor } from './anchor-prefetch.js';
import { keyPacking, regroup, RegroupWorkspace } from './regroup.js';

const { tuples, levelOneMaps, domainSizes, state, port } = workerData as AnchorWorkerSetup;
const packing = keyPacking(domainSizes);
const workspace = new RegroupWorkspace();
const [unreceived, cursor, generation, stop] = [UNRECEIVED, CURSOR, GENERATION, STOP].map((fromEnd) => state.length - fromEnd);
let hints: Int32Array = new Int32Array(0);
let next = 0;

for (;;) {
  const seen = Atomics.load(state, generation);
  for (let message = receiveMessageOnPort(port); message !== undefined; message = receiveMessageOnPort(port)) {
    hints = message.message as Int32Array;
    next = 0;
  }
  if (Atomics.load(state, stop) === 1) break;
  // Not too far ahead of what the main thread has received: the anchors are megabytes each.
  const waiting = Atomics.load(state, unreceived);
  if (waiting >= MAX_UNRECEIVED) {
    Atomics.wait(state, unreceived, waiting);
    continue;
  }
  // The next hinted anchor nobody has claimed, from where the search has got; claiming it keeps the main thread from
  // building it too.
  next = Math.max(next, Atomics.load(state, cursor));
  while (next < hints.length && Atomics.compareExchange(state, hints[next], IDLE, WORKER_BUILDING) !== IDLE) next++;
  if (next === hints.length) {
    Atomics.wait(state, generation, seen); // until new hints or the stop
    continue;
  }
  const pattern = hints[next++];
  try {
    build(pattern);
  } catch {
    // It should not happen (the same code runs on the main thread); if it does, the search must not wait for this
    // pattern, nor for any other: it builds them all itself.
    Atomics.store(state, stop, 1);
    Atomics.store(state, pattern, IDLE);
    Atomics.notify(state, pattern);
    break;
  }
}
port.close();

function build(pattern: number): void {
  const levels = anchorLevels(pattern, tuples.width);
  const maps = levelOneMaps.map((map, j) => (levels[j] === 0 ? null : map));
  const { classes } = regroup(tuples, maps, levels, packing, workspace);
  const anchor: BuiltAnchor = { pattern, count: classes.count, sizes: classes.sizes, packedKeys: classes.packedKeys!, sensitive: [...classes.sensitive] };
  const transfer = [anchor.sizes.buffer, anchor.packedKeys.buffer];
  for (const histograms of anchor.sensitive) transfer.push(histograms.offsets.buffer, histograms.codes.buffer, histograms.counts.buffer);
  port.postMessage(anchor, transfer as ArrayBuffer[]);
  Atomics.add(state, unreceived, 1);
  Atomics.store(state, pattern, WORKER_BUILT);
  Atomics.notify(state, pattern);
}
