// Every view at 1280x800, light and dark, into docs/screenshots/ (<view>.png and <view>-dark.png) for the README:
// the demo with a quick fit of two judges on Communication, the paper's GPT-4 beside them, a pair explained and
// the source models rated, so that the charts have something to show. Each shot is also a check that the view
// fits the window without a page scroll bar.
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import type { Page } from 'playwright-core';
import type { StudySummary } from '../preload/contract';
import { callApi, useApp } from './harness';
import { VIEWS } from '../renderer/src/lib/views';

const SCREENSHOTS = 'docs/screenshots';
const app = useApp();
let page: Page;
before(() => mkdirSync(SCREENSHOTS, { recursive: true }));

async function go(view: string) {
  await page.goto(`${app.served.url}#/${view}`);
  await page.getByTestId(`view-${view}`).waitFor();
  await page.waitForFunction(() => !document.querySelector('.busy'));
}

/** What the views show in a shot: a view's own choices (paper judge, explained pair, pElo) made once. */
async function prepare(view: string) {
  if (view === 'data') {
    await page.getByTestId('pair-row').first().click();
    await page.getByTestId('pair-detail').waitFor();
  }
  if (view === 'dissect') {
    const paper = page.getByTestId('dissect-paper-judges');
    if (!(await paper.locator('input[data-judge="gpt-4-1106-preview"]').isChecked().catch(() => false))) {
      await paper.locator('summary').click();
      await paper.locator('input[data-judge="gpt-4-1106-preview"]').check();
      await paper.locator('summary').click();
    }
    await page.getByTestId('strengths-chart').waitFor();
    await page.getByTestId('explain-probability').waitFor();
  }
  if (view === 'compare') await page.getByTestId('similarity-chart').waitFor();
}

test('every view at 1280x800, light and dark', async () => {
  page = await app.browser.newPage({ viewport: { width: 1280, height: 800 } });
  page.on('pageerror', (err) => { throw err; });
  await page.goto(app.served.url);
  await page.getByTestId('study-select').waitFor();
  const studyId = (await callApi(page, 'studies.list', {})).find((s: StudySummary) => s.isDemo)!.id;
  const settings = { chains: 2, warmup: 150, draws: 200, folds: 2 };
  for (const judge of ['human', 'gpt-4-1106-preview']) await callApi(page, 'dissect.fit', { studyId, judge, groups: ['Communication'], settings });
  for (let i = 0; i < 1200; i++) {
    const fits = await callApi(page, 'dissect.fits', { studyId });
    if (fits.filter((f) => f.status === 'done').length === 2) break;
    await page.waitForTimeout(250);
  }
  // The guide is shown on first start: the shots show the app as it is used from then on.
  await page.evaluate(() => localStorage.setItem('preference-studio.guide-hidden', 'true'));
  for (const theme of ['light', 'dark']) {
    await page.evaluate((t) => localStorage.setItem('preference-studio.theme', JSON.stringify(t)), theme);
    await page.reload();
    for (const view of VIEWS) {
      await go(view.id);
      await prepare(view.id);
      // Dissect's shot shows its results (the effect strengths), the other views their top.
      await page.evaluate((id) => {
        const view = document.querySelector('.insight-view');
        const strengths = id === 'dissect' ? document.querySelector<HTMLElement>('[data-testid="effect-strengths"]') : null;
        view?.scrollTo(0, strengths ? strengths.offsetTop - 8 : 0);
      }, view.id);
      await page.waitForTimeout(400);
      const height = await page.evaluate(() => document.documentElement.scrollHeight);
      assert.ok(height <= 800, `${view.label} (${theme}) scrolls the page`);
      await page.screenshot({ path: `${SCREENSHOTS}/${view.id}${theme === 'dark' ? '-dark' : ''}.png` });
    }
  }
});
