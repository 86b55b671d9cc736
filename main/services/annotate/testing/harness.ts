// What the annotation tests share: a fresh database with the fixture pairs imported, the fake OpenAI server,
// and a runner pointed at it with short retry delays.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createServer } from 'node:net';
import type { AnnotationJobRequest, EndpointSettings, JobProgress, ModelPrice } from '../../../../preload/contract';
import { Storage } from '../../storage';
import { DATABASE_FILE } from '../../context';
import { importBytes } from '../../data/import-file';
import { AnnotationRunner } from '../pipeline';
import { environmentSecrets } from '../secrets';
import { DEFAULT_ENDPOINT } from '../cost';
import { fixtureImportFile } from './fixtures';
import { startFakeOpenAI, type FakeOpenAI, type FakeOpenAIOptions } from './fake-openai';

export const TEST_KEY = 'sk-test-annotation-key-0123456789abcdef';
export const TEST_MODEL = 'fake-model';
/** One dollar per thousand tokens either way: large enough that the fixtures cost cents. */
export const TEST_PRICE: ModelPrice = { model: TEST_MODEL, inputPerMillion: 1000, outputPerMillion: 1000 };

export interface Bench {
  fake: FakeOpenAI;
  dataDir: string;
  storage: Storage;
  runner: AnnotationRunner;
  studyId: number;
  events: JobProgress[];
  /** The pair's id by its fixture id. */
  pairId(externalId: string): number;
  /** Starts a job and waits for the runner to go idle. */
  run(req?: Partial<AnnotationJobRequest>): Promise<number>;
  /** A new runner on the same database (an app restart), the old one closed first. */
  restart(): Promise<void>;
  close(): Promise<void>;
}

export async function bench(opts: { fake?: FakeOpenAIOptions; endpoint?: Partial<EndpointSettings>; key?: string | null; fakeServer?: FakeOpenAI } = {}): Promise<Bench> {
  const fake = opts.fakeServer ?? await startFakeOpenAI({ apiKey: TEST_KEY, ...opts.fake });
  const dataDir = mkdtempSync(join(tmpdir(), 'ps-annotate-'));
  let storage = new Storage(join(dataDir, DATABASE_FILE));
  const report = await importBytes(storage, { studyName: 'Fixtures', fileName: 'fixtures.jsonl', bytes: Buffer.from(fixtureImportFile()) });
  storage.endpoint.saveEndpointSettings({ ...DEFAULT_ENDPOINT, model: TEST_MODEL, baseUrl: fake.url, timeoutSeconds: 2, concurrency: 2, ...opts.endpoint });
  storage.endpoint.replaceModelPrices([TEST_PRICE]);
  const events: JobProgress[] = [];
  const key = opts.key === undefined ? TEST_KEY : opts.key;
  const makeRunner = () => new AnnotationRunner({
    storage, secrets: environmentSecrets(key ? { OPENAI_API_KEY: key } : {}), emit: (p) => events.push(p),
    retry: { baseDelayMs: 20, maxDelayMs: 200 },
  });
  const b: Bench = {
    fake, dataDir, storage, runner: makeRunner(), studyId: report.studyId, events,
    pairId: (externalId) => (storage.db.prepare('SELECT id FROM pairs WHERE external_id = ?').get(externalId) as { id: number }).id,
    async run(req = {}) {
      const job = b.runner.start({ studyId: b.studyId, kind: 'annotate', scope: 'missing', mode: 'direct', costCap: null, ...req });
      await b.runner.idle();
      return job.id;
    },
    async restart() {
      await b.runner.close();
      storage.close();
      storage = new Storage(join(dataDir, DATABASE_FILE));
      b.storage = storage;
      b.runner = makeRunner();
    },
    async close() {
      await b.runner.close();
      storage.close();
      if (!opts.fakeServer) await fake.close();
    },
  };
  return b;
}

/** A port nothing listens on: taken from the system, then let go. */
export async function deadPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}
