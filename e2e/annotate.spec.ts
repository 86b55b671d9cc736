// A researcher annotates a study from the Annotate view against a local OpenAI-compatible server (the fake one,
// replaying fixtures): sets the endpoint and a price, sees the estimate, starts the job, finds the pair that
// failed with its reason and retries it; a cost cap stops a job; the app is killed while an LLM judge labels
// the pairs, and after the restart the job resumes without any answered request sent again. The key, read from
// OPENAI_API_KEY, is in no file of the data directory.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { launchChromium, openApp, serve, stop, type Served } from './harness';
import { startFakeOpenAI, type FakeOpenAI } from '../main/services/annotate/testing/fake-openai';
import { fixtureImportFile } from '../main/services/annotate/testing/fixtures';
import { deadPort } from '../main/services/annotate/testing/harness';
import type { PairDetail } from '../preload/contract';

const KEY = 'sk-e2e-annotate-key-abcdef0123456789';
let fake: FakeOpenAI;
let served: Served;
let browser: Browser;
let page: Page;

const jobRow = (id: number) => page.locator(`[data-testid="annotation-job"][data-job-id="${id}"]`);
const statusOf = async (id: number) => jobRow(id).getAttribute('data-status');
async function waitStatus(id: number, status: string) {
  await page.locator(`[data-testid="annotation-job"][data-job-id="${id}"][data-status="${status}"]`).waitFor({ timeout: 60_000 });
}

/** A call through the page's own bridge, as the renderer makes it. */
async function api<T>(channel: string, req: unknown): Promise<T> {
  return page.evaluate(async ([c, r]) => {
    const token = sessionStorage.getItem('preference-studio-token') ?? '';
    const res = await fetch(`/api/${c}`, { method: 'POST', headers: { 'x-studio-token': token, 'content-type': 'application/json' }, body: JSON.stringify(r) });
    const reply = await res.json();
    if (!reply.ok) throw new Error(reply.error.message);
    return reply.res;
  }, [channel, req] as const) as Promise<T>;
}

async function openAnnotate() {
  await page.keyboard.press('Alt+2');
  await page.getByTestId('view-annotate').waitFor();
}

before(async () => {
  fake = await startFakeOpenAI({
    apiKey: KEY,
    faults: [
      { pair: 'fx-paris', kind: 'basic', replies: [{ status: 429, retryAfterMs: 50 }] },
      { pair: 'fx-colours', kind: 'basic', reask: false, replies: [{ content: '{"harmlessness": {"response 1": "2", "response 2"' }] },
      { pair: 'fx-colours', kind: 'basic', reask: true, replies: [{ content: JSON.stringify({ harmless: { 'response 1': '2', 'response 2': '2' } }) }] },
    ],
  });
  process.env.OPENAI_API_KEY = KEY;
  served = await serve();
  browser = await launchChromium();
  page = await openApp(browser, served.url);
  const file = join(mkdtempSync(join(tmpdir(), 'ps-e2e-fixtures-')), 'fixtures.jsonl');
  writeFileSync(file, fixtureImportFile());
  await page.getByTestId('import-study-name').fill('Fixtures');
  await page.getByTestId('import-file-input').setInputFiles(file);
  await page.getByTestId('import-report').waitFor();
});

after(async () => {
  await browser?.close();
  if (served) await stop(served);
  await fake?.close();
});

