// The Electron shell without Electron (its binary cannot be downloaded here): the built main process
// (out/main/index.js, from `npx electron-vite build`) is loaded with a stand-in `electron` (a module loader hook),
// and the test checks what the real one would be asked. The preload is run the way a sandboxed preload runs: a
// script whose `require` gives it `electron` only.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { copyFileSync, cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { runInNewContext } from 'node:vm';
import Database from 'better-sqlite3';
import { CHANNELS } from '../../preload/contract';
import { CONTENT_SECURITY_POLICY } from '../csp';
import { LOCK_FILE } from '../instance-lock';
import { DATABASE_FILE } from '../services/studio';
import { loadMain, menuItem, useStandInElectron, type Listener, type Recorded } from './testing/stand-in';

const root = resolve(import.meta.dirname, '../..');
const builtMain = join(root, 'out/main/index.js');
const builtPreload = join(root, 'out/preload/index.cjs');
const require = createRequire(import.meta.url);
const nodeBinding = require.resolve('better-sqlite3/build/Release/better_sqlite3.node');

const tmp = mkdtempSync(join(tmpdir(), 'ps-shell-'));
const env = { data: process.env.PREFERENCE_STUDIO_DATA };
// What the main process reads to know it runs under Electron (read-only in the types, settable in Node).
const versions = process.versions as Record<string, string | undefined>;

async function invoke(rec: Recorded, channel: string, req: unknown = {}) {
  const handler = rec.handlers.get(channel);
  assert.ok(handler, `no handler for ${channel}`);
  return handler({ sender: null }, req) as Promise<{ ok: boolean; res?: unknown; error?: { code: string; message: string } }>;
}

let dev: Recorded;
const devData = join(tmp, 'data-dev');
const devRoot = join(tmp, 'project');

before(async () => {
  assert.ok(existsSync(builtMain) && existsSync(builtPreload), 'out/main/index.js is missing: run `npx electron-vite build` first.');
  useStandInElectron();
  versions.electron = '45.4.1';
  // Under `electron .` the Electron build is read from the project's native-build/electron. Here it is a copy
  // of the Node build (this test runs under Node), so the database really opens through the chosen file.
  mkdirSync(join(devRoot, 'native-build/electron'), { recursive: true });
  copyFileSync(nodeBinding, join(devRoot, 'native-build/electron/better_sqlite3.node'));
  dev = await loadMain(builtMain, devData, { appRoot: devRoot, packaged: false, lock: true });
});

after(() => {
  delete versions.electron;
  if (env.data === undefined) delete process.env.PREFERENCE_STUDIO_DATA;
  else process.env.PREFERENCE_STUDIO_DATA = env.data;
  rmSync(tmp, { recursive: true, force: true });
});

test('nothing is registered before the app is ready; then every contract channel is, and a call is answered by the services', async () => {
  assert.equal(dev.lockAsked, 1);
  assert.equal(dev.handlers.size, 0);
  dev.ready();
  await new Promise((r) => setImmediate(r));
  assert.deepEqual([...dev.handlers.keys()].sort(), [...CHANNELS].sort());
  const info = await invoke(dev, 'app.info');
  assert.equal(info.ok, true);
  assert.deepEqual({ ...(info.res as object), databasePath: undefined }, { version: '9.8.7', transport: 'electron', dataDir: devData, databasePath: undefined });
  const studies = await invoke(dev, 'studies.list');
  assert.deepEqual((studies.res as { name: string }[]).map((s) => s.name), ['Demo project']);
  // One instance per data folder: Electron's lock is held per userData folder, which lives in the data folder.
  assert.equal(dev.userData, join(devData, 'electron'));
});

test('under Electron the database opens through the Electron build of better-sqlite3, not the Node build', () => {
  assert.ok(require.cache[join(devRoot, 'native-build/electron/better_sqlite3.node')], 'the Electron build was not loaded');
  assert.equal(require.cache[nodeBinding], undefined, 'the Node build was loaded');
});

