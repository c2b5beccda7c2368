import { describe, expect, it } from 'vitest';
import { CloakError } from '../../src/errors.js';
import { parsePolicy } from '../../src/policy/parse-policy.js';
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
