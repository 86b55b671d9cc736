// A quality check as a team does it: a coordinator and two checkers as three app instances, each with its own data
// folder. The coordinator makes each checker's package; each checker opens it in their own app, reviews by keyboard
// and returns the verdicts; the coordinator merges them. Agreement equals what the same verdicts give in one app;
// merging twice, a stale annotation, a return of another round and a damaged file are each caught.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { callApi, launchChromium, openApp, serve, stop, type Served } from './harness';
import { Storage } from '../main/services/storage';
import { DATABASE_FILE } from '../main/services/context';
import type { ReviewRound } from '../preload/contract';

const FIXTURE = 'e2e/fixtures/review-round.json';
const STUDY = 'Team fixture';
const files = mkdtempSync(join(tmpdir(), 'ps-team-files-'));

let browser: Browser;
const apps: Record<'coordinator' | 'ana' | 'ben', { served: Served; page: Page }> = {} as never;

before(async () => {
  browser = await launchChromium();
  for (const name of ['coordinator', 'ana', 'ben'] as const) {
    const served = await serve();
    apps[name] = { served, page: await openApp(browser, served.url) };
  }
});
after(async () => {
  await browser?.close();
  for (const app of Object.values(apps)) if (app?.served) await stop(app.served);
});

async function toReview(page: Page) {
  await page.getByTestId('pair-row').first().waitFor();
  await page.keyboard.press('Alt+3');
  await page.getByTestId('view-review').waitFor();
}

/** Clicks a button that saves a file and keeps the file under `name`. */
async function saveDownload(page: Page, testId: string, name: string): Promise<string> {
  const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId(testId).click()]);
  const path = join(files, name);
  await download.saveAs(path);
  return path;
}

const currentKey = (page: Page) => page.getByTestId('current-item').getAttribute('data-item-key');
const position = (page: Page) => page.getByTestId('review-position').textContent();

/** In every pair: approvals up to the item `reject`, its rejection, then Shift+A for the rest, all by keyboard. */
async function reviewByKeyboard(page: Page, reject: string) {
  await page.getByTestId('current-item').waitFor();
  const pairs = Number((await position(page))!.match(/of (\d+)/)![1]);
  for (let p = 1; p <= pairs; p++) {
    await page.getByTestId('review-position').filter({ hasText: `Pair ${p} of` }).waitFor();
    while ((await currentKey(page)) !== reject) {
      const was = await currentKey(page);
      await page.keyboard.press('a');
      await page.waitForFunction((k) => document.querySelector<HTMLElement>('[data-testid="current-item"]')?.dataset.itemKey !== k, was);
    }
    await page.keyboard.press('r');
    await page.waitForFunction((k) => document.querySelector<HTMLElement>('[data-testid="current-item"]')?.dataset.itemKey !== k, reject);
    await page.keyboard.press('Shift+A');
    if (p < pairs) await page.getByTestId('review-position').filter({ hasText: `Pair ${p + 1} of` }).waitFor();
  }
  await page.waitForSelector('[data-testid="save-state"][data-pending="0"]');
}

const PLAN = { ana: 'basic:A:friendly', ben: 'basic:B:clear' } as const;
let round: ReviewRound;
const returns: Record<string, string> = {};

test('the coordinator packages each share; each checker opens theirs in their own app, reviews by keyboard and returns it', async () => {
  const c = apps.coordinator.page;
  await toReview(c);
  await callApi(c, 'import.file', { studyName: STUDY, fileName: 'review-round.json', dataBase64: readFileSync(FIXTURE).toString('base64') });
  await c.reload();
  await c.getByTestId('study-select').locator('option', { hasText: STUDY }).waitFor({ state: 'attached' });
  await c.getByTestId('study-select').selectOption({ label: STUDY });
  await c.keyboard.press('Alt+3');
  await c.getByTestId('round-size').fill('3');
  await c.getByTestId('round-seed').fill('7');
  await c.getByTestId('round-checkers').fill('ana, ben');
  await c.getByTestId('round-notes').fill('Rate "clear" against the query, not the other response.');
  await c.getByTestId('create-round').click();
  await c.getByTestId('package-ana').waitFor();
  const packages = { ana: await saveDownload(c, 'package-ana', 'ana.json'), ben: await saveDownload(c, 'package-ben', 'ben.json') };
  const studyId = (await callApi(c, 'studies.list', {})).find((s) => s.name === STUDY)!.id;
  round = (await callApi(c, 'review.rounds', { studyId }))[0];

  for (const name of ['ana', 'ben'] as const) {
    const page = apps[name].page;
    await toReview(page);
    await page.getByTestId('open-package').setInputFiles(packages[name]);
    await page.getByTestId('review-position').filter({ hasText: 'Pair 1 of 3' }).waitFor();
    // The guidelines travelled with the package: the item under the cursor's definition and the coordinator's notes.
    await page.getByTestId('round-notes-shown').filter({ hasText: 'Rate "clear" against the query, not the other response.' }).waitFor();
    assert.match(await page.getByTestId('review-guidelines').textContent() ?? '', /3: The response matches the characteristic perfectly\./);
    await reviewByKeyboard(page, PLAN[name]);
    await page.getByRole('button', { name: 'Back to rounds' }).click();
    returns[name] = await saveDownload(page, `return-${name}`, `${name}-return.json`);
    // The package opened as a round of its own, in the checker's own data folder only.
    const own = (await callApi(page, 'studies.list', {})).find((s) => s.name.includes(round.name) && s.name.includes(name))!;
    const opened = (await callApi(page, 'review.rounds', { studyId: own.id }))[0];
    assert.deepEqual([opened.fromPackage?.roundName, opened.notes, opened.checkers[0].decided], [round.name, 'Rate "clear" against the query, not the other response.', 155]);
  }
});

