// Hints for names that are not where they were looked for: near names (case, small typos) and, for a header read
// as one column, the delimiter that would split it. Names only (columns, flags), never a cell value.

/** Edit distance (insertions, deletions, substitutions, swaps of neighbours) between two strings. */
export function editDistance(a: string, b: string): number {
  const rows = a.length + 1;
  const columns = b.length + 1;
  const distance = Array.from({ length: rows }, (_, i) => Array.from({ length: columns }, (_, j) => (i === 0 ? j : j === 0 ? i : 0)));
  for (let i = 1; i < rows; i++) {
    for (let j = 1; j < columns; j++) {
      const substitution = distance[i - 1][j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1);
      let best = Math.min(distance[i - 1][j] + 1, distance[i][j - 1] + 1, substitution);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) best = Math.min(best, distance[i - 2][j - 2] + 1);
      distance[i][j] = best;
    }
  }
  return distance[a.length][b.length];
}

/**
 * The candidates near `name`, nearest first (at most `limit`): equal but for letter case, or within a small edit
 * distance of it ignoring case (1 for names up to 4 characters, 2 up to 8, 3 beyond). The name itself is never
 * suggested.
 */
export function nearNames(name: string, candidates: readonly string[], limit = 3): string[] {
  const wanted = name.toLowerCase();
  const allowed = wanted.length <= 4 ? 1 : wanted.length <= 8 ? 2 : 3;
  return candidates
    .filter((candidate) => candidate !== name)
    .map((candidate, index) => ({ candidate, index, distance: editDistance(wanted, candidate.toLowerCase()) }))
    .filter(({ distance }) => distance <= allowed)
    .sort((x, y) => x.distance - y.distance || x.index - y.index)
    .slice(0, limit)
    .map(({ candidate }) => candidate);
}

/** `a`, `a or b`, `a, b or c`. */
export function alternatives(items: readonly string[]): string {
  return items.length <= 1 ? (items[0] ?? '') : `${items.slice(0, -1).join(', ')} or ${items[items.length - 1]}`;
}

/** `; did you mean "a"?`, `; did you mean "a" or "b"?`, or nothing. */
export function didYouMean(suggestions: readonly string[]): string {
  return suggestions.length === 0 ? '' : `; did you mean ${alternatives(suggestions.map((name) => `"${name}"`))}?`;
}

const DELIMITERS = [',', ';', '\t', '|'] as const;

/**
 * When a header was read as one column that another delimiter splits into several, the problem saying so (with the
 * flag that fixes it); undefined otherwise. Of several such delimiters, the one giving the most columns.
 */
export function delimiterProblem(header: readonly string[], file: string): string | undefined {
  if (header.length !== 1) return undefined;
  let best: { delimiter: string; columns: number } | undefined;
  for (const delimiter of DELIMITERS) {
    const columns = header[0].split(delimiter).length;
    if (columns > 1 && (best === undefined || columns > best.columns)) best = { delimiter, columns };
  }
  if (best === undefined) return undefined;
  const named = best.delimiter === '\t' ? 'a tab? (--delimiter tab)' : `"${best.delimiter}"? (--delimiter '${best.delimiter}')`;
  return `the header of ${file} has one column; is the delimiter ${named}`;
}

/**
 * Problems for the `names` missing from `header`: the one delimiter problem when the header is one column another
 * delimiter would split, otherwise one problem per missing name, `<describe(name)> is not in the header of <file>`,
 * with the near names of the header.
 */
export function missingColumnProblems(names: readonly string[], header: readonly string[], file: string, describe: (name: string) => string = (name) => `column "${name}"`): string[] {
  const present = new Set(header);
  const missing = names.filter((name) => !present.has(name));
  if (missing.length === 0) return [];
  const delimiter = delimiterProblem(header, file);
  if (delimiter !== undefined) return [delimiter];
  return missing.map((name) => `${describe(name)} is not in the header of ${file}${didYouMean(nearNames(name, header))}`);
}
