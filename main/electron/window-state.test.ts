import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadWindowState, saveWindowState } from './window-state';

const screen = [{ x: 0, y: 0, width: 1920, height: 1080 }];

test('the saved size and place come back; one off every display, too small or unreadable gives the default', (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'ps-window-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const file = join(dir, 'window-state.json');
  assert.equal(loadWindowState(file, screen), null, 'no file');
  saveWindowState(file, { bounds: { x: 100, y: 50, width: 1000, height: 700 }, maximized: true });
  assert.deepEqual(loadWindowState(file, screen), { bounds: { x: 100, y: 50, width: 1000, height: 700 }, maximized: true });
  assert.deepEqual(JSON.parse(readFileSync(file, 'utf8')).bounds.width, 1000);
  // The display it was on is gone.
  assert.equal(loadWindowState(file, [{ x: 3000, y: 0, width: 1920, height: 1080 }]), null);
  saveWindowState(file, { bounds: { x: 0, y: 0, width: 200, height: 100 }, maximized: false });
  assert.equal(loadWindowState(file, screen), null, 'too small to use');
  for (const bad of ['{', '{"bounds":{"x":"a","y":0,"width":900,"height":700}}', 'null']) {
    writeFileSync(file, bad);
    assert.equal(loadWindowState(file, screen), null, bad);
  }
});
