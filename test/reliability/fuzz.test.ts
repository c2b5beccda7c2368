// Fuzzing of the input edges — CSV reader (bytes and mutated files), hierarchy loader, options validation:
// each must return or throw a CloakError, within a bounded time per case. Fixed seeds; CLOAK_FC_RUNS scales the runs.

import { rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { anonymizeEncoded } from '../../src/anonymize.js';
import { CloakError } from '../../src/errors.js';
import { compileHierarchy } from '../../src/hierarchy/compile.js';
import { parseHierarchyText } from '../../src/hierarchy/load.js';
import { readCsvFile, readCsvStream, type CsvTable } from '../../src/io/csv-reader.js';
import type { AnonymizeOptions } from '../../src/options.js';
import { encodeRows } from '../../src/table/encoded-table.js';
import { validateOptions } from '../../src/validate-options.js';
import { makeTempDir } from './cli-harness.js';

/** Base run count, as in the other property tests; each target runs a multiple of it. */
const RUNS = Number(process.env.CLOAK_FC_RUNS ?? 200);
/** A case that takes longer than this counts as a hang (inputs are at most a few KiB). */
const CASE_BUDGET_MS = 3_000;
const work = makeTempDir('fuzz');
const runsPerTarget = new Map<string, number>();
/** Outcome tally per target (`ok` or an error code), printed to show how deep the generated cases reach. */
const outcomes = new Map<string, Map<string, number>>();
let currentTarget = '';
afterAll(() => {
  rmSync(work, { recursive: true, force: true });
  console.log(`fuzz runs per target (CLOAK_FC_RUNS=${RUNS}): ${[...runsPerTarget].map(([target, runs]) => `${target} ${runs}`).join(', ')}`);
  for (const [target, tally] of outcomes) {
    const top = [...tally].sort((a, b) => b[1] - a[1]).slice(0, 6);
    console.log(`  ${target}: ${top.map(([outcome, count]) => `${outcome} ${count}`).join(', ')}`);
  }
});

/** Runs `body`, accepting only success or a CloakError, and fails a case that exceeds the time budget. */
async function typedOutcome<T>(body: () => Promise<T> | T): Promise<T | CloakError> {
  const started = performance.now();
  let outcome: T | CloakError;
  try {
    outcome = await body();
  } catch (error) {
    if (!(error instanceof CloakError)) throw new Error(`not a CloakError: ${(error as Error)?.stack ?? String(error)}`);
    outcome = error;
  }
  const elapsed = performance.now() - started;
  const tally = outcomes.get(currentTarget) ?? new Map<string, number>();
  const key = outcome instanceof CloakError ? outcome.code : 'ok';
  tally.set(key, (tally.get(key) ?? 0) + 1);
  outcomes.set(currentTarget, tally);
  if (elapsed > CASE_BUDGET_MS) throw new Error(`case took ${elapsed.toFixed(0)} ms (budget ${CASE_BUDGET_MS} ms)`);
  return outcome;
}

async function fuzz<T>(target: string, arbitrary: fc.Arbitrary<T>, runs: number, seed: number, body: (value: T) => Promise<void>): Promise<void> {
  currentTarget = target;
  await fc.assert(fc.asyncProperty(arbitrary, body), { numRuns: runs, seed, timeout: CASE_BUDGET_MS * 2 });
  runsPerTarget.set(target, runs);
}

/** A well-formed table: its invariants must hold whenever the reader accepts an input. */
function expectConsistent(result: CsvTable): void {
  const { table, lineOfRow } = result;
  expect(table.rowCount).toBeGreaterThan(0);
  expect(lineOfRow.length).toBe(table.rowCount);
  for (const column of table.columns) {
    expect(column.codes.length).toBe(table.rowCount);
    for (const code of column.codes) expect(code >= 0 && code < column.dictionary.length).toBe(true);
  }
}

// ---- CSV bytes

/** Mostly the ASCII that shapes a CSV file (so that inputs get past decoding), sometimes UTF-8 pieces, NUL or any byte. */
const STRUCTURE_BYTES = [0x2c, 0x3b, 0x09, 0x7c, 0x22, 0x0a, 0x0d, 0x20, 0x61, 0x62, 0x31];
const RARE_BYTES = [0x00, 0xef, 0xbb, 0xbf, 0xc3, 0xa9, 0xe2, 0x82, 0xac, 0xf0, 0x9f, 0x98, 0x80, 0xff];
const csvByte = fc.oneof(
  { weight: 12, arbitrary: fc.constantFrom(...STRUCTURE_BYTES) },
  { weight: 1, arbitrary: fc.constantFrom(...RARE_BYTES) },
  { weight: 1, arbitrary: fc.integer({ min: 0, max: 255 }) },
);
const csvBytes = fc.array(csvByte, { maxLength: 600 }).map((bytes) => Uint8Array.from(bytes));
const limits = fc.record({
  maxFieldBytes: fc.oneof(fc.constant(undefined), fc.integer({ min: 1, max: 64 })),
  maxColumns: fc.oneof(fc.constant(undefined), fc.integer({ min: 1, max: 8 })),
  delimiter: fc.oneof(fc.constant(undefined), fc.constantFrom(',', ';', '\t', '|')),
});

/** Splits bytes into chunks at arbitrary points, so that UTF-8 sequences and quotes straddle chunk borders. */
function chunked(bytes: Uint8Array, cuts: number[]): Buffer[] {
  const points = [...new Set(cuts.map((cut) => cut % (bytes.length + 1)))].sort((a, b) => a - b);
  const chunks: Buffer[] = [];
  let start = 0;
  for (const point of [...points, bytes.length]) {
    if (point > start) chunks.push(Buffer.from(bytes.subarray(start, point)));
    start = Math.max(start, point);
  }
  return chunks;
}

// ---- mutated valid CSV

const cellText = fc.string({ unit: fc.constantFrom('a', 'b', 'Z', '1', ' ', ',', '"', '\n', 'é', '€', '😀', ';'), maxLength: 6 });
const validCsv = fc
  .record({ width: fc.integer({ min: 1, max: 5 }), height: fc.integer({ min: 1, max: 8 }) })
  .chain(({ width, height }) =>
    fc.record({
      header: fc.uniqueArray(fc.string({ unit: fc.constantFrom('a', 'b', 'c', 'd', 'e', '_', '1'), minLength: 1, maxLength: 4 }), { minLength: width, maxLength: width }),
      rows: fc.array(fc.array(cellText, { minLength: width, maxLength: width }), { minLength: height, maxLength: height }),
    }),
  )
  .map(({ header, rows }) => {
    const quote = (cell: string) => (/[",\n;]/.test(cell) ? `"${cell.replaceAll('"', '""')}"` : cell);
    return Buffer.from([header, ...rows].map((row) => row.map(quote).join(',')).join('\n') + '\n');
  });

type Mutation = { kind: 'insert' | 'delete' | 'replace' | 'duplicate'; at: number; length: number; byte: number };
const mutation: fc.Arbitrary<Mutation> = fc.record({
  kind: fc.constantFrom('insert', 'delete', 'replace', 'duplicate'),
  at: fc.nat(),
  length: fc.integer({ min: 1, max: 8 }),
  byte: csvByte,
});

function mutate(bytes: Buffer, mutations: Mutation[]): Uint8Array {
  let current = Buffer.from(bytes);
  for (const { kind, at, length, byte } of mutations) {
    const position = at % (current.length + 1);
    const before = current.subarray(0, position);
    const after = current.subarray(position);
    switch (kind) {
      case 'insert':
        current = Buffer.concat([before, Buffer.from([byte]), after]);
        break;
      case 'delete':
        current = Buffer.concat([before, after.subarray(length)]);
        break;
      case 'replace':
        current = Buffer.concat([before, Buffer.from([byte]), after.subarray(1)]);
        break;
      case 'duplicate':
        current = Buffer.concat([before, after.subarray(0, length), after]);
        break;
    }
  }
  return current;
}

describe('fuzz: CSV reader', () => {
  it('readCsvStream on arbitrary bytes, arbitrarily chunked: a consistent table or a CloakError', async () => {
    await fuzz('csv-bytes', fc.tuple(csvBytes, fc.array(fc.nat(), { maxLength: 6 }), limits), RUNS * 3, 11_001, async ([bytes, cuts, options]) => {
      const outcome = await typedOutcome(() => readCsvStream(Readable.from(chunked(bytes, cuts)), 'fuzz.csv', options));
      if (!(outcome instanceof CloakError)) expectConsistent(outcome);
    });
  });

  it('readCsvStream on mutated valid files: a consistent table or a CloakError', async () => {
    await fuzz('csv-mutated', fc.tuple(validCsv, fc.array(mutation, { minLength: 1, maxLength: 4 }), fc.array(fc.nat(), { maxLength: 4 }), limits), RUNS * 3, 11_002, async ([bytes, mutations, cuts, options]) => {
      const outcome = await typedOutcome(() => readCsvStream(Readable.from(chunked(mutate(bytes, mutations), cuts)), 'fuzz.csv', options));
      if (!(outcome instanceof CloakError)) expectConsistent(outcome);
    });
  });

  it('readCsvFile (every file reader path) accepts exactly what readCsvStream accepts, with the same table', async () => {
    let file = 0;
    const input = fc.oneof(csvBytes, fc.tuple(validCsv, fc.array(mutation, { maxLength: 3 })).map(([bytes, mutations]) => mutate(bytes, mutations)));
    await fuzz('csv-file', fc.tuple(input, limits), RUNS, 11_003, async ([bytes, options]) => {
      const path = join(work, `case-${file++}.csv`);
      writeFileSync(path, bytes);
      const fromFile = await typedOutcome(() => readCsvFile(path, options));
      const fromStream = await typedOutcome(() => readCsvStream(Readable.from([Buffer.from(bytes)]), path, options));
      rmSync(path);
      expect(fromFile instanceof CloakError).toBe(fromStream instanceof CloakError);
      if (fromFile instanceof CloakError || fromStream instanceof CloakError) return;
      expectConsistent(fromFile);
      expect(fromFile.delimiter).toBe(fromStream.delimiter);
      expect(fromFile.table.rowCount).toBe(fromStream.table.rowCount);
      expect(Array.from(fromFile.lineOfRow)).toEqual(Array.from(fromStream.lineOfRow));
      const decode = (result: CsvTable) => result.table.columns.map((column) => [column.name, ...Array.from(column.codes, (code) => column.dictionary[code])]);
      expect(decode(fromFile)).toEqual(decode(fromStream));
    });
  });
});

// ---- hierarchy loader

const hierarchyText = fc.string({ unit: fc.constantFrom('a', 'b', 'c', '1', '*', ';', ',', '\t', '|', '"', '\n', '\r', ' ', '\u0000', '\ufeff', 'é'), maxLength: 200 });
const validHierarchyText = fc
  .record({ values: fc.uniqueArray(fc.string({ unit: fc.constantFrom('a', 'b', 'c', '1', '2'), minLength: 1, maxLength: 3 }), { minLength: 1, maxLength: 8 }), height: fc.integer({ min: 1, max: 3 }) })
  .map(({ values, height }) => values.map((value) => [value, ...Array.from({ length: height - 1 }, (_, level) => value.slice(0, Math.max(0, value.length - level - 1)) + '*'), '*'].join(';')).join('\n'));

describe('fuzz: hierarchy loader', () => {
  it('parseHierarchyText + compileHierarchy on arbitrary and mutated text: compiled rows or a CloakError', async () => {
    const text = fc.oneof(
      { weight: 1, arbitrary: hierarchyText },
      {
        weight: 2,
        arbitrary: fc.tuple(validHierarchyText, fc.array(mutation, { maxLength: 2 })).map(([valid, mutations]) => Buffer.from(mutate(Buffer.from(valid), mutations)).toString('utf8')),
      },
    );
    const dataValues = fc.array(fc.string({ unit: fc.constantFrom('a', 'b', 'c', '1', '2', '*'), maxLength: 3 }), { minLength: 1, maxLength: 10 });
    await fuzz('hierarchy', fc.tuple(text, dataValues, fc.boolean(), fc.boolean()), RUNS * 3, 11_004, async ([source, values, showValues, covered]) => {
      await typedOutcome(() => {
        const rows = parseHierarchyText(source, 'fuzz-hierarchy.csv');
        // Half the cases take the data from the hierarchy itself, so that compiling gets past the coverage check.
        const data = covered ? rows.rows.map((row) => row[0]) : [...values, ...rows.rows.slice(0, 3).map((row) => row[0])];
        const column = encodeRows(['attribute'], data.map((value) => [value])).columns[0];
        const compiled = compileHierarchy(column, rows, { showValues });
        expect(compiled.dataToLevel.length).toBe(compiled.maxLevel + 1);
        return compiled;
      });
    });
  });
});

// ---- options validation

const table = encodeRows(
  ['age', 'zip', 'diag', 'note'],
  Array.from({ length: 12 }, (_, r) => [String(30 + (r % 4)), `z${r % 2}`, ['flu', 'cold', 'cough'][r % 3], `n${r}`]),
);
const ageRows = [30, 31, 32, 33].map((age) => [String(age), `${age < 32 ? '30-31' : '32-33'}`, '*']);
const zipRows = [['z0', '*'], ['z1', '*']];
const diagRows = [['flu', 'resp', '*'], ['cold', 'resp', '*'], ['cough', 'resp', '*']];

/** Anything JSON can hold, plus the non-JSON numbers a JavaScript caller can pass. */
const junk = fc.oneof(fc.jsonValue({ maxDepth: 2 }), fc.constantFrom(NaN, Infinity, -Infinity, -0, undefined, null, 1e308, -1, 0.5, 2 ** 53));
const anyNumber = fc.oneof(fc.integer({ min: -3, max: 20 }), fc.double(), fc.constantFrom(NaN, Infinity, 0, 1, 0.5, 1e308));

/**
 * Options shaped like real ones; with `junkWeight` > 0 any field may instead hold junk or an odd choice (most
 * such cases end in validation), with 0 they are nearly all valid, so that runs reach compiling, search and verify.
 */
function optionsArbitrary(junkWeight: number): fc.Arbitrary<Record<string, unknown>> {
  const orJunk = <T>(arbitrary: fc.Arbitrary<T>): fc.Arbitrary<T | unknown> => (junkWeight === 0 ? arbitrary : fc.oneof({ weight: 30, arbitrary }, { weight: junkWeight, arbitrary: junk }));
  const mostly = <T>(usual: T, others: fc.Arbitrary<T>): fc.Arbitrary<T> => (junkWeight === 0 ? fc.constant(usual) : fc.oneof({ weight: 8, arbitrary: fc.constant(usual) }, { weight: junkWeight, arbitrary: others }));
  const numberIn = (min: number, max: number, integer = false): fc.Arbitrary<number> => {
    const inRange = integer ? fc.integer({ min, max }) : fc.double({ min, max, noNaN: true });
    return junkWeight === 0 ? inRange : fc.oneof({ weight: 8, arbitrary: inRange }, { weight: junkWeight, arbitrary: anyNumber });
  };
  const columnName = mostly('age', fc.constantFrom('zip', 'diag', 'note', '__proto__', 'constructor', 'missing', ''));
  const modelAttribute = mostly('diag', columnName);
  const ageHierarchy = fc.oneof(
    mostly<unknown>(ageRows, fc.constantFrom<unknown>('missing.csv', [['30', '*']], [[30, '*']])),
    fc.record(
      { type: fc.constant('interval'), width: numberIn(0.5, 10), fanout: orJunk(fc.array(numberIn(2, 4, true), { maxLength: 3 })), lower: numberIn(20, 31), upper: numberIn(32, 40), origin: numberIn(0, 30) },
      { requiredKeys: ['type', 'width'] },
    ),
    ...(junkWeight === 0 ? [] : [fc.record({ type: fc.constantFrom('mask', 'group', 'frequency', 'date', 'bogus'), threshold: anyNumber, runSizes: fc.array(anyNumber, { maxLength: 2 }), levels: anyNumber }, { requiredKeys: ['type'] })]),
  );
  const attribute = (role: fc.Arbitrary<string>, hierarchy: fc.Arbitrary<unknown>) =>
    fc.record({ role: orJunk(role), hierarchy: orJunk(hierarchy), type: mostly('string', fc.constantFrom('integer', 'decimal', 'date', 'colour')) }, { requiredKeys: ['role', 'hierarchy'] });
  const attributes = fc
    .record(
      {
        age: orJunk(attribute(fc.constant('quasi-identifying'), ageHierarchy)),
        zip: orJunk(attribute(mostly('quasi-identifying', fc.constant('insensitive')), fc.constant(zipRows))),
        diag: orJunk(attribute(mostly('sensitive', fc.constantFrom('insensitive', 'quasi-identifying', 'identifying')), fc.constant(diagRows))),
      },
      { requiredKeys: junkWeight === 0 ? ['age', 'diag'] : [] },
    )
    .chain((base) => fc.dictionary(columnName, orJunk(attribute(fc.constantFrom('insensitive', 'identifying'), fc.constant(zipRows))), { maxKeys: 1 }).map((extra) => ({ ...extra, ...base })));
  const model = fc.oneof(
    fc.record({ type: fc.constant('k-anonymity'), k: numberIn(1, 13, true) }),
    fc.record(
      { type: fc.constantFrom('distinct-l-diversity', 'entropy-l-diversity', 'recursive-cl-diversity'), attribute: modelAttribute, l: numberIn(1, 3, true), c: numberIn(0.5, 4), estimator: mostly('shannon', fc.constantFrom('grassberger', 'bogus')) },
      { requiredKeys: ['type', 'attribute', 'l', 'c'] },
    ),
    fc.record({ type: fc.constant('t-closeness'), attribute: modelAttribute, t: numberIn(0, 1), distance: fc.oneof(fc.constantFrom('equal', 'ordered', 'hierarchical'), mostly('equal', fc.constant('bogus'))) }),
    fc.record({ type: fc.constantFrom('delta-disclosure', 'beta-likeness'), attribute: modelAttribute, delta: numberIn(0.1, 5), beta: numberIn(0.1, 5), enhanced: orJunk(fc.boolean()) }),
  );
  return fc.record(
    {
      attributes: orJunk(attributes),
      models: orJunk(fc.array(orJunk(model), { minLength: 1, maxLength: 3 })),
      suppressionLimit: orJunk(numberIn(0, 1)),
      metric: orJunk(
        fc.oneof(
          mostly('loss', fc.constantFrom('aecs', 'discernibility', 'precision', 'entropy', 'height', 'bogus')),
          fc.record(
            { name: orJunk(fc.constantFrom('loss', 'aecs', 'height', 'entropy')), gsFactor: orJunk(numberIn(0, 1)), aggregate: orJunk(fc.constantFrom('sum', 'max', 'arithmetic', 'geometric')), weights: orJunk(fc.dictionary(columnName, numberIn(0, 3))) },
            { requiredKeys: ['name'] },
          ),
        ),
      ),
      search: orJunk(fc.record({ strategy: orJunk(fc.constantFrom('optimal', 'exhaustive')), maxNodes: orJunk(numberIn(1, 1000, true)), cacheMb: orJunk(numberIn(0, 64)), timeLimitMs: orJunk(numberIn(1, 60000)) }, { requiredKeys: [] })),
      showValues: orJunk(fc.boolean()),
    },
    { requiredKeys: ['attributes', 'models'] },
  );
}
const junkyOptions = optionsArbitrary(1);
const nearValidOptions = optionsArbitrary(0);

describe('fuzz: options validation', () => {
  it('validateOptions on arbitrary JSON-ish objects: roles or a CloakError', async () => {
    await fuzz('options-validate', fc.oneof(junkyOptions, junk), RUNS * 5, 11_005, async (raw) => {
      await typedOutcome(() => validateOptions(raw as AnonymizeOptions));
    });
  });

  it('anonymizeEncoded on arbitrary JSON-ish options: a verified result or a CloakError', async () => {
    await fuzz('options-anonymize', fc.oneof(junkyOptions, nearValidOptions), RUNS * 2, 11_006, async (raw) => {
      await typedOutcome(() => anonymizeEncoded(table, raw as unknown as AnonymizeOptions, { file: 'fuzz' }));
    });
  });
});
