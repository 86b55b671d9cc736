// A fit that did not converge (a few draws: R-hat far above 1.01) is marked wherever its numbers go: Dissect's
// badge and its table file, Compare's notes and files, the system message and its saved file, the DPO dataset's
// lines; and the DPO dataset leaves the demo's simulated pairs out unless asked, saying how many.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import type { Download } from 'playwright-core';
import type { StudySummary } from '../preload/contract';
import { callApi, useApp } from './harness';

const app = useApp();

async function go(view: string) {
  await app.page.goto(`${app.served.url}#/${view}`);
  await app.page.getByTestId(`view-${view}`).waitFor();
}

async function saved(testId: string): Promise<string> {
  const [download] = await Promise.all([app.page.waitForEvent('download') as Promise<Download>, app.page.getByTestId(testId).click()]);
  return readFileSync((await download.path())!, 'utf8');
}

test('a flagged fit is marked in Dissect, Compare, system messages and DPO, on screen and in the files', async () => {
  await app.page.getByTestId('study-select').waitFor();
  const studyId = (await callApi(app.page, 'studies.list', {})).find((s: StudySummary) => s.isDemo)!.id;
  // So few draws that the chains cannot agree: flagged for sure.
  await callApi(app.page, 'dissect.fit', { studyId, judge: 'human', groups: ['Communication'], settings: { chains: 2, warmup: 10, draws: 10, folds: 1 } });
  for (let i = 0; i < 600; i++) {
    const fits = await callApi(app.page, 'dissect.fits', { studyId });
    if (fits.some((f) => f.status === 'done')) break;
    await app.page.waitForTimeout(250);
  }
  const [fit] = (await callApi(app.page, 'dissect.fits', { studyId })).filter((f) => f.status === 'done');
  assert.equal(fit.diagnostics!.flagged, true, 'the fit is flagged');

  await go('dissect');
  const badge = app.page.locator('[data-testid=diagnostics-badge][data-judge="human"]');
  await badge.waitFor();
  assert.match(await badge.innerText(), /Flagged: R-hat/);
  assert.match(await saved('strengths-export-csv'), /human \[flagged fit: R-hat [\d.]+ > 1\.01/);
  assert.match(await saved('toplast-export-csv'), /flagged fit[\s\S]*R-hat/);

  await go('compare');
  const note = app.page.getByTestId('similarity').getByTestId('flagged-fits');
  await note.waitFor();
  assert.match(await note.innerText(), /human: flagged fit \(Communication: R-hat/);
  assert.match(await saved('similarity-export-csv'), /flagged fits[\s\S]*Communication: R-hat/);
  assert.match(await saved('style-export-json'), /"flagged fits": "Communication: R-hat/);

  await go('export');
  await app.page.getByTestId('system-judge').selectOption('study:human');
  await app.page.getByTestId('system-generate').click();
  await app.page.getByTestId('system-flag').waitFor();
  const [message] = await Promise.all([app.page.waitForEvent('download') as Promise<Download>, app.page.getByRole('button', { name: 'Download .txt' }).click()]);
  assert.match(readFileSync((await message.path())!, 'utf8'), /^# Caution: from a flagged fit \(R-hat/);

  await app.page.getByTestId('dpo-judge').selectOption('study:human');
  await app.page.getByTestId('dpo-build').click();
  await app.page.getByTestId('dpo-result').waitFor();
  assert.match(await app.page.getByTestId('dpo-flag').innerText(), /Communication \(R-hat/);
  assert.match(await app.page.getByTestId('dpo-simulated').innerText(), /^\d+ simulated pairs left out/);
  const simulatedOut = Number((await app.page.getByTestId('dpo-simulated').innerText()).split(' ')[0]);
  assert.ok(simulatedOut > 0);
  await app.page.getByTestId('dpo-include-simulated').check();
  await app.page.getByTestId('dpo-build').click();
  await app.page.getByTestId('dpo-simulated').filter({ hasText: 'Simulated pairs included' }).waitFor();
  const lines = (await saved('dpo-download')).trim().split('\n').map((l) => JSON.parse(l));
  assert.ok(lines.length > 0);
  for (const line of lines) assert.match(line.fit_flag, /^R-hat [\d.]+ > 1\.01/, 'every line says its fit is flagged');
});
