// Tests of `cloak check`, run in process: verdicts and exit codes on hand-made exports, usage and input errors,
// the JSON document, and agreement with `cloak anonymize` on the model flags and on what the engine writes.

import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { parseAnonymizeArgs } from '../../src/cli/anonymize-command.js';
import { parseCheckArgs, runCheck } from '../../src/cli/check-command.js';
import { anonymizeCsv, CloakError } from '../../src/index.js';

let directory: string;
let hierarchies: string;

/** Ages 31, 35 (30-39), 42, 47 (40-49); zips 1234, 1235 (123*), 1298, 1299 (129*). */
const ORIGINAL = [
  ['age', 'zip', 'disease'],
  ['31', '1234', 'flu'],
  ['35', '1235', 'cold'],
  ['42', '1298', 'flu'],
  ['47', '1299', 'cancer'],
  ['31', '1235', 'cancer'],
  ['47', '1298', 'cold'],
];

/** 2-anonymous and distinct 2-diverse: classes {30-39, 123*} and {40-49, 129*} of three records each. */
const GOOD = [
  ['age', 'zip', 'disease'],
  ['30-39', '123*', 'flu'],
  ['30-39', '123*', 'cold'],
  ['40-49', '129*', 'flu'],
  ['40-49', '129*', 'cancer'],
  ['30-39', '123*', 'cancer'],
  ['40-49', '129*', 'cold'],
];

function write(name: string, rows: string[][], delimiter = ','): string {
  const path = join(directory, name);
  writeFileSync(path, rows.map((row) => row.join(delimiter)).join('\n') + '\n');
  return path;
}

/** Runs `cloak check` with stdout captured; usage and input errors come back as the CloakError. */
async function check(...argv: string[]): Promise<{ code: number; stdout: string } | { error: CloakError }> {
  let stdout = '';
  const spy = vi.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
    stdout += String(chunk);
    return true;
  });
  try {
    return { code: await runCheck(argv), stdout };
  } catch (error) {
    if (error instanceof CloakError) return { error };
    throw error;
  } finally {
    spy.mockRestore();
  }
}

async function verdict(...argv: string[]): Promise<{ code: number; stdout: string }> {
  const result = await check(...argv);
  if ('error' in result) throw result.error;
  return result;
}

async function failure(...argv: string[]): Promise<CloakError> {
  const result = await check(...argv);
  if (!('error' in result)) throw new Error(`expected an error, got exit ${result.code}:\n${result.stdout}`);
  return result.error;
}

beforeAll(() => {
  directory = mkdtempSync(join(tmpdir(), 'cloak-check-'));
  hierarchies = join(directory, 'hierarchies');
  mkdirSync(hierarchies);
  writeFileSync(join(hierarchies, 'age.csv'), '31;30-39;*\n35;30-39;*\n42;40-49;*\n47;40-49;*\n');
  writeFileSync(join(hierarchies, 'adult_hierarchy_zip.csv'), '1234;123*;*\n1235;123*;*\n1298;129*;*\n1299;129*;*\n');
  writeFileSync(join(hierarchies, 'disease.csv'), 'flu;infection;*\ncold;infection;*\ncancer;tumour;*\n');
  write('original.csv', ORIGINAL);
  write('good.csv', GOOD);
});

afterAll(() => rmSync(directory, { recursive: true, force: true }));

afterEach(() => vi.restoreAllMocks());

