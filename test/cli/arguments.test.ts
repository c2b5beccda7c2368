// Argument errors a new user hits, in every command: unknown flags with the near ones, --version, one message for a
// model flag without a sensitive attribute, and models the data cannot meet, said with the reason.

import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { parseAnonymizeArgs } from '../../src/cli/anonymize-command.js';
import { parseCheckArgs } from '../../src/cli/check-command.js';
import { nearFlags } from '../../src/cli/near-flags.js';
import { parseRiskArgs } from '../../src/cli/risk-command.js';
import { anonymize, CloakError, type AnonymizeOptions } from '../../src/index.js';
import { buildCli, REPO, runCli } from '../reliability/cli-harness.js';

function usageError(parse: () => unknown): CloakError {
  try {
    parse();
  } catch (error) {
    expect(error).toBeInstanceOf(CloakError);
    expect((error as CloakError).exitCode).toBe(2);
    return error as CloakError;
  }
  throw new Error('expected a usage error');
}

describe('unknown flags', () => {
  it('name the near known flags, in every command', () => {
    expect(usageError(() => parseAnonymizeArgs(['in.csv', '-o', 'out.csv', '--qis', 'age', '--k', '2'])).message).toBe(
      'unknown option --qis (did you mean --qi?); see cloak anonymize --help',
    );
    expect(usageError(() => parseCheckArgs(['out.csv', '--qi', 'age', '--k', '2', '--orignal', 'in.csv'])).message).toBe(
      'unknown option --orignal (did you mean --original?); see cloak check --help',
    );
    expect(usageError(() => parseRiskArgs(['in.csv', '--qi', 'age', '--populaton=USA'])).message).toBe(
      'unknown option --populaton (did you mean --population?); see cloak risk --help',
    );
    expect(usageError(() => parseAnonymizeArgs(['in.csv', '-o', 'out.csv', '--qi', 'age', '--frobnicate'])).message).toBe('unknown option --frobnicate; see cloak anonymize --help');
  });

  it('match case, typos, unambiguous abbreviations and short flags', () => {
    const options = { qi: { type: 'string' }, suppression: { type: 'string' }, sensitive: { type: 'string' }, output: { type: 'string', short: 'o' }, hierarchies: { type: 'string' }, 'hierarchy-spec': { type: 'string' } } as const;
    expect(nearFlags('--QI', options)).toEqual(['--qi']);
    expect(nearFlags('--supression', options)).toEqual(['--suppression']);
    expect(nearFlags('--hierarchy', options)).toEqual(['--hierarchies', '--hierarchy-spec']);
    expect(nearFlags('--suppr', options)).toEqual(['--suppression']);
    expect(nearFlags('--s', options)).toEqual([]);
    expect(nearFlags('-O', options)).toEqual(['-o']);
    expect(nearFlags('--verison', options)).toEqual(['--version']);
  });

  it('keep node\'s advice for other parse errors (a negative number)', () => {
    expect(usageError(() => parseAnonymizeArgs(['in.csv', '-o', 'out.csv', '--qi', 'age', '--k', '-1'])).message).toBe(
      "Option '--k' argument is ambiguous. Did you forget to specify the option argument for '--k'? To specify an option argument starting with a dash use '--k=-XYZ'; see cloak anonymize --help",
    );
  });
});

describe('a model flag without a sensitive attribute', () => {
  it('gets one message, not also "no privacy model given"', () => {
    const error = usageError(() => parseAnonymizeArgs(['in.csv', '-o', 'out.csv', '--qi', 'age', '--hierarchies', 'h', '--l-distinct', '3']));
    expect(error.problems).toEqual(['--l-distinct: no sensitive attribute; give --sensitive or --l-distinct attr=value']);
    expect(usageError(() => parseCheckArgs(['out.csv', '--qi', 'age', '--t-equal', '0.2'])).problems).toEqual(['--t-equal: no sensitive attribute; give --sensitive or --t-equal attr=value']);
    // A bad value of the only model flag is one problem too.
    expect(usageError(() => parseCheckArgs(['out.csv', '--qi', 'age', '--sensitive', 'd', '--l-distinct', 'three'])).problems).toEqual(['--l-distinct: expected an integer ≥ 1, got "three"']);
  });
});

describe('models the data cannot meet', () => {
  // Five records, disease with three distinct values.
  const records = ['flu', 'cold', 'flu', 'cancer', 'cold'].map((disease, index) => ({ age: String(30 + index), disease }));
  const policy = (models: AnonymizeOptions['models']): AnonymizeOptions => ({
    attributes: { age: { role: 'quasi-identifying', hierarchy: records.map(({ age }) => [age, '*']) }, disease: { role: 'sensitive' } },
    models,
    suppressionLimit: 1,
  });
  const failure = async (models: AnonymizeOptions['models']): Promise<CloakError> => {
    const error = await anonymize(records, policy(models)).then(
      () => undefined,
      (caught: unknown) => caught,
    );
    expect(error).toBeInstanceOf(CloakError);
    return error as CloakError;
  };

  it('are refused before the search with why (exit 4, MODEL_IMPOSSIBLE), even when every record may be suppressed', async () => {
    const error = await failure([{ type: 'distinct-l-diversity', attribute: 'disease', l: 4 }]);
    expect(error).toMatchObject({ code: 'MODEL_IMPOSSIBLE', exitCode: 4 });
    expect(error.message).toBe('models[0] (distinct-l-diversity): l = 4 cannot be met: "disease" has only 3 distinct values (records), and every class needs 4');
  });

  it('cover entropy and recursive l above the distinct values and k above the records, all at once, without values', async () => {
    const error = await failure([
      { type: 'k-anonymity', k: 6 },
      { type: 'entropy-l-diversity', attribute: 'disease', l: 3.5 },
      { type: 'recursive-cl-diversity', attribute: 'disease', c: 2, l: 4 },
    ]);
    expect(error).toMatchObject({ code: 'MODEL_IMPOSSIBLE', exitCode: 4 });
    expect(error.problems).toEqual([
      'models[0] (k-anonymity): k = 6 cannot be met: there are only 5 records (records)',
      'models[1] (entropy-l-diversity): l = 3.5 cannot be met: "disease" has only 3 distinct values (records), and every class needs 4',
      'models[2] (recursive-cl-diversity): l = 4 cannot be met: "disease" has only 3 distinct values (records), and every class needs 4',
    ]);
    for (const value of ['flu', 'cold', 'cancer']) expect(error.message).not.toContain(value);
  });

  it('leave models the data can meet to the search', async () => {
    const { report } = await anonymize(records, policy([{ type: 'k-anonymity', k: 5 }, { type: 'entropy-l-diversity', attribute: 'disease', l: 2.5 }]));
    expect(report.rows).toBe(5);
  });
});

describe('--version', () => {
  let cli = '';
  beforeAll(async () => {
    cli = await buildCli();
  }, 240_000);

  it('prints the package version for cloak and for every command', () => {
    const { version } = JSON.parse(readFileSync(join(REPO, 'package.json'), 'utf8')) as { version: string };
    for (const argv of [['--version'], ['anonymize', '--version'], ['check', 'x.csv', '--version'], ['risk', '--version'], ['hierarchy', 'build', '--version']]) {
      const run = runCli(cli, argv, { cwd: REPO });
      expect(run.status, argv.join(' ')).toBe(0);
      expect(run.stdout).toBe(`${version}\n`);
      expect(run.stderr).toBe('');
    }
    // After `--`, it is an argument, not the flag.
    expect(runCli(cli, ['risk', '--qi', 'a', '--', '--version'], { cwd: REPO }).status).toBe(3);
  });
});
