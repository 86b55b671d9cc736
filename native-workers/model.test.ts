// Tier A1: the fused logistic kernel against central differences and a naive reference.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { expNeg, LogisticModel, logisticLogDensityNaive, prepareLogisticData, type Target } from './model';
import { LogisticModelWasm, WasmMath, wasmSimdSupported } from './model-wasm';
import { Rng } from './rng';
import { simulateComparisons, PAPER_NONZERO_RATES } from './simulate';

function dataset(n: number, seed: number) {
  const rng = new Rng(seed);
  const alpha = PAPER_NONZERO_RATES.map(() => 0.4 * rng.normal());
  return simulateComparisons(n, PAPER_NONZERO_RATES, alpha, seed);
}

/** Checks a kernel's gradient against central differences at random points away from the prior's kink. */
function checkGradient(model: Target, seed: number): void {
  const K = model.dim;
  const rng = new Rng(seed);
  const q = new Float64Array(K);
  const g = new Float64Array(K);
  const gp = new Float64Array(K);
  for (let trial = 0; trial < 5; trial++) {
    // keep |alpha_k| > 1e-4 so the step never crosses the prior's kink
    for (let k = 0; k < K; k++) {
      const v = 0.5 * rng.normal();
      q[k] = Math.abs(v) < 1e-3 ? 1e-3 : v;
    }
    model.logDensityGradient(q, g);
    for (let k = 0; k < K; k++) {
      const h = 1e-6 * Math.max(1, Math.abs(q[k]));
      const save = q[k];
      q[k] = save + h;
      const up = model.logDensityGradient(q, gp);
      q[k] = save - h;
      const down = model.logDensityGradient(q, gp);
      q[k] = save;
      const fd = (up - down) / (2 * h);
      const rel = Math.abs(fd - g[k]) / Math.max(1, Math.abs(g[k]));
      assert.ok(rel < 1e-6, `k=${k}: analytic ${g[k]} vs numeric ${fd} (rel ${rel})`);
    }
  }
}

test('gradient equals central differences (relative error < 1e-6)', () => {
  const { X, y } = dataset(203, 1); // 203 rows: exercises the zero padding to 204
  checkGradient(new LogisticModel(prepareLogisticData(X, y, 29), 0.1), 2);
});

test('blocked kernel agrees with the naive row loop to 1e-9 (lp and gradient), Int8 and Float64 input', () => {
  const K = 29;
  for (const n of [1, 2, 3, 4, 5, 97, 400]) {
    const { X, y } = dataset(n, 10 + n);
    const blocked8 = new LogisticModel(prepareLogisticData(X, y, K), 0.1);
    const blocked64 = new LogisticModel(prepareLogisticData(Float64Array.from(X), y, K), 0.1);
    const rng = new Rng(n);
    const q = Float64Array.from({ length: K }, () => 2 * rng.normal());
    q[3] = 0; // sign(0) = 0 in the prior gradient
    const g1 = new Float64Array(K);
    const g2 = new Float64Array(K);
    const g3 = new Float64Array(K);
    const lp1 = blocked8.logDensityGradient(q, g1);
    const lp2 = blocked64.logDensityGradient(q, g2);
    const lp3 = logisticLogDensityNaive(X, y, K, 0.1, q, g3);
    assert.ok(Math.abs(lp1 - lp3) <= 1e-9 * Math.max(1, Math.abs(lp3)), `n=${n}: lp ${lp1} vs ${lp3}`);
    assert.equal(lp1, lp2);
    for (let k = 0; k < K; k++) {
      assert.ok(Math.abs(g1[k] - g3[k]) <= 1e-9 * Math.max(1, Math.abs(g3[k])), `n=${n} k=${k}`);
      assert.equal(g1[k], g2[k]);
    }
  }
});

