// The parallel CSV reader: its split, part scan and merge in-process against the sequential fast reader, and the
// real worker thread on a compiled build (the worker cannot start from TypeScript sources).

import { spawnSync } from 'node:child_process';
import { dirname, join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { checkHeader, DEFAULT_MAX_COLUMNS, readCsvFile } from '../../src/io/csv-reader.js';
import { readPlainCsvFile, scanPlainCsvRange, type FastCsvOptions, type PlainCsvRange } from '../../src/io/fast-csv-reader.js';
import { findSplit, mergePlainCsvParts, readPlainCsvFileInParts, scanPlainCsvPart } from '../../src/io/parallel-csv-reader.js';
import { buildCli } from '../reliability/cli-harness.js';
import { temporaryFiles } from '../temporary-files.js';

const { file } = temporaryFiles('cloak-parallel-csv-');
const RUNS = Number(process.env.CLOAK_FC_RUNS ?? 150);

/** A read's result as plain data: the table (names, dictionaries, codes, lines), `'fallback'`, or the error's code and message. */
async function outcome(run: () => Promise<unknown>): Promise<unknown> {
  try {
    return summary(await run());
  } catch (error) {
    return { code: (error as { code?: string }).code, message: (error as Error).message };
  }
}

function summary(result: unknown): unknown {
  if (typeof result === 'string') return result;
  const { table, lineOfRow, delimiter } = result as Awaited<ReturnType<typeof readCsvFile>>;
  return {
    delimiter,
    rowCount: table.rowCount,
    columns: table.columns.map((column) => ({ name: column.name, dictionary: column.dictionary, codes: Array.from(column.codes) })),
    lineOfRow: Array.from(lineOfRow),
  };
}

const fastOptions = (maxFieldBytes: number, chunkBytes?: number): FastCsvOptions => ({ delimiter: ',', maxFieldBytes, maxColumns: DEFAULT_MAX_COLUMNS, checkHeader, chunkBytes });

/** The in-process parallel path: head [0, split) on this thread, part [split, end) as the worker scans it, merged. */
async function inParts(path: string, split: number, options: FastCsvOptions): Promise<{ merged: unknown }> {
  let head: PlainCsvRange | 'fallback' | 'declined';
  try {
    head = await scanPlainCsvRange(path, options, 0, split, false);
  } catch {
    head = 'declined';
  }
  const part = await scanPlainCsvPart({ path, start: split, delimiter: options.delimiter, maxFieldBytes: options.maxFieldBytes, maxColumns: options.maxColumns, chunkBytes: options.chunkBytes });
  if (head === 'fallback') head = 'declined';
  const merged = head === 'declined' || part === 'declined' ? 'declined' : summary(mergePlainCsvParts(head, part, options.delimiter));
  return { merged };
}

// Files with everything the sequential reader handles: 1–5 columns, repeated and empty values, long fields, blank
// lines, LF or CRLF, a BOM (and BOM bytes starting a field), with or without a final line end; and in five files of
// nine, one kind of trouble: ragged rows, a last few lines of one other width, a line end of the other kind, a field
// over the size limit, or odd bytes (quotes, lone CRs, invalid UTF-8, NUL).
const plainPiece = fc.constantFrom('a', 'b', 'é', '€', '1', '22', '', ' ', '\uFEFF', 'v-long-value-of-20b').map((text) => Buffer.from(text));
const oddPiece = fc.constantFrom(Buffer.from('"'), Buffer.from('\r'), Buffer.from([0xff]), Buffer.from([0xe2, 0x82]), Buffer.from([0]));
const csvFile = fc
  .record({ width: fc.integer({ min: 1, max: 5 }), trouble: fc.constantFrom('none', 'none', 'none', 'none', 'ragged', 'tail', 'ending', 'limit', 'bytes') })
  .chain(({ width, trouble }) => {
    const piece = trouble === 'bytes' ? fc.oneof({ weight: 40, arbitrary: plainPiece }, { weight: 1, arbitrary: oddPiece }) : plainPiece;
    const field = fc.array(piece, { minLength: 1, maxLength: 2 }).map((pieces) => Buffer.concat(pieces));
    const line = fc.oneof(
      { weight: 24, arbitrary: fc.array(field, { minLength: width, maxLength: width }) },
      { weight: 4, arbitrary: fc.constant([] as Buffer[]) }, // a blank line
      { weight: trouble === 'ragged' ? 2 : 0, arbitrary: fc.array(field, { minLength: 1, maxLength: 6 }) }, // mostly ragged
    );
    return fc.record({
      width: fc.constant(width),
      lines: fc.array(line, { minLength: 0, maxLength: 25 }),
      /** Lines of another width than the header's, at the end. */
      tail: trouble === 'tail' ? fc.tuple(fc.integer({ min: 1, max: 6 }).filter((w) => w !== width), fc.array(fc.array(field, { minLength: 6, maxLength: 6 }), { minLength: 1, maxLength: 3 })) : fc.constant(undefined),
      crlf: fc.boolean(),
      /** Picks the line whose end is of the other kind. */
      otherEnding: trouble === 'ending' ? fc.nat() : fc.constant(undefined),
      bom: fc.boolean(),
      finalLineEnd: fc.boolean(),
      maxFieldBytes: fc.constant(trouble === 'limit' ? 12 : 1 << 20),
      chunkBytes: fc.option(fc.integer({ min: 1, max: 48 })),
    });
  })
  .map(({ width, lines, tail, crlf, otherEnding, bom, finalLineEnd, maxFieldBytes, chunkBytes }) => {
    const header = Array.from({ length: width }, (_, c) => Buffer.from(`c${c}`));
    const all = [header, ...lines, ...(tail === undefined ? [] : tail[1].map((fields) => fields.slice(0, tail[0])))];
    const other = otherEnding === undefined ? -1 : otherEnding % all.length;
    const parts: Buffer[] = bom ? [Buffer.from([0xef, 0xbb, 0xbf])] : [];
    all.forEach((fields, i) => {
      parts.push(Buffer.concat(fields.flatMap((f, c) => (c === 0 ? [f] : [Buffer.from(','), f]))));
      if (i < all.length - 1 || finalLineEnd) parts.push(Buffer.from((i === other) !== crlf ? '\r\n' : '\n'));
    });
    return { bytes: Buffer.concat(parts), maxFieldBytes, chunkBytes: chunkBytes ?? undefined };
  });

describe('the parallel reader, in-process', () => {
  it('splitting at any line feed gives the sequential table, or declines only where the sequential reader does not give one or a part has no record (differential property)', async () => {
    let merges = 0;
    let splits = 0;
    let declinedDirty = 0;
    await fc.assert(
      fc.asyncProperty(csvFile, async ({ bytes, maxFieldBytes, chunkBytes }) => {
        const path = file(bytes);
        const options = fastOptions(maxFieldBytes, chunkBytes);
        const sequential = await outcome(() => readPlainCsvFile(path, options));
        for (let lf = bytes.indexOf(0x0a); lf >= 0; lf = bytes.indexOf(0x0a, lf + 1)) {
          const split = lf + 1;
          splits++;
          const { merged } = await inParts(path, split, options);
          if (merged !== 'declined') {
            merges++;
            expect(merged).toEqual(sequential);
          } else if (typeof sequential === 'object' && sequential !== null && 'lineOfRow' in sequential) {
            // A clean file declines only when one side of the split holds no record.
            const linesBefore = bytes.subarray(0, split).filter((byte) => byte === 0x0a).length;
            const lines = (sequential as { lineOfRow: number[] }).lineOfRow;
            const after = lines.filter((line) => line > linesBefore).length;
            expect(after === 0 || after === lines.length, `split at ${split} declined a clean file`).toBe(true);
          } else {
            declinedDirty++;
          }
        }
      }),
      { seed: 23, numRuns: RUNS },
    );
    // Not vacuous: many splits merge, and many decline because of what the sequential reader refuses or leaves to csv-parse.
    expect(merges).toBeGreaterThan(splits / 3);
    expect(declinedDirty).toBeGreaterThan(splits / 10);
  });

  it('numbers the part’s new values after the head’s, in order of first appearance, and shifts its lines past blank lines', async () => {
    const text = 'x,y\n\nb,1\na,1\n\n\nc,2\nb,3\na,1\n';
    const path = file(text);
    const split = text.indexOf('\n\n\nc') + 2; // after one of the blank lines: the part starts with a blank line
    const options = fastOptions(1 << 20);
    const { merged } = await inParts(path, split, options);
    expect(merged).toEqual(await outcome(() => readPlainCsvFile(path, options)));
    expect(merged).toMatchObject({
      columns: [
        { name: 'x', dictionary: ['b', 'a', 'c'], codes: [0, 1, 2, 0, 1] },
        { name: 'y', dictionary: ['1', '2', '3'], codes: [0, 0, 1, 2, 0] },
      ],
      lineOfRow: [3, 4, 7, 8, 9],
    });
  });

  it('declines a part with another width or line end than the head, and a head without records', async () => {
    const options = fastOptions(1 << 20);
    const merge = async (text: string, split: number) => (await inParts(file(text), split, options)).merged;
    expect(await merge('x,y\n1,2\n1,2,3\n', 8)).toBe('declined'); // the part's records have 3 fields
    expect(await merge('x,y\n1,2\n1,2\r\n3,4\r\n', 8)).toBe('declined'); // CRLF after LF
    expect(await merge('x,y\r\n1,2\r\n1,2\n', 10)).toBe('declined'); // LF after CRLF
    expect(await merge('x,y\n1,2\n', 4)).toBe('declined'); // no record before the split
    // A part that ends no line (one last line without its line end) has no line end to disagree with.
    expect(await merge('x,y\n1,2\n3,4', 8)).toEqual(await outcome(() => readPlainCsvFile(file('x,y\n1,2\n3,4'), options)));
  });

  it('splits after the first line feed at or past the middle, and only files large enough with one there', async () => {
    expect(await findSplit(file('x,y\n1,2\n3,4\n5,6\n'), 0)).toBe(12); // middle 8 is the start of "3,4"
    expect(await findSplit(file('x,y\n1,2\n3,4\n5,6\n'), 1000)).toBeUndefined();
    expect(await findSplit(file('x,y\n1,2,3,4,5,6'), 0)).toBeUndefined(); // no line feed after the middle
    expect(await findSplit(file('x,y\n1,2,3,4,5\n'), 0)).toBeUndefined(); // only the last byte: an empty second part
  });

  it('reads sequentially from TypeScript sources, where no compiled worker exists', async () => {
    const path = file('x,y\n' + 'a,1\nb,2\n'.repeat(50));
    expect(await readPlainCsvFileInParts(path, fastOptions(1 << 20), 0)).toBe('declined');
    expect(await outcome(() => readCsvFile(path, { parallelMinBytes: 0 }))).toEqual(await outcome(() => readCsvFile(path)));
  });
});

// The worker starts only from compiled JavaScript: a private build (as the reliability tests make, so that nobody
// rebuilding dist/ meanwhile races this test), read in a plain Node process.
describe('the parallel reader on a worker thread (compiled build)', () => {
  let io: string;
  beforeAll(async () => {
    io = join(dirname(dirname(await buildCli())), 'io');
  }, 180_000);

  /** Runs in a fresh Node process: per file, the two-part read alone, the public reader forced to split, and the sequential reader. */
  function viaBuild(paths: string[]): { parts: unknown; forced: unknown; sequential: unknown }[] {
    const script = `
      const [io, ...paths] = process.argv.slice(1);
      const { readCsvFile, checkHeader } = await import(io + '/csv-reader.js');
      const { readPlainCsvFileInParts } = await import(io + '/parallel-csv-reader.js');
      const summary = (result) => typeof result === 'string' ? result : {
        delimiter: result.delimiter,
        rowCount: result.table.rowCount,
        columns: result.table.columns.map((c) => ({ name: c.name, dictionary: c.dictionary, codes: Array.from(c.codes) })),
        lineOfRow: Array.from(result.lineOfRow),
      };
      const outcome = async (run) => { try { return summary(await run()); } catch (error) { return { code: error.code, message: error.message }; } };
      const results = [];
      for (const path of paths) {
        const options = { delimiter: ',', maxFieldBytes: 1 << 20, maxColumns: 10000, checkHeader };
        results.push({
          parts: await outcome(() => readPlainCsvFileInParts(path, options, 0)),
          forced: await outcome(() => readCsvFile(path, { delimiter: ',', parallelMinBytes: 0 })),
          sequential: await outcome(() => readCsvFile(path, { delimiter: ',', parallelMinBytes: Infinity })),
        });
      }
      console.log(JSON.stringify(results));
    `;
    const run = spawnSync(process.execPath, ['--input-type=module', '-e', script, io, ...paths], { encoding: 'utf8', timeout: 60_000, maxBuffer: 64 * 1024 * 1024 });
    // The process ends by itself: no worker keeps it alive, whatever happened to it.
    expect(run.status, run.stderr).toBe(0);
    return JSON.parse(run.stdout);
  }

  it('reads a clean file in two parts into the sequential table, and leaves every other file to the sequential reader', () => {
    // More than 64 KiB before the second part, so that the reader takes the fast path even with a quote there.
    const count = 10_000;
    const rows = Array.from({ length: count }, (_, i) => `${['a', 'b', 'é'][i % 3]},${(i * 7919) % 101},${i % 2 === 0 ? '' : 'x'}`);
    const clean = 'p,q,r\n' + rows.join('\n') + '\n';
    const cleanCrlf = '\uFEFF' + clean.replaceAll('\n', '\r\n');
    const withBlankLines = 'p,q,r\n\n' + rows.join('\n\n\n') + '\n\n';
    const raggedLate = 'p,q,r\n' + rows.join('\n') + '\n' + rows.slice(0, 2000).join('\n') + '\nz,z\n' + rows.slice(0, 100).join('\n') + '\n';
    const quotedLate = 'p,q,r\n' + rows.join('\n') + '\n' + rows.slice(0, count / 2).join('\n') + '\n"a,b",1,2\n' + rows.join('\n') + '\n';
    const raggedEarly = 'p,q,r\n1,2\n' + rows.join('\n') + '\n';
    const results = viaBuild([clean, cleanCrlf, withBlankLines, raggedLate, quotedLate, raggedEarly].map((text) => file(text)));

    for (const { parts, forced, sequential } of results.slice(0, 3)) {
      expect(parts).not.toBe('declined');
      expect(parts).toEqual(sequential);
      expect(forced).toEqual(sequential);
    }
    for (const { parts, forced, sequential } of results.slice(3)) {
      expect(parts).toBe('declined');
      expect(forced).toEqual(sequential);
    }
    // The exact sequential error and line for a ragged row in the second part (and in the first).
    expect(results[3].forced).toEqual({ code: 'CSV_RAGGED_ROW', message: expect.stringMatching(new RegExp(`:${count + 2002}: the record has 2 fields, the header has 3$`)) });
    expect(results[5].forced).toEqual({ code: 'CSV_RAGGED_ROW', message: expect.stringMatching(/:2: the record has 2 fields, the header has 3$/) });
    // A quote after the first 64 KiB: csv-parse reads the file.
    expect(results[4].forced).toMatchObject({ rowCount: 2.5 * count + 1 });
  });
});
