// npm run bench:import [-- --rows N | --identical N] — writes a generated file to disk as it goes, then imports it
// into a fresh database through the path the command line takes (a file read as it streams), and reports the time
// and the process's peak resident memory. --rows: Chatbot Arena pairs (default 100,000; then the pair-list queries
// of the Data view are timed at that size too). --identical: that many identical generic rows, without ids (each gets
// a content hash and a suffix). A script, not a test.
import { once } from 'node:events';
import { createWriteStream, mkdtempSync, rmSync, statSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import { fileInput } from '../main/services/data/import/input';
import { importFile } from '../main/services/data/import/run';
import { Storage } from '../main/services/storage';

const { values } = parseArgs({ options: { rows: { type: 'string' }, identical: { type: 'string' } } });
const identical = values.identical === undefined ? null : Number(values.identical);
const rows = identical ?? Number(values.rows ?? 100_000);
if (!Number.isInteger(rows) || rows < 1) throw new Error('--rows and --identical take a whole number of rows');

const models = ['vicuna-13b', 'koala-13b', 'gpt-3.5-turbo', 'claude-v1', 'alpaca-13b', 'gpt-4', 'llama-13b', 'fastchat-t5-3b'];
const topics = ['volcanoes', 'sourdough bread', 'the French revolution', 'binary search', 'tax returns', 'marathon training', 'photosynthesis', 'jazz'];
const winners = ['model_a', 'model_b', 'model_a', 'model_b', 'tie'];

function arenaLine(i: number): string {
  const topic = topics[i % topics.length];
  const conv = (who: string) => [
    { role: 'user', content: `Question ${i}: explain ${topic}?` },
    { role: 'assistant', content: `${who} answer ${i} on ${topic}. `.repeat(1 + (i % 3)) },
  ];
  return JSON.stringify({
    question_id: `bench-${i}`, model_a: models[i % models.length], model_b: models[(i * 3 + 1) % models.length],
    winner: winners[i % winners.length], conversation_a: conv('A'), conversation_b: conv('B'), turn: 1,
  });
}
const IDENTICAL = JSON.stringify({ prompt: 'Explain volcanoes.', response_a: 'Magma rises.', response_b: 'Mountains erupt.', winner: 'A' });

/** Writes the lines to disk as they are made, waiting whenever the stream's buffer is full. */
async function writeFile(path: string, line: (i: number) => string): Promise<void> {
  const out = createWriteStream(path);
  for (let i = 0; i < rows; i++) {
    if (!out.write(`${line(i)}\n`)) await once(out, 'drain');
  }
  out.end();
  await once(out, 'finish');
}

const mib = (bytes: number) => (bytes / 2 ** 20).toFixed(0);
const dir = mkdtempSync(join(tmpdir(), 'ps-bench-import-'));
try {
  const path = join(dir, 'bench.jsonl');
  const generated = performance.now();
  await writeFile(path, identical === null ? arenaLine : () => IDENTICAL);
  const rssAfterWriting = process.resourceUsage().maxRSS * 1024;
  console.log(`wrote ${rows.toLocaleString('en-US')} ${identical === null ? 'Chatbot Arena' : 'identical generic'} rows, ${mib(statSync(path).size)} MiB, in ${((performance.now() - generated) / 1000).toFixed(1)} s (peak RSS so far ${mib(rssAfterWriting)} MB)`);

  const storage = new Storage(join(dir, 'bench.sqlite'));
  const start = performance.now();
  const cpu = process.cpuUsage();
  const report = await importFile(storage.studies, { studyName: 'Bench', input: await fileInput(path, 'bench.jsonl') });
  const seconds = (performance.now() - start) / 1000;
  const used = process.cpuUsage(cpu);
  const peak = process.resourceUsage().maxRSS * 1024;
  const goals = identical === null ? { seconds: 60, mib: 400 } : { seconds: 15, mib: 400 };
  console.log(`import: ${seconds.toFixed(1)} s for ${report.kept.toLocaleString('en-US')} kept pairs (dropped: ${report.dropped.map((d) => `${d.count} ${d.reason}`).join(', ') || 'none'}); peak RSS ${mib(peak)} MB; CPU ${(used.user / 1e6).toFixed(1)} s user + ${(used.system / 1e6).toFixed(1)} s system (load average ${loadavg()[0].toFixed(1)} on ${cpus().length} cores)`);
  console.log(`goals: < ${goals.seconds} s ${seconds < goals.seconds ? 'met' : 'NOT met'}, < ${goals.mib} MB peak ${peak < goals.mib * 2 ** 20 ? 'met' : 'NOT met'}`);

  if (identical === null) {
    const studyId = report.studyId;
    const facets = storage.pairs.facets(studyId);
    const middle = Math.floor(report.kept * 0.9);
    const cases: [string, Parameters<Storage['pairs']['queryPairs']>[0]][] = [
      ['first page', { studyId, offset: 0, limit: 200 }],
      [`page at ${middle.toLocaleString('en-US')}`, { studyId, offset: middle, limit: 200 }],
      ['search "volcanoes"', { studyId, search: 'volcanoes', offset: 0, limit: 200 }],
      ['search "question 4242"', { studyId, search: 'question 4242', offset: 0, limit: 200 }],
      ['filter source model', { studyId, sourceModel: facets.sourceModels[0], offset: 0, limit: 200 }],
      ['filter judge + unsafe', { studyId, judge: 'human', scenario: 'Unsafe Queries', offset: 0, limit: 200 }],
      ['filter not annotated, late page', { studyId, annotated: false, offset: Math.floor(report.kept * 0.75), limit: 200 }],
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
  }
  storage.close();
} finally {
  rmSync(dir, { recursive: true, force: true });
}
