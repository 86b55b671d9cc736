// How long the stores' reads that join another domain's rows take on a large study (default 100,000 pairs): the
// annotate job store reads pairs, labels and judges through the data domain's functions (a constant number of
// queries per call, never one per pair), the fit and job lists name their judges, a study's deletion impact counts
// every domain's rows. Run: npx tsx scripts/bench-stores.ts [pairs]
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Storage } from '../main/services/storage';
import { DEFAULT_ENDPOINT } from '../main/services/annotate/cost';
import type { ImportedPair } from '../main/services/data/import/types';
import { DEFAULT_FIT_SETTINGS } from '../main/services/dissect/dissection';

const pairs = Number(process.argv[2] ?? 100_000);
const dir = mkdtempSync(join(tmpdir(), 'ps-bench-stores-'));
const storage = new Storage(join(dir, 'bench.sqlite'));
const text = (i: number, n: number) => Array.from({ length: n }, (_, k) => `word${(i * 31 + k) % 997}`).join(' ');
const batch: ImportedPair[] = Array.from({ length: pairs }, (_, i) => ({
  externalId: `b${i}`, query: `Question ${i}: ${text(i, 30)}?`, responseA: text(i + 1, 120), responseB: text(i + 2, 80),
  modelA: `model-${i % 7}`, modelB: `model-${(i + 3) % 7}`, scenario: i % 3 ? 'Communication' : null, fineScenario: null,
  unsafe: false, language: 'en', simulated: false, annotation: null,
  labels: [{ judge: 'human', kind: 'human', preferred: i % 2 ? 'A' : 'B', probabilityA: null },
    ...(i % 4 ? [{ judge: 'bench-judge', kind: 'llm' as const, preferred: i % 3 ? 'A' as const : 'B' as const, probabilityA: 0.6 }] : [])],
}));
const t = performance.now();
const { studyId } = storage.studies.insertBatch({ name: 'Bench' }, { format: 'generic', pairs: batch, dropped: [] }, { fileName: 'bench', sha256: 'bench' });
const seedSeconds = (performance.now() - t) / 1000;

const judgeId = storage.pairs.judgeId('bench-judge');
const endpoint = { ...DEFAULT_ENDPOINT, model: 'bench-model' };
const allIds = storage.annotate.pairsForAnnotationJob({ studyId, kind: 'annotate', scope: 'all', judgeId: null });
const jobId = storage.annotate.createAnnotationJob({ studyId, kind: 'judge', mode: 'direct', endpoint, promptVersion: 'bench', judgeId,
  costCap: null, estimate: null, pairIds: allIds });
// Half the job's pairs judged in both orders (one transaction per pair, as the pipeline writes them).
for (const pairId of allIds.slice(0, pairs / 2)) {
  storage.annotate.finishJudgedPair(jobId, pairId, judgeId, { preferred: 'A', probabilityA: 0.7 },
    [{ shownFirst: 'A', logprobFirst: -0.1, logprobSecond: -2 }, { shownFirst: 'B', logprobFirst: -1.5, logprobSecond: -0.3 }], 'tie');
}
for (const group of ['Communication', 'Others']) {
  const fitId = storage.fits.startFit(studyId, 'bench-judge', group, DEFAULT_FIT_SETTINGS);
  storage.fits.finishFit(fitId, { status: 'failed', error: 'bench' });
}

const rows: Record<string, { ms: number; runs: number; result: string }> = {};
function time(name: string, runs: number, work: () => unknown): void {
  let result: unknown;
  const start = performance.now();
  for (let i = 0; i < runs; i++) result = work();
  const ms = (performance.now() - start) / runs;
  rows[name] = { ms: +ms.toFixed(3), runs, result: Array.isArray(result) ? `${result.length} rows` : result instanceof Map ? `${result.size} entries` : JSON.stringify(result).slice(0, 40) };
}

for (const kind of ['annotate', 'judge', 'scenario', 'reasons'] as const) {
  time(`pairsForAnnotationJob ${kind} missing`, 5, () => storage.annotate.pairsForAnnotationJob({ studyId, kind, scope: 'missing', judgeId }));
}
time('pairsForAnnotationJob judge missing, limit 100', 20, () => storage.annotate.pairsForAnnotationJob({ studyId, kind: 'judge', scope: 'missing', judgeId, limit: 100 }));
time('annotationWork: every pending item (Batch API)', 3, () => storage.annotate.annotationWork(jobId, 'pending'));
time('annotationWork: next 17 pending (a worker of 16 in flight)', 20, () => storage.annotate.annotationWork(jobId, 'pending', 17));
time('annotationItems: a page of 200 at 60%', 20, () => storage.annotate.annotationItems({ jobId, offset: Math.floor(pairs * 0.6), limit: 200 }).rows);
time('judgeOrders: every judged pair', 3, () => storage.annotate.judgeOrders(jobId));
time('annotationJobs', 200, () => storage.annotate.annotationJobs(studyId));
time('latestFits', 200, () => storage.fits.latestFits(studyId));
time('pairTexts: every pair (the cost estimate)', 3, () => storage.pairs.pairTexts(allIds));
time('judgeLabels: every pair (a refit)', 3, () => storage.pairs.judgeLabels('bench-judge', allIds));
time('study deletion impact', 20, () => storage.studyDeleteImpact(studyId));

console.log(`${pairs} pairs seeded in ${seedSeconds.toFixed(1)} s`);
console.table(rows);
storage.close();
rmSync(dir, { recursive: true, force: true });
