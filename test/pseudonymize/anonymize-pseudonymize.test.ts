// Pseudonymization inside `anonymize`: alongside any models (the output still verified, tokens on every row, suppressed
// ones too), without quasi-identifiers, from Arrow to Arrow, in the report (JSON and HTML) without keys or values,
// the options it refuses, and `reidentify` in the library.

import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Dictionary, Int32, makeData, makeVector, Table, tableFromArrays, tableFromIPC, tableToIPC, Utf8, vectorFromArray } from 'apache-arrow';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { anonymize, anonymizeCsv, CloakError, keyFingerprint, reidentify, renderHtmlReport, type AnonymizeOptions } from '../../src/index.js';
import { anonymizeEncoded } from '../../src/anonymize.js';
import { resolveAlphabet, type Alphabet } from '../../src/pseudonymize/alphabet.js';
import { prepareTransforms } from '../../src/pseudonymize/prepare-transforms.js';
import { fromRecords } from '../../src/table/arrow.js';
import { ff1Values } from '../../src/pseudonymize/ff1-values.js';
import { hmacTokens } from '../../src/pseudonymize/hmac-tokens.js';
import { arbitraryDataset, SUBSET_COLUMN } from '../../src/testing/arbitrary-policy.js';
import { checkPolicy } from '../../src/testing/policy.js';
import { temporaryFiles } from '../temporary-files.js';

const RUNS = Number(process.env.CLOAK_FC_RUNS ?? 100);
const KEY = Buffer.alloc(32, 0x5a);
const keys = { default: { bytes: KEY } };
const { directory } = temporaryFiles('cloak-pseudonymize-api-');

const columnOf = (table: Table, name: string): string[] => table.getChild(name)!.toArray() as string[];

async function refusal(promise: Promise<unknown>): Promise<CloakError> {
  const error = await promise.then(
    () => undefined,
    (caught: unknown) => caught,
  );
  expect(error).toBeInstanceOf(CloakError);
  return error as CloakError;
}