describe('cloak check: verdicts', () => {
  it('passes an export that meets the policy against its original (exit 0)', async () => {
    const path = join(directory, 'good.csv');
    const result = await verdict(path, '--qi', 'age,zip', '--sensitive', 'disease', '--k', '3', '--l-distinct', '2', '--original', join(directory, 'original.csv'), '--hierarchies', hierarchies);
    expect(result.code).toBe(0);
    expect(result.stdout).toBe(
      [
        `cloak check: ${path} meets the policy: 4 checks passed (6 records, 2 classes, 0 suppressed)`,
        '  ok    generalization of the original',
        '  ok    suppression within 0%',
        '  ok    3-anonymity; worst class measure 3',
        '  ok    distinct 2-diversity (disease); worst class measure 3',
        '',
      ].join('\n'),
    );
  });

  it('fails a k-anonymity violation (exit 6), naming the class without its values', async () => {
    const path = write('small-class.csv', GOOD.map((row, index) => (index === 1 ? ['31', '1234', row[2]] : row)));
    const result = await verdict(path, '--qi', 'age,zip', '--k', '2', '--original', join(directory, 'original.csv'), '--hierarchies', hierarchies);
    expect(result.code).toBe(6);
    expect(result.stdout).toContain(`cloak check: ${path} does NOT meet the policy: 1 of 3 checks failed (6 records, 3 classes, 0 suppressed)`);
    expect(result.stdout).toContain('  FAIL  2-anonymity: 1 failure; worst class measure 1');
    expect(result.stdout).toContain(`        - ${path}:2: class #0 (1 record): size 1 < k = 2, 1 record short.`);
    // The temporary directory's random name may hold any digits: look for the values only outside the path.
    const withoutPath = result.stdout.replaceAll(path, '<file>');
    expect(withoutPath).not.toContain('1234');
    expect(withoutPath).not.toContain('31');
  });

  it('names a failing class by the line of its first record in the export (file:line), also past multi-line fields', async () => {
    // Row 0 spans lines 2-3 (a quoted line break), so the lone 47/1299 record, row 3, is on line 6.
    const path = join(directory, 'lines.csv');
    writeFileSync(path, 'age,zip,note\n30-39,123*,"two\nlines"\n30-39,123*,x\n40-49,129*,x\n47,1299,x\n40-49,129*,x\n');
    const result = await verdict(path, '--qi', 'age,zip', '--k', '2');
    expect(result.code).toBe(6);
    expect(result.stdout).toContain(`        - ${path}:6: class #2 (1 record): size 1 < k = 2, 1 record short.`);
    const document = JSON.parse((await verdict(path, '--qi', 'age,zip', '--k', '2', '--json')).stdout);
    expect(document.checks[0].failures[0]).toMatchObject({ classIndex: 2, firstRow: 3, location: { file: path, line: 6 } });
  });

  it('words one check and one record in the singular, and gives release-wide models their release figure', async () => {
    const single = write('single.csv', [['age', 'zip'], ['30-39', '123*']]);
    const one = await verdict(single, '--qi', 'age,zip', '--k', '1');
    expect(one.stdout).toBe(`cloak check: ${single} meets the policy: 1 check passed (1 record, 1 class, 0 suppressed)\n  ok    1-anonymity; worst class measure 1\n`);
    // Two classes of three records: average risk 2/6, rounded for reading; the JSON keeps full precision.
    const path = join(directory, 'good.csv');
    const risk = await verdict(path, '--qi', 'age,zip', '--max-average-risk', '0.5', '--max-risk', '0.5');
    expect(risk.stdout).toContain('  ok    average risk ≤ 0.5; release figure 0.3333\n');
    expect(risk.stdout).toContain('  ok    highest risk ≤ 0.5; worst class measure 0.3333\n');
    const document = JSON.parse((await verdict(path, '--qi', 'age,zip', '--max-average-risk', '0.5', '--json')).stdout);
    expect(document.checks[0].stats.worst).toBe(1 / 3);
  });

  it('quotes class labels only under --show-values', async () => {
    const path = write('small-class-shown.csv', GOOD.map((row, index) => (index === 1 ? ['31', '1234', row[2]] : row)));
    const result = await verdict(path, '--qi', 'age,zip', '--k', '2', '--show-values');
    expect(result.code).toBe(6);
    expect(result.stdout).toContain('class {age="31", zip="1234"} (#0, 1 record)');
  });

  it('fails a cell that is not a generalization of its original, and suppression over the limit', async () => {
    const wrong = write('wrong-cell.csv', GOOD.map((row, index) => (index === 1 ? ['40-49', '123*', row[2]] : row)));
    const result = await verdict(wrong, '--qi', 'age,zip', '--k', '1', '--original', join(directory, 'original.csv'), '--hierarchies', hierarchies);
    expect(result.code).toBe(6);
    expect(result.stdout).toContain('  FAIL  generalization of the original: 1 failure');
    expect(result.stdout).toContain('Row 0, column "age": the output is neither the original value nor one of its generalizations.');

    const suppressed = write('suppressed.csv', GOOD.map((row, index) => (index === 1 || index === 3 ? ['*', '*', row[2]] : row)));
    const over = await verdict(suppressed, '--qi', 'age,zip', '--k', '2', '--original', join(directory, 'original.csv'), '--hierarchies', hierarchies, '--suppression', '0.2');
    expect(over.code).toBe(6);
    expect(over.stdout).toContain('2 records are suppressed where floor(0.2 × 6) = 1 are allowed (1 too many).');
    const within = await verdict(suppressed, '--qi', 'age,zip', '--k', '2', '--original', join(directory, 'original.csv'), '--hierarchies', hierarchies, '--suppression', '0.34');
    expect(within.code).toBe(0);
  });

  it('checks the export alone: its own distribution as the reference, and the budget over its own records', async () => {
    const path = join(directory, 'good.csv');
    // Each class holds disease values (flu, cold, cancer) once, like the export: every distance is 0.
    const close = await verdict(path, '--qi', 'age,zip', '--sensitive', 'disease', '--t-equal', '0', '--t-hierarchical', '0', '--hierarchies', hierarchies, '--suppression', '0');
    expect(close.code).toBe(0);
    expect(close.stdout).toContain('3 checks passed');
    const tight = await verdict(path, '--qi', 'age,zip', '--sensitive', 'disease', '--delta-disclosure', '0.1', '--k', '4');
    expect(tight.code).toBe(6);
    expect(tight.stdout).toContain('  FAIL  4-anonymity: 2 failures');
  });

  it('prints exactly one JSON document with --json', async () => {
    const path = write('json.csv', GOOD.map((row, index) => (index === 1 ? ['31', '1234', row[2]] : row)));
    const result = await verdict(path, '--qi', 'age,zip', '--sensitive', 'disease', '--k', '2', '--l-recursive', '3,2', '--json');
    expect(result.code).toBe(6);
    const document = JSON.parse(result.stdout);
    expect(document).toMatchObject({ ok: false, export: path, original: null, rows: 6, classes: 3, suppressed: 0, suppressionLimit: null });
    expect(document.models).toEqual([
      { type: 'k-anonymity', k: 2 },
      { type: 'recursive-cl-diversity', attribute: 'disease', c: 3, l: 2 },
    ]);
    expect(document.checks.map((entry: { check: string; ok: boolean }) => [entry.check, entry.ok])).toEqual([
      ['2-anonymity', false],
      ['recursive (3, 2)-diversity (disease)', false],
    ]);
    // The class with one value has an infinite ratio, which JSON carries as null; no labels without --show-values.
    const recursive = document.checks[1].failures[0];
    expect(recursive).toMatchObject({ kind: 'class', classIndex: 0, size: 1, measure: null, margin: null });
    expect(recursive).not.toHaveProperty('labels');
  });

  it('orders --t-ordered values by the declared type', async () => {
    // Code-point order of 2, 10, 9 is 10 < 2 < 9; numeric order is 2 < 9 < 10. Class {a}: [2, 10], class {b}: [9, 9].
    const path = write('ordered.csv', [['q', 's'], ['a', '2'], ['a', '10'], ['b', '9'], ['b', '9']]);
    // p = (2: ¼, 9: ½, 10: ¼). Numeric: class a has (½, 0, ½): cumulative differences ¼, −¼ → (¼ + ¼)/2 = ¼.
    // Code point (10, 2, 9): class a has (½, ½, 0) against (¼, ¼, ½): differences ¼, ½ → (¼ + ½)/2 = ⅜.
    const numeric = await verdict(path, '--qi', 'q', '--t-ordered', 's=0.3', '--types', 's=integer');
    expect(numeric.code).toBe(0);
    const text = await verdict(path, '--qi', 'q', '--t-ordered', 's=0.3');
    expect(text.code).toBe(6);
    expect(text.stdout).toContain('ordered distance of "s" to the reference is 0.375 > t = 0.3');
  });

  it('reads a semicolon export with --delimiter, and agrees with what cloak anonymize writes', async () => {
    const path = write('semicolon.csv', GOOD, ';');
    expect((await verdict(path, '--qi', 'age,zip', '--k', '3', '--delimiter', ';')).code).toBe(0);

    const output = join(directory, 'anonymized.csv');
    const original = join(directory, 'original.csv');
    const flags = ['--qi', 'age,zip', '--sensitive', 'disease', '--k', '2', '--l-distinct', '2', '--t-hierarchical', '0.4', '--suppression', '0.34', '--hierarchies', hierarchies];
    const parsed = parseAnonymizeArgs([original, '-o', output, ...flags]);
    if (parsed.help) throw new Error('unexpected help');
    await anonymizeCsv(parsed.request);
    expect(readFileSync(output, 'utf8').split('\n')[0]).toBe('age,zip,disease');
    const result = await verdict(output, ...flags, '--original', original);
    expect(result.stdout).toContain('meets the policy');
    expect(result.code).toBe(0);
  });
});

