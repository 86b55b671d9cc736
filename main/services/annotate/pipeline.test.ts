// The annotation pipeline against the fake OpenAI server: what is stored equals the fixtures' answers after
// Appendix F's conversions (worked out by hand below), faults are retried or reported, nothing answered is sent
// twice, the cost cap stops a job, and the key is written nowhere.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { PairAnnotation } from '../../../preload/contract';
import { bench, TEST_KEY, TEST_PRICE } from './testing/harness';
import { startFakeOpenAI } from './testing/fake-openai';
import { PROMPT_VERSION } from './prompts';

const BASIC_18 = [
  'harmless', 'grammarly correct', 'friendly', 'polite', 'interactive', 'authoritative', 'funny', 'use rhetorical devices',
  'complex word & sentence', 'use supporting materials', 'well formatted', 'admit limits', 'persuasive', 'step-by-step',
  'use informal expressions', 'non-repetitive', 'clear', 'contain rich info',
];
const basic = (a: number, b: number, except: Record<string, [number, number]>) =>
  Object.fromEntries(BASIC_18.map((n) => [n, { A: except[n]?.[0] ?? a, B: except[n]?.[1] ?? b }]));

/** The annotations the fixture answers must become, by hand: "repetitive" r is stored as 3 - r, stances and
 *  mistakes by Appendix F's tables, constraints averaged, lengthy counted in words. */
const EXPECTED: Record<string, PairAnnotation> = {
  'fx-paris': {
    ratings: {
      ...basic(2, 1, { 'non-repetitive': [3, 0], friendly: [3, 1] }),
      novel: { A: 1, B: 2 }, relevant: { A: 3, B: 2 }, lengthy: { A: 25, B: 19 },
      'satisfy constraints': { A: 3, B: 0.5 }, 'support stances': { A: 2.25, B: 0 },
    },
    prerequisites: { clearIntent: true, expressFeelings: false, constraints: ['exactly 5 bullet points', 'skip museums'], stances: ['museums are boring'], mistakes: [] },
    items: [
      { kind: 'constraint', text: 'exactly 5 bullet points', labels: { A: '3', B: '0' }, scores: { A: 3, B: 0 } },
      { kind: 'constraint', text: 'skip museums', labels: { A: '3', B: '1' }, scores: { A: 3, B: 1 } },
      { kind: 'stance', text: 'museums are boring', labels: { A: 'Weakly supported', B: 'Strongly opposed' }, scores: { A: 2.25, B: 0 } },
    ],
    errors: {
      A: { applicable: true, errors: [] },
      B: {
        applicable: true, errors: [
          { description: 'the Eiffel Tower was finished in 1889', type: 'Factual error', severity: 'minor' },
          { description: 'visits a museum though the user wants none', type: 'Information contradiction to the query', severity: 'moderate' },
        ],
      },
    },
    model: 'fake-model', promptVersion: PROMPT_VERSION,
  },
  'fx-driving': {
    ratings: {
      ...basic(3, 0, { 'non-repetitive': [2, 2] }),
      novel: { A: 0, B: 0 }, relevant: { A: 3, B: 0 }, lengthy: { A: 21, B: 9 },
      'clarify intent': { A: 1, B: 0 }, 'show empathetic': { A: 3, B: 0 }, 'correct mistakes': { A: 3, B: 0 },
    },
    prerequisites: { clearIntent: false, expressFeelings: true, constraints: [], stances: [], mistakes: ['believes 2+2=5'] },
    items: [{ kind: 'mistake', text: 'believes 2+2=5', labels: { A: 'Pointed out and corrected', B: 'Neither pointed out nor corrected' }, scores: { A: 3, B: 0 } }],
    errors: {
      A: { applicable: false, errors: [] },
      B: { applicable: true, errors: [{ description: 'says two plus two is five', type: 'Math operation error', severity: 'severe' }] },
    },
    model: 'fake-model', promptVersion: PROMPT_VERSION,
  },
  'fx-square': {
    ratings: {
      ...basic(1, 1, { 'step-by-step': [0, 0], 'non-repetitive': [3, 3] }),
      novel: { A: 1, B: 1 }, relevant: { A: 3, B: 3 }, lengthy: { A: 9, B: 9 },
    },
    prerequisites: { clearIntent: true, expressFeelings: false, constraints: [], stances: [], mistakes: [] },
    items: [],
    errors: {
      A: { applicable: true, errors: [] },
      B: { applicable: true, errors: [{ description: 'cubes the number instead of squaring it', type: 'Code generation error', severity: 'severe' }] },
    },
    model: 'fake-model', promptVersion: PROMPT_VERSION,
  },
};

