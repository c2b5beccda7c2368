// Where the shared Adult benchmark lives (../shared/datasets/adult beside the repository), and whether its tests run.
// Outside CI they skip, saying why, when it is absent; in CI (where it must be present) they run and fail instead.

import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';

export const ADULT_DIR = resolve(import.meta.dirname, '..', '..', 'shared', 'datasets', 'adult');
export const ADULT_CSV = join(ADULT_DIR, 'adult.csv');
export const ADULT_PRESENT = existsSync(ADULT_CSV);

/** Whether the Adult tests skip: only outside CI, and only when the data set is absent. */
export const SKIP_ADULT = !ADULT_PRESENT && process.env.CI === undefined;

/** Prints why `what` skips, once per file, when it does. */
export function noteAdultSkip(what: string): void {
  if (SKIP_ADULT) console.log(`${what} skipped: ${ADULT_CSV} does not exist (the shared Adult dataset is not beside the repository)`);
}
