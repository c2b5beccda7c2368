// The progress events the library reports while it reads, searches and writes (the CLI draws a bar from them).
// Reporting is best effort: events may be coarse, and a callback that throws fails the run.

/** One progress update: rows read, lattice nodes checked, rows written or engine queries run so far (`total` when known). */
export interface ProgressEvent {
  readonly phase: 'read' | 'search' | 'write';
  readonly done: number;
  readonly total?: number;
  /**
   * On an SQL engine (`done` then counts queries): the query that just finished — what it did, never its SQL, which
   * holds data values — and how long it took.
   */
  readonly query?: string;
  readonly queryMs?: number;
}

/** Receives progress updates; called synchronously, so it should return quickly. */
export type ProgressCallback = (event: ProgressEvent) => void;
