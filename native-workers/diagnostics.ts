// Convergence diagnostics, written to give the same numbers as the R package posterior 1.4
// (rhat, ess_bulk, ess_tail, mcse_mean, quantile2) and rstan 2.21's check_energy (E-BFMI).
// Vehtari, Gelman, Simpson, Carpenter & Bürkner (2021), doi:10.1214/20-BA1221.
//
// A quantity is given as one Float64Array of draws per chain (all chains the same length).

import {
  COL_DIVERGENT,
  COL_ENERGY,
  COL_STEPSIZE,
  COL_TREEDEPTH,
  COL_ACCEPT,
  COL_NLEAPFROG,
  N_SAMPLER_COLUMNS,
} from './nuts';

export type Chains = Float64Array[];

// ---------------------------------------------------------------------------------------------
// Small numeric helpers

/** Inverse standard normal CDF, Wichura's AS241 (PPND16), as R's qnorm: ~1e-16 relative. */
export function qnorm(p: number): number {
  if (p <= 0) return p === 0 ? -Infinity : NaN;
  if (p >= 1) return p === 1 ? Infinity : NaN;
  const q = p - 0.5;
  if (Math.abs(q) <= 0.425) {
    const r = 0.180625 - q * q;
    return (
      (q *
        (((((((r * 2509.0809287301227 + 33430.57558358813) * r + 67265.7709270087) * r +
          45921.95393154987) * r + 13731.69376550946) * r + 1971.5909503065513) * r +
          133.14166789178438) * r + 3.3871328727963665)) /
      (((((((r * 5226.495278852546 + 28729.085735721943) * r + 39307.89580009271) * r +
        21213.794301586597) * r + 5394.196021424751) * r + 687.1870074920579) * r +
        42.31333070160091) * r + 1)
    );
  }
  let r = q < 0 ? p : 1 - p;
  r = Math.sqrt(-Math.log(r));
  let val: number;
  if (r <= 5) {
    r -= 1.6;
    val =
      (((((((r * 0.0007745450142783414 + 0.022723844989269184) * r + 0.2417807251774506) * r +
        1.2704582524523684) * r + 3.6478483247632045) * r + 5.769497221460691) * r +
        4.630337846156546) * r + 1.4234371107496835) /
      (((((((r * 1.0507500716444169e-9 + 0.0005475938084995345) * r + 0.015198666563616457) * r +
        0.14810397642748008) * r + 0.6897673349851) * r + 1.6763848301838038) * r +
        2.053191626637759) * r + 1);
  } else {
    r -= 5;
    val =
      (((((((r * 2.0103343992922881e-7 + 0.000027115555687434876) * r + 0.0012426609473880784) * r +
        0.026532189526576124) * r + 0.29656057182850487) * r + 1.7848265399172913) * r +
        5.463784911164114) * r + 6.657904643501103) /
      (((((((r * 2.0442631033899397e-15 + 1.421511758316446e-7) * r + 0.000018463183175100548) * r +
        0.0007868691311456133) * r + 0.014875361290850615) * r + 0.1369298809227358) * r +
        0.599832206555888) * r + 1);
  }
  return q < 0 ? -val : val;
}

function mean(x: ArrayLike<number>): number {
  let s = 0;
  for (let i = 0; i < x.length; i++) s += x[i];
  return s / x.length;
}

/** Sample variance (n - 1), two-pass. */
function variance(x: ArrayLike<number>): number {
  const m = mean(x);
  let s = 0;
  for (let i = 0; i < x.length; i++) s += (x[i] - m) * (x[i] - m);
  return s / (x.length - 1);
}

function pool(chains: Chains): Float64Array {
  const n = chains.length === 0 ? 0 : chains[0].length;
  const out = new Float64Array(chains.length * n);
  for (let c = 0; c < chains.length; c++) out.set(chains[c], c * n);
  return out;
}

