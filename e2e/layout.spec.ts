// A laptop screen (1280x800): every view fits the window without a page scroll bar (each view scrolls inside
// itself), Dissect's tables show every column without a horizontal scroll bar, and the price table shows the
// models' names whole.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Page } from 'playwright-core';
import { useApp } from './harness';
import { VIEWS } from '../renderer/src/lib/views';

const app = useApp();
let page: Page;

async function go(view: string) {
  await page.goto(`${app.served.url}#/${view}`);
  await page.getByTestId(`view-${view}`).waitFor();
  await page.waitForFunction(() => !document.querySelector('.busy'));
  await page.waitForTimeout(500);
}

test('no view scrolls the page at 1280x800', async () => {
  page = await app.browser.newPage({ viewport: { width: 1280, height: 800 } });
  await page.goto(app.served.url);
  for (const view of VIEWS) {
    await go(view.id);
    const size = await page.evaluate(() => ({
      width: document.documentElement.scrollWidth, height: document.documentElement.scrollHeight,
      bodyWidth: document.body.scrollWidth, bodyHeight: document.body.scrollHeight,
    }));
    assert.ok(size.height <= 800 && size.bodyHeight <= 800, `${view.label} scrolls the page down: ${JSON.stringify(size)}`);
    assert.ok(size.width <= 1280 && size.bodyWidth <= 1280, `${view.label} scrolls the page sideways: ${JSON.stringify(size)}`);
  }
});

test("Dissect's tables show every column at 1280x800, with the paper's judges beside the study's", async () => {
  await go('dissect');
  await page.getByTestId('dissect-paper-judges').locator('summary').click();
  await page.getByTestId('dissect-paper-judges').locator('input[data-judge="gpt-4-1106-preview"]').check();
  await page.getByTestId('strengths-chart').waitFor();
  await page.getByTestId('accuracy').locator('tbody tr').first().waitFor();
  const scrolled = await page.evaluate(() => [...document.querySelectorAll('[data-testid=view-dissect] .table-scroll')]
    .filter((el) => el.scrollWidth > el.clientWidth + 1)
    .map((el) => `${el.closest('section')?.querySelector('h2')?.textContent}: ${el.scrollWidth} > ${el.clientWidth}`));
  assert.deepEqual(scrolled, [], 'no table needs a horizontal scroll bar');
});

test('the price table shows every model name whole at 1280x800', async () => {
  await go('annotate');
  await page.getByTestId('annotate-prices').locator('summary').click();
  const cut = await page.evaluate(() => [...document.querySelectorAll<HTMLInputElement>('[data-testid=annotate-prices] input[aria-label=Model]')]
    .filter((input) => input.scrollWidth > input.clientWidth).map((input) => input.value));
  assert.deepEqual(cut, [], 'no model name is cut off');
});

test("Dissect's groups can all be read and checked at 1280x800: no inner scroll, each group on one line", async () => {
  await go('dissect');
  await page.getByTestId('fit-group').first().waitFor();
  const found = await page.evaluate(() => {
    const box = document.querySelector('.group-choice')!.getBoundingClientRect();
    const rows = [...document.querySelectorAll<HTMLElement>('.group-list li')];
    return {
      groups: rows.length,
      outside: rows.filter((li) => {
        const r = li.getBoundingClientRect();
        return r.left < box.left || r.right > box.right || r.top < box.top || r.bottom > box.bottom;
      }).map((li) => li.textContent),
      scrolled: [...document.querySelectorAll<HTMLElement>('.group-choice, .group-choice *')]
        .filter((el) => el.scrollHeight > el.clientHeight + 1 || el.scrollWidth > el.clientWidth + 1).map((el) => el.className),
      wrapped: rows.filter((li) => {
        const line = parseFloat(getComputedStyle(li).lineHeight);
        return li.getBoundingClientRect().height > 1.6 * (Number.isFinite(line) ? line : 20);
      }).map((li) => li.textContent),
    };
  });
  assert.equal(found.groups, 16, 'the scenarios, Unsafe Queries and the query-specific groups');
  assert.deepEqual(found.outside, [], 'every group inside the box, none hidden');
  assert.deepEqual(found.scrolled, [], 'no inner scroll bar');
  assert.deepEqual(found.wrapped, [], 'each group on one line');
});
