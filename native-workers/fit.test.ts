// fitLogistic / crossFit mechanics, degree of preference, and prior-scale selection.
// (Recovery of the published weights is in recovery.test.ts.)
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { crossFit, fitLogistic, foldAssignment, heldOutScores } from './fit';
import { SamplerPool } from './pool';
import { Rng } from './rng';
import { simulateComparisons, PAPER_NONZERO_RATES } from './simulate';
import { defaultWorkerUrl } from './worker-path';

const K = 29;
const pool = new SamplerPool({ workerUrl: defaultWorkerUrl(), size: 2 });
after(() => pool.close());

function data(n: number, seed: number, scale = 0.3) {
  const rng = new Rng(seed);
  const alpha = PAPER_NONZERO_RATES.map(() => scale * rng.normal());
  return { alpha, ...simulateComparisons(n, PAPER_NONZERO_RATES, alpha, seed) };
}

test('fold assignment: a seeded partition of all rows into near-equal parts', () => {
  const parts = foldAssignment(103, 10, 5);
  const all = parts.flatMap((p) => Array.from(p)).sort((a, b) => a - b);
  assert.deepEqual(all, Array.from({ length: 103 }, (_, i) => i));
  for (const p of parts) assert.ok(p.length === 10 || p.length === 11);
  assert.deepEqual(foldAssignment(103, 10, 5), parts);
  assert.notDeepEqual(foldAssignment(103, 10, 6), parts);
});

test('fitLogistic returns draws, a summary per parameter, and sigma(alpha) with a 90% interval', async () => {
  const { X, y } = data(300, 1);
  const names = Array.from({ length: K }, (_, k) => `p${k}`);
  const fit = await fitLogistic({ X, y, K, chains: 2, warmup: 200, draws: 300, pool, names });
  assert.equal(fit.summary.parameters.length, K);
  assert.equal(fit.summary.parameters[3].name, 'p3');
  for (const [k, p] of fit.summary.parameters.entries()) {
    assert.ok(p.q5 < p.q50 && p.q50 < p.q95);
    assert.ok(Math.abs(p.mean - fit.posteriorMean[k]) < 1e-12);
    const d = fit.degreeOfPreference[k];
    assert.ok(d.q5 < d.value && d.value < d.q95, `${d.q5} ${d.value} ${d.q95}`);
    assert.ok(Math.abs(d.value - 1 / (1 + Math.exp(-p.mean))) < 1e-12);
  }
  assert.equal(typeof fit.summary.flagged, 'boolean');
  assert.equal(fit.summary.ebfmi.length, 2);
  assert.ok(fit.summary.stepSize > 0);
});

test('crossFit: alpha is the mean of the fold posterior means; accuracy is the mean held-out accuracy', async () => {
  const { X, y } = data(240, 2);
  const r = await crossFit({ X, y, K, folds: 4, chains: 2, warmup: 150, draws: 150, pool, keepDraws: true });
  assert.equal(r.folds.length, 4);
  for (let k = 0; k < K; k++) {
    const m = r.folds.reduce((s, f) => s + f.posteriorMean[k], 0) / 4;
    assert.ok(Math.abs(m - r.alpha[k]) < 1e-12);
  }
  const parts = foldAssignment(240, 4, 20240521);
  let acc = 0;
  for (const f of r.folds) {
    assert.equal(f.trainSize + f.testSize, 240);
    const rows = parts[f.fold];
    const Xt = new Float64Array(rows.length * K);
    const yt = new Float64Array(rows.length);
    rows.forEach((row, j) => {
      for (let k = 0; k < K; k++) Xt[j * K + k] = X[row * K + k];
      yt[j] = y[row];
    });
    const s = heldOutScores(Xt, yt, K, f.posteriorMean);
    assert.equal(s.accuracy, f.heldOutAccuracy);
    acc += s.accuracy / 4;
    assert.ok(f.draws && f.draws.chains === 2);
  }
  assert.ok(Math.abs(acc - r.accuracy) < 1e-12);
  assert.ok(r.accuracy > 0.5 && r.accuracy < 1);
});

