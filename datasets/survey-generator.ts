// The seeded wide survey generator: 40 answers per respondent drawn from conditional distributions that tie them
// together as real survey answers are (region ↔ language, age ↔ marital status ↔ household, education ↔ occupation).

import { Xoshiro128 } from './census-generator.js';
import * as D from './survey-domain.js';
import { SURVEY_ATTRIBUTES, SURVEY_COLUMNS, type AttributeDomain } from './survey-domain.js';

/** An index drawn with probability proportional to `weights` (a short literal list: nothing is precomputed). */
function choose(rng: Xoshiro128, weights: readonly number[]): number {
  let total = 0;
  for (const weight of weights) total += weight;
  let u = rng.next() * total;
  for (let i = 0; i < weights.length - 1; i++) {
    u -= weights[i];
    if (u < 0) return i;
  }
  return weights.length - 1;
}

/** A normal draw (Box–Muller), rounded and clipped to [min, max]. */
function normal(rng: Xoshiro128, mean: number, sd: number, min: number, max: number): number {
  const z = Math.sqrt(-2 * Math.log(1 - rng.next())) * Math.cos(2 * Math.PI * rng.next());
  return Math.min(max, Math.max(min, Math.round(mean + sd * z)));
}

function chance(rng: Xoshiro128, probability: number): boolean {
  return rng.next() < probability;
}

const logistic = (z: number): number => 1 / (1 + Math.exp(-z));

/** Level-0 value index of `value` in `domain`, checked once at start-up (a typo fails loudly, not silently). */
function indexOf(domain: AttributeDomain, value: string): number {
  const index = domain.rows.findIndex((row) => row[0] === value);
  if (index === -1) throw new Error(`survey-generator: "${value}" is not in the ${domain.name} domain`);
  return index;
}

const OCCUPATIONS_BY_MAJOR = Array.from({ length: 10 }, (_, major) => D.OCCUPATION_CODES.filter((code) => code !== '0000' && Number(code[0]) === major));
const NO_OCCUPATION = indexOf(D.OCCUPATION, '0000');
const INDUSTRY_CODES = D.INDUSTRY.rows.map((row) => row[0]);
/** Industries likely for each occupation major group (index into INDUSTRY_CODES by section letter). */
const INDUSTRY_SECTIONS_BY_MAJOR = ['O', 'KMJO', 'PQMJ', 'CFJMK', 'NOKG', 'GIQRS', 'A', 'CF', 'CH', 'NIAG'];

