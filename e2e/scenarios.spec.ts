// Scenarios for data that has none (issue 18), through the UI: an imported Chatbot Arena study has every pair
// unassigned (Data's filter and Dissect say how many); the scenario job from the Annotate view, against the fake
// OpenAI server with its moderation API, assigns them; Dissect then lists several groups with their pairs. A
// scenario set by hand in the Data view (keyboard) is kept when the job runs again over all pairs.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import type { Browser, Page } from 'playwright-core';
import { launchChromium, openApp, serve, stop, callApi, type Served } from './harness';
import { startFakeOpenAI, type FakeOpenAI } from '../main/services/annotate/testing/fake-openai';

const KEY = 'sk-e2e-scenarios-key-0123456789abcdef';
let fake: FakeOpenAI;
let served: Served;
let browser: Browser;
let page: Page;
let studyId: number;

const waitStatus = (id: number, status: string) =>
  page.locator(`[data-testid="annotation-job"][data-job-id="${id}"][data-status="${status}"]`).waitFor({ timeout: 60_000 });

/** The pairs each group of the Dissect view's list shows ("… of N pairs"), where N > 0. */
async function dissectGroups(): Promise<Record<string, number>> {
  const out: Record<string, number> = {};
  for (const row of await page.getByTestId('fit-group').all()) {
    const group = (await row.getAttribute('data-group'))!;
    const text = await page.locator(`label:has([data-group="${group}"]) [data-testid="group-count"]`).innerText();
    const n = Number(text.match(/of ([\d,]+) pairs/)![1].replace(/,/g, ''));
    if (n > 0) out[group] = n;
  }
  return out;
}

before(async () => {
  fake = await startFakeOpenAI({ apiKey: KEY });
  process.env.OPENAI_API_KEY = KEY;
  served = await serve();
  browser = await launchChromium();
  page = await openApp(browser, served.url);
  await page.getByTestId('import-study-name').fill('Arena');
  await page.getByTestId('import-file-input').setInputFiles('main/services/data/import/fixtures/arena-sample.jsonl');
  await page.getByTestId('import-report').waitFor();
  assert.match(await page.getByTestId('import-unassigned').innerText(), /^8 unassigned$/);
  studyId = (await callApi(page, 'studies.list', {})).find((s) => s.name === 'Arena')!.id;
});

after(async () => {
  await browser?.close();
  if (served) await stop(served);
  await fake?.close();
});

test('an imported Arena study: every pair unassigned, in the Data filter and in Dissect', async () => {
  const option = page.getByTestId('filter-scenario').locator('option', { hasText: 'Unassigned' });
  assert.equal(await option.innerText(), 'Unassigned (8)');
  await page.getByTestId('filter-scenario').selectOption({ label: 'Unassigned (8)' });
  await page.waitForFunction(() => document.querySelectorAll('[data-testid="pair-row"]').length === 8);
  assert.match(await page.getByTestId('pair-row').first().innerText(), /Unassigned/);
  await page.getByTestId('filter-scenario').selectOption('');
  await page.keyboard.press('Alt+4');
  await page.getByTestId('unassigned-note').waitFor();
  // Two queries the Arena file's own moderation tags flagged are Unsafe Queries already; the six others are in no group.
  assert.match(await page.getByTestId('unassigned-note').innerText(), /^6 pairs have no scenario yet/);
  assert.deepEqual(await dissectGroups(), { 'Unsafe Queries': 2 }, 'never "Others"');
});

test('the scenario job from the Annotate view assigns them; Dissect lists several groups with their pairs', async () => {
  await page.keyboard.press('Alt+2');
  await page.getByTestId('view-annotate').waitFor();
  await page.getByTestId('annotate-model').fill('fake-model');
  await page.getByTestId('annotate-base-url').fill(fake.url);
  // Not saved by hand: the form says so, and starting the job saves the edits first (the job runs with them).
  await page.getByTestId('annotate-endpoint-unsaved').waitFor();
  await page.getByTestId('annotate-kind-scenario').check();
  await page.waitForFunction(() => /8 pairs/.test(document.querySelector('[data-testid="annotate-estimate"]')?.textContent ?? ''));
  await page.getByTestId('annotate-start').click();
  await waitStatus(1, 'done');
  await page.getByTestId('annotate-endpoint-unsaved').waitFor({ state: 'detached' });
  assert.equal((await callApi(page, 'annotate.jobs', { studyId }))[0].baseUrl, fake.url);
  assert.equal(fake.answered().filter((r) => r.kind === 'moderation').length, 8, 'safety from the moderation API');
  await page.keyboard.press('Alt+4');
  await page.waitForFunction(() => !document.querySelector('[data-testid="unassigned-note"]'));
  const groups = await dissectGroups();
  assert.ok(Object.keys(groups).length >= 4, JSON.stringify(groups));
  assert.equal(Object.values(groups).reduce((a, b) => a + b, 0), 8, JSON.stringify(groups));
  assert.ok(groups['Unsafe Queries'] >= 1, 'the moderation API flagged the harmful queries');
});

test('a scenario set by hand with the keyboard is kept when the job runs again over all pairs', async () => {
  await page.keyboard.press('Alt+1');
  await page.getByTestId('pair-row').first().waitFor();
  await page.keyboard.press('j');
  await page.keyboard.press('Enter');
  await page.getByTestId('pair-scenario').waitFor();
  await page.keyboard.press('e');
  assert.equal(await page.evaluate(() => document.activeElement?.getAttribute('data-testid')), 'pair-scenario');
  await page.getByTestId('pair-scenario').selectOption('Functional Writing');
  await page.getByTestId('scenario-editor').getByText('set by hand').waitFor();
  const pairId = Number(await page.getByTestId('pair-detail').getAttribute('data-pair-id'));
  await page.locator('body').click({ position: { x: 1, y: 1 } });
  await page.keyboard.press('u');
  await page.waitForFunction(() => (document.querySelector('[data-testid="pair-unsafe"]') as HTMLInputElement | null)?.checked === true);

  await page.keyboard.press('Alt+2');
  await page.getByTestId('annotate-scope').selectOption('all');
  await page.waitForFunction(() => /7 pairs/.test(document.querySelector('[data-testid="annotate-estimate"]')?.textContent ?? ''));
  await page.getByTestId('annotate-start').click();
  await waitStatus(2, 'done');
  const pair = await callApi(page, 'pairs.get', { pairId });
  assert.deepEqual([pair.scenario, pair.unsafe, pair.scenarioByHand], ['Functional Writing', true, true]);
  assert.equal((await callApi(page, 'pairs.groups', { studyId })).unassigned, 0);
});
