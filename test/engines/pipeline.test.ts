// The engine pipeline's own guarantee: a release that is not what the plan decided is refused by the re-check of the
// engine's re-aggregation, and nothing is published. A real DuckDB session, with its release deliberately spoiled.

import { existsSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { openDuckDbSession } from '../../src/engines/duckdb.js';
import type { EngineSession, ReleaseSpec } from '../../src/engines/engine.js';
import { parseLocation } from '../../src/engines/locations.js';
import { applyOnSession } from '../../src/engines/pipeline.js';
import { anonymizeCsv, CloakError, plan, type AnonymizeOptions } from '../../src/index.js';

const directory = mkdtempSync(join(tmpdir(), 'cloak-pipeline-'));
afterAll(() => rmSync(directory, { recursive: true, force: true }));

const input = join(directory, 'people.csv');
const lines = ['id,age,zip'];
// Ages 30–39 with one rare age (60) whose class fails k and is suppressed.
for (let i = 0; i < 100; i++) lines.push(`${i},${30 + (i % 10)},${1000 + (i % 4)}`);
lines.push('100,60,1000');
writeFileSync(input, lines.join('\n') + '\n');
const options: AnonymizeOptions = {
  attributes: {
    age: { role: 'quasi-identifying', hierarchy: [...Array.from({ length: 10 }, (_, a) => [String(30 + a), '30-39', '*']), ['60', '60-69', '*']] },
    zip: { role: 'quasi-identifying', hierarchy: Array.from({ length: 4 }, (_, z) => [String(1000 + z), z < 2 ? '1000-1001' : '1002-1003', '*']) },
  },
  // Level 0 has classes of 5: k = 10 makes the plan generalize age (the rare age 60 is suppressed).
  models: [{ type: 'k-anonymity', k: 10 }],
  suppressionLimit: 0.05,
  metric: 'discernibility',
};

/** Applies the plan through a DuckDB session whose release is changed by `spoil` before it is written. */
async function applySpoiled(output: string, spoil: (release: ReleaseSpec) => ReleaseSpec): Promise<unknown> {
  const saved = await plan(input, options);
  const session = await openDuckDbSession(parseLocation(input, 'duckdb', 'source'), { engine: { type: 'duckdb' }, target: parseLocation(output, 'duckdb', 'target') });
  const spoiled: EngineSession = { ...bound(session), writeRelease: (release) => session.writeRelease(spoil(release)) };
  try {
    return await applyOnSession(spoiled, saved);
  } catch (error) {
    await session.discard();
    return error;
  } finally {
    await session.close();
  }
}

/** The session's methods bound to it, so that one of them can be replaced. */
function bound(session: EngineSession): EngineSession {
  const methods = ['columns', 'histogram', 'writeRelease', 'tallyRelease', 'publish', 'discard', 'close'] as const;
  return Object.assign({ sourceName: session.sourceName, targetName: session.targetName }, Object.fromEntries(methods.map((name) => [name, session[name].bind(session)]))) as EngineSession;
}

describe('engine pipeline: the re-check of the re-aggregated release', () => {
  it('publishes an unspoiled release', async () => {
    const output = join(directory, 'fine.csv');
    const summary = await applySpoiled(output, (release) => release);
    expect(summary).toMatchObject({ rows: 101, suppressedRecords: 1 });
    expect(existsSync(output)).toBe(true);
  });

  it.each([
    ['the suppression left out', (release: ReleaseSpec) => ({ ...release, suppressed: [] })],
    ['original values released', (release: ReleaseSpec) => ({ ...release, columns: release.columns.map((column) => (column.kind === 'generalize' ? { ...column, labels: column.values } : column)) })],
    ['every class suppressed', (release: ReleaseSpec) => ({ ...release, columns: release.columns.map((column) => (column.kind === 'generalize' ? { ...column, labels: column.labels.map(() => '*') } : column)) })],
  ])('refuses a release with %s and publishes nothing', async (what, spoil) => {
    const output = join(directory, `${what.replace(/ /g, '-')}.csv`);
    const error = (await applySpoiled(output, spoil)) as CloakError;
    expect(error).toBeInstanceOf(CloakError);
    expect([error.code, error.exitCode]).toEqual(['VERIFICATION_FAILED', 5]);
    expect(existsSync(output)).toBe(false);
    expect(readdirSync(directory).filter((name) => name.endsWith('.tmp'))).toEqual([]);
  });

  it('checks a released class labelled all `*` (the top node) as released, not suppressed', async () => {
    const output = join(directory, 'top.csv');
    const report = await anonymizeCsv({ input, output, options: { ...options, models: [{ type: 'k-anonymity', k: 101 }], suppressionLimit: 0 }, engine: { type: 'duckdb' } });
    expect(report.transformation).toEqual({ age: 2, zip: 2 });
    expect(report.suppressed).toBe(0);
    expect(existsSync(output)).toBe(true);
  });
});
