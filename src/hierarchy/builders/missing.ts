// Missing values (empty, `NA`) in a builder's input: by default an error that says how to opt in, or, with
// `missing: { label }`, a row of their own that shows the label at every level below `*`.

/** `"error"` (the default) or `{ label, values? }`: missing values get `label` at every level below `*`. */
export type MissingOption = 'error' | { readonly label: string; readonly values?: readonly string[] };

/** What counts as missing unless `missing.values` says otherwise; compared after trimming surrounding whitespace. */
export const DEFAULT_MISSING_VALUES: readonly string[] = ['', 'NA'];

/** Appends to `problems` what is wrong with `raw` as a `missing` option at JSON path `path`. */
export function collectMissingProblems(raw: unknown, path: string, problems: string[]): void {
  if (raw === 'error') return;
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) {
    problems.push(`${path} must be "error" or { "label": string, "values"?: [strings] }`);
    return;
  }
  const { label, values, ...rest } = raw as Record<string, unknown>;
  for (const name of Object.keys(rest)) problems.push(`${path}.${name} is not a field of "missing" (label, values)`);
  if (typeof label !== 'string' || label === '') problems.push(`${path}.label must be a non-empty string`);
  if (values !== undefined && (!Array.isArray(values) || !values.every((value) => typeof value === 'string'))) {
    problems.push(`${path}.values must be an array of strings`);
  }
}

/** Whether a value is missing under `option` (absent: the default values). */
export function missingTest(option: MissingOption | undefined): (value: string) => boolean {
  const values = new Set((typeof option === 'object' ? option.values : undefined) ?? DEFAULT_MISSING_VALUES);
  return (value) => values.has(value.trim());
}

/** The sentence an error about a missing value ends with: how to opt in. */
export const MISSING_HINT = 'is missing (empty or NA); add "missing": { "label": "…" } to the spec to give missing values a label of their own';