/** R's quantile(type = 7) of sorted values. */
export function quantileSorted(sorted: ArrayLike<number>, p: number): number {
  const n = sorted.length;
  if (n === 0) return NaN;
  const h = (n - 1) * p;
  const lo = Math.floor(h);
  const hi = Math.min(lo + 1, n - 1);
  return sorted[lo] + (h - lo) * (sorted[hi] - sorted[lo]);
}

/** Quantiles (type 7) of the pooled draws. */
export function quantiles(chains: Chains, probs: number[]): number[] {
  const s = pool(chains).sort();
  return probs.map((p) => quantileSorted(s, p));
}

function isConstant(x: Float64Array): boolean {
  let lo = Infinity, hi = -Infinity;
  for (let i = 0; i < x.length; i++) {
    if (x[i] < lo) lo = x[i];
    if (x[i] > hi) hi = x[i];
  }
  return Math.abs(hi - lo) < 2.220446049250313e-16;
}

/** posterior's should_return_NA: any NaN or infinite value, or constant draws. */
function shouldReturnNA(chains: Chains): boolean {
  const all = pool(chains);
  for (let i = 0; i < all.length; i++) if (!Number.isFinite(all[i])) return true;
  return isConstant(all);
}

// ---------------------------------------------------------------------------------------------
// Transforms

/** Each chain cut in two halves; with an odd length the middle draw is dropped. */
export function splitChains(chains: Chains): Chains {
  const n = chains[0].length;
  if (n === 1) return chains;
  const half = Math.floor(n / 2);
  const second = Math.ceil(n / 2 + 1) - 1; // 0-based start of the second half
  const out: Chains = [];
  for (const c of chains) {
    out.push(c.slice(0, half));
    out.push(c.slice(second, n));
  }
  return out;
}

/**
 * Pooled ranks, ties averaged (R's rank(ties.method = 'average')), 1-based. The order comes from
 * an LSD radix sort of the doubles' bits (made order-preserving: negative values have all bits
 * inverted, others the sign bit set), so every value gets its position without a comparator sort
 * or a binary search: ~4x faster at 6,000 draws, and the summaries of a 10-fold refit run it
 * 580 times. -0 and +0 end up adjacent and count as a tie, as in R.
 */
function averageRanks(x: Float64Array, order = radixOrder(x)): Float64Array {
  const n = x.length;
  const r = new Float64Array(n);
  for (let i = 0; i < n; ) {
    const v = x[order[i]];
    let j = i;
    while (j + 1 < n && x[order[j + 1]] === v) j++;
    const rank = (i + j) / 2 + 1;
    for (let m = i; m <= j; m++) r[order[m]] = rank;
    i = j + 1;
  }
  return r;
}

const digitCounts = new Uint32Array(2048);

/** Indices of x in ascending order (stable; NaN-free input). */
function radixOrder(x: Float64Array): Uint32Array {
  const n = x.length;
  const bits = new Uint32Array(x.buffer, x.byteOffset, 2 * n); // (low, high) words, little-endian
  const key = new Uint32Array(2 * n);
  for (let i = 0; i < 2 * n; i += 2) {
    const lo = bits[i], hi = bits[i + 1];
    if (hi & 0x80000000) {
      key[i] = ~lo >>> 0;
      key[i + 1] = ~hi >>> 0;
    } else {
      key[i] = lo;
      key[i + 1] = (hi | 0x80000000) >>> 0;
    }
  }
  let idx = new Uint32Array(n);
  let tmp = new Uint32Array(n);
  for (let i = 0; i < n; i++) idx[i] = i;
  // six passes of 11-bit digits, low word first; a pass whose digit is the same everywhere is skipped
  for (let pass = 0; pass < 6; pass++) {
    const word = pass < 3 ? 0 : 1;
    const shift = (pass % 3) * 11;
    const counts = digitCounts.fill(0);
    for (let i = 0; i < n; i++) counts[(key[2 * i + word] >>> shift) & 0x7ff]++;
    if (n === 0 || counts[(key[word] >>> shift) & 0x7ff] === n) continue;
    let sum = 0;
    for (let b = 0; b < 2048; b++) {
      const c = counts[b];
      counts[b] = sum;
      sum += c;
    }
    for (let i = 0; i < n; i++) {
      const j = idx[i];
      tmp[counts[(key[2 * j + word] >>> shift) & 0x7ff]++] = j;
    }
    const swap = idx;
    idx = tmp;
    tmp = swap;
  }
  return idx;
}