test('the endpoint, key status and a price are set, and the estimate appears before anything is sent', async () => {
  await openAnnotate();
  assert.match(await page.getByTestId('annotate-key-status').innerText(), /API key: set, read from the OPENAI_API_KEY environment variable/);
  await page.getByTestId('annotate-model').fill('fake-model');
  await page.getByTestId('annotate-base-url').fill(fake.url);
  await page.getByTestId('annotate-save-endpoint').click();
  // Test connection: one tiny request with the form as it is.
  await page.getByTestId('annotate-test-connection').click();
  const check = page.locator('[data-testid="annotate-connection-check"][data-ok="true"]');
  await check.waitFor();
  assert.match(await check.innerText(), /^Connected: fake-model answered at http:\/\/127\.0\.0\.1:\d+\/v1 in \d+ ms; log-probabilities work; JSON mode works\.$/);
  assert.deepEqual(fake.requests.map((r) => r.kind), ['check']);
  fake.requests.length = 0;
  await page.getByTestId('annotate-prices').locator('summary').click();
  await page.getByRole('button', { name: 'Add a model' }).click();
  await page.getByLabel('Input price of fake-model').fill('1000');
  await page.getByLabel('Output price of fake-model').fill('1000');
  await page.getByTestId('annotate-save-prices').click();
  await page.waitForFunction(() => /^\$\d/.test(document.querySelector('[data-testid="annotate-estimate-cost"]')?.textContent ?? ''));
  assert.match(await page.getByTestId('annotate-estimate').innerText(), /4 pairs, about 22 calls/);
  assert.equal(fake.requests.length, 0, 'estimating sends nothing');
});

test('a job runs with progress; the pair whose answers were unusable is listed with the reason and retried', async () => {
  await page.keyboard.press('n');
  await waitStatus(1, 'done');
  assert.match(await jobRow(1).getByTestId('job-progress').innerText(), /4 \/ 4/);
  assert.match(await jobRow(1).getByTestId('job-failed').innerText(), /1 failed/);
  const failed = page.getByTestId('failed-item');
  await failed.first().waitFor();
  assert.equal(await failed.count(), 1);
  assert.match(await failed.innerText(), /fx-colours/);
  assert.match(await failed.getByTestId('failed-reason').innerText(), /^Basic properties: the answer is not complete JSON .*asked again, unexpected key "harmless"/);
  // What was stored is the fixture's answers converted (the full comparison is in the unit tests).
  const studies = await api<{ id: number; name: string }[]>('studies.list', {});
  const studyId = studies.find((st) => st.name === 'Fixtures')!.id;
  const pairs = await api<{ rows: { id: number; externalId: string; annotated: boolean }[] }>('pairs.query', { studyId, offset: 0, limit: 10 });
  const paris = pairs.rows.find((r) => r.externalId === 'fx-paris')!;
  const detail = await api<PairDetail>('pairs.get', { pairId: paris.id });
  assert.deepEqual(detail.annotation!.ratings['friendly'], { A: 3, B: 1 });
  assert.deepEqual(detail.annotation!.ratings['non-repetitive'], { A: 3, B: 0 });
  assert.deepEqual(detail.annotation!.ratings['satisfy constraints'], { A: 3, B: 0.5 });
  assert.equal(pairs.rows.find((r) => r.externalId === 'fx-colours')!.annotated, false);
  await page.getByTestId('retry-all-failed').click();
  await page.waitForFunction(() => !document.querySelector('[data-testid="annotation-job"][data-job-id="1"] [data-testid="job-failed"]')
    && document.querySelector('[data-testid="annotation-job"][data-job-id="1"]')?.getAttribute('data-status') === 'done');
  // The job's detail follows its counts a load later.
  await page.getByTestId('failed-item').first().waitFor({ state: 'detached' });
  assert.equal(await page.getByTestId('failed-item').count(), 0);
});

test("the import summary says the study's annotated pairs after the job, beside the file's 0", async () => {
  await page.keyboard.press('Alt+1');
  try {
    const annotated = page.getByTestId('import-annotated');
    // The count follows the study as its jobs finish (3 after the first pass, 4 after the retry): wait for the last.
    await annotated.filter({ hasText: /^0 · 4 in the study now$/ }).waitFor({ timeout: 10_000 });
    assert.equal(await annotated.innerText(), '0 · 4 in the study now');
  } finally {
    // The next tests start in the Annotate view.
    await openAnnotate();
  }
});

