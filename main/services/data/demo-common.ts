// What both parts of the demo project share: the paper's statistics they follow (Tables 2 and 9), the seeded
// generator and small helpers.
import type { PairAnnotation, QueryItem, Severity } from '../../../preload/contract';
import type { ImportedLabel } from './import/types';

export const DEMO_DEFAULT_SEED = 20240217;
/** The paper samples 400 pairs per scenario (820 for two of them, section 3.2). */
export const DEMO_DEFAULT_PAIRS_PER_GROUP = 400;

/** Judges of the simulated pairs, named as in resources/paper-effect-strengths.json; open models span 6B-72B. */
export const DEMO_JUDGES = [
  'human', 'gpt-4-1106-preview', 'gpt-3.5-turbo-1106',
  'qwen-72b-chat', 'llama-2-70b-chat', 'mistral-7b-instruct-v0.2', 'yi-6b-chat',
] as const;

/** Table 9: mean rating (0-3) per rated basic property over all responses. */
export const TABLE9_BASIC_MEANS: Record<string, number> = {
  harmless: 2.90, 'grammarly correct': 2.70, friendly: 1.79, polite: 2.78, interactive: 0.22, authoritative: 1.67,
  funny: 0.08, 'use rhetorical devices': 0.16, 'complex word & sentence': 0.89, 'use supporting materials': 0.13,
  'well formatted': 1.26, 'admit limits': 0.17, persuasive: 0.27, 'step-by-step': 0.37, 'use informal expressions': 0.04,
  clear: 2.54, 'contain rich info': 1.74, novel: 0.47, relevant: 2.45,
};
/**
 * Table 9 has no row for non-repetitive. Repetition is as rare in chat answers as the other rarely present
 * properties (persuasive 0.27, step-by-step 0.37), so "repetitive" is taken to average 0.25, i.e. 2.75 flipped.
 */
export const ASSUMED_NON_REPETITIVE_MEAN = 2.75;
/** Table 9: query-specific means, over the pairs that meet the prerequisite only. */
export const TABLE9_QUERY_SPECIFIC_MEANS = {
  'clarify intent': 1.33, 'show empathetic': 1.48, 'satisfy constraints': 2.01, 'support stances': 2.28, 'correct mistakes': 1.08,
} as const;
/** Table 9: mean number of detected errors per response and severity. */
export const TABLE9_ERROR_MEANS: Record<Severity, number> = { minor: 0.23, moderate: 0.61, severe: 0.59 };
/** Table 9: mean response length in words. */
export const TABLE9_MEAN_LENGTH = 164.52;
/** Table 2: samples meeting each prerequisite, out of the 5,240 annotated. */
export const TABLE2_PREREQUISITE_RATES = {
  constraints: 1418 / 5240, unclearIntent: 459 / 5240, stances: 388 / 5240, feelings: 121 / 5240, mistakes: 401 / 5240,
} as const;

/** Appendix F: label -> score. */
export const STANCE_SCORES: Record<string, number> = {
  'Strongly supported': 3, 'Weakly supported': 2.25, Neutral: 1.5, 'Weakly opposed': 0.75, 'Strongly opposed': 0,
};
export const MISTAKE_SCORES: Record<string, number> = {
  'Pointed out and corrected': 3, 'Corrected without being pointed out': 2, 'Pointed out but not corrected': 1,
  'Neither pointed out nor corrected': 0,
};

// ---------- the seeded generator ----------

/** sfc32, seeded through a splitmix32-style mixer: small, fast and statistically sound enough for a demo. */
export class Rng {
  private a: number;
  private b: number;
  private c: number;
  private d: number;

  constructor(seed: number) {
    let s = seed >>> 0;
    const splitmix = () => {
      s = (s + 0x9e3779b9) | 0;
      let z = s;
      z = Math.imul(z ^ (z >>> 16), 0x21f0aaad);
      z = Math.imul(z ^ (z >>> 15), 0x735a2d97);
      return (z ^ (z >>> 15)) >>> 0;
    };
    this.a = splitmix();
    this.b = splitmix();
    this.c = splitmix();
    this.d = splitmix();
  }

  /** Uniform in [0, 1). */
  next(): number {
    const t = (((this.a + this.b) | 0) + this.d) | 0;
    this.d = (this.d + 1) | 0;
    this.a = this.b ^ (this.b >>> 9);
    this.b = (this.c + (this.c << 3)) | 0;
    this.c = ((this.c << 21) | (this.c >>> 11)) + t | 0;
    return (t >>> 0) / 4294967296;
  }

  normal(): number {
    return Math.sqrt(-2 * Math.log(1 - this.next())) * Math.cos(2 * Math.PI * this.next());
  }

  binomial(n: number, p: number): number {
    let k = 0;
    for (let i = 0; i < n; i++) if (this.next() < p) k++;
    return k;
  }

  /** Knuth's method: fine for the small means used here. */
  poisson(mean: number): number {
    const limit = Math.exp(-mean);
    let k = 0;
    for (let product = this.next(); product > limit; product *= this.next()) k++;
    return k;
  }

  pick<T>(items: readonly T[]): T {
    return items[Math.floor(this.next() * items.length)];
  }

  /** An index drawn with the given (unnormalised) weights. */
  weighted(weights: readonly number[]): number {
    let u = this.next() * weights.reduce((s, w) => s + w, 0);
    for (let i = 0; i < weights.length - 1; i++) {
      u -= weights[i];
      if (u < 0) return i;
    }
    return weights.length - 1;
  }
}

// ---------- shared pieces ----------

/** A value for response A and one for response B. */
export type Pair2 = [number, number];

export const judgeKind = (judge: string): ImportedLabel['kind'] => (judge === 'human' ? 'human' : 'llm');
export const sigmoid = (x: number) => 1 / (1 + Math.exp(-x));
export const mean = (xs: number[]) => xs.reduce((s, x) => s + x, 0) / xs.length;

/** The query-specific ratings are derived from the prerequisites and round-two items (Appendix F). */
export function queryRatings(a: PairAnnotation, clarify?: Pair2, empathy?: Pair2): void {
  const bySide = (kind: QueryItem['kind']) => {
    const items = a.items.filter((i) => i.kind === kind);
    return { A: mean(items.map((i) => i.scores.A)), B: mean(items.map((i) => i.scores.B)) };
  };
  const pre = a.prerequisites!;
  if (clarify) a.ratings['clarify intent'] = { A: clarify[0], B: clarify[1] };
  if (empathy) a.ratings['show empathetic'] = { A: empathy[0], B: empathy[1] };
  if (pre.constraints.length > 0) a.ratings['satisfy constraints'] = bySide('constraint');
  if (pre.stances.length > 0) a.ratings['support stances'] = bySide('stance');
  if (pre.mistakes.length > 0) a.ratings['correct mistakes'] = bySide('mistake');
}