test('softplus stays finite for huge |x . alpha|', () => {
  const K = 2;
  const X = Float64Array.from([1, 1, -1, -1, 1, -1, 0, 0]);
  const y = [1, 0, 1, 1];
  const model = new LogisticModel(prepareLogisticData(X, y, K), 0.1);
  const g = new Float64Array(K);
  const lp = model.logDensityGradient(Float64Array.from([800, 800]), g);
  // row 2 (x = (-1,-1), y = 0) fits perfectly; row 1 (x=(1,1), y=1) too; row 3 eta = 0; row 4 eta = 0
  assert.ok(Number.isFinite(lp), `lp = ${lp}`);
  const expected = -2 * Math.LN2 - 1600 / 0.1;
  assert.ok(Math.abs(lp - expected) < 1e-9, `${lp} vs ${expected}`);
  assert.ok(g.every(Number.isFinite));
});

test('prior only (n = 0): lp = -sum|alpha|/b and the gradient is -sign/b with sign(0)=0', () => {
  const model = new LogisticModel(prepareLogisticData(new Float64Array(0), [], 3), 0.1);
  const g = new Float64Array(3);
  const lp = model.logDensityGradient(Float64Array.from([0.2, -0.5, 0]), g);
  assert.ok(Math.abs(lp - -7) < 1e-12);
  assert.deepEqual(Array.from(g), [-10, 10, 0]);
});

test('labels outside {0,1} are rejected', () => {
  assert.throws(() => prepareLogisticData(new Float64Array(2), [2], 2), /labels must be 0 or 1/);
});

test('expNeg equals Math.exp(-a) to 1e-15 relative over [0, 700], and is 0-safe beyond', () => {
  const rng = new Rng(8);
  let worst = 0;
  for (let i = 0; i < 200000; i++) {
    const a = i < 100000 ? 10 * rng.uniform() : 700 * rng.uniform();
    const e = Math.exp(-a);
    worst = Math.max(worst, Math.abs(expNeg(a) - e) / e);
  }
  assert.ok(worst < 1e-15, `max relative error ${worst}`);
  assert.equal(expNeg(0), 1);
  assert.ok(expNeg(1e6) >= 0 && expNeg(1e6) < 1e-300);
});

test('WASM SIMD kernel agrees with the naive row loop to 1e-9, odd and even K, any n', { skip: !wasmSimdSupported() && 'no WebAssembly SIMD' }, () => {
  for (const K of [29, 2, 1, 8]) {
    for (const n of [1, 3, 4, 7, 401]) {
      const rng = new Rng(100 * K + n);
      const rates = Array.from({ length: K }, () => 0.1 + 0.5 * rng.uniform());
      const alpha = rates.map(() => 0.5 * rng.normal());
      const { X, y } = simulateComparisons(n, rates, alpha, K + n);
      const wasm = new LogisticModelWasm(prepareLogisticData(X, y, K), 0.1);
      const q = Float64Array.from({ length: K }, () => 2 * rng.normal());
      q[0] = 0;
      const g1 = new Float64Array(K);
      const g2 = new Float64Array(K);
      const lp1 = wasm.logDensityGradient(q, g1);
      const lp2 = logisticLogDensityNaive(X, y, K, 0.1, q, g2);
      assert.ok(Math.abs(lp1 - lp2) <= 1e-9 * Math.max(1, Math.abs(lp2)), `K=${K} n=${n}: lp ${lp1} vs ${lp2}`);
      for (let k = 0; k < K; k++) assert.ok(Math.abs(g1[k] - g2[k]) <= 1e-9 * Math.max(1, Math.abs(g2[k])), `K=${K} n=${n} k=${k}`);
    }
  }
});

// ---- the fused WASM SIMD kernel: vectorised exp/log1p, gradient, agreement with the JS kernel ----

const noSimd = !wasmSimdSupported() && 'no WebAssembly SIMD';