test('crossFit is reproducible: same seeds, same result in process and through the pool', async () => {
  const { X, y } = data(120, 3);
  const opts = { X, y, K, folds: 3, chains: 2, warmup: 100, draws: 100, seed: 4 };
  const a = await crossFit(opts);
  const b = await crossFit({ ...opts, pool });
  assert.deepEqual(Array.from(a.alpha), Array.from(b.alpha));
});

test('prior scale chosen on the held-out part: strong effects pick the wide prior', async () => {
  // true weights ~ N(0, 1.5^2): a Laplace(0, 0.02) prior shrinks them far too much
  const { X, y } = data(400, 5, 1.5);
  const r = await crossFit({ X, y, K, folds: 3, chains: 2, warmup: 150, draws: 150, pool, priorScaleGrid: [0.02, 1] });
  for (const f of r.folds) {
    assert.equal(f.priorScale, 1, `fold ${f.fold}: held-out log-lik ${f.gridLogLik}`);
    assert.ok(f.gridLogLik![1] > f.gridLogLik![0]);
  }
});

test('prior scale chosen on the held-out part: pure noise picks the narrow prior', async () => {
  const { X, y } = data(400, 6, 0);
  const r = await crossFit({ X, y, K, folds: 3, chains: 2, warmup: 150, draws: 150, pool, priorScaleGrid: [0.02, 1] });
  assert.ok(r.folds.filter((f) => f.priorScale === 0.02).length >= 2, JSON.stringify(r.folds.map((f) => f.gridLogLik)));
});

test('an aborted signal rejects fitLogistic in process', async () => {
  const { X, y } = data(100, 7);
  const ac = new AbortController();
  ac.abort();
  await assert.rejects(fitLogistic({ X, y, K, signal: ac.signal }), (e: Error) => e.name === 'AbortError');
});

test('a property that never differs is drawn exactly from its prior; the others get the draws of a fit without that column', async () => {
  const { X, y } = data(300, 4);
  const b = 0.1;
  // column 2 of X all zero; Xn is X without it
  const Xz = Float64Array.from(X);
  const Xn = new Float64Array(300 * (K - 1));
  for (let i = 0; i < 300; i++) {
    Xz[i * K + 2] = 0;
    for (let k = 0, j = 0; k < K; k++) if (k !== 2) Xn[i * (K - 1) + j++] = X[i * K + k];
  }
  const settings = { y, chains: 4, warmup: 200, draws: 1000, seed: 9, priorScale: b };
  const withZero = await fitLogistic({ ...settings, X: Xz, K, pool });
  const without = await fitLogistic({ ...settings, X: Xn, K: K - 1, pool });
  const col = (fit: typeof withZero, k: number) => Array.from({ length: 4000 }, (_, i) => fit.draws.data[i * (7 + fit.draws.dim) + 7 + k]);
  for (let k = 0, j = 0; k < K; k++) {
    if (k === 2) continue;
    assert.deepEqual(col(withZero, k), col(without, j++), `alpha[${k + 1}] draws`);
  }
  // independent Laplace(0, b) draws: mean 0 and E[a^2] = 2 b^2 within 4 standard errors, R-hat ~ 1
  const a = col(withZero, 2);
  const mean = a.reduce((s, v) => s + v, 0) / a.length;
  const second = a.reduce((s, v) => s + v * v, 0) / a.length;
  assert.ok(Math.abs(mean) < (4 * Math.SQRT2 * b) / Math.sqrt(a.length), `mean ${mean}`);
  assert.ok(Math.abs(second - 2 * b * b) < (4 * Math.sqrt(20 * b ** 4)) / Math.sqrt(a.length), `E[a^2] ${second}`);
  const p = withZero.summary.parameters[2];
  assert.ok(p.rhat < 1.005 && p.essBulk > 3000, `R-hat ${p.rhat}, bulk-ESS ${p.essBulk}`);
  // lp__ adds the prior terms of the drawn weight
  for (let i = 0; i < 4000; i += 397) {
    const lpWith = withZero.draws.data[i * (7 + K)];
    const lpWithout = without.draws.data[i * (7 + K - 1)];
    assert.ok(Math.abs(lpWith - (lpWithout - Math.abs(a[i]) / b)) < 1e-9, `lp__ of draw ${i}`);
  }
});
