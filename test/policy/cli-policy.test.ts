import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseAnonymizeArgs } from '../../src/cli/anonymize-command.js';
import { anonymizeCsv } from '../../src/api.js';
import type { CloakError } from '../../src/errors.js';
import { policySha256 } from '../../src/policy/policy-hash.js';
import { parsePolicy } from '../../src/policy/parse-policy.js';

const POLICY = {
  attributes: {
    age: { role: 'quasi-identifying', hierarchy: 'age.csv' },
    sex: { role: 'quasi-identifying', hierarchy: 'sex.csv' },
    race: { role: 'quasi-identifying', hierarchy: 'race.csv' },
    'salary-class': { role: 'sensitive' },
    id: { role: 'identifying' },
  },
  models: [{ type: 'k-anonymity', k: 5 }],
  suppressionLimit: 0.05,
  metric: 'loss',
  // Absolute: the policy files of these tests live in a temporary folder (relative paths would mean that folder).
  hierarchiesDir: resolve('hierarchies/census'),
};

function policyFile(policy: unknown = POLICY): string {
  const path = join(mkdtempSync(join(tmpdir(), 'cloak-policy-')), 'policy.json');
  writeFileSync(path, JSON.stringify(policy));
  return path;
}

function request(argv: string[]) {
  const parsed = parseAnonymizeArgs(argv);
  if (parsed.help) throw new Error('help');
  return parsed.request;
}

describe('cloak anonymize --policy', () => {
  it('uses the policy as it is when no flag overrides it, so the hash is the file\'s', () => {
    const { options } = request(['in.csv', '-o', 'out.csv', '--policy', policyFile()]);
    expect(options).toEqual(parsePolicy(POLICY));
    expect(policySha256(options)).toBe(policySha256(parsePolicy(POLICY)));
  });

  it('lets explicit flags replace exactly the fields they name', () => {
    const { options } = request(['in.csv', '-o', 'out.csv', '--policy', policyFile(), '--sensitive', 'sex', '--qi', 'education', '--l-distinct', '2', '--suppression', '0.1', '--gs-factor', '0.3', '--max-nodes', '50']);
    expect(options.attributes.sex).toEqual({ role: 'sensitive', hierarchy: 'sex.csv' });
    expect(options.attributes.education).toEqual({ role: 'quasi-identifying' });
    expect(options.attributes.age).toEqual(POLICY.attributes.age);
    // A model flag replaces the list; a bare l applies to every sensitive attribute of the effective policy.
    expect(options.models).toEqual([
      { type: 'distinct-l-diversity', attribute: 'salary-class', l: 2 },
      { type: 'distinct-l-diversity', attribute: 'sex', l: 2 },
    ]);
    expect(options.suppressionLimit).toBe(0.1);
    expect(options.metric).toEqual({ name: 'loss', gsFactor: 0.3 });
    expect(options.search).toEqual({ maxNodes: 50 });
    expect(options.hierarchiesDir).toBe(POLICY.hierarchiesDir);
    expect(policySha256(options)).not.toBe(policySha256(parsePolicy(POLICY)));
  });

  it('--recoding and --explore/--explore-k replace the policy’s fields; without them the policy’s stand', () => {
    const withLocal = policyFile({ ...POLICY, recoding: 'local', explore: { k: [2, 5] } });
    expect(request(['in.csv', '-o', 'out.csv', '--policy', withLocal]).options).toMatchObject({ recoding: 'local', explore: { k: [2, 5] } });
    const overridden = request(['in.csv', '-o', 'out.csv', '--policy', withLocal, '--recoding', 'global', '--explore-k', '10,3']).options;
    expect(overridden.recoding).toBe('global');
    expect(overridden.explore).toEqual({ k: [10, 3] });
    expect(request(['in.csv', '-o', 'out.csv', '--policy', policyFile(), '--explore']).options.explore).toEqual({});
    const flagsOnly = request(['in.csv', '-o', 'out.csv', '--qi', 'age', '--hierarchies', 'h', '--k', '2', '--recoding', 'local', '--explore']).options;
    expect(flagsOnly).toMatchObject({ recoding: 'local', explore: {} });
    const plain = request(['in.csv', '-o', 'out.csv', '--qi', 'age', '--hierarchies', 'h', '--k', '2']).options;
    expect('recoding' in plain || 'explore' in plain).toBe(false);
  });

  it('reports every policy problem with its path (exit 2)', () => {
    const bad = policyFile({ ...POLICY, models: [{ type: 'k-anonymity', k: -1 }], suppressionLimit: 2 });
    expect(() => request(['in.csv', '-o', 'out.csv', '--policy', bad])).toThrow(expect.objectContaining({ code: 'POLICY_INVALID', exitCode: 2, problems: ['$.models[0].k: Too small: expected number to be >=1', '$.suppressionLimit: Too big: expected number to be <=1'] }));
  });

  it('records the version and the effective policy hash in the report', async () => {
    const directory = mkdtempSync(join(tmpdir(), 'cloak-policy-'));
    const { options, ...rest } = request(['datasets/sample.csv', '-o', join(directory, 'out.arrow'), '--policy', policyFile(), '--k', '10']);
    const report = await anonymizeCsv({ ...rest, options });
    expect(report.policySha256).toBe(policySha256(options));
    expect(report.cloakVersion).toMatch(/^\d+\.\d+\.\d+/);
  });
});

