import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { ensureElectronNative, explainFailure } from './electron-native.js';

const projectModules = resolve(import.meta.dirname, '../node_modules');
const nodeBuild = join(projectModules, 'better-sqlite3/build/Release/better_sqlite3.node');

/** A project folder whose node_modules is this project's, so the rebuild's source is the real package. */
function project(): string {
  const root = mkdtempSync(join(tmpdir(), 'ps-native-'));
  writeFileSync(join(root, 'package.json'), '{"name":"p"}');
  symlinkSync(projectModules, join(root, 'node_modules'));
  return root;
}

const quiet = () => {};

test('builds into native-build/electron from a copy, leaving the Node build alone, and only once per version', async (t) => {
  const root = project();
  t.after(() => rmSync(root, { recursive: true, force: true }));
  const nodeBuildBefore = readFileSync(nodeBuild);
  const calls: { buildPath: string; electronVersion: string }[] = [];
  const rebuild = async (options: { buildPath: string; electronVersion: string }) => {
    calls.push(options);
    // The copy has no Node build; the rebuild writes its own.
    assert.equal(existsSync(join(options.buildPath, 'build')), false);
    mkdirSync(join(options.buildPath, 'build/Release'), { recursive: true });
    writeFileSync(join(options.buildPath, 'build/Release/better_sqlite3.node'), 'electron build');
  };
  const binding = await ensureElectronNative({ root, electronVersion: '45.4.1', rebuild, log: quiet });
  assert.equal(binding, join(root, 'native-build/electron/better_sqlite3.node'));
  assert.equal(readFileSync(binding, 'utf8'), 'electron build');
  assert.deepEqual(calls.map((c) => c.electronVersion), ['45.4.1']);
  assert.equal(dirname(calls[0].buildPath), join(root, 'native-build/stage'));
  assert.equal(existsSync(join(root, 'native-build/stage')), false, 'the copy is removed');
  assert.deepEqual(readFileSync(nodeBuild), nodeBuildBefore);
  await ensureElectronNative({ root, electronVersion: '45.4.1', rebuild, log: quiet });
  assert.equal(calls.length, 1, 'built again for the same version');
  await ensureElectronNative({ root, electronVersion: '46.0.0', rebuild, log: quiet });
  assert.equal(calls.length, 2, 'not rebuilt for another Electron');
});

test('a failed build says in one sentence what is missing and what to run, and leaves no Electron build', async (t) => {
  const root = project();
  t.after(() => rmSync(root, { recursive: true, force: true }));
  const rebuild = async () => { throw new Error("node-gyp failed to rebuild 'better-sqlite3'"); };
  await assert.rejects(
    ensureElectronNative({ root, electronVersion: '45.4.1', rebuild, probe: async () => ({ online: false, compiler: true }), log: quiet }),
    { message: 'better-sqlite3 could not be built for Electron 45.4.1 because nothing could be downloaded (no network): connect to the internet and run `npm run native:electron` again.' },
  );
  assert.equal(existsSync(join(root, 'native-build/electron/better_sqlite3.node')), false);
});

test('the failure names the missing compiler, or points at the build output when nothing obvious is missing', () => {
  assert.match(explainFailure({ electronVersion: '45.4.1', online: true, compiler: false, platform: 'linux' }), /no C\+\+ compiler was found; install one \(sudo apt install build-essential python3.*\) and run `npm run native:electron` again\.$/);
  assert.match(explainFailure({ electronVersion: '45.4.1', online: true, compiler: false, platform: 'darwin' }), /xcode-select --install/);
  assert.match(explainFailure({ electronVersion: '45.4.1', online: true, compiler: true }), /the build output above says why/);
});
