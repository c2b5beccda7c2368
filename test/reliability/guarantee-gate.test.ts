// The guarantee gate: verifyOutput rejects outputs that break a model (exit 5, naming the failed check), and
// anonymizeCsv writes nothing — no output, report or temporary file — when verification fails.

import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { anonymizeCsv } from '../../src/api.js';
import { CloakError, ExitCode } from '../../src/errors.js';
import { encodeRows, type EncodedTable } from '../../src/table/encoded-table.js';
import { verifyOutput, type VerificationInput } from '../../src/verify-output.js';
import { makeTempDir } from './cli-harness.js';

/** When on, the orchestrator's call to verifyOutput receives the ungeneralized input as its "output": an engine bug. */
const sabotage = vi.hoisted(() => ({ on: false }));
vi.mock('../../src/verify-output.js', async (importOriginal) => {
  const actual = await importOriginal<typeof import('../../src/verify-output.js')>();
  return {
    ...actual,
    verifyOutput: (input: VerificationInput) => actual.verifyOutput(sabotage.on ? { ...input, output: input.original } : input),
  };
});

const original = encodeRows(
  ['age', 'diag'],
  [
    ['31', 'flu'],
    ['32', 'flu'],
    ['33', 'cold'],
    ['34', 'cold'],
  ],
);
const generalized = encodeRows(
  ['age', 'diag'],
  [
    ['3*', 'flu'],
    ['3*', 'flu'],
    ['3*', 'cold'],
    ['3*', 'cold'],
  ],
);

function verification(output: EncodedTable, overrides: Partial<VerificationInput> = {}): VerificationInput {
  return {
    output,
    original,
    suppressedRows: new Uint8Array(output.rowCount),
    quasiIdentifiers: ['age'],
    models: [{ type: 'k-anonymity', k: 2 }],
    suppressionLimit: 0,
    sensitive: [],
    ...overrides,
  };
}

function failure(input: VerificationInput): CloakError {
  try {
    verifyOutput(input);
  } catch (error) {
    expect(error).toBeInstanceOf(CloakError);
    return error as CloakError;
  }
  throw new Error('verification passed');
}

describe('verifyOutput', () => {
  it('passes a 2-anonymous output', () => {
    expect(() => verifyOutput(verification(generalized))).not.toThrow();
  });

  it('rejects an output with a class below k, naming the check, with exit code 5', () => {
    const error = failure(verification(original));
    expect(error.code).toBe('VERIFICATION_FAILED');
    expect(error.exitCode).toBe(ExitCode.verification);
    expect(error.message).toContain('(2-anonymity)');
    expect(error.message).toContain('nothing was written');
  });

  it('rejects suppression beyond the budget', () => {
    const error = failure(verification(generalized, { suppressedRows: Uint8Array.from([1, 1, 0, 0]), models: [] }));
    expect(error.message).toContain('(suppression within 0%)');
  });

  it('rejects an output that breaks l-diversity although it is k-anonymous', () => {
    const sameDiagnosis = encodeRows(['age', 'diag'], [['3*', 'flu'], ['3*', 'flu'], ['4*', 'cold'], ['4*', 'cold']]);
    const error = failure(verification(sameDiagnosis, { models: [{ type: 'k-anonymity', k: 2 }, { type: 'distinct-l-diversity', attribute: 'diag', l: 2 }] }));
    expect(error.message).toContain('(distinct 2-diversity (diag))');
    expect(error.message).not.toMatch(/flu|cold|3\*|4\*/);
  });
});

