import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { CloakError } from '../../src/errors.js';
import { parsePolicy, readPolicyFile, readPolicyFileSync, resolvePolicyPaths } from '../../src/policy/parse-policy.js';
import { policySha256 } from '../../src/policy/policy-hash.js';
import { POLICY_EXAMPLES, VALID_POLICY } from './examples.js';

function problemsOf(policy: unknown): readonly string[] {
  try {
    parsePolicy(policy, 'p.json');
  } catch (error) {
    expect(error).toBeInstanceOf(CloakError);
    expect((error as CloakError).code).toBe('POLICY_INVALID');
    expect((error as CloakError).exitCode).toBe(2);
    return (error as CloakError).problems;
  }
  return [];
}

describe('parsePolicy', () => {
  for (const example of POLICY_EXAMPLES) {
    it(`reports every path of "${example.name}"`, () => {
      const problems = problemsOf(example.policy);
      const paths = problems.map((problem) => problem.slice(0, problem.indexOf(': ')));
      expect(new Set(paths)).toEqual(new Set(example.paths));
    });
  }

  it('says what replaces the old absolute runSizes of a group spec', () => {
    const problems = problemsOf({ attributes: { rank: { role: 'quasi-identifying', hierarchy: { type: 'group', runSizes: [5, 10] } } }, models: [{ type: 'k-anonymity', k: 2 }] });
    expect(problems).toContain('$.attributes.rank.hierarchy.runSizes: runSizes (absolute run sizes) is replaced by runSize and fanout, relative like an interval\'s width and fanout: runSizes [5,10] is "runSize": 5, "fanout": [2]');
  });

  it('returns the options without the $schema hint', () => {
    const options = parsePolicy(JSON.stringify(VALID_POLICY), 'p.json');
    expect('$schema' in options).toBe(false);
    expect(options.attributes.age.role).toBe('quasi-identifying');
  });

  it('lists all problems in one message naming the source', () => {
    expect(() => parsePolicy(POLICY_EXAMPLES[3].policy, 'policy.json')).toThrow(/^policy\.json: 9 problems in the policy:\n {2}- \$\./);
  });

  it('refuses text that is not JSON without quoting it', () => {
    expect(() => parsePolicy('{"attributes": secret}', 'p.json')).toThrow(expect.objectContaining({ code: 'POLICY_INVALID', message: expect.not.stringContaining('secret') }));
  });
});

describe('relative paths of a policy file', () => {
  const base = mkdtempSync(join(tmpdir(), 'cloak-policy-paths-'));
  afterAll(() => rmSync(base, { recursive: true, force: true }));
  const folder = join(base, 'conf');
  mkdirSync(folder);
  /** What a path of the policy means, written as the options carry it: relative to the working directory. */
  const meant = (path: string) => relative(process.cwd(), resolve(folder, path));
  const policy = {
    attributes: {
      age: { role: 'quasi-identifying', hierarchy: 'files/age.csv' },
      sex: { role: 'quasi-identifying', hierarchy: 'sex.csv' },
      zip: { role: 'quasi-identifying', hierarchy: '/srv/hierarchies/zip.csv' },
      race: { role: 'quasi-identifying', hierarchy: [['a', '*']] },
    },
    models: [{ type: 'k-anonymity', k: 2 }],
    hierarchiesDir: '../hierarchies',
    risk: { populationTable: 'population.csv' },
  };

  it.for(['readPolicyFile', 'readPolicyFileSync'] as const)('%s resolves them against the file\'s folder, not the working directory', async (reader) => {
    const path = join(folder, 'policy.json');
    writeFileSync(path, JSON.stringify(policy));
    const options = reader === 'readPolicyFile' ? await readPolicyFile(path) : readPolicyFileSync(path);
    expect(options.hierarchiesDir).toBe(meant('../hierarchies'));
    expect(options.attributes.age.hierarchy).toBe(meant('files/age.csv'));
    // A bare name is looked up in hierarchiesDir (already resolved); absolute paths and inline rows stay.
    expect(options.attributes.sex.hierarchy).toBe('sex.csv');
    expect(options.attributes.zip.hierarchy).toBe('/srv/hierarchies/zip.csv');
    expect(options.attributes.race.hierarchy).toEqual([['a', '*']]);
    expect(options.risk?.populationTable).toBe(meant('population.csv'));
  });

  it('a bare hierarchy name without hierarchiesDir is a file beside the policy, kept a path (never looked up in --hierarchies)', () => {
    const { hierarchiesDir: _none, ...withoutDirectory } = policy;
    const resolved = resolvePolicyPaths(parsePolicy(withoutDirectory), folder);
    expect(resolved.attributes.sex.hierarchy).toBe(meant('sex.csv'));
    expect(resolvePolicyPaths(parsePolicy(withoutDirectory), process.cwd()).attributes.sex.hierarchy).toBe('./sex.csv');
  });

  it('a policy read from the working directory keeps its paths, so its hash is the file\'s', () => {
    const parsed = parsePolicy(policy);
    expect(resolvePolicyPaths(parsed, process.cwd())).toEqual(parsed);
    expect(policySha256(resolvePolicyPaths(parsed, process.cwd()))).toBe(policySha256(parsed));
  });

  it('options passed as an object keep working-directory-relative paths', () => {
    expect(parsePolicy(policy).hierarchiesDir).toBe('../hierarchies');
  });
});
