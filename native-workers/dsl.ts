// Design-based supervised learning (DSL; Egami, Hinck, Stewart & Wei, NeurIPS 2023) for the paper's
// logistic regression P(A preferred | x) = σ(x·β) when the comparison features x come from an imperfect
// annotator and a subset of pairs, drawn with known probabilities π_i, has the features as checked by people.
// The judge's label y is exact. With R_i = 1 for a checked pair and the logistic score s(x; β) = x (y − σ(x·β)),
// the estimate solves the doubly robust moment
//   m(β) = Σ_i [ s(a_i; β) + (R_i/π_i) (s(c_i; β) − s(a_i; β)) ] − λβ = 0,
// a_i the annotated features, c_i the checked ones: its expectation over the draw of the checked pairs is the
// score of the checked features, so β is consistent for the regression on the checked features whatever the
// annotator's errors, and the sandwich J⁻¹ M J⁻ᵀ (M from the per-pair moment contributions) gives valid
// intervals. The "prediction" of the checked features is the annotation itself (no learned correction: see
// README, "Corrected by the check"). λ is a small ridge (default 1, a N(0, 1) prior on each log-odds weight)
// that keeps a rarely differing property from running off to ±∞; it moves the estimates by ~0.1 standard
// errors at the paper's sizes (README).

/** 97.5% standard normal quantile: 95% intervals */
export const Z95 = 1.959963984540054;

export interface DslInput {
  K: number;
  /** 1 when response A is preferred, else 0; length n */
  y: ArrayLike<number>;
  /** annotated comparison features, n × K row-major, entries in {-1, 0, +1} */
  annotated: ArrayLike<number>;
  /** checked comparison features, n × K; only the rows of checked pairs are read */
  checked: ArrayLike<number>;
  /** 1 when the pair was checked; length n */
  isChecked: ArrayLike<number>;
  /** each pair's probability of having been checked, in (0, 1]; read for checked pairs only */
  probability: ArrayLike<number>;
}

export interface DslOptions {
  /** ridge λ on the sum scale (a N(0, 1/λ) prior on each weight); default 1 */
  ridge?: number;
  maxIterations?: number;
  /** stop when the largest Newton step is below this; default 1e-10 */
  tolerance?: number;
}

/** Per-property estimates on the log-odds scale; NaN for a property that cannot be estimated. */
export interface Estimates {
  estimate: Float64Array;
  se: Float64Array;
  low: Float64Array;
  high: Float64Array;
  /** K × K covariance (NaN rows and columns for properties that cannot be estimated) */
  vcov: Float64Array;
  /** 1 when the property differs in at least one pair, so its weight is identified */
  estimable: Uint8Array;
  iterations: number;
  converged: boolean;
}

export interface DslFit {
  K: number;
  pairs: number;
  checked: number;
  ridge: number;
  /** plain logistic regression on the annotated features, sandwich intervals */
  naive: Estimates;
  /** the DSL estimate */
  corrected: Estimates;
  /**
   * The corrected variance split as the DSL package's power analysis splits it: the part from the checked
   * pairs' corrections, which shrinks in proportion when every π_i is scaled up, and the rest.
   */
  varianceFromChecks: Float64Array;
  varianceRest: Float64Array;
}

interface Solution {
  beta: Float64Array;
  /** Jacobian −∂m/∂β (ridge included), Kc × Kc */
  J: Float64Array;
  Jinv: Float64Array;
  /** Σ wgt² d dᵀ and Σ [s_a s_aᵀ + wgt (s_a dᵀ + d s_aᵀ)], d = s_c − s_a */
  meatChecked: Float64Array;
  meatRest: Float64Array;
  iterations: number;
  converged: boolean;
}

function sigmoid(x: number): number {
  return x >= 0 ? 1 / (1 + Math.exp(-x)) : Math.exp(x) / (1 + Math.exp(x));
}

/** Columns (properties) with a nonzero entry in the annotated features or in a checked pair's features. */
function identifiedColumns(input: DslInput, useChecked: boolean): number[] {
  const { K, y, annotated, checked, isChecked } = input;
  const seen = new Uint8Array(K);
  for (let i = 0; i < y.length; i++) {
    for (let k = 0; k < K; k++) {
      if (annotated[i * K + k] !== 0) seen[k] = 1;
      if (useChecked && isChecked[i] && checked[i * K + k] !== 0) seen[k] = 1;
    }
  }
  const out: number[] = [];
  for (let k = 0; k < K; k++) if (seen[k]) out.push(k);
  return out;
}

