// How fast the annotation pipeline itself is, against the fake OpenAI server on 127.0.0.1 (so the model's own
// latency is left out): pairs per second with every call sent, with every call answered from the request cache
// (a re-run), and how long the cost estimate takes. Run: npx tsx scripts/bench-annotate.ts [pairs]
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Storage } from '../main/services/storage';
import { DATABASE_FILE, importBytes } from '../main/services/studio';
import { AnnotationRunner } from '../main/services/annotate/pipeline';
import { environmentSecrets } from '../main/services/annotate/secrets';
import { DEFAULT_ENDPOINT } from '../main/services/annotate/cost';
import { startFakeOpenAI } from '../main/services/annotate/testing/fake-openai';

const pairs = Number(process.argv[2] ?? 300);
const key = 'sk-bench';
const fake = await startFakeOpenAI({ apiKey: key });
const storage = new Storage(join(mkdtempSync(join(tmpdir(), 'ps-bench-annotate-')), DATABASE_FILE));
const words = (i: number, n: number) => Array.from({ length: n }, (_, k) => `word${(i * 31 + k) % 997}`).join(' ');
const lines = Array.from({ length: pairs }, (_, i) => JSON.stringify({
  id: `b${i}`, prompt: `Question ${i}: ${words(i, 30)}?`, response_a: words(i + 1, 180), response_b: words(i + 2, 120), winner: i % 2 ? 'A' : 'B',
}));
const { studyId } = await importBytes(storage, { studyName: 'Bench', fileName: 'bench.jsonl', bytes: Buffer.from(lines.join('\n')) });
storage.endpoint.saveEndpointSettings({ ...DEFAULT_ENDPOINT, model: 'bench-model', baseUrl: fake.url, concurrency: 16, requestsPerMinute: 1e6, tokensPerMinute: 1e9 });
storage.endpoint.replaceModelPrices([{ model: 'bench-model', inputPerMillion: 10, outputPerMillion: 30 }]);
const runner = new AnnotationRunner({ storage, secrets: environmentSecrets({ OPENAI_API_KEY: key }) });
const request = { studyId, kind: 'annotate' as const, scope: 'all' as const, mode: 'direct' as const, costCap: null };

let t = performance.now();
const estimate = runner.estimate(request);
const estimateMs = performance.now() - t;

t = performance.now();
const first = runner.start(request);
await runner.idle();
const sentSeconds = (performance.now() - t) / 1000;

t = performance.now();
const second = runner.start(request);
await runner.idle();
const cachedSeconds = (performance.now() - t) / 1000;

const a = runner.job(first.id);
const b = runner.job(second.id);
console.table({
  'estimate': { pairs, seconds: +(estimateMs / 1000).toFixed(3), 'pairs/s': Math.round(pairs / (estimateMs / 1000)), requests: 0, note: `${estimate.calls} calls, $${estimate.cost?.toFixed(2)}` },
  'all calls sent (16 in flight)': { pairs: a.done, seconds: +sentSeconds.toFixed(2), 'pairs/s': +(a.done / sentSeconds).toFixed(1), requests: a.requests, note: `${(a.requests / sentSeconds).toFixed(0)} requests/s` },
  'all answers from the cache': { pairs: b.done, seconds: +cachedSeconds.toFixed(2), 'pairs/s': +(b.done / cachedSeconds).toFixed(1), requests: b.requests, note: `${b.cacheHits} cache hits` },
});
await runner.close();
storage.close();
await fake.close();
