// What the composition root (studio.ts) gives every domain's handlers, in a module of its own so that no domain
// imports the root back.
import type { Channel, DataFolderSource, EventName, Events, Req, Res } from '../../preload/contract';
import type { Storage } from './storage';
import type { JobQueue } from './jobs';
import type { Secrets } from './annotate/secrets';
import type { SamplerPool } from '../../native-workers';

export type Handlers = { [C in Channel]: (req: Req<C>) => Promise<Res<C>> | Res<C> };
/** The handlers of some channels: each domain's handlers.ts returns one of these for its contract's channels. */
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
  /** What chose `dataDir`, for the Settings view; default 'flag' (given by the caller). */
  dataDirSource?: DataFolderSource;
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
  /** better-sqlite3's module built for Electron's ABI, when running under Electron (main/native-binding.ts). */
  nativeBinding?: string;
  /** A review checker's own link, when browser mode serves checkers on an address of the network (serve --host). */
  checkerLink?: (checkerId: number) => string;
  /** How long a write waits for another program's write lock; default BUSY_TIMEOUT_MS (db/database.ts). */
  busyTimeoutMs?: number;
}

export const DEMO_STUDY_NAME = 'Demo project';
export const DATABASE_FILE = 'preference-studio.sqlite';