test('the window is isolated and sandboxed, with the built preload and page', () => {
  assert.equal(dev.windows.length, 1);
  const [win] = dev.windows;
  assert.deepEqual({ ...win.options.webPreferences, preload: undefined }, { contextIsolation: true, sandbox: true, nodeIntegration: false, preload: undefined });
  assert.equal(win.options.webPreferences.preload, builtPreload);
  assert.equal(win.loaded, join(root, 'out/renderer/index.html'));
});

test('every response gets the Content-Security-Policy, other headers kept', () => {
  let answer: { responseHeaders: Record<string, string[]> } | undefined;
  dev.headerListener!({ url: 'file:///x', responseHeaders: { 'X-Other': ['1'], 'Content-Security-Policy': ["default-src *"] } }, (a: typeof answer) => (answer = a));
  assert.deepEqual(answer, { responseHeaders: { 'X-Other': ['1'], 'Content-Security-Policy': [CONTENT_SECURITY_POLICY] } });
});

test('navigation and new windows are refused; https links go to the system browser, others nowhere', () => {
  const [win] = dev.windows;
  for (const url of ['https://example.org/a', 'http://example.org/b', 'file:///etc/passwd']) {
    assert.deepEqual(win.openHandler!({ url }), { action: 'deny' });
    let prevented = false;
    win.contentsEvents.get('will-navigate')!({ preventDefault: () => (prevented = true) }, url);
    assert.equal(prevented, true, url);
  }
  assert.deepEqual(dev.opened, ['https://example.org/a', 'https://example.org/a']);
});

test('the API key is stored through safeStorage, never as text on disk', async () => {
  const key = 'sk-test-0123456789abcdef';
  const set = await invoke(dev, 'annotate.setKey', { apiKey: key });
  assert.equal(set.ok, true, JSON.stringify(set.error));
  const settings = await invoke(dev, 'annotate.settings');
  assert.match(JSON.stringify(settings.res), /system keychain/);
  const stored = JSON.parse(readFileSync(join(devData, 'secrets.json'), 'utf8')) as Record<string, string>;
  const [cipherText] = Object.values(stored);
  assert.equal(Buffer.from(Buffer.from(cipherText, 'base64').map((b) => b ^ 0x5a)).toString('utf8'), key);
  for (const file of readdirSync(devData, { recursive: true, withFileTypes: true }).filter((f) => f.isFile())) {
    assert.ok(!readFileSync(join(file.parentPath, file.name)).includes(key), `${file.name} holds the key as text`);
  }
});

test('File > Import opens a file dialog and hands the file to the Data view; Open data folder opens it', async () => {
  const file = join(tmp, 'pairs.jsonl');
  writeFileSync(file, '{"a":1}\n');
  dev.openDialogFile = file;
  const importItem = menuItem(dev.menu, 'File', 'Import…');
  assert.equal(importItem.accelerator, 'CmdOrCtrl+O');
  importItem.click!();
  await new Promise((r) => setImmediate(r));
  const [channel, payload] = dev.windows[0].sent.at(-1)!;
  assert.equal(channel, 'event:menu.import');
  assert.deepEqual({ ...(payload as object), bytes: Buffer.from((payload as { bytes: Uint8Array }).bytes).toString() }, { fileName: 'pairs.jsonl', bytes: '{"a":1}\n' });
  menuItem(dev.menu, 'File', 'Open data folder').click!();
  assert.deepEqual(dev.openedPaths, [devData]);
});

test('Help shows the keys and the version', () => {
  menuItem(dev.menu, 'help', 'Keyboard shortcuts').click!();
  menuItem(dev.menu, 'help', 'About Preference Studio').click!();
  const [keys, about] = dev.messageBoxes;
  assert.match(keys.detail!, /Ctrl\/Cmd\+O {2}Import a file/);
  assert.match(keys.detail!, /Alt\+1 {2}or {2}g then d {2}Data/);
  assert.match(about.message, /9\.8\.7/);
});

test('a second launch focuses the first window', () => {
  dev.appEvents.get('second-instance')!();
  assert.equal(dev.windows[0].focused, 1);
});

