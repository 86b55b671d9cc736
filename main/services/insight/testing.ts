// Helpers shared by the insight services' tests: the demo project in a fresh database, and fits stored with
// chosen weights (so a test knows the model it explains or relabels with, without running the sampler).
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { PropertyEffect } from '../../../preload/contract';
import { Storage } from '../storage';
import { buildDemoBatch } from '../data/demo';
import { DEFAULT_FIT_SETTINGS } from '../dissect/dissection';
import { PROPERTY_NAMES } from '../data/properties';

export function demoStorage(): { storage: Storage; studyId: number } {
  const storage = new Storage(join(mkdtempSync(join(tmpdir(), 'ps-insight-')), 'db.sqlite'));
  const { studyId } = storage.studies.insertBatch({ name: 'Demo project', isDemo: true }, buildDemoBatch(), { fileName: 'embedded demo', sha256: 'demo' });
  return { storage, studyId };
}

/** Stores a finished fit whose posterior means are `alpha` (intervals +-0.1 around them); `flagged`: R-hat 1.05, 3 divergences. */
export function storeFit(storage: Storage, studyId: number, judge: string, group: string, alpha: number[], accuracy: number | null = null, flagged = false): number {
  const sigmoid = (x: number) => 1 / (1 + Math.exp(-x));
  const properties: PropertyEffect[] = PROPERTY_NAMES.map((name, i) => ({
    name, alphaMean: alpha[i], alphaSd: 0.05, alphaQ5: alpha[i] - 0.1, alphaQ95: alpha[i] + 0.1, strength: sigmoid(alpha[i]),
    strengthQ5: sigmoid(alpha[i] - 0.1), strengthQ95: sigmoid(alpha[i] + 0.1), rhat: 1, essBulk: 1000, essTail: 1000, mcseMean: 0.001,
  }));
  const fitId = storage.fits.startFit(studyId, judge, group, DEFAULT_FIT_SETTINGS);
  storage.fits.finishFit(fitId, {
    status: 'done', rows: 400, accuracy, properties,
    diagnostics: {
      maxRhat: flagged ? 1.05 : 1, minEssBulk: 1000, minEssTail: 1000, divergences: flagged ? 3 : 0, treedepthSaturated: 0, stepSize: 0.5, flagged,
      wallSeconds: 1, priorScales: [0.1],
    },
  });
  return fitId;
}
