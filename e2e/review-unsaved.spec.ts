// Nothing the review screen shows as saved is lost when the server goes away. ana reviews with the keyboard; the
// server is killed (SIGKILL) and she gives two more verdicts: they show as not saved, on their items and in a red
// header badge. The server comes back on the same address with the same session: the page sends them, in order,
// and each is stored exactly once. Killed again, restarted with a new session (as `npm start` does): the old page
// cannot send, but the verdicts are kept in the browser and the page opened on the new address sends them, with
// the undo given after them. A verdict the service refuses is given back on its item, and the rest goes on.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import type { Browser, Page } from 'playwright-core';
import { callApi, kill, launchChromium, openApp, portOf, serve, stop, type Served } from './harness';
import type { VerdictChange } from '../preload/contract';

const FIXTURE = 'e2e/fixtures/review-round.json';
const STUDY = 'Unsaved fixture';
/** A session token the first restart keeps, so the open page can carry on. */
const TOKEN = 'e2e0unsaved0token0123456789abcdef';

let served: Served;
let browser: Browser;
let page: Page;
let checkerId: number;

before(async () => {
  served = await serve(undefined, { token: TOKEN });
  browser = await launchChromium();
  page = await openApp(browser, served.url);
});
after(async () => {
  await browser?.close();
  if (served) await stop(served);
});

interface Here { key: string; verdict: string; save: string }

const here = (): Promise<Here | null> => page.evaluate(() => {
  const el = document.querySelector<HTMLElement>('[data-testid="current-item"]');
  return el ? { key: el.dataset.itemKey ?? '', verdict: el.dataset.verdict ?? '', save: el.dataset.save ?? '' } : null;
});

async function waitFor<T>(read: () => Promise<T>, check: (x: T) => boolean, what: string): Promise<T> {
  for (let i = 0; i < 600; i++) {
    const x = await read();
    if (check(x)) return x;
    await page.waitForTimeout(20);
  }
  throw new Error(`timed out waiting for ${what}; at ${JSON.stringify(await read())}`);
}

/** Gives a verdict by key on the item under the cursor and waits for the cursor to move on; returns the item's key. */
async function give(key: string): Promise<string> {
  const h = (await waitFor(here, (x) => x !== null, 'an item under the cursor'))!;
  await page.keyboard.press(key);
  await waitFor(here, (x) => x !== null && x.key !== h.key, `the cursor to move on after "${key}" on ${h.key}`);
  return h.key;
}

const row = (itemKey: string) => page.locator(`[data-testid="review-items"] li[data-item-key="${itemKey}"]`);
const badge = () => page.getByTestId('save-state');
const badgeState = async () => ({ state: (await badge().getAttribute('class'))?.replace('save-state', '').trim(), text: (await badge().innerText()).trim() });
const stored = async (position = 0) => Object.fromEntries((await callApi(page, 'review.pair', { checkerId, position })).verdicts.map((v) => [v.itemKey, v.verdict]));
/** The item the service's next undo takes back (then redone, so nothing changes): the last write stored. */
const undoSteps = async (n: number): Promise<VerdictChange[][]> => {
  const steps: VerdictChange[][] = [];
  for (let i = 0; i < n; i++) steps.push((await callApi(page, 'review.undo', { checkerId })).changes);
  for (let i = 0; i < n; i++) await callApi(page, 'review.redo', { checkerId });
  return steps;
};

async function openReview() {
  await page.getByTestId('study-select').locator('option', { hasText: STUDY }).waitFor({ state: 'attached' });
  await page.getByTestId('study-select').selectOption({ label: STUDY });
  await page.keyboard.press('Alt+3');
  await page.getByTestId('review-as-ana').click();
  await waitFor(here, (x) => x !== null, 'the review to open');
}

