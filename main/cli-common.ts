// What the command line's subcommands share: option parsing, the database, the sampler's settings and pool, and
// how a fit is printed; main/cli.ts holds the subcommands themselves.
import { mkdirSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs, type ParseArgsConfig } from 'node:util';
import type { FitOutcome, FitProgress } from './services/dissect/dissection';
import type { FitSettings } from '../preload/contract';
import { DATABASE_FILE } from './services/studio';
import { defaultDataDir } from './paths';
import { AppFailure } from './services/errors';

export const SAMPLER_OPTIONS = {
  folds: { type: 'string' }, chains: { type: 'string' }, warmup: { type: 'string' }, draws: { type: 'string' },
  scale: { type: 'string' }, seed: { type: 'string' }, threads: { type: 'string' }, integrator: { type: 'string' },
} as const;
export const GLOBAL_OPTIONS = { db: { type: 'string' }, json: { type: 'boolean' }, help: { type: 'boolean' } } as const;

/** A usage mistake: one sentence, exit status 2. */
export class UsageError extends Error {}

export interface Output { json: boolean; out: (text: string) => void; err: (text: string) => void }

/**
 * Text for the terminal with its control characters made visible: C0 (but line feed and tab), DEL, C1 and the bidi
 * overrides become \u escapes, so a file name, study name or message quoting a file cannot retitle, clear or reorder
 * the terminal. JSON text keeps its meaning: such characters only occur inside its strings, where \u is an escape.
 */
