// `npm start` as a new user runs it: it builds, says plainly that Electron is not installed here, and serves the
// demo project in browser mode at the URL it prints.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { electronBinary } from '../scripts/electron-binary.js';

test('npm start falls back to browser mode on the demo project and says why', { skip: electronBinary() ? 'Electron is installed: npm start opens its window' : false }, async () => {
  const child = spawn(process.execPath, ['scripts/start.js', '--port', '0'], {
    env: { ...process.env, PREFERENCE_STUDIO_DATA: mkdtempSync(join(tmpdir(), 'ps-start-')) },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  try {
    let output = '';
    const url = await new Promise<string>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no URL within 120 s:\n${output}`)), 120_000);
      const read = (chunk: Buffer) => {
        output += chunk.toString();
        const found = output.match(/open (http:\/\/127\.0\.0\.1:\d+\/\?token=\w+)/)?.[1];
        if (found) { clearTimeout(timer); resolve(found); }
      };
      child.stdout.on('data', read);
      child.stderr.on('data', read);
      child.on('exit', (code) => reject(new Error(`npm start exited with ${code}:\n${output}`)));
    });
    assert.match(output, /^Electron is not installed on this machine, so Preference Studio starts in browser mode instead\.$/m);
    const page = await fetch(url);
    assert.equal(page.status, 200);
    assert.match(await page.text(), /<title>Preference Studio<\/title>/);
    const token = new URL(url).searchParams.get('token')!;
    const studies = await fetch(new URL('/api/studies.list', url), { method: 'POST', headers: { 'x-studio-token': token }, body: '{}' });
    assert.deepEqual((await studies.json()).res.map((s: { name: string }) => s.name), ['Demo project']);
  } finally {
    child.kill('SIGTERM');
  }
});
