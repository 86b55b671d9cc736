// Explanations: why a judge's fitted model prefers one response of a pair (each property's alpha_i * phi_i), and
// how the source models of a study rank under one judge's labels: Bradley-Terry ratings on the Elo scale overall
// and on the pairs where a chosen property differs (the canonical-basis paper's preference-specific Elo, pElo).
import type { JudgeRef, ModelRating, PairExplanation, PeloResult } from '../../../preload/contract';
import { Rng } from '../../../native-workers';
import type { Storage } from '../storage';
import { comparisonFeatures } from '../data/features';
import { PROPERTY_NAMES } from '../data/properties';
import { UNSAFE_GROUP } from '../data/scenarios';
import { judgeEffects, judgeLabel } from './compare';
import { AppFailure } from '../errors';
import type { Table } from '../tables';
import { groupLabel } from '../../../preload/contract';

const sigmoid = (x: number) => 1 / (1 + Math.exp(-x));

/** alpha_i * phi_i per property: the terms of the logit P(A preferred) = sigma(sum alpha_i phi_i) (section 3.5). */
export function contributions(alpha: ArrayLike<number>, phi: ArrayLike<number>) {
  const terms = PROPERTY_NAMES.map((name, i) => ({ name, phi: phi[i], alpha: alpha[i], contribution: alpha[i] * phi[i] }));
  const logit = terms.reduce((t, c) => t + c.contribution, 0);
  return { contributions: terms, logit, probabilityA: sigmoid(logit) };
}

/** Explains a pair with the judge's model of the pair's scenario (or Unsafe Queries): the paper fits per group. */
export function explainPair(storage: Storage, input: { pairId: number; judge: JudgeRef }): PairExplanation {
  const pair = storage.pairs.pair(input.pairId);
  if (!pair.annotation) throw new AppFailure('NOT_ANNOTATED', `Pair ${pair.externalId} is not annotated, so it has no comparison features to explain.`);
  const group = pair.unsafe ? UNSAFE_GROUP : pair.scenario;
  if (group === null) throw new AppFailure('UNASSIGNED', `Pair ${pair.externalId} has no scenario yet, so no group's model explains it: run the scenario job or set it in Data.`);
  const [effects] = judgeEffects(storage, pair.studyId, [input.judge], [group]);
  if (!effects) throw new AppFailure('NO_FIT', `${judgeLabel(input.judge)} has no finished fit on ${groupLabel(group)}; fit it in Dissect first.`);
  const explained = contributions(effects.properties.map((p) => p.alpha), comparisonFeatures(pair.annotation));
  return {
    pairId: pair.id, judge: input.judge, label: effects.label, group, ...explained,
    predicted: explained.probabilityA >= 0.5 ? 'A' : 'B',
    actual: pair.labels.find((l) => l.judge === input.judge.name)?.preferred ?? null,
  };
}

// ---------- Bradley-Terry ratings ----------

export interface Match { a: string; b: string; aWins: boolean }

/** Elo points per unit of the Bradley-Terry log-strength: P(a beats b) = 1 / (1 + 10^((R_b - R_a) / 400)). */
const ELO_PER_LOGIT = 400 / Math.LN10;
const ELO_BASE = 1000;
/**
 * A weak Gaussian prior (L2 penalty) on the log-strengths: it keeps a model that won or lost every game finite, and
 * centres the ratings (the likelihood's gradient sums to zero over models, so the penalised optimum has mean zero).
 */
const PENALTY = 0.01;

/** Solves A x = b in place (A symmetric positive definite, n small) by Gaussian elimination with pivoting. */
function solve(A: Float64Array, b: Float64Array, n: number): Float64Array {
  for (let c = 0; c < n; c++) {
    let pivot = c;
    for (let r = c + 1; r < n; r++) if (Math.abs(A[r * n + c]) > Math.abs(A[pivot * n + c])) pivot = r;
    if (pivot !== c) {
      for (let k = 0; k < n; k++) [A[c * n + k], A[pivot * n + k]] = [A[pivot * n + k], A[c * n + k]];
      [b[c], b[pivot]] = [b[pivot], b[c]];
    }
    for (let r = c + 1; r < n; r++) {
      const f = A[r * n + c] / A[c * n + c];
      if (f === 0) continue;
      for (let k = c; k < n; k++) A[r * n + k] -= f * A[c * n + k];
      b[r] -= f * b[c];
    }
  }
  const x = new Float64Array(n);
  for (let r = n - 1; r >= 0; r--) {
    let s = b[r];
    for (let k = r + 1; k < n; k++) s -= A[r * n + k] * x[k];
    x[r] = s / A[r * n + r];
  }
  return x;
}

/** Maximum penalised likelihood log-strengths by Newton's method (the problem is concave and small). */
export function bradleyTerry(matches: { a: number; b: number; aWins: boolean }[], models: number): Float64Array {
  const beta = new Float64Array(models);
  for (let iteration = 0; iteration < 100; iteration++) {
    const gradient = new Float64Array(models);
    const hessian = new Float64Array(models * models);
    for (let k = 0; k < models; k++) {
      gradient[k] = -PENALTY * beta[k];
      hessian[k * models + k] = PENALTY;
    }
    for (const m of matches) {
      const p = sigmoid(beta[m.a] - beta[m.b]);
      const g = (m.aWins ? 1 : 0) - p;
      const w = p * (1 - p);
      gradient[m.a] += g;
      gradient[m.b] -= g;
      hessian[m.a * models + m.a] += w;
      hessian[m.b * models + m.b] += w;
      hessian[m.a * models + m.b] -= w;
      hessian[m.b * models + m.a] -= w;
    }
    const step = solve(hessian, gradient, models);
    let largest = 0;
    for (let k = 0; k < models; k++) {
      beta[k] += step[k];
      largest = Math.max(largest, Math.abs(step[k]));
    }
    if (largest < 1e-9) break;
  }
  return beta;
}

