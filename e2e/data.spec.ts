// A researcher's first minutes: the demo opens, pairs are searched and opened, annotations show; an Arena file
// imports with the right counts; a broken one is refused with a clear message and writes nothing.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { callApi, holdBack, useApp } from './harness';

const FIXTURES = 'main/services/data/import/fixtures';

const app = useApp();

const totalShown = async () => Number((await app.page.getByTestId('pair-total').innerText()).replace(/[^\d]/g, ''));

test('the demo project opens on first start with its pairs', async () => {
  await app.page.getByTestId('pair-row').first().waitFor();
  assert.match(await app.page.getByTestId('study-select').innerText(), /Demo project/);
  assert.ok(await totalShown() > 1000, 'the demo has its simulated pairs');
});

test('the import form waits for the studies, so a name typed at once is not glued to the current study\'s', async () => {
  // Held back, the studies' answer comes after the form is on screen, as on a slow start.
  const page = await app.browser.newPage();
  const release = await holdBack(page, '**/api/studies.list');
  await page.goto(app.served.url);
  const name = page.getByTestId('import-study-name');
  await name.waitFor();
  assert.equal(await name.isDisabled(), true, 'the name field waits for the studies');
  assert.equal(await page.getByTestId('import-file-input').isDisabled(), true, 'so does the file input');
  release();
  await name.fill('Typed at once');
  assert.equal(await name.inputValue(), 'Typed at once');
  await page.close();
});

test('the events socket opens with the page, so no job\'s first or last event is missed', async () => {
  const page = await app.browser.newPage();
  const socket = page.waitForEvent('websocket', { timeout: 15_000 });
  await page.goto(app.served.url);
  assert.match((await socket).url(), /\/events\?token=/);
  await page.close();
});

test('a search narrows the list and a pair opens with both responses and its annotations', async () => {
  await app.page.keyboard.press('/');
  await app.page.keyboard.type('Paris itinerary');
  await app.page.waitForFunction(() => {
    const t = document.querySelector('[data-testid="pair-total"]')?.textContent ?? '';
    return Number(t.replace(/[^\d]/g, '')) < 10;
  });
  assert.ok(await totalShown() >= 1);
  await app.page.getByTestId('pair-row').first().click();
  const detail = app.page.getByTestId('pair-detail');
  await detail.waitFor();
  assert.match(await app.page.getByTestId('pair-query').innerText(), /itinerary for a day in paris/i);
  assert.match(await app.page.getByTestId('response-a').innerText(), /Rue Mouffetard/);
  assert.match(await app.page.getByTestId('response-b').innerText(), /Sainte-Chapelle/);
  const table = await app.page.getByTestId('annotation-table').innerText();
  assert.match(table, /grammarly correct/);
  assert.match(table, /no severe errors/);
  assert.match(await detail.innerText(), /La Pizza Frites/, 'detected errors are shown');
});

test('simulated pairs say so', async () => {
  await app.page.getByTestId('pair-search').fill('');
  await app.page.getByTestId('simulated-badge').first().waitFor();
});

test('an Arena JSONL file imports with the counts the file implies', async () => {
  await app.page.getByTestId('import-study-name').fill('Arena sample');
  await app.page.getByTestId('import-file-input').setInputFiles(`${FIXTURES}/arena-sample.jsonl`);
  const report = app.page.getByTestId('import-report');
  await report.waitFor();
  const text = await report.innerText();
  assert.match(text, /\b8\b.*kept|kept\D*8\b/i, text);
  assert.match(text, /tie/i);
  assert.match(text, /multi-turn/i);
});

test('a malformed file is refused with a message naming file and line, and nothing is written', async () => {
  const before = await app.page.evaluate(() => document.querySelector('[data-testid="study-select"]')?.textContent ?? '');
  await app.page.getByTestId('import-study-name').fill('Broken import');
  await app.page.getByTestId('import-file-input').setInputFiles(`${FIXTURES}/arena-malformed.jsonl`);
  const alert = app.page.getByRole('alert').filter({ hasText: 'arena-malformed.jsonl' });
  await alert.waitFor();
  assert.match(await alert.innerText(), /line 4/);
  const studies = await callApi(app.page, 'studies.list', {});
  assert.deepEqual(studies.map((s) => s.name).filter((n) => n === 'Broken import'), []);
  assert.equal(await app.page.evaluate(() => document.querySelector('[data-testid="study-select"]')?.textContent ?? ''), before);
});

test('several files chosen at once go as one import: files that are no set are refused whole, naming the file', async () => {
  await app.page.getByTestId('import-study-name').fill('Two files');
  await app.page.getByTestId('import-file-input').setInputFiles([`${FIXTURES}/arena-sample.jsonl`, `${FIXTURES}/arena-sample.json`]);
  const alert = app.page.getByRole('alert').filter({ hasText: 'arena-sample.jsonl' });
  await alert.waitFor();
  assert.match(await alert.innerText(), /several files are imported together only as an MT-bench or arena-hard set/);
  const studies = await callApi(app.page, 'studies.list', {});
  assert.deepEqual(studies.map((s) => s.name).filter((n) => n === 'Two files'), []);
});

test('Settings says where the data is kept and where each setting lives', async () => {
  await app.page.keyboard.press('Alt+7');
  await app.page.getByTestId('view-settings').waitFor();
  // Both arrive from the service: wait for them rather than read the first render.
  await app.page.getByTestId('settings-data-dir').filter({ hasText: app.served.dataDir }).waitFor();
  await app.page.getByTestId('settings-reference').filter({ hasText: /33 judges on 16 groups/ }).waitFor();
});