/**
 * Inverts the symmetric Kc × Kc matrix A into out by Gauss–Jordan with partial pivoting (A may be indefinite:
 * the DSL Jacobian weighs checked pairs' annotated terms by 1 − 1/π < 0). Returns false when singular.
 */
export function invert(A: Float64Array, n: number, out: Float64Array, work: Float64Array = new Float64Array(n * n)): boolean {
  work.set(A.subarray(0, n * n));
  out.fill(0);
  for (let i = 0; i < n; i++) out[i * n + i] = 1;
  for (let c = 0; c < n; c++) {
    let p = c;
    for (let r = c + 1; r < n; r++) if (Math.abs(work[r * n + c]) > Math.abs(work[p * n + c])) p = r;
    const pivot = work[p * n + c];
    if (!(Math.abs(pivot) > 1e-300)) return false;
    if (p !== c) {
      for (let j = 0; j < n; j++) {
        let t = work[c * n + j]; work[c * n + j] = work[p * n + j]; work[p * n + j] = t;
        t = out[c * n + j]; out[c * n + j] = out[p * n + j]; out[p * n + j] = t;
      }
    }
    const inv = 1 / pivot;
    for (let j = 0; j < n; j++) {
      work[c * n + j] *= inv;
      out[c * n + j] *= inv;
    }
    for (let r = 0; r < n; r++) {
      if (r === c) continue;
      const f = work[r * n + c];
      if (f === 0) continue;
      for (let j = 0; j < n; j++) {
        work[r * n + j] -= f * work[c * n + j];
        out[r * n + j] -= f * out[c * n + j];
      }
    }
  }
  return true;
}

/**
 * Solves the moment on the columns `cols` by Newton's method with the exact Jacobian and a backtracking
 * search on |m|² (the moment is not the gradient of a concave function once checked pairs carry weight
 * 1/π > 1, so a plain Newton step may overshoot). wgt_i = R_i/π_i (0 for unchecked pairs and for the naive fit).
 */
