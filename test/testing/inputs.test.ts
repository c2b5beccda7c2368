// Tests that every table form of cloak/testing (records, Arrow Utf8 or dictionary, columnar strings or codes)
// yields exactly the same verdicts, on generated datasets and generalized outputs.

import { Dictionary, Int32, Table, tableFromArrays, Utf8, vectorFromArray } from 'apache-arrow';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  arbitraryDataset,
  checkBetaLikeness,
  checkDeltaDisclosure,
  checkGeneralizes,
  checkKAnonymity,
  checkLDiversity,
  checkPolicy,
  checkSuppressionWithin,
  checkTCloseness,
  type ColumnarTable,
  type Dataset,
  type TableInput,
  type Verdict,
} from '../../src/testing/index.js';

type Rows = Record<string, string>[];

function columnNames(rows: Rows, dataset: Dataset): string[] {
  return rows.length > 0 ? Object.keys(rows[0]) : Object.keys(dataset.policy.attributes);
}

/** Arrow with plain Utf8 columns, split into two record batches to exercise chunk boundaries. */
function arrowUtf8(rows: Rows, names: string[]): Table {
  const whole = new Table(Object.fromEntries(names.map((name) => [name, vectorFromArray(rows.map((row) => row[name]), new Utf8())])));
  const middle = Math.floor(rows.length / 2);
  return whole.slice(0, middle).concat(whole.slice(middle));
}

/** Arrow with dictionary-encoded columns, also chunked (sliced chunks carry offsets). */
function arrowDictionary(rows: Rows, names: string[]): Table {
  const type = () => new Dictionary(new Utf8(), new Int32());
  const whole = new Table(Object.fromEntries(names.map((name) => [name, vectorFromArray(rows.map((row) => row[name]), type())])));
  const third = Math.floor(rows.length / 3);
  return whole.slice(0, third).concat(whole.slice(third));
}

/** Columnar strings. */
function columnarStrings(rows: Rows, names: string[]): ColumnarTable {
  return { rowCount: rows.length, columns: Object.fromEntries(names.map((name) => [name, rows.map((row) => row[name])])) };
}

/**
 * Columnar codes with an awkward dictionary: reversed first-seen order, every value listed twice (rows alternate
 * between the copies), an unused entry, and codes over-allocated past the row count.
 */
function columnarCodes(rows: Rows, names: string[]): ColumnarTable {
  const columns: ColumnarTable['columns'] = {};
  for (const name of names) {
    const values = [...new Set(rows.map((row) => row[name]))].reverse();
    const dictionary = [...values, ...values, 'unused'];
    const codes = new Int32Array(rows.length + 7);
    rows.forEach((row, index) => {
      codes[index] = values.indexOf(row[name]) + (index % 2) * values.length;
    });
    columns[name] = { codes, dictionary };
  }
  return { rowCount: rows.length, columns };
}

/** Generalizes each quasi-identifier to the level drawn for it (capped at its hierarchy's height). */
function generalize(dataset: Dataset, levels: number[]): Rows {
  const qi = Object.keys(dataset.hierarchies).filter((name) => dataset.policy.attributes[name].role === 'quasi-identifying');
  return dataset.table.map((row) => {
    const out = { ...row };
    qi.forEach((name, q) => {
      const hierarchyRow = dataset.hierarchies[name].find((r) => r[0] === row[name])!;
      out[name] = hierarchyRow[Math.min(levels[q] ?? 0, hierarchyRow.length - 1)];
    });
    return out;
  });
}

const forms: [string, (rows: Rows, names: string[]) => TableInput][] = [
  ['Arrow Utf8', arrowUtf8],
  ['Arrow dictionary', arrowDictionary],
  ['columnar strings', columnarStrings],
  ['columnar codes', columnarCodes],
];

