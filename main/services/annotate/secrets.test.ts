// Where the key lives: the environment in browser mode (never stored), an encrypted file in the Electron app.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { API_KEY, encryptedFileSecrets, environmentSecrets, type Cipher } from './secrets';

test('browser mode reads OPENAI_API_KEY and refuses to store a key, with a sentence saying where it comes from', async () => {
  const secrets = environmentSecrets({ OPENAI_API_KEY: '  sk-env-key  ' });
  assert.equal(await secrets.get(API_KEY), 'sk-env-key');
  assert.equal(await environmentSecrets({}).get(API_KEY), null);
  await assert.rejects(secrets.set(API_KEY, 'sk-new'), /read from the OPENAI_API_KEY environment variable and never stored/);
  assert.equal(secrets.settable, false);
});

/** A stand-in for safeStorage: reversible, and never the plain text. */
const cipher = (available = true): Cipher => ({
  isEncryptionAvailable: () => available,
  encryptString: (plain) => Buffer.from([...Buffer.from(plain)].map((b) => b ^ 0x5a)),
  decryptString: (encrypted) => Buffer.from([...encrypted].map((b) => b ^ 0x5a)).toString(),
});

test('the Electron keychain file holds the key encrypted only, and round-trips it', async () => {
  const file = join(mkdtempSync(join(tmpdir(), 'ps-secrets-')), 'secrets.json');
  const secrets = encryptedFileSecrets(file, cipher());
  assert.equal(await secrets.get(API_KEY), null);
  await secrets.set(API_KEY, 'sk-very-secret-key-123');
  assert.equal(readFileSync(file, 'utf8').includes('sk-very-secret'), false);
  assert.equal(await encryptedFileSecrets(file, cipher()).get(API_KEY), 'sk-very-secret-key-123');
  await secrets.set(API_KEY, '');
  assert.equal(await secrets.get(API_KEY), null, 'an empty key removes it');
  await assert.rejects(encryptedFileSecrets(file, cipher(false)).set(API_KEY, 'sk-x'), /no keychain/);
});