describe('cloak check: Arrow exports', () => {
  it.for(['arrow', 'arrows'] as const)('checks what cloak anonymize --output-format %s writes, against the CSV original', async (format) => {
    const original = join(directory, 'original.csv');
    const output = join(directory, `anonymized.${format}`);
    const flags = ['--qi', 'age,zip', '--sensitive', 'disease', '--k', '3', '--l-distinct', '2', '--hierarchies', hierarchies];
    const parsed = parseAnonymizeArgs([original, '-o', output, ...flags]);
    if (parsed.help) throw new Error('unexpected help');
    await anonymizeCsv(parsed.request);
    const passed = await verdict(output, ...flags, '--original', original);
    expect(passed.stdout).toContain(`${output} meets the policy: 4 checks passed (6 records, 2 classes, 0 suppressed)`);
    expect(passed.code).toBe(0);
    const failed = await verdict(output, '--qi', 'age,zip', '--k', '4');
    expect(failed.code).toBe(6);
    // An Arrow file has no lines: a class is named by its first row.
    expect(failed.stdout).toContain(`        - ${output} record 1: class #0 (3 records): size 3 < k = 4, 1 record short.`);
    expect(failed.stdout).toContain(`        - ${output} record 3: class #1 (3 records): size 3 < k = 4, 1 record short.`);
  });

  it('reads an Arrow export of any name with --input-format, and refuses a CSV read as Arrow (exit 3)', async () => {
    const original = join(directory, 'original.csv');
    const arrow = join(directory, 'forced.arrow');
    const parsed = parseAnonymizeArgs([original, '-o', arrow, '--qi', 'age,zip', '--k', '3', '--hierarchies', hierarchies]);
    if (parsed.help) throw new Error('unexpected help');
    await anonymizeCsv(parsed.request);
    const renamed = join(directory, 'forced.bin');
    writeFileSync(renamed, readFileSync(arrow));
    expect((await verdict(renamed, '--qi', 'age,zip', '--k', '3', '--input-format', 'arrow')).code).toBe(0);
    expect(await failure(join(directory, 'good.csv'), '--qi', 'age,zip', '--k', '3', '--input-format', 'arrows')).toMatchObject({ exitCode: 3, code: 'ARROW_INVALID' });
    expect((await failure(renamed, '--qi', 'age,zip', '--k', '3', '--input-format', 'xlsx')).problems).toEqual(['--input-format: expected one of csv, arrow, arrows, parquet, got "xlsx"']);
  });
});