test('WASM expNeg equals Math.exp(-a) to 1e-15 relative over [0, 708] (tails, ±700), clamped beyond', { skip: noSimd }, () => {
  const m = new WasmMath(4096);
  const rng = new Rng(21);
  const a = new Float64Array(4096);
  const out = new Float64Array(4096);
  let worst = 0;
  for (let batch = 0; batch < 40; batch++) {
    for (let i = 0; i < a.length; i++) {
      // |x| for x uniform in ±700 and ±1, log-uniform in [1e-300, 708], and exact multiples of ln 2 / 2
      const u = rng.uniform();
      a[i] = batch % 4 === 0 ? Math.abs(1400 * u - 700) : batch % 4 === 1 ? Math.abs(2 * u - 1)
        : batch % 4 === 2 ? Math.exp(Math.log(1e-300) + u * (Math.log(708) - Math.log(1e-300))) : Math.min(708, Math.round(2048 * u) * (Math.LN2 / 2));
    }
    m.expNeg(a, out);
    for (let i = 0; i < a.length; i++) {
      const e = Math.exp(-a[i]);
      worst = Math.max(worst, Math.abs(out[i] - e) / e);
    }
  }
  assert.ok(worst < 1e-15, `max relative error ${worst}`);
  const edges = [0, 5e-324, 1e-300, 1e-16, 0.5 * Math.LN2, 1, 700, 707.9, 708];
  m.expNeg(edges, out);
  for (const [i, x] of edges.entries()) {
    const e = Math.exp(-x);
    assert.ok(Math.abs(out[i] - e) <= 1e-15 * e, `exp(-${x}): ${out[i]} vs ${e}`);
  }
  // beyond 708 the argument is clamped (as in the JS kernel): tiny, positive, finite
  m.expNeg([709, 745, 800, 1e6, Infinity], out);
  for (let i = 0; i < 5; i++) assert.ok(out[i] > 0 && out[i] < 1e-307, `${out[i]}`);
});

test('WASM log1p equals Math.log1p to 1e-15 relative over [0, 1] (tiny t, the sqrt(2) - 1 seam)', { skip: noSimd }, () => {
  const m = new WasmMath(4096);
  const rng = new Rng(22);
  const t = new Float64Array(4096);
  const out = new Float64Array(4096);
  let worst = 0;
  for (let batch = 0; batch < 40; batch++) {
    for (let i = 0; i < t.length; i++) {
      const u = rng.uniform();
      t[i] = batch % 3 === 0 ? u : batch % 3 === 1 ? Math.exp(-745 * u) : Math.SQRT2 - 1 + (u - 0.5) * 1e-6;
    }
    m.log1p(t, out);
    for (let i = 0; i < t.length; i++) {
      const l = Math.log1p(t[i]);
      if (l > 0) worst = Math.max(worst, Math.abs(out[i] - l) / l);
      else assert.equal(out[i], 0);
    }
  }
  assert.ok(worst < 1e-15, `max relative error ${worst}`);
  const edges = [0, 5e-324, 1e-300, 1e-17, 1e-8, Math.SQRT2 - 1, 0.5, 1 - 2 ** -53, 1];
  m.log1p(edges, out);
  for (const [i, x] of edges.entries()) {
    const l = Math.log1p(x);
    assert.ok(Math.abs(out[i] - l) <= 1e-15 * l, `log1p(${x}): ${out[i]} vs ${l}`);
  }
});

test('WASM kernel gradient equals central differences (relative error < 1e-6)', { skip: noSimd }, () => {
  const { X, y } = dataset(203, 1);
  checkGradient(new LogisticModelWasm(prepareLogisticData(X, y, 29), 0.1), 3);
});

