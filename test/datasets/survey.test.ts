// Tests of the wide survey generator: determinism, hierarchy shape and committed files, every value covered, the
// benchmark's lattice sizes, correlations a real survey has (not independent uniform answers), and `--table`.

import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { hierarchyCsv } from '../../datasets/census-domain.js';
import { parseGenerateArgs } from '../../datasets/generate.js';
import { SURVEY_ATTRIBUTES, SURVEY_COLUMNS, surveyLatticeSize, surveyQuasiIdentifiers } from '../../datasets/survey-domain.js';
import { generateSurveyCsvChunks, generateSurveyRecords } from '../../datasets/survey-generator.js';

const csv = (rows: number, seed: number, chunkRows?: number): string => [...generateSurveyCsvChunks({ rows, seed, chunkRows })].join('');
const records = [...generateSurveyRecords({ rows: 20_000, seed: 1 })];

/** Cramér's V of two columns of the records: 0 for independent answers, 1 for one determining the other. */
function cramersV(a: string, b: string): number {
  const joint = new Map<string, number>();
  const left = new Map<string, number>();
  const right = new Map<string, number>();
  for (const record of records) {
    joint.set(`${record[a]}\u0000${record[b]}`, (joint.get(`${record[a]}\u0000${record[b]}`) ?? 0) + 1);
    left.set(record[a], (left.get(record[a]) ?? 0) + 1);
    right.set(record[b], (right.get(record[b]) ?? 0) + 1);
  }
  let chi = 0;
  for (const [x, nx] of left) {
    for (const [y, ny] of right) {
      const expected = (nx * ny) / records.length;
      chi += ((joint.get(`${x}\u0000${y}`) ?? 0) - expected) ** 2 / expected;
    }
  }
  return Math.sqrt(chi / records.length / (Math.min(left.size, right.size) - 1));
}

describe('survey generator', () => {
  it('is deterministic: same seed, same text, whatever the chunk size; another seed, other data', () => {
    const text = csv(1500, 9);
    expect(csv(1500, 9, 13)).toBe(text);
    expect(csv(1500, 10)).not.toBe(text);
    const lines = text.trimEnd().split('\n');
    expect(lines[0]).toBe(SURVEY_COLUMNS.join(','));
    expect(lines).toHaveLength(1501);
    expect([...generateSurveyRecords({ rows: 1500, seed: 9 })].map((r) => SURVEY_COLUMNS.map((c) => r[c]).join(','))).toEqual(lines.slice(1));
  });

  it('draws only values its hierarchies cover', () => {
    SURVEY_ATTRIBUTES.forEach((domain) => {
      const covered = new Set(domain.rows.map((row) => row[0]));
      const missing = new Set(records.map((record) => record[domain.name]).filter((value) => !covered.has(value)));
      expect([...missing], domain.name).toEqual([]);
    });
  });

  it('answers as a survey does: related questions go together, as independent ones would not', () => {
    for (const [a, b] of [['region', 'language'], ['age', 'marital'], ['marital', 'household'], ['education', 'occupation'], ['age', 'employment'], ['health', 'doctor-visits']]) {
      expect(cramersV(a, b), `${a} ↔ ${b}`).toBeGreaterThan(0.2);
    }
    expect(cramersV('sex', 'pets')).toBeLessThan(0.05);
    // Wide enough that records are nearly all unique on 24 attributes, yet far from uniform on any one.
    const unique = new Set(records.map((record) => surveyQuasiIdentifiers(24).map((name) => record[name]).join('\u0000'))).size;
    expect(unique).toBeGreaterThan(0.95 * records.length);
    const employed = records.filter((record) => record.employment === 'Employed').length / records.length;
    expect(employed).toBeGreaterThan(0.35);
  });
});

describe('survey hierarchies', () => {
  it('are functional and nested, with `*` on top, and the committed files (npm run gen -- --table survey --hierarchies hierarchies/survey)', () => {
    for (const domain of SURVEY_ATTRIBUTES) {
      const height = domain.levels.length;
      expect(domain.levels[height - 1]).toBe('*');
      for (let level = 1; level < height - 1; level++) {
        const parent = new Map<string, string>();
        for (const row of domain.rows) {
          expect(row).toHaveLength(height);
          expect(parent.get(row[level]) ?? row[level + 1], `${domain.name}: ${row[level]}`).toBe(row[level + 1]);
          parent.set(row[level], row[level + 1]);
        }
      }
      expect(readFileSync(new URL(`../../hierarchies/survey/${domain.name}.csv`, import.meta.url), 'utf8'), domain.name).toBe(hierarchyCsv(domain));
    }
  });

  it('give the benchmark its lattices: about 10^7, 10^11, 10^15 and 10^19 nodes for 16, 24, 32 and 40 attributes', () => {
    expect(SURVEY_ATTRIBUTES).toHaveLength(40);
    expect(surveyLatticeSize(16)).toBe(11_059_200);
    expect(Math.round(Math.log10(surveyLatticeSize(24)))).toBe(11);
    expect(Math.round(Math.log10(surveyLatticeSize(32)))).toBe(15);
    expect(Math.round(Math.log10(surveyLatticeSize(40)))).toBe(19);
    // Numbers carry interval hierarchies of height 3 to 5 where their range allows it.
    for (const name of ['age', 'income', 'hours', 'years-at-address', 'commute-minutes', 'household']) {
      const height = SURVEY_ATTRIBUTES.find((domain) => domain.name === name)!.levels.length - 1;
      expect(height, name).toBeGreaterThanOrEqual(3);
      expect(height, name).toBeLessThanOrEqual(5);
    }
  });
});

describe('gen --table', () => {
  it('chooses the survey or the census table, and refuses others', () => {
    expect(parseGenerateArgs(['--table', 'survey', '--rows', '10'])).toMatchObject({ table: 'survey', rows: 10 });
    expect(parseGenerateArgs(['--rows', '10'])).toMatchObject({ table: 'census' });
    expect(() => parseGenerateArgs(['--table', 'wide', '--rows', '10'])).toThrow(/^--table must be census or survey/);
  });
});
