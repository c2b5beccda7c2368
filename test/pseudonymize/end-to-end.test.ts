// End to end on the CLI: a customer table (name, account, card, birth date, visit dates) pseudonymized and
// k-anonymized in one run; two extracts made in separate runs join on their tokens exactly as the originals do.

import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { checkPolicy, keyFingerprint, type AnonymizationReport, type AnonymizeOptions } from '../../src/index.js';
import { buildCli, runCli } from '../reliability/cli-harness.js';
import { temporaryFiles } from '../temporary-files.js';

const { directory } = temporaryFiles('cloak-pseudonymize-e2e-');
const KEY = Buffer.from('6a1f0c9e2b7d4a5583e61f0a9c2d7b4e11c8a3f05e6d7b8c9a0f1e2d3c4b5a69', 'hex');
const HEADER = ['name', 'account', 'card', 'birth', 'zip', 'sex', 'visit'];
let cli: string;

/** Customer c's rows: one per visit, 1–4 visits, deterministic from c. */
function customerRows(c: number): string[][] {
  const name = `Customer${String.fromCharCode(65 + (c % 26))}${c}`;
  const account = `ACC-${String(100000 + c * 37)}`;
  const card = `4${String(100000000000000 + c * 7919).padStart(15, '0')}`.replace(/(\d{4})(?=\d)/g, '$1-');
  const birth = new Date(Date.UTC(1950 + (c % 40), c % 12, 1 + (c % 27))).toISOString().slice(0, 10);
  const zip = String(10100 + (c % 6) * 10 + (c % 3));
  const sex = c % 2 === 0 ? 'F' : 'M';
  return Array.from({ length: 1 + (c % 4) }, (_, v) => [name, account, card, birth, zip, sex, new Date(Date.UTC(2023, v * 2, 3 + c % 20)).toISOString().slice(0, 10)]);
}

const csv = (rows: readonly (readonly string[])[]) => [HEADER, ...rows].map((row) => row.join(',')).join('\n') + '\n';
const parse = (text: string) =>
  text
    .trimEnd()
    .split('\n')
    .slice(1)
    .map((line) => line.split(','));

const PSEUDONYMIZE = [
  ['--pseudonymize', 'name=hmac'],
  ['--pseudonymize', 'account=hmac:length=16'],
  ['--pseudonymize', 'card=ff1:alphabet=digits'],
  ['--pseudonymize', 'birth=shift-dates:subject=account,days=45'],
  ['--pseudonymize', 'visit=shift-dates:subject=account,days=45'],
].flat();

function anonymizeExtract(customers: readonly number[], stem: string): { input: string[][]; output: string[][]; report: AnonymizationReport } {
  const input = customers.flatMap(customerRows);
  writeFileSync(join(directory, `${stem}.csv`), csv(input));
  const run = runCli(
    cli,
    ['anonymize', `${stem}.csv`, '-o', `${stem}.out.csv`, '--report', `${stem}.json`, '--qi', 'zip,sex', '--hierarchy-spec', 'spec.json', '--k', '3', '--types', 'birth=date,visit=date', '--key-file', 'key.hex', ...PSEUDONYMIZE],
    { cwd: directory },
  );
  expect(run.stderr).not.toContain('error');
  expect(run.status).toBe(0);
  return { input, output: parse(readFileSync(join(directory, `${stem}.out.csv`), 'utf8')), report: JSON.parse(readFileSync(join(directory, `${stem}.json`), 'utf8')) as AnonymizationReport };
}

const column = (name: string) => HEADER.indexOf(name);
const dayOf = (text: string) => Date.parse(`${text}T00:00:00Z`) / 86_400_000;

let first: ReturnType<typeof anonymizeExtract>;
let second: ReturnType<typeof anonymizeExtract>;

beforeAll(async () => {
  cli = await buildCli();
  writeFileSync(join(directory, 'key.hex'), `${KEY.toString('hex')}\n`);
  writeFileSync(join(directory, 'spec.json'), JSON.stringify({ zip: { type: 'mask', levels: 5 }, sex: { type: 'group', levels: [{ '*': ['F', 'M'] }] } }));
  // Customers 0–59 in the first extract, 40–99 in the second: 20 customers in both.
  first = anonymizeExtract([...Array(60).keys()], 'first');
  second = anonymizeExtract([...Array(60).keys()].map((c) => c + 40), 'second');
}, 180_000);

