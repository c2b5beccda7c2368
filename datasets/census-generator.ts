// The seeded synthetic census generator: a xoshiro128** PRNG, the conditional distributions between attributes,
// and streaming output (records or CSV text in chunks, never the whole table in memory).

import {
  AGE, CENSUS_COLUMNS, EDUCATION, MARITAL_STATUS, MAX_AGE, MIN_AGE, NATIVE_COUNTRY, OCCUPATION, RACE, SALARY_CLASS, SEX, WORKCLASS,
  valuesOf, type AttributeDomain,
} from './census-domain.js';

// ---------------------------------------------------------------------------------------------------------------
// PRNG

/** xoshiro128** (Blackman & Vigna), state seeded from a 32-bit seed by splitmix32. Deterministic across platforms. */
export class Xoshiro128 {
  private a: number;
  private b: number;
  private c: number;
  private d: number;

  constructor(seed: number) {
    let s = seed >>> 0;
    const next = (): number => {
      s = (s + 0x9e3779b9) >>> 0;
      let z = s;
      z = Math.imul(z ^ (z >>> 16), 0x85ebca6b);
      z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35);
      return (z ^ (z >>> 16)) >>> 0;
    };
    this.a = next();
    this.b = next();
    this.c = next();
    this.d = next();
    if ((this.a | this.b | this.c | this.d) === 0) this.d = 1;
  }

  /** Next 32-bit unsigned integer. */
  nextUint32(): number {
    const result = Math.imul(rotl(Math.imul(this.b, 5), 7), 9) >>> 0;
    const t = this.b << 9;
    this.c ^= this.a;
    this.d ^= this.b;
    this.b ^= this.c;
    this.a ^= this.d;
    this.c ^= t;
    this.d = rotl(this.d, 11);
    return result;
  }

  /** Uniform in [0, 1). */
  next(): number {
    return this.nextUint32() / 4294967296;
  }
}

function rotl(x: number, k: number): number {
  return (x << k) | (x >>> (32 - k));
}

// ---------------------------------------------------------------------------------------------------------------
// Distributions

/** A categorical distribution over a domain's indices, sampled by a scan of the cumulative weights. */
class Categorical {
  private readonly cumulative: Float64Array;

  constructor(weights: readonly number[]) {
    this.cumulative = new Float64Array(weights.length);
    let total = 0;
    for (let i = 0; i < weights.length; i++) {
      if (!(weights[i] >= 0)) throw new Error(`census-generator: negative or NaN weight at ${i}`);
      total += weights[i];
      this.cumulative[i] = total;
    }
    if (!(total > 0)) throw new Error('census-generator: all weights are zero');
    for (let i = 0; i < weights.length; i++) this.cumulative[i] /= total;
    this.cumulative[weights.length - 1] = 1;
  }

  sample(rng: Xoshiro128): number {
    const u = rng.next();
    const cumulative = this.cumulative;
    let i = 0;
    while (cumulative[i] <= u) i++;
    return i;
  }
}

/** Maps a domain's value names to indices, failing loudly on a typo. */
function indexer(domain: AttributeDomain): (value: string) => number {
  const index = new Map(valuesOf(domain).map((value, i) => [value, i]));
  return (value) => {
    const i = index.get(value);
    if (i === undefined) throw new Error(`census-generator: "${value}" is not in the ${domain.name} domain`);
    return i;
  };
}

/** Weights in domain order from a partial table keyed by value (missing values weigh 0). */
function weightsOf(domain: AttributeDomain, table: Readonly<Record<string, number>>): number[] {
  const at = indexer(domain);
  const weights = new Array<number>(domain.rows.length).fill(0);
  for (const [value, weight] of Object.entries(table)) weights[at(value)] = weight;
  return weights;
}

/** Multiplies selected entries of `weights` (keyed by value) in place; returns it. */
function scale(domain: AttributeDomain, weights: number[], factors: Readonly<Record<string, number>>): number[] {
  const at = indexer(domain);
  for (const [value, factor] of Object.entries(factors)) weights[at(value)] *= factor;
  return weights;
}

