// Tier A2-A4 and A6 (in process): integrator, adaptation pieces, RNG streams, reproducibility.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { DualAveraging, VarianceAdapter, WelfordVariance, WindowedSchedule } from './adaptation';
import { LogisticModel, prepareLogisticData, type Target } from './model';
import { drawStride, laplaceFlow, leapfrog, runChain, COL_NLEAPFROG } from './nuts';
import { Rng } from './rng';
import { simulateComparisons, PAPER_NONZERO_RATES } from './simulate';

function logisticTarget(n: number, seed: number): LogisticModel {
  const rng = new Rng(seed);
  const alpha = PAPER_NONZERO_RATES.map(() => 0.3 * rng.normal());
  const { X, y } = simulateComparisons(n, PAPER_NONZERO_RATES, alpha, seed);
  return new LogisticModel(prepareLogisticData(X, y, 29), 0.1);
}

function energy(t: Target, m: Float64Array, q: Float64Array, p: Float64Array): number {
  const g = new Float64Array(t.dim);
  let k = 0;
  for (let i = 0; i < t.dim; i++) k += m[i] * p[i] * p[i];
  return 0.5 * k - t.logDensityGradient(q, g);
}

/**
 * 50 steps of size 0.05 (split with laplaceInvScale > 0), p negated, 50 more: q must come back to
 * q0 within 1e-12 and p to -p0 within pTolerance (relative above 1).
 */
function assertReversible(t: LogisticModel, m: Float64Array, q0: Float64Array, p0: Float64Array, pTolerance: number, laplaceInvScale: number) {
  const q = q0.slice();
  const p = p0.slice();
  const g = new Float64Array(q.length);
  if (laplaceInvScale > 0) t.smoothLogDensityGradient(q, g);
  else t.logDensityGradient(q, g);
  for (let s = 0; s < 50; s++) leapfrog(t, m, q, p, g, 0.05, laplaceInvScale);
  for (let i = 0; i < p.length; i++) p[i] = -p[i];
  for (let s = 0; s < 50; s++) leapfrog(t, m, q, p, g, 0.05, laplaceInvScale);
  for (let i = 0; i < q.length; i++) {
    assert.ok(Math.abs(q[i] - q0[i]) < 1e-12, `q[${i}] off by ${q[i] - q0[i]}`);
    assert.ok(Math.abs(-p[i] - p0[i]) < pTolerance * Math.max(1, Math.abs(p0[i])), `p[${i}]`);
  }
}

/** A paper-like logistic target (n = 300), a random diagonal metric, and q0 ~ N(0, qScale²), p0 ~ N(0, 1/m). */
function phaseStart(qScale: number) {
  const t = logisticTarget(300, 1);
  const rng = new Rng(2);
  const m = Float64Array.from({ length: 29 }, () => 0.01 + 0.02 * rng.uniform());
  const q0 = Float64Array.from({ length: 29 }, () => qScale * rng.normal());
  const p0 = Float64Array.from({ length: 29 }, (_, i) => rng.normal() / Math.sqrt(m[i]));
  return { t, m, q0, p0 };
}

test('leapfrog is reversible to 1e-12 (L steps, negate p, L steps)', () => {
  const { t, m, q0, p0 } = phaseStart(0.2);
  assertReversible(t, m, q0, p0, 1e-12, 0);
});

test('energy error is second order: halving the step shrinks max|dH| 3.5-4.5x', () => {
  // smooth target (no kink): iid Gaussian with different scales
  const scales = [0.5, 1, 2, 3];
  const t: Target = {
    dim: 4,
    logDensityGradient(q, g) {
      let lp = 0;
      for (let i = 0; i < 4; i++) {
        lp -= (0.5 * q[i] * q[i]) / (scales[i] * scales[i]);
        g[i] = -q[i] / (scales[i] * scales[i]);
      }
      return lp;
    },
  };
  const m = new Float64Array(4).fill(1);
  const maxDH = (eps: number) => {
    const q = Float64Array.from([0.3, -1, 2, 1]);
    const p = Float64Array.from([1, 0.5, -0.7, 0.2]);
    const g = new Float64Array(4);
    t.logDensityGradient(q, g);
    const H0 = energy(t, m, q, p);
    let worst = 0;
    const steps = Math.round(1 / eps);
    for (let s = 0; s < steps; s++) {
      leapfrog(t, m, q, p, g, eps);
      worst = Math.max(worst, Math.abs(energy(t, m, q, p) - H0));
    }
    return worst;
  };
  const ratio = maxDH(0.1) / maxDH(0.05);
  assert.ok(ratio > 3.5 && ratio < 4.5, `ratio ${ratio}`);
});