describe('pseudonymized and k-anonymized in one run', () => {
  it('is verified, 3-anonymous on the quasi-identifiers, and reports each transform with the key fingerprint', () => {
    for (const { input, output, report } of [first, second]) {
      expect(report.verified).toBe(true);
      const policy: AnonymizeOptions = {
        attributes: { zip: { role: 'quasi-identifying' }, sex: { role: 'quasi-identifying' }, ...Object.fromEntries(['name', 'account', 'card', 'birth', 'visit'].map((name) => [name, { role: 'identifying' as const }])) },
        models: [{ type: 'k-anonymity', k: 3 }],
      };
      const table = (rows: string[][]) => rows.map((row) => Object.fromEntries(HEADER.map((name, c) => [name, row[c]])));
      const hierarchies = {
        zip: [...new Set(input.map((row) => row[column('zip')]))].map((zip) => [zip, `${zip.slice(0, 4)}*`, `${zip.slice(0, 3)}**`, `${zip.slice(0, 2)}***`, `${zip.slice(0, 1)}****`, '*****']),
        sex: [['F', '*'], ['M', '*']],
      };
      expect(checkPolicy(table(input), table(output), policy, { hierarchies }).ok).toBe(true);
      expect(report.pseudonymized.map((entry) => [entry.attribute, entry.transform.method, entry.keyFingerprint])).toEqual(
        ['name', 'account', 'card', 'birth', 'visit'].map((name) => [name, name === 'name' || name === 'account' ? 'hmac' : name === 'card' ? 'ff1' : 'shift-dates', keyFingerprint(KEY)]),
      );
      expect(JSON.stringify(report)).not.toContain(KEY.toString('hex'));
    }
  });

  it('releases no original name, account or card number, and keeps card numbers 16 digits with their dashes', () => {
    for (const { input, output } of [first, second]) {
      const originals = new Set(input.flatMap((row) => [row[column('name')], row[column('account')], row[column('card')]]));
      for (const row of output) {
        for (const name of ['name', 'account', 'card']) expect(originals.has(row[column(name)])).toBe(false);
        expect(row[column('card')]).toMatch(/^\d{4}-\d{4}-\d{4}-\d{4}$/);
        expect(row[column('account')]).toMatch(/^[a-z2-7]{16}$/);
      }
    }
  });

  it('moves every date of a customer by one offset within the bound, so the age at each visit is kept', () => {
    for (const { input, output } of [first, second]) {
      input.forEach((row, r) => {
        const birthShift = dayOf(output[r][column('birth')]) - dayOf(row[column('birth')]);
        expect(dayOf(output[r][column('visit')]) - dayOf(output[r][column('birth')])).toBe(dayOf(row[column('visit')]) - dayOf(row[column('birth')]));
        expect(Math.abs(birthShift)).toBeLessThanOrEqual(45);
      });
    }
  });

  it('gives the same customer the same tokens in both runs, so the extracts join on them exactly as on the originals', () => {
    const pairs = (extract: typeof first, name: string) => extract.input.map((row, r) => [row[column(name)], extract.output[r][column(name)]] as const);
    for (const name of ['name', 'account', 'card']) {
      const tokenOf = new Map<string, string>();
      for (const [original, token] of [...pairs(first, name), ...pairs(second, name)]) {
        expect(tokenOf.get(original) ?? token).toBe(token);
        tokenOf.set(original, token);
      }
      expect(new Set(tokenOf.values()).size).toBe(tokenOf.size);
    }
    const join = (left: string[][], right: string[][], key: number) => {
      const rightKeys = new Set(right.map((row) => row[key]));
      return new Set(left.filter((row) => rightKeys.has(row[key])).map((row) => row[key]));
    };
    const originalJoin = join(first.input, second.input, column('account'));
    const tokenJoin = join(first.output, second.output, column('account'));
    expect(originalJoin.size).toBe(20);
    expect(tokenJoin.size).toBe(originalJoin.size);
    const tokenOfAccount = new Map(pairs(first, 'account'));
    expect(new Set([...originalJoin].map((account) => tokenOfAccount.get(account)))).toEqual(tokenJoin);
  });

  it('gives back the card numbers with cloak reidentify and the same key, and leaves the other columns as they are', () => {
    const run = runCli(cli, ['reidentify', 'first.out.csv', '-o', 'first.back.csv', '--pseudonymize', 'card=ff1:alphabet=digits', '--pseudonymize', 'name=hmac', '--key-file', 'key.hex'], { cwd: directory });
    expect(run.status).toBe(0);
    expect(run.stderr).toMatch(new RegExp(`decrypted card \\(key fingerprint ${keyFingerprint(KEY)}\\); left as they are \\(one-way\\): name`));
    const back = parse(readFileSync(join(directory, 'first.back.csv'), 'utf8'));
    back.forEach((row, r) => {
      expect(row[column('card')]).toBe(first.input[r][column('card')]);
      for (const name of HEADER.filter((other) => other !== 'card')) expect(row[column(name)]).toBe(first.output[r][column(name)]);
    });
  });
});
