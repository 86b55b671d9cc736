// Simulated comparison data for tests and benchmarks: x in {-1,0,+1}^K with per-property
// rates of nonzero comparisons roughly like the paper's annotated data (Table 9 read as "how
// often two responses differ"), labels drawn from the logistic model with known weights.

import { Rng } from './rng';

/** Fraction of pairs in which each of the 29 properties differs (paper feature order). */
export const PAPER_NONZERO_RATES: readonly number[] = [
  0.12, // harmless (almost always rated 3)
  0.25, // grammarly correct
  0.45, // friendly
  0.25, // polite
  0.2, // interactive
  0.45, // authoritative
  0.07, // funny (rare)
  0.15, // use rhetorical devices
  0.45, // complex word & sentence
  0.15, // use supporting materials
  0.5, // well formatted
  0.15, // admit limits
  0.2, // persuasive
  0.3, // step-by-step
  0.05, // use informal expressions (rare)
  0.25, // non-repetitive
  0.4, // clear
  0.2, // relevant (only marked when one response is irrelevant)
  0.35, // novel
  0.55, // contain rich info
  0.3, // no minor errors
  0.3, // no moderate errors
  0.3, // no severe errors
  0.4, // clarify intent (query-specific)
  0.4, // show empathetic (query-specific)
  0.4, // satisfy constraints (query-specific)
  0.4, // support stances (query-specific)
  0.4, // correct mistakes (query-specific)
  0.5, // lengthy
];

/** Query-specific property index of each query-specific group; absent in all other groups. */
export const QUERY_SPECIFIC_PROPERTY: Readonly<Record<string, number>> = {
  intent_unclear: 23,
  express_feeling: 24,
  w_constraints: 25,
  w_stances: 26,
  w_mistakes: 27,
};

/** Nonzero rates for one group: query-specific properties only occur in their own group. */
export function groupNonzeroRates(group: string): number[] {
  const own = QUERY_SPECIFIC_PROPERTY[group];
  return PAPER_NONZERO_RATES.map((r, k) => (k >= 23 && k <= 27 ? (k === own ? r : 0) : r));
}

export interface SimulatedComparisons {
  /** n x K, row-major */
  X: Int8Array;
  /** 1 when response A is preferred */
  y: Uint8Array;
}

/** Independent features: nonzero with probability rates[k], then ±1 with equal odds. */
export function simulateComparisons(n: number, rates: readonly number[], alpha: ArrayLike<number>, seed: number): SimulatedComparisons {
  const K = rates.length;
  if (alpha.length !== K) throw new RangeError('alpha and rates differ in length');
  const rng = new Rng(seed);
  const X = new Int8Array(n * K);
  const y = new Uint8Array(n);
  for (let i = 0; i < n; i++) {
    let eta = 0;
    for (let k = 0; k < K; k++) {
      if (rng.uniform() < rates[k]) {
        const v = rng.uniform() < 0.5 ? -1 : 1;
        X[i * K + k] = v;
        eta += v * alpha[k];
      }
    }
    y[i] = rng.uniform() < 1 / (1 + Math.exp(-eta)) ? 1 : 0;
  }
  return { X, y };
}

/** Pearson's correlation of a and b over the entries idx (all by default); NaN when either is constant there. */
export function pearson(a: ArrayLike<number>, b: ArrayLike<number>, idx?: readonly number[]): number {
  const at = idx ?? Array.from({ length: a.length }, (_, i) => i);
  let ma = 0, mb = 0;
  for (const i of at) {
    ma += a[i];
    mb += b[i];
  }
  ma /= at.length;
  mb /= at.length;
  let sab = 0, saa = 0, sbb = 0;
  for (const i of at) {
    sab += (a[i] - ma) * (b[i] - mb);
    saa += (a[i] - ma) ** 2;
    sbb += (b[i] - mb) ** 2;
  }
  return saa > 0 && sbb > 0 ? sab / Math.sqrt(saa * sbb) : NaN;
}

/** The three largest entries of a among idx (their indices). */
export function topThree(a: ArrayLike<number>, idx: readonly number[]): number[] {
  return [...idx].sort((i, j) => a[j] - a[i]).slice(0, 3);
}

/** Systematic annotator errors by property index: differences missed, signs flipped, one property copied into another. */
export interface AnnotatorErrors {
  /** a difference the annotator reports as no difference, with this rate */
  zero?: Readonly<Record<number, number>>;
  /** a difference reported the other way round, with this rate */
  flip?: Readonly<Record<number, number>>;
  /** a halo: property `to` reported as property `from` was, with this rate (for example "the longer one is richer") */
  copy?: readonly { from: number; to: number; rate: number }[];
}

/** The annotator's features for true features X (n × K): the errors applied at their rates. */
export function annotateWithErrors(X: Int8Array, K: number, errors: AnnotatorErrors, rng: Rng): Int8Array {
  const A = Int8Array.from(X);
  const n = X.length / K;
  for (let i = 0; i < n; i++) {
    for (let k = 0; k < K; k++) {
      const x = X[i * K + k];
      if (x === 0) continue;
      const z = errors.zero?.[k];
      const f = errors.flip?.[k];
      if (z && rng.uniform() < z) A[i * K + k] = 0;
      else if (f && rng.uniform() < f) A[i * K + k] = -x;
    }
    for (const c of errors.copy ?? []) if (rng.uniform() < c.rate) A[i * K + c.to] = X[i * K + c.from];
  }
  return A;
}

/** Poisson sampling: pair i is checked with probability p[i], independently. */
export function drawChecks(p: ArrayLike<number>, rng: Rng): Uint8Array {
  const out = new Uint8Array(p.length);
  for (let i = 0; i < p.length; i++) out[i] = rng.uniform() < p[i] ? 1 : 0;
  return out;
}
