// `npm run gen`: command line of the data generators (census-like, or the wide survey) — writes generated CSV data
// (streamed, to a file or stdout) and/or the table's hierarchy files. Bad arguments print one line on stderr and exit 2.

import { once } from 'node:events';
import { createWriteStream } from 'node:fs';
import { mkdir, rename, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { finished } from 'node:stream/promises';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { CENSUS_HIERARCHIES, hierarchyCsv } from './census-domain.js';
import { generateCsvChunks } from './census-generator.js';
import { SURVEY_ATTRIBUTES } from './survey-domain.js';
import { generateSurveyCsvChunks } from './survey-generator.js';

const USAGE = `Usage: npm run gen -- [--table census|survey] --rows N [--seed S] [--out FILE|-]
       npm run gen -- [--table census|survey] --hierarchies DIR

  --table T          census (default): 9 Adult-like columns; survey: 40 correlated survey answers (the wide table)
  --rows N           number of data rows (header not counted)
  --seed S           PRNG seed, integer in [0, 4294967295] (default 1)
  --out FILE         output CSV (default datasets/generated-<N>-<S>.csv, generated-survey-<N>-<S>.csv for
                     the survey); - writes to stdout
  --hierarchies DIR  write the table's hierarchy files (<attribute>.csv, ARX format) into DIR
  -h, --help         this help

Both --rows and --hierarchies may be given in one run.`;

export type Table = 'census' | 'survey';

class UsageError extends Error {}

interface Args {
  readonly table: Table;
  readonly rows?: number;
  readonly seed: number;
  readonly out?: string;
  readonly hierarchies?: string;
  readonly help: boolean;
}

function parseInteger(flag: string, text: string, max: number): number {
  if (!/^\d+$/.test(text)) throw new UsageError(`--${flag} must be a non-negative integer, got "${text}"`);
  const value = Number(text);
  if (!Number.isSafeInteger(value) || value > max) throw new UsageError(`--${flag} must be at most ${max}, got ${text}`);
  return value;
}

export function parseGenerateArgs(argv: readonly string[]): Args {
  let values;
  let tokens;
  try {
    ({ values, tokens } = parseArgs({
      args: [...argv],
      strict: true,
      allowPositionals: false,
      tokens: true,
      options: {
        table: { type: 'string' },
        rows: { type: 'string' },
        seed: { type: 'string' },
        out: { type: 'string' },
        hierarchies: { type: 'string' },
        help: { type: 'boolean', short: 'h' },
      },
    }));
  } catch (error) {
    throw new UsageError((error as Error).message.split('\n')[0]);
  }
  const seen = new Set<string>();
  for (const token of tokens) {
    if (token.kind !== 'option') continue;
    if (seen.has(token.name)) throw new UsageError(`--${token.name} given more than once`);
    seen.add(token.name);
  }
  if (values.help === true) return { table: 'census', seed: 1, help: true };
  if (values.table !== undefined && values.table !== 'census' && values.table !== 'survey') throw new UsageError(`--table must be census or survey, got "${values.table}"`);
  if (values.rows === undefined && values.hierarchies === undefined) throw new UsageError('give --rows N (data) and/or --hierarchies DIR (hierarchy files); --help for usage');
  if (values.rows === undefined && (values.seed !== undefined || values.out !== undefined)) throw new UsageError('--seed and --out need --rows N');
  if (values.hierarchies === '') throw new UsageError('--hierarchies needs a directory');
  if (values.out === '') throw new UsageError('--out needs a file name or -');
  return {
    table: (values.table ?? 'census') as Table,
    rows: values.rows === undefined ? undefined : parseInteger('rows', values.rows, Number.MAX_SAFE_INTEGER),
    seed: values.seed === undefined ? 1 : parseInteger('seed', values.seed, 0xffffffff),
    out: values.out,
    hierarchies: values.hierarchies,
    help: false,
  };
}

/** Writes every hierarchy of the table as `<dir>/<attribute>.csv`; returns the paths. */
export async function writeHierarchies(directory: string, table: Table = 'census'): Promise<string[]> {
  await mkdir(directory, { recursive: true });
  const paths: string[] = [];
  for (const domain of table === 'census' ? CENSUS_HIERARCHIES : SURVEY_ATTRIBUTES) {
    const path = join(directory, `${domain.name}.csv`);
    await writeFile(path, hierarchyCsv(domain));
    paths.push(path);
  }
  return paths;
}

/** Streams the CSV into `stream`, honouring backpressure; rejects with the stream's first error. */
async function pump(chunks: Iterable<string>, stream: NodeJS.WritableStream): Promise<void> {
  let failure: Error | undefined;
  const onError = (error: Error): void => {
    failure ??= error;
  };
  stream.on('error', onError);
  try {
    for (const chunk of chunks) {
      if (failure !== undefined) throw failure;
      if (!stream.write(chunk)) await once(stream, 'drain');
    }
    if (failure !== undefined) throw failure;
  } finally {
    stream.off('error', onError);
  }
}

async function writeData(table: Table, rows: number, seed: number, out: string): Promise<void> {
  const chunks = table === 'census' ? generateCsvChunks({ rows, seed }) : generateSurveyCsvChunks({ rows, seed });
  if (out === '-') {
    process.stdout.on('error', (error: NodeJS.ErrnoException) => {
      if (error.code === 'EPIPE') process.exit(0); // reader went away (e.g. `| head`)
      throw error;
    });
    await pump(chunks, process.stdout);
    return;
  }
  // Write beside the target and rename, so an interrupted run never leaves a truncated file under the final name.
  const temporary = `${out}.tmp-${process.pid}`;
  const stream = createWriteStream(temporary);
  try {
    await pump(chunks, stream);
    stream.end();
    await finished(stream);
    await rename(temporary, out);
  } catch (error) {
    stream.destroy();
    await rm(temporary, { force: true });
    const code = (error as NodeJS.ErrnoException).code;
    throw new Error(`cannot write ${out}${code !== undefined ? ` (${code})` : ''}`, { cause: error });
  }
}

export async function main(argv: readonly string[]): Promise<number> {
  let args: Args;
  try {
    args = parseGenerateArgs(argv);
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    process.stderr.write(`gen: ${error.message}\n`);
    return 2;
  }
  if (args.help) {
    process.stdout.write(`${USAGE}\n`);
    return 0;
  }
  try {
    if (args.hierarchies !== undefined) {
      const paths = await writeHierarchies(args.hierarchies, args.table);
      process.stderr.write(`gen: wrote ${paths.length} hierarchy files to ${args.hierarchies}\n`);
    }
    if (args.rows !== undefined) {
      const out = args.out ?? join('datasets', `generated-${args.table === 'survey' ? 'survey-' : ''}${args.rows}-${args.seed}.csv`);
      const started = performance.now();
      await writeData(args.table, args.rows, args.seed, out);
      if (out !== '-') process.stderr.write(`gen: wrote ${args.rows} rows (seed ${args.seed}) to ${out} in ${((performance.now() - started) / 1000).toFixed(2)} s\n`);
    }
    return 0;
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    process.stderr.write(`gen: error: ${(error as Error).message}${code !== undefined && !(error as Error).message.includes(code) ? ` (${code})` : ''}\n`);
    return 1;
  }
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  main(process.argv.slice(2)).then((code) => {
    process.exitCode = code;
  });
}
