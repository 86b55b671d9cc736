// Browser mode: the same services and UI as the Electron app, served on 127.0.0.1 for a local browser.
// Usage: node out/main/serve.js [--data-dir DIR] [--port P]
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { createStudio, type Emit } from './services/studio';
import { startBridge, type Bridge } from './bridge';
import { defaultDataDir } from './paths';
import pkg from '../package.json';

export async function serveBrowserMode(opts: { dataDir: string; port: number }): Promise<{ bridge: Bridge; stop(): Promise<void> }> {
  // Events raised while the bridge is starting have no socket to go to yet.
  const events: { bridge?: Bridge } = {};
  const emit: Emit = (event, payload) => events.bridge?.emit(event, payload);
  const studio = createStudio({
    dataDir: opts.dataDir, transport: 'browser', version: pkg.version, emit,
    samplerWorkerUrl: new URL('./sampler-worker.js', import.meta.url),
  });
  const bridge = await startBridge({
    port: opts.port,
    rendererDir: fileURLToPath(new URL('../renderer/', import.meta.url)),
    dispatch: studio.dispatch,
    // Tests only: a restarted server that keeps its token lets an open page carry on (unsaved verdicts are retried).
    token: process.env.PREFERENCE_STUDIO_TOKEN || undefined,
  });
  events.bridge = bridge;
  return {
    bridge,
    async stop() {
      await bridge.close();
      await studio.close();
    },
  };
}

async function main() {
  const { values } = parseArgs({
    options: { 'data-dir': { type: 'string' }, port: { type: 'string', default: '5180' } },
    strict: true,
  });
  const port = Number(values.port);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new Error(`--port must be a number from 0 to 65535, not "${values.port}".`);
  const server = await serveBrowserMode({ dataDir: values['data-dir'] ?? defaultDataDir(), port });
  console.log(`Preference Studio is running in browser mode: open ${server.bridge.url}`);
  const stop = () => void server.stop().then(() => process.exit(0));
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  main().catch((err) => {
    console.error(`Preference Studio could not start: ${err instanceof Error ? err.message : String(err)}`);
    process.exit(1);
  });
}