function solve(input: DslInput, cols: number[], wgt: Float64Array, ridge: number, maxIter: number, tol: number): Solution {
  const { K, y, annotated, checked } = input;
  const n = y.length;
  const Kc = cols.length;
  // Dense copies of the used columns: the hot loops then run over contiguous Float64Arrays.
  const A = new Float64Array(n * Kc);
  const C = new Float64Array(n * Kc);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < Kc; j++) {
      A[i * Kc + j] = annotated[i * K + cols[j]];
      if (wgt[i] !== 0) C[i * Kc + j] = checked[i * K + cols[j]];
    }
  }
  const beta = new Float64Array(Kc);
  const trial = new Float64Array(Kc);
  const m = new Float64Array(Kc);
  const mTrial = new Float64Array(Kc);
  const J = new Float64Array(Kc * Kc);
  const Jinv = new Float64Array(Kc * Kc);
  const work = new Float64Array(Kc * Kc);
  const step = new Float64Array(Kc);

  // m(b) into out; with jac, also −∂m/∂b into J (upper triangle, then mirrored)
  const evaluate = (b: Float64Array, out: Float64Array, jac: boolean): number => {
    out.fill(0);
    if (jac) J.fill(0);
    for (let i = 0; i < n; i++) {
      const o = i * Kc;
      const wi = wgt[i];
      let ea = 0;
      for (let j = 0; j < Kc; j++) ea += A[o + j] * b[j];
      const sa = sigmoid(ea);
      const ra = (1 - wi) * (y[i] - sa);
      const ha = (1 - wi) * sa * (1 - sa);
      for (let j = 0; j < Kc; j++) {
        const x = A[o + j];
        if (x === 0) continue;
        out[j] += ra * x;
        if (jac) {
          const hx = ha * x;
          for (let l = j; l < Kc; l++) J[j * Kc + l] += hx * A[o + l];
        }
      }
      if (wi === 0) continue;
      let ec = 0;
      for (let j = 0; j < Kc; j++) ec += C[o + j] * b[j];
      const sc = sigmoid(ec);
      const rc = wi * (y[i] - sc);
      const hc = wi * sc * (1 - sc);
      for (let j = 0; j < Kc; j++) {
        const x = C[o + j];
        if (x === 0) continue;
        out[j] += rc * x;
        if (jac) {
          const hx = hc * x;
          for (let l = j; l < Kc; l++) J[j * Kc + l] += hx * C[o + l];
        }
      }
    }
    let norm = 0;
    for (let j = 0; j < Kc; j++) {
      out[j] -= ridge * b[j];
      norm += out[j] * out[j];
    }
    if (jac) {
      for (let j = 0; j < Kc; j++) {
        J[j * Kc + j] += ridge;
        for (let l = 0; l < j; l++) J[j * Kc + l] = J[l * Kc + j];
      }
    }
    return norm;
  };

  let norm = evaluate(beta, m, true);
  let iterations = 0;
  let converged = false;
  for (; iterations < maxIter; iterations++) {
    if (!invert(J, Kc, Jinv, work)) break;
    let stepMax = 0;
    for (let j = 0; j < Kc; j++) {
      let s = 0;
      for (let l = 0; l < Kc; l++) s += Jinv[j * Kc + l] * m[l];
      step[j] = s;
      stepMax = Math.max(stepMax, Math.abs(s));
    }
    if (stepMax < tol) {
      converged = true;
      break;
    }
    let t = 1;
    let accepted = false;
    for (let ls = 0; ls < 40; ls++) {
      for (let j = 0; j < Kc; j++) trial[j] = beta[j] + t * step[j];
      const nt = evaluate(trial, mTrial, false);
      if (nt < norm || t * stepMax < tol) {
        beta.set(trial);
        accepted = true;
        break;
      }
      t *= 0.5;
    }
    norm = evaluate(beta, m, true);
    if (!accepted) break;
  }
  invert(J, Kc, Jinv, work);

  // Meat from the per-pair contributions φ_i = s_a + wgt (s_c − s_a), split for planning.
  const meatChecked = new Float64Array(Kc * Kc);
  const meatRest = new Float64Array(Kc * Kc);
  const sA = new Float64Array(Kc);
  const d = new Float64Array(Kc);
  for (let i = 0; i < n; i++) {
    const o = i * Kc;
    const wi = wgt[i];
    let ea = 0;
    for (let j = 0; j < Kc; j++) ea += A[o + j] * beta[j];
    const ra = y[i] - sigmoid(ea);
    for (let j = 0; j < Kc; j++) sA[j] = ra * A[o + j];
    if (wi !== 0) {
      let ec = 0;
      for (let j = 0; j < Kc; j++) ec += C[o + j] * beta[j];
      const rc = y[i] - sigmoid(ec);
      for (let j = 0; j < Kc; j++) d[j] = rc * C[o + j] - sA[j];
    }
    for (let j = 0; j < Kc; j++) {
      for (let l = j; l < Kc; l++) {
        let rest = sA[j] * sA[l];
        if (wi !== 0) {
          rest += wi * (sA[j] * d[l] + d[j] * sA[l]);
          meatChecked[j * Kc + l] += wi * wi * d[j] * d[l];
        }
        meatRest[j * Kc + l] += rest;
      }
    }
  }
  for (let j = 0; j < Kc; j++) {
    for (let l = 0; l < j; l++) {
      meatChecked[j * Kc + l] = meatChecked[l * Kc + j];
      meatRest[j * Kc + l] = meatRest[l * Kc + j];
    }
  }
  return { beta, J, Jinv, meatChecked, meatRest, iterations, converged };
}

/** B M Bᵀ for Kc × Kc matrices (B = J⁻¹, symmetric M). */
function sandwich(B: Float64Array, M: Float64Array, Kc: number): Float64Array {
  const BM = new Float64Array(Kc * Kc);
  for (let i = 0; i < Kc; i++) for (let l = 0; l < Kc; l++) {
    let s = 0;
    for (let j = 0; j < Kc; j++) s += B[i * Kc + j] * M[j * Kc + l];
    BM[i * Kc + l] = s;
  }
  const out = new Float64Array(Kc * Kc);
  for (let i = 0; i < Kc; i++) for (let l = 0; l < Kc; l++) {
    let s = 0;
    for (let j = 0; j < Kc; j++) s += BM[i * Kc + j] * B[l * Kc + j];
    out[i * Kc + l] = s;
  }
  return out;
}

