// The scenario job against the fake OpenAI server: Auto-J's scenarios with the moderation API, without it (local
// servers: the prompt asks), answers outside the list re-asked once then failed, the cache, a person's choice kept,
// and a job killed halfway resumed without paying twice.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { bench, type Bench } from './testing/harness';
import { importBytes } from '../data/import-file';
import { parseScenario, scenarioPrompt } from './scenario';
import { FINE_SCENARIOS } from '../data/scenarios';

const scenarioOf = (b: Bench, id: string) => {
  const p = b.storage.pairs.pair(b.pairId(id));
  return [p.scenario, p.fineScenario, p.unsafe];
};

test('the prompt lists all 58 fine scenarios with their definitions; the answer must name one of them', () => {
  const text = scenarioPrompt('Write a haiku.', false)[0].content;
  for (const f of FINE_SCENARIOS) assert.ok(text.includes(`${f.name}: ${f.definition}`), f.name);
  assert.ok(!text.includes('"unsafe"'), 'no safety question where the moderation API answers it');
  assert.ok(scenarioPrompt('Write a haiku.', true)[0].content.includes('"unsafe": true or false'));
  assert.deepEqual(parseScenario({ scenario: 'Code_Generation' }, false), { fineScenario: 'code-generation', scenario: 'Code', unsafe: null });
  assert.throws(() => parseScenario({ scenario: 'cooking' }, false), /"cooking" is not one of the scenarios listed/);
  assert.throws(() => parseScenario({ scenario: 'chitchat' }, true), /no "unsafe" true or false/);
});

test('scenario job with the moderation API: every unassigned pair gets its scenario; a re-run pays nothing; a hand correction is kept', async () => {
  const b = await bench();
  try {
    assert.equal(b.storage.pairs.facets(b.studyId).unassigned, 4, 'the fixture file has no scenario column');
    const jobId = await b.run({ kind: 'scenario' });
    const job = b.runner.job(jobId);
    assert.equal(job.status, 'done', job.message ?? '');
    assert.equal(job.done, 4);
    assert.deepEqual(scenarioOf(b, 'fx-paris'), ['Daily Tasks', 'planning', false]);
    assert.deepEqual(scenarioOf(b, 'fx-driving'), ['Advice', 'seeking-advice', false]);
    assert.deepEqual(scenarioOf(b, 'fx-square'), ['Code', 'code-generation', false]);
    assert.deepEqual(b.storage.pairs.pair(b.pairId('fx-square')).moderationCategories, []);
    assert.equal(b.fake.answered().filter((r) => r.kind === 'moderation').length, 4);
    assert.equal(b.fake.answered().filter((r) => r.kind === 'scenario').length, 4);
    assert.equal(b.storage.pairs.groups(b.studyId).unassigned, 0);
    assert.ok(b.storage.pairs.groups(b.studyId).groups.length >= 3, 'several groups');

    assert.throws(() => b.runner.start({ studyId: b.studyId, kind: 'scenario', scope: 'missing', mode: 'direct', costCap: null }), /has a scenario/);

    b.storage.pairs.setScenario({ pairId: b.pairId('fx-square'), scenario: 'NLP Tasks', unsafe: true });
    const sent = b.fake.requests.length;
    const again = b.runner.job(await b.run({ kind: 'scenario', scope: 'all' }));
    assert.equal(again.status, 'done', again.message ?? '');
    assert.equal(again.total, 3, 'the pair set by hand is not in the job');
    assert.equal(b.fake.requests.length, sent, 'everything came from the cache');
    assert.equal(again.spent, 0);
    assert.deepEqual(scenarioOf(b, 'fx-square'), ['NLP Tasks', null, true]);
  } finally {
    await b.close();
  }
});

test('a server without /v1/moderations: the job goes on, the prompt asks whether the query is unsafe, and says so', async () => {
  const b = await bench({ fake: { moderation: false } });
  try {
    const arena = readFileSync('main/services/data/import/fixtures/arena-sample.jsonl');
    const { studyId } = await importBytes(b.storage, { studyName: 'Arena', fileName: 'arena-sample.jsonl', bytes: arena });
    const job = b.runner.job(await b.run({ kind: 'scenario', studyId }));
    assert.equal(job.status, 'done', job.message ?? '');
    assert.match(job.message!, /has no moderation API \(\/v1\/moderations\), so the classification prompt asked whether each query is unsafe/);
    const scenarioCalls = b.fake.answered().filter((r) => r.kind === 'scenario');
    assert.equal(scenarioCalls.length, job.total);
    const rows = b.storage.pairs.queryPairs({ studyId, offset: 0, limit: 50 }).rows;
    const dog = rows.find((r) => r.queryPreview.includes('neighbor'))!;
    assert.equal(dog.unsafe, true, 'the prompt flagged the harmful query');
    assert.equal(b.storage.pairs.pair(dog.id).moderationCategories, null, 'no moderation categories without the API');
    assert.ok(!rows.find((r) => r.queryPreview.includes('capital'))!.unsafe);
    const groups = b.storage.pairs.groups(studyId);
    assert.equal(groups.unassigned, 0);
    assert.ok(groups.groups.filter((g) => g.group !== 'Unsafe Queries').length >= 3, JSON.stringify(groups));
    // A resume keeps asking the prompt: the job's stored endpoint has no moderation model any more.
    assert.equal(b.storage.annotate.annotationJob(job.id).endpoint.moderationModel, '');
  } finally {
    await b.close();
  }
});

