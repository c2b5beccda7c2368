// The two-pass mode over a plain CSV file: classes counted from the byte scanner's codes, each distinct value looked
// up in the plan once, then the rows read again by the same scanner. Declines on anything else, left to csv-parse.

import { open } from 'node:fs/promises';
import { CloakError } from '../errors.js';
import { scanPlainCsv, scanPlainCsvChunks } from '../io/plain-csv-scanner.js';
import { PlanApplier, sourceChanged } from './applier.js';
import type { Plan } from './plan-format.js';
import type { ProgressCallback } from './progress.js';
import { CSV_HEAD_BYTES, detectCsvDelimiter, type RowBatch } from './sources.js';

/** Rows between progress events (the csv-parse pass reports once per batch of about this size). */
const PROGRESS_ROWS = 4096;

/** A plain CSV file counted by the scanner. */
export interface PlainCsvCount {
  /** Bound to the file's header, with every record counted. */
  readonly applier: PlanApplier;
  /** The records again, for the writing pass: the batches the csv-parse pass would give (values and lines). */
  rows(): AsyncGenerator<RowBatch>;
}

/**
 * Counts every record of the CSV file `path` into a new applier bound to its header, or returns undefined when the
 * file needs csv-parse (quotes, lone CRs, ragged records) or fails the plan (other columns, a value the plan lacks).
 * Declining instead of throwing leaves every error to the csv-parse pass, so errors and their lines are the same
 * whichever pass counted; a declined scan's partial counts are dropped with its applier.
 */
export async function countPlainCsvFile(plan: Plan, path: string, name: string, delimiter: string | undefined, onProgress?: ProgressCallback): Promise<PlainCsvCount | undefined> {
  const resolved = delimiter ?? (await detectFileDelimiter(path));
  if (resolved === undefined) return undefined;
  const applier = new PlanApplier(plan);
  const qiCount = plan.quasiIdentifiers.length;
  const labelCodes = new Int32Array(qiCount);
  const valueCodes = new Int32Array(plan.sensitive.length);
  /** Per counted column, the applier's code of each scanner code (-1: the plan lacks the value). */
  const translations: number[][] = [];
  let bound = false;
  const outcome = await scanPlainCsv(path, resolved, {
    header(names) {
      try {
        applier.bind(names, name);
      } catch (error) {
        if (error instanceof CloakError) return undefined;
        throw error;
      }
      bound = true;
      const columns = applier.countedColumns();
      columns.forEach(() => translations.push([]));
      return columns;
    },
    record(codes, values) {
      for (let i = 0; i < codes.length; i++) {
        const known = translations[i];
        const code = codes[i];
        // A new value: looked up once, in order of first appearance (as the csv-parse pass adds sensitive values).
        while (known.length <= code) {
          const value = values[i][known.length];
          known.push((i < qiCount ? applier.labelCode(i, value) : applier.sensitiveCode(i - qiCount, value)) ?? -1);
        }
        const translated = known[code];
        if (translated < 0) return false;
        if (i < qiCount) labelCodes[i] = translated;
        else valueCodes[i - qiCount] = translated;
      }
      applier.countCoded(labelCodes, valueCodes);
      if (applier.rows % PROGRESS_ROWS === 0) onProgress?.({ phase: 'read', done: applier.rows });
      return true;
    },
  });
  if (outcome === 'fallback' || !bound) return undefined;
  onProgress?.({ phase: 'read', done: applier.rows });
  return { applier, rows: () => readPlainRows(path, name, resolved) };
}

/**
 * Every record of a file the counting scan accepted, one batch per read. The scan declining now means the file
 * changed since it was counted (the batches before are then not committed: the run fails).
 */
async function* readPlainRows(path: string, name: string, delimiter: string): AsyncGenerator<RowBatch> {
  let header: string[] = [];
  let rows: string[][] = [];
  let lines: number[] = [];
  let yielded = false;
  const chunks = scanPlainCsvChunks(
    path,
    delimiter,
    {
      header(names) {
        header = names;
        return [];
      },
      record(_codes, _values, fields, line) {
        rows.push(fields);
        lines.push(line);
        return true;
      },
    },
    { fields: true },
  );
  for (;;) {
    const next = await chunks.next();
    if (rows.length > 0) {
      yield { header, rows, lines, delimiter };
      yielded = true;
      rows = [];
      lines = [];
    }
    if (next.done !== true) continue;
    if (next.value === 'fallback' || header.length === 0) throw sourceChanged(name);
    // A header without records still tells the writer the columns, as the csv-parse pass does.
    if (!yielded) yield { header, rows, lines, delimiter };
    return;
  }
}

/** The delimiter the csv-parse pass would detect, from the same first 64 KiB; undefined when the file cannot be read. */
async function detectFileDelimiter(path: string): Promise<string | undefined> {
  let head: string;
  try {
    const handle = await open(path, 'r');
    try {
      const bytes = Buffer.alloc(CSV_HEAD_BYTES);
      const { bytesRead } = await handle.read(bytes, 0, bytes.length, 0);
      head = bytes.toString('utf8', 0, bytesRead);
    } finally {
      await handle.close();
    }
  } catch {
    return undefined;
  }
  return detectCsvDelimiter(head);
}
