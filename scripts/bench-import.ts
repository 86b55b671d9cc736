// npm run bench:import — imports 100,000 generated Chatbot Arena pairs into a fresh database through the same
// service the app uses, then times the pair-list queries the Data view makes at that size. A script, not a test.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { Storage } from '../main/services/storage';
import { importBytes } from '../main/services/studio';

const N = Number(process.argv[2] ?? 100_000);
const models = ['vicuna-13b', 'koala-13b', 'gpt-3.5-turbo', 'claude-v1', 'alpaca-13b', 'gpt-4', 'llama-13b', 'fastchat-t5-3b'];
const topics = ['volcanoes', 'sourdough bread', 'the French revolution', 'binary search', 'tax returns', 'marathon training', 'photosynthesis', 'jazz'];
const winners = ['model_a', 'model_b', 'model_a', 'model_b', 'tie'];

function line(i: number): string {
  const topic = topics[i % topics.length];
  const conv = (who: string) => [
    { role: 'user', content: `Question ${i}: could you explain ${topic} to me in a few paragraphs?` },
    { role: 'assistant', content: `${who} answer ${i} about ${topic}. `.repeat(12 + (i % 30)) },
  ];
  return JSON.stringify({
    question_id: `bench-${i}`, model_a: models[i % models.length], model_b: models[(i * 3 + 1) % models.length],
    winner: winners[i % winners.length], judge: `arena_user_${i % 977}`, conversation_a: conv('A'), conversation_b: conv('B'),
    turn: 1, anony: true, language: 'English', tstamp: 1682000000 + i,
    openai_moderation: { flagged: i % 50 === 0, categories: {} }, toxic_chat_tag: { 'roberta-large': { flagged: false, probability: 0.01 }, 't5-large': { flagged: false, score: 0.01 } },
  });
}

const dir = mkdtempSync(join(tmpdir(), 'ps-bench-import-'));
try {
  const generated = performance.now();
  const text = Array.from({ length: N }, (_, i) => line(i)).join('\n');
  const bytes = Buffer.from(text);
  console.log(`generated ${N.toLocaleString()} Arena rows, ${(bytes.length / 2 ** 20).toFixed(1)} MiB, in ${((performance.now() - generated) / 1000).toFixed(1)} s`);

  const storage = new Storage(join(dir, 'bench.sqlite'));
  const start = performance.now();
  const report = await importBytes(storage, { studyName: 'Bench', fileName: 'bench.jsonl', bytes });
  const seconds = (performance.now() - start) / 1000;
  console.log(`import: ${seconds.toFixed(1)} s for ${report.kept.toLocaleString()} kept pairs (${report.dropped.map((d) => `${d.count} ${d.reason}`).join(', ')}); target < 30 s: ${seconds < 30 ? 'met' : 'NOT met'}`);

  const studyId = report.studyId;
  const facets = storage.pairs.facets(studyId);
  const cases: [string, Parameters<Storage['pairs']['queryPairs']>[0]][] = [
    ['first page', { studyId, offset: 0, limit: 200 }],
    ['page at 90,000', { studyId, offset: 90_000, limit: 200 }],
    ['search "volcanoes"', { studyId, search: 'volcanoes', offset: 0, limit: 200 }],
    ['search "question 4242"', { studyId, search: 'question 4242', offset: 0, limit: 200 }],
    ['filter source model', { studyId, sourceModel: facets.sourceModels[0], offset: 0, limit: 200 }],
    ['filter judge + unsafe', { studyId, judge: 'human', scenario: 'Unsafe Queries', offset: 0, limit: 200 }],
    ['filter not annotated, page 300', { studyId, annotated: false, offset: 60_000, limit: 200 }],
  ];
  for (const [name, q] of cases) {
    const times: number[] = [];
    for (let r = 0; r < 5; r++) {
      const t = performance.now();
      storage.pairs.queryPairs(q);
      times.push(performance.now() - t);
    }
    times.sort((a, b) => a - b);
    console.log(`pairs.query ${name}: median ${times[2].toFixed(1)} ms`);
  }
  const ids = storage.pairs.queryPairs({ studyId, offset: 50_000, limit: 5 }).rows.map((r) => r.id);
  const gets = ids.map((id) => {
    const t = performance.now();
    storage.pairs.pair(id);
    return performance.now() - t;
  }).sort((a, b) => a - b);
  console.log(`pairs.get: median ${gets[2].toFixed(1)} ms`);
  storage.close();
} finally {
  rmSync(dir, { recursive: true, force: true });
}