describe('table forms give identical verdicts', () => {
  it('for the policy checker and every individual checker', () => {
    fc.assert(
      fc.property(arbitraryDataset({ rows: { min: 0, max: 25 } }), fc.array(fc.nat({ max: 3 }), { maxLength: 4 }), (dataset, levels) => {
        const output = generalize(dataset, levels);
        const names = columnNames(output, dataset);
        const qi = Object.entries(dataset.policy.attributes)
          .filter(([, a]) => a.role === 'quasi-identifying')
          .map(([name]) => name);
        const sensitive = names.find((name) => !qi.includes(name));
        const verdicts = (table: TableInput): Verdict[] => {
          const list: Verdict[] = [
            checkPolicy(dataset.table, table, dataset.policy, { showValues: true }),
            checkKAnonymity(table, { qi, k: 2, showValues: true }),
            checkSuppressionWithin(dataset.table, table, { qi, limit: 0.1 }),
            checkGeneralizes(dataset.table, table, { qi, hierarchies: dataset.hierarchies, showValues: true }),
          ];
          if (sensitive !== undefined) {
            const common = { qi, sensitive, reference: dataset.table, showValues: true };
            list.push(
              checkLDiversity(table, { ...common, l: 2, variant: 'entropy' }),
              checkLDiversity(table, { ...common, l: 2, c: 2, variant: 'recursive' }),
              checkTCloseness(table, { ...common, t: 0.2, distance: 'ordered' }),
              checkTCloseness(table, { ...common, t: 0.2, distance: 'equal' }),
              checkDeltaDisclosure(table, { ...common, delta: 1 }),
              checkBetaLikeness(table, { ...common, beta: 1, enhanced: true }),
            );
          }
          return list;
        };
        const expected = verdicts(output);
        for (const [, convert] of forms) expect(verdicts(convert(output, names))).toEqual(expected);
      }),
      { numRuns: 60 },
    );
  });

  it('reads Arrow nulls as empty strings', () => {
    const withNull = new Table({ zip: vectorFromArray(['1', null, '1'], new Utf8()) });
    const records = [{ zip: '1' }, { zip: '' }, { zip: '1' }];
    expect(checkKAnonymity(withNull, { qi: ['zip'], k: 2 })).toEqual(checkKAnonymity(records, { qi: ['zip'], k: 2 }));
    expect(checkKAnonymity(tableFromArrays({ zip: ['1', '1'] }), { qi: ['zip'], k: 2 }).ok).toBe(true);
  });

  it('rejects malformed columnar input with usage errors', () => {
    expect(() => checkKAnonymity({ rowCount: 3, columns: { zip: ['1', '1'] } }, { qi: ['zip'], k: 1 })).toThrow(/fewer cells/);
    expect(() => checkKAnonymity({ rowCount: 1, columns: { zip: { codes: Int32Array.of(2), dictionary: ['a'] } } }, { qi: ['zip'], k: 1 })).toThrow(
      /outside the dictionary/,
    );
    expect(() => checkKAnonymity([{ zip: '1' }, { other: '2' }], { qi: ['zip'], k: 1 })).toThrow(/Row 1 of the checked table has no value/);
  });

  it('groups a million columnar rows quickly', () => {
    const rowCount = 1_000_000;
    const codes = (modulo: number): Int32Array => Int32Array.from({ length: rowCount }, (_, i) => (i * 7919) % modulo);
    const table: ColumnarTable = {
      rowCount,
      columns: {
        age: { codes: codes(90), dictionary: Array.from({ length: 90 }, (_, i) => String(i)) },
        zip: { codes: codes(1000), dictionary: Array.from({ length: 1000 }, (_, i) => `z${i}`) },
        sex: { codes: codes(2), dictionary: ['M', 'F'] },
        disease: { codes: codes(13), dictionary: Array.from({ length: 13 }, (_, i) => `d${i}`) },
      },
    };
    const started = performance.now();
    const verdict = checkKAnonymity(table, { qi: ['age', 'zip', 'sex'], k: 2 });
    const diverse = checkLDiversity(table, { qi: ['age', 'zip', 'sex'], sensitive: 'disease', l: 2, variant: 'distinct' });
    const elapsed = performance.now() - started;
    expect(verdict.stats.classCount).toBe(9000);
    expect(verdict.ok).toBe(true);
    expect(diverse.ok).toBe(true);
    expect(elapsed).toBeLessThan(10_000);
  });
});
