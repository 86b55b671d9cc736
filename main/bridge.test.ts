import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { request, createServer } from 'node:http';
import { connect, type AddressInfo } from 'node:net';
import { Readable } from 'node:stream';
import { WebSocket } from 'ws';
import { MAX_CALL_BODY_BYTES, startBridge, TOKEN_HEADER } from './bridge';

// A request that hangs or a bridge that dies must fail its test, not stall the run.
const limit = { timeout: 60_000 };

async function withBridge(fn: (b: Awaited<ReturnType<typeof startBridge>>) => Promise<void>) {
  const rendererDir = mkdtempSync(join(tmpdir(), 'ps-renderer-'));
  writeFileSync(join(rendererDir, 'index.html'), '<!doctype html><title>Preference Studio</title>');
  const bridge = await startBridge({
    port: 0, rendererDir,
    // Answers every channel the bridge lets through, so the tests see what the bridge itself refuses.
    dispatch: async (channel, req) => ({ ok: true, res: channel === 'app.info' ? req : { channel } }),
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
    const ok = await raw(b.port, '/api/app.info', { host, [TOKEN_HEADER]: b.token, 'content-type': 'application/json' }, '{"x":1}');
    assert.deepEqual(JSON.parse(ok.body), { ok: true, res: { x: 1 } });
    const noToken = await raw(b.port, '/api/app.info', { host }, '{}');
    assert.equal(noToken.status, 401);
    const wrong = await raw(b.port, '/api/app.info', { host, [TOKEN_HEADER]: 'x'.repeat(b.token.length) }, '{}');
    assert.equal(wrong.status, 401);
  });
});