test('WASM kernel agrees with the JS kernel to 1e-12 relative (lp and gradient), any n and K', { skip: noSimd }, () => {
  for (const K of [29, 1, 2, 7, 8]) {
    for (const n of [1, 2, 3, 5, 6, 97, 401, 1001]) {
      const rng = new Rng(1000 * K + n);
      const rates = Array.from({ length: K }, () => 0.1 + 0.5 * rng.uniform());
      const alpha = rates.map(() => 0.5 * rng.normal());
      const { X, y } = simulateComparisons(n, rates, alpha, 7 * K + n);
      const data = prepareLogisticData(X, y, K);
      const js = new LogisticModel(data, 0.1);
      const wasm = new LogisticModelWasm(data, 0.1);
      const g1 = new Float64Array(K);
      const g2 = new Float64Array(K);
      // small, posterior-sized and huge coefficients (|eta| up to hundreds: the exp/log tails)
      for (const scale of [0.01, 0.5, 3, 60]) {
        const q = Float64Array.from({ length: K }, () => scale * rng.normal());
        q[0] = 0;
        const lp1 = js.logDensityGradient(q, g1);
        const lp2 = wasm.logDensityGradient(q, g2);
        assert.ok(Math.abs(lp1 - lp2) <= 1e-12 * Math.abs(lp1), `K=${K} n=${n} scale=${scale}: lp ${lp1} vs ${lp2}`);
        // gradient components are sums of n terms of either sign: relative to the largest one
        const gmax = Math.max(1, ...Array.from(g1, Math.abs));
        for (let k = 0; k < K; k++) assert.ok(Math.abs(g1[k] - g2[k]) <= 1e-12 * gmax, `K=${K} n=${n} scale=${scale} k=${k}: ${g1[k]} vs ${g2[k]}`);
      }
    }
  }
});

test('WASM kernel: lp and residuals for |eta| from 0 to 800 match the naive reference', { skip: noSimd }, () => {
  // K = 1, x = +1 or -1, y = 0 or 1: eta = ±q, every branch of softplus/sigmoid in both lanes
  const X = [1, -1, 1, -1, 1, -1];
  const y = [1, 1, 0, 0, 1, 0];
  const wasm = new LogisticModelWasm(prepareLogisticData(X, y, 1), 0.1);
  const js = new LogisticModel(prepareLogisticData(X, y, 1), 0.1);
  const g1 = new Float64Array(1);
  const g2 = new Float64Array(1);
  const g3 = new Float64Array(1);
  for (const a of [0, 1e-12, 0.3, 1, 5, 20, 36, 37, 100, 700, 708, 710, 800]) {
    for (const q of [a, -a]) {
      const lp1 = wasm.logDensityGradient(Float64Array.of(q), g1);
      const lp2 = js.logDensityGradient(Float64Array.of(q), g2);
      const lp3 = logisticLogDensityNaive(X, y, 1, 0.1, [q], g3);
      assert.ok(Number.isFinite(lp1) && Number.isFinite(g1[0]), `q=${q}`);
      assert.ok(Math.abs(lp1 - lp3) <= 1e-13 * Math.max(1, Math.abs(lp3)), `q=${q}: lp ${lp1} vs naive ${lp3}`);
      assert.ok(Math.abs(lp1 - lp2) <= 1e-13 * Math.max(1, Math.abs(lp2)), `q=${q}: lp ${lp1} vs JS ${lp2}`);
      assert.ok(Math.abs(g1[0] - g3[0]) <= 1e-13 * Math.max(1, Math.abs(g3[0])), `q=${q}: grad ${g1[0]} vs naive ${g3[0]}`);
    }
  }
});

test('smoothLogDensityGradient is the density without the prior: full = smooth - sum|q|/b, gradient - sign(q)/b (both kernels)', () => {
  const { X, y } = dataset(203, 4);
  const data = prepareLogisticData(X, y, 29);
  const models = noSimd ? [new LogisticModel(data, 0.2)] : [new LogisticModel(data, 0.2), new LogisticModelWasm(data, 0.2)];
  const rng = new Rng(5);
  for (const model of models) {
    assert.equal(model.laplaceScale, 0.2);
    const q = Float64Array.from({ length: 29 }, () => 0.3 * rng.normal());
    q[3] = 0;
    const gFull = new Float64Array(29), gSmooth = new Float64Array(29);
    const full = model.logDensityGradient(q, gFull);
    const smooth = model.smoothLogDensityGradient(q, gSmooth);
    const prior = q.reduce((s, a) => s - Math.abs(a) / 0.2, 0);
    assert.ok(Math.abs(full - (smooth + prior)) < 1e-9, `${full} vs ${smooth} + ${prior}`);
    for (let k = 0; k < 29; k++) assert.ok(Math.abs(gFull[k] - (gSmooth[k] - Math.sign(q[k]) / 0.2)) < 1e-12, `k=${k}`);
  }
});