const sexIndex = indexer(SEX);
const occIndex = indexer(OCCUPATION);
const FEMALE = sexIndex('Female');

// Sex: men over-represented, as in employment-survey extracts.
const SEX_DIST = new Categorical(weightsOf(SEX, { Male: 60, Female: 40 }));

// Age: a right-skewed gamma-like shape (mode near 30, mean near 38) with a little top-coding mass at 90.
const AGE_DIST = new Categorical(
  (() => {
    const weights = valuesOf(AGE).map((value) => {
      const x = Number(value) - 16;
      return Math.pow(x, 1.65) * Math.exp(-x / 8.5);
    });
    weights[weights.length - 1] += 0.0015 * weights.reduce((sum, w) => sum + w, 0);
    return weights;
  })(),
);

// Native country: dominated by the United States, with a long tail of small countries.
const COUNTRY_DIST = new Categorical(
  weightsOf(NATIVE_COUNTRY, {
    'United-States': 89.5, Canada: 0.37,
    Mexico: 2.0, 'Puerto-Rico': 0.35, 'El-Salvador': 0.33, Cuba: 0.29, Jamaica: 0.25, 'Dominican-Republic': 0.21, Guatemala: 0.19,
    Colombia: 0.18, Haiti: 0.14, Nicaragua: 0.1, Peru: 0.1, Ecuador: 0.09, 'Trinidad-Tobago': 0.06, Honduras: 0.04, Brazil: 0.05,
    Germany: 0.42, England: 0.28, Italy: 0.22, Poland: 0.18, Portugal: 0.11, Greece: 0.09, France: 0.09, Ireland: 0.08,
    Yugoslavia: 0.05, Scotland: 0.04, Hungary: 0.04, Netherlands: 0.02,
    Philippines: 0.6, India: 0.31, China: 0.23, 'South-Korea': 0.2, Vietnam: 0.2, Japan: 0.19, Taiwan: 0.16, Iran: 0.13,
    'Hong-Kong': 0.06, Cambodia: 0.06, Thailand: 0.06, Laos: 0.05,
    Nigeria: 0.05, Ethiopia: 0.03, 'South-Africa': 0.03,
    Australia: 0.05, 'New-Zealand': 0.02,
  }),
);

/** Region (level 1 of the country hierarchy) of each country index. */
const REGION_OF_COUNTRY = NATIVE_COUNTRY.rows.map((row) => row[1]);

// Race given the region of birth.
const RACE_BY_REGION_TABLE: Readonly<Record<string, Readonly<Record<string, number>>>> = {
  'North-America': { White: 85, Black: 10, 'Asian-Pac-Islander': 2.5, 'Amer-Indian-Eskimo': 1, Other: 1.5 },
  'Latin-America': { White: 62, Black: 18, 'Asian-Pac-Islander': 0.5, 'Amer-Indian-Eskimo': 4, Other: 15.5 },
  Europe: { White: 95, Black: 1.5, 'Asian-Pac-Islander': 1, Other: 2.5 },
  Asia: { White: 7, Black: 0.5, 'Asian-Pac-Islander': 90, Other: 2.5 },
  Africa: { White: 18, Black: 78, 'Asian-Pac-Islander': 1, Other: 3 },
  Oceania: { White: 84, Black: 1, 'Asian-Pac-Islander': 10, Other: 5 },
};
const RACE_BY_REGION = new Map(Object.entries(RACE_BY_REGION_TABLE).map(([region, table]) => [region, new Categorical(weightsOf(RACE, table))]));

