// Bad input to `cloak anonymize --pseudonymize` and `cloak reidentify`: each a clear error with its exit code,
// nothing written, and neither the key (in any encoding) nor any cell value on stdout or stderr.

import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { buildCli, runCli, type CliRun } from '../reliability/cli-harness.js';
import { temporaryFiles } from '../temporary-files.js';

const { directory } = temporaryFiles('cloak-pseudonymize-cli-');
const KEY = Buffer.from('c0ffee00112233445566778899aabbccddeeff0123456789abcdef0011223344', 'hex');
const ROWS = [
  ['name', 'account', 'card', 'visit', 'zip'],
  ['Zelda Quintanilla', 'ACC-734501', '4929-1234-5678-9012', '2021-03-14', '10115'],
  ['Yorick Vanterpool', 'ACC-734502', '4929-2345-6789-0123', '2021-04-15', '10117'],
  ['Xaviera Holmgren', 'ACC-734503', '4929-3456-7890-1234', '2021-05-16', '10115'],
  ['Wolfram Castellanos', 'ACC-734504', '4929-4567-8901-2345', '2021-06-17', '10117'],
];
/** Every cell value of the data, which no message may show. */
const CELLS = ROWS.slice(1).flat();
const SECRETS = [KEY.toString('hex'), KEY.toString('hex').toUpperCase(), KEY.toString('base64'), KEY.subarray(0, 20).toString('hex')];
let cli: string;

const write = (name: string, text: string) => writeFileSync(join(directory, name), text);

function cloak(args: readonly string[], env: NodeJS.ProcessEnv = {}): CliRun {
  return runCli(cli, args, { cwd: directory, env });
}

/** A refused run: the exit code, one `cloak: error:` line matching `message`, no output file, nothing secret. */
function expectRefused(run: CliRun, exitCode: number, message: RegExp, output = 'out.csv'): void {
  expect(run.status).toBe(exitCode);
  const lines = run.stderr.trimEnd().split('\n');
  expect(lines[0]).toMatch(/^cloak: error: /);
  expect(run.stderr).toMatch(message);
  expect(run.stderr).not.toMatch(/\n\s+at /);
  expect(run.stdout).toBe('');
  expect(existsSync(join(directory, output))).toBe(false);
  expect(readdirSync(directory).filter((file) => file.endsWith('.tmp'))).toEqual([]);
  expectNothingSecret(run);
}

function expectNothingSecret(run: CliRun): void {
  const printed = run.stdout + run.stderr;
  for (const secret of SECRETS) expect(printed).not.toContain(secret);
  for (const cell of CELLS) expect(printed).not.toContain(cell);
}

beforeAll(async () => {
  cli = await buildCli();
  write('data.csv', ROWS.map((row) => row.join(',')).join('\n') + '\n');
  write('key.hex', `${KEY.toString('hex')}\n`);
  write('key.b64', `base64:${KEY.toString('base64')}`);
  write('short.hex', KEY.subarray(0, 20).toString('hex'));
  write('bad.hex', `${KEY.toString('hex').slice(0, 40)}zz${KEY.toString('hex').slice(42)}`);
  write('letters.csv', 'card\n4929123456789012\n4929-ABCD-5678-9012\n');
  write('short-values.csv', 'card\n4929123456789012\n12345\n');
  write('dates.csv', 'account,visit\nACC-734501,2021-03-14\nACC-734502,14.03.2021\n');
}, 180_000);

