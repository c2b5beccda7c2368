// Reads the text of an ARX-layout CSV (hierarchy or group mapping) into rows of at least two fields.
// A thin adapter over load.ts, which owns the one hierarchy-file parser and its error codes.

import { parseHierarchyText } from '../load.js';

export { HierarchyFileErrorCode } from '../load.js';

/** Rows of `text`, delimiter detected as in hierarchy files; `fileName` names the file in errors. */
export function readHierarchyRows(text: string, fileName: string): string[][] {
  return parseHierarchyText(text, fileName, { minColumns: 2 }).rows;
}