/** Rank normalisation z = Φ⁻¹((r − 3/8)/(S + 1/4)) over all chains pooled (posterior::z_scale). */
export function zScale(chains: Chains): Chains {
  const all = pool(chains);
  return normalScores(averageRanks(all), chains.length, chains[0].length);
}

/** Blom's normal scores of pooled ranks, cut back into `m` chains of `n` draws. */
function normalScores(r: Float64Array, m: number, n: number): Chains {
  const S = r.length;
  const zInt = normalScoresOfRanks(S);
  const out: Chains = [];
  for (let c = 0; c < m; c++) {
    const z = new Float64Array(n);
    for (let i = 0; i < n; i++) {
      const rank = r[c * n + i];
      const whole = rank | 0;
      // ties give half-integer ranks, computed directly; whole ranks come from the table
      z[i] = whole === rank ? zInt[whole - 1] : qnorm((rank - 3 / 8) / (S - 2 * (3 / 8) + 1));
    }
    out.push(z);
  }
  return out;
}

const normalScoresCache = new Map<number, Float64Array>();

/** Blom's normal scores qnorm((r − 3/8)/(S + 1/4)) of the ranks r = 1..S, computed once per S (every fit of the same size shares them). */
function normalScoresOfRanks(S: number): Float64Array {
  let t = normalScoresCache.get(S);
  if (!t) {
    t = new Float64Array(S);
    for (let r = 1; r <= S; r++) t[r - 1] = qnorm((r - 3 / 8) / (S - 2 * (3 / 8) + 1));
    if (normalScoresCache.size > 16) normalScoresCache.clear();
    normalScoresCache.set(S, t);
  }
  return t;
}

function median(chains: Chains): number {
  return quantileSorted(pool(chains).sort(), 0.5);
}

/** |x − median(x)| (posterior::fold_draws). */
export function foldDraws(chains: Chains, med = median(chains)): Chains {
  return chains.map((c) => {
    const out = new Float64Array(c.length);
    for (let i = 0; i < c.length; i++) out[i] = Math.abs(c[i] - med);
    return out;
  });
}

// ---------------------------------------------------------------------------------------------
// FFT autocovariance

const fftCache = new Map<number, { cos: Float64Array; sin: Float64Array; rev: Uint32Array }>();

function fftTables(n: number) {
  let t = fftCache.get(n);
  if (t) return t;
  const cos = new Float64Array(n / 2);
  const sin = new Float64Array(n / 2);
  for (let i = 0; i < n / 2; i++) {
    cos[i] = Math.cos((2 * Math.PI * i) / n);
    sin[i] = Math.sin((2 * Math.PI * i) / n);
  }
  const bits = Math.log2(n);
  const rev = new Uint32Array(n);
  for (let i = 0; i < n; i++) {
    let r = 0;
    for (let b = 0; b < bits; b++) r |= ((i >>> b) & 1) << (bits - 1 - b);
    rev[i] = r;
  }
  t = { cos, sin, rev };
  fftCache.set(n, t);
  return t;
}