describe('verifyOutput under local recoding', () => {
  // age 31…34 generalize to 3* (and *); a local release may mix levels within the column.
  const hierarchies = { age: [['31', '3*', '*'], ['32', '3*', '*'], ['33', '3*', '*'], ['34', '3*', '*']] };
  const local = (rows: string[][], overrides: Partial<VerificationInput> = {}) =>
    verification(encodeRows(['age', 'diag'], rows), { suppressedRows: 'infer', checkGeneralization: true, hierarchies, ...overrides });

  it('passes an output whose cells are their originals or their generalizations, at different levels', () => {
    const twins = encodeRows(['age', 'diag'], [['31', 'flu'], ['31', 'flu'], ['33', 'cold'], ['34', 'cold']]);
    const mixed = encodeRows(['age', 'diag'], [['31', 'flu'], ['31', 'flu'], ['3*', 'cold'], ['3*', 'cold']]);
    expect(() => verifyOutput({ ...verification(mixed, { suppressedRows: 'infer', checkGeneralization: true, hierarchies }), original: twins })).not.toThrow();
  });

  it('rejects a cell that is not a generalization of its own original, though the classes are fine', () => {
    // Row 0 says 32 where the input has 31: a valid label of the hierarchy, but not of that record.
    const error = failure(local([['32', 'flu'], ['32', 'flu'], ['3*', 'cold'], ['3*', 'cold']]));
    expect(error.message).toContain('(generalization of the original)');
    expect(error.message).not.toMatch(/31|32/);
    // Without the check (global recoding, where the output is built from one level per attribute), it passes.
    expect(() => verifyOutput(local([['32', 'flu'], ['32', 'flu'], ['3*', 'cold'], ['3*', 'cold']], { checkGeneralization: false }))).not.toThrow();
  });

  it('counts a record reading * in every quasi-identifier as suppressed, within the limit or not', () => {
    const starred = [['*', 'flu'], ['*', 'flu'], ['3*', 'cold'], ['3*', 'cold']];
    expect(failure(local(starred)).message).toContain('(suppression within 0%)');
    expect(() => verifyOutput(local(starred, { suppressionLimit: 0.5 }))).not.toThrow();
  });

  it('exempts identifying columns (replaced by *) from the generalization check', () => {
    const withName = encodeRows(['age', 'name'], [['31', 'ann'], ['32', 'bob'], ['33', 'cy'], ['34', 'di']]);
    const released = encodeRows(['age', 'name'], [['3*', '*'], ['3*', '*'], ['3*', '*'], ['3*', '*']]);
    const input = { ...verification(released, { suppressedRows: 'infer', checkGeneralization: true, hierarchies }), original: withName };
    expect(failure(input).message).toContain('(generalization of the original)');
    expect(() => verifyOutput({ ...input, identifying: ['name'] })).not.toThrow();
  });
});

describe('anonymizeCsv when verification fails', () => {
  const work = makeTempDir('gate');
  afterAll(() => rmSync(work, { recursive: true, force: true }));
  mkdirSync(join(work, 'h'));
  mkdirSync(join(work, 'out'));
  writeFileSync(join(work, 'data.csv'), 'age,note\n31,SECRET_4711_a\n32,SECRET_4711_b\n33,SECRET_4711_c\n34,SECRET_4711_d\n');
  writeFileSync(join(work, 'h', 'age.csv'), '31;3*;*\n32;3*;*\n33;3*;*\n34;3*;*\n');
  const request = (output: string) => ({
    input: join(work, 'data.csv'),
    output,
    reportPath: join(work, 'out', 'report.json'),
    options: { attributes: { age: { role: 'quasi-identifying' as const } }, models: [{ type: 'k-anonymity' as const, k: 2 }], hierarchiesDir: join(work, 'h') },
  });

  it('succeeds without the sabotage (the seam itself is sound)', async () => {
    sabotage.on = false;
    await anonymizeCsv(request(join(work, 'out', 'anon.csv')));
    expect(readFileSync(join(work, 'out', 'anon.csv'), 'utf8')).toContain('3*');
    rmSync(join(work, 'out'), { recursive: true });
    mkdirSync(join(work, 'out'));
  });

  it('rejects with exit code 5 and leaves the output directory as it was', async () => {
    sabotage.on = true;
    writeFileSync(join(work, 'out', 'anon.csv'), 'earlier\n');
    const error = await anonymizeCsv(request(join(work, 'out', 'anon.csv'))).then(
      () => undefined,
      (rejection: unknown) => rejection,
    );
    expect(error).toBeInstanceOf(CloakError);
    expect((error as CloakError).exitCode).toBe(5);
    expect((error as CloakError).message).toContain('(2-anonymity)');
    expect((error as CloakError).message).not.toContain('SECRET_4711');
    expect(readdirSync(join(work, 'out'))).toEqual(['anon.csv']);
    expect(readFileSync(join(work, 'out', 'anon.csv'), 'utf8')).toBe('earlier\n');
    expect(existsSync(join(work, 'out', 'report.json'))).toBe(false);
  });

  it('writes nothing to stdout for -o -', async () => {
    sabotage.on = true;
    const write = vi.spyOn(process.stdout, 'write').mockImplementation(() => true);
    try {
      await expect(anonymizeCsv(request('-'))).rejects.toMatchObject({ code: 'VERIFICATION_FAILED', exitCode: 5 });
      expect(write).not.toHaveBeenCalled();
    } finally {
      write.mockRestore();
    }
    expect(readdirSync(join(work, 'out'))).toEqual(['anon.csv']);
  });
});