const sortedRatings = (r: PairAnnotation['ratings']) => Object.fromEntries(Object.entries(r).sort(([a], [b]) => a.localeCompare(b)));
function assertAnnotation(actual: PairAnnotation | null, expected: PairAnnotation, label: string) {
  assert.ok(actual, `${label} is annotated`);
  assert.deepEqual(sortedRatings(actual.ratings), sortedRatings(expected.ratings), `${label}: ratings`);
  assert.deepEqual(actual.prerequisites, expected.prerequisites, `${label}: round one`);
  assert.deepEqual(actual.items, expected.items, `${label}: round two items`);
  assert.deepEqual(actual.errors, expected.errors, `${label}: errors`);
  assert.equal(actual.model, expected.model);
  assert.equal(actual.promptVersion, expected.promptVersion);
}

test('a pair imported with a reference answer is checked for errors against it, without asking for one', async () => {
  const b = await bench();
  try {
    b.storage.db.prepare("UPDATE pairs SET reference_answer = 'The square of 7 is 49.' WHERE external_id = 'fx-square'").run();
    const jobId = await b.run({ limit: 3 });
    assert.equal(b.runner.job(jobId).status, 'done');
    const kinds = (pair: string) => b.fake.requests.filter((r) => r.pair === pair).map((r) => r.kind).sort();
    assert.deepEqual(kinds('fx-square'), ['basic', 'basic-query', 'errors', 'prerequisites']);
    assert.deepEqual(kinds('fx-paris'), ['basic', 'basic-query', 'errors', 'prerequisites', 'query-specific', 'reference']);
    const stored = b.storage.db.prepare("SELECT reference_answer FROM error_checks WHERE pair_id = ? AND side = 'B'").get(b.pairId('fx-square')) as { reference_answer: string };
    assert.equal(stored.reference_answer, 'The square of 7 is 49.');
    assert.equal(b.storage.pairs.pair(b.pairId('fx-square')).referenceAnswer, 'The square of 7 is 49.');
  } finally {
    await b.close();
  }
});

