// The annotation channels through dispatch: settings are checked field by field and never carry the key,
// browser mode refuses to store a key, tables export, and closing the app leaves a running job paused.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createStudio, importBytes } from '../studio';
import { environmentSecrets } from './secrets';
import { defaultWorkerUrl } from '../../../native-workers/worker-path';
import { startFakeOpenAI } from './testing/fake-openai';
import { fixtureImportFile } from './testing/fixtures';
import type { AnnotateSettings, AnnotationJob, ExportedFile } from '../../../preload/contract';

const KEY = 'sk-handlers-test-key-0123456789';
const studio = (dataDir = mkdtempSync(join(tmpdir(), 'ps-annotate-handlers-'))) => createStudio({
  dataDir, transport: 'browser', version: 'test', samplerWorkerUrl: defaultWorkerUrl(), demoOnFirstStart: false,
  secrets: environmentSecrets({ OPENAI_API_KEY: KEY }),
});

test('settings: the paper\'s model by default, every field checked, nothing half-saved, no key anywhere in them', async () => {
  const s = studio();
  try {
    const first = await s.dispatch('annotate.settings', {});
    assert.ok(first.ok);
    const settings = first.res as AnnotateSettings;
    assert.equal(settings.endpoint.model, 'gpt-4-1106-preview');
    assert.deepEqual(settings.key, { present: true, location: 'the OPENAI_API_KEY environment variable', settable: false });
    assert.ok(!JSON.stringify(settings).includes(KEY));
    assert.ok(settings.prices.some((p) => p.model === 'gpt-4-1106-preview' && p.inputPerMillion === 10 && p.outputPerMillion === 30));
    const bad = await s.dispatch('annotate.saveSettings', { endpoint: { concurrency: 0 }, prices: [] });
    assert.deepEqual(bad, { ok: false, error: { code: 'INVALID', message: 'Concurrency must be a whole number from 1 to 256, not 0.' } });
    const url = await s.dispatch('annotate.saveSettings', { endpoint: { baseUrl: 'ftp://example' } });
    assert.match((url as { error: { message: string } }).error.message, /must start with http:\/\/ or https:\/\//);
    const price = await s.dispatch('annotate.saveSettings', { prices: [{ model: 'x', inputPerMillion: -1, outputPerMillion: 1 }] });
    assert.match((price as { error: { message: string } }).error.message, /input price of x must be a number .* 0 or more/);
    const after = (await s.dispatch('annotate.settings', {})) as { res: AnnotateSettings };
    assert.deepEqual(after.res, settings, 'nothing was written by the refused saves');
    const saved = (await s.dispatch('annotate.saveSettings', { endpoint: { model: ' llama3 ', baseUrl: 'http://127.0.0.1:11434/v1/' } })) as { res: AnnotateSettings };
    assert.equal(saved.res.endpoint.model, 'llama3');
    assert.equal(saved.res.endpoint.baseUrl, 'http://127.0.0.1:11434/v1');
    const key = await s.dispatch('annotate.setKey', { apiKey: 'sk-typed-in' });
    assert.equal((key as { error: { code: string } }).error.code, 'KEY_FROM_ENVIRONMENT');
  } finally {
    await s.close();
  }
});

test('a job started through the channels exports its failures; closing the app leaves a running job paused', async () => {
  const fake = await startFakeOpenAI({
    apiKey: KEY,
    faults: [{ pair: 'fx-square', kind: 'errors', replies: [{ status: 400, message: 'context too long' }] }],
  });
  const dataDir = mkdtempSync(join(tmpdir(), 'ps-annotate-handlers-'));
  let s = studio(dataDir);
  try {
    const { studyId } = await importBytes(s.storage, { studyName: 'Fixtures', fileName: 'f.jsonl', bytes: Buffer.from(fixtureImportFile()) });
    await s.dispatch('annotate.saveSettings', { endpoint: { model: 'fake-model', baseUrl: fake.url } });
    const started = (await s.dispatch('annotate.start', { studyId, kind: 'annotate', scope: 'missing', mode: 'direct', costCap: null, limit: 3 })) as { res: AnnotationJob };
    const id = started.res.id;
    let job: AnnotationJob;
    do {
      await new Promise((r) => setTimeout(r, 20));
      job = ((await s.dispatch('annotate.jobs', { studyId })) as { res: AnnotationJob[] }).res[0];
    } while (job.status !== 'done');
    assert.equal(job.failed, 1);
    const csv = (await s.dispatch('annotate.table', { jobId: id, table: 'failures', format: 'csv' })) as { res: ExportedFile };
    assert.match(csv.res.fileName, /^annotation-job_1_failures_\d{4}-\d{2}-\d{2}\.csv$/);
    assert.match(csv.res.content, /^pair,query,attempts,reason\r\nfx-square,Write a Python function .*,1,Error detection: The endpoint refused the request \(400\): context too long\r\n$/);
    // A long job is running when the app closes: it is left paused, with the reason, to resume on the next start.
    fake.stallAfter(fake.answered().length + 1);
    await s.dispatch('annotate.start', { studyId, kind: 'judge', scope: 'all', mode: 'direct', costCap: null });
    while (!fake.requests.some((r) => r.outcome === 'stalled')) await new Promise((r) => setTimeout(r, 10));
    await s.close();
    s = studio(dataDir);
    const jobs = ((await s.dispatch('annotate.jobs', { studyId })) as { res: AnnotationJob[] }).res;
    assert.equal(jobs[0].kind, 'judge');
    assert.equal(jobs[0].status, 'paused');
    assert.match(jobs[0].message!, /app stopped/);
  } finally {
    await s.close();
    await fake.close();
  }
});