describe('cloak anonymize --pseudonymize', () => {
  it('pseudonymizes without quasi-identifiers and prints fingerprints, never the key or a value', () => {
    const run = cloak(['anonymize', 'data.csv', '-o', 'ok.csv', '--pseudonymize', 'name=hmac', '--pseudonymize', 'card=ff1', '--key-file', 'key.b64']);
    expect(run.status).toBe(0);
    expect(run.stderr).toMatch(/no quasi-identifier/);
    expect(run.stderr).toMatch(/card: ff1 \(key fingerprint [0-9a-f]{32}\)/);
    expectNothingSecret(run);
  });

  it('refuses a keyed method without a key (exit 2)', () => {
    expectRefused(cloak(['anonymize', 'data.csv', '-o', 'out.csv', '--pseudonymize', 'card=ff1']), 2, /"card" \(ff1\) needs a key: give --key-file FILE or --key-env NAME/);
  });

  it('refuses a key of the wrong length for ff1 and a malformed key, without showing them (exit 2)', () => {
    expectRefused(cloak(['anonymize', 'data.csv', '-o', 'out.csv', '--pseudonymize', 'card=ff1', '--key-file', 'short.hex']), 2, /holds 20 bytes; ff1 needs 16, 24 or 32 bytes/);
    expectRefused(cloak(['anonymize', 'data.csv', '-o', 'out.csv', '--pseudonymize', 'card=ff1', '--key-file', 'bad.hex']), 2, /key file bad\.hex is neither hex/);
    expectRefused(cloak(['anonymize', 'data.csv', '-o', 'out.csv', '--pseudonymize', 'name=hmac', '--key-file', 'absent.hex']), 2, /cannot read the key file absent\.hex/);
    expectRefused(cloak(['anonymize', 'data.csv', '-o', 'out.csv', '--pseudonymize', 'name=hmac', '--key-env', 'CLOAK_TEST_NO_SUCH_KEY']), 2, /environment variable CLOAK_TEST_NO_SUCH_KEY is not set/);
  });

  it('reads a policy transform’s own key file relative to the policy’s folder', () => {
    mkdirSync(join(directory, 'policies'), { recursive: true });
    write('policies/card.key', `${KEY.toString('hex')}\n`);
    write('policies/policy.json', JSON.stringify({ attributes: { card: { role: 'identifying', transform: { method: 'ff1', keyFile: 'card.key' } } } }));
    const fromPolicy = cloak(['anonymize', 'data.csv', '-o', 'policy-out.csv', '--policy', 'policies/policy.json']);
    expect(fromPolicy.status).toBe(0);
    const fromFlags = cloak(['anonymize', 'data.csv', '-o', 'flags-out.csv', '--pseudonymize', 'card=ff1', '--key-file', 'key.hex']);
    expect(fromFlags.status).toBe(0);
    expect(readFileSync(join(directory, 'policy-out.csv'), 'utf8')).toBe(readFileSync(join(directory, 'flags-out.csv'), 'utf8'));
  });

  it('takes the key from an environment variable', () => {
    const run = cloak(['anonymize', 'data.csv', '-o', 'env.csv', '--pseudonymize', 'name=hmac', '--key-env', 'CLOAK_TEST_KEY'], { CLOAK_TEST_KEY: KEY.toString('hex').toUpperCase() });
    expect(run.status).toBe(0);
    expectNothingSecret(run);
  });

  it('refuses a value outside the alphabet under other=error and a value too short, naming column and line (exit 3)', () => {
    expectRefused(cloak(['anonymize', 'letters.csv', '-o', 'out.csv', '--pseudonymize', 'card=ff1:other=error', '--key-file', 'key.hex']), 3, /letters\.csv:3: the value of column "card" has a character outside the ff1 alphabet "digits"/);
    expectRefused(cloak(['anonymize', 'short-values.csv', '-o', 'out.csv', '--pseudonymize', 'card=ff1', '--key-file', 'key.hex']), 3, /short-values\.csv:3: the value of column "card" has fewer than 6 characters of the ff1 alphabet/);
  });

  it('refuses an unknown subject column (exit 2) and a value that is not a date (exit 3)', () => {
    expectRefused(cloak(['anonymize', 'data.csv', '-o', 'out.csv', '--pseudonymize', 'visit=shift-dates:subject=patient', '--key-file', 'key.hex']), 2, /column "patient" \(the subject of "visit"\) is not in the header of data\.csv/);
    expectRefused(cloak(['anonymize', 'dates.csv', '-o', 'out.csv', '--pseudonymize', 'visit=shift-dates:subject=account', '--key-file', 'key.hex']), 3, /dates\.csv:3: the value of column "visit" is not a date \(YYYY-MM-DD\)/);
  });

  it('refuses tokens that collide within the data (exit 3)', () => {
    write('many.csv', ['name', ...Array.from({ length: 100 }, (_, i) => `person ${i}`)].join('\n') + '\n');
    expectRefused(cloak(['anonymize', 'many.csv', '-o', 'out.csv', '--pseudonymize', 'name=hmac:length=1', '--key-file', 'key.hex']), 3, /column "name": two distinct values get the same 1-character hmac token/);
  });

  it('reports every bad spec at once (exit 2)', () => {
    const run = cloak(['anonymize', 'data.csv', '-o', 'out.csv', '--qi', 'zip', '--k', '2', '--pseudonymize', 'zip=hmac', '--pseudonymize', 'name=rot13', '--pseudonymize', 'card=ff1:alphabet=aa,colour=red', '--pseudonymize', 'account=hmac:length=99', '--key-file', 'key.hex']);
    expectRefused(run, 2, /problems with the arguments/);
    expect(run.stderr).toMatch(/--pseudonymize: column "zip" is also given --qi/);
    expect(run.stderr).toMatch(/METHOD one of hmac, ff1, shift-dates, mask, got "name=rot13"/);
    expect(run.stderr).toMatch(/--pseudonymize card: expected name=value with a name among alphabet, tweak, domain, other, key-file, key-env for ff1, got "colour=red"/);
    expect(run.stderr).toMatch(/--pseudonymize card: alphabet: repeats a character/);
    expect(run.stderr).toMatch(/--pseudonymize account: length: must be an integer in \[1, 52\]/);
    // Only the problems that are there: a bad spec does not make --qi or a model required.
    expect(run.stderr).toMatch(/^cloak: error: 5 problems/);
    const pseudonymizeOnly = cloak(['anonymize', 'data.csv', '-o', 'out.csv', '--pseudonymize', 'card=ff1:tweak=12,domain=x', '--key-file', 'key.hex']);
    expectRefused(pseudonymizeOnly, 2, /--pseudonymize card: give tweak or domain, not both/);
    expect(pseudonymizeOnly.stderr).not.toMatch(/--qi is required|no privacy model/);
  });
});