test('clean answers: every stored annotation equals the fixture answers after conversion, each row linked to its call', async () => {
  const b = await bench();
  try {
    const jobId = await b.run({ limit: 3 });
    const job = b.runner.job(jobId);
    assert.equal(job.status, 'done', job.message ?? '');
    assert.deepEqual([job.done, job.failed, job.pending], [3, 0, 0]);
    for (const id of ['fx-paris', 'fx-driving', 'fx-square']) assertAnnotation(b.storage.pairs.pair(b.pairId(id)).annotation, EXPECTED[id], id);
    // Round two is asked only where round one found something: not for fx-square.
    const kinds = (pair: string) => b.fake.requests.filter((r) => r.pair === pair).map((r) => r.kind).sort();
    assert.deepEqual(kinds('fx-square'), ['basic', 'basic-query', 'errors', 'prerequisites', 'reference']);
    assert.deepEqual(kinds('fx-paris'), ['basic', 'basic-query', 'errors', 'prerequisites', 'query-specific', 'reference']);
    // One call row per prompt with its raw output; ratings point at the call that produced them.
    const paris = b.pairId('fx-paris');
    const calls = b.storage.db.prepare('SELECT id, kind, model, prompt_version, raw_output FROM annotation_calls WHERE pair_id = ? ORDER BY kind').all(paris) as { id: number; kind: string; model: string; prompt_version: string; raw_output: string }[];
    assert.deepEqual(calls.map((c) => c.kind), ['basic', 'basic-query', 'errors', 'prerequisites', 'query-specific', 'reference']);
    assert.ok(calls.every((c) => c.model === 'fake-model' && c.prompt_version === PROMPT_VERSION));
    assert.equal(JSON.parse(calls.find((c) => c.kind === 'basic')!.raw_output).friendly['response 1'], '3');
    const callOf = (property: string) => (b.storage.db.prepare(`SELECT c.kind FROM annotations a JOIN annotation_calls c ON c.id = a.call_id
      JOIN properties p ON p.id = a.property_id WHERE a.pair_id = ? AND p.name = ? AND a.side = 'A'`).get(paris, property) as { kind: string } | undefined)?.kind;
    assert.equal(callOf('friendly'), 'basic');
    assert.equal(callOf('novel'), 'basic-query');
    assert.equal(callOf('satisfy constraints'), 'query-specific');
    assert.equal(callOf('lengthy'), undefined, 'a word count comes from no call');
    const reference = b.storage.db.prepare("SELECT reference_answer FROM error_checks WHERE pair_id = ? AND side = 'A'").get(paris) as { reference_answer: string };
    assert.equal(reference.reference_answer, 'Reference: a museum-free day in Paris in five bullet points.');
    // The query groups follow round one.
    assert.deepEqual(b.storage.pairs.pair(b.pairId('fx-driving')).groups, ['intent_unclear', 'express_feeling', 'w_mistakes']);
    assert.ok(b.events.some((e) => e.jobId === `annotation:${jobId}` && e.state === 'done'));
  } finally {
    await b.close();
  }
});

test('429 then success, 500 then success, a timeout then success: retried with backoff and counted, nothing answered twice', async () => {
  const b = await bench({
    endpoint: { timeoutSeconds: 0.4 },
    fake: {
      faults: [
        { pair: 'fx-paris', kind: 'basic', replies: [{ status: 429, retryAfterMs: 30 }] },
        { pair: 'fx-paris', kind: 'prerequisites', replies: [{ status: 500 }] },
        { pair: 'fx-paris', kind: 'reference', replies: [{ hangMs: 1200 }] },
      ],
    },
  });
  try {
    const jobId = await b.run({ limit: 1 });
    const job = b.runner.job(jobId);
    assert.equal(job.status, 'done', job.message ?? '');
    assert.equal(job.done, 1);
    assert.equal(job.retries, 3);
    assertAnnotation(b.storage.pairs.pair(b.pairId('fx-paris')).annotation, EXPECTED['fx-paris'], 'fx-paris');
    const paris = b.fake.requests.filter((r) => r.pair === 'fx-paris');
    assert.equal(paris.filter((r) => r.kind === 'basic').length, 2, 'the 429 and the answer');
    assert.deepEqual(paris.filter((r) => r.kind === 'reference').map((r) => r.outcome), ['abandoned', 'answered']);
    assert.deepEqual(b.fake.answeredTwice(), []);
  } finally {
    await b.close();
  }
});