export function sanitizeForTerminal(text: string): string {
  // eslint-disable-next-line no-control-regex -- finding control characters is the point
  return text.replace(/[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u200e\u200f\u202a-\u202e\u2066-\u2069]/g,
    (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

/** `positionals`: how many files or names the command takes ('several': one or more). */
export function parse<O extends NonNullable<ParseArgsConfig['options']>>(args: string[], options: O, positionals: number | 'several') {
  try {
    const parsed = parseArgs({ args, options: { ...GLOBAL_OPTIONS, ...options }, allowPositionals: true, strict: true });
    if (positionals === 'several') {
      if (parsed.positionals.length === 0) throw new UsageError('Name at least one file.');
    } else if (parsed.positionals.length !== positionals) {
      throw new UsageError(positionals === 0 ? `This command takes no file or name (got "${parsed.positionals.join(' ')}").` : 'Name exactly one file.');
    }
    return parsed;
  } catch (err) {
    if (err instanceof UsageError) throw err;
    // Node's parser sometimes adds hint lines; the first line is the sentence that matters.
    throw new UsageError((err as Error).message.split('\n')[0].replace(/\.?$/, '.'));
  }
}

export function databasePath(db: string | undefined): string {
  return db ?? join(defaultDataDir(), DATABASE_FILE);
}

/** Opens storage lazily so that usage errors never create a database. */
export async function openStorage(db: string | undefined, mustExist: boolean) {
  const path = databasePath(db);
  if (mustExist) {
    try {
      statSync(path);
    } catch {
      throw new AppFailure('NOT_FOUND', `There is no database at ${path}; import something first or pass --db.`);
    }
  }
  mkdirSync(dirname(path), { recursive: true });
  const { Storage } = await import('./services/storage');
  return new Storage(path);
}

export function number(name: string, value: string | undefined, whole = true): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (value.trim() === '' || !Number.isFinite(n) || (whole && !Number.isInteger(n))) throw new UsageError(`--${name} must be ${whole ? 'a whole number' : 'a number'}, not "${value}".`);
  return n;
}

export async function samplerSettings(values: Record<string, unknown>) {
  const { validateSettings } = await import('./services/dissect/dissection');
  const scale = values.scale as string | undefined;
  try {
    return validateSettings(Object.fromEntries(Object.entries({
      folds: number('folds', values.folds as string | undefined),
      chains: number('chains', values.chains as string | undefined),
      warmup: number('warmup', values.warmup as string | undefined),
      draws: number('draws', values.draws as string | undefined),
      seed: number('seed', values.seed as string | undefined),
      priorScale: scale === undefined ? undefined : scale === 'auto' ? 'auto' : number('scale', scale, false),
      integrator: values.integrator as FitSettings['integrator'],
    }).filter(([, v]) => v !== undefined)));
  } catch (err) {
    if (err instanceof AppFailure) throw new UsageError(err.message);
    throw err;
  }
}

export async function samplerPool(threads: string | undefined) {
  const { SamplerPool } = await import('../native-workers');
  return new SamplerPool({ workerUrl: samplerWorkerUrl(), size: number('threads', threads) });
}

/** The bundled worker beside this file; under tsx (tests of the source), the source tree's worker. */
export function samplerWorkerUrl(): URL {
  const here = fileURLToPath(import.meta.url);
  return here.endsWith('.ts') ? new URL('../native-workers/worker-dev.mjs', import.meta.url) : new URL('./sampler-worker.js', import.meta.url);
}

/** A progress bar with ETA on stderr, only when stderr is a terminal. */
/** `note`: said after the ETA while it holds (an annotation job waiting for the rate limit). */
export function progressBar(name: string): (p: FitProgress & { note?: string | null }) => void {
  if (!process.stderr.isTTY) return () => {};
  const label = sanitizeForTerminal(name);
  return (p) => {
    const width = 30;
    const filled = Math.round(p.fraction * width);
    const eta = p.etaSeconds === null ? '' : ` ETA ${Math.ceil(p.etaSeconds)} s`;
    const note = p.note ? `, ${p.note}` : '';
    process.stderr.write(`\r${label} [${'#'.repeat(filled)}${' '.repeat(width - filled)}] ${(p.fraction * 100).toFixed(0)}%${eta}${note}   \x1b[K`);
    if (p.fraction >= 1) process.stderr.write('\n');
  };
}

export function fitTable(outcome: FitOutcome): string {
  const lines = outcome.properties
    .map((p) => `  ${p.name.padEnd(26)} ${p.alphaMean.toFixed(3).padStart(7)}  ${(p.strength * 100).toFixed(1).padStart(5)}%  [${(p.strengthQ5 * 100).toFixed(1)}, ${(p.strengthQ95 * 100).toFixed(1)}]  R-hat ${p.rhat.toFixed(3)}  ESS ${Math.round(p.essBulk)}/${Math.round(p.essTail)}`);
  const d = outcome.diagnostics;
  const flags = d.flagged ? `  FLAGGED: ${d.maxRhat > 1.01 ? `R-hat ${d.maxRhat.toFixed(3)} > 1.01 ` : ''}${d.divergences ? `${d.divergences} divergences` : ''}` : '';
  return [
    `  property                    alpha   sigma(alpha)  90% interval`,
    ...lines,
    `  ${outcome.rows} pairs${d.notApplicablePairs ? ` (${d.notApplicablePairs} left out: a response tagged not applicable)` : ''}, max R-hat ${d.maxRhat.toFixed(3)}, min ESS ${Math.round(d.minEssBulk)} bulk / ${Math.round(d.minEssTail)} tail, ${d.divergences} divergences, ${d.wallSeconds.toFixed(1)} s${outcome.accuracy === null ? '' : `, held-out accuracy ${(outcome.accuracy * 100).toFixed(1)}%`}${flags}`,
  ].join('\n');
}

export function fitJson(outcome: FitOutcome, settings: { chains: number; draws: number; warmup: number; folds: number }) {
  return {
    // Pairs left out because error detection tagged a response not applicable (section 3.4).
    rows: outcome.rows, notApplicablePairs: outcome.diagnostics.notApplicablePairs ?? 0, chains: settings.chains, warmup: settings.warmup, draws: settings.draws, folds: settings.folds,
    divergences: outcome.diagnostics.divergences, wallSeconds: outcome.diagnostics.wallSeconds,
    heldOutAccuracy: outcome.accuracy, maxRhat: outcome.diagnostics.maxRhat, flagged: outcome.diagnostics.flagged,
    priorScales: outcome.diagnostics.priorScales, sampler: outcome.diagnostics.sampler,
    properties: outcome.properties.map((p) => ({
      name: p.name, mean: p.alphaMean, sd: p.alphaSd, q5: p.alphaQ5, q95: p.alphaQ95, sigmaMean: p.strength,
      sigmaQ5: p.strengthQ5, sigmaQ95: p.strengthQ95, rhat: p.rhat, essBulk: p.essBulk, essTail: p.essTail, mcseMean: p.mcseMean,
    })),
  };
}