test('an answer outside the list is asked again once; twice outside it, the pair fails with the reason', async () => {
  const b = await bench();
  try {
    b.fake.setFaults([
      { pair: 'fx-paris', kind: 'scenario', reask: false, replies: [{ content: '{"scenario": "travel"}' }] },
      { pair: 'fx-square', kind: 'scenario', replies: [{ content: '{"scenario": "programming"}' }, { content: 'Code, surely.' }] },
    ]);
    const job = b.runner.job(await b.run({ kind: 'scenario' }));
    assert.equal(job.done, 3);
    assert.equal(job.failed, 1);
    assert.deepEqual(scenarioOf(b, 'fx-paris'), ['Daily Tasks', 'planning', false], 'the re-ask answered from the list');
    const failed = b.storage.annotate.annotationItems({ jobId: job.id, status: 'failed', offset: 0, limit: 10 }).rows;
    assert.equal(failed.length, 1);
    assert.match(failed[0].error!, /^Scenario: "programming" is not one of the scenarios listed; asked again, the answer is not complete JSON/);
    assert.equal(scenarioOf(b, 'fx-square')[0], null, 'a failed pair stays unassigned');
    const retried = b.runner.job((b.runner.retry(job.id), job.id));
    await b.runner.idle();
    assert.equal(b.runner.job(retried.id).failed, 0);
    assert.deepEqual(scenarioOf(b, 'fx-square'), ['Code', 'code-generation', false]);
  } finally {
    await b.close();
  }
});

test('a moderation request that meets 429 is retried; a scenario job killed halfway resumes without paying twice', async () => {
  const b = await bench({ endpoint: { concurrency: 1 } });
  try {
    b.fake.setFaults([{ pair: 'fx-paris', kind: 'moderation', replies: [{ status: 429, retryAfterMs: 5 }] }]);
    b.fake.stallAfter(3);
    const job = b.runner.start({ studyId: b.studyId, kind: 'scenario', scope: 'missing', mode: 'direct', costCap: null });
    while (!b.fake.requests.some((r) => r.outcome === 'stalled')) await new Promise((r) => setTimeout(r, 10));
    await b.restart();
    while (b.fake.requests.some((r) => r.outcome === 'stalled')) await new Promise((r) => setTimeout(r, 10));
    assert.equal(b.runner.job(job.id).status, 'paused');
    b.fake.release();
    b.runner.resume(job.id);
    await b.runner.idle();
    const done = b.runner.job(job.id);
    assert.equal(done.status, 'done', done.message ?? '');
    assert.equal(done.done, 4);
    assert.ok(done.retries >= 1, 'the 429 was retried');
    assert.deepEqual(b.fake.answeredTwice(), []);
  } finally {
    await b.close();
  }
});

test('scenario job through the Batch API: one JSONL batch, the re-ask in a second, moderation sent directly, at half the price', async () => {
  const direct = await bench();
  const batch = await bench({ endpoint: { batchPollSeconds: 1 } });
  try {
    const d = direct.runner.job(await direct.run({ kind: 'scenario' }));
    batch.fake.setFaults([{ pair: 'fx-square', kind: 'scenario', reask: false, replies: [{ content: '{"scenario": "programming"}' }] }]);
    const job = batch.runner.job(await batch.run({ kind: 'scenario', mode: 'batch' }));
    assert.equal(job.status, 'done', job.message ?? '');
    assert.equal(job.done, 4);
    for (const id of ['fx-paris', 'fx-driving', 'fx-square']) assert.deepEqual(scenarioOf(batch, id), scenarioOf(direct, id), id);
    const chats = batch.fake.requests.filter((r) => r.kind === 'scenario');
    assert.ok(chats.every((r) => r.via === 'batch'), 'every classification went through the Batch API');
    assert.equal(new Set(chats.filter((r) => !r.reask).map((r) => r.batchId)).size, 1, 'the four queries in one batch');
    const reask = chats.filter((r) => r.reask);
    assert.equal(reask.length, 1);
    assert.notEqual(reask[0].batchId, chats.find((r) => !r.reask)!.batchId, 'the re-ask went up in a second batch');
    assert.ok(batch.fake.requests.filter((r) => r.kind === 'moderation').every((r) => r.via === 'direct'));
    // Every answer is billed at half the price table's rate (one dollar per thousand tokens here).
    const rows = batch.storage.db.prepare("SELECT prompt_tokens AS p, completion_tokens AS c, cost FROM request_cache WHERE model = 'fake-model'").all() as { p: number; c: number; cost: number }[];
    assert.equal(rows.length, 5, 'four classifications and the re-ask');
    for (const r of rows) assert.ok(Math.abs(r.cost - (r.p + r.c) / 1000 / 2) < 1e-12, JSON.stringify(r));
    assert.ok(Math.abs(job.spent - rows.reduce((s, r) => s + r.cost, 0)) < 1e-12);
    assert.ok(job.spent < d.spent, `batch ${job.spent} vs direct ${d.spent}`);
  } finally {
    await direct.close();
    await batch.close();
  }
});

test('a batch the Batch API refuses (enqueued token limit) stops the job with its reason; resumed under the limit, it finishes', async () => {
  const b = await bench({ endpoint: { batchPollSeconds: 1 }, fake: { batchTokenLimit: 100 } });
  try {
    const jobId = await b.run({ kind: 'scenario', mode: 'batch' });
    const failed = b.runner.job(jobId);
    assert.equal(failed.status, 'failed');
    assert.match(failed.message!, /^The Batch API refused the batch: Enqueued token limit reached for fake-model/);
    assert.equal(failed.pending, 4, 'nothing answered, nothing lost');
    assert.equal(b.storage.annotate.annotationJob(jobId).batch, null, 'the refused batch is not polled again');
    b.fake.setBatchTokenLimit(undefined);
    b.runner.resume(jobId);
    await b.runner.idle();
    const done = b.runner.job(jobId);
    assert.equal(done.status, 'done', done.message ?? '');
    assert.equal(done.done, 4);
  } finally {
    await b.close();
  }
});
