// npm run bench:review — with 100,000 annotated pairs in the database, how long from a keystroke in the review
// screen to the next item showing, measured in Chromium (median over 200 keystrokes), and to the verdict being on
// disk. A script, not a test. Needs a build (npx electron-vite build) and /usr/bin/chromium (or CHROMIUM_PATH).
// Usage: tsx scripts/bench-review.ts [pairs] [keystrokes]
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { Storage } from '../main/services/storage';
import { DATABASE_FILE } from '../main/services/studio';
import { buildDemoBatch } from '../main/services/data/demo';
import { createRound } from '../main/services/review/review';
import { launchChromium, openApp, serve, stop } from '../e2e/harness';

const PAIRS = Number(process.argv[2] ?? 100_000);
const KEYSTROKES = Number(process.argv[3] ?? 200);
const STUDY = 'Review bench';
/** Simulated pairs per chunk: the demo generator's groups (10 scenarios and Unsafe Queries) times this. */
const PER_GROUP_PER_CHUNK = 1000;

const dataDir = mkdtempSync(join(tmpdir(), 'ps-bench-review-'));
const seconds = (since: number) => ((performance.now() - since) / 1000).toFixed(1);

/** The demo's annotated pairs (Table 9 rates, labels from the paper's weights), renamed so that chunks do not collide. */
function fill(storage: Storage): number {
  let inserted = 0;
  for (let chunk = 0; inserted < PAIRS; chunk++) {
    const batch = buildDemoBatch({ seed: 1000 + chunk, pairsPerGroup: PER_GROUP_PER_CHUNK });
    batch.pairs = batch.pairs.filter((p) => p.simulated).slice(0, PAIRS - inserted)
      .map((p) => ({ ...p, externalId: `${chunk}-${p.externalId}` }));
    inserted += storage.studies.insertBatch({ name: STUDY }, batch, { fileName: `bench-${chunk}`, sha256: `bench-${chunk}` }).kept;
  }
  return inserted;
}

// In the page: a keydown starts the clock; it stops when the item under the cursor has changed in the DOM ("shown":
// React's commit), after the next frame ("painted"), and when no verdict is left unsaved ("saved"). Plain JavaScript
// in a string, so the TypeScript compiler's helpers never reach the page.
const INSTRUMENT = `(() => {
  const bench = window.bench = { shown: [], painted: [], saved: [], crossed: [] };
  let start = 0, from = '', waitingShown = false, waitingSaved = false;
  const where = () => {
    const el = document.querySelector('[data-testid="current-item"]');
    return (document.querySelector('[data-testid="review-position"]')?.textContent ?? '') + '|' + (el?.dataset.itemKey ?? '');
  };
  window.addEventListener('keydown', () => {
    start = performance.now();
    from = where();
    waitingShown = true;
    waitingSaved = true;
  }, true);
  new MutationObserver(() => {
    if (waitingShown && where() !== from) {
      waitingShown = false;
      bench.shown.push(performance.now() - start);
      bench.crossed.push(where().split('|')[0] !== from.split('|')[0]);
      requestAnimationFrame(() => setTimeout(() => bench.painted.push(performance.now() - start), 0));
    }
    if (waitingSaved && !waitingShown && document.querySelector('[data-testid="save-state"]')?.getAttribute('data-pending') === '0') {
      waitingSaved = false;
      bench.saved.push(performance.now() - start);
    }
  }).observe(document.body, { subtree: true, childList: true, attributes: true, attributeFilter: ['data-testid', 'data-item-key', 'data-pending'] });
})()`;

const quantile = (sorted: number[], q: number) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))];
function describe(name: string, times: number[]) {
  const sorted = [...times].sort((a, b) => a - b);
  console.log(`${name}: median ${quantile(sorted, 0.5).toFixed(1)} ms, p90 ${quantile(sorted, 0.9).toFixed(1)} ms, max ${sorted.at(-1)!.toFixed(1)} ms (n = ${times.length})`);
  return quantile(sorted, 0.5);
}

try {
  let t = performance.now();
  const storage = new Storage(join(dataDir, DATABASE_FILE));
  const pairs = fill(storage);
  const studyId = storage.studies.studyIdByName(STUDY)!;
  console.log(`inserted ${pairs.toLocaleString('en-US')} annotated pairs through Storage.insertBatch in ${seconds(t)} s`);
  t = performance.now();
  const round = createRound(storage, { studyId, size: 50, strategy: 'stratified', seed: 1, checkers: ['bench'], blind: true, includeSimulated: true });
  console.log(`drew a stratified round of ${round.pairCount} pairs (${round.itemCount.toLocaleString('en-US')} items) in ${seconds(t)} s`);
  storage.close();

  const served = await serve(dataDir);
  const browser = await launchChromium();
  try {
    const page = await openApp(browser, served.url);
    await page.getByTestId('study-select').locator('option', { hasText: STUDY }).waitFor({ state: 'attached' });
    await page.getByTestId('study-select').selectOption({ label: STUDY });
    await page.keyboard.press('Alt+3');
    await page.getByTestId('review-as-bench').click();
    await page.getByTestId('current-item').waitFor();
    await page.evaluate(INSTRUMENT);
    for (let i = 1; i <= KEYSTROKES; i++) {
      await page.keyboard.press('a');
      await page.waitForFunction((n) => {
        const b = (window as unknown as { bench: { painted: number[]; saved: number[] } }).bench;
        return b.painted.length >= n && b.saved.length >= n;
      }, i);
    }
    const bench = await page.evaluate(() => (window as unknown as { bench: { shown: number[]; painted: number[]; saved: number[]; crossed: boolean[] } }).bench);
    const decided = await page.getByTestId('review-decided').getAttribute('data-decided');
    console.log(`${KEYSTROKES} approvals with "a" in Chromium; ${bench.crossed.filter(Boolean).length} of them moved on to the next pair; ${decided} verdicts stored`);
    const median = describe('keystroke -> next item in the DOM', bench.shown);
    describe('keystroke -> next item painted (next frame)', bench.painted);
    describe('keystroke -> verdict saved (write acknowledged)', bench.saved);
    const crossing = bench.shown.filter((_, i) => bench.crossed[i]);
    if (crossing.length) describe('  of which onto the next pair', crossing);
    console.log(`target: next item within 50 ms (median): ${median <= 50 ? 'met' : 'NOT met'}`);
  } finally {
    await browser.close();
    await stop(served);
  }
} finally {
  rmSync(dataDir, { recursive: true, force: true });
}
