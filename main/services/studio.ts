// The application's services behind the contract: one handler per channel, plain inputs and outputs, no
// `electron`. Both transports (IPC and the loopback bridge) call `dispatch`, so an error looks the same in both.
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { AppError, Channel, EventName, Events, Reply, Req, Res } from '../../preload/contract';
import { Storage } from './storage';
import { AppFailure } from './errors';
import { comparisonFeatures } from './features';
import { PROPERTIES } from './properties';
import { importFile } from './import/run';
import { base64Input, bytesInput } from './import/input';
import { buildDemoBatch } from './demo';
import { paperReference } from './reference';
import { ImportError } from './import/types';
import { JobQueue } from './jobs';
import { dissectionHandlers } from './dissection-handlers';
import { insightHandlers } from './insight-handlers';
import { annotateHandlers } from './annotate-handlers';
import type { Secrets } from './annotate/secrets';
import { reviewHandlers } from './review-handlers';
import { SamplerPool } from '../../native-workers';

export type Handlers = { [C in Channel]: (req: Req<C>) => Promise<Res<C>> | Res<C> };
/** The handlers of some channels: each domain module (dissection-handlers.ts, ...) returns one of these. */
export type HandlerGroup<C extends Channel> = Pick<Handlers, C>;

/** What a domain's handlers may use. */
export interface StudioContext {
  storage: Storage;
  jobs: JobQueue;
  emit: Emit;
  /** The sampler's worker pool, started on first use. */
  samplerPool(): SamplerPool;
  options: StudioOptions;
  /** Work to finish before the database closes (a domain's own job runner). */
  onClose(hook: () => Promise<void> | void): void;
}
export type Emit = <E extends EventName>(event: E, payload: Events[E]) => void;

export interface StudioOptions {
  dataDir: string;
  transport: 'electron' | 'browser';
  version: string;
  /** Pushes an event to every connected renderer. */
  emit?: Emit;
  /** Open the demo project when the database has no study yet (first start). */
  demoOnFirstStart?: boolean;
  /** The sampler's worker script: the bundled .js in the app, the .ts source under tsx. */
  samplerWorkerUrl: URL | string;
  /** Sampler workers; default one per core. */
  samplerThreads?: number;
  /** Where secrets (the endpoint's API key) are kept: safeStorage in Electron; default OPENAI_API_KEY, read-only. */
  secrets?: Secrets;
}

export const DEMO_STUDY_NAME = 'Demo project';
export const DATABASE_FILE = 'preference-studio.sqlite';

export interface Studio {
  storage: Storage;
  handlers: Handlers;
  jobs: JobQueue;
  dispatch(channel: string, req: unknown): Promise<Reply<unknown>>;
  close(): Promise<void>;
}

export function toAppError(err: unknown): AppError {
  if (err instanceof AppFailure || err instanceof ImportError) return { code: err.code, message: err.message };
  return { code: 'INTERNAL', message: err instanceof Error ? err.message : String(err) };
}

export function createStudio(options: StudioOptions): Studio {
  mkdirSync(options.dataDir, { recursive: true });
  const databasePath = join(options.dataDir, DATABASE_FILE);
  const storage = new Storage(databasePath);
  if (options.demoOnFirstStart !== false && storage.listStudies().length === 0) {
    storage.insertBatch({ name: DEMO_STUDY_NAME, isDemo: true }, buildDemoBatch(), { fileName: 'embedded demo', sha256: 'demo' });
  }
  storage.abandonRunningFits();
  const jobs = new JobQueue((progress) => options.emit?.('job.progress', progress));
  // Workers start on the first fit, not with the app.
  let pool: SamplerPool | undefined;
  const samplerPool = () => (pool ??= new SamplerPool({ workerUrl: options.samplerWorkerUrl, size: options.samplerThreads }));

  const closeHooks: (() => Promise<void> | void)[] = [];
  const context: StudioContext = { storage, jobs, emit: options.emit ?? (() => {}), samplerPool, options, onClose: (hook) => closeHooks.push(hook) };
  const handlers: Handlers = {
    'app.info': () => ({ version: options.version, transport: options.transport, dataDir: options.dataDir, databasePath }),
    'studies.list': () => storage.listStudies(),
    'studies.rename': ({ studyId, name }) => {
      storage.renameStudy(studyId, name);
      return storage.study(studyId);
    },
    'studies.delete': ({ studyId }) => {
      storage.deleteStudy(studyId);
      return { deleted: true };
    },
    'pairs.query': (q) => storage.queryPairs(q),
    'pairs.facets': ({ studyId }) => storage.facets(studyId),
    'pairs.get': ({ pairId }) => {
      const pair = storage.pair(pairId);
      return { ...pair, comparisonFeatures: pair.annotation ? Array.from(comparisonFeatures(pair.annotation)) : null };
    },
    'judges.list': ({ studyId }) => storage.judges(studyId),
    'properties.list': () => PROPERTIES.map((p) => ({ position: p.position, name: p.name, group: p.group, description: p.description })),
    'reference.paper': () => paperReference(),
    // The upload is decoded a chunk at a time as the import reads it, not whole.
    'import.file': ({ studyName, fileName, dataBase64, format }) => importFile(storage, { studyName, input: base64Input(fileName, dataBase64), format }),
    'jobs.cancel': ({ jobId }) => ({ cancelled: jobs.cancel(jobId) }),
    ...dissectionHandlers(context),
    ...insightHandlers(context),
    ...reviewHandlers(context),
    ...annotateHandlers(context),
  };

  return {
    storage,
    handlers,
    jobs,
    async dispatch(channel, req) {
      const handler = (handlers as Record<string, (r: unknown) => unknown>)[channel];
      if (!handler) return { ok: false, error: { code: 'UNKNOWN_CHANNEL', message: `There is no call named "${channel}".` } };
      try {
        return { ok: true, res: await handler(req ?? {}) };
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

/** Parses and stores one file held in memory; the same bytes imported twice into one study are refused. */
export function importBytes(
  storage: Storage,
  input: { studyName: string; fileName: string; bytes: Uint8Array; format?: Req<'import.file'>['format'] },
): Promise<Res<'import.file'>> {
  return importFile(storage, { studyName: input.studyName, input: bytesInput(input.fileName, input.bytes), format: input.format });
}
