// The CLI's progress bar: one redrawn line on stderr, only when stderr is a terminal (silent in pipes and logs).
// Draws the library's progress events; throttled so that redrawing never costs more than the work it reports.

import type { ProgressCallback, ProgressEvent } from '../index.js';

const LABEL: Record<ProgressEvent['phase'], string> = { read: 'rows read', search: 'nodes checked', write: 'rows written' };
const WIDTH = 30;
const MIN_INTERVAL_MS = 100;

/** A progress callback drawing on `stream` when it is a TTY, with `done()` to clear the line; undefined otherwise. */
export function progressBar(stream: NodeJS.WriteStream = process.stderr): { onProgress: ProgressCallback; done(): void } | undefined {
  if (stream.isTTY !== true) return undefined;
  let last = 0;
  let drawn = false;
  return {
    onProgress(event) {
      const now = Date.now();
      const complete = event.total !== undefined && event.done >= event.total;
      if (!complete && now - last < MIN_INTERVAL_MS) return;
      last = now;
      drawn = true;
      stream.write(`\r\x1b[2K${progressLine(event)}`);
    },
    done() {
      if (drawn) stream.write('\r\x1b[2K');
    },
  };
}

/**
 * One event as a line: a bar where the total is known and small enough to fill (reading, writing, small lattices),
 * and for the search the best score so far with its gap to the proven lower bound, and the time spent.
 */
export function progressLine(event: ProgressEvent): string {
  // An engine's query: what just finished, and how many have run (their total is not known ahead).
  if (event.query !== undefined) return `${event.phase}: ${event.query} (${event.done} ${event.done === 1 ? 'query' : 'queries'})`;
  const share = event.total === undefined || event.total === 0 ? undefined : Math.min(1, event.done / event.total);
  const bar = share === undefined || event.phase === 'search' ? '' : `[${'#'.repeat(Math.round(share * WIDTH)).padEnd(WIDTH, '.')}] `;
  const count = event.total === undefined || event.phase === 'search' ? `${event.done}` : `${event.done}/${event.total}`;
  const parts = [`${event.phase}: ${bar}${count} ${LABEL[event.phase]}`];
  if (event.score !== undefined) parts.push(`best ${event.score.toPrecision(6)}`);
  if (event.gap !== undefined) parts.push(`gap ${(100 * event.gap).toFixed(1)}%`);
  if (event.elapsedMs !== undefined) parts.push(`${(event.elapsedMs / 1000).toFixed(1)} s`);
  return parts.join(' · ');
}