test('verdicts given while the server is down show as unsaved, then are saved in order when it is back', async () => {
  await page.getByTestId('pair-row').first().waitFor();
  await callApi(page, 'import.file', { studyName: STUDY, fileName: 'review-round.json', dataBase64: readFileSync(FIXTURE).toString('base64') });
  await page.reload();
  await page.getByTestId('study-select').locator('option', { hasText: STUDY }).waitFor({ state: 'attached' });
  await page.getByTestId('study-select').selectOption({ label: STUDY });
  await page.keyboard.press('Alt+3');
  await page.getByTestId('round-size').fill('3');
  await page.getByTestId('round-checkers').fill('ana');
  await page.getByTestId('create-round').click();
  await page.getByTestId('review-as-ana').click();
  const studyId = (await callApi(page, 'studies.list', {})).find((s) => s.name === STUDY)!.id;
  checkerId = (await callApi(page, 'review.rounds', { studyId }))[0].checkers[0].id;

  const savedBefore = [await give('a'), await give('r'), await give('a')];
  await waitFor(badgeState, (b) => b.state === 'saved', 'the first verdicts to be saved');

  await kill(served);
  const k4 = await give('r');
  const k5 = await give('a');
  const b = await waitFor(badgeState, (x) => x.state === 'unsaved', 'the badge to say verdicts are not saved');
  assert.equal(b.text, '2 unsaved');
  assert.equal(await badge().getAttribute('data-unsaved'), '2');
  assert.match(await page.getByTestId('save-problem').innerText(), /not answering.*2 verdicts not saved yet/);
  // Shown as given, marked unsaved on their items; the cursor moved on to the next item as usual.
  assert.deepEqual([await row(k4).getAttribute('data-verdict'), await row(k4).getAttribute('data-save')], ['reject', 'unsaved']);
  assert.deepEqual([await row(k5).getAttribute('data-verdict'), await row(k5).getAttribute('data-save')], ['approve', 'unsaved']);
  assert.equal(await row(k4).getByTestId('unsaved-mark').innerText(), 'unsaved');
  assert.equal(await row(savedBefore[2]).getAttribute('data-save'), 'saved');
  const cursor = (await here())!;
  assert.equal(cursor.verdict, '', 'the cursor stands on the next undecided item');
  await page.screenshot({ path: 'out/review-unsaved.png' });

  served = await serve(served.dataDir, { port: portOf(served), token: TOKEN });
  await waitFor(badgeState, (x) => x.state === 'saved', 'the page to send the unsaved verdicts once the server is back');
  assert.equal(await badge().innerText(), 'Every verdict saved');
  assert.equal(await page.getByTestId('save-problem').count(), 0);
  assert.equal(await row(k5).getAttribute('data-save'), 'saved');

  const verdicts = await stored();
  assert.deepEqual([savedBefore, k4, k5].flat().map((k) => verdicts[k]), ['approve', 'reject', 'approve', 'reject', 'approve']);
  assert.equal(Object.keys(verdicts).length, 5, 'five verdicts stored, no more');
  // Exactly once and in order: the service's history takes back k5, then k4, then the last verdict before the kill.
  const steps = await undoSteps(3);
  assert.deepEqual(steps.map((c) => c.map((x) => [x.itemKey, x.verdict?.verdict ?? null])), [[[k5, null]], [[k4, null]], [[savedBefore[2], null]]]);
});

test('after a restart with a new session, the page opened on the new address sends the kept verdicts and the undo after them', async () => {
  await kill(served);
  const k6 = await give('r');
  const k7 = await give('r');
  await page.keyboard.press('u');
  await waitFor(badgeState, (x) => x.text === '3 unsaved', 'two verdicts and an undo to wait');
  assert.match(await page.locator('.review-hint').innerText(), /undo is applied when the server answers/);

  // As `npm start` does: the same port, a new token. The old page's session has ended; it says where to go.
  served = await serve(served.dataDir, { port: portOf(served) });
  await waitFor(() => page.getByTestId('save-problem').innerText(), (t) => t.includes('open the address the server printed'), 'the page to say its session ended');
  assert.equal((await badgeState()).text, '3 unsaved');
  assert.deepEqual([await row(k6).getAttribute('data-save'), await row(k7).getAttribute('data-save')], ['unsaved', 'unsaved']);

  await page.goto(served.url);
  // Sent when the page starts, before the review is opened.
  await waitFor(() => page.evaluate(() => Object.keys(localStorage).filter((k) => k.startsWith('preference-studio-unsaved-review:')).length), (n) => n === 0,
    'the kept verdicts to be sent');
  const verdicts = await stored();
  assert.equal(verdicts[k6], 'reject');
  assert.equal(verdicts[k7], undefined, 'the undo given after k7 took it back');
  assert.equal(Object.keys(verdicts).length, 6);
  // k6 once (the service's last step), k7 and its undo in the history after it (a redo gives k7 back).
  const steps = await undoSteps(1);
  assert.deepEqual(steps.map((c) => c.map((x) => [x.itemKey, x.verdict?.verdict ?? null])), [[[k6, null]]]);
  const redo = await callApi(page, 'review.redo', { checkerId });
  assert.deepEqual(redo.changes.map((x) => [x.itemKey, x.verdict?.verdict ?? null]), [[k7, 'reject']], 'the undone k7 is what a redo gives back');
  await callApi(page, 'review.undo', { checkerId });

  await openReview();
  await waitFor(badgeState, (x) => x.state === 'saved', 'the new page to have nothing unsaved');
  assert.equal(await row(k6).getAttribute('data-verdict'), 'reject');
  assert.equal(await row(k7).getAttribute('data-verdict'), '');
});

