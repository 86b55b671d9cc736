// Dissection (section 3.5): comparison features of one judge's labelled pairs in a group, fitted by the
// Bayesian logistic regression with a Laplace(0, b) prior, 4 NUTS chains and 10-fold averaging; results stored.
import type { FitDiagnostics, FitPreview, FitRecord, FitSettings, PropertyEffect } from '../../../preload/contract';
import { crossFit, fitLogistic, mapEstimate, type SamplerPool, type FitSummary, type DegreeOfPreference } from '../../../native-workers';
import { comparisonFeatures } from '../data/features';
import { PROPERTY_COUNT, PROPERTY_NAMES } from '../data/properties';
import type { Storage } from '../storage';
import { AppFailure } from '../errors';
import { groupLabel } from '../../../preload/contract';

export const DEFAULT_FIT_SETTINGS: FitSettings = { chains: 4, warmup: 500, draws: 1500, folds: 10, priorScale: 0.1, seed: 1, integrator: 'split' };
/** Candidate prior scales for priorScale 'auto' (appendix I chose b on the held-out part). */
export const PRIOR_SCALE_GRID = [0.03, 0.1, 0.3, 1];

export interface ComparisonData {
  /** rows x 29, row-major, +1/0/-1. */
  X: Int8Array;
  /** 1 when the judge preferred A. */
  y: Uint8Array;
  pairIds: number[];
  /** Pairs whose error check was "not applicable" for a response: left out, or kept with zero error features. */
  notApplicable: number;
}

/**
 * A judge's labelled, annotated pairs of a group as comparison features. A pair whose error detection was "not
 * applicable" for either response is left out, as the authors' code does (resolve_collected_data.py marks its
 * accuracy comparison 999 when either response's "accuracy check" is not "applicable", and the fit skips those
 * rows), unless `notApplicable` is 'zero-errors'.
 */
export function comparisonData(storage: Storage, studyId: number, judge: string, group: string,
  notApplicable: FitSettings['notApplicable'] = 'exclude'): ComparisonData {
  const rows: { pairId: number; preferred: string; features: Int8Array | number[] }[] = [];
  let unreliable = 0;
  for (const p of storage.pairs.labelledPairs(studyId, judge, group)) {
    const annotation = storage.annotations.annotation(p.pairId);
    const errors = annotation.errors;
    if (errors && !(errors.A.applicable && errors.B.applicable)) {
      unreliable++;
      if (notApplicable !== 'zero-errors') continue;
    }
    rows.push({ pairId: p.pairId, preferred: p.preferred, features: comparisonFeatures(annotation) });
  }
  const X = new Int8Array(rows.length * PROPERTY_COUNT);
  const y = new Uint8Array(rows.length);
  rows.forEach((r, i) => {
    X.set(r.features, i * PROPERTY_COUNT);
    y[i] = r.preferred === 'A' ? 1 : 0;
  });
  return { X, y, pairIds: rows.map((r) => r.pairId), notApplicable: unreliable };
}

export function validateSettings(partial: Partial<FitSettings> = {}): FitSettings {
  const s = { ...DEFAULT_FIT_SETTINGS, ...partial };
  const whole = (name: keyof FitSettings, min: number, max: number) => {
    const v = s[name];
    if (typeof v !== 'number' || !Number.isInteger(v) || v < min || v > max) {
      throw new AppFailure('INVALID', `${name} must be a whole number from ${min} to ${max}, not ${JSON.stringify(v)}.`);
    }
  };
  whole('chains', 1, 16);
  whole('warmup', 10, 100_000);
  whole('draws', 10, 100_000);
  whole('folds', 1, 20);
  whole('seed', 0, 2 ** 31 - 1);
  if (s.priorScale !== 'auto' && !(typeof s.priorScale === 'number' && s.priorScale > 0 && Number.isFinite(s.priorScale))) {
    throw new AppFailure('INVALID', `The prior scale must be a positive number or "auto", not ${JSON.stringify(s.priorScale)}.`);
  }
  if (s.notApplicable !== undefined && s.notApplicable !== 'exclude' && s.notApplicable !== 'zero-errors') {
    throw new AppFailure('INVALID', `Pairs whose error check was not applicable are either "exclude"d or kept with "zero-errors", not ${JSON.stringify(s.notApplicable)}.`);
  }
  if (s.integrator !== 'split' && s.integrator !== 'leapfrog') {
    throw new AppFailure('INVALID', `The integrator must be "split" or "leapfrog", not ${JSON.stringify(s.integrator)}.`);
  }
  return s;
}

