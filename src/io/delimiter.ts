// Delimiter detection for data CSV text: the candidate giving a constant, quote-aware field count wins, so that a
// comma inside a quoted field or a label never fools it. (Hierarchy files are detected in hierarchy/load.ts.)

export const DELIMITER_CANDIDATES = [',', ';', '\t', '|'] as const;

const QUOTE = 0x22;
const LF = 0x0a;
const CR = 0x0d;

/**
 * Picks the delimiter whose field count is the same (and ≥ 2) on every complete record of the sample;
 * among several, the one giving the most fields, then the earlier candidate. Falls back to `,`
 * (a one-column file, or none is constant — the parser then reports the ragged line).
 *
 * Records are counted quote-aware (a quoted field may hold delimiters and line breaks); empty lines are skipped,
 * and the last record is dropped when `truncated` says the sample was cut mid-file. Quotes and line breaks do not
 * depend on the delimiter, so one pass over the sample counts the fields of every candidate at once.
 */
export function detectDelimiter(sample: string, truncated: boolean): string {
  const candidates = DELIMITER_CANDIDATES.map((candidate) => candidate.charCodeAt(0));
  const fields = candidates.map(() => 1);
  // Per candidate: the field count of the first complete record (0: none yet), and whether every record matched it.
  const first = candidates.map(() => 0);
  const constant = candidates.map(() => true);
  const endRecord = (): void => {
    for (let k = 0; k < candidates.length; k++) {
      if (first[k] === 0) first[k] = fields[k];
      else if (fields[k] !== first[k]) constant[k] = false;
      fields[k] = 1;
    }
  };
  let inQuotes = false;
  let recordHasContent = false;
  for (let i = 0; i < sample.length; i++) {
    const code = sample.charCodeAt(i);
    if (inQuotes) {
      if (code === QUOTE) {
        if (sample.charCodeAt(i + 1) === QUOTE) i++;
        else inQuotes = false;
      }
      continue;
    }
    if (code === LF || code === CR) {
      if (code === CR && sample.charCodeAt(i + 1) === LF) i++;
      if (recordHasContent) endRecord();
      recordHasContent = false;
      continue;
    }
    recordHasContent = true;
    if (code === QUOTE) inQuotes = true;
    else for (let k = 0; k < candidates.length; k++) if (code === candidates[k]) fields[k]++;
  }
  if (recordHasContent && !truncated) endRecord();
  let best: string = DELIMITER_CANDIDATES[0];
  let bestFields = 1;
  DELIMITER_CANDIDATES.forEach((candidate, k) => {
    if (first[k] >= 2 && constant[k] && first[k] > bestFields) {
      best = candidate;
      bestFields = first[k];
    }
  });
  return best;
}
