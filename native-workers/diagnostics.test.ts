// Tier A5: diagnostics against the R package posterior (fixture made by
// fixtures/make-diagnostics-fixture.R) and against analytic known answers.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import {
  autocovariance,
  ebfmi,
  essBulk,
  essMean,
  essTail,
  mcseMean,
  qnorm,
  quantiles,
  rhat,
  summarize,
  summarizeParameter,
} from './diagnostics';
import { Rng } from './rng';
import { N_SAMPLER_COLUMNS } from './nuts';

interface FixtureCase {
  name: string;
  chains: number[][];
  rhat: number;
  ess_bulk: number;
  ess_tail: number;
  ess_mean: number;
  mcse_mean: number;
  q5: number;
  q50: number;
  q95: number;
  ebfmi_chain1: number;
}

const fixture = JSON.parse(
  readFileSync(new URL('./fixtures/diagnostics-posterior.json', import.meta.url), 'utf8'),
) as { source: string; cases: FixtureCase[] };

function close(actual: number, expected: number, rel: number, what: string): void {
  const err = Math.abs(actual - expected) / Math.max(1e-300, Math.abs(expected));
  assert.ok(err <= rel, `${what}: ${actual} vs ${expected} (relative error ${err})`);
}

for (const c of fixture.cases) {
  test(`diagnostics equal posterior 1.4 to 1e-8: ${c.name}`, () => {
    const chains = c.chains.map((x) => Float64Array.from(x));
    close(rhat(chains), c.rhat, 1e-8, 'rhat');
    close(essBulk(chains), c.ess_bulk, 1e-8, 'ess_bulk');
    close(essTail(chains), c.ess_tail, 1e-8, 'ess_tail');
    close(essMean(chains), c.ess_mean, 1e-8, 'ess_mean');
    close(mcseMean(chains), c.mcse_mean, 1e-8, 'mcse_mean');
    const [q5, q50, q95] = quantiles(chains, [0.05, 0.5, 0.95]);
    close(q5, c.q5, 1e-12, 'q5');
    close(q50 === 0 && c.q50 === 0 ? 1 : q50, c.q50 === 0 ? 1 : c.q50, 1e-12, 'q50');
    close(q95, c.q95, 1e-12, 'q95');
    close(ebfmi(chains[0]), c.ebfmi_chain1, 1e-10, 'E-BFMI');
    // summarizeParameter shares one sort between ranks, folded ranks and quantiles (even lengths)
    const p = summarizeParameter(chains, c.name);
    close(p.rhat, c.rhat, 1e-8, 'summary rhat');
    close(p.essBulk, c.ess_bulk, 1e-8, 'summary ess_bulk');
    close(p.essTail, c.ess_tail, 1e-8, 'summary ess_tail');
    close(p.mcseMean, c.mcse_mean, 1e-8, 'summary mcse_mean');
    close(p.q5, c.q5, 1e-12, 'summary q5');
    close(p.q95, c.q95, 1e-12, 'summary q95');
  });
}

test('qnorm matches known quantiles', () => {
  close(qnorm(0.975), 1.959963984540054, 1e-15, 'qnorm(.975)');
  close(qnorm(0.05), -1.6448536269514729, 1e-15, 'qnorm(.05)');
  close(qnorm(1e-10), -6.361340902404056, 1e-14, 'qnorm(1e-10)');
  assert.equal(qnorm(0.5), 0);
});

test('FFT autocovariance equals the direct sum', () => {
  const rng = new Rng(3);
  const x = Float64Array.from({ length: 37 }, () => rng.normal());
  const ac = autocovariance(x);
  const m = x.reduce((a, b) => a + b) / x.length;
  for (const t of [0, 1, 5, 36]) {
    let s = 0;
    for (let i = 0; i + t < x.length; i++) s += (x[i] - m) * (x[i + t] - m);
    close(ac[t], s / x.length, 1e-10, `lag ${t}`);
  }
});

function ar1Chains(rho: number, M: number, N: number, seed: number): Float64Array[] {
  const out: Float64Array[] = [];
  for (let c = 0; c < M; c++) {
    const rng = new Rng(seed, c);
    const x = new Float64Array(N);
    x[0] = rng.normal() / Math.sqrt(1 - rho * rho);
    for (let i = 1; i < N; i++) x[i] = rho * x[i - 1] + rng.normal();
    out.push(x);
  }
  return out;
}

test('AR(1) rho=0.5: ESS ≈ MN (1−ρ)/(1+ρ) = MN/3, R-hat ≈ 1', () => {
  const M = 4, N = 5000;
  const chains = ar1Chains(0.5, M, N, 11);
  const expected = (M * N) / 3;
  // the ESS estimate of an AR(1) has a few percent relative sd at this length
  const bulk = essBulk(chains);
  const mean = essMean(chains);
  assert.ok(Math.abs(bulk / expected - 1) < 0.12, `bulk ESS ${bulk} vs ${expected}`);
  assert.ok(Math.abs(mean / expected - 1) < 0.12, `mean ESS ${mean} vs ${expected}`);
  assert.ok(rhat(chains) < 1.005, `rhat ${rhat(chains)}`);
});

test('R-hat detects chains stuck in different places', () => {
  const chains = ar1Chains(0.5, 4, 500, 12);
  chains[2] = chains[2].map((v) => v + 1.5);
  assert.ok(rhat(chains) > 1.1, `rhat ${rhat(chains)}`);
});

test('iid draws: ESS ≈ MN; antithetic draws give ESS > MN', () => {
  const iid = ar1Chains(0, 4, 2000, 13);
  const e = essBulk(iid);
  assert.ok(Math.abs(e / 8000 - 1) < 0.1, `iid ESS ${e}`);
  const anti = ar1Chains(-0.5, 4, 2000, 14);
  assert.ok(essMean(anti) > 8000 * 1.5, `antithetic ESS ${essMean(anti)}`);
});

test('constant draws give NaN diagnostics, and summarize flags them', () => {
  const chains = [new Float64Array(100).fill(0.3), new Float64Array(100).fill(0.3)];
  assert.ok(Number.isNaN(rhat(chains)));
  assert.ok(Number.isNaN(essBulk(chains)));
  const dim = 1;
  const stride = N_SAMPLER_COLUMNS + dim;
  const data = new Float64Array(2 * 100 * stride);
  for (let i = 0; i < 200; i++) {
    data[i * stride + 6] = i % 7; // energy varies
    data[i * stride + N_SAMPLER_COLUMNS] = 0.3;
  }
  const s = summarize({ chains: 2, draws: 100, dim, data });
  assert.equal(s.flagged, true);
});

test('E-BFMI: iid energies give ≈ 2, a random walk gives ≈ 0', () => {
  const rng = new Rng(5);
  const iid = Float64Array.from({ length: 20000 }, () => rng.normal());
  close(ebfmi(iid), 2, 0.05, 'iid E-BFMI');
  const walk = new Float64Array(20000);
  for (let i = 1; i < walk.length; i++) walk[i] = walk[i - 1] + rng.normal();
  assert.ok(ebfmi(walk) < 0.05);
});
