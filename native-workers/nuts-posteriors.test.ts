// Tier B: NUTS against posteriors with known answers. Tolerances are z-scores against the
// Monte Carlo standard errors that the diagnostics estimate, so these checks fail on a biased
// sampler and pass on a correct one with probability ~1 - 1e-4 per quantity.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { essMean, mcseMean, mcseQuantile, parameterChains, quantiles, type Chains } from './diagnostics';
import { fitLogistic } from './fit';
import type { Target } from './model';
import { drawStride, N_SAMPLER_COLUMNS, runChain, COL_DIVERGENT } from './nuts';
import { Rng } from './rng';

function mapChains(ch: Chains, f: (v: number) => number): Chains {
  return ch.map((c) => c.map(f));
}
function poolMean(ch: Chains): number {
  let s = 0, n = 0;
  for (const c of ch) {
    for (const v of c) s += v;
    n += c.length;
  }
  return s / n;
}
/** z-score of a Monte Carlo estimate of E[f] against the exact value. */
function zOf(ch: Chains, exact: number): number {
  return (poolMean(ch) - exact) / mcseMean(ch);
}

test('prior only (n = 0) reproduces Laplace(0, 0.1): mean 0, sd 0.1414, P(|a| < 0.1) = 0.632', async () => {
  const b = 0.1;
  const fit = await fitLogistic({ X: new Float64Array(0), y: [], K: 3, priorScale: b, seed: 3 });
  assert.equal(fit.summary.divergences, 0);
  for (let k = 0; k < 3; k++) {
    const ch = parameterChains(fit.draws, k);
    const zMean = zOf(ch, 0);
    const zSecond = zOf(mapChains(ch, (v) => v * v), 2 * b * b); // sd = sqrt(2) b = 0.1414
    const zInside = zOf(mapChains(ch, (v) => (Math.abs(v) < 0.1 ? 1 : 0)), 1 - Math.exp(-1));
    for (const [what, z] of [['mean', zMean], ['E[a^2]', zSecond], ['P(|a|<0.1)', zInside]] as const) {
      assert.ok(Math.abs(z) < 4, `alpha[${k}] ${what}: z = ${z.toFixed(2)}`);
    }
  }
});

// ---- logistic posteriors by grid quadrature --------------------------------------------------

function logPost(X: number[][], y: number[], b: number, a: number[]): number {
  let lp = 0;
  for (let i = 0; i < y.length; i++) {
    let eta = 0;
    for (let k = 0; k < a.length; k++) eta += X[i][k] * a[k];
    const sp = eta > 0 ? eta + Math.log1p(Math.exp(-eta)) : Math.log1p(Math.exp(eta));
    lp += y[i] * eta - sp;
  }
  for (const v of a) lp -= Math.abs(v) / b;
  return lp;
}

function simulate(n: number, alpha: number[], seed: number) {
  const rng = new Rng(seed);
  const X: number[][] = [];
  const y: number[] = [];
  for (let i = 0; i < n; i++) {
    const x = alpha.map((): number => (rng.uniform() < 0.6 ? (rng.uniform() < 0.5 ? -1 : 1) : 0));
    const eta = x.reduce((s, v, k) => s + v * alpha[k], 0);
    X.push(x);
    y.push(rng.uniform() < 1 / (1 + Math.exp(-eta)) ? 1 : 0);
  }
  return { X, y, flat: Float64Array.from(X.flat()) };
}

/** Marginal moments and quantiles of a K <= 2 posterior on a regular grid. */
function gridMarginals(X: number[][], y: number[], b: number, K: number, lo: number, hi: number, m: number) {
  const h = (hi - lo) / (m - 1);
  const pts = Array.from({ length: m }, (_, i) => lo + i * h);
  const marg = Array.from({ length: K }, () => new Float64Array(m));
  let max = -Infinity;
  const lps: number[] = [];
  if (K === 1) {
    for (let i = 0; i < m; i++) lps.push(logPost(X, y, b, [pts[i]]));
  } else {
    for (let i = 0; i < m; i++) for (let j = 0; j < m; j++) lps.push(logPost(X, y, b, [pts[i], pts[j]]));
  }
  for (const v of lps) max = Math.max(max, v);
  if (K === 1) {
    for (let i = 0; i < m; i++) marg[0][i] = Math.exp(lps[i] - max);
  } else {
    for (let i = 0; i < m; i++)
      for (let j = 0; j < m; j++) {
        const w = Math.exp(lps[i * m + j] - max);
        marg[0][i] += w;
        marg[1][j] += w;
      }
  }
  return marg.map((w) => {
    const total = w.reduce((s, v) => s + v, 0);
    let mean = 0, second = 0;
    for (let i = 0; i < m; i++) {
      mean += (w[i] / total) * pts[i];
      second += (w[i] / total) * pts[i] * pts[i];
    }
    // quantiles from the piecewise-linear CDF through cell midpoints
    const q = (p: number) => {
      let c = 0;
      for (let i = 0; i < m; i++) {
        const next = c + w[i] / total;
        if (next >= p) return pts[i] - h / 2 + (h * (p - c)) / (w[i] / total);
        c = next;
      }
      return hi;
    };
    return { mean, second, q5: q(0.05), q50: q(0.5), q95: q(0.95) };
  });
}