test('a cost cap stops a job before it spends past it; resuming without a cap finishes it', async () => {
  // Reasons for the human votes: each call's worst case is about $2 at this price, so $5 lets two go out.
  await page.getByTestId('annotate-kind-reasons').check();
  await page.getByTestId('annotate-cost-cap').fill('5');
  await page.waitForTimeout(400);
  await page.getByTestId('annotate-start').click();
  await waitStatus(2, 'paused');
  assert.match(await jobRow(2).getByTestId('job-message').innerText(), /Stopped at the cost cap of \$5\.00/);
  const spent = Number((await jobRow(2).getByTestId('job-spent').innerText()).match(/^\$([\d.]+) of \$5\.00/)![1]);
  assert.ok(spent > 0 && spent <= 5, `spent ${spent}`);
  await jobRow(2).getByTestId('job-resume').click();
  await waitStatus(2, 'done');
  // The fixtures' reasons normalise into concise, accuracy, empathy and follows instructions.
  await page.waitForFunction(() => document.querySelectorAll('[data-testid="reason-category"]').length === 4);
  assert.match(await page.getByTestId('reason-category').first().innerText(), /concise\s+3\s+75\.0%/);
  await page.getByTestId('annotate-cost-cap').fill('');
});

test('killed while a judge labels the pairs, the app restarts with the job paused; resumed, nothing answered is sent again', async () => {
  await page.getByTestId('annotate-kind-judge').check();
  await page.getByTestId('annotate-judge').fill('e2e judge');
  await page.waitForTimeout(400);
  fake.stallAfter(fake.answered().length + 3);
  await page.getByTestId('annotate-start').click();
  while (!fake.requests.some((r) => r.outcome === 'stalled')) await new Promise((r) => setTimeout(r, 20));
  // The kill comes once the app has stored the three answers it received (an answer still on the wire when a
  // process dies is lost to it, and asked again).
  const studyId = (await api<{ id: number; name: string }[]>('studies.list', {})).find((st) => st.name === 'Fixtures')!.id;
  while ((await api<{ id: number; requests: number }[]>('annotate.jobs', { studyId })).find((j) => j.id === 3)!.requests < 3) {
    await new Promise((r) => setTimeout(r, 20));
  }
  const dataDir = served.dataDir;
  served.process.kill('SIGKILL');
  await new Promise((r) => served.process.once('exit', r));
  while (fake.requests.some((r) => r.outcome === 'stalled')) await new Promise((r) => setTimeout(r, 20));
  const answeredBefore = new Set(fake.answered().map((r) => r.hash));
  fake.release();
  await page.close();
  served = await serve(dataDir);
  page = await openApp(browser, served.url);
  await page.getByTestId('study-select').selectOption({ label: 'Fixtures' });
  await openAnnotate();
  await waitStatus(3, 'paused');
  assert.match(await jobRow(3).getByTestId('job-message').innerText(), /app stopped while this job was running/);
  const sentBefore = fake.requests.length;
  await jobRow(3).click();
  await page.keyboard.press('p');
  await waitStatus(3, 'done');
  const judged = fake.answered().filter((r) => r.kind === 'judge').map((r) => r.hash);
  assert.equal(judged.length, 8, 'four pairs in two orders');
  assert.equal(new Set(judged).size, judged.length, 'no judge request answered twice');
  assert.ok(fake.requests.slice(sentBefore).every((r) => !answeredBefore.has(r.hash)));
  await page.getByTestId('judge-report').waitFor();
  assert.match(await page.getByTestId('judge-bias').innerText(), /^\+0\.\d{3}/);
  assert.equal(await statusOf(1), 'done');
});

