import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { request } from 'node:http';
import { WebSocket } from 'ws';
import { startBridge, TOKEN_HEADER } from './bridge';

async function withBridge(fn: (b: Awaited<ReturnType<typeof startBridge>>) => Promise<void>) {
  const rendererDir = mkdtempSync(join(tmpdir(), 'ps-renderer-'));
  writeFileSync(join(rendererDir, 'index.html'), '<!doctype html><title>Preference Studio</title>');
  const bridge = await startBridge({
    port: 0, rendererDir,
    dispatch: async (channel, req) => channel === 'echo' ? { ok: true, res: req } : { ok: false, error: { code: 'UNKNOWN_CHANNEL', message: channel } },
  });
  try {
    await fn(bridge);
  } finally {
    await bridge.close();
  }
}

/** A raw request, so Host and Origin can be set the way an attacker would. */
function raw(port: number, path: string, headers: Record<string, string>, body?: string, method = 'POST') {
  return new Promise<{ status: number; body: string; headers: Record<string, unknown> }>((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, path, method, headers }, (res) => {
      let data = '';
      res.on('data', (c) => (data += c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: data, headers: res.headers }));
    });
    req.on('error', reject);
    req.end(body);
  });
}

test('calls need the per-run token', async () => {
  await withBridge(async (b) => {
    const host = `127.0.0.1:${b.port}`;
    const ok = await raw(b.port, '/api/echo', { host, [TOKEN_HEADER]: b.token, 'content-type': 'application/json' }, '{"x":1}');
    assert.deepEqual(JSON.parse(ok.body), { ok: true, res: { x: 1 } });
    const noToken = await raw(b.port, '/api/echo', { host }, '{}');
    assert.equal(noToken.status, 401);
    const wrong = await raw(b.port, '/api/echo', { host, [TOKEN_HEADER]: 'x'.repeat(b.token.length) }, '{}');
    assert.equal(wrong.status, 401);
  });
});

test('another origin or a rebound host name is refused', async () => {
  await withBridge(async (b) => {
    const evil = await raw(b.port, '/api/echo', { host: `127.0.0.1:${b.port}`, origin: 'https://evil.example', [TOKEN_HEADER]: b.token }, '{}');
    assert.equal(evil.status, 403);
    const rebound = await raw(b.port, '/api/echo', { host: `evil.example:${b.port}`, [TOKEN_HEADER]: b.token }, '{}');
    assert.equal(rebound.status, 421);
    const same = await raw(b.port, '/api/echo', { host: `127.0.0.1:${b.port}`, origin: `http://127.0.0.1:${b.port}`, [TOKEN_HEADER]: b.token }, '{}');
    assert.equal(same.status, 200);
  });
});

test('the UI is served with a strict content security policy, without a token', async () => {
  await withBridge(async (b) => {
    const page = await raw(b.port, '/some/view', { host: `127.0.0.1:${b.port}` }, undefined, 'GET');
    assert.equal(page.status, 200);
    assert.match(page.body, /Preference Studio/);
    assert.match(String(page.headers['content-security-policy']), /script-src 'self'/);
    const escape = await raw(b.port, '/..%2f..%2fetc/passwd', { host: `127.0.0.1:${b.port}` }, undefined, 'GET');
    assert.doesNotMatch(escape.body, /root:/);
  });
});

test('events reach a socket that has the token, and no socket without it', async () => {
  await withBridge(async (b) => {
    const refused = new WebSocket(`ws://127.0.0.1:${b.port}/events?token=wrong`);
    await new Promise<void>((resolve) => refused.on('error', () => resolve()));
    const ws = new WebSocket(`ws://127.0.0.1:${b.port}/events?token=${b.token}`);
    await new Promise((resolve) => ws.on('open', resolve));
    const message = new Promise<string>((resolve) => ws.on('message', (d) => resolve(String(d))));
    b.emit('job.progress', { jobId: 'j', kind: 'fit', done: 1, total: 2, etaSeconds: 3, message: 'm', state: 'running' });
    assert.deepEqual(JSON.parse(await message), { event: 'job.progress', payload: { jobId: 'j', kind: 'fit', done: 1, total: 2, etaSeconds: 3, message: 'm', state: 'running' } });
    ws.close();
  });
});
