// Browser mode's transport: the contract over HTTP (calls) and a WebSocket (pushed events) on 127.0.0.1.
// A random per-run token guards every call and the event socket; Host and Origin must name this server, so
// neither another web page nor a DNS-rebinding attack can drive it. No request, however malformed, may end the
// process: every path that parses input answers 4xx, and anything unexpected answers 500.
//
// With `host` (serve --host ADDRESS) it also listens on that address for checkers on other machines: each checker
// has a link with a token of its own (checkerToken) that reaches only CHECKER_CHANNELS, each for that checker's id
// only, and gets no events. The coordinator's token is taken from 127.0.0.1 (or ::1) only, whichever address it
// arrives on.
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { constants as bufferConstants } from 'node:buffer';
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { extname, join, normalize, sep } from 'node:path';
import type { AddressInfo } from 'node:net';
import type { Duplex } from 'node:stream';
import { WebSocketServer, type WebSocket } from 'ws';
import { CHANNELS, type EventName, type Events, type Reply } from '../preload/contract';
import { CONTENT_SECURITY_POLICY } from './csp';

export const TOKEN_HEADER = 'x-studio-token';

/** Every call but an import carries a few ids, filters or settings: 4 MiB is far more than any of them needs. */
export const MAX_CALL_BODY_BYTES = 4 * 1024 * 1024;
/**
 * 'import.file' carries the whole file as base64 in JSON and the body is parsed as one string, so it can be at
 * most V8's longest string (~512 MiB, a file of ~384 MiB); larger files go through the command line's import.
 */
/** Calls that carry a whole review package or return (texts of every pair of a share). */
const REVIEW_FILE_CHANNELS = new Set(['review.openPackage', 'review.mergeReturn']);
export const MAX_IMPORT_BODY_BYTES = bufferConstants.MAX_STRING_LENGTH;

/**
 * What a checker's link may call: the app's version and folder (the page needs them), its own round and pairs, and
 * the writes of its review. Every one but app.info names a checker, which must be the link's own.
 */
export const CHECKER_CHANNELS: ReadonlySet<string> = new Set([
  'app.info', 'review.checkerRound', 'review.pair', 'review.verdict', 'review.addMissedError', 'review.approveRest',
  'review.undo', 'review.redo', 'review.cursor', 'review.search',
]);

/** Addresses a request from the coordinator's own machine comes from. */
const LOOPBACK = new Set(['127.0.0.1', '::1', '::ffff:127.0.0.1']);

/** Own-property lookups only: `constructor`, `__proto__` and the like are not channels. */
const KNOWN_CHANNELS: ReadonlySet<string> = new Set(CHANNELS);

const CONTENT_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8', '.js': 'text/javascript; charset=utf-8', '.css': 'text/css; charset=utf-8',
  '.json': 'application/json', '.svg': 'image/svg+xml', '.png': 'image/png', '.woff2': 'font/woff2', '.ico': 'image/x-icon',
};

export interface BridgeOptions {
  port: number;
  /** When `port` is taken, try up to this many following ports (0: fail at once). */
  nextPorts?: number;
  /** The built renderer (index.html and assets). */
  rendererDir: string;
  dispatch(channel: string, req: unknown): Promise<Reply<unknown>>;
  /** Fixed token for tests; random otherwise. */
  token?: string;
  /** Also serve checkers' links on this address (a machine's address on the coordinator's network). */
  host?: string;
}

/** Who a request's token says it is: the coordinator, or one checker. */
type Caller = { kind: 'coordinator' } | { kind: 'checker'; checkerId: number };

export interface Bridge {
  url: string;
  port: number;
  token: string;
  /** A checker's own link (on `host`, or on 127.0.0.1 without one). */
  checkerUrl(checkerId: number): string;
  emit<E extends EventName>(event: E, payload: Events[E]): void;
  close(): Promise<void>;
}

/** A request the bridge refuses with a status and a one-sentence message. */
class Refusal extends Error {
  constructor(readonly status: number, readonly code: string, message: string) {
    super(message);
  }
}

