// The Electron app's window without Electron's binary: the built main process (out/main/index.js) runs in this
// test's process with the stand-in `electron` of main/electron/shell.test.ts, and Chromium shows the page its
// window loads, under the headers its session gives, with the built preload run as in a sandboxed window (its
// `require` gives only a stand-in `electron`). The stand-in IPC carries the page's calls to the main process's
// ipcMain handlers, and what the main process sends the window to the preload's listeners (structured clone: a
// Buffer arrives as a Uint8Array). So File > Import is followed from the menu click to the Data view's import.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, extname, join, resolve } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { launchChromium } from './harness';
import { loadMain, menuItem, useStandInElectron, type Recorded } from '../main/electron/testing/stand-in';

const root = resolve(import.meta.dirname, '..');
const FIXTURES = join(root, 'main/services/data/import/fixtures');
const ORIGIN = 'http://electron-window.invalid';
const TYPES: Record<string, string> = { '.html': 'text/html', '.js': 'text/javascript', '.css': 'text/css', '.svg': 'image/svg+xml', '.png': 'image/png', '.woff2': 'font/woff2' };
const tmp = mkdtempSync(join(tmpdir(), 'ps-electron-window-'));
const versions = process.versions as Record<string, string | undefined>;

let main: Recorded;
let browser: Browser;
let page: Page;
/** The channels the page invoked over the stand-in IPC, in order. */
const invoked: string[] = [];

/** What Electron's structured clone makes of a payload on its way to the page: byte buffers travel as bytes. */
const toPage = (payload: unknown) => JSON.stringify(payload, (_key, value: unknown) =>
  (value && typeof value === 'object' && (value as { type?: string }).type === 'Buffer' ? { clonedBytes: (value as { data: number[] }).data } : value));

before(async () => {
  useStandInElectron();
  versions.electron = '45.4.1';
  const appRoot = join(tmp, 'project');
  mkdirSync(join(appRoot, 'native-build/electron'), { recursive: true });
  copyFileSync(createRequire(import.meta.url).resolve('better-sqlite3/build/Release/better_sqlite3.node'), join(appRoot, 'native-build/electron/better_sqlite3.node'));
  main = await loadMain(join(root, 'out/main/index.js'), join(tmp, 'data'), { appRoot, packaged: false, lock: true });
  main.ready();
  await new Promise((r) => setImmediate(r));
  assert.deepEqual(main.errorBoxes, []);
  const [win] = main.windows;

  browser = await launchChromium();
  page = await (await browser.newContext({ viewport: { width: 1400, height: 900 } })).newPage();
  page.on('pageerror', (err) => { throw err; });
  await page.exposeFunction('electronInvoke', async (channel: string, req: unknown) => {
    invoked.push(channel);
    const handler = main.handlers.get(channel);
    if (!handler) throw new Error(`ipcRenderer.invoke: no handler for ${channel}`);
    return handler({ sender: null }, req) as Promise<unknown>;
  });
  main.onSend = (channel, payload) => {
    void page.evaluate(({ channel, json }) => {
      const payload = JSON.parse(json, (_key, value: unknown) => (value && typeof value === 'object' && 'clonedBytes' in value ? new Uint8Array((value as { clonedBytes: number[] }).clonedBytes) : value)) as unknown;
      for (const listener of (window as unknown as { ipcListeners: Map<string, Set<(event: unknown, payload: unknown) => void>> }).ipcListeners.get(channel) ?? []) listener({}, payload);
    }, { channel, json: toPage(payload) });
  };
  const preload = readFileSync(win.options.webPreferences.preload as string, 'utf8');
  await page.addInitScript({
    content: `(() => {
      const listeners = new Map();
      window.ipcListeners = listeners;
      const electron = {
        contextBridge: { exposeInMainWorld: (name, api) => { window[name] = Object.freeze(api); } },
        ipcRenderer: {
          invoke: (channel, req) => window.electronInvoke(channel, req),
          on: (channel, fn) => { listeners.set(channel, (listeners.get(channel) ?? new Set()).add(fn)); },
          removeListener: (channel, fn) => { listeners.get(channel)?.delete(fn); },
        },
      };
      const module = { exports: {} };
      const require = (name) => { if (name !== 'electron') throw new Error('a sandboxed preload cannot require ' + name); return electron; };
      (function (module, exports, require) {\n${preload}\n})(module, module.exports, require);
    })();`,
  });
  // The window's page and its assets, with the headers the main process's session puts on every response.
  const pageDir = dirname(win.loaded);
  await page.route(`${ORIGIN}/**`, async (route) => {
    const path = join(pageDir, decodeURIComponent(new URL(route.request().url()).pathname));
    let headers: Record<string, string[]> = { 'Content-Type': [TYPES[extname(path)] ?? 'application/octet-stream'] };
    main.headerListener!({ url: route.request().url(), responseHeaders: headers }, (answer: { responseHeaders: typeof headers }) => (headers = answer.responseHeaders));
    await route.fulfill({ status: 200, body: readFileSync(path), headers: Object.fromEntries(Object.entries(headers).map(([k, v]) => [k, v.join(', ')])) });
  });
  await page.goto(`${ORIGIN}/${win.loaded.slice(pageDir.length + 1)}`);
});

after(async () => {
  await browser?.close();
  if (main) {
    main.appEvents.get('before-quit')?.({ preventDefault: () => {} });
    await main.quit;
  }
  delete versions.electron;
  rmSync(tmp, { recursive: true, force: true });
});

test('the window\'s page reaches the services only through the preload and the main process\'s handlers', async () => {
  await page.getByTestId('pair-row').first().waitFor();
  assert.ok(invoked.includes('studies.list') && invoked.includes('pairs.query'), invoked.join());
  assert.equal(await page.evaluate(() => 'studio' in window), true);
});

test('File > Import: the menu item\'s file goes over IPC to the Data view, which imports it (the demo open: into a new study named after the file)', async () => {
  await page.keyboard.press('Alt+3');
  await page.getByTestId('view-review').waitFor();
  const before = invoked.length;
  main.openDialogFile = join(FIXTURES, 'arena-sample.jsonl');
  menuItem(main.menu, 'File', 'Import…').click!();
  await page.getByTestId('view-data').waitFor();
  const report = page.getByTestId('import-report');
  await report.waitFor();
  assert.match(await page.getByTestId('import-kept').innerText(), /^8 pairs$/);
  assert.match(await report.innerText(), /Imported arena-sample\.jsonl into arena-sample/);
  assert.ok(invoked.slice(before).includes('import.file'), 'imported through the import channel');
  const studies = await main.handlers.get('studies.list')!({ sender: null }, {}) as { res: { name: string }[] };
  assert.deepEqual(studies.res.map((s) => s.name).sort(), ['Demo project', 'arena-sample'], 'never into the demo');
});