/** One respondent: the level-0 value index of each attribute, in SURVEY_ATTRIBUTES order. */
function drawRespondent(rng: Xoshiro128, out: Int32Array): void {
  // Where and who.
  const region = choose(rng, [5, 3, 9, 4, 7, 3, 5, 2, 9, 3, 4, 8]);
  const macro = Math.floor(region / 3);
  const metro = region % 3 === 2 || region === 5;
  const urbanity = metro ? choose(rng, [80, 15, 5]) : choose(rng, [15, 45, 40]);
  const immigrantShare = [0.06, 0.14, 0.22][urbanity === 0 ? 2 : urbanity === 1 ? 1 : 0];
  const immigrant = chance(rng, immigrantShare);
  const language = immigrant ? (chance(rng, 0.5) ? 4 + choose(rng, [3, 2]) : macro) : chance(rng, 0.93) ? macro : choose(rng, [1, 1, 1, 1]);
  const birthCountry = immigrant ? 1 + choose(rng, [4, 4, 3, 2, 2, 3, 1, 3, 2, 2, 2, 2, 2, 2, 1, 1, 1, 1, 1, 1, 1]) : chance(rng, 0.02) ? 1 + choose(rng, [1, 1, 1, 1, 1, 1, 1]) : 0;
  const sex = choose(rng, [49, 51]);
  const age = Math.min(90, 16 + Math.floor(Math.pow(rng.next(), 1.15) * 75) + (chance(rng, 0.02) ? 10 : 0));
  const ageBand = age < 25 ? 0 : age < 35 ? 1 : age < 50 ? 2 : age < 65 ? 3 : 4;
  const yearsHere = immigrant ? Math.min(age, normal(rng, 12, 9, 0, 60)) : age;
  const citizenship = !immigrant ? 0 : yearsHere > 10 ? choose(rng, [70, 25, 5]) : choose(rng, [15, 45, 40]);

  // Schooling, work, money.
  const educationBias = (urbanity === 0 ? 0.5 : urbanity === 2 ? -0.4 : 0) + (ageBand >= 4 ? -0.9 : ageBand === 3 ? -0.4 : 0) + (immigrant ? (chance(rng, 0.5) ? -0.8 : 0.6) : 0);
  const education = age < 19 ? choose(rng, [1, 10, 60, 20, 9, 0, 0, 0, 0, 0]) : Math.min(9, Math.max(0, Math.round(4.3 + educationBias + 2.1 * normalZ(rng))));
  const tier = education <= 2 ? 0 : education <= 5 ? 1 : 2;
  const employment =
    age < 20 ? choose(rng, [20, 1, 6, 73, 0, 0])
    : age >= 67 ? choose(rng, [4, 4, 0.5, 0, 91, 0.5])
    : age >= 60 ? choose(rng, [40, 10, 5, 0, 42, 3])
    : choose(rng, [70 + 6 * tier, 9 + 2 * tier, 7 - 2 * tier, age < 30 ? 12 : 1, 0.5, sex === 1 ? 6 : 1]);
  const working = employment <= 1;
  const hadJob = working || employment === 2 || employment === 4;
  const major = hadJob ? (tier === 2 ? choose(rng, [10, 12, 55, 15, 3, 2, 1, 1, 0.5, 0.5]) : tier === 1 ? choose(rng, [5, 6, 8, 18, 16, 22, 4, 12, 8, 1]) : choose(rng, [3, 1, 0.5, 4, 8, 22, 8, 22, 16, 16])) : -1;
  const occupationChoices = major < 0 ? [] : major === 0 ? OCCUPATIONS_BY_MAJOR[1] : OCCUPATIONS_BY_MAJOR[major];
  const occupation = major < 0 ? NO_OCCUPATION : indexOf(D.OCCUPATION, occupationChoices[Math.floor(rng.next() * occupationChoices.length)]);
  const sections = major < 0 ? 'X' : INDUSTRY_SECTIONS_BY_MAJOR[major];
  const section = sections[Math.floor(rng.next() * sections.length)];
  const industryChoices = INDUSTRY_CODES.filter((code) => code[0] === section);
  const industry = INDUSTRY_CODES.indexOf(industryChoices[Math.floor(rng.next() * industryChoices.length)]);
  const hours = working ? normal(rng, sex === 0 ? 41 : 34, 8, 1, 80) : employment === 3 ? normal(rng, 3, 5, 0, 30) : 0;
  const incomeMean = working ? 18 + 9 * education + 0.35 * Math.min(age - 16, 35) + (sex === 0 ? 6 : 0) + (major === 1 || major === 2 ? 12 : 0) : employment === 4 ? 22 + 3 * education : 9;
  const income = normal(rng, incomeMean, incomeMean * 0.35, 0, 150);
  const employerSize = !working ? 4 : employment === 1 ? choose(rng, [85, 12, 2, 1]) : choose(rng, [18, 24, 24, 34]);
  const secondJob = working && chance(rng, income < 30 ? 0.14 : 0.06) ? 0 : 1;
  const pension = chance(rng, logistic(-2 + 0.06 * (age - 30) + (working ? 1 : 0))) ? 0 : 1;

  // Household.
  const marital =
    age < 22 ? choose(rng, [2, 6, 92, 0, 0, 0])
    : age < 35 ? choose(rng, [30, 28, 38, 3, 0.2, 1])
    : age < 65 ? choose(rng, [55, 12, 12, 15, 2, 4])
    : choose(rng, [50, 4, 5, 11, 28, 2]);
  const partnered = marital <= 1;
  const children = age < 20 || age > 70 ? (chance(rng, 0.03) ? 1 : 0) : Math.min(6, Math.max(0, normal(rng, partnered ? (age < 50 ? 1.7 : 0.6) : age < 50 ? 0.4 : 0.1, 1, 0, 6) + (immigrant && chance(rng, 0.3) ? 1 : 0)));
  const household = Math.min(9, (partnered ? 2 : 1) + children + (age < 25 && chance(rng, 0.5) ? 2 : 0) + (chance(rng, 0.05) ? 1 : 0));
  const tenure = age < 25 ? choose(rng, [3, 7, 75, 15]) : income > 60 ? choose(rng, [35, 50, 13, 2]) : income < 20 ? choose(rng, [15, 8, 47, 30]) : choose(rng, [25, 38, 30, 7]);
  const owner = tenure <= 1;
  const dwelling = urbanity === 0 ? (owner ? choose(rng, [10, 15, 25, 45, 5]) : choose(rng, [2, 3, 8, 82, 5])) : owner ? choose(rng, [55, 20, 15, 7, 3]) : choose(rng, [15, 15, 20, 45, 5]);
  const rooms = Math.min(12, Math.max(1, normal(rng, (dwelling <= 2 ? 5 : 3) + 0.5 * Math.min(household, 6) - 0.5, 1.2, 1, 12)));
  const yearsAtAddress = Math.min(age - 16 + (age < 20 ? 4 : 0), owner ? normal(rng, 14, 10, 0, 60) : normal(rng, 4, 4, 0, 60));
  const cars = Math.min(4, Math.max(0, normal(rng, (urbanity === 0 ? 0.5 : 1.2) + (income > 50 ? 0.6 : 0) + (partnered ? 0.4 : 0) - (age < 20 ? 0.8 : 0), 0.7, 0, 4)));
  const pets = chance(rng, dwelling <= 2 ? 0.5 : 0.22) ? 0 : 1;

  // Health and habits.
  const healthScore = 1.2 + 0.025 * (age - 16) - 0.008 * income + (tier === 0 ? 0.4 : 0) + 0.8 * normalZ(rng);
  const health = Math.min(4, Math.max(0, Math.round(healthScore)));
  const chronic = chance(rng, logistic(-3 + 0.045 * (age - 16) + 0.7 * health)) ? 0 : 1;
  const disability = chance(rng, logistic(-4.2 + 0.03 * (age - 16) + 0.9 * health)) ? 0 : 1;
  const doctorVisits = Math.min(20, normal(rng, 1 + 1.6 * health + (chronic === 0 ? 3 : 0), 1.5 + health, 0, 20));
  const benefit = chance(rng, logistic(-2.5 + (employment === 2 ? 3 : 0) + (disability === 0 ? 2 : 0) + (income < 15 ? 1.5 : 0) + (children >= 3 ? 1 : 0))) ? 0 : 1;
  const sport = Math.min(3, Math.max(0, Math.round(1.2 + 0.02 * (age - 30) - 0.3 * tier + 0.4 * health + 0.9 * normalZ(rng))));
  const smoker = ageBand === 0 ? choose(rng, [75, 3, 22]) : choose(rng, [45 + 8 * tier, 25, 30 - 8 * tier]);
  const bmi = normal(rng, 22 + 0.09 * (age - 16) + (sex === 0 ? 1.2 : 0) + 0.9 * sport, 3.8, 15, 45);
  const internet = Math.min(3, Math.max(0, Math.round(-0.8 + 0.035 * (age - 16) - 0.35 * tier + 0.7 * normalZ(rng))));
  const news = Math.min(3, Math.max(0, Math.round(2.2 - 0.025 * (age - 16) - 0.3 * tier + 0.8 * normalZ(rng))));

  // Beliefs and community.
  const religion = birthCountry >= 8 && birthCountry <= 17 ? choose(rng, [2, 2, 2, 60, 15, 19]) : choose(rng, [30 + 0.4 * age, 8, 2, 1, 3, 35 + (urbanity === 0 ? 20 : 0) - 0.2 * age]);
  const party = citizenship !== 0 ? 6 : choose(rng, [4 + (tier === 2 ? 3 : 0), 6 + (urbanity === 0 ? 6 : 0) + (age < 35 ? 5 : 0), 20 + (tier === 0 ? 8 : 0), 14 + 4 * tier, 16 + (religion <= 2 ? 8 : 0) + (age > 60 ? 8 : 0), 8 + (urbanity === 2 ? 6 : 0), 12]);
  const volunteer = chance(rng, logistic(-1.6 + 0.4 * tier + (religion <= 2 ? 0.4 : 0) + (age > 60 ? 0.3 : 0))) ? 0 : 1;
  const commuteMode = !working && employment !== 3 ? 6 : urbanity === 0 ? choose(rng, [18, 2, 25, 20, 20, 15, 0]) : urbanity === 1 ? choose(rng, [55, 3, 10, 8, 12, 12, 0]) : choose(rng, [80, 3, 6, 4, 4, 3, 0]);
  const commuteMinutes = commuteMode === 6 ? 0 : normal(rng, [28, 22, 40, 50, 18, 14][commuteMode] + (urbanity === 2 ? 8 : 0), 12, 1, 119);

  const values = [
    region, sex, age - 16, marital, household - 1, education, occupation, income,
    language, health, employment, urbanity, benefit, tenure, citizenship, disability,
    birthCountry, religion, children, cars, internet, smoker, bmi - 15, hours,
    yearsAtAddress, party, volunteer, commuteMode, commuteMinutes, industry, employerSize, secondJob,
    pets, pension, rooms - 1, dwelling, chronic, doctorVisits, news, sport,
  ];
  for (let j = 0; j < values.length; j++) out[j] = values[j];
}