function sameToken(a: string | undefined, b: string): boolean {
  if (!a || a.length !== b.length) return false;
  return timingSafeEqual(Buffer.from(a), Buffer.from(b));
}

function send(res: ServerResponse, status: number, body: string | Buffer, type: string, extra: Record<string, string> = {}) {
  res.writeHead(status, { 'content-type': type, 'x-content-type-options': 'nosniff', 'cache-control': 'no-store', ...extra });
  res.end(body);
}

function sendError(res: ServerResponse, status: number, code: string, message: string, extra: Record<string, string> = {}) {
  send(res, status, JSON.stringify({ ok: false, error: { code, message } }), 'application/json', extra);
}

/** The request target's path and query, or null when it is not a URL at all. */
function parseTarget(target: string | undefined): URL | null {
  try {
    return new URL(target ?? '/', 'http://127.0.0.1');
  } catch {
    return null;
  }
}

function decodePath(path: string): string | null {
  try {
    return decodeURIComponent(path);
  } catch {
    return null;
  }
}

/**
 * Reads a body of at most `limit` bytes. A declared Content-Length over the limit is refused before reading;
 * otherwise bytes are counted as they arrive and reading stops as soon as the limit is passed, so an endless
 * body costs no more memory than the limit.
 */
function readBody(req: IncomingMessage, limit: number, tooLargeMessage: string): Promise<Buffer> {
  const tooLarge = () => new Refusal(413, 'TOO_LARGE', tooLargeMessage);
  const declared = Number(req.headers['content-length']);
  if (Number.isFinite(declared) && declared > limit) return Promise.reject(tooLarge());
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const onData = (chunk: Buffer) => {
      size += chunk.length;
      if (size > limit) {
        finish();
        req.pause();
        reject(tooLarge());
      } else chunks.push(chunk);
    };
    const onEnd = () => { finish(); resolve(Buffer.concat(chunks)); };
    const onError = (err: Error) => { finish(); reject(err); };
    const finish = () => {
      req.off('data', onData).off('end', onEnd).off('error', onError);
    };
    req.on('data', onData).on('end', onEnd).on('error', onError);
  });
}

function parseJsonObject(body: Buffer): unknown {
  if (body.length === 0) return {};
  let payload: unknown;
  try {
    payload = JSON.parse(body.toString('utf8'));
  } catch (err) {
    throw new Refusal(400, 'BAD_REQUEST', `The request body is not JSON (${(err as Error).message}).`);
  }
  if (typeof payload !== 'object' || payload === null || Array.isArray(payload)) {
    throw new Refusal(400, 'BAD_REQUEST', 'The request body must be a JSON object.');
  }
  return payload;
}

