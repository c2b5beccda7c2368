// Test helpers for hierarchy builders: the structural properties every generated hierarchy must have,
// and an assertion that a call fails with a given CloakError code without quoting a given value.

import { expect } from 'vitest';
import { CloakError } from '../../../src/errors.js';

/**
 * Asserts that `rows` is a well-formed hierarchy over exactly the distinct `values`: one row per value,
 * equal row lengths, nested levels, non-increasing distinct counts, and a single top label `*`.
 */
export function expectWellFormedHierarchy(values: Iterable<string>, rows: string[][]): void {
  const domain = new Set(values);
  expect(rows.length).toBe(domain.size);
  expect(new Set(rows.map((row) => row[0]))).toEqual(domain);
  const width = rows[0].length;
  expect(width).toBeGreaterThanOrEqual(2);
  for (const row of rows) expect(row.length).toBe(width);
  expect(new Set(rows.map((row) => row[width - 1]))).toEqual(new Set(['*']));
  for (let level = 0; level < width - 1; level++) {
    const parentOf = new Map<string, string>();
    for (const row of rows) {
      const known = parentOf.get(row[level]);
      if (known !== undefined && known !== row[level + 1]) {
        throw new Error(`not nested: label at level ${level} has two parents at level ${level + 1}`);
      }
      parentOf.set(row[level], row[level + 1]);
    }
  }
  const distinctCounts = Array.from({ length: width }, (_, level) => new Set(rows.map((row) => row[level])).size);
  for (let level = 1; level < width; level++) expect(distinctCounts[level]).toBeLessThanOrEqual(distinctCounts[level - 1]);
}

/** Runs `action`, expecting a CloakError with `code` (and `exitCode` when given) whose message does not contain `secret`. */
export function expectCloakError(action: () => unknown, code: string, options: { exitCode?: number; secret?: string } = {}): CloakError {
  let caught: unknown;
  try {
    action();
  } catch (error) {
    caught = error;
  }
  expect(caught).toBeInstanceOf(CloakError);
  const error = caught as CloakError;
  expect(error.code).toBe(code);
  if (options.exitCode !== undefined) expect(error.exitCode).toBe(options.exitCode);
  if (options.secret !== undefined) expect(error.message).not.toContain(options.secret);
  return error;
}