test('another origin or a rebound host name is refused', async () => {
  await withBridge(async (b) => {
    const evil = await raw(b.port, '/api/app.info', { host: `127.0.0.1:${b.port}`, origin: 'https://evil.example', [TOKEN_HEADER]: b.token }, '{}');
    assert.equal(evil.status, 403);
    const rebound = await raw(b.port, '/api/app.info', { host: `evil.example:${b.port}`, [TOKEN_HEADER]: b.token }, '{}');
    assert.equal(rebound.status, 421);
    const same = await raw(b.port, '/api/app.info', { host: `127.0.0.1:${b.port}`, origin: `http://127.0.0.1:${b.port}`, [TOKEN_HEADER]: b.token }, '{}');
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

/** Bytes written as they are on a fresh connection; resolves with everything the server sent before closing. */
function rawHttp(port: number, text: string): Promise<string> {
  return new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1', () => socket.write(text));
    let data = '';
    socket.on('data', (c) => (data += c));
    socket.on('close', () => resolve(data));
    socket.on('error', () => undefined);
  });
}

/** The bridge still serves the page and answers a call. */
async function stillAnswers(b: { port: number; token: string }) {
  const page = await raw(b.port, '/', { host: `127.0.0.1:${b.port}` }, undefined, 'GET');
  assert.equal(page.status, 200);
  const call = await raw(b.port, '/api/app.info', { host: `127.0.0.1:${b.port}`, [TOKEN_HEADER]: b.token }, '{"still":true}');
  assert.deepEqual(JSON.parse(call.body), { ok: true, res: { still: true } });
}

test('broken percent-encoding in a page or call path answers 400, with or without the token', limit, async () => {
  await withBridge(async (b) => {
    const host = `127.0.0.1:${b.port}`;
    for (const path of ['/%', '/assets/%E0%A4%A.js', '/%ff%fe']) {
      const page = await raw(b.port, path, { host }, undefined, 'GET');
      assert.equal(page.status, 400, path);
      assert.equal(page.body, 'The path is not valid percent-encoding.');
    }
    const call = await raw(b.port, '/api/%E0%A4%A', { host, [TOKEN_HEADER]: b.token }, '{}');
    assert.equal(call.status, 400);
    assert.deepEqual(JSON.parse(call.body).error, { code: 'BAD_REQUEST', message: 'The call name is not valid percent-encoding.' });
    const noToken = await raw(b.port, '/api/%E0%A4%A', { host }, '{}');
    assert.equal(noToken.status, 401);
    // A request target that is not a URL at all (absolute form with a broken host).
    const target = await rawHttp(b.port, `GET http://[/ HTTP/1.1\r\nHost: ${host}\r\nConnection: close\r\n\r\n`);
    assert.match(target, /^HTTP\/1\.1 400 /);
    await stillAnswers(b);
  });
});

test('an event socket with a malformed Host header is refused', limit, async () => {
  await withBridge(async (b) => {
    for (const host of ['[', 'a b', `[::1:${b.port}`, '']) {
      const answer = await rawHttp(b.port, [
        `GET /events?token=${b.token} HTTP/1.1`, `Host: ${host}`, 'Connection: Upgrade', 'Upgrade: websocket',
        'Sec-WebSocket-Version: 13', 'Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==', '', '',
      ].join('\r\n'));
      assert.match(answer, /^HTTP\/1\.1 4\d\d /, `Host: ${host}`);
    }
    const wrongPath = new WebSocket(`ws://127.0.0.1:${b.port}/%E0%A4%A?token=${b.token}`);
    await new Promise<void>((resolve) => wrongPath.on('error', () => resolve()));
    await stillAnswers(b);
  });
});

test('a malformed frame on an open event socket closes that socket only', limit, async () => {
  await withBridge(async (b) => {
    const ws = new WebSocket(`ws://127.0.0.1:${b.port}/events?token=${b.token}`);
    await new Promise((resolve) => ws.on('open', resolve));
    const closed = new Promise((resolve) => ws.on('close', resolve));
    // An unmasked frame with a reserved opcode: two protocol errors at once.
    (ws as unknown as { _socket: import('node:net').Socket })._socket.write(Buffer.from([0x83, 0x00]));
    await closed;
    await stillAnswers(b);
  });
});

test('only the contract\'s own channels are called; Object\'s built-ins are not channels', limit, async () => {
  await withBridge(async (b) => {
    for (const name of ['constructor', 'toString', '__proto__', 'hasOwnProperty', 'nope']) {
      const reply = await raw(b.port, `/api/${name}`, { host: `127.0.0.1:${b.port}`, [TOKEN_HEADER]: b.token }, '{}');
      assert.equal(reply.status, 404, name);
      assert.deepEqual(JSON.parse(reply.body).error, { code: 'UNKNOWN_CHANNEL', message: `There is no call named "${name}".` });
    }
  });
});

test('a body that is not a JSON object answers 400 with a clear message', limit, async () => {
  await withBridge(async (b) => {
    const headers = { host: `127.0.0.1:${b.port}`, [TOKEN_HEADER]: b.token };
    const notJson = await raw(b.port, '/api/app.info', headers, '{"x":');
    assert.equal(notJson.status, 400);
    assert.match(JSON.parse(notJson.body).error.message, /^The request body is not JSON \(.+\)\.$/);
    for (const body of ['null', '[1]', '"text"', '3']) {
      const reply = await raw(b.port, '/api/app.info', headers, body);
      assert.equal(reply.status, 400, body);
      assert.equal(JSON.parse(reply.body).error.message, 'The request body must be a JSON object.');
    }
    await stillAnswers(b);
  });
});

/** Streams `total` bytes of one JSON string in 1 MiB chunks (no Content-Length: chunked), never all in memory. */
function endlessJson(total: number): Readable {
  const chunk = Buffer.alloc(2 ** 20, 'a');
  let sent = 0;
  return Readable.from((function* () {
    yield Buffer.from('{"dataBase64":"');
    for (; sent < total; sent += chunk.length) yield chunk;
    yield Buffer.from('"}');
  })());
}

/** Posts a streamed body and resolves with the answer, and once the connection is closed. */
function postStream(port: number, path: string, headers: Record<string, string | number>, body: Readable) {
  return new Promise<{ status: number; body: string; closed: Promise<void> }>((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, path, method: 'POST', headers });
    const closed = new Promise<void>((done) => req.on('close', () => done()));
    req.on('response', (res) => {
      let data = '';
      res.on('data', (c) => (data += c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: data, closed }));
      res.on('error', () => undefined);
    });
    // Writing the rest of a refused body fails once the server has closed the connection.
    req.on('error', (err) => (req.destroyed ? undefined : reject(err)));
    body.on('error', () => undefined);
    body.pipe(req);
  });
}