test('a job that failed on a dead port: Test connection names the fault, and after the fix it resumes with the current endpoint', async () => {
  const dead = `http://127.0.0.1:${await deadPort()}/v1`;
  await page.getByTestId('annotate-base-url').fill(dead);
  await page.getByTestId('annotate-maxAttempts').fill('1');
  // Not saved: the test uses the form as typed.
  await page.getByTestId('annotate-test-connection').click();
  const failed = page.locator('[data-testid="annotate-connection-check"][data-ok="false"]');
  await failed.waitFor();
  assert.match(await failed.innerText(), new RegExp(`^No connection: Cannot reach ${dead.replace(/[.:/]/g, '\\$&')}: connect ECONNREFUSED`));
  await page.getByTestId('annotate-kind-scenario').check();
  await page.waitForTimeout(400);
  await page.getByTestId('annotate-start').click();
  await waitStatus(4, 'failed');
  assert.match(await jobRow(4).getByTestId('job-message').innerText(), /^Cannot reach http:\/\/127\.0\.0\.1:\d+\/v1 \(connect ECONNREFUSED/);
  await page.getByTestId('annotate-base-url').fill(fake.url);
  await page.getByTestId('annotate-save-endpoint').click();
  const moved = jobRow(4).getByTestId('job-endpoint-moved');
  await moved.waitFor();
  assert.match(await moved.innerText(), new RegExp(`sends its requests to ${dead.replace(/[.:/]/g, '\\$&')}, where it was started; the endpoint is now ${fake.url.replace(/[.:/]/g, '\\$&')}`));
  assert.match(await jobRow(4).getByTestId('job-resume').innerText(), /Resume at its own address/);
  await jobRow(4).getByTestId('job-resume-current').click();
  await waitStatus(4, 'done');
  assert.match(await jobRow(4).getByTestId('job-message').innerText(), /Resumed at http:\/\/127\.0\.0\.1:\d+\/v1, the current endpoint \(it was started at http:\/\/127\.0\.0\.1:\d+\/v1\)\.$/);
  assert.equal(await jobRow(4).getByTestId('job-endpoint-moved').count(), 0);
  assert.match(await jobRow(4).getByTestId('job-estimate-vs-cost').innerText(), /^Estimated \$[\d.]+ for [\d,]+ tokens in and [\d,]+ out \(No tokenizer is known for fake-model: tokens are estimated at about four characters a token\); cost \$[\d.]+ for [\d,]+ in and [\d,]+ out, as the endpoint reported\.$/);
});

test('a 429 with OpenAI\'s rate-limit headers: the job row says it waits for the rate limit, then finishes', async () => {
  fake.setFaults([{
    pair: 'fx-paris', kind: 'scenario', replies: [{
      status: 429, code: 'rate_limit_exceeded', message: 'Rate limit reached for fake-model-2 on requests per min (RPM): Limit 3, Used 3, Requested 1.',
      headers: { 'x-ratelimit-remaining-requests': '0', 'x-ratelimit-reset-requests': '4s' },
    }],
  }]);
  // Another model, so that nothing comes from the cache.
  await page.getByTestId('annotate-model').fill('fake-model-2');
  await page.getByTestId('annotate-maxAttempts').fill('6');
  await page.getByTestId('annotate-save-endpoint').click();
  await page.getByTestId('annotate-scope').selectOption('all');
  await page.waitForTimeout(400);
  await page.getByTestId('annotate-start').click();
  const waiting = jobRow(5).getByTestId('job-rate-wait');
  await waiting.waitFor();
  assert.match(await waiting.innerText(), /^waiting for the rate limit \([1-4] s\)$/);
  await waitStatus(5, 'done');
  assert.equal(await jobRow(5).getByTestId('job-rate-wait').count(), 0);
});

test('the key is in no file of the data directory, the write-ahead log included', () => {
  const files = readdirSync(served.dataDir);
  assert.ok(files.some((f) => f.endsWith('-wal')));
  for (const file of files) assert.equal(readFileSync(join(served.dataDir, file)).indexOf(KEY.slice(3)), -1, `${file} holds the key`);
});