function toEstimates(K: number, cols: number[], sol: Solution, vcovC: Float64Array): Estimates {
  const Kc = cols.length;
  const estimate = new Float64Array(K).fill(NaN);
  const se = new Float64Array(K).fill(NaN);
  const low = new Float64Array(K).fill(NaN);
  const high = new Float64Array(K).fill(NaN);
  const vcov = new Float64Array(K * K).fill(NaN);
  const estimable = new Uint8Array(K);
  for (let j = 0; j < Kc; j++) {
    const k = cols[j];
    estimable[k] = 1;
    estimate[k] = sol.beta[j];
    se[k] = Math.sqrt(vcovC[j * Kc + j]);
    low[k] = estimate[k] - Z95 * se[k];
    high[k] = estimate[k] + Z95 * se[k];
    for (let l = 0; l < Kc; l++) vcov[k * K + cols[l]] = vcovC[j * Kc + l];
  }
  return { estimate, se, low, high, vcov, estimable, iterations: sol.iterations, converged: sol.converged };
}

function validate(input: DslInput): number {
  const { K, y, annotated, checked, isChecked, probability } = input;
  const n = y.length;
  if (annotated.length !== n * K) throw new RangeError(`annotated has ${annotated.length} entries, expected ${n} x ${K}`);
  if (checked.length !== n * K) throw new RangeError(`checked has ${checked.length} entries, expected ${n} x ${K}`);
  if (isChecked.length !== n || probability.length !== n) throw new RangeError('isChecked and probability need one entry per pair');
  let count = 0;
  for (let i = 0; i < n; i++) {
    if (!isChecked[i]) continue;
    count++;
    const p = probability[i];
    if (!(p > 0 && p <= 1)) throw new RangeError(`pair ${i} was checked with probability ${p}; it must be in (0, 1]`);
  }
  return count;
}

/** Plain logistic regression with sandwich intervals (the naive fit; also the pilot fit of the design). */
export function fitSandwich(X: ArrayLike<number>, y: ArrayLike<number>, K: number, options: DslOptions = {}): Estimates & { jacobianInverse: Float64Array } {
  const n = y.length;
  const input: DslInput = { K, y, annotated: X, checked: X, isChecked: new Uint8Array(n), probability: new Float64Array(n).fill(1) };
  const cols = identifiedColumns(input, false);
  const sol = solve(input, cols, new Float64Array(n), options.ridge ?? 1, options.maxIterations ?? 100, options.tolerance ?? 1e-10);
  const est = toEstimates(K, cols, sol, sandwich(sol.Jinv, sumOf(sol.meatChecked, sol.meatRest), cols.length));
  const Kc = cols.length;
  const jacobianInverse = new Float64Array(K * K);
  for (let j = 0; j < Kc; j++) for (let l = 0; l < Kc; l++) jacobianInverse[cols[j] * K + cols[l]] = sol.Jinv[j * Kc + l];
  return { ...est, jacobianInverse };
}

function sumOf(a: Float64Array, b: Float64Array): Float64Array {
  const out = new Float64Array(a.length);
  for (let i = 0; i < a.length; i++) out[i] = a[i] + b[i];
  return out;
}

/** The DSL estimate beside the naive one. */
export function fitDsl(input: DslInput, options: DslOptions = {}): DslFit {
  const nChecked = validate(input);
  const { K, y, isChecked, probability } = input;
  const n = y.length;
  const ridge = options.ridge ?? 1;
  const maxIter = options.maxIterations ?? 100;
  const tol = options.tolerance ?? 1e-10;
  const naive = fitSandwich(input.annotated, y, K, options);
  const wgt = new Float64Array(n);
  for (let i = 0; i < n; i++) if (isChecked[i]) wgt[i] = 1 / probability[i];
  const cols = identifiedColumns(input, true);
  const sol = solve(input, cols, wgt, ridge, maxIter, tol);
  const Kc = cols.length;
  const fromChecks = sandwich(sol.Jinv, sol.meatChecked, Kc);
  const rest = sandwich(sol.Jinv, sol.meatRest, Kc);
  const corrected = toEstimates(K, cols, sol, sumOf(fromChecks, rest));
  const varianceFromChecks = new Float64Array(K).fill(NaN);
  const varianceRest = new Float64Array(K).fill(NaN);
  for (let j = 0; j < Kc; j++) {
    varianceFromChecks[cols[j]] = fromChecks[j * Kc + j];
    varianceRest[cols[j]] = rest[j * Kc + j];
  }
  return {
    K, pairs: n, checked: nChecked, ridge,
    naive: { estimate: naive.estimate, se: naive.se, low: naive.low, high: naive.high, vcov: naive.vcov, estimable: naive.estimable, iterations: naive.iterations, converged: naive.converged },
    corrected, varianceFromChecks, varianceRest,
  };
}