test('an 800 MiB body is refused while it streams in, without being read whole', limit, async () => {
  await withBridge(async (b) => {
    const peakBefore = process.resourceUsage().maxRSS * 1024;
    const headers = { host: `127.0.0.1:${b.port}`, [TOKEN_HEADER]: b.token };
    const streamed = await postStream(b.port, '/api/pairs.query', headers, endlessJson(800 * 2 ** 20));
    assert.equal(streamed.status, 413);
    assert.deepEqual(JSON.parse(streamed.body).error, { code: 'TOO_LARGE', message: 'The request is larger than the 4 MiB a call may send.' });
    await streamed.closed;
    // The bridge kept at most the limit: the process' peak memory grew by far less than the body.
    const grown = process.resourceUsage().maxRSS * 1024 - peakBefore;
    assert.ok(grown < 100 * 2 ** 20, `peak RSS grew by ${(grown / 2 ** 20).toFixed(0)} MiB`);
    // A declared length over the limit is refused before a byte is read, even for an import.
    const declared = await postStream(b.port, '/api/import.file', { ...headers, 'content-length': 800 * 2 ** 20 }, endlessJson(800 * 2 ** 20));
    assert.equal(declared.status, 413);
    assert.match(JSON.parse(declared.body).error.message, /^The file is too large to import from the browser \(at most about 383 MiB\); import it from the command line/);
    await stillAnswers(b);
  });
});

test('an import may be larger than other calls', limit, async () => {
  await withBridge(async (b) => {
    const headers = { host: `127.0.0.1:${b.port}`, [TOKEN_HEADER]: b.token };
    const body = JSON.stringify({ dataBase64: 'a'.repeat(MAX_CALL_BODY_BYTES + 1) });
    const other = await raw(b.port, '/api/pairs.query', headers, body);
    assert.equal(other.status, 413);
    const file = await raw(b.port, '/api/import.file', headers, body);
    assert.deepEqual(JSON.parse(file.body), { ok: true, res: { channel: 'import.file' } });
  });
});

test('a handler that throws answers 500 and the bridge keeps serving', limit, async () => {
  const rendererDir = mkdtempSync(join(tmpdir(), 'ps-renderer-'));
  writeFileSync(join(rendererDir, 'index.html'), '<!doctype html><title>Preference Studio</title>');
  const b = await startBridge({
    port: 0, rendererDir,
    dispatch: async (channel, req) => {
      if (channel === 'pairs.query') throw new Error('unexpected');
      return { ok: true, res: req };
    },
  });
  const errors = console.error;
  console.error = () => undefined;
  try {
    const reply = await raw(b.port, '/api/pairs.query', { host: `127.0.0.1:${b.port}`, [TOKEN_HEADER]: b.token }, '{}');
    assert.equal(reply.status, 500);
    assert.equal(JSON.parse(reply.body).error.code, 'INTERNAL');
    await stillAnswers(b);
  } finally {
    console.error = errors;
    await b.close();
  }
});

test('a taken port is skipped when next ports are allowed, and refused when not', limit, async () => {
  const blocker = createServer();
  await new Promise<void>((resolve) => blocker.listen(0, '127.0.0.1', resolve));
  const taken = (blocker.address() as AddressInfo).port;
  const rendererDir = mkdtempSync(join(tmpdir(), 'ps-renderer-'));
  const dispatch = async () => ({ ok: true as const, res: {} });
  try {
    await assert.rejects(startBridge({ port: taken, rendererDir, dispatch }), { code: 'EADDRINUSE' });
    const b = await startBridge({ port: taken, nextPorts: 20, rendererDir, dispatch });
    assert.ok(b.port > taken && b.port <= taken + 20, `served on ${b.port}`);
    await b.close();
  } finally {
    blocker.close();
  }
});
