// The wide survey-like data set's schema: 40 attributes in column order, each with its value domain and hierarchy.
// Numbers get interval hierarchies, codes masking ones, categories groupings; the generator draws only listed values.

import type { AttributeDomain } from './census-domain.js';

export type { AttributeDomain } from './census-domain.js';

/** Builds a domain from groups: each lists its values with their labels on the levels between 0 and `*`. */
function grouped(name: string, levels: readonly string[], groups: readonly (readonly [readonly string[], readonly string[]])[]): AttributeDomain {
  const rows: string[][] = [];
  for (const [labels, values] of groups) {
    if (labels.length !== levels.length - 2) throw new Error(`survey-domain: ${name}: a group has ${labels.length} labels, expected ${levels.length - 2}`);
    for (const value of values) rows.push([value, ...labels, '*']);
  }
  return { name, levels, rows };
}

/** A flat category: its values, then `*`. */
function flat(name: string, values: readonly string[]): AttributeDomain {
  return grouped(name, [name, '*'], [[[], values]]);
}

/**
 * Integers min..max with nested interval levels of the given widths (each a multiple of the one before), then `*`.
 * Intervals are aligned on multiples of their width and clipped to the domain: `15-19`, `90+`.
 */
function intervals(name: string, min: number, max: number, widths: readonly number[]): AttributeDomain {
  widths.forEach((width, i) => {
    if (i > 0 && width % widths[i - 1] !== 0) throw new Error(`survey-domain: ${name}: width ${width} is not a multiple of ${widths[i - 1]}`);
  });
  const band = (value: number, width: number): string => {
    const lo = Math.floor(value / width) * width;
    const hi = lo + width - 1;
    if (hi >= max) return lo <= min ? `${min}+` : `${lo}+`;
    return `${Math.max(lo, min)}-${hi}`;
  };
  const rows: string[][] = [];
  for (let value = min; value <= max; value++) rows.push([String(value), ...widths.map((width) => band(value, width)), '*']);
  return { name, levels: [name, ...widths.map((width) => `${width}s`), '*'], rows };
}

/** Codes of equal length, generalized by masking one more trailing character per level (`2431`, `243*`, … `****`). */
function masked(name: string, codes: readonly string[], maskedLevels: number): AttributeDomain {
  const rows = codes.map((code) => {
    const row = [code];
    for (let level = 1; level <= maskedLevels; level++) row.push(code.slice(0, code.length - level) + '*'.repeat(level));
    row.push('*');
    return row;
  });
  return { name, levels: [name, ...Array.from({ length: maskedLevels }, (_, i) => `${i + 1} masked`), '*'], rows };
}