// Education: an overall distribution bent by age (the young have not finished yet, the old had less schooling)
// and by region of birth.
const EDUCATION_BASE: Readonly<Record<string, number>> = {
  Preschool: 0.2, '1st-4th': 0.5, '5th-6th': 1.0, '7th-8th': 2.0, '9th': 1.6, '10th': 2.9, '11th': 3.6, '12th': 1.3, 'HS-grad': 32,
  'Some-college': 22, 'Assoc-voc': 4.2, 'Assoc-acdm': 3.3, Bachelors: 16.5, Masters: 5.4, 'Prof-school': 1.8, Doctorate: 1.3,
};
const AGE_BANDS_EDU = [17, 19, 22, 25, 29, 59, MAX_AGE] as const; // upper bounds, inclusive
const EDU_FACTORS_BY_AGE_BAND: readonly Readonly<Record<string, number>>[] = [
  // 17: still at school
  { '9th': 3, '10th': 8, '11th': 12, '12th': 6, 'HS-grad': 0.3, 'Some-college': 0.05, 'Assoc-voc': 0, 'Assoc-acdm': 0, Bachelors: 0, Masters: 0, 'Prof-school': 0, Doctorate: 0 },
  // 18-19
  { '10th': 2, '11th': 3, '12th': 4, 'HS-grad': 1.4, 'Some-college': 1.3, 'Assoc-voc': 0.1, 'Assoc-acdm': 0.1, Bachelors: 0, Masters: 0, 'Prof-school': 0, Doctorate: 0 },
  // 20-22
  { '12th': 1.5, 'Some-college': 2.0, 'Assoc-voc': 0.6, 'Assoc-acdm': 0.8, Bachelors: 0.3, Masters: 0, 'Prof-school': 0, Doctorate: 0 },
  // 23-25
  { 'Some-college': 1.3, Bachelors: 1.2, Masters: 0.3, 'Prof-school': 0.1, Doctorate: 0.02 },
  // 26-29
  { Bachelors: 1.3, Masters: 0.8, 'Prof-school': 0.7, Doctorate: 0.4 },
  // 30-59
  {},
  // 60+
  { Preschool: 2.5, '1st-4th': 3, '5th-6th': 3, '7th-8th': 3.5, '9th': 2, '10th': 1.5, 'Some-college': 0.7, 'Assoc-voc': 0.6, 'Assoc-acdm': 0.6 },
];
const EDU_FACTORS_BY_REGION: Readonly<Record<string, Readonly<Record<string, number>>>> = {
  'North-America': {},
  'Latin-America': { Preschool: 8, '1st-4th': 10, '5th-6th': 10, '7th-8th': 5, '9th': 4, '10th': 2.5, 'Some-college': 0.5, Bachelors: 0.4, Masters: 0.4, Doctorate: 0.4 },
  Europe: { Masters: 1.5, Doctorate: 2 },
  Asia: { Bachelors: 2, Masters: 2.5, 'Prof-school': 2, Doctorate: 3, 'Some-college': 0.7 },
  Africa: { Bachelors: 1.5, Masters: 2 },
  Oceania: {},
};
const REGIONS = [...new Set(REGION_OF_COUNTRY)];
const EDU_DIST = REGIONS.map((region) =>
  EDU_FACTORS_BY_AGE_BAND.map((ageFactors) => {
    const weights = scale(EDUCATION, weightsOf(EDUCATION, EDUCATION_BASE), ageFactors);
    return new Categorical(scale(EDUCATION, weights, EDU_FACTORS_BY_REGION[region]));
  }),
);
const REGION_INDEX_OF_COUNTRY = Int32Array.from(REGION_OF_COUNTRY, (region) => REGIONS.indexOf(region));
const AGE_BAND_EDU_OF_AGE = Int32Array.from({ length: MAX_AGE + 1 }, (_, age) => AGE_BANDS_EDU.findIndex((upper) => age <= upper));

