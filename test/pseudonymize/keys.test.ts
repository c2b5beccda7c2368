// Keys: hex in either case or base64 after `base64:`, whitespace ignored, every malformed or missing key a usage error
// that never shows the key; fingerprints that identify a key without revealing it.

import { createHmac } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CloakError } from '../../src/errors.js';
import { decodeKeyText, keyFingerprint, loadKey } from '../../src/pseudonymize/keys.js';
import { prepareTransforms } from '../../src/pseudonymize/prepare-transforms.js';
import { temporaryFiles } from '../temporary-files.js';

const HEX = '00112233445566778899aabbccddeeff';
const { directory } = temporaryFiles('cloak-keys-');

async function problemOf(promise: Promise<unknown>): Promise<CloakError> {
  const error = await promise.then(
    () => undefined,
    (caught: unknown) => caught,
  );
  expect(error).toBeInstanceOf(CloakError);
  return error as CloakError;
}

describe('decodeKeyText', () => {
  it('reads hex in either case and base64 after "base64:", ignoring surrounding whitespace and the final newline', () => {
    const bytes = Buffer.from(HEX, 'hex');
    expect(Buffer.from(decodeKeyText(`${HEX}\n`, 'k'))).toEqual(bytes);
    expect(Buffer.from(decodeKeyText(`  ${HEX.toUpperCase()}\r\n`, 'k'))).toEqual(bytes);
    expect(Buffer.from(decodeKeyText(`base64:${bytes.toString('base64')}\n`, 'k'))).toEqual(bytes);
    expect(Buffer.from(decodeKeyText(`base64:${bytes.toString('base64').replace(/=+$/, '')}`, 'k'))).toEqual(bytes);
  });

  it('refuses anything else without quoting it', () => {
    for (const text of ['00112233445566778899aabbccddeef', 'zz112233445566778899aabbccddeeff', 'base64:!!!!', 'base64:abcde', `${HEX} ${HEX}`]) {
      let error: unknown;
      try {
        decodeKeyText(text, 'key file k.hex');
      } catch (caught) {
        error = caught;
      }
      expect(error).toBeInstanceOf(CloakError);
      expect((error as CloakError).code).toBe('KEY_MALFORMED');
      expect((error as CloakError).exitCode).toBe(2);
      expect((error as CloakError).message).not.toContain(text.trim().slice(0, 8));
    }
  });
});

describe('loadKey', () => {
  it('reads a file or an environment variable, and fingerprints the key', async () => {
    const file = join(directory, 'k.hex');
    writeFileSync(file, `${HEX}\n`);
    process.env.CLOAK_TEST_KEY = `base64:${Buffer.from(HEX, 'hex').toString('base64')}`;
    const fromFile = await loadKey({ file });
    const fromEnv = await loadKey({ env: 'CLOAK_TEST_KEY' });
    expect(Buffer.from(fromFile.bytes).toString('hex')).toBe(HEX);
    expect(fromEnv.fingerprint).toBe(fromFile.fingerprint);
    delete process.env.CLOAK_TEST_KEY;
  });

  it('says when the file cannot be read, the variable is not set, or the key is empty', async () => {
    expect((await problemOf(loadKey({ file: join(directory, 'absent.hex') }))).code).toBe('KEY_UNREADABLE');
    expect((await problemOf(loadKey({ env: 'CLOAK_TEST_UNSET_VARIABLE' }))).code).toBe('KEY_UNREADABLE');
    writeFileSync(join(directory, 'empty.hex'), '\n');
    expect((await problemOf(loadKey({ file: join(directory, 'empty.hex') }))).code).toBe('KEY_MALFORMED');
  });
});

describe('keyFingerprint', () => {
  it('is the first 16 bytes of HMAC-SHA-256(key, a fixed label): equal for equal keys, different otherwise, not the key', () => {
    const key = Buffer.from(HEX, 'hex');
    expect(keyFingerprint(key)).toBe(createHmac('sha256', key).update('cloak key fingerprint v1').digest('hex').slice(0, 32));
    expect(keyFingerprint(Buffer.from(HEX, 'hex'))).toBe(keyFingerprint(key));
    expect(keyFingerprint(Buffer.alloc(16))).not.toBe(keyFingerprint(key));
    expect(keyFingerprint(key)).not.toContain(HEX.slice(0, 8));
  });
});

describe('prepareTransforms', () => {
  const attributes = {
    card: { role: 'identifying', transform: { method: 'ff1' } },
    name: { role: 'identifying', transform: { method: 'hmac' } },
    phone: { role: 'identifying', transform: { method: 'mask', keepLast: 2 } },
  } as const;

  it('gives every keyed transform the run key or its own, and mask none', async () => {
    const own = join(directory, 'own.hex');
    writeFileSync(own, 'ff'.repeat(32));
    const prepared = await prepareTransforms({ ...attributes, name: { role: 'identifying', transform: { method: 'hmac', keyFile: own } } }, { default: { bytes: Buffer.from(HEX, 'hex') } });
    expect(prepared.get('card')!.key!.fingerprint).toBe(keyFingerprint(Buffer.from(HEX, 'hex')));
    expect(prepared.get('name')!.key!.fingerprint).toBe(keyFingerprint(Buffer.alloc(32, 0xff)));
    expect(prepared.get('phone')!.key).toBeUndefined();
  });

  it('reports every key problem at once: missing, wrong length for ff1, too short for hmac, given twice, unused', async () => {
    const missing = await problemOf(prepareTransforms(attributes));
    expect(missing.code).toBe('KEY_MISSING');
    expect(missing.problems).toHaveLength(2);
    const short = await problemOf(prepareTransforms(attributes, { default: { bytes: Buffer.alloc(20, 1) } }));
    expect(short.code).toBe('KEY_LENGTH');
    expect(short.problems.join('\n')).toMatch(/"card" \(ff1\).*20 bytes; ff1 needs 16, 24 or 32 bytes/);
    const hmacShort = await problemOf(prepareTransforms({ name: attributes.name }, { default: { bytes: Buffer.alloc(8, 1) } }));
    expect(hmacShort.message).toMatch(/hmac needs at least 16 bytes/);
    const twice = await problemOf(prepareTransforms({ name: { role: 'identifying', transform: { method: 'hmac', keyEnv: 'X' } } }, { attributes: { name: { bytes: Buffer.alloc(16) } } }));
    expect(twice.code).toBe('KEY_TWICE');
    const unused = await problemOf(prepareTransforms({ phone: attributes.phone }, { attributes: { phone: { bytes: Buffer.alloc(16) } } }));
    expect(unused.code).toBe('KEY_UNUSED');
  });

  it('reads a shared key file once and reports it unreadable once', async () => {
    const error = await problemOf(prepareTransforms(attributes, { default: { file: join(directory, 'absent.hex') } }));
    expect(error.problems).toEqual([`cannot read the key file ${join(directory, 'absent.hex')}`]);
  });
});