test('truncated JSON is asked again once; wrong keys then fail the item with both reasons; a retry asks anew', async () => {
  const truncated = '{"harmlessness": {"response 1": "2", "response 2": "2"}, "friendly": {"response 1"';
  const wrongKeys = JSON.stringify({ harmless: { 'response 1': '2', 'response 2': '2' } });
  const b = await bench({
    fake: {
      faults: [
        { pair: 'fx-colours', kind: 'basic', reask: false, replies: [{ content: truncated }] },
        { pair: 'fx-colours', kind: 'basic', reask: true, replies: [{ content: wrongKeys }] },
        // A wrong key that the re-ask corrects: the pair succeeds.
        { pair: 'fx-square', kind: 'prerequisites', reask: false, replies: [{ content: JSON.stringify({ clear_intent: 'Yes' }) }] },
      ],
    },
  });
  try {
    const jobId = await b.run();
    const job = b.runner.job(jobId);
    assert.equal(job.status, 'done');
    assert.deepEqual([job.done, job.failed], [3, 1]);
    const failed = b.storage.annotate.annotationItems({ jobId, status: 'failed', offset: 0, limit: 10 }).rows;
    assert.equal(failed.length, 1);
    assert.equal(failed[0].externalId, 'fx-colours');
    assert.match(failed[0].error!, /^Basic properties: the answer is not complete JSON .*; asked again, unexpected key "harmless"/);
    assert.equal(b.storage.pairs.pair(b.pairId('fx-colours')).annotation, null, 'nothing half-written');
    assertAnnotation(b.storage.pairs.pair(b.pairId('fx-square')).annotation, EXPECTED['fx-square'], 'fx-square after its re-ask');
    // Retry: the cached unusable answers are asked anew (the fixture now answers cleanly).
    const before = b.fake.requests.filter((r) => r.pair === 'fx-colours' && r.kind === 'basic').length;
    b.runner.retry(jobId);
    await b.runner.idle();
    const after = b.runner.job(jobId);
    assert.deepEqual([after.done, after.failed, after.status], [4, 0, 'done']);
    assert.equal(b.fake.requests.filter((r) => r.pair === 'fx-colours' && r.kind === 'basic').length, before + 1, 'the first question sent again, once');
    assert.ok(b.storage.pairs.pair(b.pairId('fx-colours')).annotation);
  } finally {
    await b.close();
  }
});

test('a 500 that persists fails the item after the configured tries, with the status named', async () => {
  const b = await bench({ endpoint: { maxAttempts: 3 }, fake: { faults: [{ pair: 'fx-square', kind: 'errors', replies: [{ status: 500 }, { status: 500 }, { status: 500 }] }] } });
  try {
    const jobId = await b.run({ limit: 3 });
    const failed = b.storage.annotate.annotationItems({ jobId, status: 'failed', offset: 0, limit: 10 }).rows;
    assert.deepEqual(failed.map((f) => f.externalId), ['fx-square']);
    assert.match(failed[0].error!, /^Error detection: The endpoint failed with 500 after 3 tries/);
    assert.equal(b.fake.requests.filter((r) => r.pair === 'fx-square' && r.kind === 'errors').length, 3);
  } finally {
    await b.close();
  }
});

test('the cost cap stops a job before it can spend past it; raising the cap and resuming finishes it', async () => {
  const b = await bench({ endpoint: { concurrency: 1 } });
  try {
    // A first pair costs about $4-5 at the test price; its worst case (answers at their token limits) is larger.
    const cap = 9;
    const jobId = await b.run({ costCap: cap });
    const stopped = b.runner.job(jobId);
    assert.equal(stopped.status, 'paused');
    assert.match(stopped.message!, /Stopped at the cost cap of \$9\.00/);
    assert.ok(stopped.spent > 0 && stopped.spent <= cap, `spent ${stopped.spent}`);
    assert.ok(stopped.pending > 0, 'pairs are left');
    const sentBefore = b.fake.requests.length;
    // The spend is what the answers' usage costs at the price table's price.
    const usage = b.storage.db.prepare('SELECT sum(prompt_tokens) AS i, sum(completion_tokens) AS o FROM request_cache').get() as { i: number; o: number };
    assert.ok(Math.abs(stopped.spent - (usage.i + usage.o) * TEST_PRICE.inputPerMillion / 1e6) < 1e-9);
    b.runner.resume(jobId, null);
    await b.runner.idle();
    const finished = b.runner.job(jobId);
    assert.equal(finished.status, 'done', finished.message ?? '');
    assert.equal(finished.done, 4);
    assert.ok(b.fake.requests.length > sentBefore);
    assert.deepEqual(b.fake.answeredTwice(), []);
  } finally {
    await b.close();
  }
});

