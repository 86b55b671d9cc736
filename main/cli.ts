// The command line: the app's own services from a terminal, for scripted and server-side analysis.
// Every subcommand calls the same service the UI calls; nothing is implemented twice.
import { readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, basename } from 'node:path';
import { fileURLToPath } from 'node:url';
import { exportPairsCommand, importSummary, mappingOption } from './cli-data';
import type { TableFormat } from './services/tables';
import { comparisonsFromCsv } from './services/data/features-file';
import { DATABASE_FILE } from './services/studio';
import { fileInput } from './services/data/import/input';
import { importFile } from './services/data/import/run';
import { defaultDataDir, resolveDataDir } from './paths';
import { AppFailure, userFailure } from './services/errors';
import pkg from '../package.json';
import {
  SAMPLER_OPTIONS, UsageError, sanitizeForTerminal, Output, parse, openStorage, number, samplerSettings, samplerPool, progressBar, fitTable, fitJson,
} from './cli-common';
import { annotateCommand } from './cli-annotate';

const USAGE = `Usage: preference-studio <command> [options]

Commands:
  import FILE... [--study NAME]       import pairs: Chatbot Arena, the paper's files, alpaca_eval, Auto-J, PRD,
                                      hh-rlhf, Kaggle Arena CSV, plain pairwise CSV/JSONL/parquet or pairs written
                                      by export pairs; several files at once for an MT-bench or arena-hard set
         [--map query=COL,response_a=COL,response_b=COL,winner=COL,...] [--judge NAME] [--judge-kind llm|human]
                                      any other table, its columns mapped (targets: query, response_a, response_b,
                                      model_a, model_b, winner, judge, judge_kind, scenario, language, reference,
                                      id, judge:NAME for a column of one judge's votes, and vote_a=WORD,
                                      vote_b=WORD, vote_tie=WORD for the table's own words for a vote); --judge
                                      names whose votes the winner column holds (default human)
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
  export dpo --study NAME --judge J [--paper] [--against] [--margin 0.15] [--include-simulated] [--out FILE]
                                      pairs relabelled by the judge's fitted models as TRL JSONL (section 4.3.2);
                                      simulated pairs are left out unless --include-simulated
  export pairs --study NAME [--format jsonl|csv] [--out FILE]
                                      every pair with its labels [{judge, kind, preferred, probability_a}] (CSV:
                                      the labels JSON-encoded in one column); importing the file gives them back
  agreement --round R [--format F] [--layout paper]
                                      the annotation quality check of a review round as Table 12: agreed/total per
                                      item, per checker and pooled, with Wilson 95% intervals; --layout paper: as
                                      the paper prints it (x/y under each section, a column per checker and pooled)
  review corrected --round R --judge J --group G [--width W] [--format F]
                                      a judge's effect strengths on a group as annotated beside the ones corrected
                                      by the round's checked pairs (DSL), 95% intervals, what changes, and the checked
                                      pairs that bring each interval to width W (log-odds, default 1)
  review package --round R --checker NAME --out FILE
                                      the checker's share of a review round as one file for their own app
  review open FILE                    open a package in this data folder (--json: the round id and checker id)
  review return --round R --checker NAME --out FILE
                                      the verdicts of a round opened from a package, as the file to send back
  review merge FILE                   merge a checker's returned verdicts into the round their package came from
  annotate --study NAME [--model M] [--base-url URL] [--batch] [--kind annotate|judge|reasons|scenario] [--judge J]
           [--all] [--limit N] [--cost-cap USD] [--concurrency N] [--timeout S] [--tries N] [--poll S] [--retry-failed]
           [--moderation-model M] [--current-endpoint]
                                      annotate pairs with the paper's prompts (section 3.4), collect an LLM judge's
                                      labels (--kind judge, section 3.3) or reasons (--kind reasons), or assign
                                      unassigned pairs a scenario of Table 8 and a safety flag (--kind scenario;
                                      --moderation-model '' where the endpoint has no /v1/moderations) through any
                                      OpenAI-compatible endpoint; the key is read from OPENAI_API_KEY. A stopped job
                                      of the same kind resumes where it left off; answers are never paid twice;
                                      --current-endpoint resumes one started at another address (a wrong one) here
  annotate --check [--model M] [--base-url URL] [--timeout S]
                                      send the endpoint one tiny request: the model that answered, the latency,
                                      and whether log-probabilities and JSON mode work
  serve [--port P] [--host ADDRESS]   browser mode: serve the app on 127.0.0.1; with --host, each review
                                      checker's own link on ADDRESS too (plain HTTP: a trusted network or TLS)

Sampler options: --folds 10 --chains 4 --warmup 500 --draws 1500 --scale 0.1|auto --seed 1 --threads N
                 --integrator split|leapfrog (split: the prior moved exactly, default; leapfrog: Stan's)
Judges:          --judge J (repeatable; default: every judge of the study with a finished fit),
                 --paper-judge J (repeatable) or --all-paper: the paper's published weights beside them
Export formats:  --format csv|md|latex|json (default csv); without --out the file goes to stdout
Global options:  --db PATH (default: the app's database in ${join(defaultDataDir(), DATABASE_FILE)})
                 --json (machine-readable output on stdout)  --help`;

