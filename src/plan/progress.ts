// The progress events the library reports while it reads, searches and writes (the CLI draws a bar from them).
// Reporting is best effort: events may be coarse, and a callback that throws fails the run.

import type { AnonymizationReport } from '../report.js';

/** One progress update: rows read, lattice nodes checked, rows written or engine queries run so far (`total` when known). */
export interface ProgressEvent {
  readonly phase: 'read' | 'search' | 'write';
  readonly done: number;
  readonly total?: number;
  /** Search events: the best score found so far (absent while there is none). */
  readonly score?: number;
  /** Search events: a proven lower bound on the optimal score. */
  readonly lowerBound?: number;
  /** Search events: (score − lowerBound) / score, the most of the best score a better transformation could still save (0: optimal). */
  readonly gap?: number;
  /** Search events: milliseconds since the search started. */
  readonly elapsedMs?: number;
  /**
   * On an SQL engine (`done` then counts queries): the query that just finished — what it did, never its SQL, which
   * holds data values — and how long it took.
   */
  readonly query?: string;
  readonly queryMs?: number;
}

/** Receives progress updates; called synchronously, so it should return quickly. */
export type ProgressCallback = (event: ProgressEvent) => void;

/** The last search event: nodes checked of the lattice (when it can be counted exactly), the score and its gap. */
export function searchDone(report: AnonymizationReport): ProgressEvent {
  const total = report.latticeSize <= Number.MAX_SAFE_INTEGER ? report.latticeSize : undefined;
  return { phase: 'search', done: report.nodesChecked, total, score: report.metric.value, lowerBound: report.lowerBound ?? undefined, gap: report.gap ?? undefined, elapsedMs: report.timingsMs.search };
}