// ---- the split integrator: the Laplace prior moved exactly ------------------------------------

function priorEnergy(q: Float64Array, p: Float64Array, m: Float64Array, b: number): number {
  let h = 0;
  for (let i = 0; i < q.length; i++) h += Math.abs(q[i]) / b + 0.5 * m[i] * p[i] * p[i];
  return h;
}

test('laplaceFlow conserves |q|/b + m p^2/2 to 1e-12, runs backwards to the start, and is what a fine leapfrog converges to', () => {
  const rng = new Rng(5);
  const b = 0.1;
  const dim = 200;
  const m = Float64Array.from({ length: dim }, () => 0.005 + 0.05 * rng.uniform());
  const q0 = Float64Array.from({ length: dim }, (_, i) => (i % 10 === 0 ? 0 : 0.15 * rng.normal()));
  const p0 = Float64Array.from({ length: dim }, (_, i) => (i % 37 === 0 ? 0 : rng.normal() / Math.sqrt(m[i])));
  for (const eps of [0.01, 0.7, 3, 250]) {
    const q = q0.slice();
    const p = p0.slice();
    const H0 = priorEnergy(q, p, m, b);
    laplaceFlow(q, p, m, eps, 1 / b);
    assert.ok(Math.abs(priorEnergy(q, p, m, b) - H0) < 1e-12 * H0, `eps ${eps}: energy`);
    laplaceFlow(q, p, m, -eps, 1 / b);
    for (let i = 0; i < dim; i++) {
      assert.ok(Math.abs(q[i] - q0[i]) < 1e-12, `eps ${eps}: q[${i}] off by ${q[i] - q0[i]}`);
      assert.ok(Math.abs(p[i] - p0[i]) < 1e-9 * Math.max(1, Math.abs(p0[i])), `eps ${eps}: p[${i}] off by ${p[i] - p0[i]}`);
    }
  }
  // Stan's leapfrog on the prior alone, 20,000 steps for time 2: first order at the kink, so
  // agreement to ~1e-3 is what it can give
  const prior: Target = {
    dim,
    logDensityGradient(q, g) {
      let lp = 0;
      for (let i = 0; i < dim; i++) {
        lp -= Math.abs(q[i]) / b;
        g[i] = q[i] > 0 ? -1 / b : q[i] < 0 ? 1 / b : 0;
      }
      return lp;
    },
  };
  const qa = q0.slice(), pa = p0.slice();
  laplaceFlow(qa, pa, m, 2, 1 / b);
  const qb = q0.slice(), pb = p0.slice(), g = new Float64Array(dim);
  prior.logDensityGradient(qb, g);
  for (let s = 0; s < 20000; s++) leapfrog(prior, m, qb, pb, g, 1e-4);
  for (let i = 0; i < dim; i++) assert.ok(Math.abs(qa[i] - qb[i]) < 2e-3, `q[${i}]: exact ${qa[i]}, fine leapfrog ${qb[i]}`);
});

test('split leapfrog is reversible to 1e-12 and second order through the kinks, where Stan\'s leapfrog is first order', () => {
  // start near 0 so every trajectory crosses the prior's kink many times
  const { t, m, q0, p0 } = phaseStart(0.02);
  assertReversible(t, m, q0, p0, 1e-10, 10);
  const maxDH = (eps: number, split: boolean) => {
    const q = q0.slice(), p = p0.slice(), g = new Float64Array(29);
    if (split) t.smoothLogDensityGradient(q, g);
    else t.logDensityGradient(q, g);
    const H0 = energy(t, m, q, p);
    let worst = 0;
    for (let s = 0; s < Math.round(2 / eps); s++) {
      leapfrog(t, m, q, p, g, eps, split ? 10 : 0);
      worst = Math.max(worst, Math.abs(energy(t, m, q, p) - H0));
    }
    return worst;
  };
  const splitRatio = maxDH(0.02, true) / maxDH(0.01, true);
  const stanRatio = maxDH(0.02, false) / maxDH(0.01, false);
  assert.ok(splitRatio > 3.5 && splitRatio < 4.5, `split: halving eps shrank max|dH| ${splitRatio.toFixed(2)}x`);
  assert.ok(stanRatio < 3, `Stan's leapfrog: ${stanRatio.toFixed(2)}x (the kink makes it first order)`);
  assert.ok(maxDH(0.02, true) < maxDH(0.02, false) / 5, 'split energy error far below the leapfrog\'s at the same step');
});