export const REGION = grouped('region', ['region', 'macro-region', '*'], [
  [['North'], ['North-Coast', 'North-Hills', 'North-Metro']],
  [['East'], ['East-Valley', 'East-Metro', 'East-Plains']],
  [['South'], ['South-Coast', 'South-Islands', 'South-Metro']],
  [['West'], ['West-Mountains', 'West-Lakes', 'West-Metro']],
]);
export const SEX = flat('sex', ['Male', 'Female']);
export const AGE = intervals('age', 16, 90, [5, 10, 20]);
export const MARITAL = grouped('marital', ['marital', 'partnered', '*'], [
  [['Partnered'], ['Married', 'Cohabiting']],
  [['Single'], ['Never-married', 'Divorced', 'Widowed', 'Separated']],
]);
export const HOUSEHOLD = intervals('household', 1, 9, [2, 4]);
export const EDUCATION = grouped('education', ['education', 'stage', 'tier', '*'], [
  [['Primary', 'Basic'], ['None', 'Primary']],
  [['Lower-secondary', 'Basic'], ['Lower-secondary']],
  [['Upper-secondary', 'Secondary'], ['Upper-general', 'Upper-vocational']],
  [['Post-secondary', 'Secondary'], ['Post-secondary']],
  [['Bachelor', 'Tertiary'], ['Short-tertiary', 'Bachelor']],
  [['Graduate', 'Tertiary'], ['Master', 'Doctorate']],
]);
/** ISCO-like four-digit occupation codes: major group (first digit) follows education in the generator. */
export const OCCUPATION_CODES = [
  '1120', '1211', '1321', '1411', '2141', '2211', '2221', '2310', '2341', '2411', '2512', '2611', '3115', '3221', '3313',
  '3341', '3512', '4110', '4120', '4226', '4311', '5120', '5131', '5223', '5311', '5321', '5414', '6111', '6121', '7112',
  '7126', '7231', '7411', '7512', '8160', '8322', '8332', '9112', '9313', '9412', '0000',
] as const;
export const OCCUPATION = masked('occupation', OCCUPATION_CODES, 3);
/** Yearly income in thousands, 0..150 (150 = 150 or more). */
export const INCOME = intervals('income', 0, 150, [10, 50]);
export const LANGUAGE = grouped('language', ['language', 'official', '*'], [
  [['Official'], ['Nordic', 'Eastern', 'Southern', 'Western']],
  [['Other'], ['Immigrant-A', 'Immigrant-B']],
]);
export const CHILDREN = intervals('children', 0, 6, [3]);
export const HEALTH = flat('health', ['Very-good', 'Good', 'Fair', 'Poor', 'Very-poor']);
export const EMPLOYMENT = flat('employment', ['Employed', 'Self-employed', 'Unemployed', 'Student', 'Retired', 'Homemaker']);
export const URBANITY = flat('urbanity', ['City', 'Town', 'Rural']);
export const BENEFIT = flat('benefit', ['Yes', 'No']);
export const TENURE = flat('tenure', ['Owner', 'Mortgage', 'Renter', 'Social-housing']);
export const CITIZENSHIP = flat('citizenship', ['Citizen', 'Permanent-resident', 'Other']);
export const BIRTH_COUNTRY = grouped('birth-country', ['birth-country', 'continent', '*'], [
  [['Home'], ['Home-country']],
  [['Europe'], ['Germany', 'Poland', 'Italy', 'Spain', 'France', 'Romania', 'Portugal']],
  [['Asia'], ['India', 'China', 'Vietnam', 'Philippines', 'Turkey', 'Iran']],
  [['Africa'], ['Nigeria', 'Morocco', 'Somalia', 'Ethiopia']],
  [['Americas'], ['Brazil', 'Colombia', 'United-States', 'Chile']],
]);
export const RELIGION = grouped('religion', ['religion', 'affiliated', '*'], [
  [['Affiliated'], ['Protestant', 'Catholic', 'Orthodox', 'Muslim', 'Other-faith']],
  [['None'], ['No-religion']],
]);
export const DISABILITY = flat('disability', ['Yes', 'No']);
export const CARS = intervals('cars', 0, 4, [2]);
export const INTERNET = grouped('internet', ['internet', 'online', '*'], [
  [['Online'], ['Daily', 'Weekly']],
  [['Offline'], ['Rarely', 'Never']],
]);
export const SMOKER = flat('smoker', ['Never', 'Former', 'Current']);
export const BMI = intervals('bmi', 15, 45, [2, 10]);
export const HOURS = intervals('hours', 0, 80, [5, 10, 20]);
export const YEARS_AT_ADDRESS = intervals('years-at-address', 0, 60, [5, 10, 30]);
export const PARTY = grouped('party', ['party', 'bloc', '*'], [
  [['Left'], ['Socialist', 'Green', 'Social-democrat']],
  [['Right'], ['Liberal', 'Conservative', 'National']],
  [['None'], ['No-vote']],
]);
export const VOLUNTEER = flat('volunteer', ['Yes', 'No']);
export const COMMUTE_MODE = grouped('commute-mode', ['commute-mode', 'kind', '*'], [
  [['Private'], ['Car', 'Motorbike']],
  [['Public'], ['Bus', 'Train']],
  [['Active'], ['Bicycle', 'Walk']],
  [['None'], ['No-commute']],
]);
export const COMMUTE_MINUTES = intervals('commute-minutes', 0, 119, [10, 30, 60]);
/** NACE-like industry codes: section letter and two digits. */
export const INDUSTRY = masked('industry', ['A01', 'A02', 'C10', 'C20', 'C25', 'C28', 'F41', 'F43', 'G46', 'G47', 'H49', 'I55', 'I56', 'J62', 'K64', 'M69', 'M71', 'N81', 'O84', 'P85', 'Q86', 'Q87', 'R90', 'S96', 'X00'], 2);
export const EMPLOYER_SIZE = grouped('employer-size', ['employer-size', 'scale', '*'], [
  [['Small'], ['1-9', '10-49']],
  [['Large'], ['50-249', '250+']],
  [['None'], ['No-employer']],
]);
export const SECOND_JOB = flat('second-job', ['Yes', 'No']);
export const PENSION = flat('pension', ['Yes', 'No']);
export const ROOMS = intervals('rooms', 1, 12, [2, 4]);
export const DWELLING = grouped('dwelling', ['dwelling', 'kind', '*'], [
  [['House'], ['Detached', 'Semi-detached', 'Terraced']],
  [['Flat'], ['Flat', 'Other-dwelling']],
]);
export const PETS = flat('pets', ['Yes', 'No']);
export const CHRONIC = flat('chronic', ['Yes', 'No']);
export const DOCTOR_VISITS = intervals('doctor-visits', 0, 20, [2, 10]);
export const NEWS = grouped('news', ['news', 'reader', '*'], [
  [['Reader'], ['Daily', 'Weekly']],
  [['Non-reader'], ['Rarely', 'Never']],
]);
export const SPORT = grouped('sport', ['sport', 'active', '*'], [
  [['Active'], ['Daily', 'Weekly']],
  [['Inactive'], ['Monthly', 'Never']],
]);

