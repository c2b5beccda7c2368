// Benchmark arithmetic and presentation: medians, min/max, number formatting, target checks and the load-average guard.
// Shared by every suite; no suite formats a figure or judges a target on its own.

import { cpus, loadavg } from 'node:os';

export interface Summary {
  readonly median: number;
  readonly min: number;
  readonly max: number;
  readonly samples: number[];
}

export function summarize(samples: readonly number[]): Summary {
  const sorted = [...samples].sort((a, b) => a - b);
  const n = sorted.length;
  if (n === 0) return { median: NaN, min: NaN, max: NaN, samples: [] };
  const median = n % 2 === 1 ? sorted[(n - 1) / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
  return { median, min: sorted[0], max: sorted[n - 1], samples: [...samples] };
}

/** Milliseconds with precision that suits the magnitude. */
export function ms(value: number): string {
  if (!Number.isFinite(value)) return '—';
  if (value >= 10_000) return `${(value / 1000).toFixed(2)} s`;
  if (value >= 100) return `${value.toFixed(0)} ms`;
  if (value >= 10) return `${value.toFixed(1)} ms`;
  return `${value.toFixed(2)} ms`;
}

export function mib(kib: number): string {
  if (!Number.isFinite(kib)) return '—';
  return kib >= 1024 * 1024 ? `${(kib / 1024 / 1024).toFixed(2)} GiB` : `${(kib / 1024).toFixed(0)} MiB`;
}

export function count(value: number): string {
  return Number.isFinite(value) ? value.toLocaleString('en-US') : '—';
}

export function score(value: number): string {
  if (!Number.isFinite(value)) return String(value);
  return Number.isInteger(value) ? count(value) : value.toPrecision(6);
}

export interface TargetCheck {
  readonly what: string;
  readonly value: number;
  readonly target: number;
  /** `<=` for "at most", `<` for "fewer than". */
  readonly relation: '<=' | '<';
  /** `share`: a figure in [0, 1], such as a granularity loss or a gap; `score`: a metric's value. */
  readonly unit: 'ms' | 'nodes' | 'KiB' | 'score' | 'share';
  readonly ratio: number;
  readonly met: boolean;
}

const format = (value: number, unit: TargetCheck['unit']): string =>
  unit === 'ms' ? ms(value) : unit === 'KiB' ? mib(value) : unit === 'score' ? score(value) : unit === 'share' ? value.toFixed(4) : `${count(value)} nodes`;

/** Compares a figure with its target and returns the check plus the line that states it. */
export function checkTarget(what: string, value: number, target: number, relation: '<=' | '<', unit: TargetCheck['unit']): TargetCheck {
  const met = relation === '<=' ? value <= target : value < target;
  return { what, value, target, relation, unit, ratio: value / target, met };
}

export function targetLine(check: TargetCheck): string {
  const bound = `${check.relation === '<=' ? '≤' : '<'} ${format(check.target, check.unit)}`;
  const ratio = Number.isFinite(check.ratio) ? `${check.ratio.toFixed(2)} × target` : 'no figure';
  return `  ${check.what}: ${format(check.value, check.unit)} = ${ratio} (${bound}) ${check.met ? 'met' : 'NOT MET'}`;
}

export const LOAD_WARNING_THRESHOLD = 1.5;

export interface LoadSample {
  readonly at: string;
  readonly loadavg: number[];
}

/** Prints os.loadavg() and warns when the 1-minute load makes timings unreliable on this 2-core machine class. */
export function sampleLoad(when: string): LoadSample {
  const load = loadavg();
  const text = load.map((l) => l.toFixed(2)).join(' ');
  console.log(`load average (${when}): ${text} (1, 5, 15 min; ${cpus().length} cores)`);
  if (load[0] > LOAD_WARNING_THRESHOLD) {
    console.log(`WARNING: the 1-minute load ${load[0].toFixed(2)} is above ${LOAD_WARNING_THRESHOLD}: other processes compete for the CPU, the figures are unreliable`);
  }
  return { at: when, loadavg: load };
}

/** Renders rows as a fixed-width text table; `right` marks right-aligned columns. */
export function table(header: readonly string[], rows: readonly (readonly string[])[], right: readonly boolean[]): string {
  const widths = header.map((h, c) => Math.max(h.length, ...rows.map((r) => r[c].length)));
  const line = (cells: readonly string[]) => cells.map((cell, c) => (right[c] ? cell.padStart(widths[c]) : cell.padEnd(widths[c]))).join('  ').trimEnd();
  return [line(header), widths.map((w) => '-'.repeat(w)).join('  '), ...rows.map(line)].join('\n');
}