// Marital status given age band and sex.
const AGE_BANDS_MARITAL = [19, 24, 29, 39, 49, 59, 69, MAX_AGE] as const;
const MARITAL_BY_AGE_BAND: readonly Readonly<Record<string, number>>[] = [
  { 'Never-married': 95, 'Married-civ-spouse': 3, 'Married-spouse-absent': 0.8, Separated: 0.8, Divorced: 0.3, Widowed: 0.05, 'Married-AF-spouse': 0.05 },
  { 'Never-married': 75, 'Married-civ-spouse': 18, 'Married-spouse-absent': 2, Separated: 2.5, Divorced: 2.3, Widowed: 0.1, 'Married-AF-spouse': 0.15 },
  { 'Never-married': 45, 'Married-civ-spouse': 42, 'Married-spouse-absent': 2, Separated: 3.5, Divorced: 7, Widowed: 0.2, 'Married-AF-spouse': 0.1 },
  { 'Never-married': 22, 'Married-civ-spouse': 55, 'Married-spouse-absent': 1.8, Separated: 4, Divorced: 15, Widowed: 0.6, 'Married-AF-spouse': 0.07 },
  { 'Never-married': 12, 'Married-civ-spouse': 58, 'Married-spouse-absent': 1.6, Separated: 4, Divorced: 20, Widowed: 2, 'Married-AF-spouse': 0.04 },
  { 'Never-married': 7, 'Married-civ-spouse': 60, 'Married-spouse-absent': 1.5, Separated: 3, Divorced: 18, Widowed: 6 },
  { 'Never-married': 5, 'Married-civ-spouse': 57, 'Married-spouse-absent': 1.5, Separated: 2, Divorced: 14, Widowed: 18 },
  { 'Never-married': 4, 'Married-civ-spouse': 45, 'Married-spouse-absent': 1, Separated: 1, Divorced: 8, Widowed: 40 },
];
const MARITAL_FACTORS_BY_SEX: readonly Readonly<Record<string, number>>[] = [
  /* Male */ { Widowed: 0.45, Divorced: 0.85, 'Married-AF-spouse': 1.5 },
  /* Female */ { Widowed: 2.2, Divorced: 1.3, 'Never-married': 1.1, 'Married-AF-spouse': 0.5 },
];
const MARITAL_DIST = [0, 1].map((sex) =>
  MARITAL_BY_AGE_BAND.map((table) => new Categorical(scale(MARITAL_STATUS, weightsOf(MARITAL_STATUS, table), MARITAL_FACTORS_BY_SEX[sex]))),
);
const AGE_BAND_MARITAL_OF_AGE = Int32Array.from({ length: MAX_AGE + 1 }, (_, age) => AGE_BANDS_MARITAL.findIndex((upper) => age <= upper));