/** In-place radix-2 FFT; `inverse` flips the sign of the exponent (no 1/n scaling). */
function fft(re: Float64Array, im: Float64Array, inverse: boolean): void {
  const n = re.length;
  const { cos, sin, rev } = fftTables(n);
  for (let i = 0; i < n; i++) {
    const j = rev[i];
    if (j > i) {
      let t = re[i]; re[i] = re[j]; re[j] = t;
      t = im[i]; im[i] = im[j]; im[j] = t;
    }
  }
  const sgn = inverse ? 1 : -1;
  for (let size = 2; size <= n; size *= 2) {
    const half = size / 2;
    const step = n / size;
    for (let start = 0; start < n; start += size) {
      for (let k = 0; k < half; k++) {
        const wr = cos[k * step];
        const wi = sgn * sin[k * step];
        const a = start + k;
        const b = a + half;
        const xr = re[b] * wr - im[b] * wi;
        const xi = re[b] * wi + im[b] * wr;
        re[b] = re[a] - xr;
        im[b] = im[a] - xi;
        re[a] += xr;
        im[a] += xi;
      }
    }
  }
}

/**
 * Biased autocovariance at every lag, acov_t = (1/N) Σ_i (x_i − x̄)(x_{i+t} − x̄), by FFT with
 * zero padding to ≥ 2N (posterior::autocovariance; zero for constant input).
 */
export function autocovariance(x: Float64Array): Float64Array {
  const N = x.length;
  const out = new Float64Array(N);
  if (N < 2 || variance(x) === 0) return out;
  let L = 1;
  while (L < 2 * N) L *= 2;
  const re = new Float64Array(L);
  const im = new Float64Array(L);
  const m = mean(x);
  for (let i = 0; i < N; i++) re[i] = x[i] - m;
  fft(re, im, false);
  for (let i = 0; i < L; i++) {
    re[i] = re[i] * re[i] + im[i] * im[i];
    im[i] = 0;
  }
  fft(re, im, true);
  for (let t = 0; t < N; t++) out[t] = re[t] / L / N;
  return out;
}

// ---------------------------------------------------------------------------------------------
// R-hat and ESS

/**
 * Mean over chains of the autocovariance at lag t, computed on demand: Geyer's sequence usually
 * stops after a few dozen lags, so direct sums for the first lags are much cheaper than FFTs of
 * every chain; past DIRECT_LAGS it switches to the FFT for all lags (same values up to rounding).
 */
const DIRECT_LAGS = 64;
function lazyAcovMeans(chains: Chains, chainMeans: Float64Array): (t: number) => number {
  const M = chains.length;
  const N = chains[0].length;
  const centered = chains.map((c, j) => {
    const out = new Float64Array(N);
    if (variance(c) === 0) return out; // posterior returns zeros for a constant chain
    for (let i = 0; i < N; i++) out[i] = c[i] - chainMeans[j];
    return out;
  });
  const values = new Float64Array(N);
  let known = 0;
  let all = false;
  return (t: number) => {
    if (all || t < known) return values[t];
    if (t >= DIRECT_LAGS) {
      values.fill(0);
      for (let c = 0; c < M; c++) {
        const ac = autocovariance(chains[c]);
        for (let s = 0; s < N; s++) values[s] += ac[s] / M;
      }
      all = true;
      return values[t];
    }
    for (; known <= t; known++) {
      let acc = 0;
      for (const x of centered) {
        let sum = 0;
        for (let i = 0; i + known < N; i++) sum += x[i] * x[i + known];
        acc += sum / N / M;
      }
      values[known] = acc;
    }
    return values[t];
  };
}

/** Classic R̂ of the given (already split/normalised) chains (posterior:::.rhat). */
export function rhatBasic(chains: Chains): number {
  if (shouldReturnNA(chains)) return NaN;
  const n = chains[0].length;
  const means = chains.map(mean);
  const vars = chains.map(variance);
  const varBetween = n * variance(means);
  const varWithin = mean(vars);
  return Math.sqrt((varBetween / varWithin + n - 1) / n);
}

/**
 * ESS of the given chains (posterior:::.ess = rstan's ess_rfun): Geyer's initial positive
 * sequence on pairs of autocorrelations, made monotone, with the improved tail term and
 * tau ≥ 1/log10(MN).
 */
