// The review keys as checkers found them (issue 14): Shift+A approves from the cursor on only, m keeps the cursor,
// c on a yes/no item shows the choice before changing anything, the round says when it is complete, and "Open" from a
// disagreement shows the pair read-only without moving any checker's place.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { callApi, useApp } from './harness';
import type { ReviewRound } from '../preload/contract';

const STUDY = 'Keys fixture';
const app = useApp();
let round: ReviewRound;

const current = () => app.page.getByTestId('current-item');
const currentKey = () => current().getAttribute('data-item-key');
/** Waits until the cursor stands on `key` (the screen moves as soon as a key is pressed). */
async function cursorOn(key: string) {
  await app.page.locator(`[data-testid="current-item"][data-item-key="${key}"]`).waitFor();
}
const saved = () => app.page.waitForSelector('[data-testid="save-state"][data-pending="0"]');
const checker = async (name: string) => (await callApi(app.page, 'review.rounds', { studyId: round.studyId })).find((r) => r.id === round.id)!.checkers.find((c) => c.name === name)!;
const verdictsOf = async (checkerId: number, position: number) =>
  new Map((await callApi(app.page, 'review.pair', { checkerId, position })).verdicts.map((v) => [v.itemKey, v]));

test('Shift+A approves the rest of the pair from the cursor on; items skipped above it stay undecided', async () => {
  await app.page.getByTestId('pair-row').first().waitFor();
  await callApi(app.page, 'import.file', { studyName: STUDY, fileName: 'review-round.json', dataBase64: readFileSync('e2e/fixtures/review-round.json').toString('base64') });
  await app.page.reload();
  await app.page.getByTestId('study-select').locator('option', { hasText: STUDY }).waitFor({ state: 'attached' });
  await app.page.getByTestId('study-select').selectOption({ label: STUDY });
  await app.page.keyboard.press('Alt+3');
  await app.page.getByTestId('round-size').fill('2');
  await app.page.getByTestId('round-seed').fill('7');
  await app.page.getByTestId('round-checkers').fill('ana, ben');
  await app.page.getByTestId('create-round').click();
  await app.page.getByTestId('review-as-ana').click();
  await current().waitFor();
  const first = (await currentKey())!;
  await app.page.keyboard.press('j');
  await app.page.keyboard.press('j');
  const third = await app.page.locator('[data-testid="current-item"]').getAttribute('data-item-key');
  assert.notEqual(third, first);
  const rounds = await callApi(app.page, 'review.rounds', { studyId: (await callApi(app.page, 'studies.list', {})).find((s) => s.name === STUDY)!.id });
  round = rounds.at(-1)!;
  const pair0 = await callApi(app.page, 'review.pair', { checkerId: round.checkers[0].id, position: 0 });
  assert.equal(pair0.items[2].key, third);
  await app.page.keyboard.press('Shift+A');
  await app.page.locator('[data-testid="review-position"]', { hasText: 'Pair 2 of 2' }).waitFor();
  await saved();
  const given = await verdictsOf(round.checkers[0].id, 0);
  assert.equal(given.has(pair0.items[0].key), false, 'the first item, skipped, is still undecided');
  assert.equal(given.has(pair0.items[1].key), false, 'the second item, skipped, is still undecided');
  assert.equal(pair0.items.slice(2).every((i) => given.get(i.key)?.verdict === 'approve'), true, 'every item from the cursor on is approved');
});

test('c on a yes/no item shows the choice and changes nothing until it is made', async () => {
  const key = 'prereq:clear intent';
  await app.page.locator(`[data-testid="item-row"][data-item-key="${key}"]`).click();
  await cursorOn(key);
  await app.page.keyboard.press('c');
  const prompt = app.page.getByTestId('choices-prompt');
  await prompt.waitFor();
  assert.match(await prompt.innerText(), /Correct “(yes|no)” to “(no|yes)”\?/);
  assert.equal(await current().getAttribute('data-verdict'), '', 'nothing is decided while the choice is shown');
  await app.page.keyboard.press('Escape');
  await prompt.waitFor({ state: 'detached' });
  await saved();
  assert.equal((await verdictsOf(round.checkers[0].id, 1)).has(key), false, 'Esc leaves it undecided');
  await app.page.keyboard.press('c');
  await prompt.waitFor();
  await app.page.keyboard.press('Enter');
  await app.page.locator(`[data-item-key="${key}"][data-verdict="correct"]`).waitFor();
  await saved();
  assert.equal((await verdictsOf(round.checkers[0].id, 1)).get(key)?.verdict, 'correct');
});

test('m adds a missed error and keeps the cursor where it was', async () => {
  const key = 'basic:A:clear';
  await app.page.locator(`[data-testid="item-row"][data-item-key="${key}"]`).click();
  await cursorOn(key);
  await app.page.keyboard.press('m');
  await app.page.getByTestId('error-description').waitFor();
  await app.page.keyboard.type('Leaves out the second step');
  await app.page.keyboard.press('Enter');
  await app.page.getByTestId('missed-error').waitFor();
  await saved();
  assert.equal(await currentKey(), key, 'the cursor stays on the item it was on');
  assert.equal((await checker('ana')).itemKey, key, 'and so does the stored place');
});

test('the round says it is complete at 100%, and not before', async () => {
  assert.equal(await app.page.getByTestId('round-complete').count(), 0);
  // The rest of the second pair, then the two skipped items of the first.
  await app.page.locator('[data-testid="item-row"], [data-testid="current-item"]').first().click();
  await app.page.keyboard.press('Shift+A');
  await saved();
  assert.equal(await app.page.getByTestId('round-complete').count(), 0, 'two items of the first pair are still open');
  await app.page.keyboard.press('p');
  await app.page.locator('[data-testid="review-position"]', { hasText: 'Pair 1 of 2' }).waitFor();
  await app.page.keyboard.press('Shift+A');
  await app.page.getByTestId('round-complete').waitFor();
  const ana = await checker('ana');
  assert.equal(ana.decided, ana.total);
});

test('Open from a disagreement shows the pair read-only and moves no checker\'s place', async () => {
  const ben = round.checkers[1].id;
  const pair = await callApi(app.page, 'review.pair', { checkerId: ben, position: 0 });
  await callApi(app.page, 'review.verdict', { checkerId: ben, pairId: pair.pair.id, itemKey: pair.items[5].key, verdict: 'reject', cursor: { position: 1, itemKey: null } });
  const before = { ana: await checker('ana'), ben: await checker('ben') };
  await app.page.getByTestId('review-tab-agreement').click();
  const card = app.page.getByTestId('disagreement').first();
  await card.waitFor();
  await card.getByTestId('open-disagreement').click();
  const opened = app.page.getByTestId('opened-pair');
  await opened.waitFor();
  assert.equal(await opened.getAttribute('data-read-only'), 'true');
  assert.equal(await opened.locator('[aria-current="true"]').getAttribute('data-item-key'), pair.items[5].key);
  assert.equal(await opened.locator('button:has-text("Approve"), [data-testid="current-item"]').count(), 0, 'no checker controls in it');
  const after = { ana: await checker('ana'), ben: await checker('ben') };
  assert.deepEqual([after.ana.position, after.ana.itemKey, after.ben.position, after.ben.itemKey], [before.ana.position, before.ana.itemKey, before.ben.position, before.ben.itemKey]);
  await app.page.keyboard.press('Escape');
  await opened.waitFor({ state: 'detached' });
});