describe('cloak plan and cloak apply with pseudonymized attributes', () => {
  it('refuse to apply a plan with another key: exit 2, nothing written, no key or value shown', () => {
    write('zip.csv', '10115,101**,*\n10117,101**,*\n');
    write('other.hex', 'ab'.repeat(32));
    const planned = cloak(['plan', 'data.csv', '-o', 'plan.json', '--qi', 'zip', '--hierarchies', '.', '--k', '2', '--pseudonymize', 'name=hmac', '--pseudonymize', 'card=ff1', '--key-file', 'key.hex']);
    expect(planned.status).toBe(0);
    expectNothingSecret(planned);
    const planText = JSON.parse(readFileSync(join(directory, 'plan.json'), 'utf8')) as { pseudonymized: unknown[] };
    expect(planText.pseudonymized).toHaveLength(2);
    for (const secret of SECRETS) expect(JSON.stringify(planText)).not.toContain(secret);
    expectRefused(cloak(['apply', 'plan.json', 'data.csv', '-o', 'out.csv', '--key-file', 'other.hex']), 2, /data\.csv: 2 keys differ from the plan's/);
    expectRefused(cloak(['apply', 'plan.json', 'data.csv', '-o', 'out.csv']), 2, /"name" \(hmac\) needs a key/);
    const applied = cloak(['apply', 'plan.json', 'data.csv', '-o', 'applied.csv', '--key-file', 'key.hex']);
    expect(applied.status).toBe(0);
    expectNothingSecret(applied);
  });
});

describe('cloak reidentify', () => {
  it('refuses a run without a key or without any ff1 column (exit 2)', () => {
    expect(cloak(['anonymize', 'data.csv', '-o', 'released.csv', '--pseudonymize', 'card=ff1', '--pseudonymize', 'name=hmac', '--key-file', 'key.hex']).status).toBe(0);
    expectRefused(cloak(['reidentify', 'released.csv', '-o', 'out.csv', '--pseudonymize', 'card=ff1']), 2, /"card" \(ff1\) needs a key/);
    expectRefused(cloak(['reidentify', 'released.csv', '-o', 'out.csv', '--pseudonymize', 'name=hmac', '--key-file', 'key.hex']), 2, /no ff1 transform: only ff1 columns can be re-identified/);
    expectRefused(cloak(['reidentify', 'released.csv', '-o', 'out.csv', '--pseudonymize', 'iban=ff1', '--key-file', 'key.hex']), 2, /column "iban" \(ff1\) is not in the header of released\.csv/);
  });
});
