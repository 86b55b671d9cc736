// Corrected by the check, as a person uses it: on the demo study, a round of about three Communication pairs drawn
// where checking helps most for the human judge (the round says so, and refuses to correct a scenario it could not
// draw from); ana reviews it with the keyboard only (correcting one rating per pair, approving the rest); the Review view's "Corrected by the check" tab shows the annotated and corrected
// effect strengths with what changed, and exports the table (CSV) and the chart (SVG); Dissect shows the same
// beside the effect strengths; the command line gives the same numbers.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { readFileSync } from 'node:fs';
import { callApi, useApp } from './harness';
import { DATABASE_FILE } from '../main/services/studio';
import type { CorrectedReport } from '../preload/contract';

const app = useApp();

interface Here { key: string; verdict: string; position: string }
const here = (): Promise<Here | null> => app.page.evaluate(() => {
  const el = document.querySelector<HTMLElement>('[data-testid="current-item"]');
  return el ? { key: el.dataset.itemKey ?? '', verdict: el.dataset.verdict ?? '', position: document.querySelector('[data-testid="review-position"]')?.textContent ?? '' } : null;
});
async function waitFor(check: (h: Here) => boolean, what: string): Promise<Here> {
  for (let i = 0; i < 400; i++) {
    const h = await here();
    if (h && check(h)) return h;
    await app.page.waitForTimeout(10);
  }
  throw new Error(`timed out waiting for ${what}; at ${JSON.stringify(await here())}`);
}

let roundId = 0;
let pairCount = 0;

test('a round drawn where checking helps most, reviewed with the keyboard', async () => {
  await app.page.getByTestId('pair-row').first().waitFor();
  await app.page.keyboard.press('Alt+3');
  await app.page.getByTestId('view-review').waitFor();
  await app.page.getByTestId('round-size').fill('3');
  await app.page.getByTestId('round-strategy').selectOption('informative');
  await app.page.getByTestId('round-design-group').locator('option', { hasText: 'Communication' }).waitFor({ state: 'attached' });
  await app.page.getByTestId('round-design-judge').selectOption('human');
  await app.page.getByTestId('round-design-group').selectOption('Communication');
  await app.page.getByTestId('round-seed').fill('4');
  await app.page.getByTestId('round-checkers').fill('ana');
  await app.page.getByTestId('create-round').click();
  await app.page.getByTestId('round-card').first().waitFor();
  const card = app.page.getByTestId('round-card').first();
  assert.match(await card.innerText(), /pairs where checking helps most for human on Communication, seed 4/);
  roundId = Number(await card.getAttribute('data-round-id'));
  const studyId = (await callApi(app.page, 'studies.list', {}))[0].id;
  const round = (await callApi(app.page, 'review.rounds', { studyId })).find((r) => r.id === roundId)!;
  pairCount = round.pairCount;
  assert.ok(pairCount >= 1, 'the draw chose pairs');

  await app.page.getByTestId('review-as-ana').click();
  // Each pair: correct its first rating to 3 (or approve it when it is 3 already), then approve the rest with Shift+A.
  for (let pair = 1; pair <= pairCount; pair++) {
    const first = await waitFor((h) => h.position.startsWith(`Pair ${pair} `) || h.position.startsWith(`Pair ${pair}`), `pair ${pair}`);
    await app.page.keyboard.press('3');
    await waitFor((h) => h.verdict !== '' || h.key !== first.key, `the correction on pair ${pair}`);
    await app.page.keyboard.press('Shift+A');
    await app.page.waitForSelector('[data-testid="save-state"][data-pending="0"]');
    if (pair < pairCount) {
      await waitFor((h) => h.verdict === '' || h.position.startsWith(`Pair ${pair + 1}`), 'the rest approved');
      const h = await waitFor(() => true, 'an item');
      if (!h.position.startsWith(`Pair ${pair + 1}`)) await app.page.keyboard.press('n');
    }
  }
  const summary = (await callApi(app.page, 'review.rounds', { studyId })).find((r) => r.id === roundId)!;
  assert.equal(summary.checkers[0].pairsDone, pairCount, 'every pair fully judged');
});