test('a job stopped halfway by an app restart resumes, and no answered request is sent again', async () => {
  const b = await bench({ endpoint: { concurrency: 2 } });
  try {
    b.fake.stallAfter(7);
    const job = b.runner.start({ studyId: b.studyId, kind: 'annotate', scope: 'missing', mode: 'direct', costCap: null });
    while (b.fake.requests.filter((r) => r.outcome === 'stalled').length < 2) await new Promise((r) => setTimeout(r, 10));
    // The restart comes once the seven answers are stored (one still on the wire when a process stops is lost to it).
    while (b.runner.job(job.id).requests < 7) await new Promise((r) => setTimeout(r, 10));
    await b.restart();
    // The requests the old run had in flight are dropped with its connections.
    while (b.fake.requests.some((r) => r.outcome === 'stalled')) await new Promise((r) => setTimeout(r, 10));
    const interrupted = b.runner.job(job.id);
    assert.equal(interrupted.status, 'paused');
    assert.match(interrupted.message!, /app stopped/);
    const answeredBefore = new Set(b.fake.answered().map((r) => r.hash));
    assert.equal(answeredBefore.size, 7);
    b.fake.release();
    b.runner.resume(job.id);
    await b.runner.idle();
    const done = b.runner.job(job.id);
    assert.equal(done.status, 'done', done.message ?? '');
    assert.equal(done.done, 4);
    assert.deepEqual(b.fake.answeredTwice(), []);
    const afterRestart = b.fake.requests.slice(b.fake.requests.findIndex((r) => r.outcome === 'abandoned'));
    assert.ok(afterRestart.every((r) => !answeredBefore.has(r.hash) || r.outcome !== 'answered'), 'nothing answered before the restart was answered again');
    assert.ok(done.cacheHits >= 7, `cache hits ${done.cacheHits}`);
  } finally {
    await b.close();
  }
});

test('pause lets the requests in flight answer and keeps the rest pending; cancel ends the job for good', async () => {
  const b = await bench({ endpoint: { concurrency: 1 } });
  try {
    const job = b.runner.start({ studyId: b.studyId, kind: 'annotate', scope: 'missing', mode: 'direct', costCap: null });
    while (b.fake.answered().length < 3) await new Promise((r) => setTimeout(r, 5));
    b.runner.pause(job.id);
    await b.runner.idle();
    const paused = b.runner.job(job.id);
    assert.equal(paused.status, 'paused');
    assert.ok(paused.pending > 0);
    assert.equal(b.fake.requests.filter((r) => r.outcome === 'abandoned').length, 0, 'nothing in flight was dropped');
    const cancelled = b.runner.cancel(job.id);
    assert.equal(cancelled.status, 'cancelled');
    assert.throws(() => b.runner.resume(job.id), /only a paused or failed job can be resumed/);
  } finally {
    await b.close();
  }
});

test('the API key reaches the endpoint but no file of the data directory, not even in a refusal that quotes it', async () => {
  const fake = await startFakeOpenAI({ apiKey: 'sk-a-different-key-the-server-expects' });
  const b = await bench({ fakeServer: fake });
  try {
    const jobId = await b.run({ limit: 1 });
    const job = b.runner.job(jobId);
    assert.equal(job.status, 'failed');
    assert.match(job.message!, /refused the API key \(401\)/);
    assert.ok(!job.message!.includes(TEST_KEY));
    const right = await bench({ key: TEST_KEY });
    const ok = await right.run({ limit: 1 });
    assert.equal(right.runner.job(ok).status, 'done');
    const noKeyIn = (dir: string) => {
      const files = readdirSync(dir);
      for (const file of files) {
        const bytes = readFileSync(join(dir, file));
        assert.equal(bytes.indexOf(TEST_KEY), -1, `${file} holds the key`);
        assert.equal(bytes.indexOf(TEST_KEY.slice(3, 20)), -1, `${file} holds part of the key`);
      }
      return files;
    };
    // While the databases are open, their write-ahead logs hold the latest writes: they are read too.
    for (const dir of [b.dataDir, right.dataDir]) assert.ok(noKeyIn(dir).some((f) => f.endsWith('-wal')), 'the WAL file was checked');
    await right.close();
    await b.runner.close();
    b.storage.close();
    for (const dir of [b.dataDir, right.dataDir]) noKeyIn(dir);
  } finally {
    await fake.close();
  }
});

