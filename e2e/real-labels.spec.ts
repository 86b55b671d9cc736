// Real data in the Data view: a table the app does not know is mapped column by column in a form (remembered for the
// next file with the same columns), a first import over the demo goes into a new study named after the file, and
// real and simulated pairs are told apart by a filter.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { callApi, useApp } from './harness';

const app = useApp();

test('the real/simulated filter shows only the demo\'s simulated pairs, or only its hand-written ones', async () => {
  const { page } = app;
  await page.getByTestId('pair-row').first().waitFor();
  const studyId = (await callApi(page, 'studies.list', {})).find((s) => s.isDemo)!.id;
  const simulated = (await callApi(page, 'pairs.query', { studyId, simulated: true, offset: 0, limit: 1 })).total;
  const real = (await callApi(page, 'pairs.query', { studyId, simulated: false, offset: 0, limit: 1 })).total;
  assert.ok(simulated > 0 && real > 0, `${simulated} simulated, ${real} real`);
  const total = async () => Number((await page.getByTestId('pair-total').innerText()).replace(/[^\d]/g, ''));
  await page.getByTestId('filter-origin').selectOption('real');
  await page.waitForFunction((n) => document.querySelector('[data-testid="pair-total"]')?.textContent?.replace(/[^\d]/g, '') === String(n), real);
  assert.equal(await total(), real);
  assert.equal(await page.getByTestId('pair-row').getByTestId('simulated-badge').count(), 0, 'no simulated pair is listed');
  await page.getByTestId('filter-origin').selectOption('simulated');
  await page.waitForFunction((n) => document.querySelector('[data-testid="pair-total"]')?.textContent?.replace(/[^\d]/g, '') === String(n), simulated);
  await page.getByTestId('pair-row').getByTestId('simulated-badge').first().waitFor();
  await page.getByTestId('filter-origin').selectOption('any');
});

test('a table of unknown layout opens the column mapping; mapped, it imports into a new study named after the file, with the judge an LLM', async () => {
  const { page } = app;
  // The demo is open and nothing is typed: the import must not go into the demo.
  assert.equal(await page.getByTestId('import-study-name').inputValue(), '');
  await page.getByTestId('import-file-input').setInputFiles('e2e/fixtures/unknown-layout.csv');
  const form = page.getByTestId('mapping-form');
  await form.waitFor();
  assert.match(await page.getByTestId('mapping-preview').innerText(), /Name a prime number\./);
  // The guess from the column names: question, answer_1, answer_2, generators, choice.
  assert.equal(await page.getByTestId('map-query').inputValue(), 'question');
  await page.getByTestId('map-responseA').selectOption('answer_1');
  await page.getByTestId('map-responseB').selectOption('answer_2');
  await page.getByTestId('map-winner').selectOption('choice');
  await page.getByTestId('map-judgeColumn').selectOption('rater');
  // Without the kind the form says what is missing and does not import.
  assert.match(await form.innerText(), /human or an LLM|Judges' kind/);
  await page.getByTestId('map-judge-kind').selectOption('llm');
  await page.getByTestId('mapping-import').click();
  const report = page.getByTestId('import-report');
  await report.waitFor();
  assert.match(await report.innerText(), /into\s+unknown-layout/);
  assert.match(await page.getByTestId('import-layout').innerText(), /^\(plain pairwise table\)$/);
  assert.match(await page.getByTestId('import-judges').innerText(), /gpt4_judge \(LLM\)/);
  assert.match(await page.getByTestId('import-kept').innerText(), /2 pairs/);
  const studies = await callApi(page, 'studies.list', {});
  const made = studies.find((s) => s.name === 'unknown-layout');
  assert.equal(made?.pairCount, 2);
  assert.equal(studies.find((s) => s.isDemo)?.pairCount, (await callApi(page, 'pairs.query', { studyId: studies.find((s) => s.isDemo)!.id, offset: 0, limit: 1 })).total);
  const judges = await callApi(page, 'judges.list', { studyId: made!.id });
  assert.deepEqual(judges.map((j) => [j.name, j.kind]), [['gpt4_judge', 'llm']]);

  // On request, the same columns open the form with the mapping remembered.
  await page.getByTestId('import-map-input').setInputFiles('e2e/fixtures/unknown-layout.csv');
  await form.waitFor();
  assert.equal(await page.getByTestId('map-judgeColumn').inputValue(), 'rater');
  assert.equal(await page.getByTestId('map-judge-kind').inputValue(), 'llm');
  // Esc closes the dialog without importing anything.
  await page.keyboard.press('Escape');
  await form.waitFor({ state: 'detached' });
});

test('the import report says which values were read otherwise than written, and how many new pairs have no scenario', async () => {
  const { page } = app;
  await page.getByTestId('import-study-name').fill('Paper odd values');
  // One of the paper's annotated pairs without a scenario, with a rating of 4 and an error of severity "tiny".
  await page.getByTestId('import-file-input').setInputFiles('e2e/fixtures/paper-odd-values.jsonl');
  await page.getByTestId('import-notes').waitFor();
  assert.match(await page.getByTestId('import-report').innerText(), /into\s+Paper odd values/);
  assert.deepEqual(await page.getByTestId('import-notes').locator('li').allInnerTexts(), [
    'rating 4 read as 0, as the authors\' code does 1',
    'error of severity "tiny" not counted, as the authors\' code does 1',
  ]);
  assert.match(await page.getByTestId('import-unassigned').innerText(), /^1 unassigned$/);
});
