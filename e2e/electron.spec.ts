// The same first check against the Electron app, for machines where Electron's binary is installed. Where it
// is not (these machines cannot download it), the test reports itself skipped and says why.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { join } from 'node:path';
import { tmpdir } from 'node:os';
import { _electron } from 'playwright-core';
import { electronBinary } from '../scripts/electron-binary.js';

const binary = electronBinary();

test('the Electron app opens the demo project', { skip: binary ? false : 'Electron binary not installed on this machine' }, async () => {
  const app = await _electron.launch({
    executablePath: binary!,
    args: ['.'],
    env: { ...process.env, PREFERENCE_STUDIO_DATA: mkdtempSync(join(tmpdir(), 'ps-electron-')) },
  });
  try {
    const window = await app.firstWindow();
    await window.getByTestId('pair-row').first().waitFor();
    assert.match(await window.getByTestId('study-select').innerText(), /Demo project/);
  } finally {
    await app.close();
  }
});
