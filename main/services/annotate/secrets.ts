// Where the endpoint's API key lives: never in the database, logs or exports. The Electron app keeps it in a
// file encrypted by the system keychain (safeStorage); browser mode and the command line read it from the
// environment and refuse to store it.
import { readFileSync, renameSync, writeFileSync } from 'node:fs';
import { AppFailure } from '../errors';

export interface Secrets {
  get(name: string): Promise<string | null>;
  set(name: string, value: string): Promise<void>;
  /** Where a secret is kept, in words the settings show. */
  readonly location: string;
  readonly settable: boolean;
}

export const API_KEY = 'openai-api-key';
const ENVIRONMENT_NAMES: Record<string, string> = { [API_KEY]: 'OPENAI_API_KEY' };

/** Browser mode and the command line: OPENAI_API_KEY from the environment, read-only. */
export function environmentSecrets(env: NodeJS.ProcessEnv = process.env): Secrets {
  return {
    location: 'the OPENAI_API_KEY environment variable',
    settable: false,
    async get(name) {
      const value = env[ENVIRONMENT_NAMES[name] ?? name];
      return value && value.trim() ? value.trim() : null;
    },
    async set() {
      throw new AppFailure('KEY_FROM_ENVIRONMENT', 'In browser mode the API key is read from the OPENAI_API_KEY environment variable and never stored: set it there and start the app again.');
    },
  };
}

/** What Electron's safeStorage offers (injected, so this module never imports electron). */
export interface Cipher {
  isEncryptionAvailable(): boolean;
  encryptString(plain: string): Buffer;
  decryptString(encrypted: Buffer): string;
}

/** Secrets encrypted by the system keychain, in one file of base64 ciphertexts by name. */
export function encryptedFileSecrets(file: string, cipher: Cipher): Secrets {
  const read = (): Record<string, string> => {
    try {
      return JSON.parse(readFileSync(file, 'utf8')) as Record<string, string>;
    } catch {
      return {};
    }
  };
  return {
    location: 'the system keychain',
    settable: true,
    async get(name) {
      const stored = read()[name];
      if (!stored || !cipher.isEncryptionAvailable()) return null;
      return cipher.decryptString(Buffer.from(stored, 'base64'));
    },
    async set(name, value) {
      if (!cipher.isEncryptionAvailable()) {
        throw new AppFailure('NO_KEYCHAIN', 'This system offers no keychain to encrypt the API key with, so it was not stored; start the app with OPENAI_API_KEY set instead.');
      }
      const all = read();
      if (value.trim()) all[name] = cipher.encryptString(value.trim()).toString('base64');
      else delete all[name];
      // Written beside and renamed, so a crash never leaves half a file.
      writeFileSync(`${file}.tmp`, JSON.stringify(all), { mode: 0o600 });
      renameSync(`${file}.tmp`, file);
    },
  };
}