test('batch mode: JSONL upload, polling, download and merge give the same annotations at half the price', async () => {
  const direct = await bench();
  const batch = await bench({ endpoint: { batchPollSeconds: 1 } });
  try {
    const d = await direct.run({ limit: 3 });
    const j = await batch.run({ limit: 3, mode: 'batch' });
    const job = batch.runner.job(j);
    assert.equal(job.status, 'done', job.message ?? '');
    for (const id of ['fx-paris', 'fx-driving', 'fx-square']) assertAnnotation(batch.storage.pairs.pair(batch.pairId(id)).annotation, EXPECTED[id], `${id} by batch`);
    assert.ok(batch.fake.requests.every((r) => r.via === 'batch'));
    // Two rounds: round one and the reference, then round two and error detection.
    assert.equal(new Set(batch.fake.requests.map((r) => r.kind)).size, 6);
    assert.ok(Math.abs(job.spent - direct.runner.job(d).spent / 2) < 1e-9, `batch ${job.spent} vs direct ${direct.runner.job(d).spent}`);
  } finally {
    await direct.close();
    await batch.close();
  }
});

test('the estimate counts the calls before starting and leaves out what the cache already answered', async () => {
  const b = await bench();
  try {
    const req = { studyId: b.studyId, kind: 'annotate' as const, scope: 'missing' as const, mode: 'direct' as const, costCap: null, limit: 2 };
    const first = b.runner.estimate(req);
    assert.equal(first.pairs, 2);
    assert.equal(first.cachedCalls, 0);
    // Four calls known up front per pair, error detection per pair, round two for half the pairs.
    assert.equal(first.calls, 2 * 4 + 2 + 1);
    assert.ok(first.cost! > 0 && first.worstCaseCost! > first.cost!);
    await b.run({ limit: 1 });
    const again = b.runner.estimate({ ...req, scope: 'all' });
    assert.equal(again.cachedCalls, 4, 'the first pair\'s four up-front calls are cached');
    assert.ok(again.cost! < first.cost!);
  } finally {
    await b.close();
  }
});

test('a pair that failed in one job and was annotated by a later one no longer counts, lists or retries as failed in the first', async () => {
  const wrongKeys = JSON.stringify({ harmless: { 'response 1': '2', 'response 2': '2' } });
  const b = await bench({
    fake: {
      faults: [
        { pair: 'fx-colours', kind: 'basic', reask: false, replies: [{ content: wrongKeys }] },
        { pair: 'fx-colours', kind: 'basic', reask: true, replies: [{ content: wrongKeys }] },
      ],
    },
  });
  try {
    const first = await b.run();
    b.storage.annotate.setAnnotationJobStatus(first, 'cancelled');
    assert.deepEqual([b.runner.job(first).done, b.runner.job(first).failed], [3, 1]);
    // A later job annotates the pair (its annotation stands in for a model's answer here).
    const stored = b.storage.annotate.annotationJob(first);
    const later = b.storage.annotate.createAnnotationJob({
      studyId: b.studyId, kind: 'annotate', mode: 'direct', endpoint: stored.endpoint, promptVersion: PROMPT_VERSION,
      judgeId: null, costCap: null, estimate: null, pairIds: [b.pairId('fx-colours')],
    });
    b.storage.annotate.finishAnnotatedPair(later, b.pairId('fx-colours'), b.storage.pairs.pair(b.pairId('fx-square')).annotation!, [], 'a reference answer');
    const after = b.runner.job(first);
    assert.deepEqual([after.done, after.failed, after.status], [4, 0, 'cancelled'], 'the cancelled job says "1 failed" no more');
    assert.equal(b.storage.annotate.annotationItems({ jobId: first, status: 'failed', offset: 0, limit: 10 }).total, 0);
    assert.equal(b.storage.annotate.retryAnnotationItems(first), 0, 'nothing left to retry');
  } finally {
    await b.close();
  }
});
