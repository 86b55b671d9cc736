// The composition root: opens the database, builds the context, joins every domain's handlers into one handler per
// channel, and dispatches. Both transports (IPC and the loopback bridge) call `dispatch`, so an error looks the
// same in both. No domain imports this module (they get a StudioContext from ./context).
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { AppChannel, AppError, Channel, Reply } from '../../preload/contract';
import { Storage } from './storage';
import { AppFailure, userFailure } from './errors';
import { requestProblem } from './validator';
import { ImportError } from './data/import/types';
import { buildDemoBatch } from './data/demo';
import { JobQueue } from './jobs';
import { DATABASE_FILE, DEMO_STUDY_NAME, type HandlerGroup, type Handlers, type StudioContext, type StudioOptions } from './context';
import { dataHandlers } from './data/handlers';
import { dissectionHandlers } from './dissect/handlers';
import { insightHandlers } from './insight/handlers';
import { annotateHandlers } from './annotate/handlers';
import { reviewHandlers } from './review/handlers';
import { settingsHandlers } from './settings/handlers';
import { SamplerPool } from '../../native-workers';

// What the shells, the CLI and the scripts import from here, so their imports stay as they were.
export { DATABASE_FILE, DEMO_STUDY_NAME, type Emit, type Handlers, type StudioOptions } from './context';
export { importBytes } from './data/import-file';

export interface Studio {
  storage: Storage;
  handlers: Handlers;
  jobs: JobQueue;
  dispatch(channel: string, req: unknown): Promise<Reply<unknown>>;
  close(): Promise<void>;
}

export function toAppError(thrown: unknown): AppError {
  const err = userFailure(thrown);
  if (err instanceof AppFailure || err instanceof ImportError) return { code: err.code, message: err.message };
  return { code: 'INTERNAL', message: err instanceof Error ? err.message : String(err) };
}

export function createStudio(options: StudioOptions): Studio {
  mkdirSync(options.dataDir, { recursive: true });
  const databasePath = join(options.dataDir, DATABASE_FILE);
  const storage = new Storage(databasePath, { nativeBinding: options.nativeBinding, busyTimeoutMs: options.busyTimeoutMs });
  if (options.demoOnFirstStart !== false && storage.studies.listStudies().length === 0) {
    storage.studies.insertBatch({ name: DEMO_STUDY_NAME, isDemo: true }, buildDemoBatch(), { fileName: 'embedded demo', sha256: 'demo' });
  }
  storage.fits.abandonRunningFits();
  const jobs = new JobQueue((progress) => options.emit?.('job.progress', progress));
  // Workers start on the first fit, not with the app.
  let pool: SamplerPool | undefined;
  const samplerPool = () => (pool ??= new SamplerPool({ workerUrl: options.samplerWorkerUrl, size: options.samplerThreads }));

  const closeHooks: (() => Promise<void> | void)[] = [];
  const context: StudioContext = { storage, jobs, emit: options.emit ?? (() => {}), samplerPool, options, onClose: (hook) => closeHooks.push(hook) };
  const appHandlers: HandlerGroup<AppChannel> = {
    'app.info': () => ({ version: options.version, transport: options.transport, dataDir: options.dataDir, databasePath }),
    'jobs.cancel': ({ jobId }) => ({ cancelled: jobs.cancel(jobId) }),
  };
  const handlers: Handlers = {
    ...appHandlers,
    ...dataHandlers(context),
    ...dissectionHandlers(context),
    ...insightHandlers(context),
    ...reviewHandlers(context),
    ...annotateHandlers(context),
    ...settingsHandlers(context),
  };

  return {
    storage,
    handlers,
    jobs,
    async dispatch(channel, req) {
      // An own property only: "constructor", "toString" and "__proto__" are Object's, not calls.
      if (!Object.hasOwn(handlers, channel)) return { ok: false, error: { code: 'UNKNOWN_CHANNEL', message: `There is no call named "${channel}".` } };
      const handler = (handlers as Record<string, (r: unknown) => unknown>)[channel];
      try {
        // No service sees a request the contract does not allow (a body-less call is the empty request).
        const request = req ?? {};
        const problem = requestProblem(channel as Channel, request);
        if (problem) return { ok: false, error: { code: 'INVALID', message: problem } };
        return { ok: true, res: await handler(request) };
      } catch (err) {
        return { ok: false, error: toAppError(err) };
      }
    },
    async close() {
      for (const id of jobs.runningIds()) jobs.cancel(id);
      await jobs.idle();
      for (const hook of closeHooks) await hook();
      await pool?.close();
      storage.close();
    },
  };
}
