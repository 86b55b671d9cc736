// High-level entry points: one Bayesian logistic fit (4 chains of NUTS + diagnostics), the
// paper's 10-fold averaging (§3.5, appendix I/J) and the "degree of preference" sigma(alpha).

import { summarize, drawsStride, parameterChains, type Draws, type FitSummary } from './diagnostics';
import { paddedRows, prepareLogisticData } from './model';
import { createLogisticTarget, resolveKernel, type KernelKind } from './model-wasm';
import { COL_LP, N_SAMPLER_COLUMNS, runChain, type NutsOptions } from './nuts';
import type { SamplerPool, PoolProgress } from './pool';
import type { ChainDone, SharedLogisticData } from './protocol';
import { Rng } from './rng';

export interface FitLogisticOptions {
  /** rows x K, row-major, entries in {-1, 0, +1} */
  X: Int8Array | Float64Array;
  /** 1 when response A is preferred, else 0 */
  y: ArrayLike<number>;
  K: number;
  /** Laplace prior scale b, default 0.1 */
  priorScale?: number;
  chains?: number;
  warmup?: number;
  draws?: number;
  seed?: number;
  /** run chains in these workers; without a pool the chains run in this thread, one after another */
  pool?: SamplerPool;
  onProgress?: (p: PoolProgress) => void;
  signal?: AbortSignal;
  /** parameter names for the summary (default alpha[1..K]) */
  names?: string[];
  nuts?: NutsOptions;
  /**
   * Gradient kernel: 'auto' (default) picks WASM SIMD when the runtime has it, else JS.
   * Draws depend on the kernel (different rounding), never on where the chains run.
   */
  kernel?: KernelKind | 'auto';
}

export interface ChainInfo {
  stepSize: number;
  invMetric: number[];
  gradientEvaluations: number;
  warmupMs: number;
  samplingMs: number;
}

/** Degree of preference P(p_k) = sigma(alpha_k) (paper §4.1.1) with a 90% credible interval. */
export interface DegreeOfPreference {
  name: string;
  /** sigma of the posterior mean of alpha_k: the paper's point value */
  value: number;
  /** 5% and 95% quantiles of sigma(alpha_k) over the draws */
  q5: number;
  q95: number;
}

export interface LogisticFit {
  draws: Draws;
  summary: FitSummary;
  chains: ChainInfo[];
  posteriorMean: Float64Array;
  degreeOfPreference: DegreeOfPreference[];
  elapsedMs: number;
  priorScale: number;
  kernel: KernelKind;
  /** how the draws were made, for the record: "NUTS, split integrator, wasm-simd kernel" */
  sampler: string;
}

export const DEFAULTS = { priorScale: 0.1, chains: 4, warmup: 500, draws: 1500, seed: 1, folds: 10 } as const;

function sigmoid(x: number): number {
  return x >= 0 ? 1 / (1 + Math.exp(-x)) : Math.exp(x) / (1 + Math.exp(x));
}

/** Copies X and y into SharedArrayBuffers (padded Float64) that workers read without copying. */
export function shareLogisticData(X: ArrayLike<number>, y: ArrayLike<number>, K: number): SharedLogisticData {
  const n = y.length;
  const nPad = paddedRows(n);
  const xs = new SharedArrayBuffer(Math.max(8, nPad * K * 8));
  const ys = new SharedArrayBuffer(Math.max(8, nPad * 8));
  prepareLogisticData(X, y, K, { X: new Float64Array(xs, 0, nPad * K), y: new Float64Array(ys, 0, nPad) });
  return { n, nPad, K, X: xs, y: ys };
}

function nextTick(): Promise<void> {
  return new Promise((r) => setImmediate(r));
}

/** Posterior means of the parameters. */
export function posteriorMean(d: Draws): Float64Array {
  const m = new Float64Array(d.dim);
  for (let k = 0; k < d.dim; k++) {
    let s = 0;
    for (const c of parameterChains(d, k)) for (let i = 0; i < c.length; i++) s += c[i];
    m[k] = s / (d.chains * d.draws);
  }
  return m;
}

