// MAP estimate: optimality (KKT) conditions of the L1-penalised problem, agreement with a 1-D
// grid search, and its speed (reported, not asserted).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mapEstimate } from './map';
import { Rng } from './rng';
import { simulateComparisons, PAPER_NONZERO_RATES } from './simulate';

function kktViolation(X: Int8Array | Float64Array, y: ArrayLike<number>, K: number, a: Float64Array, lambda: number): number {
  const g = new Float64Array(K); // gradient of the negative log-likelihood
  for (let i = 0; i < y.length; i++) {
    let eta = 0;
    for (let k = 0; k < K; k++) eta += X[i * K + k] * a[k];
    const r = 1 / (1 + Math.exp(-eta)) - y[i];
    for (let k = 0; k < K; k++) g[k] += X[i * K + k] * r;
  }
  let worst = 0;
  for (let k = 0; k < K; k++) {
    // a_k != 0: g_k + lambda sign(a_k) = 0;  a_k = 0: |g_k| <= lambda
    const v = a[k] !== 0 ? Math.abs(g[k] + lambda * Math.sign(a[k])) : Math.max(0, Math.abs(g[k]) - lambda);
    worst = Math.max(worst, v);
  }
  return worst;
}

test('MAP satisfies the KKT conditions (n = 1500, K = 29, b = 0.1 and b = 1)', (t) => {
  const rng = new Rng(1);
  const alpha = PAPER_NONZERO_RATES.map(() => 0.5 * rng.normal());
  const { X, y } = simulateComparisons(1500, PAPER_NONZERO_RATES, alpha, 2);
  for (const b of [0.1, 1]) {
    const times: string[] = [];
    let r = mapEstimate(X, y, 29, { priorScale: b });
    for (let rep = 0; rep < 3; rep++) {
      const t0 = performance.now();
      r = mapEstimate(X, y, 29, { priorScale: b });
      times.push((performance.now() - t0).toFixed(1));
    }
    t.diagnostic(`b=${b}: ${times.join(' / ')} ms (after a warm-up call), ${r.iterations} Newton steps, ${r.alpha.filter((v) => v === 0).length} exact zeros`);
    assert.ok(r.converged);
    const v = kktViolation(X, y, 29, r.alpha, 1 / b);
    assert.ok(v < 1e-6, `KKT violation ${v}`);
  }
});

test('MAP with K = 1 equals a fine grid search of the log posterior', () => {
  const rng = new Rng(3);
  const n = 80;
  const X = new Float64Array(n);
  const y = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    X[i] = rng.uniform() < 0.5 ? -1 : 1;
    y[i] = rng.uniform() < 1 / (1 + Math.exp(-0.7 * X[i])) ? 1 : 0;
  }
  const b = 0.5;
  const f = (a: number) => {
    let s = 0;
    for (let i = 0; i < n; i++) {
      const eta = X[i] * a;
      s += Math.log1p(Math.exp(-Math.abs(eta))) + Math.max(eta, 0) - y[i] * eta;
    }
    return s + Math.abs(a) / b;
  };
  let best = 0;
  for (let a = -3; a <= 3; a += 1e-5) if (f(a) < f(best)) best = a;
  const r = mapEstimate(X, y, 1, { priorScale: b });
  assert.ok(Math.abs(r.alpha[0] - best) < 2e-5, `${r.alpha[0]} vs grid ${best}`);
});

test('a strong prior shrinks weak effects to exactly zero', () => {
  const { X, y } = simulateComparisons(300, PAPER_NONZERO_RATES, new Array(29).fill(0), 4);
  const r = mapEstimate(X, y, 29, { priorScale: 0.01 });
  assert.ok(r.alpha.every((v) => v === 0));
});
