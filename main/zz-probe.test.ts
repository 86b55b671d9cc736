import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { connect } from 'node:net';
import { startBridge } from '/work/wt-bridge/main/bridge';

function rawHttp(port: number, text: string) {
  return new Promise<string>((resolve) => {
    const s = connect(port, '127.0.0.1', () => s.write(text));
    let d = ''; s.on('data', (c) => (d += c)); s.on('close', () => resolve(d)); s.on('error', () => resolve(d));
  });
}
const which = process.env.PROBE!;
test('probe ' + which, async () => {
  const rendererDir = mkdtempSync(join(tmpdir(), 'ps-renderer-'));
  writeFileSync(join(rendererDir, 'index.html'), 'x');
  const b = await startBridge({ port: 0, rendererDir, token: 't'.repeat(10), dispatch: async (c, r) => ({ ok: true, res: { c, r } }) });
  const h = `127.0.0.1:${b.port}`;
  const reqs: Record<string, string> = {
    static: `GET /% HTTP/1.1\r\nHost: ${h}\r\nConnection: close\r\n\r\n`,
    api: `POST /api/%E0%A4%A HTTP/1.1\r\nHost: ${h}\r\nx-studio-token: tttttttttt\r\nContent-Length: 2\r\nConnection: close\r\n\r\n{}`,
    ws: `GET /events HTTP/1.1\r\nHost: [\r\nConnection: Upgrade\r\nUpgrade: websocket\r\nSec-WebSocket-Version: 13\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n\r\n`,
    ctor: `POST /api/constructor HTTP/1.1\r\nHost: ${h}\r\nx-studio-token: tttttttttt\r\nContent-Length: 2\r\nConnection: close\r\n\r\n{}`,
  };
  const r = await rawHttp(b.port, reqs[which]);
  console.log(JSON.stringify(r.slice(0, 200)));
  const again = await rawHttp(b.port, `GET / HTTP/1.1\r\nHost: ${h}\r\nConnection: close\r\n\r\n`);
  assert.match(again, /200 OK/);
  await b.close();
});