/** A standard normal draw. */
function normalZ(rng: Xoshiro128): number {
  return Math.sqrt(-2 * Math.log(1 - rng.next())) * Math.cos(2 * Math.PI * rng.next());
}

export interface SurveyOptions {
  /** Number of data rows (not counting the header). */
  readonly rows: number;
  /** 32-bit unsigned seed. */
  readonly seed: number;
}

function checkOptions({ rows, seed }: SurveyOptions): void {
  if (!Number.isSafeInteger(rows) || rows < 0) throw new RangeError(`rows must be a non-negative integer, got ${rows}`);
  if (!Number.isInteger(seed) || seed < 0 || seed > 0xffffffff) throw new RangeError(`seed must be an integer in [0, 4294967295], got ${seed}`);
}

const VALUES = SURVEY_ATTRIBUTES.map((domain) => domain.rows.map((row) => row[0]));

/** Respondents one at a time as `{ column: value }` in SURVEY_COLUMNS order; lazy, the same on every platform. */
export function* generateSurveyRecords(options: SurveyOptions): Generator<Record<string, string>> {
  checkOptions(options);
  const rng = new Xoshiro128(options.seed);
  const row = new Int32Array(SURVEY_ATTRIBUTES.length);
  for (let i = 1; i <= options.rows; i++) {
    drawRespondent(rng, row);
    const record: Record<string, string> = { id: String(i) };
    SURVEY_ATTRIBUTES.forEach((domain, j) => {
      record[domain.name] = VALUES[j][row[j]];
    });
    yield record;
  }
}

/** The CSV text (header first, `\n` line ends) in chunks of at most `chunkRows` rows; no value needs quoting. */
export function* generateSurveyCsvChunks(options: SurveyOptions & { readonly chunkRows?: number }): Generator<string> {
  checkOptions(options);
  const chunkRows = options.chunkRows ?? 8192;
  if (!Number.isSafeInteger(chunkRows) || chunkRows < 1) throw new RangeError(`chunkRows must be a positive integer, got ${chunkRows}`);
  const rng = new Xoshiro128(options.seed);
  const row = new Int32Array(SURVEY_ATTRIBUTES.length);
  let chunk = SURVEY_COLUMNS.join(',') + '\n';
  let inChunk = 0;
  for (let i = 1; i <= options.rows; i++) {
    drawRespondent(rng, row);
    let line = String(i);
    for (let j = 0; j < row.length; j++) line += ',' + VALUES[j][row[j]];
    chunk += line + '\n';
    if (++inChunk === chunkRows) {
      yield chunk;
      chunk = '';
      inChunk = 0;
    }
  }
  if (chunk.length > 0) yield chunk;
}