test('closing the window remembers its size and place; menu commands after it go nowhere', async () => {
  const [win] = dev.windows;
  win.events.get('close')!();
  win.events.get('closed')!();
  assert.deepEqual(JSON.parse(readFileSync(join(devData, 'window-state.json'), 'utf8')), { bounds: { x: 10, y: 20, width: 1111, height: 777 }, maximized: false });
  const sent = win.sent.length;
  menuItem(dev.menu, 'File', 'Import…').click!();
  await new Promise((r) => setImmediate(r));
  assert.equal(win.sent.length, sent, 'sent to a closed window');
});

test('quitting waits for the services to close before the app quits; a running fit is cancelled and stored so', async () => {
  const studyId = ((await invoke(dev, 'studies.list')).res as { id: number }[])[0].id;
  // The paper's settings (4 chains of 2,000 draws, 10 folds): still running when the quit comes.
  const fit = await invoke(dev, 'dissect.fit', { studyId, judge: 'human', groups: ['Communication'] });
  assert.equal(fit.ok, true, JSON.stringify(fit.error));
  const fits = (await invoke(dev, 'dissect.fits', { studyId })).res as { status: string }[];
  assert.deepEqual(fits.map((f) => f.status), ['running']);
  const prevented: number[] = [];
  dev.appEvents.get('before-quit')!({ preventDefault: () => prevented.push(1) });
  // Asked again while closing (Cmd+Q twice): still held back.
  dev.appEvents.get('before-quit')!({ preventDefault: () => prevented.push(2) });
  assert.deepEqual(prevented, [1, 2]);
  assert.equal(dev.quits, 0);
  await dev.quit;
  assert.equal(dev.quits, 1);
  // The database is closed by then; the quit that follows goes through.
  const after = await invoke(dev, 'studies.list');
  assert.equal(after.ok, false);
  let preventedAgain = false;
  dev.appEvents.get('before-quit')!({ preventDefault: () => (preventedAgain = true) });
  assert.equal(preventedAgain, false);
  const db = new Database(join(devData, DATABASE_FILE), { readonly: true });
  try {
    assert.deepEqual(db.prepare('SELECT status FROM fits').all(), [{ status: 'cancelled' }]);
  } finally {
    db.close();
  }
});

test('packaged: the sampler worker comes from app.asar.unpacked, the Electron build from resources/native, the window where it was', async () => {
  // A packaged layout: resources/app.asar/{out,package.json,node_modules}, resources/app.asar.unpacked/out/main/
  // sampler-worker.js (asarUnpack) and resources/native/better_sqlite3.node (extraResources). The worker is only
  // in the unpacked folder, so the app starts only if it looks there.
  const resources = join(tmp, 'resources');
  const asar = join(resources, 'app.asar');
  cpSync(join(root, 'out'), join(asar, 'out'), { recursive: true });
  rmSync(join(asar, 'out/main/sampler-worker.js'));
  copyFileSync(join(root, 'package.json'), join(asar, 'package.json'));
  symlinkSync(join(root, 'node_modules'), join(asar, 'node_modules'));
  mkdirSync(join(resources, 'app.asar.unpacked/out/main'), { recursive: true });
  copyFileSync(join(root, 'out/main/sampler-worker.js'), join(resources, 'app.asar.unpacked/out/main/sampler-worker.js'));
  mkdirSync(join(resources, 'native'));
  copyFileSync(nodeBinding, join(resources, 'native/better_sqlite3.node'));
  const data = join(tmp, 'data-packaged');
  mkdirSync(data);
  writeFileSync(join(data, 'window-state.json'), JSON.stringify({ bounds: { x: 100, y: 50, width: 1000, height: 700 }, maximized: false }));
  const resourcesPath = Object.getOwnPropertyDescriptor(process, 'resourcesPath');
  Object.defineProperty(process, 'resourcesPath', { value: resources, configurable: true });
  try {
    const packaged = await loadMain(join(asar, 'out/main/index.js'), data, { appRoot: asar, packaged: true, lock: true });
    packaged.ready();
    await new Promise((r) => setImmediate(r));
    assert.deepEqual(packaged.errorBoxes, []);
    assert.equal((await invoke(packaged, 'studies.list')).ok, true);
    assert.ok(require.cache[join(resources, 'native/better_sqlite3.node')], 'the packaged Electron build was not loaded');
    const { x, y, width, height } = packaged.windows[0].options;
    assert.deepEqual({ x, y, width, height }, { x: 100, y: 50, width: 1000, height: 700 });
    packaged.appEvents.get('before-quit')!({ preventDefault: () => {} });
    await packaged.quit;
  } finally {
    if (resourcesPath) Object.defineProperty(process, 'resourcesPath', resourcesPath);
    else delete (process as { resourcesPath?: string }).resourcesPath;
  }
});