const sigmoid = (x: number) => 1 / (1 + Math.exp(-x));

function effects(alpha: ArrayLike<number>, dop: DegreeOfPreference[], summaries: FitSummary[]): PropertyEffect[] {
  const n = summaries.length;
  return PROPERTY_NAMES.map((name, k) => {
    const params = summaries.map((s) => s.parameters[k]);
    const mean = (f: (p: FitSummary['parameters'][number]) => number) => params.reduce((t, p) => t + f(p), 0) / n;
    return {
      name,
      alphaMean: alpha[k],
      alphaSd: mean((p) => p.sd),
      alphaQ5: mean((p) => p.q5),
      alphaQ95: mean((p) => p.q95),
      strength: sigmoid(alpha[k]),
      strengthQ5: dop[k].q5,
      strengthQ95: dop[k].q95,
      rhat: Math.max(...params.map((p) => p.rhat)),
      essBulk: Math.min(...params.map((p) => p.essBulk)),
      essTail: Math.min(...params.map((p) => p.essTail)),
      // The average of independent fold means: its error adds in quadrature.
      mcseMean: Math.sqrt(params.reduce((t, p) => t + p.mcseMean ** 2, 0)) / n,
    };
  });
}

function diagnostics(summaries: FitSummary[], wallSeconds: number, priorScales: number[], sampler: string): FitDiagnostics {
  const maxRhat = Math.max(...summaries.map((s) => s.maxRhat));
  const divergences = summaries.reduce((t, s) => t + s.divergences, 0);
  return {
    maxRhat,
    minEssBulk: Math.min(...summaries.map((s) => s.minEssBulk)),
    minEssTail: Math.min(...summaries.map((s) => s.minEssTail)),
    divergences,
    treedepthSaturated: summaries.reduce((t, s) => t + s.treedepthSaturated, 0),
    stepSize: summaries.reduce((t, s) => t + s.stepSize, 0) / summaries.length,
    flagged: !(maxRhat <= 1.01) || divergences > 0,
    wallSeconds,
    priorScales,
    sampler,
  };
}

/** Why a fit is flagged, in words ("R-hat 1.052 > 1.01, 3 divergences"), or null: the mark every use of it carries. */
export function fitFlag(d: FitDiagnostics | null): string | null {
  if (!d?.flagged) return null;
  const reasons: string[] = [];
  if (!(d.maxRhat <= 1.01)) reasons.push(`R-hat ${d.maxRhat.toFixed(3)} > 1.01`);
  if (d.divergences > 0) reasons.push(`${d.divergences} divergence${d.divergences === 1 ? '' : 's'}`);
  return reasons.join(' and ');
}

/** The flags of a judge's fits over groups, one line: "Code: R-hat 1.052 > 1.01; Advice: 2 divergences", or null. */
export function groupFlags(effects: { group: string; flag: string | null }[]): string | null {
  const flagged = effects.filter((e) => e.flag);
  return flagged.length ? flagged.map((e) => `${groupLabel(e.group)}: ${e.flag}`).join('; ') : null;
}

export interface FitProgress { fraction: number; etaSeconds: number | null }

export interface FitOutcome { rows: number; accuracy: number | null; properties: PropertyEffect[]; diagnostics: FitDiagnostics }

/**
 * Fits comparison features to labels: one fit on all rows (folds 1) or the paper's k-fold averaging, chains in
 * the pool. Used for stored groups and for a features file alike.
 */
