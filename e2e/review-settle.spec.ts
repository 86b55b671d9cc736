// Search and jump inside a round, and settling its disagreements by keyboard, to a third value and in bulk (issue 14):
// ana finds an item by its words, goes to her next undecided item and her next disagreement; the coordinator then
// settles with the keys, and the agreement on screen follows a verdict ben gives meanwhile without a reload.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { callApi, useApp } from './harness';
import type { ReviewPair, ReviewRound } from '../preload/contract';

const STUDY = 'Settle fixture';
const app = useApp();
let round: ReviewRound;
let pairs: ReviewPair[];
/** The rating of "clear" of response B: annotated, ana's and ben's; the one left is neither's. */
let clear: { annotated: string; ana: string; ben: string; third: string };

const current = () => app.page.getByTestId('current-item');
const position = (n: number, of = 3) => app.page.locator('[data-testid="review-position"]', { hasText: `Pair ${n} of ${of}` }).waitFor();
const cursorOn = (key: string) => app.page.locator(`[data-testid="current-item"][data-item-key="${key}"]`).waitFor();

test('ana searches the round by an item\'s words and jumps to it, to her next undecided item and to her next disagreement', async () => {
  await app.page.getByTestId('pair-row').first().waitFor();
  await callApi(app.page, 'import.file', { studyName: STUDY, fileName: 'review-round.json', dataBase64: readFileSync('e2e/fixtures/review-round.json').toString('base64') });
  const studyId = (await callApi(app.page, 'studies.list', {})).find((s) => s.name === STUDY)!.id;
  round = await callApi(app.page, 'review.createRound', { studyId, size: 3, strategy: 'random', seed: 7, checkers: ['ana', 'ben'], blind: false });
  const [ana, ben] = round.checkers.map((c) => c.id);
  pairs = await Promise.all([0, 1, 2].map((position) => callApi(app.page, 'review.pair', { checkerId: ana, position })));
  const first = pairs[0].pair.id;
  const annotated = pairs[0].items.find((i) => i.key === 'basic:B:clear')!.value;
  const [a, b, third] = ['0', '1', '2', '3'].filter((v) => v !== annotated);
  clear = { annotated, ana: a, ben: b, third };
  // On the first pair ana and ben disagree on three items; ben approves the rest of every pair, ana of the first only.
  await callApi(app.page, 'review.verdict', { checkerId: ben, pairId: first, itemKey: 'basic:A:friendly', verdict: 'reject' });
  await callApi(app.page, 'review.verdict', { checkerId: ben, pairId: first, itemKey: 'basic:B:clear', verdict: 'correct', correctedValue: clear.ben });
  for (const p of pairs) await callApi(app.page, 'review.approveRest', { checkerId: ben, pairId: p.pair.id });
  await callApi(app.page, 'review.verdict', { checkerId: ana, pairId: first, itemKey: 'basic:A:polite', verdict: 'reject' });
  await callApi(app.page, 'review.verdict', { checkerId: ana, pairId: first, itemKey: 'basic:B:clear', verdict: 'correct', correctedValue: clear.ana });
  await callApi(app.page, 'review.approveRest', { checkerId: ana, pairId: first, cursor: { position: 1, itemKey: null } });

  await app.page.reload();
  await app.page.getByTestId('study-select').locator('option', { hasText: STUDY }).waitFor({ state: 'attached' });
  await app.page.getByTestId('study-select').selectOption({ label: STUDY });
  await app.page.keyboard.press('Alt+3');
  await app.page.getByTestId('review-as-ana').click();
  await position(2);
  await current().waitFor();

  await app.page.keyboard.press('/');
  await app.page.getByTestId('review-search-text').waitFor();
  await app.page.getByTestId('review-search-kind').selectOption('property');
  await app.page.getByTestId('review-search-text').fill('grammarly correct of response B');
  await app.page.keyboard.press('Enter');
  const hits = app.page.getByTestId('review-search-hit');
  await hits.first().waitFor();
  assert.equal(await hits.count(), 3, 'one per pair');
  // From the cursor on (pair 2): pairs 2, 3, then 1.
  assert.deepEqual((await hits.allInnerTexts()).map((t) => t.split(':')[0]), ['pair 2', 'pair 3', 'pair 1']);
  await hits.nth(1).click();
  await position(3);
  await cursorOn('basic:B:grammarly correct');
  assert.equal(await app.page.getByTestId('review-search').count(), 0, 'the search closes on the jump');

  // The next undecided item: the one after the cursor in pair 3.
  const keys3 = pairs[2].items.map((i) => i.key);
  await app.page.keyboard.press('.');
  await cursorOn(keys3[keys3.indexOf('basic:B:grammarly correct') + 1]);
  // The next disagreement, wrapping round to the first pair.
  await app.page.keyboard.press('d');
  await position(1);
  await cursorOn('basic:A:friendly');
  await app.page.keyboard.press('d');
  await cursorOn('basic:A:polite');
});