describe('cloak check: errors', () => {
  it('reports every usage problem at once (exit 2)', async () => {
    const error = await failure('--k', '0', '--l-recursive', '2', '--original', 'x.csv', '--t-hierarchical', '0.2', '--suppression', '2');
    expect(error.exitCode).toBe(2);
    expect(error.problems).toEqual([
      'expected exactly one export file (or -), got 0',
      '--qi is required: the quasi-identifier columns',
      '--k: expected an integer ≥ 1, got "0"',
      '--l-recursive: no sensitive attribute; give --sensitive or --l-recursive attr=value',
      '--t-hierarchical: no sensitive attribute; give --sensitive or --t-hierarchical attr=value',
      "--original needs --hierarchies DIR: the generalization check reads every quasi-identifier's hierarchy",
      '--suppression: expected a number in [0, 1], got "2"',
    ]);
    expect((await failure('a.csv', '--qi', 'age')).message).toBe(
      'no privacy model given: use --k and/or an l-diversity, t-closeness, δ-disclosure, β-likeness, risk, --k-map, --delta-presence or --epsilon flag; see cloak check --help',
    );
    expect((await failure('a.csv', '--qi', 'age', '--k', '2', '--bogus')).exitCode).toBe(2);
  });

  it('refuses columns missing from the export header (exit 2)', async () => {
    const error = await failure(join(directory, 'good.csv'), '--qi', 'age,zipcode', '--sensitive', 'illness', '--k', '2');
    expect(error.exitCode).toBe(2);
    expect(error.problems).toEqual([
      `column "zipcode" (quasi-identifying) is not in the header of ${join(directory, 'good.csv')}`,
      `column "illness" (sensitive) is not in the header of ${join(directory, 'good.csv')}`,
    ]);
  });

  it('says when the delimiter leaves the header one column, and names near columns', async () => {
    const semicolon = write('semicolon-read-as-comma.csv', GOOD, ';');
    const error = await failure(semicolon, '--qi', 'age,zip', '--sensitive', 'disease', '--k', '2', '--delimiter', ',');
    expect(error.problems).toEqual([`the header of ${semicolon} has one column; is the delimiter ";"? (--delimiter ';')`]);
    expect((await failure(join(directory, 'good.csv'), '--qi', 'AGE,zip', '--k', '2')).message).toBe(
      `column "AGE" (quasi-identifying) is not in the header of ${join(directory, 'good.csv')}; did you mean "age"?`,
    );
  });

  it('reports unreadable files and missing or malformed hierarchies as input errors (exit 3)', async () => {
    const good = join(directory, 'good.csv');
    expect(await failure(join(directory, 'absent.csv'), '--qi', 'age', '--k', '2')).toMatchObject({ exitCode: 3, code: 'INPUT_NOT_FOUND' });
    const empty = join(directory, 'no-hierarchies');
    mkdirSync(empty, { recursive: true });
    expect(await failure(good, '--qi', 'age', '--k', '2', '--original', join(directory, 'original.csv'), '--hierarchies', empty)).toMatchObject({
      exitCode: 3,
      code: 'HIERARCHY_NOT_FOUND',
    });
    // A hierarchy missing an exported value of the sensitive attribute cannot measure the distance.
    const partial = join(directory, 'partial-hierarchies');
    mkdirSync(partial, { recursive: true });
    writeFileSync(join(partial, 'disease.csv'), 'flu;infection;*\ncold;infection;*\n');
    const error = await failure(good, '--qi', 'age', '--sensitive', 'disease', '--t-hierarchical', '0.5', '--hierarchies', partial);
    expect(error.exitCode).toBe(3);
    expect(error.message).toMatch(/hierarchy of "disease" is malformed: 1 domain value has no hierarchy row/);
    expect(error.message).not.toContain('cancer');
  });
});

