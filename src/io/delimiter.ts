// Delimiter detection for data CSV text: the candidate giving a constant, quote-aware field count wins, so that a
// comma inside a quoted field or a label never fools it. (Hierarchy files are detected in hierarchy/load.ts.)

export const DELIMITER_CANDIDATES = [',', ';', '\t', '|'] as const;

/**
 * Field counts per complete record of `sample` for one delimiter, honouring double quotes
 * (a quoted field may hold delimiters and line breaks). Empty lines are skipped. The last record is
 * dropped when `truncated` says the sample was cut mid-file.
 */
function fieldCountsPerRecord(sample: string, delimiter: string, truncated: boolean): number[] {
  const counts: number[] = [];
  let inQuotes = false;
  let fields = 1;
  let recordHasContent = false;
  for (let i = 0; i < sample.length; i++) {
    const ch = sample[i];
    if (inQuotes) {
      if (ch === '"') {
        if (sample[i + 1] === '"') i++;
        else inQuotes = false;
      }
      continue;
    }
    if (ch === '"') {
      inQuotes = true;
      recordHasContent = true;
    } else if (ch === delimiter) {
      fields++;
      recordHasContent = true;
    } else if (ch === '\n' || ch === '\r') {
      if (ch === '\r' && sample[i + 1] === '\n') i++;
      if (recordHasContent) counts.push(fields);
      fields = 1;
      recordHasContent = false;
    } else {
      recordHasContent = true;
    }
  }
  if (recordHasContent && !truncated) counts.push(fields);
  return counts;
}

/**
 * Picks the delimiter whose field count is the same (and ≥ 2) on every complete record of the sample;
 * among several, the one giving the most fields, then the earlier candidate. Falls back to `,`
 * (a one-column file, or none is constant — the parser then reports the ragged line).
 */
export function detectDelimiter(sample: string, truncated: boolean): string {
  let best: string = DELIMITER_CANDIDATES[0];
  let bestFields = 1;
  for (const candidate of DELIMITER_CANDIDATES) {
    const counts = fieldCountsPerRecord(sample, candidate, truncated);
    if (counts.length === 0) continue;
    const first = counts[0];
    if (first < 2 || !counts.every((count) => count === first)) continue;
    if (first > bestFields) {
      best = candidate;
      bestFields = first;
    }
  }
  return best;
}