test('merged returns give the agreement the same verdicts give in one app; merging twice changes nothing', async () => {
  const c = apps.coordinator.page;
  for (const name of ['ana', 'ben'] as const) {
    await c.getByTestId('merge-return').setInputFiles(returns[name]);
    await c.getByTestId('team-notice').filter({ hasText: `Merged ${name}'s return: 155 of 155 verdicts changed the round.` }).waitFor();
  }
  const merged = await callApi(c, 'review.agreement', { roundId: round.id });

  // The same verdicts given in the coordinator's own app, in a second round drawn with the same seed.
  const same = await callApi(c, 'review.createRound', { studyId: round.studyId, name: 'One machine', size: 3, strategy: 'random', seed: 7, checkers: ['ana', 'ben'], blind: true });
  for (const checker of same.checkers) {
    for (let p = 0; p < 3; p++) {
      const pair = await callApi(c, 'review.pair', { checkerId: checker.id, position: p });
      await callApi(c, 'review.verdict', { checkerId: checker.id, pairId: pair.pair.id, itemKey: PLAN[checker.name as 'ana'], verdict: 'reject' });
      await callApi(c, 'review.approveRest', { checkerId: checker.id, pairId: pair.pair.id });
    }
  }
  const oneMachine = await callApi(c, 'review.agreement', { roundId: same.id });
  assert.deepEqual(merged.rows, oneMachine.rows);
  assert.deepEqual(merged.kappas, oneMachine.kappas);
  assert.deepEqual(merged.alpha, oneMachine.alpha);
  assert.equal(merged.kappas[0].sharedItems, 155, 'both checkers judged every item');

  await c.getByTestId('merge-return').setInputFiles(returns.ana);
  await c.getByTestId('team-notice').filter({ hasText: "This return of ana was merged before; nothing changed." }).waitFor();
  assert.deepEqual(await callApi(c, 'review.agreement', { roundId: round.id }), merged);
  assert.equal((await callApi(c, 'review.returns', { roundId: round.id })).length, 2);
});

test('a stale annotation is flagged, a return of another round and a damaged file are refused with one sentence and nothing written', async () => {
  const c = apps.coordinator.page;
  // ben changes his mind on his laptop and returns again after the coordinator re-annotated one of the pairs.
  const ben = apps.ben.page;
  const benRound = (await callApi(ben, 'review.rounds', { studyId: (await callApi(ben, 'studies.list', {})).find((s) => s.name.includes('ben'))!.id }))[0];
  const benFirst = await callApi(ben, 'review.pair', { checkerId: benRound.checkers[0].id, position: 0 });
  await callApi(ben, 'review.verdict', { checkerId: benRound.checkers[0].id, pairId: benFirst.pair.id, itemKey: 'basic:A:clear', verdict: 'reject' });
  const second = (await callApi(ben, 'review.makeReturn', { checkerId: benRound.checkers[0].id })).content;

  const coordinatorBen = round.checkers.find((x) => x.name === 'ben')!.id;
  const changedPair = (await callApi(c, 'review.pair', { checkerId: coordinatorBen, position: 0 })).pair;
  // The command line may write beside the running app: the annotation of ben's first pair changes.
  const storage = new Storage(join(apps.coordinator.served.dataDir, DATABASE_FILE));
  const annotation = storage.annotations.annotation(changedPair.id);
  annotation.ratings.clear = { A: 0, B: 0 };
  storage.annotations.writeAnnotation(changedPair.id, annotation);
  storage.close();
  const before = await callApi(c, 'review.agreement', { roundId: round.id });
  const stale = await callApi(c, 'review.mergeReturn', { content: second });
  assert.equal(stale.record.status, 'merged');
  assert.deepEqual(stale.record.stale, [{ pairId: changedPair.id, externalId: changedPair.externalId, verdicts: benFirst.items.length }]);
  assert.equal(stale.record.applied, 0, "the new rejection is on the changed pair: flagged, not applied");
  assert.deepEqual(await callApi(c, 'review.agreement', { roundId: round.id }), before);

  // ana's return merged into ben's app (another data folder, another round) and a damaged file: refused.
  await ben.getByTestId('merge-return').setInputFiles(returns.ana);
  await ben.getByTestId('alert-region').filter({ hasText: `This return is for round "${round.name}", which is not a round of this data folder; merge it where its package was made.` }).waitFor();
  const damaged = join(files, 'damaged.json');
  writeFileSync(damaged, readFileSync(returns.ana, 'utf8').replace('"approve"', '"reject"'));
  const returnsBefore = await callApi(c, 'review.returns', { roundId: round.id });
  await c.getByTestId('merge-return').setInputFiles(damaged);
  await c.getByTestId('alert-region').filter({ hasText: "This checker's return is damaged: its contents do not match its checksum, so nothing was read from it." }).waitFor();
  assert.deepEqual(await callApi(c, 'review.returns', { roundId: round.id }), returnsBefore);
  assert.deepEqual(await callApi(c, 'review.agreement', { roundId: round.id }), before);
});