export interface CheckPlan {
  /** the corrected 95% interval's width now */
  width: number;
  /** checked pairs needed in all for the target width (null: not reachable even by checking every pair) */
  checksNeeded: number | null;
  /** of which still to check */
  moreChecks: number | null;
}

/**
 * Planning, as the DSL package's power_dsl: checking r times as many pairs with the same design (every π_i
 * scaled by r) divides the checked pairs' part of the variance by r and leaves the rest, so the variance of
 * property k becomes a_k / r + b_k (J is kept as estimated). The smallest r that brings the 95% interval to
 * `targetWidth` is closed form: r = a_k / (t² − b_k), t the target standard error; b_k ≥ t² means no number
 * of checks with this design gets there. (b_k can be negative, a difference of sample moments; the variance
 * at the r found is t² > 0 all the same, so the package's fallback for negative predictions is not needed.)
 */
export function planChecks(fit: DslFit, targetWidth: number | ArrayLike<number>): CheckPlan[] {
  const out: CheckPlan[] = [];
  for (let k = 0; k < fit.K; k++) {
    const target = typeof targetWidth === 'number' ? targetWidth : targetWidth[k];
    const width = 2 * Z95 * fit.corrected.se[k];
    if (!fit.corrected.estimable[k] || !(target > 0)) {
      out.push({ width, checksNeeded: null, moreChecks: null });
      continue;
    }
    if (width <= target) {
      out.push({ width, checksNeeded: fit.checked, moreChecks: 0 });
      continue;
    }
    const t2 = (target / (2 * Z95)) ** 2;
    const a = fit.varianceFromChecks[k];
    const b = fit.varianceRest[k];
    const r = b < t2 ? a / (t2 - b) : Infinity;
    const needed = Math.ceil(r * Math.max(1, fit.checked) - 1e-9);
    const reachable = Number.isFinite(needed) && needed <= fit.pairs;
    out.push({ width, checksNeeded: reachable ? needed : null, moreChecks: reachable ? needed - fit.checked : null });
  }
  return out;
}

/**
 * From checked pairs of an earlier round: P(checked value = v | annotated value = u) per property, u and v in
 * {-1, 0, +1}, as a K × 3 × 3 array [k][u + 1][v + 1]. Each pair counts 1/π (so a design-drawn round estimates
 * the rates of all pairs), and each row starts from half a pair on "unchanged" and a quarter on each change:
 * a property never seen wrong in a small round keeps a small error rate rather than none.
 */
export function annotationErrorTable(input: DslInput): Float64Array {
  const { K, y, annotated, checked, isChecked, probability } = input;
  const table = new Float64Array(K * 9);
  for (let k = 0; k < K; k++) {
    for (let u = 0; u < 3; u++) for (let v = 0; v < 3; v++) table[k * 9 + u * 3 + v] = u === v ? 0.5 : 0.25;
  }
  for (let i = 0; i < y.length; i++) {
    if (!isChecked[i]) continue;
    const w = 1 / probability[i];
    for (let k = 0; k < K; k++) table[k * 9 + (annotated[i * K + k] + 1) * 3 + checked[i * K + k] + 1] += w;
  }
  for (let r = 0; r < K * 3; r++) {
    let s = 0;
    for (let v = 0; v < 3; v++) s += table[r * 3 + v];
    for (let v = 0; v < 3; v++) table[r * 3 + v] /= s;
  }
  return table;
}

/**
 * How much checking pair i is expected to move the corrected estimate: sqrt(E ||J⁻¹ (s(c_i) − s(a_i))||²) at
 * the naive fit, with the expectation over the error table (one property wrong at a time). The checked
 * pairs' part of the DSL variance has trace Σ_i ||J⁻¹ d_i||² / π_i in expectation, which for a fixed budget
 * Σ π_i = n is smallest with π_i ∝ ||J⁻¹ d_i|| (Cauchy–Schwarz): this is that norm's estimate. It is large
 * where the annotation is uncertain (the error table) and where a change matters (J⁻¹, the residual, β).
 */