describe('anonymize with pseudonymized attributes', () => {
  it('releases every row’s identifying value transformed, suppressed rows too, and the output still passes every model', async () => {
    const dataset = arbitraryDataset({ rows: { min: 4, max: 40 }, columns: { min: 1, max: 3 } }).chain((generated) =>
      fc.record({
        customers: fc.array(fc.integer({ min: 1_000_000, max: 1_000_040 }).map(String), { minLength: generated.table.length, maxLength: generated.table.length }),
        method: fc.constantFrom('hmac' as const, 'ff1' as const),
      }).map((extra) => ({ ...generated, ...extra })),
    );
    await fc.assert(
      fc.asyncProperty(dataset, async ({ table, policy, hierarchies, customers, method }) => {
        const records = table.map((row, r) => ({ ...row, customer: customers[r] }));
        const options: AnonymizeOptions = { ...policy, attributes: { ...policy.attributes, customer: { role: 'identifying', transform: { method } } } };
        let result;
        try {
          // The engine's own entry, for its suppression decision: at the top node a released cell is `*` too.
          result = await anonymizeEncoded(fromRecords(records), options, { file: 'records' }, { transforms: await prepareTransforms(options.attributes, keys) });
        } catch (error) {
          if (error instanceof CloakError && (error.code === 'NO_SOLUTION' || error.code === 'MODEL_IMPOSSIBLE')) return;
          throw error;
        }
        expect(result.report.verified).toBe(true);
        const output = Array.from({ length: result.output.rowCount }, (_, r) => Object.fromEntries(result.output.columns.map((column) => [column.name, column.dictionary[column.codes[r]]])));
        expect(checkPolicy(records, output, options, { hierarchies, suppressedRows: result.suppressedRows }).ok).toBe(true);
        const distinct = [...new Set(customers)];
        const expected =
          method === 'hmac'
            ? hmacTokens(KEY, distinct, { domain: 'customer', length: 20 }).tokens
            : (ff1Values(KEY, distinct, { alphabet: resolveAlphabet('digits') as Alphabet, tweak: Buffer.from('customer'), other: 'keep' }, 'encrypt') as string[]);
        const tokenOf = new Map(distinct.map((value, i) => [value, expected[i]]));
        // δ-presence releases its research subset only (the generated subset column says which rows).
        const released = options.models.some((model) => model.type === 'delta-presence') ? records.filter((record) => record[SUBSET_COLUMN] === 'true') : records;
        expect(output.map((row) => row.customer)).toEqual(released.map((record) => tokenOf.get(record.customer)));
      }),
      { seed: 2030, numRuns: Math.ceil(RUNS / 2) },
    );
  });

  it('runs without quasi-identifiers and models, hides untransformed identifying attributes, and reports each transform', async () => {
    const records = [
      { name: 'Ann', card: '4111111111111111', phone: '+44 20 7946 0958', note: 'x' },
      { name: 'Bob', card: '4222222222222222', phone: '+44 20 7946 0000', note: 'y' },
    ];
    const { table, report } = await anonymize(
      records,
      {
        attributes: {
          name: { role: 'identifying' },
          card: { role: 'identifying', transform: { method: 'ff1', tweak: '00ff' } },
          phone: { role: 'identifying', transform: { method: 'mask', keepLast: 4, char: '#' } },
        },
        models: [],
      },
      { keys },
    );
    expect(columnOf(table, 'name')).toEqual(['*', '*']);
    expect(columnOf(table, 'card').every((card) => /^\d{16}$/.test(card))).toBe(true);
    expect(columnOf(table, 'phone')).toEqual(['############0958', '############0000']);
    expect(columnOf(table, 'note')).toEqual(['x', 'y']);
    expect(report.transformation).toEqual({});
    expect(report.pseudonymized).toEqual([
      { attribute: 'card', transform: { method: 'ff1', alphabet: 'digits', radix: 10, tweak: '00ff', other: 'keep' }, keyFingerprint: keyFingerprint(KEY), distinctValues: 2 },
      { attribute: 'phone', transform: { method: 'mask', keepFirst: 0, keepLast: 4, char: '#' }, distinctValues: 2 },
    ]);
    expect(report.timingsMs.pseudonymize).toBeGreaterThanOrEqual(0);
    expect(JSON.stringify(report)).not.toContain(KEY.toString('hex'));
  });

  it('gives masked values that coincide one dictionary entry', async () => {
    const { table } = await anonymize(
      [{ id: 'A-1' }, { id: 'B-1' }, { id: 'A-1' }],
      { attributes: { id: { role: 'identifying', transform: { method: 'mask', keepLast: 1 } } }, models: [] },
    );
    const vector = table.getChild('id')!;
    expect(vector.toArray()).toEqual(['**1', '**1', '**1']);
    expect(vector.data[0].dictionary!.length).toBe(1);
  });

  it('reads Arrow and writes Arrow with the same tokens as CSV, and reidentify decrypts the Arrow output', async () => {
    const cards = ['4929-1234-5678-9012', '4929-2345-6789-0123', '4929-1234-5678-9012'];
    const arrowInput = tableFromArrays({ card: cards, region: ['n', 's', 'n'] });
    writeFileSync(join(directory, 'in.arrow'), tableToIPC(arrowInput, 'file'));
    writeFileSync(join(directory, 'in.csv'), `card,region\n${cards.map((card, i) => `${card},${['n', 's', 'n'][i]}`).join('\n')}\n`);
    const options: AnonymizeOptions = { attributes: { card: { role: 'identifying', transform: { method: 'ff1' } } }, models: [] };
    await anonymizeCsv({ input: join(directory, 'in.arrow'), output: join(directory, 'out.arrows'), options, keys });
    await anonymizeCsv({ input: join(directory, 'in.csv'), output: join(directory, 'out.csv'), options, keys });
    const fromArrow = columnOf(tableFromIPC(readFileSync(join(directory, 'out.arrows'))), 'card');
    const fromCsv = readFileSync(join(directory, 'out.csv'), 'utf8').trimEnd().split('\n').slice(1).map((line) => line.split(',')[0]);
    expect(fromArrow).toEqual(fromCsv);
    expect(fromArrow[0]).toBe(fromArrow[2]);
    const back = await reidentify(tableFromIPC(readFileSync(join(directory, 'out.arrows'))), options, { keys });
    expect(columnOf(back.table, 'card')).toEqual(cards);
    expect(back.reidentified).toEqual(['card']);
  });

  it('transforms only the values rows hold, not others an Arrow dictionary lists', async () => {
    // The dictionary lists "12", too short for ff1, and no row holds it.
    const type = new Dictionary(new Utf8(), new Int32());
    const data = makeData({ type, length: 2, nullCount: 0, data: Int32Array.from([0, 2]), dictionary: vectorFromArray(['4111111111111111', '12', '4222222222222222'], new Utf8()) });
    const input = new Table({ card: makeVector(data) });
    const { table, report } = await anonymize(input, { attributes: { card: { role: 'identifying', transform: { method: 'ff1' } } }, models: [] }, { keys });
    expect(columnOf(table, 'card').every((card) => /^\d{16}$/.test(card))).toBe(true);
    expect(report.pseudonymized[0].distinctValues).toBe(2);
  });

  it('puts the pseudonymized attributes in the HTML report: methods, parameters, fingerprint, no value', async () => {
    const marker = 'qqzq';
    const records = Array.from({ length: 6 }, (_, i) => ({ name: `${marker}${i}`, card: `55${marker.length}0000000000${i}`, zip: i < 3 ? '1' : '2' }));
    const { report } = await anonymize(
      records,
      {
        attributes: {
          name: { role: 'identifying', transform: { method: 'hmac', length: 12 } },
          card: { role: 'identifying', transform: { method: 'ff1' } },
          zip: { role: 'quasi-identifying', hierarchy: [['1', '*'], ['2', '*']] },
        },
        models: [{ type: 'k-anonymity', k: 3 }],
      },
      { keys },
    );
    const html = await renderHtmlReport(report);
    expect(html).toContain('Pseudonymized attributes');
    expect(html).toContain(keyFingerprint(KEY));
    expect(html).toMatch(/<td>name<\/td><td>hmac<\/td><td>domain name, length 12<\/td>/);
    expect(html).not.toContain(marker);
    expect(html).not.toContain('550000000000');
    expect(html).not.toContain(KEY.toString('hex'));
  });

  it('refuses transforms on other roles, runs with nothing to do, and date columns of one subject with different bounds', async () => {
    const record = [{ a: '1', b: '2', d: '2020-01-01', e: '2020-01-02', s: 'x' }];
    const transformOnQi = await refusal(anonymize(record, { attributes: { a: { role: 'quasi-identifying', hierarchy: [['1', '*']], transform: { method: 'hmac' } } }, models: [{ type: 'k-anonymity', k: 1 }] }, { keys }));
    expect(transformOnQi.message).toMatch(/attributes\.a\.transform: only identifying attributes are transformed/);
    const nothing = await refusal(anonymize(record, { attributes: { s: { role: 'sensitive' } }, models: [] }));
    expect(nothing.message).toMatch(/at least one quasi-identifier \(or an identifying attribute\) is required/);
    const bounds = await refusal(
      anonymize(
        record,
        {
          attributes: {
            d: { role: 'identifying', transform: { method: 'shift-dates', subject: 's' } },
            e: { role: 'identifying', transform: { method: 'shift-dates', subject: 's', days: 10 } },
          },
          models: [],
        },
        { keys },
      ),
    );
    expect(bounds.message).toMatch(/"d" and "e" shift the dates of the same subjects in one domain, so they must have the same days/);
    expect(bounds.exitCode).toBe(2);
  });
});
