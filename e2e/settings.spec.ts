// Settings is where settings are changed (issue 17): the endpoint's defaults and a new job's cost cap, a new review
// round's defaults, each wrong value refused with one sentence, kept after a reload and used by the Annotate and
// Review forms, and the last change undone; the data folder chosen for the next start (never one another running
// app has open), undone, and opened with its lock by the next start.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { callApi, openApp, serve, stop, useApp, type Served } from './harness';
import { LOCK_FILE } from '../main/instance-lock';

// The settings file of these servers only: never the user's.
const root = mkdtempSync(join(tmpdir(), 'ps-e2e-settings-'));
const settingsFile = join(root, 'settings.json');
process.env.PREFERENCE_STUDIO_SETTINGS = settingsFile;
delete process.env.PREFERENCE_STUDIO_DATA;

const app = useApp();
let other: Served | undefined;
after(async () => {
  if (other) await stop(other);
});

async function openSettings(page: Page) {
  // The keys work once the app has rendered.
  await page.getByTestId('study-select').waitFor();
  await page.keyboard.press('Alt+7');
  await page.getByTestId('settings-endpoint-form').waitFor();
}
const chosenInFile = () => (JSON.parse(readFileSync(settingsFile, 'utf8')) as { dataDir: string | null }).dataDir;

test('the endpoint and review defaults: wrong values named, kept after a reload, used by Annotate and Review; the last change undone', async () => {
  const { page } = app;
  await openSettings(page);
  await page.getByTestId('settings-cost-cap').fill('abc');
  await page.getByTestId('settings-save-endpoint').click();
  await page.getByTestId('alert-message').filter({ hasText: 'The cost cap must be a number, or empty for no cap, not "abc".' }).waitFor();
  await page.getByTestId('settings-cost-cap').fill('-1');
  await page.getByTestId('settings-concurrency').fill('0');
  await page.getByTestId('settings-save-endpoint').click();
  await page.getByTestId('alert-message').filter({ hasText: 'Concurrency must be a whole number from 1 to 256, not 0.' }).waitFor();
  assert.equal((await callApi(page, 'settings.get', {})).endpoint.costCap, null, 'nothing of the refused change was written');

  await page.getByTestId('settings-concurrency').fill('8');
  await page.getByTestId('settings-cost-cap').fill('2.5');
  await page.getByTestId('settings-model').fill('llama3');
  await page.getByTestId('settings-save-endpoint').click();
  await page.getByTestId('settings-saved-endpoint').waitFor();
  assert.equal(await page.getByTestId('alert-message').count(), 0, 'the saved change cleared the error');
  assert.equal(await page.getByTestId('settings-undo').innerText(), 'Undo the last change (model, concurrency, cost cap)');

  await page.getByTestId('settings-review-pairs').fill('twenty');
  await page.getByTestId('settings-save-review').click();
  await page.getByTestId('alert-message').filter({ hasText: 'Pairs per round must be a number, not "twenty".' }).waitFor();
  await page.getByTestId('settings-review-pairs').fill('20');
  await page.getByTestId('settings-review-strategy').selectOption('stratified');
  await page.getByTestId('settings-review-per-pair').fill('2');
  await page.getByTestId('settings-review-blind').uncheck();
  await page.getByTestId('settings-save-review').click();
  await page.getByTestId('settings-saved-review').waitFor();

  await page.reload();
  await page.getByTestId('settings-endpoint-form').waitFor();
  assert.equal(await page.getByTestId('settings-cost-cap').inputValue(), '2.5');
  assert.equal(await page.getByTestId('settings-model').inputValue(), 'llama3');
  assert.equal(await page.getByTestId('settings-review-pairs').inputValue(), '20');

  await page.keyboard.press('Alt+2');
  await page.waitForFunction(() => (document.querySelector('[data-testid="annotate-cost-cap"]') as HTMLInputElement | null)?.value === '2.5');
  assert.equal(await page.getByTestId('annotate-model').inputValue(), 'llama3', 'one endpoint, shown in both views');
  assert.equal(await page.getByTestId('annotate-concurrency').inputValue(), '8');

  await page.keyboard.press('Alt+3');
  await page.waitForFunction(() => (document.querySelector('[data-testid="round-size"]') as HTMLInputElement | null)?.value === '20');
  assert.equal(await page.getByTestId('round-strategy').inputValue(), 'stratified');
  assert.equal(await page.getByTestId('round-per-pair').inputValue(), '2');
  assert.equal(await page.getByTestId('round-blind').isChecked(), false);

  await openSettings(page);
  assert.equal(await page.getByTestId('settings-undo').innerText(), 'Undo the last change (pairs per round, how pairs are drawn, checkers per pair, blind review)');
  await page.getByTestId('settings-undo').click();
  await page.getByTestId('settings-undo').waitFor({ state: 'detached' });
  assert.equal(await page.getByTestId('settings-review-pairs').inputValue(), '50');
  assert.equal(await page.getByTestId('settings-review-strategy').inputValue(), 'random');
  assert.equal(await page.getByTestId('settings-review-per-pair').inputValue(), '');
  assert.equal(await page.getByTestId('settings-review-blind').isChecked(), true);
  assert.equal(await page.getByTestId('settings-cost-cap').inputValue(), '2.5', 'only the last change is undone');
});