export function essBasic(chains: Chains): number {
  const M = chains.length;
  const N = chains[0].length;
  if (N < 3 || shouldReturnNA(chains)) return NaN;
  const chainMeans = new Float64Array(M);
  for (let c = 0; c < M; c++) chainMeans[c] = mean(chains[c]);
  const acovMeans = lazyAcovMeans(chains, chainMeans);
  const meanVar = (acovMeans(0) * N) / (N - 1);
  let varPlus = (meanVar * (N - 1)) / N;
  if (M > 1) varPlus += variance(chainMeans);

  // 0-based: rhoHat[t] is the autocorrelation at lag t
  const rhoHat = new Float64Array(N);
  let t = 0;
  let rhoEven = 1;
  rhoHat[0] = rhoEven;
  let rhoOdd = 1 - (meanVar - acovMeans(1)) / varPlus;
  rhoHat[1] = rhoOdd;
  while (t < N - 5 && !Number.isNaN(rhoEven + rhoOdd) && rhoEven + rhoOdd > 0) {
    t += 2;
    rhoEven = 1 - (meanVar - acovMeans(t)) / varPlus;
    rhoOdd = 1 - (meanVar - acovMeans(t + 1)) / varPlus;
    if (rhoEven + rhoOdd >= 0) {
      rhoHat[t] = rhoEven;
      rhoHat[t + 1] = rhoOdd;
    }
  }
  const maxT = t;
  if (rhoEven > 0) rhoHat[maxT] = rhoEven; // used by the improved estimate

  // initial monotone sequence
  t = 0;
  while (t <= maxT - 4) {
    t += 2;
    if (rhoHat[t] + rhoHat[t + 1] > rhoHat[t - 2] + rhoHat[t - 1]) {
      rhoHat[t] = (rhoHat[t - 2] + rhoHat[t - 1]) / 2;
      rhoHat[t + 1] = rhoHat[t];
    }
  }
  // R's sum(rho_hat_t[1:max_t]); with max_t = 0, 1:0 selects the first element only
  let sum = 0;
  if (maxT === 0) sum = rhoHat[0];
  else for (let i = 0; i < maxT; i++) sum += rhoHat[i];
  const S = M * N;
  let tau = -1 + 2 * sum + rhoHat[maxT];
  tau = Math.max(tau, 1 / Math.log10(S));
  return S / tau;
}

/** Rank-normalised split R̂: max of the bulk and the folded (tail) versions. */
export function rhat(chains: Chains): number {
  const split = splitChains(chains);
  const bulk = rhatBasic(zScale(split));
  const tail = rhatBasic(zScale(splitChains(foldDraws(chains))));
  if (Number.isNaN(bulk) || Number.isNaN(tail)) return NaN;
  return Math.max(bulk, tail);
}

export function essBulk(chains: Chains): number {
  return essBasic(zScale(splitChains(chains)));
}

/** ESS of the indicator I(x ≤ Q̂_p) on split chains (posterior::ess_quantile); pass the pooled draws sorted to save a sort. */
export function essQuantile(chains: Chains, p: number, sorted?: Float64Array): number {
  if (shouldReturnNA(chains)) return NaN;
  const q = sorted ? quantileSorted(sorted, p) : quantiles(chains, [p])[0];
  const indicator = chains.map((c) => {
    const out = new Float64Array(c.length);
    for (let i = 0; i < c.length; i++) out[i] = c[i] <= q ? 1 : 0;
    return out;
  });
  return essBasic(splitChains(indicator));
}

export function essTail(chains: Chains, sorted?: Float64Array): number {
  const a = essQuantile(chains, 0.05, sorted);
  const b = essQuantile(chains, 0.95, sorted);
  if (Number.isNaN(a) || Number.isNaN(b)) return NaN;
  return Math.min(a, b);
}

/** ESS for the mean: split chains, no rank normalisation. */
export function essMean(chains: Chains): number {
  return essBasic(splitChains(chains));
}

