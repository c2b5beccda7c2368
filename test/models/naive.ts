// Textbook forms of each model's per-class measure, written from the definitions with plain arrays over the domain.
// The property tests hold the engine's kernels against these.

/** p (input) and q (class) as full-domain distributions, plus the class's raw counts. */
export interface Distributions {
  readonly p: readonly number[];
  readonly q: readonly number[];
  /** Class records per code (0 when absent). */
  readonly counts: readonly number[];
}

export function distributions(globalCounts: readonly number[], classCounts: readonly number[]): Distributions {
  const n = globalCounts.reduce((a, b) => a + b, 0);
  const size = classCounts.reduce((a, b) => a + b, 0);
  return { p: globalCounts.map((g) => g / n), q: classCounts.map((c) => c / size), counts: classCounts };
}

export function equalDistance({ p, q }: Distributions): number {
  return p.reduce((sum, pv, v) => sum + Math.abs(pv - q[v]), 0) / 2;
}

/** `order` lists the codes present in the input, smallest first. */
export function orderedDistance({ p, q }: Distributions, order: readonly number[]): number {
  if (order.length <= 1) return 0;
  let cumulative = 0;
  let sum = 0;
  for (const code of order) {
    cumulative += q[code] - p[code];
    sum += Math.abs(cumulative);
  }
  return sum / (order.length - 1);
}

/** EMD over the tree the rows describe ([value, level 1, …, top]); several tops share a root at distance 1. */
export function hierarchicalDistance({ p, q }: Distributions, dictionary: readonly string[], rows: readonly (readonly string[])[]): number {
  const height = rows[0].length - 1;
  let surplusOf = new Map<string, number>(dictionary.map((value, code) => [value, p[code] - q[code]]));
  let cost = 0;
  for (let level = 1; level <= height; level++) {
    const next = new Map<string, { positive: number; negative: number }>();
    const seenChildren = new Set<string>();
    for (const row of rows) {
      const child = row[level - 1];
      const parent = row[level];
      if (!next.has(parent)) next.set(parent, { positive: 0, negative: 0 });
      if (seenChildren.has(child)) continue;
      seenChildren.add(child);
      const surplus = surplusOf.get(child) ?? 0;
      const node = next.get(parent)!;
      if (surplus > 0) node.positive += surplus;
      else node.negative += surplus;
    }
    surplusOf = new Map();
    for (const [label, { positive, negative }] of next) {
      cost += (level / height) * Math.min(positive, -negative);
      surplusOf.set(label, positive + negative);
    }
  }
  let positive = 0;
  let negative = 0;
  for (const surplus of surplusOf.values()) {
    if (surplus > 0) positive += surplus;
    else negative += surplus;
  }
  return cost + Math.min(positive, -negative);
}

export function shannonEntropy({ q }: Distributions): number {
  return -q.reduce((sum, qv) => (qv > 0 ? sum + qv * Math.log(qv) : sum), 0);
}

/** Digamma by the recurrence ψ(x) = ψ(x + 1) − 1/x up to x ≥ 10, then its asymptotic series. */
export function digamma(x: number): number {
  let shift = 0;
  while (x < 10) {
    shift -= 1 / x;
    x += 1;
  }
  const inverseSquare = 1 / (x * x);
  return (
    shift +
    Math.log(x) -
    1 / (2 * x) -
    inverseSquare * (1 / 12 - inverseSquare * (1 / 120 - inverseSquare * (1 / 252 - inverseSquare * (1 / 240))))
  );
}

/** Grassberger (2003): G(n) = ψ(n) + ½(−1)^n (ψ((n+1)/2) − ψ(n/2)). */
export function grassbergerFromDigamma(n: number): number {
  return digamma(n) + 0.5 * (n % 2 === 0 ? 1 : -1) * (digamma((n + 1) / 2) - digamma(n / 2));
}

/** ARX's Grassberger form: G(N) − (1/N) Σ n_v G(n_v). */
export function grassbergerEntropy({ counts }: Distributions): number {
  const size = counts.reduce((a, b) => a + b, 0);
  const weighted = counts.reduce((sum, n) => (n > 0 ? sum + n * grassbergerFromDigamma(n) : sum), 0);
  return grassbergerFromDigamma(size) - weighted / size;
}

export function distinctCount({ counts }: Distributions): number {
  return counts.filter((n) => n > 0).length;
}

/** r₁ / (r_l + … + r_m), Infinity with fewer than l values. */
export function recursiveRatio({ counts }: Distributions, l: number): number {
  const sorted = counts.filter((n) => n > 0).sort((a, b) => b - a);
  if (sorted.length < l) return Infinity;
  const tail = sorted.slice(l - 1).reduce((a, b) => a + b, 0);
  return sorted[0] / tail;
}

export function maxLogRatio({ p, q }: Distributions): number {
  return Math.max(...q.map((qv, v) => (qv > 0 ? Math.abs(Math.log2(qv / p[v])) : 0)));
}

/** Per present value: its relative gain (q − p)/p. */
export function relativeGains({ p, q }: Distributions): { gain: number; p: number }[] {
  return q.flatMap((qv, v) => (qv > 0 ? [{ gain: (qv - p[v]) / p[v], p: p[v] }] : []));
}
