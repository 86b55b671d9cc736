// A newcomer's first minutes: the guide through the workflow waits in the navigation, "?" shows the keys of the
// view she is in (and nothing behind the overlay reacts to them), the guide can be hidden for good; the dark theme
// is switched on once, kept after a reload, and every view and chart follows it.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { useApp } from './harness';
import { VIEWS } from '../renderer/src/lib/views';

const app = useApp();

async function go(view: string) {
  await app.page.goto(`${app.served.url}#/${view}`);
  await app.page.getByTestId(`view-${view}`).waitFor();
}

async function pressOnPage(key: string) {
  await app.page.locator('body').click({ position: { x: 5, y: 300 } });
  await app.page.keyboard.press(key);
}

/** Relative luminance of a CSS rgb() colour, 0 (black) to 1 (white). */
function luminance(css: string): number {
  const [r, g, b] = css.match(/[\d.]+/g)!.slice(0, 3).map(Number);
  return (0.2126 * r + 0.7152 * g + 0.0722 * b) / 255;
}

test('"?" shows the keys of the current view and the workflow; Esc closes it; the view behind gets no keys', async () => {
  await go('data');
  await app.page.getByTestId('guide-card').waitFor();
  assert.match(await app.page.getByTestId('guide-card').innerText(), /Import[\s\S]*Annotate[\s\S]*Check[\s\S]*Dissect[\s\S]*Export/);
  const overlay = app.page.getByTestId('help-overlay');
  await pressOnPage('?');
  await overlay.waitFor();
  assert.match(await overlay.innerText(), /Keys in Data[\s\S]*search pairs/);
  assert.match(await overlay.innerText(), /From pairs to insight/);
  await app.page.keyboard.press('Escape');
  await overlay.waitFor({ state: 'hidden' });

  await go('dissect');
  await app.page.getByTestId('dissect-judges').locator('input[data-judge="human"]').waitFor();
  await pressOnPage('?');
  await overlay.waitFor();
  assert.match(await overlay.innerText(), /Keys in Dissect[\s\S]*fit the chosen judges/);
  await app.page.keyboard.press('f');
  await app.page.waitForTimeout(500);
  assert.equal(await app.page.getByTestId('fit-job').count(), 0, '"f" under the overlay started no fit');
  await app.page.getByTestId('help-close').click();
  await overlay.waitFor({ state: 'hidden' });
  await app.page.getByTestId('help-open').click();
  await overlay.waitFor();
  await app.page.keyboard.press('Escape');
  await overlay.waitFor({ state: 'hidden' });
});

test('the first-run guide is hidden for good, and can be brought back from help', async () => {
  await app.page.getByTestId('guide-hide').click();
  await app.page.getByTestId('guide-card').waitFor({ state: 'detached' });
  await app.page.reload();
  await app.page.getByTestId('view-dissect').waitFor();
  await app.page.waitForTimeout(500);
  assert.equal(await app.page.getByTestId('guide-card').count(), 0, 'still hidden after a reload');
  await pressOnPage('?');
  const shown = app.page.getByTestId('guide-shown');
  assert.equal(await shown.isChecked(), false);
  await shown.check();
  await app.page.keyboard.press('Escape');
  await app.page.getByTestId('guide-card').waitFor();
});

test('the dark theme: switched on once, kept after a reload, followed by every view and by the charts', async () => {
  await go('data');
  const theme = () => app.page.evaluate(() => document.documentElement.dataset.theme);
  assert.equal(await theme(), 'light');
  await app.page.getByTestId('theme-toggle').click();
  assert.equal(await theme(), 'dark');
  await app.page.reload();
  await app.page.getByTestId('view-data').waitFor();
  assert.equal(await theme(), 'dark', 'kept after a reload');
  for (const view of VIEWS) {
    await go(view.id);
    const colours = await app.page.evaluate(() => {
      const panels = [...document.querySelectorAll('.panel, .pairs-section, .round-card, table')].slice(0, 20);
      return {
        body: getComputedStyle(document.body).backgroundColor,
        text: getComputedStyle(document.body).color,
        panels: panels.map((p) => getComputedStyle(p).backgroundColor).filter((c) => c !== 'rgba(0, 0, 0, 0)'),
      };
    });
    assert.ok(luminance(colours.body) < 0.2, `${view.label}: dark background (${colours.body})`);
    assert.ok(luminance(colours.text) > 0.7, `${view.label}: light text (${colours.text})`);
    for (const panel of colours.panels) assert.ok(luminance(panel) < 0.25, `${view.label}: a panel stays light (${panel})`);
  }
  await go('dissect');
  await app.page.getByTestId('dissect-paper-judges').locator('summary').click();
  await app.page.getByTestId('dissect-paper-judges').locator('input[data-judge="gpt-4-1106-preview"]').check();
  const tick = app.page.getByTestId('strengths-chart').locator('.recharts-xAxis-tick-labels text').first();
  await tick.waitFor();
  assert.ok(luminance(await tick.evaluate((t) => getComputedStyle(t).fill)) > 0.5, 'the chart\'s axis labels are light on dark');
  await app.page.getByTestId('theme-toggle').click();
  assert.equal(await theme(), 'light');
  // Settings is where the theme (and the guide) are changed too.
  await go('settings');
  await app.page.getByTestId('settings-theme').selectOption('dark');
  assert.equal(await theme(), 'dark');
  await app.page.reload();
  await app.page.getByTestId('view-settings').waitFor();
  assert.equal(await app.page.getByTestId('settings-theme').inputValue(), 'dark');
  await app.page.getByTestId('settings-theme').selectOption('light');
  assert.equal(await theme(), 'light');
});