test('on a paper-sized posterior (n = 400, K = 29) the split integrator needs < 1/3 of the leapfrog\'s gradients, and the posterior means agree within 4 MCSE', () => {
  const t = logisticTarget(400, 8);
  const stride = drawStride(29);
  const run = (integrator: 'split' | 'leapfrog') => {
    const draws = 1000;
    const chains = Array.from({ length: 2 }, (_, c) => {
      const out = new Float64Array(draws * stride);
      const r = runChain(t, { warmup: 500, draws, seed: 4, chain: c, integrator }, out);
      return { out, r };
    });
    const mean = new Float64Array(29), sq = new Float64Array(29);
    let leap = 0;
    for (const { out } of chains)
      for (let d = 0; d < draws; d++) {
        leap += out[d * stride + COL_NLEAPFROG];
        for (let k = 0; k < 29; k++) {
          const v = out[d * stride + 7 + k];
          mean[k] += v / (2 * draws);
          sq[k] += (v * v) / (2 * draws);
        }
      }
    const sd = Array.from(mean, (mu, k) => Math.sqrt(sq[k] - mu * mu));
    return { mean, sd, leapPerIteration: leap / (2 * draws), gradients: chains.reduce((s, c) => s + c.r.gradientEvaluations, 0) };
  };
  const split = run('split');
  const stan = run('leapfrog');
  assert.ok(split.gradients < stan.gradients / 3, `gradients: split ${split.gradients}, leapfrog ${stan.gradients}`);
  // 2,000 draws each with ESS well above 500: MCSE <= sd / sqrt(500) on each side
  for (let k = 0; k < 29; k++) {
    const se = Math.hypot(split.sd[k], stan.sd[k]) / Math.sqrt(500);
    assert.ok(Math.abs(split.mean[k] - stan.mean[k]) < 4 * se, `alpha[${k + 1}]: split ${split.mean[k]}, leapfrog ${stan.mean[k]}`);
  }
});

test('windows: 500 warmup -> metric updates after 99, 149, 249, 449', () => {
  assert.deepEqual(WindowedSchedule.updateIterations(500), [99, 149, 249, 449]);
  // 1000 warmup: 75 + 25, 50, 100, 200, then the last window stretched to 949
  assert.deepEqual(WindowedSchedule.updateIterations(1000), [99, 149, 249, 449, 949]);
});

test('windows: warmup 100 -> 15/75/10 (one slow window ending at 89); < 20 -> none', () => {
  const s = new WindowedSchedule(100);
  assert.equal(s.initBuffer, 15);
  assert.equal(s.baseWindow, 75);
  assert.equal(s.termBuffer, 10);
  assert.deepEqual(WindowedSchedule.updateIterations(100), [89]);
  assert.deepEqual(WindowedSchedule.updateIterations(19), []);
  // 150 = 75 + 25 + 50 exactly: a single slow window
  assert.deepEqual(WindowedSchedule.updateIterations(150), [99]);
  assert.deepEqual(WindowedSchedule.updateIterations(20), [17]);
});

test('Welford matches the two-pass variance; the regularised metric is n/(n+5) var + 1e-3*5/(n+5)', () => {
  const rng = new Rng(4);
  const w = new WelfordVariance(3);
  const xs: number[][] = [];
  for (let i = 0; i < 57; i++) {
    const x = [rng.normal() + 1e6, 3 * rng.normal(), rng.uniform()];
    xs.push(x);
    w.add(x);
  }
  const v = new Float64Array(3);
  w.sampleVariance(v);
  for (let j = 0; j < 3; j++) {
    const mean = xs.reduce((a, x) => a + x[j], 0) / xs.length;
    const twoPass = xs.reduce((a, x) => a + (x[j] - mean) ** 2, 0) / (xs.length - 1);
    assert.ok(Math.abs(v[j] - twoPass) < 1e-9 * twoPass, `dim ${j}: ${v[j]} vs ${twoPass}`);
  }

  // through the adapter: the first slow window of a 500-iteration warmup holds iterations 75..99
  const a = new VarianceAdapter(1, 500);
  const m = new Float64Array(1).fill(1);
  const seen: number[] = [];
  let updated = -1;
  for (let it = 0; it < 100; it++) {
    const q = Float64Array.of(rng.normal() * 2);
    if (it >= 75) seen.push(q[0]);
    if (a.learnVariance(m, q)) updated = it;
  }
  assert.equal(updated, 99);
  const n = seen.length;
  const mean = seen.reduce((s, x) => s + x, 0) / n;
  const variance = seen.reduce((s, x) => s + (x - mean) ** 2, 0) / (n - 1);
  const expected = (n / (n + 5)) * variance + 1e-3 * (5 / (n + 5));
  assert.equal(n, 25);
  assert.ok(Math.abs(m[0] - expected) < 1e-12, `${m[0]} vs ${expected}`);
});

