// The command line: the app's own services from a terminal, for scripted and server-side analysis.
// Every subcommand calls the same service the UI calls; nothing is implemented twice.
import { readFileSync, statSync } from 'node:fs';
import { dirname, join, basename } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs, type ParseArgsConfig } from 'node:util';
import type { FitOutcome, FitProgress } from './services/dissection';
import { comparisonsFromCsv } from './services/features-file';
import { DATABASE_FILE, importBytes } from './services/studio';
import { defaultDataDir } from './paths';
import { AppFailure } from './services/errors';
import pkg from '../package.json';

const USAGE = `Usage: preference-studio <command> [options]

Commands:
  import FILE [--study NAME]          import pairs (Chatbot Arena JSON/JSONL/parquet, the paper's format, CSV/JSONL)
  studies                             list the studies with their pair counts
  fit --study NAME --judge J [--group G | --all-groups] [sampler options]
                                      fit and store the dissection of a judge
  fit-features FILE.csv [sampler options]
                                      fit straight from a CSV of comparison features (a label column and
                                      one column per property, named as the paper's short names)
  serve [--port P]                    browser mode: serve the app on 127.0.0.1

Sampler options: --folds 10 --chains 4 --warmup 500 --draws 1500 --scale 0.1|auto --seed 1 --threads N
Global options:  --db PATH (default: the app's database in ${join(defaultDataDir(), DATABASE_FILE)})
                 --json (machine-readable output on stdout)  --help`;

const SAMPLER_OPTIONS = {
  folds: { type: 'string' }, chains: { type: 'string' }, warmup: { type: 'string' }, draws: { type: 'string' },
  scale: { type: 'string' }, seed: { type: 'string' }, threads: { type: 'string' },
} as const;
const GLOBAL_OPTIONS = { db: { type: 'string' }, json: { type: 'boolean' }, help: { type: 'boolean' } } as const;

/** A usage mistake: one sentence, exit status 2. */
class UsageError extends Error {}

interface Output { json: boolean; out: (text: string) => void; err: (text: string) => void }

function parse<O extends NonNullable<ParseArgsConfig['options']>>(args: string[], options: O, positionals: number) {
  try {
    const parsed = parseArgs({ args, options: { ...GLOBAL_OPTIONS, ...options }, allowPositionals: true, strict: true });
    if (parsed.positionals.length !== positionals) {
      throw new UsageError(positionals === 0 ? `This command takes no file or name (got "${parsed.positionals.join(' ')}").` : 'Name exactly one file.');
    }
    return parsed;
  } catch (err) {
    if (err instanceof UsageError) throw err;
    // Node's parser sometimes adds hint lines; the first line is the sentence that matters.
    throw new UsageError((err as Error).message.split('\n')[0].replace(/\.?$/, '.'));
  }
}

function databasePath(db: string | undefined): string {
  return db ?? join(defaultDataDir(), DATABASE_FILE);
}

/** Opens storage lazily so that usage errors never create a database. */
async function openStorage(db: string | undefined, mustExist: boolean) {
  const path = databasePath(db);
  if (mustExist) {
    try {
      statSync(path);
    } catch {
      throw new AppFailure('NOT_FOUND', `There is no database at ${path}; import something first or pass --db.`);
    }
  }
  const { mkdirSync } = await import('node:fs');
  mkdirSync(dirname(path), { recursive: true });
  const { Storage } = await import('./services/storage');
  return new Storage(path);
}

function number(name: string, value: string | undefined, whole = true): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (value.trim() === '' || !Number.isFinite(n) || (whole && !Number.isInteger(n))) throw new UsageError(`--${name} must be ${whole ? 'a whole number' : 'a number'}, not "${value}".`);
  return n;
}

async function samplerSettings(values: Record<string, unknown>) {
  const { validateSettings } = await import('./services/dissection');
  const scale = values.scale as string | undefined;
  try {
    return validateSettings(Object.fromEntries(Object.entries({
      folds: number('folds', values.folds as string | undefined),
      chains: number('chains', values.chains as string | undefined),
      warmup: number('warmup', values.warmup as string | undefined),
      draws: number('draws', values.draws as string | undefined),
      seed: number('seed', values.seed as string | undefined),
      priorScale: scale === undefined ? undefined : scale === 'auto' ? 'auto' : number('scale', scale, false),
    }).filter(([, v]) => v !== undefined)));
  } catch (err) {
    if (err instanceof AppFailure) throw new UsageError(err.message);
    throw err;
  }
}

async function samplerPool(threads: string | undefined) {
  const { SamplerPool } = await import('../native-workers');
  return new SamplerPool({ workerUrl: samplerWorkerUrl(), size: number('threads', threads) });
}

