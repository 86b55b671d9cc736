// Browser mode: the same services and UI as the Electron app, served on 127.0.0.1 for a local browser.
// Usage: node out/main/serve.js [--data-dir DIR] [--port P] [--host ADDRESS]
// With --host it also serves each review checker's own link on ADDRESS (main/bridge.ts says what a link reaches).
// Without --port it serves on 5180, or on the next free port when 5180 is taken (and says so); a port given
// with --port is used or the start fails, since whoever chose it expects that URL.
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { isIP } from 'node:net';
import { createStudio, type Emit } from './services/studio';
import { startBridge, type Bridge } from './bridge';
import { FolderInUseError, lockDataDir } from './instance-lock';
import { resolveDataDir } from './paths';
import type { DataFolderSource } from '../preload/contract';
import pkg from '../package.json';

export const DEFAULT_PORT = 5180;
/** How many ports after the default one are tried when it is taken. */
const NEXT_PORTS = 20;

/**
 * Serves the studio on `port` (with `nextFreePort`, on the first free one from it). A second instance on the
 * same data folder is refused before it opens the database (FolderInUseError).
 */
export async function serveBrowserMode(opts: { dataDir: string; dataDirSource?: DataFolderSource; port: number; nextFreePort?: boolean; host?: string }): Promise<{ bridge: Bridge; checkerLinks(): string[]; stop(): Promise<void> }> {
  const lock = lockDataDir(opts.dataDir);
  // Events raised while the bridge is starting have no socket to go to yet.
  const events: { bridge?: Bridge } = {};
  const emit: Emit = (event, payload) => events.bridge?.emit(event, payload);
  let studio: ReturnType<typeof createStudio> | undefined;
  try {
    studio = createStudio({
      dataDir: opts.dataDir, dataDirSource: opts.dataDirSource, transport: 'browser', version: pkg.version, emit,
      samplerWorkerUrl: new URL('./sampler-worker.js', import.meta.url),
      checkerLink: opts.host && opts.host !== '127.0.0.1' ? (checkerId) => events.bridge!.checkerUrl(checkerId) : undefined,
    });
    const bridge = await startBridge({
      port: opts.port,
      nextPorts: opts.nextFreePort ? NEXT_PORTS : 0,
      rendererDir: fileURLToPath(new URL('../renderer/', import.meta.url)),
      dispatch: studio.dispatch,
      // Tests only: a restarted server that keeps its token lets an open page carry on (unsaved verdicts are retried).
      token: process.env.PREFERENCE_STUDIO_TOKEN || undefined,
      host: opts.host,
    }).catch((err: NodeJS.ErrnoException) => {
      if (err.code === 'EADDRNOTAVAIL') throw new Error(`${opts.host} is not an address of this machine; give the one checkers reach it at (see \`ip addr\`).`);
      if (err.code !== 'EADDRINUSE') throw err;
      throw new Error(opts.nextFreePort
        ? `ports ${opts.port} to ${opts.port + NEXT_PORTS} are all in use; choose one with --port P, or --port 0 for any free one.`
        : `port ${opts.port} is in use by another program; choose another with --port P, or --port 0 for any free one.`);
    });
    events.bridge = bridge;
    lock.setUrl(bridge.url);
    const running = studio;
    return {
      bridge,
      checkerLinks: () => running.storage.review.teamCheckers()
        .map((c) => `  ${c.name} (round "${c.roundName}" of "${running.storage.studies.studyName(c.studyId)}"): ${bridge.checkerUrl(c.checkerId)}`),
      async stop() {
        await bridge.close();
        await running.close();
        lock.release();
      },
    };
  } catch (err) {
    await studio?.close();
    lock.release();
    throw err;
  }
}

/** The address --host names, or a sentence saying why it is none: one address checkers open, not "any". */
export function checkHost(value: string | undefined): string | undefined {
  const host = value?.trim();
  if (host !== undefined && (!isIP(host) || ['0.0.0.0', '::'].includes(host))) {
    throw new Error(`--host takes the one address of this machine that checkers open (for example 192.168.1.20), not "${value}".`);
  }
  return host;
}

/** With --host: each checker's link, and the warning that the traffic is plain HTTP. */
export function announceCheckers(server: { checkerLinks(): string[] }, host: string | undefined, print: (line: string) => void, warn: (line: string) => void): void {
  if (!host || host === '127.0.0.1') return;
  print(`Checkers' links on ${host} (each reaches that checker's own pairs only; the link above stays on this machine):`);
  const links = server.checkerLinks();
  print(links.length ? links.join('\n') : '  (no checkers yet: create a round in the Review view; each checker\'s link is under Rounds, "Link")');
  warn(`Warning: the traffic to ${host} is plain HTTP: anyone on the network can read the pairs and verdicts, and a link, as they pass. Serve it on a network you trust, or behind TLS (a reverse proxy with HTTPS).`);
}

async function main() {
  const { values } = parseArgs({
    options: { 'data-dir': { type: 'string' }, port: { type: 'string' }, host: { type: 'string' } },
    strict: true,
  });
  const port = values.port === undefined ? DEFAULT_PORT : Number(values.port);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new Error(`--port must be a number from 0 to 65535, not "${values.port}".`);
  const host = checkHost(values.host);
  const data = resolveDataDir(values['data-dir']);
  const server = await serveBrowserMode({ dataDir: data.dir, dataDirSource: data.source, port, nextFreePort: values.port === undefined, host });
  if (server.bridge.port !== port && port !== 0) console.log(`Port ${port} is in use; serving on ${server.bridge.port}.`);
  console.log(`Preference Studio is running in browser mode: open ${server.bridge.url}`);
  announceCheckers(server, host, console.log, console.warn);
  const stop = () => void server.stop().then(() => process.exit(0));
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  main().catch((err) => {
    // The folder's message already names the other instance and what to do.
    console.error(err instanceof FolderInUseError ? err.message : `Preference Studio could not start: ${err instanceof Error ? err.message : String(err)}`);
    process.exit(1);
  });
}