export async function fitComparisons(
  pool: SamplerPool,
  data: { X: Int8Array; y: Uint8Array },
  settings: FitSettings,
  control: { signal?: AbortSignal; onProgress?: (p: FitProgress) => void } = {},
): Promise<FitOutcome> {
  const started = performance.now();
  const common = {
    X: data.X, y: data.y, K: PROPERTY_COUNT, chains: settings.chains, warmup: settings.warmup, draws: settings.draws,
    seed: settings.seed, pool, signal: control.signal, names: [...PROPERTY_NAMES], nuts: { integrator: settings.integrator },
  };
  const onProgress = (p: { iterationsDone: number; iterationsTotal: number; etaMs?: number }) =>
    control.onProgress?.({ fraction: p.iterationsDone / p.iterationsTotal, etaSeconds: p.etaMs === undefined ? null : p.etaMs / 1000 });
  const seconds = () => (performance.now() - started) / 1000;
  if (settings.folds === 1) {
    const priorScale = settings.priorScale === 'auto' ? (DEFAULT_FIT_SETTINGS.priorScale as number) : settings.priorScale;
    const fit = await fitLogistic({ ...common, priorScale, onProgress });
    return {
      rows: data.y.length, accuracy: null,
      properties: effects(fit.posteriorMean, fit.degreeOfPreference, [fit.summary]),
      diagnostics: diagnostics([fit.summary], seconds(), [priorScale], fit.sampler),
    };
  }
  const result = await crossFit({
    ...common,
    folds: settings.folds,
    shuffleSeed: settings.seed,
    ...(settings.priorScale === 'auto' ? { priorScaleGrid: PRIOR_SCALE_GRID } : { priorScale: settings.priorScale }),
    onProgress,
  });
  const summaries = result.folds.map((f) => f.summary);
  return {
    rows: data.y.length, accuracy: result.accuracy,
    properties: effects(result.alpha, result.degreeOfPreference, summaries),
    diagnostics: diagnostics(summaries, seconds(), result.folds.map((f) => f.priorScale), result.sampler),
  };
}

/** The fewest rows a fit accepts: one per fold, and never fewer than two. */
export const minimumRows = (settings: FitSettings) => Math.max(2, settings.folds);

/**
 * Fits one judge on one group and stores the result. A cancelled or failed fit is stored with that status and
 * the error is rethrown.
 */
export async function fitGroup(
  storage: Storage,
  pool: SamplerPool,
  input: { studyId: number; judge: string; group: string; settings: FitSettings; signal?: AbortSignal; onProgress?: (p: FitProgress) => void },
): Promise<FitRecord> {
  const { studyId, judge, group, settings } = input;
  const data = comparisonData(storage, studyId, judge, group, settings.notApplicable);
  if (data.y.length < minimumRows(settings)) {
    const leftOut = data.notApplicable && settings.notApplicable !== 'zero-errors' ? ` (${data.notApplicable} more were left out: their error check was not applicable)` : '';
    throw new AppFailure('TOO_FEW_PAIRS', `${judge} labelled only ${data.y.length} annotated pairs in ${groupLabel(group)}${leftOut}; a fit needs at least ${minimumRows(settings)}.`);
  }
  const fitId = storage.fits.startFit(studyId, judge, group, settings);
  try {
    const outcome = await fitComparisons(pool, data, settings, input);
    outcome.diagnostics.notApplicablePairs = data.notApplicable;
    storage.fits.finishFit(fitId, { status: 'done', ...outcome });
  } catch (err) {
    const cancelled = input.signal?.aborted ?? false;
    storage.fits.finishFit(fitId, { status: cancelled ? 'cancelled' : 'failed', error: cancelled ? 'Cancelled.' : (err as Error).message });
    throw err;
  }
  return storage.fits.latestFits(studyId).find((f) => f.id === fitId)!;
}

/** The MAP estimate under the same prior: an instant preview while the full fit runs. */
export function previewGroup(storage: Storage, input: { studyId: number; judge: string; group: string; priorScale?: number }): FitPreview {
  const data = comparisonData(storage, input.studyId, input.judge, input.group);
  const { alpha } = mapEstimate(data.X, data.y, PROPERTY_COUNT, { priorScale: input.priorScale ?? (DEFAULT_FIT_SETTINGS.priorScale as number) });
  return {
    judge: input.judge, group: input.group, rows: data.y.length,
    properties: PROPERTY_NAMES.map((name, k) => ({ name, alpha: alpha[k], strength: sigmoid(alpha[k]) })),
  };
}