/**
 * sigma of each posterior mean, with sigma of the 5% and 95% quantiles of alpha: sigma keeps the
 * order, so these are the quantiles of sigma(alpha) (up to the type-7 interpolation between two
 * neighbouring draws).
 */
export function degreeOfPreference(summary: FitSummary): DegreeOfPreference[] {
  return summary.parameters.map((p) => ({ name: p.name, value: sigmoid(p.mean), q5: sigmoid(p.q5), q95: sigmoid(p.q95) }));
}

/** Columns of X (rows x K) with at least one nonzero entry. */
export function columnsWithData(X: ArrayLike<number>, rows: number, K: number): number[] {
  const seen = new Uint8Array(K);
  for (let i = 0; i < rows; i++) for (let k = 0; k < K; k++) if (X[i * K + k] !== 0) seen[k] = 1;
  const out: number[] = [];
  for (let k = 0; k < K; k++) if (seen[k]) out.push(k);
  return out;
}

function selectColumns(X: ArrayLike<number>, rows: number, K: number, columns: number[]): Float64Array {
  const out = new Float64Array(rows * columns.length);
  for (let i = 0; i < rows; i++) for (let j = 0; j < columns.length; j++) out[i * columns.length + j] = X[i * K + columns[j]];
  return out;
}

/**
 * The full draws: NUTS's columns for the sampled weights, independent Laplace(0, b) draws for
 * the others (chain c uses RNG stream chains + c, apart from the chains' own streams), and lp__
 * with their prior terms added so it is the log density of all K weights, as Stan reports it.
 */
function withPriorDraws(sampledDraws: Float64Array, chains: number, draws: number, K: number, sampled: number[], b: number, seed: number): Float64Array {
  const Kn = sampled.length;
  const strideN = drawsStride({ dim: Kn });
  const stride = drawsStride({ dim: K });
  const isSampled = new Uint8Array(K);
  for (const k of sampled) isSampled[k] = 1;
  const out = new Float64Array(chains * draws * stride);
  for (let c = 0; c < chains; c++) {
    const rng = new Rng(seed, chains + c);
    for (let d = 0; d < draws; d++) {
      const from = (c * draws + d) * strideN;
      const to = (c * draws + d) * stride;
      for (let j = 0; j < N_SAMPLER_COLUMNS; j++) out[to + j] = sampledDraws[from + j];
      for (let j = 0; j < Kn; j++) out[to + N_SAMPLER_COLUMNS + sampled[j]] = sampledDraws[from + N_SAMPLER_COLUMNS + j];
      let priorLp = 0;
      for (let k = 0; k < K; k++) {
        if (isSampled[k]) continue;
        // inverse CDF of Laplace(0, b) at u in (-1/2, 1/2); uniform() can return 0 (u = -1/2: -inf)
        let u = rng.uniform() - 0.5;
        while (u === -0.5) u = rng.uniform() - 0.5;
        const a = -b * Math.sign(u) * Math.log1p(-2 * Math.abs(u));
        out[to + N_SAMPLER_COLUMNS + k] = a;
        priorLp -= Math.abs(a) / b;
      }
      out[to + COL_LP] += priorLp;
    }
  }
  return out;
}