export function checkPriority(annotated: ArrayLike<number>, y: ArrayLike<number>, K: number, errorTable: Float64Array, options: DslOptions = {}): Float64Array {
  const n = y.length;
  const fit = fitSandwich(annotated, y, K, options);
  const B = fit.jacobianInverse;
  const beta = new Float64Array(K);
  for (let k = 0; k < K; k++) beta[k] = fit.estimable[k] ? fit.estimate[k] : 0;
  // ||C_k||² = (J⁻²)_kk, C_k the k-th column of J⁻¹
  const colNorm = new Float64Array(K);
  for (let k = 0; k < K; k++) {
    let s = 0;
    for (let j = 0; j < K; j++) s += B[j * K + k] * B[j * K + k];
    colNorm[k] = s;
  }
  const z = new Float64Array(K);
  const q = new Float64Array(K);
  const out = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const o = i * K;
    let eta = 0;
    for (let k = 0; k < K; k++) eta += annotated[o + k] * beta[k];
    const r = y[i] - sigmoid(eta);
    // z = J⁻¹ a_i, q = J⁻¹ z (so C_k · z = q_k)
    let zz = 0;
    for (let j = 0; j < K; j++) {
      let s = 0;
      for (let k = 0; k < K; k++) s += B[j * K + k] * annotated[o + k];
      z[j] = s;
      zz += s * s;
    }
    for (let j = 0; j < K; j++) {
      let s = 0;
      for (let k = 0; k < K; k++) s += B[j * K + k] * z[k];
      q[j] = s;
    }
    let expected = 0;
    for (let k = 0; k < K; k++) {
      const u = annotated[o + k];
      const row = k * 9 + (u + 1) * 3;
      for (let v = -1; v <= 1; v++) {
        if (v === u) continue;
        const p = errorTable[row + v + 1];
        const delta = v - u;
        // d = r' (a + δ e_k) − r a  ⇒  J⁻¹ d = (r' − r) z + r' δ C_k
        const r2 = y[i] - sigmoid(eta + delta * beta[k]);
        const dr = r2 - r;
        expected += p * (dr * dr * zz + 2 * dr * r2 * delta * q[k] + r2 * r2 * delta * delta * colNorm[k]);
      }
    }
    out[i] = Math.sqrt(Math.max(0, expected));
  }
  return out;
}

/**
 * Checking probabilities proportional to `priority`, summing to `budget`, each at least `floorShare` times the
 * uniform budget / N (never zero: every pair can be drawn, so the estimate stays unbiased even where the
 * priority is wrong, and 1/π stays bounded) and at most 1. The scale is found by bisection.
 */
export function checkingProbabilities(priority: ArrayLike<number>, budget: number, floorShare = 0.25): Float64Array {
  const n = priority.length;
  const out = new Float64Array(n);
  if (budget >= n) return out.fill(1);
  const floor = (floorShare * budget) / n;
  let positive = 0;
  let sum = 0;
  for (let i = 0; i < n; i++) {
    if (priority[i] > 0) positive++;
    sum += priority[i];
  }
  // Too few pairs with a priority to spend the budget even at 1 each: they are all checked and the rest of
  // the budget is spread evenly over the others.
  if (positive + (n - positive) * floor <= budget) {
    const rest = positive < n ? (budget - positive) / (n - positive) : 0;
    for (let i = 0; i < n; i++) out[i] = priority[i] > 0 ? 1 : rest;
    return out;
  }
  const total = (c: number) => {
    let s = 0;
    for (let i = 0; i < n; i++) s += Math.min(1, Math.max(floor, c * priority[i]));
    return s;
  };
  let lo = 0;
  let hi = budget / sum;
  while (total(hi) < budget) hi *= 2;
  for (let it = 0; it < 200 && hi - lo > 1e-14 * hi; it++) {
    const mid = 0.5 * (lo + hi);
    if (total(mid) < budget) lo = mid;
    else hi = mid;
  }
  for (let i = 0; i < n; i++) out[i] = Math.min(1, Math.max(floor, hi * priority[i]));
  return out;
}