describe('model flags shared with cloak anonymize', () => {
  it('parse to the same models in both commands', () => {
    const models = [
      '--k', '3',
      '--l-distinct', '2', '--l-entropy', 'disease=1.5', '--entropy-estimator', 'grassberger', '--l-recursive', '3,2',
      '--t-equal', '0.2', '--t-ordered', 'disease=0.3', '--t-hierarchical', '0.4',
      '--delta-disclosure', '1.5', '--beta-likeness', '2', '--enhanced-beta-likeness', 'disease=1',
    ];
    const anonymize = parseAnonymizeArgs(['in.csv', '-o', 'out.csv', '--qi', 'age', '--sensitive', 'disease', ...models]);
    const checked = parseCheckArgs(['out.csv', '--qi', 'age', '--sensitive', 'disease', '--hierarchies', 'h', ...models]);
    if (anonymize.help || checked.help) throw new Error('unexpected help');
    expect(checked.request.policy.models).toEqual(anonymize.request.options.models);
    expect(checked.request.policy.models).toHaveLength(10);
  });
});

describe('cloak check: k-map, δ-presence and differential privacy', () => {
  it('counts a population table for --k-map, takes --original as the population of --delta-presence, and derives k for --epsilon', async () => {
    const good = join(directory, 'good.csv');
    const people = write('population.csv', [['age', 'zip', 'count'], ['31', '1234', '2'], ['35', '1235', '2'], ['31', '1235', '1'], ['42', '1298', '3'], ['47', '1299', '1'], ['47', '1298', '1']]);
    // 30-39/123* stands for 5 people, 40-49/129* for 5.
    expect((await verdict(good, '--qi', 'age,zip', '--k-map', '5', '--population-table', people, '--hierarchies', hierarchies)).code).toBe(0);
    const failed = await verdict(good, '--qi', 'age,zip', '--k-map', '6', '--population-table', people, '--hierarchies', hierarchies);
    expect(failed.code).toBe(6);
    expect(failed.stdout).toContain('FAIL  6-map');
    // The export of a subset: the original marks it; every released class holds 3 of its 3 population records.
    const marked = write('marked.csv', ORIGINAL.map((row, index) => [...row, index === 0 ? 'in' : 'true']));
    const subsetExport = write('subset-export.csv', GOOD.map((row, index) => [...row, index === 0 ? 'in' : 'true']));
    expect((await verdict(subsetExport, '--qi', 'age,zip', '--delta-presence', '0,1', '--subset-column', 'in', '--original', marked, '--hierarchies', hierarchies)).code).toBe(0);
    expect((await verdict(subsetExport, '--qi', 'age,zip', '--delta-presence', '0,0.9', '--subset-column', 'in', '--original', marked, '--hierarchies', hierarchies)).code).toBe(6);
    // (2, 0.5)-DP with fixed levels needs classes of k; these classes of 3 are below it.
    const dp = await verdict(good, '--qi', 'age,zip', '--epsilon', '2', '--delta', '0.5', '--dp-levels', 'age=1,zip=1');
    expect(dp.code).toBe(6);
    expect(dp.stdout).toMatch(/FAIL {2}\(2, 0\.5\)-differential privacy \(k = \d+\)/);
  });

  it('asks for what the checks need', async () => {
    const good = join(directory, 'good.csv');
    expect((await failure(good, '--qi', 'age,zip', '--k-map', '5')).message).toMatch(/--k-map without --estimator counts the population: give --population-table FILE and --hierarchies DIR/);
    expect((await failure(good, '--qi', 'age,zip', '--delta-presence', '0,1', '--subset-column', 'in')).message).toMatch(/give it as --original/);
  });
});