const commands: Record<string, (args: string[], o: Output) => Promise<void>> = {
  async import(args, o) {
    const { values, positionals } = parse(args, {
      study: { type: 'string' }, map: { type: 'string' }, judge: { type: 'string' }, 'judge-kind': { type: 'string' },
    }, 'several');
    const file = positionals[0];
    const mapping = await mappingOption(values.map, values.judge, values['judge-kind']);
    // Only the files' sizes are looked at here; they are read as the import goes. Several files are one set.
    const input = await Promise.all(positionals.map((path) => fileInput(path, basename(path)).catch((err: NodeJS.ErrnoException) => {
      if (!err.code) throw err;
      throw new AppFailure('NOT_FOUND', `Cannot read ${path}: ${err.code === 'ENOENT' ? 'no such file' : err.message}.`);
    })));
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
      'include-simulated': { type: 'boolean' },
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
        const dpo = dpoDataset(storage, { studyId, judge, direction: values.against ? 'against' : 'towards', margin, includeSimulated: values['include-simulated'] === true });
        const simulated = dpo.simulatedLeftOut ? `; ${dpo.simulatedLeftOut} simulated pairs left out (--include-simulated keeps them)` : '';
        const flagged = dpo.groups.filter((g) => g.flag).map((g) => `${g.group} (${g.flag})`);
        const flags = flagged.length ? `; flagged fits, their lines carry fit_flag: ${flagged.join(', ')}` : '';
        if (!values.out) o.err(`${dpo.count} pairs kept of ${dpo.considered} (${dpo.leftOut} within 50 +- ${dpo.margin * 100}%${simulated}${flags}).`);
        return await write(dpo.jsonl, `Wrote ${dpo.count} pairs (${dpo.leftOut} of ${dpo.considered} left out within 50 +- ${dpo.margin * 100}%${simulated}${flags})`);
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
    const { values } = parse(args, { round: { type: 'string' }, format: { type: 'string' }, layout: { type: 'string' } }, 0);
    if (values.layout !== undefined && values.layout !== 'paper') throw new UsageError(`--layout is "paper" (Table 12 as the paper prints it), not "${values.layout}".`);
    if (values.round === undefined) throw new UsageError('Name the review round with --round R (its id, shown in the Review view).');
    const roundId = number('round', values.round);
    if (roundId === undefined || roundId < 1) throw new UsageError(`--round must be a round id (a whole number from 1), not "${values.round}".`);
    const format = (values.format ?? (o.json ? 'json' : 'csv')) as TableFormat;
    if (!['csv', 'md', 'latex', 'json'].includes(format)) throw new UsageError(`--format must be csv, md, latex or json, not "${values.format}".`);
    const storage = await openStorage(values.db, true);
    try {
      const { agreementReport, agreementTable, table12Table } = await import('./services/review/report');
      const { formatTable } = await import('./services/tables');
      const round = storage.review.reviewRound(roundId);
      const table = values.layout === 'paper' ? table12Table : agreementTable;
      process.stdout.write(formatTable(table(agreementReport(storage, roundId), round.name), format));
    } finally {
      storage.close();
    }
  },

  async review(args, o) {
    const [action, ...rest] = args;
    const packages = await import('./services/review/package');
    const withStorage = async <T>(db: string | undefined, mustExist: boolean, work: (storage: Awaited<ReturnType<typeof openStorage>>) => T) => {
      const storage = await openStorage(db, mustExist);
      try {
        return work(storage);
      } finally {
        storage.close();
      }
    };
    /** The checker named in a round given by id, from --round and --checker. */
    const checkerOf = (storage: Awaited<ReturnType<typeof openStorage>>, values: { round?: string; checker?: string }) => {
      const roundId = number('round', values.round);
      if (roundId === undefined || roundId < 1) throw new UsageError('Name the review round with --round R (its id, shown in the Review view).');
      if (!values.checker) throw new UsageError('Name the checker with --checker NAME.');
      const round = storage.review.reviewRound(roundId);
      const checker = storage.review.checkers(roundId).find((c) => c.name === values.checker);
      if (!checker) throw new AppFailure('NOT_FOUND', `Round "${round.name}" has no checker named "${values.checker}".`);
      return checker.id;
    };
    switch (action) {
      case 'package':
      case 'return': {
        const { values } = parse(rest, { round: { type: 'string' }, checker: { type: 'string' }, out: { type: 'string' } }, 0);
        if (!values.out) throw new UsageError('Name the file to write with --out FILE.');
        const file = await withStorage(values.db, true, (storage) => {
          const checkerId = checkerOf(storage, values);
          return action === 'package' ? packages.makePackage(storage, checkerId) : packages.makeReturn(storage, checkerId);
        });
        writeFileSync(values.out, file.content);
        if (o.json) o.out(JSON.stringify({ file: values.out }));
        else o.err(`Wrote ${action === 'package' ? `the package for ${values.checker}` : `${values.checker}'s verdicts`} to ${values.out}.`);
        return;
      }
      case 'open':
      case 'merge': {
        const { values, positionals } = parse(rest, {}, 1);
        let content: string;
        try {
          content = readFileSync(positionals[0], 'utf8');
        } catch {
          throw new AppFailure('NOT_FOUND', `There is no file ${positionals[0]} to read.`);
        }
        if (action === 'open') {
          const opened = await withStorage(values.db, false, (storage) => packages.openPackage(storage, content, basename(positionals[0])));
          if (o.json) o.out(JSON.stringify({ roundId: opened.round.id, checkerId: opened.checkerId, studyId: opened.round.studyId }));
          else o.out(`Opened round "${opened.round.name}" (id ${opened.round.id}) for ${opened.round.checkers[0].name}: ${opened.round.pairCount} pairs to review.`);
          return;
        }
        const merged = await withStorage(values.db, true, (storage) => packages.mergeReturn(storage, content));
        const r = merged.record;
        if (o.json) o.out(JSON.stringify(merged));
        else if (merged.alreadyMerged) o.out(`This return of ${r.checker} was merged before (${r.receivedAt}); nothing changed.`);
        else {
          o.out(r.status === 'conflict'
            ? `${r.checker}'s return disagrees with ${r.conflicts} verdict${r.conflicts === 1 ? '' : 's'} already in the round: nothing applied; settle it in the Review view's Rounds tab.`
            : `Merged ${r.checker}'s return: ${r.applied} of ${r.verdicts} verdicts changed the round.`);
          for (const stale of r.stale) o.out(`Flagged, not applied: ${stale.verdicts} verdict${stale.verdicts === 1 ? '' : 's'} on pair ${stale.externalId}, whose annotation changed since the package was made.`);
        }
        return;
      }
      case 'corrected': {
        const { values } = parse(rest, { round: { type: 'string' }, judge: { type: 'string' }, group: { type: 'string' }, width: { type: 'string' }, format: { type: 'string' } }, 0);
        if (values.round === undefined) throw new UsageError('Name the review round with --round R (its id, shown in the Review view).');
        const roundId = number('round', values.round);
        if (roundId === undefined || roundId < 1) throw new UsageError(`--round must be a round id (a whole number from 1), not "${values.round}".`);
        if (!values.judge) throw new UsageError('Name the judge with --judge J.');
        if (!values.group) throw new UsageError('Name the group with --group G.');
        const targetWidth = number('width', values.width, false);
        if (targetWidth !== undefined && !(targetWidth > 0)) throw new UsageError(`--width must be a positive number, not ${values.width}.`);
        const format = (values.format ?? 'md') as TableFormat;
        if (!['csv', 'md', 'latex', 'json'].includes(format)) throw new UsageError(`--format must be csv, md, latex or json, not "${values.format}".`);
        const storage = await openStorage(values.db, true);
        try {
          const { correctedReport, correctedTable } = await import('./services/review/corrected');
          const { formatTable } = await import('./services/tables');
          const report = correctedReport(storage, { roundId, judge: values.judge, group: values.group, targetWidth });
          o.out(o.json ? JSON.stringify(report) : `${formatTable(correctedTable(report), format).trimEnd()}\n\n${report.summary}`);
        } finally {
          storage.close();
        }
        return;
      }
      default:
        throw new UsageError(`review takes corrected, package, open, return or merge${action ? `, not "${action}"` : ''}.`);
    }
  },

  annotate: annotateCommand,

  async serve(args, o) {
    const { values } = parse(args, { port: { type: 'string' }, host: { type: 'string' } }, 0);
    const port = number('port', values.port) ?? 5180;
    if (port < 0 || port > 65535) throw new UsageError(`--port must be from 0 to 65535, not ${port}.`);
    const { announceCheckers, checkHost, serveBrowserMode } = await import('./serve');
    let host: string | undefined;
    try {
      host = checkHost(values.host);
    } catch (err) {
      throw new UsageError((err as Error).message);
    }
    const data = resolveDataDir(values.db ? dirname(values.db) : undefined);
    const server = await serveBrowserMode({ dataDir: data.dir, dataDirSource: data.source, port, host });
    o.out(`Preference Studio is running in browser mode: open ${server.bridge.url}`);
    announceCheckers(server, host, o.out, (line) => process.stderr.write(`${line}\n`));
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
  } catch (thrown) {
    const err = userFailure(thrown);
    const message = err instanceof Error ? err.message : String(err);
    o.err(json ? JSON.stringify({ error: { code: err instanceof UsageError ? 'USAGE' : (err as { code?: string }).code ?? 'INTERNAL', message } }) : message);
    return err instanceof UsageError ? 2 : 1;
  }
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  void main(process.argv.slice(2)).then((code) => process.exit(code));
}
