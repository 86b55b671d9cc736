// Warmup adaptation as in Stan 2.21 (src/stan/mcmc/): windowed_adaptation.hpp,
// var_adaptation.hpp, stepsize_adaptation.hpp and stan-math's welford_var_estimator.

/**
 * Stan's windows: an initial fast buffer (75), slow windows that double from the base
 * window (25, 50, 100, ...; the last one stretched to the terminal buffer), and a
 * terminal fast buffer (50). With 500 warmup iterations the metric is updated after
 * iterations 99, 149, 249 and 449 (0-based).
 */
export class WindowedSchedule {
  readonly numWarmup: number;
  readonly initBuffer: number;
  readonly termBuffer: number;
  readonly baseWindow: number;
  /** false when warmup < 20: Stan then adapts the step size only */
  readonly enabled: boolean;
  private counter = 0;
  private windowSize: number;
  private nextWindow: number;

  constructor(numWarmup: number, initBuffer = 75, termBuffer = 50, baseWindow = 25) {
    if (numWarmup < 20) {
      this.enabled = false;
      this.numWarmup = numWarmup;
      this.initBuffer = this.termBuffer = this.baseWindow = 0;
    } else if (initBuffer + baseWindow + termBuffer > numWarmup) {
      // Stan reduces the stages to 15% / 75% / 10% (integer truncation as in C++).
      this.enabled = true;
      this.numWarmup = numWarmup;
      this.initBuffer = Math.trunc(0.15 * numWarmup);
      this.termBuffer = Math.trunc(0.1 * numWarmup);
      this.baseWindow = numWarmup - (this.initBuffer + this.termBuffer);
      // Stan 2.21 returns from this branch without restart(), leaving the window end at its
      // constructor value; we restart as intended (and as numpyro's schedule does).
    } else {
      this.enabled = true;
      this.numWarmup = numWarmup;
      this.initBuffer = initBuffer;
      this.termBuffer = termBuffer;
      this.baseWindow = baseWindow;
    }
    this.windowSize = this.baseWindow;
    this.nextWindow = this.initBuffer + this.windowSize - 1;
  }

  /** Is the current iteration inside a slow window (draws feed the variance estimate)? */
  inAdaptationWindow(): boolean {
    return (
      this.enabled &&
      this.counter >= this.initBuffer &&
      this.counter < this.numWarmup - this.termBuffer &&
      this.counter !== this.numWarmup
    );
  }

  /** Does a slow window end at the current iteration? */
  endOfAdaptationWindow(): boolean {
    return this.enabled && this.counter === this.nextWindow && this.counter !== this.numWarmup;
  }

  /** Call once per warmup iteration after the two queries above. */
  advance(endedWindow: boolean): void {
    if (endedWindow) this.computeNextWindow();
    this.counter++;
  }

  private computeNextWindow(): void {
    const lastEnd = this.numWarmup - this.termBuffer - 1;
    if (this.nextWindow === lastEnd) return;
    this.windowSize *= 2;
    this.nextWindow = this.counter + this.windowSize;
    if (this.nextWindow !== lastEnd) {
      // If the window after this one would overrun the slow phase, stretch this one to its end.
      const nextBoundary = this.nextWindow + 2 * this.windowSize;
      if (nextBoundary >= this.numWarmup - this.termBuffer) this.nextWindow = lastEnd;
    }
  }

  /** 0-based warmup iterations after which the metric is updated (for tests and reports). */
  static updateIterations(numWarmup: number, initBuffer = 75, termBuffer = 50, baseWindow = 25): number[] {
    const s = new WindowedSchedule(numWarmup, initBuffer, termBuffer, baseWindow);
    const out: number[] = [];
    for (let i = 0; i < numWarmup; i++) {
      const end = s.endOfAdaptationWindow();
      if (end) out.push(i);
      s.advance(end);
    }
    return out;
  }
}

/** Welford's streaming mean and variance (stan::math::welford_var_estimator). */
export class WelfordVariance {
  readonly mean: Float64Array;
  readonly m2: Float64Array;
  count = 0;

  constructor(readonly dim: number) {
    this.mean = new Float64Array(dim);
    this.m2 = new Float64Array(dim);
  }

  restart(): void {
    this.count = 0;
    this.mean.fill(0);
    this.m2.fill(0);
  }

  add(q: ArrayLike<number>): void {
    this.count++;
    const n = this.count;
    for (let i = 0; i < this.dim; i++) {
      const delta = q[i] - this.mean[i];
      this.mean[i] += delta / n;
      this.m2[i] += (q[i] - this.mean[i]) * delta;
    }
  }

  /** Sample variance (n - 1 denominator); leaves `out` untouched with fewer than 2 samples. */
  sampleVariance(out: Float64Array): void {
    if (this.count > 1) for (let i = 0; i < this.dim; i++) out[i] = this.m2[i] / (this.count - 1);
  }
}

/**
 * Diagonal metric adaptation (var_adaptation.hpp): at the end of each slow window the
 * inverse metric becomes the window's variance shrunk towards 1e-3:
 *   m = n/(n+5) var + 1e-3 * 5/(n+5).
 */
export class VarianceAdapter {
  readonly schedule: WindowedSchedule;
  readonly estimator: WelfordVariance;

  constructor(dim: number, numWarmup: number, initBuffer = 75, termBuffer = 50, baseWindow = 25) {
    this.schedule = new WindowedSchedule(numWarmup, initBuffer, termBuffer, baseWindow);
    this.estimator = new WelfordVariance(dim);
  }

  /** Returns true when `invMetric` was updated. */
  learnVariance(invMetric: Float64Array, q: Float64Array): boolean {
    const s = this.schedule;
    if (s.inAdaptationWindow()) this.estimator.add(q);
    if (s.endOfAdaptationWindow()) {
      s.advance(true);
      this.estimator.sampleVariance(invMetric);
      const n = this.estimator.count;
      const a = n / (n + 5);
      const b = 1e-3 * (5 / (n + 5));
      for (let i = 0; i < invMetric.length; i++) invMetric[i] = a * invMetric[i] + b;
      this.estimator.restart();
      return true;
    }
    s.advance(false);
    return false;
  }
}

/**
 * Nesterov dual averaging of log(step size) (Hoffman & Gelman 2014, Stan defaults:
 * delta 0.8, gamma 0.05, kappa 0.75, t0 10).
 */
export class DualAveraging {
  counter = 0;
  sBar = 0;
  xBar = 0;
  mu: number;

  constructor(
    initialStepSize: number,
    readonly delta = 0.8,
    readonly gamma = 0.05,
    readonly kappa = 0.75,
    readonly t0 = 10,
  ) {
    this.mu = Math.log(10 * initialStepSize);
  }

  restart(): void {
    this.counter = 0;
    this.sBar = 0;
    this.xBar = 0;
  }

  /** Returns the next step size given the accept statistic of the last transition. */
  learn(acceptStat: number): number {
    this.counter++;
    const stat = acceptStat > 1 ? 1 : acceptStat;
    const eta = 1 / (this.counter + this.t0);
    this.sBar = (1 - eta) * this.sBar + eta * (this.delta - stat);
    const x = this.mu - (this.sBar * Math.sqrt(this.counter)) / this.gamma;
    const xEta = Math.pow(this.counter, -this.kappa);
    this.xBar = (1 - xEta) * this.xBar + xEta * x;
    return Math.exp(x);
  }

  /** Final step size after warmup: exp(x̄). */
  finalStepSize(): number {
    return Math.exp(this.xBar);
  }
}
