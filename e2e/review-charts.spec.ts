// The Review view's charts have Dissect's axis (issue 17): agreement rates on quarters of 0-100% with 50% labelled;
// a refit's and the corrected effect strengths centred on a labelled 50% line, zoomed to what they draw (never the
// whole 0-100% for strengths within a few points of 50%), with even, uncrowded ticks.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Locator } from 'playwright-core';
import { callApi, useApp } from './harness';

const app = useApp();
let roundId = 0;

const percent = (text: string) => Number(text.replace('%', ''));

/** Even, uncrowded ticks with 50% labelled; `reach`: the farthest value drawn from 50%, which the axis covers by at most one step more. */
async function assertAxis(chart: Locator, where: string, reach?: number) {
  await chart.locator('.recharts-xAxis-tick-labels text').first().waitFor();
  const labels = await chart.locator('.recharts-xAxis-tick-labels text').allTextContents();
  assert.ok(labels.includes('50%'), `${where}: the 50% line is labelled (${labels.join(' ')})`);
  const values = labels.map(percent);
  const steps = values.slice(1).map((v, i) => Number((v - values[i]).toFixed(6)));
  assert.equal(new Set(steps).size, 1, `${where}: evenly spaced (${labels.join(' ')})`);
  assert.ok(labels.length <= 7, `${where}: ${labels.length} ticks do not crowd`);
  if (reach !== undefined) {
    const axisReach = Math.max(...values.map((v) => Math.abs(v - 50))) / 100;
    assert.ok(axisReach >= reach - 1e-9, `${where}: the axis (${labels.join(' ')}) reaches every value (${reach})`);
    assert.ok(axisReach < reach + steps[0] / 100, `${where}: the axis (${labels.join(' ')}) is zoomed to the values (reach ${reach.toFixed(3)})`);
  }
}

const reachOf = (values: number[]) => Math.min(0.5, Math.max(0.05, ...values.map((v) => Math.abs(v - 0.5))));

test('agreement: a round that two checkers approved whole', async () => {
  await app.page.getByTestId('study-select').waitFor();
  const studyId = (await callApi(app.page, 'studies.list', {})).find((s) => s.isDemo)!.id;
  const round = await callApi(app.page, 'review.createRound', { studyId, size: 20, strategy: 'stratified', seed: 3, checkers: ['ana', 'ben'], blind: true });
  roundId = round.id;
  for (const checker of round.checkers) {
    for (let position = 0; position < round.pairCount; position++) {
      const { pair } = await callApi(app.page, 'review.pair', { checkerId: checker.id, position });
      await callApi(app.page, 'review.approveRest', { checkerId: checker.id, pairId: pair.id });
    }
  }
  await app.page.keyboard.press('Alt+3');
  await app.page.getByTestId('round-agreement').first().click();
  await assertAxis(app.page.getByTestId('agreement-chart'), 'agreement');
});

test('a refit with the corrections and the corrected effect strengths: centred, zoomed, 50% labelled', async () => {
  const group = 'Communication';
  await callApi(app.page, 'review.refit', { roundId, judge: 'human', group, scope: 'group', settings: { chains: 2, warmup: 150, draws: 200, folds: 2 } });
  await app.page.getByTestId('review-tab-refit').click();
  await app.page.locator('[data-testid="refit-line"][data-state="done"]').waitFor({ timeout: 300_000 });
  await app.page.locator('[data-testid="refit-line"] button').first().click();
  const refit = (await callApi(app.page, 'review.refits', { roundId }))[0];
  const drawn = refit.properties.flatMap((p) => [p.original, p.corrected].flatMap((e) => [e.strength, e.strengthQ5, e.strengthQ95]));
  await assertAxis(app.page.getByTestId('refit-chart'), 'refit', reachOf(drawn));

  await app.page.getByTestId('review-tab-corrected').click();
  await app.page.getByTestId('corrected-judge').selectOption('human');
  await app.page.getByTestId('corrected-group').locator('option', { hasText: group }).waitFor({ state: 'attached' });
  await app.page.getByTestId('corrected-group').selectOption(group);
  await app.page.getByTestId('corrected-summary').waitFor();
  const report = await callApi(app.page, 'review.corrected', { roundId, judge: 'human', group, targetWidth: 0.5 });
  const values = report.properties.flatMap((p) => [p.naive, p.corrected].flatMap((e) => (e ? [e.strength, e.strengthLow, e.strengthHigh] : [])));
  await assertAxis(app.page.getByTestId('corrected-chart'), 'corrected', reachOf(values));
});
