// Browser mode as other programs meet it: a hostile web page the user has open in the same browser, a second
// start while port 5180 is taken, a second app instance on the same data folder and one left behind by a crash.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { createServer, type Server } from 'node:http';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { launchChromium, serve, stop } from './harness';

const LOCK = 'preference-studio.lock';

/** Runs `node out/main/serve.js ARGS` until it prints the URL (resolves with it and the output) or exits. */
function start(args: string[]) {
  const child = spawn(process.execPath, ['out/main/serve.js', ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  return new Promise<{ url?: string; output: string; code?: number | null; child: typeof child }>((resolve) => {
    let output = '';
    const read = (chunk: Buffer) => {
      output += chunk.toString();
      const url = output.match(/running in browser mode: open (http:\/\/127\.0\.0\.1:\d+\/\?token=\w+)/)?.[1];
      if (url) resolve({ url, output, child });
    };
    child.stdout.on('data', read);
    child.stderr.on('data', read);
    child.on('exit', (code) => resolve({ output, code, child }));
  });
}

async function kill(child: ReturnType<typeof spawn>, signal: NodeJS.Signals = 'SIGTERM') {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise((resolve) => child.once('exit', resolve));
  child.kill(signal);
  await exited;
}

function listen(server: Server, port: number): Promise<number> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => resolve((server.address() as AddressInfo).port));
  });
}

test('a page on another local site can neither crash the bridge nor read its answers', { timeout: 120_000 }, async () => {
  const served = await serve();
  const port = new URL(served.url).port;
  const target = `http://127.0.0.1:${port}`;
  // The attacker's page, served from another port: images with broken paths, blind POSTs, event sockets.
  const evil = createServer((_req, res) => {
    res.writeHead(200, { 'content-type': 'text/html' });
    res.end(`<!doctype html><title>evil</title>
      <img src="${target}/%"><img src="${target}/assets/%E0%A4%A.js"><img src="${target}/api/%E0%A4%A">
      <script>
        const results = [];
        const attempt = async (name, run) => { try { results.push([name, await run()]); } catch (e) { results.push([name, 'refused: ' + e.name]); } };
        const read = async (r) => ({ type: r.type, status: r.status, body: await r.text() });
        window.done = (async () => {
          for (const path of ['/api/app.info', '/api/%E0%A4%A', '/api/constructor', '/api/studies.delete', '/%']) {
            await attempt('no-cors ' + path, async () => read(await fetch('${target}' + path, { method: 'POST', mode: 'no-cors', body: '{"studyId":1}' })));
            await attempt('cors ' + path, async () => read(await fetch('${target}' + path, { method: 'POST', headers: { 'x-studio-token': 'guess', 'content-type': 'application/json' }, body: '{}' })));
          }
          await attempt('no-cors big body', async () => read(await fetch('${target}/api/import.file', { method: 'POST', mode: 'no-cors', body: 'x'.repeat(8 * 2 ** 20) })));
          for (const url of ['ws://127.0.0.1:${port}/events', 'ws://127.0.0.1:${port}/events?token=guess', 'ws://127.0.0.1:${port}/%E0%A4%A']) {
            await attempt('socket ' + url, () => new Promise((resolve) => {
              const ws = new WebSocket(url);
              ws.onopen = () => resolve('opened');
              ws.onmessage = (m) => resolve('message ' + m.data);
              ws.onerror = () => resolve('refused');
            }));
          }
          return results;
        })();
      </script>`);
  });
  const evilPort = await listen(evil, 0);
  const browser = await launchChromium();
  try {
    const page = await browser.newPage();
    await page.goto(`http://127.0.0.1:${evilPort}/`);
    const results = await page.evaluate(() => (window as unknown as { done: Promise<[string, unknown][]> }).done);
    assert.equal(results.length, 14);
    for (const [name, result] of results) {
      if (name.startsWith('no-cors')) assert.deepEqual(result, { type: 'opaque', status: 0, body: '' }, name);
      else assert.ok(result === 'refused: TypeError' || result === 'refused', `${name}: ${JSON.stringify(result)}`);
    }
    assert.equal(served.process.exitCode, null, 'the server is still running');
    // The app itself still works, in the same browser.
    const app = await browser.newPage();
    await app.goto(served.url);
    const studies = await app.evaluate(async () => {
      const token = sessionStorage.getItem('preference-studio-token') ?? '';
      const r = await fetch('/api/studies.list', { method: 'POST', headers: { 'x-studio-token': token }, body: '{}' });
      return (await r.json()).res.map((s: { name: string }) => s.name);
    });
    assert.deepEqual(studies, ['Demo project']);
  } finally {
    await browser.close();
    evil.close();
    await stop(served);
  }
});