test('a second launch on the same data folder ends without opening anything', async () => {
  const second = await loadMain(builtMain, devData, { appRoot: devRoot, packaged: false, lock: false }, '?second-launch');
  second.ready();
  await new Promise((r) => setImmediate(r));
  assert.equal(second.quits, 1);
  assert.equal(second.handlers.size, 0);
  assert.equal(second.windows.length, 0);
});

test('a data folder held by browser mode (another process) is refused with the holder named; nothing opens', async () => {
  const data = join(tmp, 'data-held');
  mkdirSync(data);
  // The lock browser mode writes, held by a live process (this test's parent).
  writeFileSync(join(data, LOCK_FILE), JSON.stringify({ pid: process.ppid, url: 'http://127.0.0.1:5180/?token=t' }));
  const held = await loadMain(builtMain, data, { appRoot: devRoot, packaged: false, lock: true }, '?held-folder');
  held.ready();
  await new Promise((r) => setImmediate(r));
  assert.equal(held.errorBoxes.length, 1);
  assert.match(held.errorBoxes[0], new RegExp(`in use by another Preference Studio \\(pid ${process.ppid}, open http://127\\.0\\.0\\.1:5180/`));
  assert.equal(held.handlers.size, 0);
  assert.equal(held.windows.length, 0);
  assert.equal(JSON.parse(readFileSync(join(data, LOCK_FILE), 'utf8')).pid, process.ppid, 'the holder\'s lock was touched');
});

test('the preload exposes only invoke and on, which reach only the contract\'s channels and events', async () => {
  const exposed = new Map<string, Record<string, Listener>>();
  const invoked: string[] = [];
  const listening = new Set<string>();
  const electron = {
    contextBridge: { exposeInMainWorld: (name: string, api: Record<string, Listener>) => exposed.set(name, api) },
    ipcRenderer: {
      invoke: async (channel: string) => { invoked.push(channel); return { ok: true, res: channel }; },
      on: (channel: string) => listening.add(channel),
      removeListener: (channel: string) => listening.delete(channel),
    },
  };
  const module = { exports: {} };
  runInNewContext(readFileSync(builtPreload, 'utf8'), {
    module, exports: module.exports,
    require: (name: string) => {
      if (name !== 'electron') throw new Error(`a sandboxed preload cannot require ${name}`);
      return electron;
    },
  });
  assert.deepEqual([...exposed.keys()], ['studio']);
  const studio = exposed.get('studio')!;
  assert.deepEqual(Object.keys(studio).sort(), ['invoke', 'on']);
  for (const channel of CHANNELS) assert.deepEqual(await studio.invoke(channel, {}), { ok: true, res: channel });
  const refused = await studio.invoke('event:job.progress', {}) as { ok: boolean; error: { code: string } };
  assert.equal(refused.error.code, 'UNKNOWN_CHANNEL');
  assert.deepEqual(invoked, CHANNELS);
  const stop = studio.on('job.progress', () => {});
  assert.deepEqual([...listening], ['event:job.progress']);
  stop();
  assert.equal(listening.size, 0);
  studio.on('ipc-internal', () => {});
  assert.equal(listening.size, 0, 'an event outside the contract got a listener');
});