// Occupation given education tier, sex and youth.
const EDU_TIER_OF_EDU = Int32Array.from(valuesOf(EDUCATION), (value) => {
  if (value === 'HS-grad') return 1;
  if (value === 'Some-college' || value === 'Assoc-voc' || value === 'Assoc-acdm') return 2;
  if (value === 'Bachelors') return 3;
  if (value === 'Masters' || value === 'Prof-school' || value === 'Doctorate') return 4;
  return 0; // no diploma
});
const OCCUPATION_BY_TIER: readonly Readonly<Record<string, number>>[] = [
  { 'Exec-managerial': 2, 'Prof-specialty': 1, 'Tech-support': 0.5, 'Adm-clerical': 4, Sales: 7, 'Craft-repair': 17, 'Machine-op-inspct': 14, 'Handlers-cleaners': 11, 'Transport-moving': 8, 'Farming-fishing': 8, 'Other-service': 22, 'Priv-house-serv': 2.5, 'Protective-serv': 1, 'Armed-Forces': 0.03 },
  { 'Exec-managerial': 9, 'Prof-specialty': 3, 'Tech-support': 2.5, 'Adm-clerical': 14, Sales: 12, 'Craft-repair': 18, 'Machine-op-inspct': 9, 'Handlers-cleaners': 6, 'Transport-moving': 7, 'Farming-fishing': 3.5, 'Other-service': 12, 'Priv-house-serv': 0.5, 'Protective-serv': 2.5, 'Armed-Forces': 0.03 },
  { 'Exec-managerial': 12, 'Prof-specialty': 8, 'Tech-support': 5, 'Adm-clerical': 17, Sales: 13, 'Craft-repair': 13, 'Machine-op-inspct': 4, 'Handlers-cleaners': 3.5, 'Transport-moving': 4, 'Farming-fishing': 2, 'Other-service': 11, 'Priv-house-serv': 0.3, 'Protective-serv': 3, 'Armed-Forces': 0.05 },
  { 'Exec-managerial': 25, 'Prof-specialty': 27, 'Tech-support': 4, 'Adm-clerical': 10, Sales: 15, 'Craft-repair': 5, 'Machine-op-inspct': 1.5, 'Handlers-cleaners': 1, 'Transport-moving': 1.5, 'Farming-fishing': 1.2, 'Other-service': 4, 'Priv-house-serv': 0.1, 'Protective-serv': 2, 'Armed-Forces': 0.05 },
  { 'Exec-managerial': 22, 'Prof-specialty': 60, 'Tech-support': 2, 'Adm-clerical': 3, Sales: 6, 'Craft-repair': 1.5, 'Machine-op-inspct': 0.5, 'Handlers-cleaners': 0.3, 'Transport-moving': 0.4, 'Farming-fishing': 0.8, 'Other-service': 1.5, 'Priv-house-serv': 0.05, 'Protective-serv': 1, 'Armed-Forces': 0.02 },
];
const OCCUPATION_FACTORS_FEMALE = {
  'Adm-clerical': 2, 'Other-service': 1.3, 'Priv-house-serv': 6, 'Craft-repair': 0.12, 'Transport-moving': 0.15, 'Protective-serv': 0.3,
  'Farming-fishing': 0.25, 'Machine-op-inspct': 0.7, 'Handlers-cleaners': 0.4, 'Exec-managerial': 0.8, 'Prof-specialty': 1.1, 'Armed-Forces': 0.2,
};
const OCCUPATION_FACTORS_YOUNG = { 'Other-service': 2, Sales: 1.5, 'Handlers-cleaners': 1.5, 'Exec-managerial': 0.2, 'Prof-specialty': 0.4, 'Armed-Forces': 0.5 };
/** Indexed by tier * 4 + sex * 2 + young. */
const OCCUPATION_DIST: Categorical[] = [];
for (let tier = 0; tier < OCCUPATION_BY_TIER.length; tier++) {
  for (const sex of [0, 1]) {
    for (const young of [0, 1]) {
      const weights = weightsOf(OCCUPATION, OCCUPATION_BY_TIER[tier]);
      if (sex === FEMALE) scale(OCCUPATION, weights, OCCUPATION_FACTORS_FEMALE);
      if (young === 1) scale(OCCUPATION, weights, OCCUPATION_FACTORS_YOUNG);
      OCCUPATION_DIST[tier * 4 + sex * 2 + young] = new Categorical(weights);
    }
  }
}
const YOUNG_AGE = 21;