/** The bundled worker beside this file; under tsx (tests of the source), the source tree's worker. */
function samplerWorkerUrl(): URL {
  const here = fileURLToPath(import.meta.url);
  return here.endsWith('.ts') ? new URL('../native-workers/worker-dev.mjs', import.meta.url) : new URL('./sampler-worker.js', import.meta.url);
}

/** A progress bar with ETA on stderr, only when stderr is a terminal. */
function progressBar(label: string): (p: FitProgress) => void {
  if (!process.stderr.isTTY) return () => {};
  return (p) => {
    const width = 30;
    const filled = Math.round(p.fraction * width);
    const eta = p.etaSeconds === null ? '' : ` ETA ${Math.ceil(p.etaSeconds)} s`;
    process.stderr.write(`\r${label} [${'#'.repeat(filled)}${' '.repeat(width - filled)}] ${(p.fraction * 100).toFixed(0)}%${eta}   `);
    if (p.fraction >= 1) process.stderr.write('\n');
  };
}

function fitTable(outcome: FitOutcome): string {
  const lines = outcome.properties
    .map((p) => `  ${p.name.padEnd(26)} ${p.alphaMean.toFixed(3).padStart(7)}  ${(p.strength * 100).toFixed(1).padStart(5)}%  [${(p.strengthQ5 * 100).toFixed(1)}, ${(p.strengthQ95 * 100).toFixed(1)}]  R-hat ${p.rhat.toFixed(3)}  ESS ${Math.round(p.essBulk)}/${Math.round(p.essTail)}`);
  const d = outcome.diagnostics;
  const flags = d.flagged ? `  FLAGGED: ${d.maxRhat > 1.01 ? `R-hat ${d.maxRhat.toFixed(3)} > 1.01 ` : ''}${d.divergences ? `${d.divergences} divergences` : ''}` : '';
  return [
    `  property                    alpha   sigma(alpha)  90% interval`,
    ...lines,
    `  ${outcome.rows} pairs, max R-hat ${d.maxRhat.toFixed(3)}, min ESS ${Math.round(d.minEssBulk)} bulk / ${Math.round(d.minEssTail)} tail, ${d.divergences} divergences, ${d.wallSeconds.toFixed(1)} s${outcome.accuracy === null ? '' : `, held-out accuracy ${(outcome.accuracy * 100).toFixed(1)}%`}${flags}`,
  ].join('\n');
}

function fitJson(outcome: FitOutcome, settings: { chains: number; draws: number; warmup: number; folds: number }) {
  return {
    rows: outcome.rows, chains: settings.chains, warmup: settings.warmup, draws: settings.draws, folds: settings.folds,
    divergences: outcome.diagnostics.divergences, wallSeconds: outcome.diagnostics.wallSeconds,
    heldOutAccuracy: outcome.accuracy, maxRhat: outcome.diagnostics.maxRhat, flagged: outcome.diagnostics.flagged,
    priorScales: outcome.diagnostics.priorScales,
    properties: outcome.properties.map((p) => ({
      name: p.name, mean: p.alphaMean, sd: p.alphaSd, q5: p.alphaQ5, q95: p.alphaQ95, sigmaMean: p.strength,
      sigmaQ5: p.strengthQ5, sigmaQ95: p.strengthQ95, rhat: p.rhat, essBulk: p.essBulk, essTail: p.essTail, mcseMean: p.mcseMean,
    })),
  };
}

