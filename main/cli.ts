// The command line: the app's own services from a terminal, for scripted and server-side analysis.
// Every subcommand calls the same service the UI calls; nothing is implemented twice.
import { createWriteStream, mkdirSync, readFileSync, statSync, writeFileSync, type WriteStream } from 'node:fs';
import { dirname, join, basename } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs, type ParseArgsConfig } from 'node:util';
import type { FitOutcome, FitProgress } from './services/dissect/dissection';
import type { ColumnMapping, FitSettings, ImportReport } from '../preload/contract';
import type { TableFormat } from './services/tables';
import { comparisonsFromCsv } from './services/data/features-file';
import { DATABASE_FILE } from './services/studio';
import { fileInput } from './services/data/import/input';
import { importFile } from './services/data/import/run';
import { defaultDataDir } from './paths';
import { AppFailure } from './services/errors';
import pkg from '../package.json';

const USAGE = `Usage: preference-studio <command> [options]

Commands:
  import FILE [--study NAME]          import pairs (Chatbot Arena JSON/JSONL/parquet, the paper's format, CSV/JSONL,
                                      pairs exported by export pairs)
         [--map query=COL,response_a=COL,response_b=COL,winner=COL,...] [--judge NAME] [--judge-kind llm|human]
                                      any other table, its columns mapped (targets: query, response_a, response_b,
                                      model_a, model_b, winner, judge, judge_kind, scenario, language, id, and
                                      judge:NAME for a column of one judge's votes); --judge names whose votes
                                      the winner column holds (default human)
  studies                             list the studies with their pair counts
  fit --study NAME --judge J [--group G | --all-groups] [sampler options]
                                      fit and store the dissection of a judge
  fit-features FILE.csv [sampler options]
                                      fit straight from a CSV of comparison features (a label column and
                                      one column per property, named as the paper's short names)
  fit-corrected FEATURES.csv --checked CHECKED.csv
                                      effect strengths from annotated features beside the ones corrected by a
                                      checked subset (DSL): FEATURES.csv has id, label and the properties;
                                      CHECKED.csv has id, probability (of having been checked) and the properties
  export effect-strengths --study NAME --group G [judges] [--format F] [--out FILE]
                                      sigma(alpha) with 90% intervals per property (figure 1)
  export similarity --study NAME [judges] [--format F] [--out FILE]
                                      judge similarity: Pearson of the weights averaged over groups (figure 3)
  export dpo --study NAME --judge J [--paper] [--against] [--margin 0.15] [--out FILE]
                                      pairs relabelled by the judge's fitted models as TRL JSONL (section 4.3.2)
  export pairs --study NAME [--format jsonl|csv] [--out FILE]
                                      every pair with its labels [{judge, kind, preferred, probability_a}] (CSV:
                                      the labels JSON-encoded in one column); importing the file gives them back
  agreement --round R [--format F]    the annotation quality check of a review round as Table 12: agreed/total per
                                      item, per checker and pooled, with Wilson 95% intervals
  annotate --study NAME [--model M] [--base-url URL] [--batch] [--kind annotate|judge|reasons] [--judge J]
           [--all] [--limit N] [--cost-cap USD] [--concurrency N] [--timeout S] [--poll S] [--retry-failed]
                                      annotate pairs with the paper's prompts (section 3.4), collect an LLM judge's
                                      labels (--kind judge, section 3.3) or reasons (--kind reasons) through any
                                      OpenAI-compatible endpoint; the key is read from OPENAI_API_KEY. A stopped job
                                      of the same kind resumes where it left off; answers are never paid twice
  serve [--port P]                    browser mode: serve the app on 127.0.0.1

Sampler options: --folds 10 --chains 4 --warmup 500 --draws 1500 --scale 0.1|auto --seed 1 --threads N
                 --integrator split|leapfrog (split: the prior moved exactly, default; leapfrog: Stan's)
Judges:          --judge J (repeatable; default: every judge of the study with a finished fit),
                 --paper-judge J (repeatable) or --all-paper: the paper's published weights beside them
Export formats:  --format csv|md|latex|json (default csv); without --out the file goes to stdout
Global options:  --db PATH (default: the app's database in ${join(defaultDataDir(), DATABASE_FILE)})
                 --json (machine-readable output on stdout)  --help`;