/**
 * Every attribute in column order, which is also the benchmark's order: the first 16, 24, 32 or 40 are its
 * quasi-identifier sets (lattices of about 10⁷, 10¹¹, 10¹⁵ and 10¹⁹ nodes).
 */
export const SURVEY_ATTRIBUTES: readonly AttributeDomain[] = [
  REGION, SEX, AGE, MARITAL, HOUSEHOLD, EDUCATION, OCCUPATION, INCOME,
  LANGUAGE, HEALTH, EMPLOYMENT, URBANITY, BENEFIT, TENURE, CITIZENSHIP, DISABILITY,
  BIRTH_COUNTRY, RELIGION, CHILDREN, CARS, INTERNET, SMOKER, BMI, HOURS,
  YEARS_AT_ADDRESS, PARTY, VOLUNTEER, COMMUTE_MODE, COMMUTE_MINUTES, INDUSTRY, EMPLOYER_SIZE, SECOND_JOB,
  PETS, PENSION, ROOMS, DWELLING, CHRONIC, DOCTOR_VISITS, NEWS, SPORT,
];

/** The columns of a generated survey file: `id` (row number), then every attribute. */
export const SURVEY_COLUMNS: readonly string[] = ['id', ...SURVEY_ATTRIBUTES.map((domain) => domain.name)];

/** The first `count` attributes' names: the benchmark's quasi-identifier set of that width. */
export function surveyQuasiIdentifiers(count: number): string[] {
  if (!Number.isInteger(count) || count < 1 || count > SURVEY_ATTRIBUTES.length) throw new RangeError(`count must be an integer in [1, ${SURVEY_ATTRIBUTES.length}], got ${count}`);
  return SURVEY_ATTRIBUTES.slice(0, count).map((domain) => domain.name);
}

/** Nodes of the lattice of the first `count` attributes: the product of their numbers of levels. */
export function surveyLatticeSize(count: number): number {
  return SURVEY_ATTRIBUTES.slice(0, count).reduce((size, domain) => size * domain.levels.length, 1);
}