// Workclass given occupation and whether past 60 (more self-employment).
const WORKCLASS_BASE = { Private: 74, 'Self-emp-not-inc': 8, 'Self-emp-inc': 3.5, 'Federal-gov': 3, 'State-gov': 4, 'Local-gov': 6.5, 'Without-pay': 0.05 };
const WORKCLASS_FACTORS_BY_OCCUPATION: Readonly<Record<string, Readonly<Record<string, number>>>> = {
  'Exec-managerial': { 'Self-emp-inc': 3, 'Self-emp-not-inc': 1.2 },
  'Prof-specialty': { 'Federal-gov': 1.5, 'State-gov': 3, 'Local-gov': 3, 'Self-emp-not-inc': 1.3 },
  'Tech-support': { 'Federal-gov': 1.5 },
  'Adm-clerical': { 'Federal-gov': 2, 'State-gov': 1.8, 'Local-gov': 1.8, 'Self-emp-not-inc': 0.3, 'Self-emp-inc': 0.3 },
  Sales: { 'Self-emp-inc': 1.8, 'Self-emp-not-inc': 1.2, 'Federal-gov': 0.05, 'State-gov': 0.05, 'Local-gov': 0.05 },
  'Craft-repair': { 'Self-emp-not-inc': 1.8, 'Federal-gov': 0.6 },
  'Machine-op-inspct': { 'Self-emp-not-inc': 0.2, 'Self-emp-inc': 0.2, 'Federal-gov': 0.2, 'State-gov': 0.2, 'Local-gov': 0.2 },
  'Handlers-cleaners': { 'Self-emp-not-inc': 0.2, 'Self-emp-inc': 0.1, 'Local-gov': 0.8 },
  'Transport-moving': { 'Self-emp-not-inc': 1.4, 'Local-gov': 1.2 },
  'Farming-fishing': { 'Self-emp-not-inc': 6, 'Self-emp-inc': 1.5, 'Without-pay': 30, 'Federal-gov': 0.2 },
  'Other-service': { 'Self-emp-not-inc': 0.8, 'Local-gov': 0.9 },
  'Priv-house-serv': { 'Self-emp-not-inc': 0.5, 'Self-emp-inc': 0, 'Federal-gov': 0, 'State-gov': 0, 'Local-gov': 0 },
  'Protective-serv': { 'Federal-gov': 4, 'State-gov': 5, 'Local-gov': 9, 'Self-emp-not-inc': 0.1, 'Self-emp-inc': 0.1 },
  'Armed-Forces': { Private: 0, 'Self-emp-not-inc': 0, 'Self-emp-inc': 0, 'State-gov': 0, 'Local-gov': 0, 'Without-pay': 0 },
};
const WORKCLASS_FACTORS_OLD = { 'Self-emp-not-inc': 2.2, 'Self-emp-inc': 1.8 };
const OLD_AGE = 60;
/** Indexed by occupation * 2 + old. */
const WORKCLASS_DIST: Categorical[] = [];
for (const occupation of valuesOf(OCCUPATION)) {
  for (const old of [0, 1]) {
    const weights = scale(WORKCLASS, weightsOf(WORKCLASS, WORKCLASS_BASE), WORKCLASS_FACTORS_BY_OCCUPATION[occupation] ?? {});
    if (old === 1) scale(WORKCLASS, weights, WORKCLASS_FACTORS_OLD);
    WORKCLASS_DIST[occIndex(occupation) * 2 + old] = new Categorical(weights);
  }
}

// Salary class: a logistic model on age, education, marital status, sex, occupation and workclass.
const SALARY_INTERCEPT = -2.7;
const SALARY_AGE = Float64Array.from({ length: MAX_AGE + 1 }, (_, age) =>
  age < 22 ? -3 : age < 30 ? -0.9 : age < 40 ? 0 : age < 55 ? 0.45 : age < 65 ? 0.2 : -0.5,
);
const SALARY_EDU = Float64Array.from(
  weightsOf(EDUCATION, {
    Preschool: -2.5, '1st-4th': -2.2, '5th-6th': -2, '7th-8th': -1.7, '9th': -1.6, '10th': -1.5, '11th': -1.5, '12th': -1.3, 'HS-grad': -0.35,
    'Some-college': 0, 'Assoc-voc': 0.2, 'Assoc-acdm': 0.25, Bachelors: 1.0, Masters: 1.5, 'Prof-school': 2.2, Doctorate: 2.1,
  }),
);
const SALARY_MARITAL = Float64Array.from(
  weightsOf(MARITAL_STATUS, { 'Never-married': -0.6, 'Married-civ-spouse': 1.8, 'Married-AF-spouse': 1.5, 'Married-spouse-absent': -0.1, Separated: -0.2, Divorced: 0, Widowed: -0.1 }),
);
const SALARY_SEX = Float64Array.from(weightsOf(SEX, { Male: 0.3, Female: 0 }));
const SALARY_OCCUPATION = Float64Array.from(
  weightsOf(OCCUPATION, {
    'Exec-managerial': 1.0, 'Prof-specialty': 0.8, 'Tech-support': 0.5, 'Adm-clerical': -0.3, Sales: 0.3, 'Craft-repair': 0, 'Machine-op-inspct': -0.4,
    'Handlers-cleaners': -0.9, 'Transport-moving': -0.2, 'Farming-fishing': -0.8, 'Other-service': -1.3, 'Priv-house-serv': -2.5, 'Protective-serv': 0.4, 'Armed-Forces': 0,
  }),
);
const SALARY_WORKCLASS = Float64Array.from(
  weightsOf(WORKCLASS, { Private: 0, 'Self-emp-not-inc': -0.1, 'Self-emp-inc': 0.8, 'Federal-gov': 0.5, 'State-gov': 0, 'Local-gov': 0.1, 'Without-pay': -6 }),
);
const HIGH_SALARY = indexer(SALARY_CLASS)('>50K');
const LOW_SALARY = indexer(SALARY_CLASS)('<=50K');