test('the coordinator settles with the keys, to a value neither checker gave, and the rest in bulk', async () => {
  await app.page.getByTestId('review-tab-agreement').click();
  const cards = app.page.getByTestId('disagreement');
  await cards.first().waitFor();
  assert.equal(await cards.count(), 3);
  const count = app.page.getByTestId('disagreement-count');
  assert.equal(await count.innerText(), '3 (0 settled)');
  const card = (key: string) => app.page.locator(`[data-testid="disagreement"][data-item-key="${key}"]`);
  // The first has the focus: "1" settles it as ana (the first checker) said.
  assert.equal(await cards.first().getAttribute('aria-current'), 'true');
  await app.page.keyboard.press('1');
  await card('basic:A:friendly').and(app.page.locator('[data-settled="approve"]')).waitFor();
  // Down twice to "clear" of response B; "c" shows the values neither checker gave, its digit settles.
  await app.page.keyboard.press('j');
  await app.page.keyboard.press('j');
  assert.equal(await card('basic:B:clear').getAttribute('aria-current'), 'true');
  await app.page.keyboard.press('c');
  const thirds = card('basic:B:clear').getByTestId('third-values');
  await thirds.waitFor();
  assert.deepEqual((await thirds.locator('button').allInnerTexts()).map((t) => t.trim().split(/\s+/).at(-1)), [clear.third], 'only the value neither checker nor annotation gave');
  await app.page.keyboard.press('1');
  await card('basic:B:clear').getByTestId('settled-as').filter({ hasText: `Settled: correct to ${clear.third}` }).waitFor();
  const stored = (await callApi(app.page, 'review.disagreements', { roundId: round.id })).find((d) => d.item.key === 'basic:B:clear')!;
  assert.deepEqual([stored.adjudication?.verdict, stored.adjudication?.correctedValue], ['correct', clear.third]);
  // "*" selects every unsettled one (polite), Shift+2 settles them as ben (the second checker) said.
  await app.page.keyboard.press('*');
  assert.equal(await card('basic:A:polite').getByTestId('select-disagreement').isChecked(), true);
  assert.equal(await card('basic:A:friendly').getByTestId('select-disagreement').isChecked(), false, 'settled ones are not selected');
  await app.page.keyboard.press('Shift+Digit2');
  await card('basic:A:polite').and(app.page.locator('[data-settled="approve"]')).waitFor();
  await count.filter({ hasText: '3 (3 settled)' }).waitFor();
});

test('agreement on screen follows a verdict given meanwhile, without a reload', async () => {
  const count = app.page.getByTestId('disagreement-count');
  const kappaBefore = await app.page.getByTestId('kappa-ana-ben').innerText();
  // ana's first pair: ben takes back his approval of its first item and rejects it.
  await callApi(app.page, 'review.verdict', { checkerId: round.checkers[1].id, pairId: pairs[0].pair.id, itemKey: pairs[0].items[0].key, verdict: 'reject' });
  await count.filter({ hasText: '4 (3 settled)' }).waitFor();
  assert.notEqual(await app.page.getByTestId('kappa-ana-ben').innerText(), kappaBefore);
});
