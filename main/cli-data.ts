// The data commands' own pieces of the command line: a column mapping from options, an import's report for the
// terminal, and `export pairs`, written as the pairs are read.
import { createWriteStream, type WriteStream } from 'node:fs';
import type { ColumnMapping, ImportReport } from '../preload/contract';
import { AppFailure } from './services/errors';
import { UsageError, openStorage, type Output } from './cli-common';

/** `--map`, `--judge` and `--judge-kind` as a column mapping (undefined without --map). */
export async function mappingOption(map: string | undefined, judge: string | undefined, kind: string | undefined): Promise<ColumnMapping | undefined> {
  if (kind !== undefined && kind !== 'llm' && kind !== 'human') throw new UsageError(`--judge-kind must be llm or human, not "${kind}".`);
  if (!map) {
    if (judge !== undefined || kind !== undefined) throw new UsageError('--judge and --judge-kind go with --map (the columns of a table the app does not know).');
    return undefined;
  }
  const { mappingFromArgs } = await import('./services/data/import/mapping');
  try {
    return mappingFromArgs(map, judge, kind);
  } catch (err) {
    throw new UsageError(`${(err as Error).message}.`);
  }
}

/** An import's report for the terminal: what was added, matched and dropped, and why; values read otherwise; warnings last. */
export function importSummary(r: ImportReport): string[] {
  const reasons = (list: { reason: string; count: number }[]) => list.map((d) => `${d.count} ${d.reason}`).join(', ') || 'none';
  const matched = [
    r.matched > 0 ? `${r.matched} matched pairs already in the study` : '',
    r.merged > 0 ? `${r.merged} were more votes on a pair earlier in the file` : '',
    r.matchedSwapped > 0 ? `${r.matchedSwapped} of them with the responses swapped (labels flipped)` : '',
  ].filter(Boolean).join(', ');
  const unassigned = r.unassigned > 0
    ? ` ${r.unassigned} of the new pairs have no scenario (unassigned: the scenario job, \`annotate --kind scenario\`, or a person gives them one).`
    : '';
  return [
    `Imported ${r.kept} pairs into "${r.studyName}" (${r.format} format): ${r.added} new${matched ? `, ${matched}` : ''}; ${r.annotated} annotated.${unassigned}`,
    `Labels: ${r.labelsAdded} added${r.labelsDropped.length > 0 ? `; not stored: ${reasons(r.labelsDropped)}` : ''}.`,
    `Dropped rows: ${reasons(r.dropped)}.`,
    `Judges: ${r.judges.map((j) => `${j.name} (${j.kind === 'llm' ? 'LLM' : 'human'})`).join(', ') || 'none'}.`,
    ...r.notes.map((n) => `Read otherwise than written: ${n.note} (${n.count === 1 ? 'once' : `${n.count} times`}).`),
    ...r.warnings.map((w) => `Warning: ${w}`),
  ];
}

/** `export pairs`: written a piece at a time, to the file or to stdout, as the pairs are read. */
export async function exportPairsCommand(db: string | undefined, study: string, format: string, out: string | undefined, o: Output): Promise<void> {
  if (format !== 'jsonl' && format !== 'csv') throw new UsageError(`--format must be jsonl or csv for pairs, not "${format}".`);
  const { exportPairs } = await import('./services/data/export-pairs');
  const storage = await openStorage(db, true);
  try {
    const studyId = storage.studies.studyIdByName(study);
    if (studyId === null) throw new AppFailure('NOT_FOUND', `There is no study named "${study}".`);
    const sink = out ? createWriteStream(out) : process.stdout;
    if (out) await new Promise<void>((resolve, reject) => sink.once('open', () => resolve()).once('error', reject));
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