test('without --port a taken port 5180 moves the server to the next free one and says so; a taken --port is refused', { timeout: 120_000 }, async () => {
  // 5180 may already be in use on this machine (another app); either way it is taken while this test runs.
  const blocker = createServer();
  await listen(blocker, 5180).catch(() => undefined);
  try {
    const fallback = await start(['--data-dir', mkdtempSync(join(tmpdir(), 'ps-port-'))]);
    try {
      assert.ok(fallback.url, fallback.output);
      const port = Number(new URL(fallback.url).port);
      assert.ok(port > 5180, `served on ${port}`);
      assert.match(fallback.output, new RegExp(`^Port 5180 is in use; serving on ${port}\\.$`, 'm'));
      assert.equal((await fetch(fallback.url)).status, 200);
    } finally {
      await kill(fallback.child);
    }
    const explicit = await start(['--data-dir', mkdtempSync(join(tmpdir(), 'ps-port-')), '--port', '5180']);
    assert.equal(explicit.code, 1);
    assert.equal(explicit.output.trim(), 'Preference Studio could not start: port 5180 is in use by another program; choose another with --port P, or --port 0 for any free one.');
  } finally {
    blocker.close();
  }
});

test('a second app instance on the same data folder is refused in one sentence; the command line is not', { timeout: 120_000 }, async () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'ps-lock-'));
  const first = await start(['--data-dir', dataDir, '--port', '0']);
  assert.ok(first.url, first.output);
  try {
    assert.deepEqual(JSON.parse(readFileSync(join(dataDir, LOCK), 'utf8')), { pid: first.child.pid, url: first.url });
    const second = await start(['--data-dir', dataDir, '--port', '0']);
    assert.equal(second.code, 1);
    assert.equal(second.output.trim(), `The data folder ${dataDir} is in use by another Preference Studio (pid ${first.child.pid}, open ${first.url}); to run a second one, give it another folder with --data-dir DIR.`);
    // The command line writes beside a running app by design.
    const cli = spawn(process.execPath, ['out/main/cli.js', 'studies', '--db', join(dataDir, 'preference-studio.sqlite')], { stdio: ['ignore', 'pipe', 'pipe'] });
    let listed = '';
    cli.stdout.on('data', (c) => (listed += c));
    assert.equal(await new Promise((resolve) => cli.on('exit', resolve)), 0);
    assert.match(listed, /Demo project/);
  } finally {
    await kill(first.child);
  }
  assert.equal(existsSync(join(dataDir, LOCK)), false, 'a stopped server releases the folder');
});

test('a lock left by a killed instance is taken over by the next start', { timeout: 120_000 }, async () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'ps-lock-'));
  const crashed = await start(['--data-dir', dataDir, '--port', '0']);
  assert.ok(crashed.url, crashed.output);
  await kill(crashed.child, 'SIGKILL');
  assert.equal(JSON.parse(readFileSync(join(dataDir, LOCK), 'utf8')).pid, crashed.child.pid);
  const next = await start(['--data-dir', dataDir, '--port', '0']);
  try {
    assert.ok(next.url, next.output);
    assert.deepEqual(JSON.parse(readFileSync(join(dataDir, LOCK), 'utf8')), { pid: next.child.pid, url: next.url });
  } finally {
    await kill(next.child);
  }
});