/** MCSE of the mean: sd / sqrt(ESS_mean) (posterior::mcse_mean). */
export function mcseMean(chains: Chains): number {
  return Math.sqrt(variance(pool(chains))) / Math.sqrt(essMean(chains));
}

/**
 * MCSE of the p-quantile following posterior::mcse_quantile, but with the Beta(ESS p + 1,
 * ESS (1 − p) + 1) quantiles at ±1 sd replaced by their normal approximation
 * p ± sqrt(p (1 − p) / ESS) (no qbeta here; close for ESS in the hundreds and more).
 */
export function mcseQuantile(chains: Chains, p: number): number {
  const ess = essQuantile(chains, p);
  const sorted = pool(chains).sort();
  const S = sorted.length;
  const half = Math.sqrt((p * (1 - p)) / ess);
  const lo = Math.max(p - half, 0);
  const hi = Math.min(p + half, 1);
  const th1 = sorted[Math.max(Math.floor(lo * S), 1) - 1];
  const th2 = sorted[Math.min(Math.ceil(hi * S), S) - 1];
  return (th2 - th1) / 2;
}

/**
 * E-BFMI per chain, (Σ (E_n − E_{n−1})² / N) / var(E) (rstan's check_energy; values
 * below 0.2 suggest the momentum resampling explores the energy distribution poorly).
 */
export function ebfmi(energy: Float64Array): number {
  const n = energy.length;
  let num = 0;
  for (let i = 1; i < n; i++) num += (energy[i] - energy[i - 1]) ** 2;
  return num / n / variance(energy);
}

// ---------------------------------------------------------------------------------------------
// Fit summary

/** Draws of a fit: [chain][draw][column] with the sampler columns first (see nuts.ts). */
export interface Draws {
  chains: number;
  draws: number;
  /** number of parameters */
  dim: number;
  data: Float64Array;
}

export function drawsStride(d: Pick<Draws, 'dim'>): number {
  return N_SAMPLER_COLUMNS + d.dim;
}

/** Column `col` (sampler column index, or N_SAMPLER_COLUMNS + k for parameter k) per chain. */
export function columnChains(d: Draws, col: number): Chains {
  const stride = drawsStride(d);
  const out: Chains = [];
  for (let c = 0; c < d.chains; c++) {
    const x = new Float64Array(d.draws);
    const base = c * d.draws * stride + col;
    for (let i = 0; i < d.draws; i++) x[i] = d.data[base + i * stride];
    out.push(x);
  }
  return out;
}

export function parameterChains(d: Draws, k: number): Chains {
  return columnChains(d, N_SAMPLER_COLUMNS + k);
}

export interface ParameterSummary {
  name: string;
  mean: number;
  sd: number;
  q5: number;
  q50: number;
  q95: number;
  rhat: number;
  essBulk: number;
  essTail: number;
  mcseMean: number;
}

export interface FitSummary {
  parameters: ParameterSummary[];
  /** post-warmup divergent transitions over all chains */
  divergences: number;
  /** post-warmup transitions that hit the maximum tree depth */
  treedepthSaturated: number;
  /** mean step size over chains (adapted) */
  stepSize: number;
  /** E-BFMI per chain */
  ebfmi: number[];
  meanAcceptStat: number;
  meanLeapfrog: number;
  maxRhat: number;
  minEssBulk: number;
  minEssTail: number;
  /** rhat > 1.01 for some parameter, or any divergence */
  flagged: boolean;
}

export interface SummaryOptions {
  names?: string[];
  /** tree depth counted as saturated (the sampler's maxDepth), default 10 */
  maxDepth?: number;
}

