// The part of a report's risk section that the HTML report reads: input and output risk figures.
// Structural on purpose, so any report whose risk section carries these fields renders, whoever produced it.

/** The risk figures of one table (the shapes of the risk estimator's report that the page shows). */
export interface RiskFigures {
  readonly records?: number;
  readonly classes?: number;
  readonly prosecutor: AttackerFigures;
  readonly journalist: AttackerFigures;
  readonly marketer: { readonly averageRisk: number };
  readonly sampleUniqueness: { readonly count: number; readonly fraction: number };
  readonly populationUniqueness?: { readonly estimate: { readonly fraction: number } | { readonly available: false; readonly reason: string } };
}

export interface AttackerFigures {
  readonly highestRisk: number;
  readonly averageRisk: number;
  readonly recordsAtRisk: { readonly count: number; readonly fraction: number; readonly threshold: number };
}

/** Risk of the input (before) and of the released output (after). */
export interface RiskSection {
  readonly input: RiskFigures;
  readonly output: RiskFigures;
}

/** The report's risk section when it has one with both sides; anything else renders without the risk chart. */
export function riskSectionOf(report: object): RiskSection | undefined {
  const risk = (report as { risk?: unknown }).risk;
  if (typeof risk !== 'object' || risk === null) return undefined;
  const { input, output } = risk as { input?: unknown; output?: unknown };
  return isRiskFigures(input) && isRiskFigures(output) ? { input, output } : undefined;
}

function isRiskFigures(value: unknown): value is RiskFigures {
  if (typeof value !== 'object' || value === null) return false;
  const figures = value as Partial<RiskFigures>;
  return typeof figures.prosecutor?.highestRisk === 'number' && typeof figures.journalist?.averageRisk === 'number' && typeof figures.marketer?.averageRisk === 'number' && typeof figures.sampleUniqueness?.fraction === 'number';
}
