// A researcher's first minutes: the demo opens, pairs are searched and opened, annotations show; an Arena file
// imports with the right counts; a broken one is refused with a clear message and writes nothing.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import type { Browser, Page } from 'playwright-core';
import { launchChromium, openApp, serve, stop, type Served } from './harness';

const FIXTURES = 'main/services/import/fixtures';
let served: Served;
let browser: Browser;
let page: Page;

before(async () => {
  served = await serve();
  browser = await launchChromium();
  page = await openApp(browser, served.url);
});

after(async () => {
  await browser?.close();
  if (served) await stop(served);
});

const totalShown = async () => Number((await page.getByTestId('pair-total').innerText()).replace(/[^\d]/g, ''));

test('the demo project opens on first start with its pairs', async () => {
  await page.getByTestId('pair-row').first().waitFor();
  assert.match(await page.getByTestId('study-select').innerText(), /Demo project/);
  assert.ok(await totalShown() > 1000, 'the demo has its simulated pairs');
});

test('a search narrows the list and a pair opens with both responses and its annotations', async () => {
  await page.keyboard.press('/');
  await page.keyboard.type('Paris itinerary');
  await page.waitForFunction(() => {
    const t = document.querySelector('[data-testid="pair-total"]')?.textContent ?? '';
    return Number(t.replace(/[^\d]/g, '')) < 10;
  });
  assert.ok(await totalShown() >= 1);
  await page.getByTestId('pair-row').first().click();
  const detail = page.getByTestId('pair-detail');
  await detail.waitFor();
  assert.match(await page.getByTestId('pair-query').innerText(), /itinerary for a day in paris/i);
  assert.match(await page.getByTestId('response-a').innerText(), /Rue Mouffetard/);
  assert.match(await page.getByTestId('response-b').innerText(), /Sainte-Chapelle/);
  const table = await page.getByTestId('annotation-table').innerText();
  assert.match(table, /grammarly correct/);
  assert.match(table, /no severe errors/);
  assert.match(await detail.innerText(), /La Pizza Frites/, 'detected errors are shown');
});

test('simulated pairs say so', async () => {
  await page.getByTestId('pair-search').fill('');
  await page.getByTestId('simulated-badge').first().waitFor();
});

test('an Arena JSONL file imports with the counts the file implies', async () => {
  await page.getByTestId('import-study-name').fill('Arena sample');
  await page.getByTestId('import-file-input').setInputFiles(`${FIXTURES}/arena-sample.jsonl`);
  const report = page.getByTestId('import-report');
  await report.waitFor();
  const text = await report.innerText();
  assert.match(text, /\b8\b.*kept|kept\D*8\b/i, text);
  assert.match(text, /tie/i);
  assert.match(text, /multi-turn/i);
});

test('a malformed file is refused with a message naming file and line, and nothing is written', async () => {
  const before = await page.evaluate(() => document.querySelector('[data-testid="study-select"]')?.textContent ?? '');
  await page.getByTestId('import-study-name').fill('Broken import');
  await page.getByTestId('import-file-input').setInputFiles(`${FIXTURES}/arena-malformed.jsonl`);
  const alert = page.getByRole('alert').filter({ hasText: 'arena-malformed.jsonl' });
  await alert.waitFor();
  assert.match(await alert.innerText(), /line 4/);
  const studies = await page.evaluate(async () => {
    const token = sessionStorage.getItem('preference-studio-token') ?? '';
    const r = await fetch('/api/studies.list', { method: 'POST', headers: { 'x-studio-token': token, 'content-type': 'application/json' }, body: '{}' });
    return (await r.json()).res as { name: string }[];
  });
  assert.deepEqual(studies.map((s) => s.name).filter((n) => n === 'Broken import'), []);
  assert.equal(await page.evaluate(() => document.querySelector('[data-testid="study-select"]')?.textContent ?? ''), before);
});