export function summarizeParameter(chains: Chains, name: string): ParameterSummary {
  const all = pool(chains);
  const order = radixOrder(all);
  const sorted = new Float64Array(all.length);
  for (let i = 0; i < all.length; i++) sorted[i] = all[order[i]];
  const median = quantileSorted(sorted, 0.5);
  const n = chains[0].length;
  let zSplit: Chains, zFolded: Chains;
  if (n % 2 === 0 && n > 1) {
    // with whole halves, the split chains pooled are `all` in the same order, so one sort of the
    // draws ranks them, and merging its two sides around the median orders |x - median|
    const half = n / 2;
    zSplit = normalScores(averageRanks(all, order), 2 * chains.length, half);
    const folded = pool(foldDraws(chains, median));
    zFolded = normalScores(averageRanks(folded, foldedOrder(order, sorted, median)), 2 * chains.length, half);
  } else {
    zSplit = zScale(splitChains(chains));
    zFolded = zScale(splitChains(foldDraws(chains, median)));
  }
  // the rank-normalised split chains serve both the bulk R-hat and the bulk ESS
  const bulkRhat = rhatBasic(zSplit);
  const tailRhat = rhatBasic(zFolded);
  return {
    name,
    mean: mean(all),
    sd: Math.sqrt(variance(all)),
    q5: quantileSorted(sorted, 0.05),
    q50: quantileSorted(sorted, 0.5),
    q95: quantileSorted(sorted, 0.95),
    rhat: Number.isNaN(bulkRhat) || Number.isNaN(tailRhat) ? NaN : Math.max(bulkRhat, tailRhat),
    essBulk: essBasic(zSplit),
    essTail: essTail(chains, sorted),
    mcseMean: mcseMean(chains),
  };
}

/**
 * Order of |x - median| from the order of x: below the median the distance falls as x rises, at
 * or above it the distance rises, so a merge of the two runs outward from the median sorts it.
 */
function foldedOrder(order: Uint32Array, sorted: Float64Array, median: number): Uint32Array {
  const n = order.length;
  let right = 0;
  while (right < n && sorted[right] < median) right++;
  let left = right - 1;
  const out = new Uint32Array(n);
  for (let i = 0; i < n; i++) {
    if (right >= n || (left >= 0 && median - sorted[left] <= sorted[right] - median)) out[i] = order[left--];
    else out[i] = order[right++];
  }
  return out;
}

export function summarize(d: Draws, options: SummaryOptions = {}): FitSummary {
  const maxDepth = options.maxDepth ?? 10;
  const parameters: ParameterSummary[] = [];
  for (let k = 0; k < d.dim; k++) {
    parameters.push(summarizeParameter(parameterChains(d, k), options.names?.[k] ?? `alpha[${k + 1}]`));
  }
  const stride = drawsStride(d);
  let divergences = 0, saturated = 0, accept = 0, leap = 0;
  const total = d.chains * d.draws;
  for (let i = 0; i < total; i++) {
    const b = i * stride;
    if (d.data[b + COL_DIVERGENT] > 0) divergences++;
    if (d.data[b + COL_TREEDEPTH] >= maxDepth) saturated++;
    accept += d.data[b + COL_ACCEPT];
    leap += d.data[b + COL_NLEAPFROG];
  }
  const steps = columnChains(d, COL_STEPSIZE).map((c) => c[0]);
  const energies = columnChains(d, COL_ENERGY);
  const e = energies.map(ebfmi);
  let maxRhat = -Infinity, minBulk = Infinity, minTail = Infinity;
  for (const p of parameters) {
    // NaN (e.g. constant draws) propagates so a broken fit cannot look converged
    maxRhat = Number.isNaN(p.rhat) || Number.isNaN(maxRhat) ? NaN : Math.max(maxRhat, p.rhat);
    minBulk = Math.min(minBulk, p.essBulk);
    minTail = Math.min(minTail, p.essTail);
  }
  return {
    parameters,
    divergences,
    treedepthSaturated: saturated,
    stepSize: mean(steps),
    ebfmi: e,
    meanAcceptStat: accept / total,
    meanLeapfrog: leap / total,
    maxRhat,
    minEssBulk: minBulk,
    minEssTail: minTail,
    flagged: !(maxRhat <= 1.01) || divergences > 0,
  };
}