const quantile = (sorted: number[], q: number) => {
  const at = (sorted.length - 1) * q;
  const lo = Math.floor(at);
  return sorted[lo] + (sorted[Math.min(lo + 1, sorted.length - 1)] - sorted[lo]) * (at - lo);
};

/**
 * Elo-scale ratings with 90% bootstrap intervals: the matches are resampled with replacement `bootstrap` times and
 * refitted; a model absent from a resample adds nothing to its interval that time.
 */
export function modelRatings(matches: Match[], bootstrap: number, seed: number): ModelRating[] {
  const models = [...new Set(matches.flatMap((m) => [m.a, m.b]))].sort();
  const index = new Map(models.map((m, i) => [m, i]));
  const indexed = matches.map((m) => ({ a: index.get(m.a)!, b: index.get(m.b)!, aWins: m.aWins }));
  const toElo = (beta: number) => ELO_BASE + ELO_PER_LOGIT * beta;
  const point = bradleyTerry(indexed, models.length);
  const samples: number[][] = models.map(() => []);
  const rng = new Rng(seed);
  for (let b = 0; b < bootstrap; b++) {
    const resample = indexed.map(() => indexed[rng.int(indexed.length)]);
    const present = new Set(resample.flatMap((m) => [m.a, m.b]));
    const beta = bradleyTerry(resample, models.length);
    // Centre on the models present, so that an absent model's zero does not shift the others.
    const centre = [...present].reduce((t, k) => t + beta[k], 0) / present.size;
    for (const k of present) samples[k].push(toElo(beta[k] - centre));
  }
  return models.map((model, k) => {
    const games = indexed.filter((m) => m.a === k || m.b === k);
    const sorted = samples[k].sort((x, y) => x - y);
    const rating = toElo(point[k]);
    return {
      model, rating,
      q5: sorted.length ? quantile(sorted, 0.05) : rating,
      q95: sorted.length ? quantile(sorted, 0.95) : rating,
      games: games.length,
      wins: games.filter((m) => (m.a === k) === m.aWins).length,
    };
  }).sort((x, y) => y.rating - x.rating);
}

export const DEFAULT_BOOTSTRAP = 200;

/** pElo of the source models under one judge's labels: overall, and on the pairs where `property` differs. */
export function preferenceElo(
  storage: Storage,
  input: { studyId: number; judge: string; property?: string; bootstrap?: number; seed?: number },
): PeloResult {
  storage.pairs.judgeId(input.judge);
  const bootstrap = input.bootstrap ?? DEFAULT_BOOTSTRAP;
  if (!Number.isInteger(bootstrap) || bootstrap < 0 || bootstrap > 5000) throw new AppFailure('INVALID', `bootstrap must be a whole number from 0 to 5000, not ${bootstrap}.`);
  const seed = input.seed ?? 1;
  const position = input.property === undefined ? -1 : PROPERTY_NAMES.indexOf(input.property);
  if (input.property !== undefined && position < 0) throw new AppFailure('INVALID', `Unknown property "${input.property}".`);
  const judged = storage.pairs.judgedMatches(input.studyId, input.judge).filter((m) => m.modelA !== m.modelB);
  if (judged.length === 0) throw new AppFailure('NO_PAIRS', `${input.judge} labelled no pair of two different source models in this study.`);
  const asMatch = (m: (typeof judged)[number]): Match => ({ a: m.modelA, b: m.modelB, aWins: m.preferred === 'A' });
  const differs = position < 0 ? [] : judged.filter((m) => m.annotated && comparisonFeatures(storage.annotations.annotation(m.pairId))[position] !== 0);
  return {
    judge: input.judge,
    bootstrap,
    overall: { pairs: judged.length, ratings: modelRatings(judged.map(asMatch), bootstrap, seed) },
    property: position < 0 ? null : { name: input.property!, pairs: differs.length, ratings: differs.length ? modelRatings(differs.map(asMatch), bootstrap, seed) : [] },
  };
}

// ---------- tables ----------

export function contributionsTable(e: PairExplanation): Table {
  return {
    title: `Contributions to ${e.label}'s preference on pair ${e.pairId} (${groupLabel(e.group)}): P(A) = ${e.probabilityA.toFixed(3)}`,
    columns: ['property', 'phi', 'alpha', 'alpha * phi'],
    rows: [...e.contributions.map((c) => [c.name, c.phi, c.alpha, c.contribution]), ['logit', null, null, e.logit]],
  };
}

export function peloTable(result: PeloResult): Table {
  const rows = (scope: string, ratings: ModelRating[]) => ratings.map((r) => [scope, r.model, r.rating, r.q5, r.q95, r.games, r.wins]);
  return {
    title: `Bradley-Terry ratings of the source models by ${result.judge}'s labels`,
    columns: ['pairs', 'model', 'rating', '5%', '95%', 'games', 'wins'],
    rows: [
      ...rows('all', result.overall.ratings),
      ...(result.property ? rows(`${result.property.name} differs`, result.property.ratings) : []),
    ],
    digits: 0,
  };
}
