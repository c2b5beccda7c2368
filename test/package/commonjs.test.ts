// The package as npm ships it, loaded from CommonJS: `npm pack` of a fresh build, unpacked into a consumer's
// node_modules, then `require('cloak')` and `require('cloak/testing')` in a .cjs file run by node.

import { spawnSync } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readFileSync, renameSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, dirname, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { REPO, buildCli } from '../reliability/cli-harness.js';

const manifest = JSON.parse(readFileSync(join(REPO, 'package.json'), 'utf8')) as { dependencies: Record<string, string> };

/** A CommonJS program using both entry points for real: anonymize, check the output, compare with import(). */
const CONSUMER = `
const cloak = require('cloak');
const testing = require('cloak/testing');
const records = Array.from({ length: 40 }, (_, i) => ({ age: String(20 + (i % 8)), sex: i % 2 === 0 ? 'Female' : 'Male' }));
const ages = [...new Set(records.map((record) => record.age))].map((age) => [age, age[0] + '0-' + age[0] + '9', '*']);
const policy = {
  attributes: {
    age: { role: 'quasi-identifying', hierarchy: ages },
    sex: { role: 'quasi-identifying', hierarchy: [['Male', '*'], ['Female', '*']] },
  },
  models: [{ type: 'k-anonymity', k: 10 }],
};
cloak.anonymize(records, policy).then(async ({ table, report }) => {
  testing.assertKAnonymous(table, { qi: ['age', 'sex'], k: 10 });
  const imported = await import('cloak');
  console.log(JSON.stringify({
    rows: table.numRows,
    inputFailsK: testing.checkKAnonymity(records, { qi: ['age', 'sex'], k: 10 }).ok === false,
    version: report.cloakVersion,
    sameModule: imported.CloakError === cloak.CloakError && imported.anonymize === cloak.anonymize,
    schema: require.resolve('cloak/policy.schema.json').endsWith('policy.schema.json'),
  }));
});
`;

function run(command: string, args: string[], cwd: string): string {
  const result = spawnSync(command, args, { cwd, encoding: 'utf8' });
  if (result.status !== 0) throw new Error(`${command} ${args.join(' ')} failed (${result.status}):\n${result.stdout}\n${result.stderr}`);
  return result.stdout;
}

describe('require() of the packed package', () => {
  let directory: string;
  let consumer: string;

  beforeAll(async () => {
    directory = mkdtempSync(join(tmpdir(), 'cloak-commonjs-'));
    // The package directory npm would pack: the manifest, a fresh build as dist/, the shipped hierarchies.
    const build = dirname(dirname(await buildCli()));
    const staged = join(directory, 'staged');
    mkdirSync(staged);
    cpSync(join(REPO, 'package.json'), join(staged, 'package.json'));
    cpSync(build, join(staged, 'dist'), { recursive: true, filter: (path) => basename(path) !== '.built' });
    cpSync(join(REPO, 'src', 'policy', 'policy.schema.json'), join(staged, 'dist', 'policy', 'policy.schema.json'));
    cpSync(join(REPO, 'hierarchies'), join(staged, 'hierarchies'), { recursive: true });
    // --ignore-scripts: the prepack build is what the lines above did, from this checkout's sources.
    const [packed] = JSON.parse(run('npm', ['pack', '--json', '--ignore-scripts', '--pack-destination', directory], staged)) as { filename: string }[];

    // A CommonJS project with the tarball unpacked as node_modules/cloak and Cloak's declared dependencies beside it.
    consumer = join(directory, 'consumer');
    mkdirSync(join(consumer, 'node_modules'), { recursive: true });
    run('tar', ['-xzf', join(directory, packed.filename), '-C', directory], directory);
    renameSync(join(directory, 'package'), join(consumer, 'node_modules', 'cloak'));
    for (const dependency of Object.keys(manifest.dependencies)) {
      mkdirSync(dirname(join(consumer, 'node_modules', dependency)), { recursive: true });
      symlinkSync(join(REPO, 'node_modules', dependency), join(consumer, 'node_modules', dependency), 'dir');
    }
    writeFileSync(join(consumer, 'package.json'), JSON.stringify({ name: 'consumer', private: true, type: 'commonjs' }));
    writeFileSync(join(consumer, 'consumer.cjs'), CONSUMER);
  }, 240_000);

  afterAll(() => rmSync(directory, { recursive: true, force: true }));

  it('loads cloak and cloak/testing with require(), without a flag or a warning, as the same module import() gives', () => {
    const result = spawnSync(process.execPath, ['consumer.cjs'], { cwd: consumer, encoding: 'utf8' });
    expect(result.stderr).toBe('');
    expect(result.status).toBe(0);
    expect(JSON.parse(result.stdout)).toEqual({ rows: 40, inputFailsK: true, version: JSON.parse(readFileSync(join(REPO, 'package.json'), 'utf8')).version, sameModule: true, schema: true });
  });

  it('loads each entry point alone from node -e', () => {
    for (const entry of ['cloak', 'cloak/testing']) {
      const result = spawnSync(process.execPath, ['-e', `const m = require(${JSON.stringify(entry)}); console.log(Object.keys(m).length > 10)`], { cwd: consumer, encoding: 'utf8' });
      expect(result.stderr, entry).toBe('');
      expect(result.stdout.trim(), entry).toBe('true');
    }
  });
});
