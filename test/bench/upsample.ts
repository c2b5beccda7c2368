// The scale workload: Adult upsampled to N rows with a seeded PRNG (each row a random Adult row; each attribute replaced,
// with probability 0.15, by the same attribute of another random row — age instead shifted by −3…+3, clamped to 17–90), cached on disk.

import { once } from 'node:events';
import { createWriteStream, existsSync } from 'node:fs';
import { mkdir, readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { finished } from 'node:stream/promises';
import { readCsvFile } from '../../src/io/csv-reader.js';
import { count, ms } from './stats.js';

/** Bumped whenever the generated rows would change for the same seed and size, so stale caches are not reused. */
const GENERATOR_VERSION = 1;
const REPLACE_PROBABILITY = 0.15;
const AGE_MIN = 17;
const AGE_MAX = 90;
const ROWS_PER_CHUNK = 16_384;

/**
 * A small counter-based PRNG of 32-bit words: a Weyl sequence (step 0x9E3779B9) passed through a
 * multiply–xorshift finalizer. Deterministic for a seed; statistically ample for sampling rows.
 */
export class BenchRandom {
  private state: number;

  constructor(seed: number) {
    this.state = seed >>> 0;
  }

  nextUint32(): number {
    this.state = (this.state + 0x9e3779b9) >>> 0;
    let z = this.state;
    z = Math.imul(z ^ (z >>> 16), 0x21f0aaad) >>> 0;
    z = Math.imul(z ^ (z >>> 15), 0x735a2d97) >>> 0;
    return (z ^ (z >>> 15)) >>> 0;
  }

  /** Uniform in [0, 1). */
  next(): number {
    return this.nextUint32() / 4294967296;
  }

  /** Uniform integer in [0, n) by scaling a 32-bit word (bias at most n / 2³², irrelevant here). */
  below(n: number): number {
    return Math.floor((this.nextUint32() / 4294967296) * n);
  }
}

/** Every age 17–90 must be a leaf of Adult's age hierarchy, or the shifted ages could not be generalized. */
export async function checkAgeHierarchy(adultDir: string): Promise<string | undefined> {
  const text = await readFile(join(adultDir, 'adult_hierarchy_age.csv'), 'utf8');
  const leaves = new Set(text.split(/\r?\n/).filter((l) => l.length > 0).map((l) => l.split(';')[0]));
  const missing: number[] = [];
  for (let age = AGE_MIN; age <= AGE_MAX; age++) if (!leaves.has(String(age))) missing.push(age);
  return missing.length === 0 ? undefined : `Adult's age hierarchy lacks the ages ${missing.join(', ')}, which the upsampling can produce`;
}

function quoteField(value: string, delimiter: string): string {
  return value.includes(delimiter) || /["\r\n]/.test(value) ? `"${value.replace(/"/g, '""')}"` : value;
}

interface CacheMeta {
  readonly generator: number;
  readonly rows: number;
  readonly seed: number;
  readonly sourceBytes: number;
}

/** Returns the path of the upsampled CSV, generating it into `cacheDir` unless a file for the same seed, size and source exists. */
export async function upsampledAdult(adultCsvPath: string, rows: number, seed: number, cacheDir: string): Promise<string> {
  await mkdir(cacheDir, { recursive: true });
  const path = join(cacheDir, `adult-upsampled-${rows}-seed${seed}.csv`);
  const metaPath = `${path}.meta.json`;
  const sourceBytes = (await stat(adultCsvPath)).size;
  const wanted: CacheMeta = { generator: GENERATOR_VERSION, rows, seed, sourceBytes };
  if (existsSync(path) && existsSync(metaPath)) {
    try {
      const meta = JSON.parse(await readFile(metaPath, 'utf8')) as CacheMeta;
      if (meta.generator === wanted.generator && meta.rows === rows && meta.seed === seed && meta.sourceBytes === sourceBytes) {
        console.log(`  reusing ${path} (${count(rows)} rows, seed ${seed})`);
        return path;
      }
    } catch {
      // unreadable meta: regenerate
    }
  }

  const started = performance.now();
  process.stdout.write(`  generating ${path} (${count(rows)} rows, seed ${seed}) … `);
  const { table, delimiter } = await readCsvFile(adultCsvPath);
  const columns = table.columns;
  const ageColumn = columns.findIndex((c) => c.name === 'age');
  const sourceRows = table.rowCount;
  const quoted = columns.map((c) => c.dictionary.map((v) => quoteField(v, delimiter)));
  const ageOfCode = ageColumn < 0 ? [] : columns[ageColumn].dictionary.map((v) => {
    if (!/^\d+$/.test(v)) throw new Error(`Adult age "${v}" is not an integer`);
    return Number(v);
  });

  const temporary = `${path}.tmp-${process.pid}`;
  const stream = createWriteStream(temporary);
  try {
    stream.write(columns.map((c) => quoteField(c.name, delimiter)).join(delimiter) + '\n');
    const random = new BenchRandom(seed);
    const cells = new Array<string>(columns.length);
    let chunk: string[] = [];
    for (let r = 0; r < rows; r++) {
      const base = random.below(sourceRows);
      for (let c = 0; c < columns.length; c++) {
        let code = columns[c].codes[base];
        if (random.next() < REPLACE_PROBABILITY) {
          if (c === ageColumn) {
            const age = Math.min(AGE_MAX, Math.max(AGE_MIN, ageOfCode[code] + random.below(7) - 3));
            cells[c] = String(age);
            continue;
          }
          code = columns[c].codes[random.below(sourceRows)];
        }
        cells[c] = quoted[c][code];
      }
      chunk.push(cells.join(delimiter));
      if (chunk.length === ROWS_PER_CHUNK || r === rows - 1) {
        if (!stream.write(chunk.join('\n') + '\n')) await once(stream, 'drain');
        chunk = [];
      }
    }
    stream.end();
    await finished(stream);
    await rename(temporary, path);
  } catch (error) {
    stream.destroy();
    await rm(temporary, { force: true });
    throw error;
  }
  await writeFile(metaPath, JSON.stringify(wanted) + '\n');
  console.log(`${ms(performance.now() - started)}, ${((await stat(path)).size / 1024 / 1024).toFixed(0)} MiB`);
  return path;
}
