// Helpers shared by the importers' tests.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { ImportError } from './types';

/** The bytes of a file in fixtures/. */
export const fixture = (name: string) => new Uint8Array(readFileSync(new URL(`fixtures/${name}`, import.meta.url)));

/** Records as JSON Lines bytes. */
export const jsonlBytes = (rows: unknown[]) => new TextEncoder().encode(rows.map((r) => JSON.stringify(r)).join('\n') + '\n');

/** Asserts that `promise` rejects with an ImportError with these properties and a message matching `message`. */
export async function rejectsWith(
  promise: Promise<unknown>,
  expected: Partial<Pick<ImportError, 'file' | 'line' | 'field' | 'unit'>>,
  message: RegExp,
): Promise<void> {
  await assert.rejects(promise, (e: unknown) => {
    assert.ok(e instanceof ImportError, `expected an ImportError, got ${String(e)}`);
    assert.equal(e.code, 'IMPORT_INVALID');
    for (const [key, value] of Object.entries(expected)) {
      assert.equal(e[key as keyof typeof expected], value, `${key} of: ${e.message}`);
    }
    assert.match(e.message, message);
    return true;
  });
}