const SAMPLER_OPTIONS = {
  folds: { type: 'string' }, chains: { type: 'string' }, warmup: { type: 'string' }, draws: { type: 'string' },
  scale: { type: 'string' }, seed: { type: 'string' }, threads: { type: 'string' }, integrator: { type: 'string' },
} as const;
const GLOBAL_OPTIONS = { db: { type: 'string' }, json: { type: 'boolean' }, help: { type: 'boolean' } } as const;

/** A usage mistake: one sentence, exit status 2. */
class UsageError extends Error {}

interface Output { json: boolean; out: (text: string) => void; err: (text: string) => void }

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
function progressBar(name: string): (p: FitProgress) => void {
  if (!process.stderr.isTTY) return () => {};
  const label = sanitizeForTerminal(name);
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
    priorScales: outcome.diagnostics.priorScales, sampler: outcome.diagnostics.sampler,
    properties: outcome.properties.map((p) => ({
      name: p.name, mean: p.alphaMean, sd: p.alphaSd, q5: p.alphaQ5, q95: p.alphaQ95, sigmaMean: p.strength,
      sigmaQ5: p.strengthQ5, sigmaQ95: p.strengthQ95, rhat: p.rhat, essBulk: p.essBulk, essTail: p.essTail, mcseMean: p.mcseMean,
    })),
  };
}

/** `export pairs`: written a piece at a time, to the file or to stdout, as the pairs are read. */
async function exportPairsCommand(db: string | undefined, study: string, format: string, out: string | undefined, o: Output): Promise<void> {
  if (format !== 'jsonl' && format !== 'csv') throw new UsageError(`--format must be jsonl or csv for pairs, not "${format}".`);
  const { exportPairs } = await import('./services/data/export-pairs');
  const storage = await openStorage(db, true);
  try {
    const studyId = storage.studies.studyIdByName(study);
    if (studyId === null) throw new AppFailure('NOT_FOUND', `There is no study named "${study}".`);
    const sink = out ? createWriteStream(out) : process.stdout;
    const opened = out ? new Promise<void>((resolve, reject) => sink.once('open', () => resolve()).once('error', reject)) : Promise.resolve();
    await opened;
    for (const piece of exportPairs(storage, studyId, format)) {
      await new Promise<void>((resolve, reject) => sink.write(piece, (err) => (err ? reject(err) : resolve())));
    }
    if (out) {
      await new Promise<void>((resolve) => (sink as WriteStream).end(() => resolve()));
      const pairs = storage.studies.study(studyId).pairCount;
      o.out(o.json ? JSON.stringify({ file: out, pairs }) : `Wrote ${pairs} pairs of "${study}" to ${out}.`);
    }
  } finally {
    storage.close();
  }
}

/** An import's report for the terminal: what was added, matched and dropped, and why; warnings last. */
function importSummary(r: ImportReport): string[] {
  const reasons = (list: { reason: string; count: number }[]) => list.map((d) => `${d.count} ${d.reason}`).join(', ') || 'none';
  const matched = [
    r.matched > 0 ? `${r.matched} matched pairs already in the study` : '',
    r.merged > 0 ? `${r.merged} were more votes on a pair earlier in the file` : '',
    r.matchedSwapped > 0 ? `${r.matchedSwapped} of them with the responses swapped (labels flipped)` : '',
  ].filter(Boolean).join(', ');
  return [
    `Imported ${r.kept} pairs into "${r.studyName}" (${r.format} format): ${r.added} new${matched ? `, ${matched}` : ''}; ${r.annotated} annotated.`,
    `Labels: ${r.labelsAdded} added${r.labelsDropped.length > 0 ? `; not stored: ${reasons(r.labelsDropped)}` : ''}.`,
    `Dropped rows: ${reasons(r.dropped)}.`,
    `Judges: ${r.judges.map((j) => `${j.name} (${j.kind === 'llm' ? 'LLM' : 'human'})`).join(', ') || 'none'}.`,
    ...r.warnings.map((w) => `Warning: ${w}`),
  ];
}

