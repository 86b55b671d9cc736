// Dissection: fitting a judge's effect strengths (section 3.5, appendix I).
import type { Id, Name, Seed } from './common';

/** How a dissection is fitted (section 3.5, appendix I): NUTS chains, 10-fold averaging, Laplace(0, b) prior. */
export interface FitSettings {
  chains: number;
  warmup: number;
  draws: number;
  /** 1 fits all rows once; the paper averages 10. */
  folds: number;
  /** b of the Laplace prior, or 'auto' to choose it per fold on the held-out part over PRIOR_SCALE_GRID. */
  priorScale: number | 'auto';
  seed: Seed;
  /**
   * 'split' (the default when absent): the Laplace prior moved exactly, ~4x fewer gradients; 'leapfrog': Stan's
   * and numpyro's integrator step for step. Same posterior (native-workers/README.md).
   */
  integrator?: 'split' | 'leapfrog';
  /**
   * Pairs whose error detection said "not applicable" for either response (section 3.4). 'exclude' (the default when
   * absent): left out of the fit, as the paper ("samples tagged as 'not applicable' are excluded") and the authors'
   * code do; 'zero-errors': kept, with their three error features at 0 (how fits were made before issue 18).
   */
  notApplicable?: 'exclude' | 'zero-errors';
}

/** One property's effect strength in a fit: alpha's posterior and the degree of preference sigma(alpha). */
export interface PropertyEffect {
  name: string;
  alphaMean: number;
  alphaSd: number;
  alphaQ5: number;
  alphaQ95: number;
  /** sigma(mean alpha): the paper's degree of preference (section 4.1.1). */
  strength: number;
  /** 90% credible interval of sigma(alpha). */
  strengthQ5: number;
  strengthQ95: number;
  rhat: number;
  essBulk: number;
  essTail: number;
  mcseMean: number;
}

export interface FitDiagnostics {
  maxRhat: number;
  minEssBulk: number;
  minEssTail: number;
  divergences: number;
  treedepthSaturated: number;
  stepSize: number;
  /** R-hat above 1.01 or any divergence: shown, never hidden. */
  flagged: boolean;
  wallSeconds: number;
  /** The prior scale used per fold. */
  priorScales: number[];
  /** How the draws were made, e.g. "NUTS, split integrator, wasm-simd kernel" (absent in fits stored before it was recorded). */
  sampler?: string;
  /**
   * Labelled, annotated pairs of the group whose error check was "not applicable" for a response: left out of the fit,
   * or kept with zero error features (settings.notApplicable). Absent in fits stored before it was counted.
   */
  notApplicablePairs?: number;
}

export interface FitRecord {
  id: number;
  studyId: number;
  judge: string;
  group: string;
  status: 'running' | 'done' | 'failed' | 'cancelled';
  settings: FitSettings;
  startedAt: string;
  finishedAt: string | null;
  rows: number | null;
  /** Mean held-out accuracy over folds (Table 10); null for a single fit on all rows. */
  accuracy: number | null;
  properties: PropertyEffect[];
  diagnostics: FitDiagnostics | null;
  error: string | null;
}

/** The MAP estimate shown while the full fit runs. */
export interface FitPreview { judge: string; group: string; rows: number; properties: { name: string; alpha: number; strength: number }[] }

/** The dissect channels: request and reply of each. */
export interface DissectContract {
  /** Groups of a study with their pair counts for a judge (labelled and annotated pairs only). */
  'dissect.groups': { req: { studyId: Id; judge: Name }; res: { group: string; rows: number }[] };
  /** Queues full fits of one judge on groups; progress arrives as job.progress events. */
  'dissect.fit': { req: { studyId: Id; judge: Name; groups: Name[]; settings?: Partial<FitSettings> }; res: { jobId: string } };
  'dissect.preview': { req: { studyId: Id; judge: Name; group: Name; priorScale?: number }; res: FitPreview };
  /** The latest fit per judge and group of a study. */
  'dissect.fits': { req: { studyId: Id }; res: FitRecord[] };
}
export type DissectChannel = keyof DissectContract;