test('a verdict the service refuses is given back on its item; the verdict after it is saved', async () => {
  const refusal = 'The service does not accept this verdict (a test refusal).';
  let release!: () => void;
  const held = new Promise<void>((resolve) => { release = resolve; });
  let calls = 0;
  await page.route('**/api/review.verdict', async (route) => {
    if (++calls > 1) return route.continue();
    await held;
    await route.fulfill({ contentType: 'application/json', body: JSON.stringify({ ok: false, error: { code: 'INVALID', message: refusal } }) });
  });
  const refused = await give('a');
  const next = await give('r');
  assert.equal(await row(refused).getAttribute('data-save'), 'saving');
  release();

  const back = await waitFor(here, (x) => x?.key === refused, 'the checker to be taken back to the refused item');
  assert.equal(back!.verdict, '', 'the refused verdict is no longer shown as given');
  assert.match(await row(refused).getByTestId('refused-note').innerText(), /^The approval of “.+”.*, pair \d+ was not saved: The service does not accept this verdict \(a test refusal\)\. It is shown as it was; give it again\.$/);
  assert.match(await page.getByTestId('alert-message').first().innerText(), /was not saved: The service does not accept/);
  await waitFor(badgeState, (x) => x.state === 'saved', 'the verdict after it to be saved');
  const verdicts = await stored();
  assert.equal(verdicts[refused], undefined, 'the refused verdict was not stored');
  assert.equal(verdicts[next], 'reject', 'the verdict given after it was stored');
  await page.unroute('**/api/review.verdict');

  // Given again, it is saved and the note goes.
  await give('a');
  await waitFor(badgeState, (x) => x.state === 'saved', 'the verdict given again to be saved');
  assert.equal((await stored())[refused], 'approve');
  assert.equal(await row(refused).getByTestId('refused-note').count(), 0);
});

test('a second page of the same data folder takes over the first page\'s unsaved verdict and sends it once', async () => {
  // This page cannot reach the server (its calls are refused as if it were down); another page can.
  await page.keyboard.press('n');
  await waitFor(() => page.getByTestId('review-position').innerText(), (t) => t.startsWith('Pair 2'), 'the next pair, not reviewed yet');
  await page.route('**/api/review.verdict', (route) => route.abort('connectionrefused'));
  const k = await give('r');
  await waitFor(badgeState, (x) => x.text === '1 unsaved', 'the verdict to wait');

  const second = await page.context().newPage();
  await second.goto(served.url);
  await waitFor(badgeState, (x) => x.state === 'saved', 'the first page to hand its unsaved verdict over');
  assert.match(await page.getByTestId('alert-message').first().innerText(), /Another page of Preference Studio took over a write this page had not saved/);
  await waitFor(() => stored(1), (v) => v[k] === 'reject', 'the second page to store it');
  const steps = await undoSteps(1);
  assert.deepEqual(steps.map((c) => c.map((x) => [x.itemKey, x.verdict?.verdict ?? null])), [[[k, null]]], 'stored once, as the last step');
  await page.unroute('**/api/review.verdict');
  await second.close();
});
