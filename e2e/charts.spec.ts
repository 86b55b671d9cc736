// A chart taken away from the app says what it shows: the effect strengths exported as SVG and PNG carry their
// title with the group and the study, the legend's labels sit after their swatches without running into the next
// one, and the axis has even, uncrowded ticks with the 50% line labelled, as on screen.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import type { Download } from 'playwright-core';
import { useApp } from './harness';

const app = useApp();

async function saved(testId: string): Promise<Buffer> {
  const [download] = await Promise.all([app.page.waitForEvent('download') as Promise<Download>, app.page.getByTestId(testId).click()]);
  return readFileSync((await download.path())!);
}

const percent = (text: string) => Number(text.replace('%', ''));

function assertTicks(labels: string[], where: string) {
  assert.ok(labels.includes('50%'), `${where}: the 50% line is labelled (${labels.join(' ')})`);
  const values = labels.map(percent);
  const steps = values.slice(1).map((v, i) => Number((v - values[i]).toFixed(6)));
  assert.equal(new Set(steps).size, 1, `${where}: evenly spaced (${labels.join(' ')})`);
  assert.ok(labels.length <= 7, `${where}: ${labels.length} ticks do not crowd`);
}

test('the effect strengths chart: ticks on screen, and an SVG and a PNG with title, group, study and a readable legend', async () => {
  await app.page.goto(`${app.served.url}#/dissect`);
  const paper = app.page.getByTestId('dissect-paper-judges');
  await paper.locator('summary').click();
  for (const judge of ['gpt-4-1106-preview', 'llama-2-70b-chat', 'yi-6b-chat']) await paper.locator(`input[data-judge="${judge}"]`).check();
  await app.page.getByTestId('strength-group').selectOption('w_constraints');
  const chart = app.page.getByTestId('strengths-chart');
  await chart.waitFor();
  assertTicks(await chart.locator('.recharts-xAxis-tick-labels text').allTextContents(), 'on screen');

  const svg = (await saved('strengths-chart-svg')).toString('utf8');
  // Measured in the browser, as a viewer draws the file.
  const drawn = await app.page.evaluate((text) => {
    const holder = document.createElement('div');
    holder.innerHTML = text;
    document.body.appendChild(holder);
    const root = holder.querySelector('svg')!;
    const legend = [...root.querySelectorAll('.chart-export-legend rect')].map((swatch) => {
      const label = swatch.nextElementSibling!;
      const s = (swatch as SVGGraphicsElement).getBBox();
      const l = (label as SVGGraphicsElement).getBBox();
      return { label: label.textContent, swatchRight: s.x + s.width, labelLeft: l.x, labelRight: l.x + l.width, y: s.y };
    });
    const out = {
      title: root.querySelector('.chart-export-title')?.textContent ?? null,
      ticks: [...root.querySelectorAll('.recharts-xAxis-tick-labels text')].map((t) => t.textContent ?? ''),
      legend,
    };
    holder.remove();
    return out;
  }, svg);
  assert.ok(drawn.title, 'the file has a title');
  assert.match(drawn.title!, /Degree of preference/);
  assert.match(drawn.title!, /With explicit constraints/, 'the group, named as on screen');
  assert.match(drawn.title!, /Demo project/, 'the study');
  assertTicks(drawn.ticks, 'in the SVG');
  assert.deepEqual(drawn.legend.map((e) => e.label), ['gpt-4-1106-preview (paper)', 'llama-2-70b-chat (paper)', 'yi-6b-chat (paper)']);
  drawn.legend.forEach((entry, i) => {
    assert.ok(entry.labelLeft >= entry.swatchRight, `${entry.label} starts after its swatch`);
    const next = drawn.legend[i + 1];
    if (next && next.y === entry.y) assert.ok(entry.labelRight < next.labelLeft - 10 - 2, `${entry.label} ends before the next swatch`);
  });

  const png = await saved('strengths-chart-png');
  assert.equal(png.subarray(1, 4).toString('latin1'), 'PNG');
  const [width, height] = [png.readUInt32BE(16), png.readUInt32BE(20)];
  const box = (await chart.locator('.chart-body').boundingBox())!;
  assert.ok(height / 2 > box.height + 20, `the PNG (${width}x${height}) holds the title and legend rows besides the chart (${box.height} px)`);
});
