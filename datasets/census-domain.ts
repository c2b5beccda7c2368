// The census-like data set's schema: column order, every attribute's value domain and its generalization hierarchy.
// The generator draws only values listed here, and the hierarchy files in hierarchies/census are written from here.

/** One attribute: its values (level 0, in domain order) and one hierarchy row per value, ending in `*`. */
export interface AttributeDomain {
  readonly name: string;
  /** Level names, most specific first; the last is always `*`. */
  readonly levels: readonly string[];
  /** `[value, level1, …, '*']` for every value of the domain, in domain order. */
  readonly rows: readonly (readonly string[])[];
}

/** Builds a domain from groups: each entry lists its values with their labels on the levels above level 0 (excluding `*`). */
function grouped(name: string, levels: readonly string[], groups: readonly { readonly labels: readonly string[]; readonly values: readonly string[] }[]): AttributeDomain {
  const rows: string[][] = [];
  for (const group of groups) {
    if (group.labels.length !== levels.length - 2) throw new Error(`census-domain: ${name}: a group has ${group.labels.length} labels, expected ${levels.length - 2}`);
    for (const value of group.values) rows.push([value, ...group.labels, '*']);
  }
  return { name, levels, rows };
}

export const MIN_AGE = 17;
export const MAX_AGE = 90;

/**
 * Label of the aligned interval of `width` years holding `age`, clipped to the domain: `17-19`, `20-24`, …;
 * the interval holding the top-coded 90 ("90 or older") reads `90+` or `80+`.
 */
function ageBand(age: number, width: number): string {
  const lo = Math.floor(age / width) * width;
  const hi = lo + width - 1;
  if (hi >= MAX_AGE) return `${lo}+`;
  return `${Math.max(lo, MIN_AGE)}-${hi}`;
}

export const SEX = grouped('sex', ['sex', '*'], [{ labels: [], values: ['Male', 'Female'] }]);

export const AGE: AttributeDomain = {
  name: 'age',
  levels: ['age', '5 years', '10 years', '20 years', '*'],
  rows: Array.from({ length: MAX_AGE - MIN_AGE + 1 }, (_, i) => {
    const age = MIN_AGE + i;
    return [String(age), ageBand(age, 5), ageBand(age, 10), ageBand(age, 20), '*'];
  }),
};

export const RACE = grouped('race', ['race', '*'], [{ labels: [], values: ['White', 'Black', 'Asian-Pac-Islander', 'Amer-Indian-Eskimo', 'Other'] }]);

export const MARITAL_STATUS = grouped('marital-status', ['marital-status', 'spouse', '*'], [
  { labels: ['Never-married'], values: ['Never-married'] },
  { labels: ['Spouse-present'], values: ['Married-civ-spouse', 'Married-AF-spouse'] },
  { labels: ['Spouse-not-present'], values: ['Married-spouse-absent', 'Separated', 'Divorced', 'Widowed'] },
]);

export const EDUCATION = grouped('education', ['education', 'stage', 'tier', '*'], [
  { labels: ['Primary', 'Compulsory'], values: ['Preschool', '1st-4th', '5th-6th'] },
  { labels: ['Lower-secondary', 'Compulsory'], values: ['7th-8th', '9th', '10th'] },
  { labels: ['Upper-secondary', 'Secondary'], values: ['11th', '12th', 'HS-grad'] },
  { labels: ['Post-secondary', 'Secondary'], values: ['Some-college', 'Assoc-voc', 'Assoc-acdm'] },
  { labels: ['Bachelors-degree', 'Tertiary'], values: ['Bachelors'] },
  { labels: ['Graduate-degree', 'Tertiary'], values: ['Masters', 'Prof-school', 'Doctorate'] },
]);

