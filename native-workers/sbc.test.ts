// Tier D (CI size): simulation-based calibration (Talts et al. 2018; Modrák et al. 2023).
// For each simulation: alpha* ~ Laplace(0, 0.1), y ~ model(alpha*) on a fixed X, one chain of
// NUTS (500 warmup), 990 draws thinned to 99, and the rank of alpha*_k, of the log-likelihood
// and of |alpha| among the draws. A calibrated sampler gives uniform ranks; a 20-bin chi-square
// test per quantity with a Bonferroni-corrected family-wise level of 0.001 checks that. A
// negative control (fitting with the wrong prior scale) must be rejected, so the test can fail.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { shareLogisticData } from './fit';
import { drawStride, N_SAMPLER_COLUMNS } from './nuts';
import { SamplerPool } from './pool';
import { Rng } from './rng';
import { defaultWorkerUrl } from './worker-path';

// simulations run as one-chain tasks on a pool; the ranks are computed as they come back
const pool = new SamplerPool({ workerUrl: defaultWorkerUrl(), size: 2 });
after(() => pool.close());

/** ln Γ(x), Lanczos (g = 7, n = 9). */
function lnGamma(x: number): number {
  const c = [0.99999999999980993, 676.5203681218851, -1259.1392167224028, 771.32342877765313, -176.61502916214059,
    12.507343278686905, -0.13857109526572012, 9.9843695780195716e-6, 1.5056327351493116e-7];
  x -= 1;
  let a = c[0];
  const t = x + 7.5;
  for (let i = 1; i < 9; i++) a += c[i] / (x + i);
  return 0.5 * Math.log(2 * Math.PI) + (x + 0.5) * Math.log(t) - t + Math.log(a);
}

/** Regularised upper incomplete gamma Q(a, x) (series / continued fraction). */
function gammaQ(a: number, x: number): number {
  if (x <= 0) return 1;
  const lead = -x + a * Math.log(x) - lnGamma(a);
  if (x < a + 1) {
    let sum = 1 / a, term = sum;
    for (let n = 1; n < 1000; n++) {
      term *= x / (a + n);
      sum += term;
      if (Math.abs(term) < Math.abs(sum) * 1e-15) break;
    }
    return 1 - sum * Math.exp(lead);
  }
  let b = x + 1 - a, c = 1e300, d = 1 / b, h = d;
  for (let i = 1; i < 1000; i++) {
    const an = -i * (i - a);
    b += 2;
    d = an * d + b;
    if (Math.abs(d) < 1e-300) d = 1e-300;
    c = b + an / c;
    if (Math.abs(c) < 1e-300) c = 1e-300;
    d = 1 / d;
    const del = d * c;
    h *= del;
    if (Math.abs(del - 1) < 1e-15) break;
  }
  return Math.exp(lead) * h;
}

function chiSquarePValue(ranks: number[], maxRank: number, bins: number): { stat: number; p: number } {
  const counts = new Array(bins).fill(0);
  const per = (maxRank + 1) / bins;
  for (const r of ranks) counts[Math.floor(r / per)]++;
  const expected = ranks.length / bins;
  const stat = counts.reduce((s, o) => s + (o - expected) ** 2 / expected, 0);
  return { stat, p: gammaQ((bins - 1) / 2, stat / 2) };
}

test('chi-square p-values: known quantiles of chi2(19)', () => {
  assert.ok(Math.abs(gammaQ(9.5, 30.1435 / 2) - 0.05) < 1e-4);
  assert.ok(Math.abs(gammaQ(9.5, 43.8202 / 2) - 0.001) < 1e-5);
  assert.ok(Math.abs(gammaQ(9.5, 18.3377 / 2) - 0.5) < 1e-4);
});

const K = 4;
const N_ROWS = 100;
const B = 0.1;