const commands: Record<string, (args: string[], o: Output) => Promise<void>> = {
  async import(args, o) {
    const { values, positionals } = parse(args, { study: { type: 'string' } }, 1);
    const file = positionals[0];
    let bytes: Buffer;
    try {
      bytes = readFileSync(file);
    } catch (err) {
      throw new AppFailure('NOT_FOUND', `Cannot read ${file}: ${(err as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : (err as Error).message}.`);
    }
    const storage = await openStorage(values.db, false);
    try {
      const report = await importBytes(storage, { studyName: values.study ?? basename(file).replace(/\.[^.]+$/, ''), fileName: basename(file), bytes });
      if (o.json) return o.out(JSON.stringify(report));
      const dropped = report.dropped.map((d) => `${d.count} ${d.reason}`).join(', ') || 'none';
      o.out(`Imported ${report.kept} pairs into "${report.studyName}" (${report.format} format, ${report.annotated} annotated); dropped: ${dropped}; judges: ${report.judges.join(', ') || 'none'}.`);
    } finally {
      storage.close();
    }
  },

  async studies(args, o) {
    const { values } = parse(args, {}, 0);
    const storage = await openStorage(values.db, true);
    try {
      const studies = storage.listStudies();
      if (o.json) return o.out(JSON.stringify(studies));
      for (const s of studies) o.out(`${s.name}: ${s.pairCount} pairs, ${s.annotatedCount} annotated, ${s.judgeCount} judges${s.isDemo ? ' (demo)' : ''}`);
    } finally {
      storage.close();
    }
  },

  async fit(args, o) {
    const { values } = parse(args, { study: { type: 'string' }, judge: { type: 'string' }, group: { type: 'string' }, 'all-groups': { type: 'boolean' }, ...SAMPLER_OPTIONS }, 0);
    if (!values.study) throw new UsageError('Name the study with --study NAME.');
    if (!values.judge) throw new UsageError('Name the judge with --judge NAME.');
    if (!values.group === !values['all-groups']) throw new UsageError('Give either --group G or --all-groups.');
    const settings = await samplerSettings(values);
    const { GROUPS } = await import('./services/scenarios');
    if (values.group && !GROUPS.includes(values.group)) throw new UsageError(`"${values.group}" is not a group: use one of ${GROUPS.join(', ')}.`);
    const storage = await openStorage(values.db, true);
    const pool = await samplerPool(values.threads);
    try {
      const studyId = storage.studyIdByName(values.study);
      if (studyId === null) throw new AppFailure('NOT_FOUND', `There is no study named "${values.study}".`);
      storage.judgeId(values.judge);
      const { fitGroup, minimumRows } = await import('./services/dissection');
      const groups = values.group ? [values.group] : GROUPS.filter((g) => storage.labelledPairs(studyId, values.judge!, g).length >= minimumRows(settings));
      if (groups.length === 0) throw new AppFailure('TOO_FEW_PAIRS', `${values.judge} has no group with enough labelled, annotated pairs to fit.`);
      const results = [];
      for (const group of groups) {
        const record = await fitGroup(storage, pool, { studyId, judge: values.judge, group, settings, onProgress: progressBar(`${values.judge} / ${group}`) });
        const outcome = { rows: record.rows!, accuracy: record.accuracy, properties: record.properties, diagnostics: record.diagnostics! };
        results.push({ judge: values.judge, group, fitId: record.id, ...fitJson(outcome, settings) });
        if (!o.json) o.out(`${values.judge} on ${group}:\n${fitTable(outcome)}`);
      }
      if (o.json) o.out(JSON.stringify(values.group ? results[0] : results));
    } finally {
      await pool.close();
      storage.close();
    }
  },

  async 'fit-features'(args, o) {
    const { values, positionals } = parse(args, SAMPLER_OPTIONS, 1);
    const settings = await samplerSettings(values);
    const file = positionals[0];
    let text: string;
    try {
      text = readFileSync(file, 'utf8');
    } catch (err) {
      throw new AppFailure('NOT_FOUND', `Cannot read ${file}: ${(err as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : (err as Error).message}.`);
    }
    const data = comparisonsFromCsv(basename(file), text);
    const { fitComparisons, minimumRows } = await import('./services/dissection');
    if (data.y.length < minimumRows(settings)) throw new AppFailure('TOO_FEW_PAIRS', `${basename(file)} has ${data.y.length} rows; a fit with ${settings.folds} folds needs at least ${minimumRows(settings)}.`);
    const pool = await samplerPool(values.threads);
    try {
      const outcome = await fitComparisons(pool, data, settings, { onProgress: progressBar(basename(file)) });
      o.out(o.json ? JSON.stringify(fitJson(outcome, settings)) : fitTable(outcome));
    } finally {
      await pool.close();
    }
  },

  async serve(args, o) {
    const { values } = parse(args, { port: { type: 'string' } }, 0);
    const port = number('port', values.port) ?? 5180;
    if (port < 0 || port > 65535) throw new UsageError(`--port must be from 0 to 65535, not ${port}.`);
    const { serveBrowserMode } = await import('./serve');
    const server = await serveBrowserMode({ dataDir: values.db ? dirname(values.db) : defaultDataDir(), port });
    o.out(`Preference Studio is running in browser mode: open ${server.bridge.url}`);
    await new Promise<void>((resolve) => {
      const stop = () => void server.stop().then(resolve);
      process.once('SIGINT', stop);
      process.once('SIGTERM', stop);
    });
  },
};

export async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  const json = rest.includes('--json');
  const o: Output = { json, out: (t) => process.stdout.write(`${t}\n`), err: (t) => process.stderr.write(`${t}\n`) };
  if (!command || command === '--help' || command === 'help' || rest.includes('--help')) {
    o.out(USAGE);
    return command ? 0 : 2;
  }
  if (command === '--version') {
    o.out(pkg.version);
    return 0;
  }
  const run = commands[command];
  if (!run) {
    o.err(`Unknown command "${command}"; run preference-studio --help for the list.`);
    return 2;
  }
  try {
    await run(rest, o);
    return 0;
  } catch (err) {
    const message = err instanceof Error ? err.message : String(err);
    o.err(json ? JSON.stringify({ error: { code: err instanceof UsageError ? 'USAGE' : (err as { code?: string }).code ?? 'INTERNAL', message } }) : message);
    return err instanceof UsageError ? 2 : 1;
  }
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  void main(process.argv.slice(2)).then((code) => process.exit(code));
}