// ---------------------------------------------------------------------------------------------------------------
// Rows

/** Slots of a drawn row: domain indices (the age slot holds the age itself). */
const enum Slot {
  Age = 0,
  Workclass,
  Education,
  Marital,
  Occupation,
  Race,
  Sex,
  Country,
  Salary,
}
const SLOTS = 9;

/** Draws one row into `out`. The order of draws is fixed: changing it changes every generated file. */
function drawRow(rng: Xoshiro128, out: Int32Array): void {
  const sex = SEX_DIST.sample(rng);
  const age = MIN_AGE + AGE_DIST.sample(rng);
  const country = COUNTRY_DIST.sample(rng);
  const region = REGION_INDEX_OF_COUNTRY[country];
  const race = RACE_BY_REGION.get(REGIONS[region])!.sample(rng);
  const education = EDU_DIST[region][AGE_BAND_EDU_OF_AGE[age]].sample(rng);
  const marital = MARITAL_DIST[sex][AGE_BAND_MARITAL_OF_AGE[age]].sample(rng);
  const occupation = OCCUPATION_DIST[EDU_TIER_OF_EDU[education] * 4 + sex * 2 + (age <= YOUNG_AGE ? 1 : 0)].sample(rng);
  const workclass = WORKCLASS_DIST[occupation * 2 + (age >= OLD_AGE ? 1 : 0)].sample(rng);
  const z =
    SALARY_INTERCEPT + SALARY_AGE[age] + SALARY_EDU[education] + SALARY_MARITAL[marital] + SALARY_SEX[sex] + SALARY_OCCUPATION[occupation] + SALARY_WORKCLASS[workclass];
  const salary = rng.next() < 1 / (1 + Math.exp(-z)) ? HIGH_SALARY : LOW_SALARY;
  out[Slot.Age] = age;
  out[Slot.Workclass] = workclass;
  out[Slot.Education] = education;
  out[Slot.Marital] = marital;
  out[Slot.Occupation] = occupation;
  out[Slot.Race] = race;
  out[Slot.Sex] = sex;
  out[Slot.Country] = country;
  out[Slot.Salary] = salary;
}

export interface GenerateOptions {
  /** Number of data rows (not counting the header). */
  readonly rows: number;
  /** 32-bit unsigned seed. */
  readonly seed: number;
}

function checkOptions({ rows, seed }: GenerateOptions): void {
  if (!Number.isSafeInteger(rows) || rows < 0) throw new RangeError(`rows must be a non-negative integer, got ${rows}`);
  if (!Number.isInteger(seed) || seed < 0 || seed > 0xffffffff) throw new RangeError(`seed must be an integer in [0, 4294967295], got ${seed}`);
}