export async function startBridge(options: BridgeOptions): Promise<Bridge> {
  const token = options.token ?? randomBytes(24).toString('hex');
  // Checkers' tokens are this run's HMAC of their id: nothing to store, and a checker added later has one too.
  const checkerSecret = randomBytes(32);
  const checkerToken = (checkerId: number) => `c${checkerId}-${createHmac('sha256', checkerSecret).update(String(checkerId)).digest('hex').slice(0, 40)}`;
  const extraHost = options.host && options.host !== '127.0.0.1' ? options.host : null;
  const hostPart = extraHost?.includes(':') ? `[${extraHost}]` : extraHost;
  let port = options.port;
  const names = () => [`127.0.0.1:${port}`, `localhost:${port}`, ...(hostPart ? [`${hostPart}:${port}`] : [])];
  const allowedHost = (host: string | undefined) => host !== undefined && names().includes(host);
  const trustedOrigin = (origin: string | undefined) => origin === undefined || names().some((n) => origin === `http://${n}`);

  /** Who the token names, or null for a wrong token, or a coordinator's token from another machine. */
  function callerOf(given: string | undefined, from: string | undefined): Caller | 'remote-coordinator' | null {
    if (sameToken(given, token)) return LOOPBACK.has(from ?? '') ? { kind: 'coordinator' } : 'remote-coordinator';
    const m = /^c(\d{1,15})-[0-9a-f]{40}$/.exec(given ?? '');
    if (m && sameToken(given, checkerToken(Number(m[1])))) return { kind: 'checker', checkerId: Number(m[1]) };
    return null;
  }

  async function call(req: IncomingMessage, res: ServerResponse, path: string) {
    if (req.method !== 'POST') return send(res, 405, 'POST only', 'text/plain');
    const caller = callerOf(req.headers[TOKEN_HEADER] as string | undefined, req.socket.remoteAddress);
    if (caller === 'remote-coordinator') {
      return sendError(res, 403, 'FORBIDDEN', "The coordinator's token works on the coordinator's own machine only (127.0.0.1); checkers use their own links.");
    }
    if (caller === null) return sendError(res, 401, 'UNAUTHORISED', 'Missing or wrong session token: open the URL the server printed.');
    const channel = decodePath(path.slice('/api/'.length));
    if (channel === null) return sendError(res, 400, 'BAD_REQUEST', 'The call name is not valid percent-encoding.');
    if (!KNOWN_CHANNELS.has(channel)) return sendError(res, 404, 'UNKNOWN_CHANNEL', `There is no call named "${channel}".`);
    if (caller.kind === 'checker' && !CHECKER_CHANNELS.has(channel)) {
      return sendError(res, 403, 'FORBIDDEN', `A checker's link reviews that checker's pairs only; "${channel}" is the coordinator's.`);
    }
    let payload: unknown;
    try {
      payload = parseJsonObject(channel === 'import.file'
        ? await readBody(req, MAX_IMPORT_BODY_BYTES, `The file is too large to import from the browser (at most about ${Math.floor(MAX_IMPORT_BODY_BYTES * 0.75 / 2 ** 20)} MiB); import it from the command line with \`preference-studio import FILE --study NAME\`.`)
        : REVIEW_FILE_CHANNELS.has(channel)
          ? await readBody(req, MAX_IMPORT_BODY_BYTES, 'The file is too large to open from the browser; use `preference-studio review open FILE` or `review merge FILE`.')
          : await readBody(req, MAX_CALL_BODY_BYTES, `The request is larger than the ${MAX_CALL_BODY_BYTES / 2 ** 20} MiB a call may send.`));
    } catch (err) {
      if (!(err instanceof Refusal)) throw err;
      // Closing the connection stops a client that is still sending the rest of a body too large to read.
      return sendError(res, err.status, err.code, err.message, err.status === 413 ? { connection: 'close' } : {});
    }
    if (caller.kind === 'checker' && channel !== 'app.info' && (payload as { checkerId?: unknown }).checkerId !== caller.checkerId) {
      return sendError(res, 403, 'FORBIDDEN', "A checker's link reviews that checker's own pairs only, not another checker's.");
    }
    const reply = await options.dispatch(channel, payload);
    return send(res, 200, JSON.stringify(reply), 'application/json');
  }

  async function staticFile(req: IncomingMessage, res: ServerResponse, path: string) {
    if (req.method !== 'GET' && req.method !== 'HEAD') return send(res, 405, 'GET only', 'text/plain');
    const decoded = decodePath(path);
    if (decoded === null) return send(res, 400, 'The path is not valid percent-encoding.', 'text/plain');
    // Static files of the built renderer; anything unknown falls back to index.html (one-page app).
    const relative = normalize(decoded).replace(/^([/\\])+/, '');
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
  }

  async function handle(req: IncomingMessage, res: ServerResponse) {
    if (!allowedHost(req.headers.host)) return send(res, 421, 'wrong host', 'text/plain');
    if (!trustedOrigin(req.headers.origin)) return send(res, 403, 'origin not allowed', 'text/plain');
    const url = parseTarget(req.url);
    if (!url) return send(res, 400, 'The request target is not a URL.', 'text/plain');
    return url.pathname.startsWith('/api/') ? call(req, res, url.pathname) : staticFile(req, res, url.pathname);
  }

  const onRequest = (req: IncomingMessage, res: ServerResponse) => {
    handle(req, res).catch((err: unknown) => {
      console.error(`Preference Studio: a request failed unexpectedly: ${err instanceof Error ? err.message : String(err)}`);
      if (!res.headersSent) sendError(res, 500, 'INTERNAL', 'The server failed to answer this request; it is still running.', { connection: 'close' });
      else res.destroy();
    });
  };
  const server = createServer(onRequest);
  // The checkers' address: the same handler on a server of its own, on the same port.
  const servers = [server, ...(extraHost ? [createServer(onRequest)] : [])];

  /** The coordinator's sockets, which get events; a checker's socket is accepted (its page stays quiet) and gets none. */
  const sockets = new Set<WebSocket>();
  const wss = new WebSocketServer({ noServer: true });
  const refuseUpgrade = (socket: Duplex, status: string) => {
    socket.end(`HTTP/1.1 ${status}\r\nConnection: close\r\n\r\n`);
    socket.destroy();
  };
  const onUpgrade = (req: IncomingMessage, socket: Duplex, head: Buffer) => {
    // A client that resets the connection mid-handshake must not raise an unhandled 'error'.
    socket.on('error', () => socket.destroy());
    try {
      // Host is compared as a string before anything parses it: `Host: [` is refused, not thrown on.
      if (!allowedHost(req.headers.host)) return refuseUpgrade(socket, '421 Misdirected Request');
      if (!trustedOrigin(req.headers.origin)) return refuseUpgrade(socket, '403 Forbidden');
      const url = parseTarget(req.url);
      const caller = url?.pathname === '/events' ? callerOf(url.searchParams.get('token') ?? undefined, req.socket.remoteAddress) : null;
      if (caller === 'remote-coordinator') return refuseUpgrade(socket, '403 Forbidden');
      if (caller === null) return refuseUpgrade(socket, '401 Unauthorized');
      wss.handleUpgrade(req, socket, head, (ws) => {
        if (caller.kind === 'coordinator') sockets.add(ws);
        // A malformed frame closes this socket; it must not reach the process as an unhandled 'error'.
        ws.on('error', () => ws.terminate());
        ws.on('close', () => sockets.delete(ws));
      });
    } catch (err) {
      console.error(`Preference Studio: an event socket failed unexpectedly: ${err instanceof Error ? err.message : String(err)}`);
      socket.destroy();
    }
  };
  for (const s of servers) s.on('upgrade', onUpgrade);

  port = await listen(server, options.port, options.nextPorts ?? 0);
  if (extraHost) {
    try {
      await listen(servers[1], port, 0, extraHost);
    } catch (err) {
      await new Promise<void>((resolve) => server.close(() => resolve()));
      throw err;
    }
  }

  return {
    url: `http://127.0.0.1:${port}/?token=${token}`,
    port,
    token,
    checkerUrl: (checkerId) => `http://${hostPart ?? '127.0.0.1'}:${port}/?token=${checkerToken(checkerId)}`,
    emit(event, payload) {
      const message = JSON.stringify({ event, payload });
      for (const ws of sockets) ws.send(message);
    },
    close: () => new Promise<void>((resolve) => {
      for (const ws of wss.clients) ws.terminate();
      wss.close();
      let open = servers.length;
      for (const s of servers) {
        s.close(() => --open === 0 && resolve());
        s.closeAllConnections();
      }
    }),
  };
}

/** Listens on `address`:`port`, or on the first free one of the `nextPorts` after it; EADDRINUSE when none is. */
async function listen(server: ReturnType<typeof createServer>, port: number, nextPorts: number, address = '127.0.0.1'): Promise<number> {
  for (let candidate = port; ; candidate++) {
    try {
      await new Promise<void>((resolve, reject) => {
        server.once('error', reject);
        server.listen(candidate, address, () => {
          server.off('error', reject);
          resolve();
        });
      });
      return (server.address() as AddressInfo).port;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EADDRINUSE' || port === 0 || candidate >= port + nextPorts) throw err;
    }
  }
}
