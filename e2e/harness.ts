// What every browser-mode spec needs: a fresh data directory, the built app served by its real entry point
// (a child process, so it can be killed like a crash), and Debian's Chromium driven by playwright-core.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { before, after } from 'node:test';
import { chromium, type Browser, type Page } from 'playwright-core';
import type { Channel, Req, Res } from '../preload/contract';

export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

export interface Served { url: string; dataDir: string; process: ChildProcess }

/**
 * Starts `node out/main/serve.js` on a free port (or the given one: a restart on the same address) and waits for
 * the URL it prints. A fixed `token` lets a page opened on an earlier run carry on after a restart. With `dataDirFlag`
 * false the app is started without --data-dir and opens the folder chosen in Settings (`dataDir` is that folder).
 */
export function serve(dataDir = mkdtempSync(join(tmpdir(), 'ps-e2e-')), opts: { port?: number; token?: string; dataDirFlag?: boolean } = {}): Promise<Served> {
  const folder = opts.dataDirFlag === false ? [] : ['--data-dir', dataDir];
  const child = spawn(process.execPath, ['out/main/serve.js', ...folder, '--port', String(opts.port ?? 0)], {
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, PREFERENCE_STUDIO_TOKEN: opts.token ?? '' },
  });
  return new Promise((resolve, reject) => {
    let output = '';
    const timer = setTimeout(() => reject(new Error(`the server printed no URL in 60 s:\n${output}`)), 60_000);
    const read = (chunk: Buffer) => {
      output += chunk.toString();
      const url = output.match(/open (http:\/\/127\.0\.0\.1:\d+\/\?token=\w+)/)?.[1];
      if (url) {
        clearTimeout(timer);
        resolve({ url, dataDir, process: child });
      }
    };
    child.stdout!.on('data', read);
    child.stderr!.on('data', read);
    child.on('exit', (code) => reject(new Error(`the server exited with ${code}:\n${output}`)));
  });
}

/** The port a served app listens on. */
export const portOf = (served: Served) => Number(new URL(served.url).port);

/** Ends the server at once, as a crash or a closed terminal does (no shutdown of its own). */
export async function kill(served: Served): Promise<void> {
  if (served.process.exitCode !== null || served.process.signalCode !== null) return;
  const exited = new Promise((resolve) => served.process.once('exit', resolve));
  served.process.kill('SIGKILL');
  await exited;
}

export async function stop(served: Served): Promise<void> {
  if (served.process.exitCode !== null || served.process.signalCode !== null) return;
  const exited = new Promise((resolve) => served.process.once('exit', resolve));
  served.process.kill('SIGTERM');
  await exited;
}

export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM,
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
  });
}

export async function openApp(browser: Browser, url: string): Promise<Page> {
  // A context of its own that can hold a second page of the same origin (same localStorage).
  const context = await browser.newContext({ viewport: { width: 1400, height: 900 } });
  const page = await context.newPage();
  page.on('pageerror', (err) => { throw err; });
  await page.goto(url);
  return page;
}

/** Holds back the page's requests matching `pattern` (a slow answer, on demand) until the returned function is called. */
export async function holdBack(page: Page, pattern: string): Promise<() => void> {
  let release!: () => void;
  const held = new Promise<void>((resolve) => { release = resolve; });
  await page.route(pattern, async (route) => { await held; await route.continue(); });
  return release;
}

/** Calls a channel from inside the page, through the bridge and the page's token, as the renderer does. */
export async function callApi<C extends Channel>(page: Page, channel: C, req: Req<C>): Promise<Res<C>> {
  const reply = await page.evaluate(async ({ channel, req }) => {
    const token = sessionStorage.getItem('preference-studio-token') ?? '';
    const r = await fetch(`/api/${channel}`, { method: 'POST', headers: { 'x-studio-token': token, 'content-type': 'application/json' }, body: JSON.stringify(req) });
    return r.json();
  }, { channel, req });
  if (!reply.ok) throw new Error(`${channel}: ${reply.error.message}`);
  return reply.res as Res<C>;
}

export interface App { served: Served; browser: Browser; page: Page }

/**
 * For a spec file: before its tests, a fresh data directory, the served app and a page open on it; after them,
 * everything closed. A spec may replace `served` (a restart) and the new server is the one stopped.
 */
export function useApp(): App {
  const app = {} as App;
  before(async () => {
    app.served = await serve();
    app.browser = await launchChromium();
    app.page = await openApp(app.browser, app.served.url);
  });
  after(async () => {
    await app.browser?.close();
    if (app.served) await stop(app.served);
  });
  return app;
}
