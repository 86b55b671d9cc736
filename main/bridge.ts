// Browser mode's transport: the contract over HTTP (calls) and a WebSocket (pushed events) on 127.0.0.1 only.
// A random per-run token guards every call and the event socket; Host and Origin must name this server, so
// neither another web page nor a DNS-rebinding attack can drive it.
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { randomBytes, timingSafeEqual } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { extname, join, normalize, sep } from 'node:path';
import type { AddressInfo } from 'node:net';
import { WebSocketServer, type WebSocket } from 'ws';
import type { EventName, Events, Reply } from '../preload/contract';
import { CONTENT_SECURITY_POLICY } from './csp';

export const TOKEN_HEADER = 'x-studio-token';
/** Import uploads arrive as base64 in JSON; allow files up to a few hundred MiB. */
const MAX_BODY_BYTES = 768 * 1024 * 1024;


const CONTENT_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8', '.js': 'text/javascript; charset=utf-8', '.css': 'text/css; charset=utf-8',
  '.json': 'application/json', '.svg': 'image/svg+xml', '.png': 'image/png', '.woff2': 'font/woff2', '.ico': 'image/x-icon',
};

export interface BridgeOptions {
  port: number;
  /** The built renderer (index.html and assets). */
  rendererDir: string;
  dispatch(channel: string, req: unknown): Promise<Reply<unknown>>;
  /** Fixed token for tests; random otherwise. */
  token?: string;
}

export interface Bridge {
  url: string;
  port: number;
  token: string;
  emit<E extends EventName>(event: E, payload: Events[E]): void;
  close(): Promise<void>;
}

function sameToken(a: string | undefined, b: string): boolean {
  if (!a || a.length !== b.length) return false;
  return timingSafeEqual(Buffer.from(a), Buffer.from(b));
}

function send(res: ServerResponse, status: number, body: string | Buffer, type: string, extra: Record<string, string> = {}) {
  res.writeHead(status, { 'content-type': type, 'x-content-type-options': 'nosniff', 'cache-control': 'no-store', ...extra });
  res.end(body);
}

async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > MAX_BODY_BYTES) throw new Error('request body too large');
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks).toString('utf8');
}

export async function startBridge(options: BridgeOptions): Promise<Bridge> {
  const token = options.token ?? randomBytes(24).toString('hex');
  let port = options.port;
  const allowedHosts = () => [`127.0.0.1:${port}`, `localhost:${port}`];
  const trustedOrigin = (origin: string | undefined) => origin === undefined || allowedHosts().some((h) => origin === `http://${h}`);

  const server = createServer(async (req, res) => {
    if (!allowedHosts().includes(req.headers.host ?? '')) return send(res, 421, 'wrong host', 'text/plain');
    if (!trustedOrigin(req.headers.origin)) return send(res, 403, 'origin not allowed', 'text/plain');
    const url = new URL(req.url ?? '/', `http://${req.headers.host}`);
    if (url.pathname.startsWith('/api/')) {
      if (req.method !== 'POST') return send(res, 405, 'POST only', 'text/plain');
      if (!sameToken(req.headers[TOKEN_HEADER] as string | undefined, token)) {
        return send(res, 401, JSON.stringify({ ok: false, error: { code: 'UNAUTHORISED', message: 'Missing or wrong session token: open the URL the server printed.' } }), 'application/json');
      }
      let payload: unknown;
      try {
        const body = await readBody(req);
        payload = body ? JSON.parse(body) : {};
      } catch (err) {
        return send(res, 400, JSON.stringify({ ok: false, error: { code: 'BAD_REQUEST', message: (err as Error).message } }), 'application/json');
      }
      const reply = await options.dispatch(decodeURIComponent(url.pathname.slice(5)), payload);
      return send(res, 200, JSON.stringify(reply), 'application/json');
    }
    if (req.method !== 'GET' && req.method !== 'HEAD') return send(res, 405, 'GET only', 'text/plain');
    // Static files of the built renderer; anything unknown falls back to index.html (one-page app).
    const relative = normalize(decodeURIComponent(url.pathname)).replace(/^([/\\])+/, '');
    let file = join(options.rendererDir, relative || 'index.html');
    if (!file.startsWith(normalize(options.rendererDir + sep)) && file !== normalize(options.rendererDir)) {
      return send(res, 403, 'forbidden', 'text/plain');
    }
    let body: Buffer;
    try {
      body = await readFile(file);
    } catch {
      file = join(options.rendererDir, 'index.html');
      try {
        body = await readFile(file);
      } catch {
        return send(res, 500, 'The renderer is not built: run `npm run build` first.', 'text/plain');
      }
    }
    const type = CONTENT_TYPES[extname(file)] ?? 'application/octet-stream';
    return send(res, 200, body, type, type.startsWith('text/html') ? { 'content-security-policy': CONTENT_SECURITY_POLICY } : {});
  });

  const sockets = new Set<WebSocket>();
  const wss = new WebSocketServer({ noServer: true });
  server.on('upgrade', (req, socket, head) => {
    const url = new URL(req.url ?? '/', `http://${req.headers.host}`);
    if (url.pathname !== '/events' || !allowedHosts().includes(req.headers.host ?? '') || !trustedOrigin(req.headers.origin)
      || !sameToken(url.searchParams.get('token') ?? undefined, token)) {
      socket.write('HTTP/1.1 401 Unauthorized\r\nConnection: close\r\n\r\n');
      socket.destroy();
      return;
    }
    wss.handleUpgrade(req, socket, head, (ws) => {
      sockets.add(ws);
      ws.on('close', () => sockets.delete(ws));
    });
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, '127.0.0.1', () => resolve());
  });
  port = (server.address() as AddressInfo).port;

  return {
    url: `http://127.0.0.1:${port}/?token=${token}`,
    port,
    token,
    emit(event, payload) {
      const message = JSON.stringify({ event, payload });
      for (const ws of sockets) ws.send(message);
    },
    close: () => new Promise<void>((resolve) => {
      for (const ws of sockets) ws.terminate();
      wss.close();
      server.close(() => resolve());
      server.closeAllConnections();
    }),
  };
}