/** Fits the logistic model with NUTS and summarises the draws. */
export async function fitLogistic(options: FitLogisticOptions): Promise<LogisticFit> {
  const { X, y, K } = options;
  const priorScale = options.priorScale ?? DEFAULTS.priorScale;
  const chains = options.chains ?? DEFAULTS.chains;
  const warmup = options.warmup ?? DEFAULTS.warmup;
  const draws = options.draws ?? DEFAULTS.draws;
  const seed = options.seed ?? DEFAULTS.seed;
  if (X.length !== y.length * K) throw new RangeError(`X has ${X.length} entries, expected ${y.length} x ${K}`);
  if (options.signal?.aborted) throw new DOMException('The fit was cancelled', 'AbortError');
  const kernel = resolveKernel(options.kernel);
  // A property that never differs in these pairs (a query-specific property outside its group)
  // leaves its weight independent of everything else with the prior as its posterior: NUTS
  // samples the others and these are drawn exactly from Laplace(0, b) (their R-hat and ESS are
  // then those of independent draws, and the gradient is narrower).
  const sampled = columnsWithData(X, y.length, K);
  const reduced = sampled.length > 0 && sampled.length < K;
  const Kn = reduced ? sampled.length : K;
  const Xn = reduced ? selectColumns(X, y.length, K, sampled) : X;
  const strideN = drawsStride({ dim: Kn });
  const started = performance.now();
  let sampledDraws: Float64Array;
  let chainInfo: ChainInfo[];

  if (options.pool) {
    const shared = shareLogisticData(Xn, y, Kn);
    const out = new SharedArrayBuffer(chains * draws * strideN * 8);
    const results: ChainDone[] = await options.pool.sample(
      { data: shared, priorScale, chains, warmup, draws, seed, nuts: options.nuts, out, kernel },
      { onProgress: options.onProgress, signal: options.signal },
    );
    sampledDraws = new Float64Array(out);
    chainInfo = results;
  } else {
    const model = createLogisticTarget(prepareLogisticData(Xn, y, Kn), priorScale, kernel);
    sampledDraws = new Float64Array(chains * draws * strideN);
    chainInfo = [];
    const total = chains * (warmup + draws);
    for (let c = 0; c < chains; c++) {
      await nextTick(); // lets an abort or other work in between chains
      const before = c * (warmup + draws);
      const r = runChain(model, { ...options.nuts, warmup, draws, seed, chain: c }, sampledDraws, c * draws * strideN, {
        shouldStop: () => options.signal?.aborted === true,
        progressEvery: 25,
        onProgress: options.onProgress
          ? (it) => {
              const done = before + it;
              const elapsedMs = performance.now() - started;
              options.onProgress!({
                iterationsDone: done,
                iterationsTotal: total,
                chainsDone: c + (it === warmup + draws ? 1 : 0),
                chains,
                elapsedMs,
                etaMs: (elapsedMs * (total - done)) / done,
              });
            }
          : undefined,
      });
      if (r.cancelled) throw new DOMException('The fit was cancelled', 'AbortError');
      chainInfo.push({
        stepSize: r.stepSize,
        invMetric: Array.from(r.invMetric),
        gradientEvaluations: r.gradientEvaluations,
        warmupMs: r.warmupMs,
        samplingMs: r.samplingMs,
      });
    }
  }
  let data = sampledDraws;
  if (reduced) {
    data = withPriorDraws(sampledDraws, chains, draws, K, sampled, priorScale, seed);
    // the metric of a prior-only weight: its exact variance 2 b^2
    for (const info of chainInfo) {
      const full = new Array<number>(K).fill(2 * priorScale * priorScale);
      sampled.forEach((k, j) => (full[k] = info.invMetric[j]));
      info.invMetric = full;
    }
  }
  const d: Draws = { chains, draws, dim: K, data };
  const summary = summarize(d, { names: options.names, maxDepth: options.nuts?.maxDepth ?? 10 });
  return {
    draws: d,
    summary,
    chains: chainInfo,
    posteriorMean: posteriorMean(d),
    degreeOfPreference: degreeOfPreference(summary),
    elapsedMs: performance.now() - started,
    priorScale,
    kernel,
    sampler: `NUTS, ${options.nuts?.integrator === 'leapfrog' ? "Stan's leapfrog" : 'split integrator'}, ${kernel} kernel`,
  };
}

// -------------------------------------------------------------------------------------------
// 10-fold averaging

export interface CrossFitOptions extends Omit<FitLogisticOptions, 'onProgress'> {
  /** number of parts, default 10 */
  folds?: number;
  /** seed of the shuffle that assigns rows to parts (fixed by default for reproducibility) */
  shuffleSeed?: number;
  /**
   * Choose b per fold on the held-out part among these values (appendix I), by the held-out
   * mean log-likelihood of the posterior mean. Without a grid, b = priorScale (0.1).
   */
  priorScaleGrid?: number[];
  /** keep every fold's draws in the result (memory: folds x chains x draws x (K + 7) doubles) */
  keepDraws?: boolean;
  onProgress?: (p: PoolProgress & { fitsDone: number; fits: number }) => void;
}

