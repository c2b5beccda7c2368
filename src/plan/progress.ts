// The progress events the library reports while it reads, searches and writes (the CLI draws a bar from them).
// Reporting is best effort: events may be coarse, and a callback that throws fails the run.

/** One progress update: rows read, lattice nodes checked, or rows written so far (`total` when known). */
export interface ProgressEvent {
  readonly phase: 'read' | 'search' | 'write';
  readonly done: number;
  readonly total?: number;
  /** Search events: the best score found so far (absent while there is none). */
  readonly score?: number;
  /** Search events: a proven lower bound on the optimal score. */
  readonly lowerBound?: number;
  /** Search events: (score − lowerBound) / score, the most the best score can be above the optimum's (0: optimal). */
  readonly gap?: number;
  /** Search events: milliseconds since the search started. */
  readonly elapsedMs?: number;
}

/** Receives progress updates; called synchronously, so it should return quickly. */
export type ProgressCallback = (event: ProgressEvent) => void;