describe('cloak anonymize --policy with relative paths', () => {
  /** A policy folder holding its hierarchies and population table, away from the working directory. */
  function policyFolder(policy: unknown): { folder: string; path: string } {
    const folder = mkdtempSync(join(tmpdir(), 'cloak-policy-folder-'));
    mkdirSync(join(folder, 'hierarchies'));
    writeFileSync(join(folder, 'hierarchies', 'age.csv'), '31;30-39;*\n35;30-39;*\n42;40-49;*\n47;40-49;*\n');
    mkdirSync(join(folder, 'lists'));
    writeFileSync(join(folder, 'lists', 'zip.csv'), '1234;123*;*\n1298;129*;*\n');
    writeFileSync(join(folder, 'population.csv'), 'age,zip,count\n31,1234,50\n35,1234,50\n42,1298,50\n47,1298,50\n');
    const path = join(folder, 'policy.json');
    writeFileSync(path, JSON.stringify(policy));
    return { folder, path };
  }
  const data = () => {
    const path = join(mkdtempSync(join(tmpdir(), 'cloak-policy-data-')), 'in.csv');
    writeFileSync(path, 'age,zip\n31,1234\n35,1234\n42,1298\n47,1298\n');
    return path;
  };
  const relativePolicy = {
    attributes: { age: { role: 'quasi-identifying' }, zip: { role: 'quasi-identifying', hierarchy: 'lists/zip.csv' } },
    models: [{ type: 'k-anonymity', k: 2 }],
    hierarchiesDir: 'hierarchies',
    risk: { populationTable: 'population.csv' },
  };

  it('finds hierarchiesDir, hierarchy files and the population table beside the policy', async () => {
    const { folder, path } = policyFolder(relativePolicy);
    const output = join(folder, 'out.csv');
    const { options, ...rest } = request([data(), '-o', output, '--policy', path]);
    const report = await anonymizeCsv({ ...rest, options });
    expect(report.transformation).toEqual({ age: 1, zip: 0 });
  });

  it('names the resolved path of a hierarchy file that is not there', async () => {
    const { folder, path } = policyFolder({ ...relativePolicy, attributes: { ...relativePolicy.attributes, zip: { role: 'quasi-identifying', hierarchy: 'missing/zip.csv' } } });
    const { options, ...rest } = request([data(), '-o', join(folder, 'out.csv'), '--policy', path]);
    const error = await anonymizeCsv({ ...rest, options }).then(
      () => undefined,
      (caught: unknown) => caught as CloakError,
    );
    expect(error?.code).toBe('HIERARCHY_UNREADABLE');
    expect(error?.message).toContain(relative(process.cwd(), join(folder, 'missing', 'zip.csv')));
  });

  it('a hierarchiesDir flag is still relative to the working directory', () => {
    const { path } = policyFolder(relativePolicy);
    expect(request(['in.csv', '-o', 'out.csv', '--policy', path, '--hierarchies', 'hierarchies/census']).options.hierarchiesDir).toBe('hierarchies/census');
  });
});