/** Values of each slot's domain (ages are looked up by age). */
const SLOT_VALUES: readonly (readonly string[])[] = [
  Array.from({ length: MAX_AGE + 1 }, (_, age) => String(age)),
  valuesOf(WORKCLASS), valuesOf(EDUCATION), valuesOf(MARITAL_STATUS), valuesOf(OCCUPATION), valuesOf(RACE), valuesOf(SEX), valuesOf(NATIVE_COUNTRY), valuesOf(SALARY_CLASS),
];

/**
 * Generates records one at a time, as `{ column: value }` in CENSUS_COLUMNS order. Lazy: memory does not grow with `rows`.
 * Same options, same records, on every platform.
 */
export function* generateRecords(options: GenerateOptions): Generator<Record<(typeof CENSUS_COLUMNS)[number], string>> {
  checkOptions(options);
  const rng = new Xoshiro128(options.seed);
  const row = new Int32Array(SLOTS);
  for (let i = 1; i <= options.rows; i++) {
    drawRow(rng, row);
    yield {
      id: String(i),
      age: SLOT_VALUES[Slot.Age][row[Slot.Age]],
      workclass: SLOT_VALUES[Slot.Workclass][row[Slot.Workclass]],
      education: SLOT_VALUES[Slot.Education][row[Slot.Education]],
      'marital-status': SLOT_VALUES[Slot.Marital][row[Slot.Marital]],
      occupation: SLOT_VALUES[Slot.Occupation][row[Slot.Occupation]],
      race: SLOT_VALUES[Slot.Race][row[Slot.Race]],
      sex: SLOT_VALUES[Slot.Sex][row[Slot.Sex]],
      'native-country': SLOT_VALUES[Slot.Country][row[Slot.Country]],
      'salary-class': SLOT_VALUES[Slot.Salary][row[Slot.Salary]],
    };
  }
}

/** One CSV field, RFC 4180 quoted when needed (domain values never need it; kept so a domain change stays safe). */
function csvField(value: string): string {
  return /[",\r\n]/.test(value) ? `"${value.replace(/"/g, '""')}"` : value;
}

const QUOTED_SLOT_VALUES = SLOT_VALUES.map((values) => values.map(csvField));
const HEADER = CENSUS_COLUMNS.map(csvField).join(',') + '\n';

/**
 * The CSV text (header first, `\n` line ends) in chunks of at most `chunkRows` rows. Same rows as generateRecords.
 * Memory is bounded by one chunk.
 */
export function* generateCsvChunks(options: GenerateOptions & { readonly chunkRows?: number }): Generator<string> {
  checkOptions(options);
  const chunkRows = options.chunkRows ?? 8192;
  if (!Number.isSafeInteger(chunkRows) || chunkRows < 1) throw new RangeError(`chunkRows must be a positive integer, got ${chunkRows}`);
  const rng = new Xoshiro128(options.seed);
  const row = new Int32Array(SLOTS);
  const v = QUOTED_SLOT_VALUES;
  let chunk = HEADER;
  let inChunk = 0;
  for (let i = 1; i <= options.rows; i++) {
    drawRow(rng, row);
    chunk +=
      `${i},${v[Slot.Age][row[Slot.Age]]},${v[Slot.Workclass][row[Slot.Workclass]]},${v[Slot.Education][row[Slot.Education]]},` +
      `${v[Slot.Marital][row[Slot.Marital]]},${v[Slot.Occupation][row[Slot.Occupation]]},${v[Slot.Race][row[Slot.Race]]},` +
      `${v[Slot.Sex][row[Slot.Sex]]},${v[Slot.Country][row[Slot.Country]]},${v[Slot.Salary][row[Slot.Salary]]}\n`;
    if (++inChunk === chunkRows) {
      yield chunk;
      chunk = '';
      inChunk = 0;
    }
  }
  if (chunk.length > 0) yield chunk;
}