async function compareWithGrid(K: number, n: number, alpha: number[], b: number, seed: number, m: number, integrator?: 'split' | 'leapfrog') {
  const { X, y, flat } = simulate(n, alpha, seed);
  const exact = gridMarginals(X, y, b, K, -4, 4, m);
  const fit = await fitLogistic({ X: flat, y, K, priorScale: b, seed, nuts: { integrator } });
  assert.equal(fit.summary.divergences, 0, 'divergences');
  for (let k = 0; k < K; k++) {
    const ch = parameterChains(fit.draws, k);
    const e = exact[k];
    const zs: [string, number][] = [
      ['mean', zOf(ch, e.mean)],
      ['E[a^2]', zOf(mapChains(ch, (v) => v * v), e.second)],
    ];
    const [q5, q50, q95] = quantiles(ch, [0.05, 0.5, 0.95]);
    zs.push(['q5', (q5 - e.q5) / mcseQuantile(ch, 0.05)]);
    zs.push(['q50', (q50 - e.q50) / mcseQuantile(ch, 0.5)]);
    zs.push(['q95', (q95 - e.q95) / mcseQuantile(ch, 0.95)]);
    for (const [what, z] of zs) assert.ok(Math.abs(z) < 4, `K=${K} b=${b} alpha[${k}] ${what}: z = ${z.toFixed(2)}`);
  }
}

test('K=1 logistic posterior (b = 1) matches grid quadrature: mean, E[a^2], 5/50/95% within 4 MCSE', async () => {
  await compareWithGrid(1, 40, [0.8], 1, 21, 16001);
});

test('K=1 logistic posterior with the paper prior (b = 0.1, mass at the kink) matches quadrature', async () => {
  await compareWithGrid(1, 60, [0.3], 0.1, 22, 32001);
});

test('the same with Stan\'s leapfrog on the whole gradient (integrator: leapfrog)', async () => {
  await compareWithGrid(1, 60, [0.3], 0.1, 22, 32001, 'leapfrog');
});

test('K=2 logistic posterior (b = 0.5) matches 2-D grid quadrature', async () => {
  await compareWithGrid(2, 50, [0.9, -0.4], 0.5, 23, 801);
});

// ---- Gaussian targets through the generic Target interface ------------------------------------

function gaussian(scales: number[]): Target {
  const inv = scales.map((s) => 1 / (s * s));
  return {
    dim: scales.length,
    logDensityGradient(q, g) {
      let lp = 0;
      for (let i = 0; i < inv.length; i++) {
        g[i] = -q[i] * inv[i];
        lp -= 0.5 * q[i] * q[i] * inv[i];
      }
      return lp;
    },
  };
}

function runGaussian(scales: number[], seed: number, draws = 1000) {
  const target = gaussian(scales);
  const dim = scales.length;
  const stride = drawStride(dim);
  const chains = 4;
  const data = new Float64Array(chains * draws * stride);
  const metrics: Float64Array[] = [];
  for (let c = 0; c < chains; c++) {
    const r = runChain(target, { warmup: 500, draws, seed, chain: c }, data, c * draws * stride);
    metrics.push(r.invMetric);
  }
  return { draws: { chains, draws, dim, data }, metrics, stride };
}

/**
 * @param metricTol per-dimension tolerance on the chain-averaged adapted metric. One chain's
 * last slow window (200 draws) estimates a variance with ~16% relative sd here, ~8% averaged
 * over 4 chains, so 100 dimensions need ±35% per dimension; the average over dimensions is
 * held to ±5%.
 */
function checkGaussian(scales: number[], seed: number, metricTol: number) {
  const { draws, metrics, stride } = runGaussian(scales, seed);
  let divergences = 0;
  for (let i = 0; i < draws.chains * draws.draws; i++) divergences += draws.data[i * stride + COL_DIVERGENT];
  assert.equal(divergences, 0);
  const zs: number[] = [];
  let ratioSum = 0;
  for (let k = 0; k < scales.length; k++) {
    const ch = parameterChains(draws, k);
    const s2 = scales[k] * scales[k];
    zs.push(zOf(ch, 0));
    zs.push(zOf(mapChains(ch, (v) => v * v), s2));
    // adapted inverse metric (averaged over chains) against the true variance
    const m = metrics.reduce((s, x) => s + x[k], 0) / metrics.length;
    assert.ok(Math.abs(m / s2 - 1) < metricTol, `dim ${k}: metric ${m} vs variance ${s2}`);
    ratioSum += m / s2;
  }
  assert.ok(Math.abs(ratioSum / scales.length - 1) < 0.05, `mean metric/variance ${ratioSum / scales.length}`);
  const maxZ = Math.max(...zs.map(Math.abs));
  const meanZ2 = zs.reduce((s, z) => s + z * z, 0) / zs.length;
  // max over 2*dim z-scores, and their spread: both too-wide and too-narrow MCSEs fail
  assert.ok(maxZ < 4.5, `max |z| = ${maxZ}`);
  assert.ok(meanZ2 > 0.4 && meanZ2 < 1.8, `mean z^2 = ${meanZ2}`);
  return draws;
}

test('100-d iid standard normal: moments within MCSE, adapted metric within 35% per dim and 5% on average, no divergences', () => {
  checkGaussian(new Array(100).fill(1), 31, 0.35);
});

test('diagonal Gaussian with scales 1e-2 .. 1e2: moments within MCSE, metric within 20% of each variance', () => {
  const scales = Array.from({ length: 9 }, (_, i) => 10 ** (-2 + i / 2));
  const draws = checkGaussian(scales, 32, 0.2);
  // with the adapted metric every direction mixes: ESS of the widest and narrowest alike
  const first = essMean(parameterChains(draws, 0));
  const last = essMean(parameterChains(draws, 8));
  assert.ok(first > 1000 && last > 1000, `ESS ${first}, ${last}`);
  assert.ok(N_SAMPLER_COLUMNS === 7);
});
