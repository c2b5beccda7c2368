// Entropy l-diversity: at least ceil(l) distinct sensitive values and an entropy of at least ln l per class.
// Owns the two entropy estimators: plain Shannon (plug-in) and Grassberger's bias-corrected estimator.

import type { EquivalenceClasses } from '../groupify/equivalence-classes.js';
import type { ModelSpec } from '../options.js';
import type { PrivacyModel, SensitiveAttribute } from './privacy-model.js';
import { recordsAtLeast } from './sensitive-support.js';

export type EntropyLDiversitySpec = Extract<ModelSpec, { type: 'entropy-l-diversity' }>;

/*
 * Both estimators have the form H = ψ(N) − (1/N) Σ_v n_v ψ(n_v), N the class size, n_v the count of value v.
 * Shannon: ψ(n) = ln n, i.e. H = −Σ q_v ln q_v.
 * Grassberger (P. Grassberger, "Entropy estimates from insufficient samplings", 2003, arXiv physics/0307138;
 * the estimator ARX offers as EntropyEstimator.GRASSBERGER): ψ(n) = G_n with
 *   G_n = digamma(n) + ½ (−1)^n (digamma((n+1)/2) − digamma(n/2)),
 * which reduces to G_1 = −γ − ln 2, G_{2k} = G_1 + Σ_{i=1..k} 2/(2i−1), G_{2k+1} = G_{2k}.
 * As in ARX, the leading term is G_N too; Grassberger's paper writes ln N there (they differ by O(1/N²)).
 */

const EULER_MASCHERONI = 0.5772156649015329;

/** G_n is tabulated exactly for n below this bound; above it the asymptotic series is exact to double precision. */
const GRASSBERGER_TABLE_SIZE = 1024;

const grassbergerTable = tabulateGrassberger(GRASSBERGER_TABLE_SIZE);

function tabulateGrassberger(size: number): Float64Array {
  const table = new Float64Array(size);
  table[1] = -EULER_MASCHERONI - Math.LN2;
  // Each even n adds 2/(n−1); each odd n repeats its predecessor.
  for (let n = 2; n < size; n++) table[n] = n % 2 === 0 ? table[n - 1] + 2 / (n - 1) : table[n - 1];
  return table;
}

/**
 * Grassberger's G_n for n ≥ 1. For large n, with 2h the even number among {n, n−1}:
 * G_{2h} = ln(2h) + 1/(24h²) − 7/(960h⁴) + 31/(8064h⁶) + O(h⁻⁸), from the harmonic-number expansion of
 * G_{2h} = −γ − ln 2 + 2·H_{2h} − H_h.
 */
export function grassbergerG(n: number): number {
  if (n < GRASSBERGER_TABLE_SIZE) return grassbergerTable[n];
  const even = n - (n % 2);
  const half = even / 2;
  const inverseSquare = 1 / (half * half);
  return Math.log(even) + inverseSquare * (1 / 24 - inverseSquare * (7 / 960 - inverseSquare * (31 / 8064)));
}

class EntropyLDiversity implements PrivacyModel {
  readonly label: string;
  readonly minClassSize: number;
  readonly monotoneWithSuppression = false;
  /**
   * Shannon entropy is concave, so a merged class is at least as diverse as its weaker part. Grassberger's estimate
   * is not: two classes with counts (1, 1) pass l = 2 (H = 2) while their merge (2, 2) fails (H = 2/3 < ln 2).
   */
  readonly monotoneWithoutSuppression: boolean;
  readonly worst = 'min' as const;
  private readonly slot: number;
  private readonly minDistinct: number;
  private readonly logL: number;
  private readonly grassberger: boolean;

  constructor(readonly spec: EntropyLDiversitySpec, attribute: SensitiveAttribute) {
    this.slot = attribute.slot;
    this.minDistinct = Math.ceil(spec.l);
    this.minClassSize = this.minDistinct;
    this.logL = Math.log(spec.l);
    this.grassberger = spec.estimator === 'grassberger';
    this.monotoneWithoutSuppression = !this.grassberger;
    this.label = `${this.grassberger ? 'grassberger-' : ''}entropy ${spec.l}-diversity (${attribute.name})`;
  }

  isClassValid(classes: EquivalenceClasses, c: number): boolean {
    const offsets = classes.sensitive[this.slot].offsets;
    if (offsets[c + 1] - offsets[c] < this.minDistinct) return false;
    return this.entropy(classes, c) >= this.logL;
  }

  /**
   * Too few values: every subclass has too few too. Otherwise (Shannon only) the released part P has H(P) ≥ ln l by
   * concavity, and H(class) ≥ λ·H(P) + (1 − λ)·H(rest) ≥ λ·ln l for λ = |P|/size, so the rest is ≥ size·(1 − H/ln l).
   */
  suppressedBelow(classes: EquivalenceClasses, c: number): number {
    const offsets = classes.sensitive[this.slot].offsets;
    const size = classes.sizes[c];
    if (offsets[c + 1] - offsets[c] < this.minDistinct) return size;
    // Grassberger's estimate is not concave; near l = 1 rounding would be magnified.
    if (this.grassberger || !(this.logL > 1e-3)) return 0;
    return recordsAtLeast(size * (1 - this.entropy(classes, c) / this.logL), size);
  }

  /**
   * The effective l, exp(H), capped by the distinct count so that "measure ≥ l" matches validity
   * (only Grassberger's estimate can exceed ln of the distinct count).
   */
  classMeasure(classes: EquivalenceClasses, c: number): number {
    const offsets = classes.sensitive[this.slot].offsets;
    return Math.min(Math.exp(this.entropy(classes, c)), offsets[c + 1] - offsets[c]);
  }

  /** H = ψ(N) − (1/N) Σ n_v ψ(n_v), in nats. */
  private entropy(classes: EquivalenceClasses, c: number): number {
    const histograms = classes.sensitive[this.slot];
    const counts = histograms.counts;
    const end = histograms.offsets[c + 1];
    const size = classes.sizes[c];
    let weighted = 0;
    if (this.grassberger) {
      for (let i = histograms.offsets[c]; i < end; i++) weighted += counts[i] * grassbergerG(counts[i]);
      return grassbergerG(size) - weighted / size;
    }
    for (let i = histograms.offsets[c]; i < end; i++) weighted += counts[i] * Math.log(counts[i]);
    // Shannon entropy is never negative; one value can round to −1e-16 (6·ln 6 / 6 ≠ ln 6), failing l = 1.
    return Math.max(0, Math.log(size) - weighted / size);
  }
}

export function createEntropyLDiversity(spec: EntropyLDiversitySpec, attribute: SensitiveAttribute): PrivacyModel {
  return new EntropyLDiversity(spec, attribute);
}
