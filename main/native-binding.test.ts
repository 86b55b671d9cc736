import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { readFileSync } from 'node:fs';
import { nativeBindingPath, BINDING_FILE, ELECTRON_BUILD_DIR, PACKAGED_BUILD_DIR } from './native-binding';
import { ELECTRON_BUILD_DIR as SCRIPT_BUILD_DIR } from '../scripts/electron-native.js';

const paths = { appRoot: '/project', resourcesPath: '/opt/Preference Studio/resources', packaged: false };

test('under Node the default build (node_modules/better-sqlite3/build) is used', () => {
  assert.equal(nativeBindingPath({ node: '20.20.2' } as { electron?: string }, paths), undefined);
  assert.equal(nativeBindingPath({}, { ...paths, packaged: true }), undefined);
});

test('under Electron the Electron build is used: the project\'s native-build/electron, or resources/native when packaged', () => {
  assert.equal(nativeBindingPath({ electron: '45.4.1' }, paths), join('/project', 'native-build', 'electron', 'better_sqlite3.node'));
  assert.equal(nativeBindingPath({ electron: '45.4.1' }, { ...paths, packaged: true }), join('/opt/Preference Studio/resources', 'native', 'better_sqlite3.node'));
});

test('the app reads the Electron build where scripts/electron-native.js writes it', () => {
  assert.equal(ELECTRON_BUILD_DIR, SCRIPT_BUILD_DIR);
});

test('the packaged app carries the Electron build where it looks for it (electron-builder.yml)', () => {
  const config = readFileSync(new URL('../electron-builder.yml', import.meta.url), 'utf8');
  assert.match(config, new RegExp(`- from: ${ELECTRON_BUILD_DIR}/${BINDING_FILE}\\n\\s+to: ${PACKAGED_BUILD_DIR}/${BINDING_FILE}\\n`));
  assert.match(config, /^npmRebuild: false$/m);
});