export interface FoldResult {
  fold: number;
  priorScale: number;
  posteriorMean: Float64Array;
  /** held-out accuracy of "A when x . alpha_mean > 0" */
  heldOutAccuracy: number;
  heldOutLogLik: number;
  trainSize: number;
  testSize: number;
  summary: FitSummary;
  /** held-out mean log-likelihood for each grid value (when a grid was given) */
  gridLogLik?: number[];
  draws?: Draws;
}

export interface CrossFitResult {
  /** average of the folds' posterior means: the paper's effect strengths */
  alpha: Float64Array;
  /** sigma(alpha); the interval averages the folds' 5%/95% quantiles of sigma(alpha_k) */
  degreeOfPreference: DegreeOfPreference[];
  /** mean held-out accuracy over folds (Table 10 style) */
  accuracy: number;
  folds: FoldResult[];
  maxRhat: number;
  divergences: number;
  /** some fold has rhat > 1.01 or a divergence */
  flagged: boolean;
  elapsedMs: number;
  /** LogisticFit.sampler of the folds */
  sampler: string;
}

/** Row indices of each part after a seeded shuffle (contiguous chunks of the shuffled order). */
export function foldAssignment(n: number, folds: number, shuffleSeed: number): Int32Array[] {
  if (folds < 2 || folds > n) throw new RangeError(`need 2 <= folds <= n (n = ${n}, folds = ${folds})`);
  const idx = new Int32Array(n);
  for (let i = 0; i < n; i++) idx[i] = i;
  new Rng(shuffleSeed).shuffle(idx);
  const parts: Int32Array[] = [];
  for (let f = 0; f < folds; f++) {
    const a = Math.floor((f * n) / folds);
    const b = Math.floor(((f + 1) * n) / folds);
    parts.push(idx.slice(a, b).sort());
  }
  return parts;
}

function subset(X: ArrayLike<number>, y: ArrayLike<number>, K: number, rows: ArrayLike<number>) {
  const Xs = new Float64Array(rows.length * K);
  const ys = new Float64Array(rows.length);
  for (let j = 0; j < rows.length; j++) {
    const r = rows[j];
    for (let k = 0; k < K; k++) Xs[j * K + k] = X[r * K + k];
    ys[j] = y[r];
  }
  return { X: Xs, y: ys };
}

/** Held-out accuracy (predict A iff x . alpha > 0) and mean log-likelihood. */
export function heldOutScores(X: ArrayLike<number>, y: ArrayLike<number>, K: number, alpha: ArrayLike<number>) {
  const n = y.length;
  let correct = 0, ll = 0;
  for (let i = 0; i < n; i++) {
    let eta = 0;
    for (let k = 0; k < K; k++) eta += X[i * K + k] * alpha[k];
    if ((eta > 0 ? 1 : 0) === y[i]) correct++;
    const a = Math.abs(eta);
    ll += y[i] * eta - (0.5 * (eta + a) + Math.log1p(Math.exp(-a)));
  }
  return { accuracy: n ? correct / n : NaN, logLik: n ? ll / n : NaN };
}

/**
 * The paper's fitting procedure: split the data into `folds` parts with a fixed shuffle, fit on
 * all parts but one, average the posterior means over folds, score each fold on its held-out
 * part. With a pool, all fold fits are queued at once and the workers stay busy throughout.
 */