async function runSbc(sims: number, fitScale: number, seed: number): Promise<Map<string, number[]>> {
  const rng = new Rng(seed);
  const X = new Float64Array(N_ROWS * K);
  for (let i = 0; i < X.length; i++) X[i] = rng.uniform() < 0.4 ? (rng.uniform() < 0.5 ? -1 : 1) : 0;
  const L = 99, thin = 10, draws = L * thin;
  const stride = drawStride(K);
  const names = [...Array.from({ length: K }, (_, k) => `alpha[${k + 1}]`), 'loglik', '|alpha|'];
  const ranks = new Map<string, number[]>(names.map((n) => [n, new Array<number>(sims)]));
  const loglik = (y: ArrayLike<number>, a: ArrayLike<number>, off: number) => {
    let ll = 0;
    for (let i = 0; i < N_ROWS; i++) {
      let eta = 0;
      for (let k = 0; k < K; k++) eta += X[i * K + k] * a[off + k];
      ll += y[i] * eta - (eta > 0 ? eta + Math.log1p(Math.exp(-eta)) : Math.log1p(Math.exp(eta)));
    }
    return ll;
  };
  const jobs: Promise<void>[] = [];
  for (let s = 0; s < sims; s++) {
    const truth = new Float64Array(K);
    for (let k = 0; k < K; k++) {
      const u = rng.uniform() - 0.5;
      truth[k] = -B * Math.sign(u) * Math.log(1 - 2 * Math.abs(u)); // Laplace(0, B) by inversion
    }
    const y = new Float64Array(N_ROWS);
    for (let i = 0; i < N_ROWS; i++) {
      let eta = 0;
      for (let k = 0; k < K; k++) eta += X[i * K + k] * truth[k];
      y[i] = rng.uniform() < 1 / (1 + Math.exp(-eta)) ? 1 : 0;
    }
    const outBuf = new SharedArrayBuffer(draws * stride * 8);
    const job = pool
      .sample({ data: shareLogisticData(X, y, K), priorScale: fitScale, chains: 1, warmup: 500, draws, seed: seed + s + 1, out: outBuf })
      .then(() => {
        const out = new Float64Array(outBuf);
        const llTruth = loglik(y, truth, 0);
        const normTruth = Math.hypot(...truth);
        const counts = new Array(names.length).fill(0);
        for (let d = 0; d < draws; d += thin) {
          const off = d * stride + N_SAMPLER_COLUMNS;
          for (let k = 0; k < K; k++) if (out[off + k] < truth[k]) counts[k]++;
          if (loglik(y, out, off) < llTruth) counts[K]++;
          let sq = 0;
          for (let k = 0; k < K; k++) sq += out[off + k] ** 2;
          if (Math.sqrt(sq) < normTruth) counts[K + 1]++;
        }
        names.forEach((n, i) => (ranks.get(n)![s] = counts[i]));
      });
    jobs.push(job);
  }
  await Promise.all(jobs);
  return ranks;
}

const FAMILY_ALPHA = 0.001;

test('SBC, CI tier (n=100 rows, K=4, 400 simulations, 1 chain, 99 thinned draws): ranks uniform', async (t) => {
  const ranks = await runSbc(400, B, 101);
  const threshold = FAMILY_ALPHA / ranks.size;
  for (const [name, r] of ranks) {
    const { stat, p } = chiSquarePValue(r, 99, 20);
    t.diagnostic(`${name}: chi2(19) = ${stat.toFixed(1)}, p = ${p.toFixed(3)}`);
    assert.ok(p > threshold, `${name}: chi2 = ${stat.toFixed(1)}, p = ${p.toExponential(2)}`);
  }
});

test('SBC negative control: fitting with b = 0.2 on data simulated with b = 0.1 is rejected', async () => {
  const ranks = await runSbc(400, 0.2, 202);
  const threshold = FAMILY_ALPHA / ranks.size;
  const ps = [...ranks].map(([name, r]) => [name, chiSquarePValue(r, 99, 20).p] as const);
  assert.ok(ps.some(([, p]) => p < threshold), `no quantity rejected: ${ps.map(([n, p]) => `${n} ${p.toExponential(1)}`).join(', ')}`);
});
