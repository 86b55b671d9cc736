// eslint-disable-next-line no-restricted-imports -- unit tests run under Node's own runner
import { test } from 'node:test';
// eslint-disable-next-line no-restricted-imports -- unit tests run under Node's own runner
import assert from 'node:assert/strict';
import { categoryAxisWidth, centredTicks, percentTick, preferenceAxis } from './ticks';

test('degrees of preference: even round steps around 50%, the 50% tick always there, at most three per side', () => {
  // The reach that gave 25/40/55/70/75% before.
  assert.deepEqual(centredTicks(0.5, 0.25, [0, 1]).ticks, [0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8]);
  assert.deepEqual(centredTicks(0.5, 0.1, [0, 1]).ticks, [0.4, 0.45, 0.5, 0.55, 0.6]);
  assert.deepEqual(centredTicks(0.5, 0.23, [0, 1]).ticks, [0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8]);
  assert.deepEqual(centredTicks(0.5, 0.5, [0, 1]).ticks, [0, 0.25, 0.5, 0.75, 1]);
  for (const reach of [0.01, 0.07, 0.13, 0.31, 0.44, 0.5]) {
    const { ticks, domain } = centredTicks(0.5, reach, [0, 1]);
    assert.ok(ticks.includes(0.5), `50% labelled at reach ${reach}`);
    assert.ok(ticks.length <= 7, `${ticks.length} ticks at reach ${reach}`);
    assert.ok(domain[0] <= 0.5 - reach + 1e-9 && domain[1] >= 0.5 + reach - 1e-9, `the domain covers reach ${reach}`);
    const steps = ticks.slice(1).map((t, i) => Number((t - ticks[i]).toFixed(9)));
    assert.equal(new Set(steps).size, 1, `evenly spaced at reach ${reach}: ${ticks}`);
  }
});

test('Elo ratings: hundreds around 1000', () => {
  assert.deepEqual(centredTicks(1000, 230).ticks, [700, 800, 900, 1000, 1100, 1200, 1300]);
  assert.deepEqual(centredTicks(1000, 100).ticks, [900, 950, 1000, 1050, 1100]);
});

test('the axis of effect strengths reaches the farthest value or interval end, at least 5 points, at most 0-100%', () => {
  assert.deepEqual(preferenceAxis([0.41, 0.52, 0.677]), centredTicks(0.5, 0.177, [0, 1]));
  assert.deepEqual(preferenceAxis([0.5, 0.51]).domain, centredTicks(0.5, 0.05, [0, 1]).domain);
  assert.deepEqual(preferenceAxis([0.001, 0.999]).domain, [0, 1]);
  assert.deepEqual([0.475, 0.5, 0.3].map(percentTick), ['47.5%', '50%', '30%']);
});

test("a category axis is as wide as its longest label on one line (the paper's longest judge name did not fit in 190 px)", () => {
  const width = categoryAxisWidth(['yi-6b (paper)', 'mistral-7b-instruct-v0.1 (paper)'], 10);
  assert.ok(width > 190 && width <= 320, String(width));
  assert.equal(categoryAxisWidth(['human'], 10), 120);
  assert.equal(categoryAxisWidth(['x'.repeat(500)], 10), 320);
});