export async function crossFit(options: CrossFitOptions): Promise<CrossFitResult> {
  const { X, y, K } = options;
  const folds = options.folds ?? DEFAULTS.folds;
  const seed = options.seed ?? DEFAULTS.seed;
  const grid = options.priorScaleGrid?.length ? options.priorScaleGrid : [options.priorScale ?? DEFAULTS.priorScale];
  const chains = options.chains ?? DEFAULTS.chains;
  const warmup = options.warmup ?? DEFAULTS.warmup;
  const draws = options.draws ?? DEFAULTS.draws;
  const started = performance.now();
  const parts = foldAssignment(y.length, folds, options.shuffleSeed ?? 20240521);

  const nFits = folds * grid.length;
  const perFit = chains * (warmup + draws);
  const doneByFit = new Float64Array(nFits);
  let fitsDone = 0;
  const report = () => {
    if (!options.onProgress) return;
    let done = 0;
    for (const v of doneByFit) done += v;
    const total = nFits * perFit;
    const elapsedMs = performance.now() - started;
    options.onProgress({
      iterationsDone: done,
      iterationsTotal: total,
      chainsDone: fitsDone * chains,
      chains: nFits * chains,
      elapsedMs,
      etaMs: done > 0 ? (elapsedMs * (total - done)) / done : undefined,
      fitsDone,
      fits: nFits,
    });
  };

  const runFold = async (f: number) => {
    const train: number[] = [];
    for (let g = 0; g < folds; g++) if (g !== f) for (const r of parts[g]) train.push(r);
    train.sort((a, b) => a - b);
    const tr = subset(X, y, K, train);
    const te = subset(X, y, K, parts[f]);
    const fits = await Promise.all(
      grid.map((b, gi) =>
        fitLogistic({
          ...options,
          X: tr.X,
          y: tr.y,
          priorScale: b,
          // distinct, reproducible streams for every fold and grid value
          seed: seed + 1000 * (f + 1) + gi,
          onProgress: (p) => {
            doneByFit[f * grid.length + gi] = p.iterationsDone;
            report();
          },
        }).then((fit) => {
          fitsDone++;
          doneByFit[f * grid.length + gi] = perFit;
          report();
          return fit;
        }),
      ),
    );
    const scores = fits.map((fit) => heldOutScores(te.X, te.y, K, fit.posteriorMean));
    let best = 0;
    for (let i = 1; i < fits.length; i++) if (scores[i].logLik > scores[best].logLik) best = i;
    const fit = fits[best];
    return {
      fold: f,
      priorScale: grid[best],
      posteriorMean: fit.posteriorMean,
      heldOutAccuracy: scores[best].accuracy,
      heldOutLogLik: scores[best].logLik,
      trainSize: train.length,
      testSize: parts[f].length,
      summary: fit.summary,
      gridLogLik: grid.length > 1 ? scores.map((s) => s.logLik) : undefined,
      draws: options.keepDraws ? fit.draws : undefined,
      dop: fit.degreeOfPreference,
      sampler: fit.sampler,
    };
  };

  let results: Awaited<ReturnType<typeof runFold>>[];
  if (options.pool) {
    results = await Promise.all(Array.from({ length: folds }, (_, f) => runFold(f)));
  } else {
    results = [];
    for (let f = 0; f < folds; f++) results.push(await runFold(f));
  }

  const alpha = new Float64Array(K);
  const q5 = new Float64Array(K);
  const q95 = new Float64Array(K);
  for (const r of results) {
    for (let k = 0; k < K; k++) {
      alpha[k] += r.posteriorMean[k] / folds;
      q5[k] += r.dop[k].q5 / folds;
      q95[k] += r.dop[k].q95 / folds;
    }
  }
  let maxRhat = -Infinity, divergences = 0, accuracy = 0;
  for (const r of results) {
    maxRhat = Number.isNaN(r.summary.maxRhat) ? NaN : Math.max(maxRhat, r.summary.maxRhat);
    divergences += r.summary.divergences;
    accuracy += r.heldOutAccuracy / folds;
  }
  return {
    alpha,
    degreeOfPreference: Array.from(alpha, (a, k) => ({
      name: options.names?.[k] ?? `alpha[${k + 1}]`,
      value: sigmoid(a),
      q5: q5[k],
      q95: q95[k],
    })),
    accuracy,
    folds: results.map(({ dop: _dop, sampler: _sampler, ...rest }) => rest),
    maxRhat,
    divergences,
    flagged: !(maxRhat <= 1.01) || divergences > 0,
    elapsedMs: performance.now() - started,
    sampler: results[0].sampler,
  };
}
