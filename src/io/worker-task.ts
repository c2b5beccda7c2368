// One task on a worker thread started from a module file: a request in, one answer out — or 'declined' for any
// failure to start, run or answer, after which the caller does the work itself. Both ends of that protocol.

import { parentPort, Worker, workerData } from 'node:worker_threads';

/** What a task's worker posts back. */
type TaskMessage<Answer> = { readonly kind: 'answer'; readonly answer: Answer } | { readonly kind: 'declined' };

export interface WorkerTask<Answer> {
  /** Never rejects: every failure is `'declined'`. */
  readonly answer: Promise<Answer | 'declined'>;
  /** Ends the worker: call it in every case, also after the answer; it never keeps the process alive. */
  stop(): void;
}

/**
 * Starts the worker module `file` with `request` as its workerData. A file that does not exist (code running from
 * TypeScript sources, as under vitest) is a decline like any other.
 */
export function startWorkerTask<Answer>(file: URL, request: unknown): WorkerTask<Answer> {
  let worker: Worker;
  try {
    // No inherited Node options: some refuse a worker (`--input-type`, with which `node -e` runs a module), and tasks need none.
    worker = new Worker(file, { workerData: request, execArgv: [] });
  } catch {
    return { answer: Promise.resolve('declined'), stop: () => {} };
  }
  const answer = new Promise<Answer | 'declined'>((resolve) => {
    worker.once('message', (message: TaskMessage<Answer>) => resolve(message.kind === 'answer' ? message.answer : 'declined'));
    // Whatever comes first settles the answer; later events (an exit after the message) change nothing.
    worker.on('error', () => resolve('declined'));
    worker.once('messageerror', () => resolve('declined'));
    worker.once('exit', () => resolve('declined'));
  });
  return {
    answer,
    stop: () => {
      worker.unref();
      worker.terminate().catch(() => {});
    },
  };
}

/**
 * The worker's side: runs `task` on the request and posts its answer with the buffers to transfer, or a decline if
 * it throws (the caller then does the work itself, and meets and reports whatever this was).
 */
export async function answerTask<Request, Answer>(
  task: (request: Request) => Promise<{ answer: Answer; transfer: ArrayBuffer[] }> | { answer: Answer; transfer: ArrayBuffer[] },
): Promise<void> {
  const port = parentPort;
  if (port === null) throw new Error('answerTask runs in a worker thread only');
  let message: TaskMessage<Answer> = { kind: 'declined' };
  let transfer: ArrayBuffer[] = [];
  try {
    const done = await task(workerData as Request);
    message = { kind: 'answer', answer: done.answer };
    transfer = done.transfer;
  } catch {
    // Declined, below.
  }
  try {
    port.postMessage(message, transfer);
  } catch {
    port.postMessage({ kind: 'declined' } satisfies TaskMessage<Answer>);
  }
}