test('the Review view shows the corrected effect strengths and exports the table and the chart', async () => {
  await app.page.getByRole('button', { name: 'Back to rounds' }).click();
  await app.page.getByTestId('round-corrected').first().click();
  await app.page.getByTestId('corrected-panel').waitFor();
  // The round was drawn for human on Communication: another scenario's pairs could never be drawn, so their
  // correction is refused beside the view; opened again, the tab starts at the round's own judge and group.
  await app.page.getByTestId('corrected-group').locator('option', { hasText: 'Advice' }).waitFor({ state: 'attached' });
  await app.page.getByTestId('corrected-group').selectOption('Advice');
  await app.page.getByTestId('corrected-error')
    .filter({ hasText: /^Round 1 was drawn where checking helps most for human on Communication, so (\d+) of the \1 pairs human labelled in Advice could never have been checked/ }).waitFor();
  await app.page.getByTestId('review-tab-rounds').click();
  await app.page.getByTestId('round-corrected').first().click();
  await app.page.getByTestId('corrected-panel').waitFor();
  await app.page.waitForFunction(() => ['judge', 'group'].map((f) => document.querySelector<HTMLSelectElement>(`[data-testid="corrected-${f}"]`)?.value).join() === 'human,Communication');
  const summary = app.page.getByTestId('corrected-summary');
  await summary.waitFor();
  assert.match(await summary.innerText(), new RegExp(`^With ${pairCount} of \\d+ pairs checked in Round 1, the check changes (no conclusion|the conclusions) for human on Communication`));
  assert.equal(await app.page.getByTestId('corrected-table').locator('tbody tr').count(), 29);
  assert.ok(await app.page.locator('[data-testid="corrected-table"] tr[data-property="clear"]').count() === 1, 'properties under their paper names');

  const downloading = app.page.waitForEvent('download');
  await app.page.getByTestId('export-corrected-csv').click();
  const file = await downloading;
  assert.match(file.suggestedFilename(), /^corrected_.*_round-1_human_communication_\d{4}-\d{2}-\d{2}\.csv$/);
  const lines = readFileSync((await file.path())!, 'utf8').split('\r\n').filter(Boolean);
  assert.match(lines[0], /^Property,As annotated weight,As annotated 2\.5%,As annotated 97\.5%,As annotated strength,Corrected weight/);
  assert.equal(lines.length, 30);
  const report = await callApi(app.page, 'review.corrected', { roundId, judge: 'human', group: 'Communication', targetWidth: 0.5 });
  const clear = report.properties.find((p) => p.name === 'clear')!;
  assert.equal(lines.find((l) => l.startsWith('clear,'))!.split(',')[5], clear.corrected!.weight.toFixed(3));

  const svg = app.page.waitForEvent('download');
  await app.page.getByTestId('corrected-chart-svg').click();
  const chart = await svg;
  assert.match(readFileSync((await chart.path())!, 'utf8'), /^<svg[\s\S]*as annotated[\s\S]*corrected by the check/);

  // A width already reached needs no more checks; a narrower one asks for more (or says it is out of reach).
  await app.page.getByTestId('corrected-width').fill('100');
  await app.page.locator('[data-testid="corrected-table"] tr[data-property="clear"]', { hasText: 'narrow enough' }).waitFor();
});

test('Dissect shows the same beside the effect strengths, and the command line gives the same numbers', async () => {
  await app.page.keyboard.press('Alt+4');
  await app.page.getByTestId('view-dissect').waitFor();
  await app.page.getByTestId('dissect-corrected-toggle').check();
  await app.page.locator('[data-testid="dissect-corrected"] [data-testid="corrected-summary"]').waitFor();
  assert.match(await app.page.locator('[data-testid="dissect-corrected"]').innerText(), /human on Communication/);

  const cli = spawnSync(process.execPath, ['bin/preference-studio.js', 'review', 'corrected', '--round', String(roundId), '--judge', 'human',
    '--group', 'Communication', '--json', '--db', join(app.served.dataDir, DATABASE_FILE)], { encoding: 'utf8', timeout: 120_000 });
  assert.equal(cli.status, 0, cli.stderr);
  const fromCli = JSON.parse(cli.stdout) as CorrectedReport;
  const fromApp = await callApi(app.page, 'review.corrected', { roundId, judge: 'human', group: 'Communication' });
  assert.deepEqual(fromCli, fromApp);
  const bad = spawnSync(process.execPath, ['bin/preference-studio.js', 'review', 'corrected', '--round', String(roundId), '--judge', 'human',
    '--db', join(app.served.dataDir, DATABASE_FILE)], { encoding: 'utf8' });
  assert.deepEqual([bad.status, bad.stderr.trim().split('\n').length], [2, 1]);
  assert.match(bad.stderr, /--group G/);
});