export const NATIVE_COUNTRY = grouped('native-country', ['native-country', 'region', '*'], [
  { labels: ['North-America'], values: ['United-States', 'Canada'] },
  {
    labels: ['Latin-America'],
    values: [
      'Mexico', 'Puerto-Rico', 'El-Salvador', 'Cuba', 'Jamaica', 'Dominican-Republic', 'Guatemala', 'Colombia', 'Haiti',
      'Nicaragua', 'Peru', 'Ecuador', 'Trinidad-Tobago', 'Honduras', 'Brazil',
    ],
  },
  { labels: ['Europe'], values: ['Germany', 'England', 'Italy', 'Poland', 'Portugal', 'Greece', 'France', 'Ireland', 'Yugoslavia', 'Scotland', 'Hungary', 'Netherlands'] },
  { labels: ['Asia'], values: ['Philippines', 'India', 'China', 'South-Korea', 'Vietnam', 'Japan', 'Taiwan', 'Iran', 'Hong-Kong', 'Cambodia', 'Thailand', 'Laos'] },
  { labels: ['Africa'], values: ['Nigeria', 'Ethiopia', 'South-Africa'] },
  { labels: ['Oceania'], values: ['Australia', 'New-Zealand'] },
]);

export const WORKCLASS = grouped('workclass', ['workclass', 'sector', '*'], [
  { labels: ['Private-sector'], values: ['Private'] },
  { labels: ['Self-employed'], values: ['Self-emp-not-inc', 'Self-emp-inc'] },
  { labels: ['Government'], values: ['Federal-gov', 'State-gov', 'Local-gov'] },
  { labels: ['Unpaid'], values: ['Without-pay'] },
]);

export const OCCUPATION = grouped('occupation', ['occupation', 'group', '*'], [
  { labels: ['Managerial-professional'], values: ['Exec-managerial', 'Prof-specialty', 'Tech-support'] },
  { labels: ['Sales-office'], values: ['Adm-clerical', 'Sales'] },
  { labels: ['Manual'], values: ['Craft-repair', 'Machine-op-inspct', 'Handlers-cleaners', 'Transport-moving', 'Farming-fishing'] },
  { labels: ['Service'], values: ['Other-service', 'Priv-house-serv', 'Protective-serv', 'Armed-Forces'] },
]);

export const SALARY_CLASS = grouped('salary-class', ['salary-class', '*'], [{ labels: [], values: ['<=50K', '>50K'] }]);

/** The columns of a generated file, in order. `id` is the row number (1-based). */
export const CENSUS_COLUMNS = [
  'id', 'age', 'workclass', 'education', 'marital-status', 'occupation', 'race', 'sex', 'native-country', 'salary-class',
] as const;
export type CensusColumn = (typeof CENSUS_COLUMNS)[number];

/** The eight quasi-identifiers of the bundled sample (Adult-like hierarchy heights 2·5·2·3·4·3·3·3). */
export const CENSUS_QUASI_IDENTIFIERS = ['sex', 'age', 'race', 'marital-status', 'education', 'native-country', 'workclass', 'occupation'] as const;

/** Every attribute with a hierarchy (the QIs and `salary-class`), by name. */
export const CENSUS_HIERARCHIES: readonly AttributeDomain[] = [SEX, AGE, RACE, MARITAL_STATUS, EDUCATION, NATIVE_COUNTRY, WORKCLASS, OCCUPATION, SALARY_CLASS];

/** Level-0 values of a domain, in domain order. */
export function valuesOf(domain: AttributeDomain): string[] {
  return domain.rows.map((row) => row[0]);
}

/** Number of lattice nodes for the given attributes: the product of their hierarchy heights (levels incl. level 0). */
export function latticeSize(attributes: readonly string[]): number {
  return attributes.reduce((size, name) => {
    const domain = CENSUS_HIERARCHIES.find((d) => d.name === name);
    if (domain === undefined) throw new Error(`census-domain: no hierarchy for ${name}`);
    return size * domain.levels.length;
  }, 1);
}

/** One field in ARX's hierarchy format: RFC 4180 quoting when it holds the delimiter, a quote or a line break. */
function hierarchyField(value: string, delimiter: string): string {
  return value.includes(delimiter) || /["\r\n]/.test(value) ? `"${value.replace(/"/g, '""')}"` : value;
}

/** A domain's hierarchy as file text: no header, `;` between fields, one line per value, trailing newline. */
export function hierarchyCsv(domain: AttributeDomain, delimiter = ';'): string {
  return domain.rows.map((row) => row.map((field) => hierarchyField(field, delimiter)).join(delimiter)).join('\n') + '\n';
}