test('the data folder: chosen for the next start, refused while another app has it open, undone; the next start opens it and holds it', async () => {
  const { page } = app;
  await openSettings(page);
  assert.match(await page.getByTestId('settings-data-folder-note').innerText(), /given with --data-dir .* comes before the one chosen here/);

  const held = mkdtempSync(join(root, 'held-'));
  other = await serve(held);
  const otherPid = other.process.pid;
  await page.getByTestId('settings-data-folder').fill(held);
  await page.getByTestId('settings-save-data-folder').click();
  const refused = await page.getByTestId('alert-message').filter({ hasText: 'is in use by another Preference Studio' }).innerText();
  assert.equal(refused, `${held} is in use by another Preference Studio (pid ${otherPid}, open ${other.url}): close it first or choose another folder.`);
  assert.equal(existsSync(settingsFile), false, 'the refused folder was not kept');
  await stop(other);
  other = undefined;

  const next = join(root, 'next', 'studies');
  await page.getByTestId('settings-data-folder').fill(next);
  await page.getByTestId('settings-save-data-folder').click();
  await page.getByTestId('settings-saved-dataFolder').waitFor();
  assert.equal(chosenInFile(), next);
  assert.equal(existsSync(next), false, 'nothing is made or moved before the next start');
  await page.getByTestId('settings-undo').click();
  await page.getByTestId('settings-undo').waitFor({ state: 'detached' });
  assert.equal(chosenInFile(), null, 'undone: back to the default');

  await page.getByTestId('settings-data-folder').fill(next);
  await page.getByTestId('settings-save-data-folder').click();
  await page.getByTestId('settings-saved-dataFolder').waitFor();
  assert.match(await page.getByTestId('settings-data-folder-note').innerText(), new RegExp(`started without it, the app opens ${next}\\.`));

  // The next start, without --data-dir: the chosen folder, locked by the new instance.
  await stop(app.served);
  app.served = await serve(next, { dataDirFlag: false });
  const restarted = await openApp(app.browser, app.served.url);
  assert.equal((await callApi(restarted, 'app.info', {})).dataDir, next);
  assert.equal(JSON.parse(readFileSync(join(next, LOCK_FILE), 'utf8')).pid, app.served.process.pid, 'the folder is locked by the app that opened it');
  await openSettings(restarted);
  assert.equal(await restarted.getByTestId('settings-data-dir').innerText(), next);
  assert.equal(await restarted.getByTestId('settings-data-folder-note').innerText(), 'The app opens this folder when it starts. A folder another running Preference Studio has open cannot be chosen.');
});
