// An analyst's choices in Dissect change only by her hand: unchecking every judge leaves none checked, a judge
// chosen in the demo is still the only one chosen after a visit to another study, groups that study cannot fit
// are neither counted nor fitted, and after a fit the effect strengths show the group just fitted.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import type { StudySummary } from '../preload/contract';
import { callApi, useApp } from './harness';

const app = useApp();
const OTHER = 'Three reviewed pairs';

async function go(view: string) {
  await app.page.goto(`${app.served.url}#/${view}`);
  await app.page.getByTestId(`view-${view}`).waitFor();
}

/** Waits until Dissect has loaded what its choices ask for. */
async function settled() {
  await app.page.getByTestId('dissect-judges').locator('input[data-judge="human"]').waitFor();
  await app.page.waitForFunction(() => !document.querySelector('[data-testid=view-dissect] .view-head .busy'));
  await app.page.waitForTimeout(300);
}

async function checkedJudges(): Promise<string[]> {
  const boxes = await app.page.getByTestId('dissect-judges').locator('input[type=checkbox]').all();
  const out: string[] = [];
  for (const box of boxes) if (await box.isChecked()) out.push((await box.getAttribute('data-judge'))!);
  return out;
}

async function chooseStudy(name: string) {
  const studies = await callApi(app.page, 'studies.list', {});
  await app.page.getByTestId('study-select').selectOption(String(studies.find((s: StudySummary) => s.name === name)!.id));
}

const fitButton = () => app.page.getByTestId('start-fit').innerText();

test('unchecking every judge leaves none checked', async () => {
  await go('dissect');
  await settled();
  await app.page.getByTestId('dissect-judges').getByRole('button', { name: 'None' }).click();
  await settled();
  assert.deepEqual(await checkedJudges(), [], 'no judge came back by itself');
  assert.match(await fitButton(), /^Fit 0 judges/);
});

test('a choice made in one study is the same after a visit to another study and another view', async () => {
  await app.page.getByTestId('dissect-judges').locator('input[data-judge="human"]').check();
  await settled();
  await app.page.locator('[data-testid=fit-group][data-group="Others"]').check();
  await callApi(app.page, 'import.file', { studyName: OTHER, fileName: 'review-round.json', dataBase64: readFileSync('e2e/fixtures/review-round.json').toString('base64') });
  await app.page.reload();
  await app.page.getByTestId('view-dissect').waitFor();
  await settled();
  await chooseStudy(OTHER);
  await settled();
  // Every group of this study has fewer than two pairs: none can be fitted, so none is counted.
  assert.equal(await app.page.locator('[data-testid=fit-group][data-group="Others"]').isDisabled(), true, 'a group without pairs cannot be chosen');
  assert.match(await fitButton(), /on 0 groups/, 'groups checked in the demo are not counted here');
  assert.equal(await app.page.getByTestId('start-fit').isDisabled(), true);
  await go('data');
  await go('dissect');
  await chooseStudy('Demo project');
  await settled();
  await go('compare');
  await go('dissect');
  await settled();
  assert.deepEqual(await checkedJudges(), ['human'], 'the demo keeps the one judge chosen there');
  assert.equal(await app.page.locator('[data-testid=fit-group][data-group="Others"]').isChecked(), true);
  assert.match(await fitButton(), /^Fit 1 judge on 2 groups/, 'Communication (the first choice) and Others');
});

test('after a fit the effect strengths show the group just fitted', async () => {
  assert.equal(await app.page.getByTestId('strength-group').inputValue(), 'Communication');
  await app.page.locator('[data-testid=fit-group][data-group="Communication"]').uncheck();
  for (const [field, value] of Object.entries({ chains: '2', warmup: '100', draws: '100', folds: '1' })) await app.page.getByTestId(`setting-${field}`).fill(value);
  await app.page.getByTestId('start-fit').click();
  await app.page.locator('[data-testid=fit-job][data-state=done]').waitFor({ timeout: 300_000 });
  assert.equal(await app.page.getByTestId('strength-group').inputValue(), 'Others');
  await app.page.locator('[data-testid=strength-cell][data-judge="human"]').first().waitFor();
  assert.equal(await app.page.getByTestId('strengths-empty').count(), 0, 'no "No fit ... yet" after the fit');
});

test("the Explain picker counts the pairs the fit used, not the scenario's unsafe pairs too", async () => {
  const studyId = (await callApi(app.page, 'studies.list', {})).find((s: StudySummary) => s.isDemo)!.id;
  const fit = (await callApi(app.page, 'dissect.fits', { studyId })).find((f) => f.judge === 'human' && f.group === 'Others' && f.status === 'done')!;
  const everything = await callApi(app.page, 'pairs.query', { studyId, scenario: 'Others', annotated: true, offset: 0, limit: 1 });
  assert.ok(everything.total > fit.rows!, `the scenario has ${everything.total} annotated pairs, the fit used ${fit.rows}`);
  await app.page.getByTestId('explain-judge').selectOption('study:human');
  await app.page.getByTestId('explain-scenario').selectOption('Others');
  await app.page.waitForFunction((n) => document.querySelector('[data-testid=explain-position]')?.textContent?.startsWith(`1 of ${n} `), fit.rows);
});