test('dual averaging on accept(eps) = exp(-eps) converges to eps = -ln 0.8', () => {
  const da = new DualAveraging(1);
  let eps = 1;
  for (let i = 0; i < 5000; i++) eps = da.learn(Math.exp(-eps));
  const target = -Math.log(0.8);
  assert.ok(Math.abs(da.finalStepSize() - target) < 0.005, `x-bar step ${da.finalStepSize()} vs ${target}`);
  // a target acceptance of 0.9 needs a smaller step
  const da9 = new DualAveraging(1, 0.9);
  eps = 1;
  for (let i = 0; i < 5000; i++) eps = da9.learn(Math.exp(-eps));
  assert.ok(Math.abs(da9.finalStepSize() - -Math.log(0.9)) < 0.005);
});

test('RNG: seeded, jumped streams differ, uniform and normal moments', () => {
  const a = new Rng(42);
  const b = new Rng(42);
  const c = new Rng(42, 1);
  const xa = Array.from({ length: 5 }, () => a.uniform());
  const xb = Array.from({ length: 5 }, () => b.uniform());
  const xc = Array.from({ length: 5 }, () => c.uniform());
  assert.deepEqual(xa, xb);
  assert.notDeepEqual(xa, xc);
  const r = new Rng(7);
  const N = 200000;
  let su = 0, su2 = 0, sn = 0, sn2 = 0, sn4 = 0;
  for (let i = 0; i < N; i++) {
    const u = r.uniform();
    assert.ok(u >= 0 && u < 1);
    su += u;
    su2 += u * u;
    const z = r.normal();
    sn += z;
    sn2 += z * z;
    sn4 += z ** 4;
  }
  assert.ok(Math.abs(su / N - 0.5) < 0.005);
  assert.ok(Math.abs(su2 / N - 1 / 3) < 0.005);
  assert.ok(Math.abs(sn / N) < 0.01);
  assert.ok(Math.abs(sn2 / N - 1) < 0.01);
  assert.ok(Math.abs(sn4 / N - 3) < 0.06);
  // streams 0 and 1 are uncorrelated
  const s0 = new Rng(9, 0), s1 = new Rng(9, 1);
  let cross = 0;
  for (let i = 0; i < N; i++) cross += s0.normal() * s1.normal();
  assert.ok(Math.abs(cross / N) < 0.01);
});

test('same seed and chain -> bit-identical draws; another chain index -> different draws', () => {
  const t = logisticTarget(200, 3);
  const stride = drawStride(29);
  const run = (chain: number) => {
    const out = new Float64Array(100 * stride);
    runChain(t, { warmup: 150, draws: 100, seed: 77, chain }, out);
    return out;
  };
  const a = run(0);
  const b = run(0);
  assert.deepEqual(a, b);
  assert.notDeepEqual(a, run(1));
});

test('sampler columns: stepsize constant after warmup, tree depth and n_leapfrog consistent', () => {
  const t = logisticTarget(200, 5);
  const stride = drawStride(29);
  const out = new Float64Array(300 * stride);
  const r = runChain(t, { warmup: 300, draws: 300, seed: 1, chain: 0 }, out);
  for (let i = 0; i < 300; i++) {
    const b = i * stride;
    assert.equal(out[b + 2], r.stepSize);
    const depth = out[b + 3];
    const nl = out[b + 4];
    // a tree of depth d has at most 2^d - 1 leapfrogs, a rejected last subtree adds fewer than 2^d
    assert.ok(nl >= 2 ** depth - 1 && nl <= 2 ** (depth + 1) - 1, `depth ${depth}, n_leapfrog ${nl}`);
    assert.ok(out[b + 1] >= 0 && out[b + 1] <= 1);
  }
});