const commands: Record<string, (args: string[], o: Output) => Promise<void>> = {
  async import(args, o) {
    const { values, positionals } = parse(args, {
      study: { type: 'string' }, map: { type: 'string' }, judge: { type: 'string' }, 'judge-kind': { type: 'string' },
    }, 1);
    const file = positionals[0];
    const kind = values['judge-kind'];
    if (kind !== undefined && kind !== 'llm' && kind !== 'human') throw new UsageError(`--judge-kind must be llm or human, not "${kind}".`);
    if (!values.map && (values.judge !== undefined || kind !== undefined)) throw new UsageError('--judge and --judge-kind go with --map (the columns of a table the app does not know).');
    let mapping: ColumnMapping | undefined;
    if (values.map) {
      const { mappingFromArgs } = await import('./services/data/import/mapping');
      try {
        mapping = mappingFromArgs(values.map, values.judge, kind);
      } catch (err) {
        throw new UsageError(`${(err as Error).message}.`);
      }
    }
    // Only the file's size is looked at here; it is read as the import goes.
    const input = await fileInput(file, basename(file)).catch((err: NodeJS.ErrnoException) => {
      if (!err.code) throw err;
      throw new AppFailure('NOT_FOUND', `Cannot read ${file}: ${err.code === 'ENOENT' ? 'no such file' : err.message}.`);
    });
    const storage = await openStorage(values.db, false);
    try {
      const report = await importFile(storage.studies, { studyName: values.study ?? basename(file).replace(/\.[^.]+$/, ''), input, mapping });
      if (o.json) return o.out(JSON.stringify(report));
      o.out(importSummary(report).join('\n'));
    } finally {
      storage.close();
    }
  },

  async studies(args, o) {
    const { values } = parse(args, {}, 0);
    const storage = await openStorage(values.db, true);
    try {
      const studies = storage.studies.listStudies();
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
    const { GROUPS } = await import('./services/data/scenarios');
    if (values.group && !GROUPS.includes(values.group)) throw new UsageError(`"${values.group}" is not a group: use one of ${GROUPS.join(', ')}.`);
    const storage = await openStorage(values.db, true);
    const pool = await samplerPool(values.threads);
    try {
      const studyId = storage.studies.studyIdByName(values.study);
      if (studyId === null) throw new AppFailure('NOT_FOUND', `There is no study named "${values.study}".`);
      storage.pairs.judgeId(values.judge);
      const { fitGroup, minimumRows } = await import('./services/dissect/dissection');
      const groups = values.group ? [values.group] : GROUPS.filter((g) => storage.pairs.labelledPairs(studyId, values.judge!, g).length >= minimumRows(settings));
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
    const { fitComparisons, minimumRows } = await import('./services/dissect/dissection');
    if (data.y.length < minimumRows(settings)) throw new AppFailure('TOO_FEW_PAIRS', `${basename(file)} has ${data.y.length} rows; a fit with ${settings.folds} folds needs at least ${minimumRows(settings)}.`);
    const pool = await samplerPool(values.threads);
    try {
      const outcome = await fitComparisons(pool, data, settings, { onProgress: progressBar(basename(file)) });
      o.out(o.json ? JSON.stringify(fitJson(outcome, settings)) : fitTable(outcome));
    } finally {
      await pool.close();
    }
  },

  async 'fit-corrected'(args, o) {
    const { values, positionals } = parse(args, { checked: { type: 'string' } }, 1);
    if (!values.checked) throw new UsageError('Name the checked pairs with --checked CHECKED.csv.');
    const [features, checked] = [positionals[0], values.checked].map((file) => {
      try {
        return { file: basename(file), text: readFileSync(file, 'utf8') };
      } catch (err) {
        throw new AppFailure('NOT_FOUND', `Cannot read ${file}: ${(err as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : (err as Error).message}.`);
      }
    });
    const { correctedInputFromCsv, correctedJson, correctedTable } = await import('./services/review/fit-corrected');
    const { ImportError } = await import('./services/data/import/types');
    let input;
    try {
      input = correctedInputFromCsv(features.file, features.text, checked.file, checked.text);
    } catch (err) {
      throw err instanceof ImportError ? new UsageError(err.message) : err;
    }
    const { fitDsl } = await import('../native-workers');
    const fit = fitDsl(input);
    o.out(o.json ? JSON.stringify(correctedJson(fit)) : correctedTable(fit));
  },

  async export(args, o) {
    const [what, ...rest] = args;
    const kinds = ['effect-strengths', 'similarity', 'dpo', 'pairs'];
    if (!what || !kinds.includes(what)) throw new UsageError(`Name what to export: ${kinds.join(', ')}${what && !what.startsWith('-') ? ` (not "${what}")` : ''}.`);
    const { values } = parse(rest, {
      study: { type: 'string' }, group: { type: 'string' }, judge: { type: 'string', multiple: true },
      'paper-judge': { type: 'string', multiple: true }, 'all-paper': { type: 'boolean' }, paper: { type: 'boolean' },
      against: { type: 'boolean' }, margin: { type: 'string' }, format: { type: 'string' }, out: { type: 'string' },
    }, 0);
    if (!values.study) throw new UsageError('Name the study with --study NAME.');
    if (what === 'pairs') return exportPairsCommand(values.db, values.study, values.format ?? 'jsonl', values.out, o);
    const format = (values.format ?? 'csv') as TableFormat;
    if (!['csv', 'md', 'latex', 'json'].includes(format)) throw new UsageError(`--format must be csv, md, latex or json, not "${values.format}".`);
    const { GROUPS } = await import('./services/data/scenarios');
    if (what === 'effect-strengths') {
      if (!values.group) throw new UsageError('Name the group with --group G.');
      if (!GROUPS.includes(values.group)) throw new UsageError(`"${values.group}" is not a group: use one of ${GROUPS.join(', ')}.`);
    }
    if (what === 'dpo' && values.judge?.length !== 1) throw new UsageError('Name exactly one judge with --judge J.');
    const margin = number('margin', values.margin, false);
    const storage = await openStorage(values.db, true);
    try {
      const studyId = storage.studies.studyIdByName(values.study);
      if (studyId === null) throw new AppFailure('NOT_FOUND', `There is no study named "${values.study}".`);
      const write = async (content: string, summary: string) => {
        // Large files to a pipe: resolve only once written, since the process exits right after.
        if (!values.out) return new Promise<void>((resolve) => process.stdout.write(content, () => resolve()));
        writeFileSync(values.out, content);
        o.out(o.json ? JSON.stringify({ file: values.out, summary }) : `${summary} to ${values.out}.`);
      };
      if (what === 'dpo') {
        const { dpoDataset } = await import('./services/insight/manipulate');
        const judge = { source: values.paper ? 'paper' as const : 'study' as const, name: values.judge![0] };
        const dpo = dpoDataset(storage, { studyId, judge, direction: values.against ? 'against' : 'towards', margin });
        if (!values.out) o.err(`${dpo.count} pairs kept of ${dpo.considered} (${dpo.leftOut} within 50 +- ${dpo.margin * 100}%).`);
        return await write(dpo.jsonl, `Wrote ${dpo.count} pairs (${dpo.leftOut} of ${dpo.considered} left out within 50 +- ${dpo.margin * 100}%)`);
      }
      const { exportInsightTable } = await import('./services/insight/handlers');
      const { paperReference } = await import('./services/data/reference');
      const fitted = new Set(storage.fits.latestFits(studyId, 'done').filter((f) => what === 'similarity' || f.group === values.group).map((f) => f.judge));
      const paperNames = values['all-paper'] ? Object.keys(paperReference().judgeSizes) : values['paper-judge'] ?? [];
      const judges = [
        ...(values.judge ?? [...fitted]).map((name) => ({ source: 'study' as const, name })),
        ...paperNames.map((name) => ({ source: 'paper' as const, name })),
      ];
      if (judges.length === 0) throw new AppFailure('NO_FIT', `No judge of "${values.study}" has a finished fit${what === 'similarity' ? '' : ` on ${values.group}`}; fit one or name paper judges with --paper-judge.`);
      const file = what === 'similarity'
        ? exportInsightTable(storage, { table: 'similarity', studyId, judges, groups: values.group ? [values.group] : undefined }, format)
        : exportInsightTable(storage, { table: 'effect-strengths', studyId, judges, group: values.group! }, format);
      return await write(file.content, `Wrote the ${what} of ${judges.length} judge${judges.length === 1 ? '' : 's'}`);
    } finally {
      storage.close();
    }
  },

  async agreement(args, o) {
    const { values } = parse(args, { round: { type: 'string' }, format: { type: 'string' } }, 0);
    if (values.round === undefined) throw new UsageError('Name the review round with --round R (its id, shown in the Review view).');
    const roundId = number('round', values.round);
    if (roundId === undefined || roundId < 1) throw new UsageError(`--round must be a round id (a whole number from 1), not "${values.round}".`);
    const format = (values.format ?? (o.json ? 'json' : 'csv')) as TableFormat;
    if (!['csv', 'md', 'latex', 'json'].includes(format)) throw new UsageError(`--format must be csv, md, latex or json, not "${values.format}".`);
    const storage = await openStorage(values.db, true);
    try {
      const { agreementReport, agreementTable } = await import('./services/review/report');
      const { formatTable } = await import('./services/tables');
      const round = storage.review.reviewRound(roundId);
      process.stdout.write(formatTable(agreementTable(agreementReport(storage, roundId), round.name), format));
    } finally {
      storage.close();
    }
  },

  async annotate(args, o) {
    const { values } = parse(args, {
      study: { type: 'string' }, model: { type: 'string' }, 'base-url': { type: 'string' }, batch: { type: 'boolean' },
      kind: { type: 'string' }, judge: { type: 'string' }, all: { type: 'boolean' }, limit: { type: 'string' },
      'cost-cap': { type: 'string' }, concurrency: { type: 'string' }, timeout: { type: 'string' }, poll: { type: 'string' },
      'retry-failed': { type: 'boolean' },
    }, 0);
    if (!values.study) throw new UsageError('Name the study with --study NAME.');
    const kind = (values.kind ?? 'annotate') as 'annotate' | 'judge' | 'reasons';
    if (!['annotate', 'judge', 'reasons'].includes(kind)) throw new UsageError(`--kind must be annotate, judge or reasons, not "${kind}".`);
    const limit = number('limit', values.limit);
    if (limit !== undefined && limit < 1) throw new UsageError(`--limit must be at least 1, not ${limit}.`);
    const costCap = number('cost-cap', values['cost-cap'], false);
    if (costCap !== undefined && costCap <= 0) throw new UsageError(`--cost-cap must be a positive number of US dollars, not ${costCap}.`);
    const flags = {
      ...(values.model ? { model: values.model } : {}), ...(values['base-url'] !== undefined ? { baseUrl: values['base-url'] } : {}),
      ...(values.concurrency ? { concurrency: number('concurrency', values.concurrency) } : {}),
      ...(values.timeout ? { timeoutSeconds: number('timeout', values.timeout, false) } : {}),
      ...(values.poll ? { batchPollSeconds: number('poll', values.poll, false) } : {}),
    };
    const storage = await openStorage(values.db, true);
    const { AnnotationRunner } = await import('./services/annotate/pipeline');
    const { environmentSecrets } = await import('./services/annotate/secrets');
    const { checkEndpoint } = await import('./services/annotate/handlers');
    const bar = progressBar(`${kind} ${values.study}`);
    const runner = new AnnotationRunner({ storage, secrets: environmentSecrets(), emit: (p) => bar({ fraction: p.total ? p.done / p.total : 0, etaSeconds: p.etaSeconds }) });
    try {
      const studyId = storage.studies.studyIdByName(values.study);
      if (studyId === null) throw new AppFailure('NOT_FOUND', `There is no study named "${values.study}".`);
      const endpoint = checkEndpoint({ ...runner.endpoint(), ...flags });
      const mode = values.batch ? 'batch' as const : 'direct' as const;
      // The latest job of this kind on this endpoint that stopped before its end is resumed rather than redone.
      const same = runner.jobs(studyId).filter((j) => j.kind === kind && j.model === endpoint.model && j.baseUrl === endpoint.baseUrl && j.mode === mode);
      const stopped = same.find((j) => j.status === 'paused' || j.status === 'failed');
      let job;
      let resumed = false;
      if (values['retry-failed']) {
        const withFailures = same.find((j) => j.failed > 0 && j.status !== 'cancelled');
        if (!withFailures) throw new AppFailure('NOTHING_TO_RETRY', `No ${kind} job of "${values.study}" with ${endpoint.model} has failed pairs to retry.`);
        job = runner.retry(withFailures.id);
        resumed = true;
      } else if (stopped) {
        job = runner.resume(stopped.id, costCap, endpoint);
        resumed = true;
      } else {
        job = runner.start({ studyId, kind, scope: values.all ? 'all' : 'missing', mode, costCap: costCap ?? null, limit, judge: values.judge }, endpoint);
      }
      if (!o.json) o.err(`${resumed ? 'Resuming' : 'Started'} job ${job.id}: ${job.total} pairs with ${job.model}${job.done ? ` (${job.done} done before)` : ''}.`);
      const pause = () => runner.pause(job.id);
      process.once('SIGINT', pause);
      await runner.idle();
      process.off('SIGINT', pause);
      const end = runner.job(job.id);
      const failures = storage.annotate.annotationItems({ jobId: end.id, status: 'failed', offset: 0, limit: 500 }).rows;
      if (o.json) {
        o.out(JSON.stringify({ ...end, resumed, failures: failures.map((f) => ({ pair: f.externalId, reason: f.error })) }));
      } else {
        o.out(`Job ${end.id} (${end.kind}, ${end.model}${end.mode === 'batch' ? ', Batch API' : ''}): ${end.done} of ${end.total} pairs done, ${end.failed} failed; $${end.spent.toFixed(4)} spent, ${end.requests} requests sent, ${end.cacheHits} answers from the cache, ${end.retries} retries.`);
        for (const f of failures) o.out(`  failed: ${f.externalId}: ${f.error}`);
      }
      if (end.status !== 'done') throw new AppFailure(end.status.toUpperCase(), end.message ?? `The job is ${end.status}.`);
      if (end.failed > 0) throw new AppFailure('ITEMS_FAILED', `${end.failed} pairs failed (reasons above); run again with --retry-failed to ask for them again.`);
    } finally {
      await runner.close();
      storage.close();
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
  const o: Output = {
    json,
    out: (t) => process.stdout.write(`${sanitizeForTerminal(t)}\n`),
    err: (t) => process.stderr.write(`${sanitizeForTerminal(t)}\n`),
  };
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
