// Posterior mode (MAP) of the logistic model with the Laplace(0, b) prior, i.e. L1-penalised
// logistic regression with lambda = 1/b:
//   minimise F(a) = Σ_i [softplus(x_i·a) − y_i x_i·a] + (1/b) Σ_k |a_k|.
// Proximal Newton (as glmnet / newGLMNET, Yuan, Ho & Lin 2012): a quadratic model of the
// smooth part with the exact Hessian XᵀWX (K is small, so forming it is cheap), solved by
// cyclic coordinate descent with soft-thresholding, then a backtracking line search on F.
// Converges quadratically near the mode: ~10 outer iterations at n = 1500, K = 29.

export interface MapOptions {
  /** Laplace scale b (default 0.1) */
  priorScale?: number;
  maxIterations?: number;
  /** stop when the largest coordinate change of a Newton step is below this */
  tolerance?: number;
  /** starting point (defaults to zeros) */
  init?: ArrayLike<number>;
}

export interface MapResult {
  alpha: Float64Array;
  /** F at the solution (negative log posterior up to a constant) */
  objective: number;
  iterations: number;
  converged: boolean;
}

function softplus(eta: number): number {
  const a = Math.abs(eta);
  return 0.5 * (eta + a) + Math.log1p(Math.exp(-a));
}

/**
 * @param X rows x K, row-major (Int8Array or Float64Array, unpadded)
 * @param y labels in {0,1}
 */
export function mapEstimate(X: ArrayLike<number>, y: ArrayLike<number>, K: number, options: MapOptions = {}): MapResult {
  const n = y.length;
  if (X.length !== n * K) throw new RangeError(`X has ${X.length} entries, expected ${n} x ${K}`);
  const lambda = 1 / (options.priorScale ?? 0.1);
  const maxIter = options.maxIterations ?? 100;
  const tol = options.tolerance ?? 1e-9;
  const Xf = X instanceof Float64Array ? X : Float64Array.from(X);

  const a = new Float64Array(K);
  if (options.init) a.set(options.init);
  const eta = new Float64Array(n);
  const w = new Float64Array(n);
  const g = new Float64Array(K);
  const H = new Float64Array(K * K);
  const d = new Float64Array(K);
  const Hd = new Float64Array(K);
  const trial = new Float64Array(K);

  const objective = (coef: Float64Array): number => {
    let f = 0;
    for (let i = 0; i < n; i++) {
      let e = 0;
      const o = i * K;
      for (let k = 0; k < K; k++) e += Xf[o + k] * coef[k];
      f += softplus(e) - y[i] * e;
    }
    let l1 = 0;
    for (let k = 0; k < K; k++) l1 += Math.abs(coef[k]);
    return f + lambda * l1;
  };

  let F = objective(a);
  let iterations = 0;
  let converged = false;
  for (; iterations < maxIter; iterations++) {
    // gradient and Hessian of the smooth part at a
    g.fill(0);
    H.fill(0);
    for (let i = 0; i < n; i++) {
      const o = i * K;
      let e = 0;
      for (let k = 0; k < K; k++) e += Xf[o + k] * a[k];
      eta[i] = e;
      const s = 1 / (1 + Math.exp(-e));
      w[i] = s * (1 - s);
      const r = s - y[i];
      for (let k = 0; k < K; k++) {
        const xk = Xf[o + k];
        if (xk === 0) continue; // comparison features are mostly 0
        g[k] += xk * r;
        const wx = w[i] * xk;
        const hk = k * K;
        for (let j = k; j < K; j++) H[hk + j] += wx * Xf[o + j];
      }
    }
    for (let k = 0; k < K; k++) for (let j = 0; j < k; j++) H[k * K + j] = H[j * K + k];

    // coordinate descent on  gᵀd + ½ dᵀHd + λ‖a + d‖₁
    d.fill(0);
    Hd.fill(0);
    for (let sweep = 0; sweep < 200; sweep++) {
      let maxChange = 0;
      for (let k = 0; k < K; k++) {
        const hkk = H[k * K + k] + 1e-12; // tiny ridge: a never-observed feature stays at 0
        const z0 = a[k] + d[k];
        const c = g[k] + Hd[k];
        const u = z0 - c / hkk;
        const thr = lambda / hkk;
        const z = u > thr ? u - thr : u < -thr ? u + thr : 0;
        const delta = z - z0;
        if (delta !== 0) {
          d[k] += delta;
          const hk = k * K;
          for (let j = 0; j < K; j++) Hd[j] += H[hk + j] * delta;
          if (Math.abs(delta) > maxChange) maxChange = Math.abs(delta);
        }
      }
      if (maxChange < 1e-13) break;
    }

    let stepMax = 0;
    for (let k = 0; k < K; k++) stepMax = Math.max(stepMax, Math.abs(d[k]));
    if (stepMax < tol) {
      converged = true;
      break;
    }
    // backtracking line search with the Tseng–Yun sufficient-decrease condition
    let l1a = 0, l1ad = 0, gd = 0;
    for (let k = 0; k < K; k++) {
      l1a += Math.abs(a[k]);
      l1ad += Math.abs(a[k] + d[k]);
      gd += g[k] * d[k];
    }
    const decrease = gd + lambda * (l1ad - l1a);
    let t = 1;
    let accepted = false;
    const Fold = F;
    for (let ls = 0; ls < 40; ls++) {
      for (let k = 0; k < K; k++) trial[k] = a[k] + t * d[k];
      const Ft = objective(trial);
      if (Ft <= F + 1e-4 * t * decrease || Ft <= F) {
        a.set(trial);
        F = Ft;
        accepted = true;
        break;
      }
      t *= 0.5;
    }
    // no decrease left at double precision: the remaining step is rounding noise
    if (!accepted || Fold - F <= 1e-13 * Math.max(1, Math.abs(F))) {
      converged = true;
      iterations++;
      break;
    }
  }
  return { alpha: a, objective: F, iterations, converged };
}
