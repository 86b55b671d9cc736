// Tabular pairwise files (CSV, JSON Lines, JSON or parquet), read through a layout: which column holds the query,
// each response, the models, the vote and whose vote it is. The generic layout is found from the column names
// (prompt, response_a, response_b, winner, optional model_a, model_b, scenario, language, reference, id, judge, judge_kind,
// and extra LLM judges' votes as `judge:<name>` or `<name>_winner` columns); any other table is read through a
// column mapping the user gives (mapping.ts).
import type { JudgeKind, Side } from '../../../../preload/contract';
import { type Importer, DROP_REASONS, ExternalIds, UNKNOWN_MODEL, readScenario } from './common';
import { Fields, shown } from './fields';
import { ImportError, quote, type ImportedLabel } from './types';

export const HUMAN = 'human';

/** Where each part of a pair is in a table's records; absent optional columns are left out. */
export interface TabularLayout {
  query: string;
  responseA: string;
  responseB: string;
  modelA?: string;
  modelB?: string;
  scenario?: string;
  language?: string;
  /** A reference answer to the query (error detection uses it instead of asking for one). */
  reference?: string;
  id?: string;
  /** The column with one judge's vote (A or B) on each row. */
  winner?: string;
  /** Whose vote `winner` is: a column naming the judge on each row, else `judge`, else the human. */
  judgeColumn?: string;
  /** A column saying human or llm for the judge of each row. */
  judgeKindColumn?: string;
  /** The judge of `winner` (or the kind of the judges `judgeColumn` names, when `judgeKindColumn` is absent). */
  judge?: { name?: string; kind?: JudgeKind };
  /** Columns holding one judge's votes each. */
  votes: { column: string; judge: string; kind: JudgeKind }[];
  /** Given by the user (a column mapping): votes may also be 1, 2, response_a, response_b or draw. */
  mapped?: boolean;
  /** The user's own words for a vote (lower case), read before the usual ones: e.g. left -> A, right -> B, same -> tie. */
  voteWords?: Map<string, Side | typeof DROP_REASONS.tie>;
}

const SIDES = new Map<string, Side>([['a', 'A'], ['b', 'B'], ['model_a', 'A'], ['model_b', 'B']]);
/** A mapped table may say the first and second response otherwise (alpaca_eval's 1 and 2, response_a, ...). */
const MAPPED_SIDES = new Map<string, Side>([...SIDES, ['1', 'A'], ['2', 'B'], ['response_a', 'A'], ['response_b', 'B']]);
const TIES = new Map([['tie', DROP_REASONS.tie], ['tie (bothbad)', DROP_REASONS.bothBad]]);
const MAPPED_TIES = new Map([...TIES, ['draw', DROP_REASONS.tie]]);
const KINDS = new Map<string, JudgeKind>([['human', 'human'], ['llm', 'llm']]);

/** A vote as A, B or a kind of tie; in a mapped table numbers 1 and 2 are the first and second response too. */
function readVote(f: Fields, column: string, layout: TabularLayout): Side | typeof DROP_REASONS.tie | typeof DROP_REASONS.bothBad {
  const mapped = layout.mapped === true;
  const raw = f.data[column];
  const vote = mapped && typeof raw === 'number' ? String(raw) : f.string(column).trim().toLowerCase();
  const outcome = layout.voteWords?.get(vote) ?? (mapped ? MAPPED_SIDES : SIDES).get(vote) ?? (mapped ? MAPPED_TIES : TIES).get(vote);
  if (!outcome) {
    const own = layout.voteWords ? [...layout.voteWords.keys()].map((w) => quote(w)).join(', ') + ', ' : '';
    f.fail(`expected ${own}A, B, model_a, model_b${mapped ? ', 1, 2' : ''} or tie, found ${shown(raw)}`, column);
  }
  return outcome;
}

/** Whose vote a row's `winner` is, with the kind taken from the source: a judge whose kind is not given is refused. */
function rowJudge(f: Fields, layout: TabularLayout): { judge: string; kind: JudgeKind } {
  const name = layout.judgeColumn ? f.string(layout.judgeColumn).trim() : layout.judge?.name ?? HUMAN;
  if (!name) f.fail('expected the name of a judge, found nothing', layout.judgeColumn);
  if (layout.judgeKindColumn) {
    const kind = KINDS.get(f.string(layout.judgeKindColumn).trim().toLowerCase());
    if (!kind) f.fail(`expected human or llm, found ${shown(f.data[layout.judgeKindColumn])}`, layout.judgeKindColumn);
    return { judge: name, kind };
  }
  const kind = layout.judge?.kind ?? (name === HUMAN ? 'human' : undefined);
  if (!kind) f.fail(`the judge ${quote(name)} is not said to be human or an LLM: add a judge_kind column (human or llm) or choose the judges' kind`, layout.judgeColumn);
  return { judge: name, kind };
}

/** Reads every record through the layout `layoutOf` gives for it (the same one for every row of a CSV file). */
export function importTabular(layoutOf: (f: Fields) => TabularLayout): Importer {
  return async function* (source, file, drops) {
    const ids = new ExternalIds();
    for await (const record of source.records) {
      const f: Fields = Fields.ofRecord(file, source, record);
      const layout = layoutOf(f);
      const query = f.string(layout.query);
      const responseA = f.string(layout.responseA);
      const responseB = f.string(layout.responseB);
      const outcome = layout.winner ? readVote(f, layout.winner, layout) : null;
      const own = layout.winner ? rowJudge(f, layout) : null;
      const opt = (column: string | undefined) => (column ? f.optString(column) : null);
      const modelA = opt(layout.modelA) ?? UNKNOWN_MODEL;
      const modelB = opt(layout.modelB) ?? UNKNOWN_MODEL;
      const { scenario, fineScenario } = !layout.scenario || f.isBlank(layout.scenario)
        ? { scenario: null, fineScenario: null } // unassigned until the scenario job or a person sets it
        : readScenario(f, layout.scenario);
      const language = opt(layout.language);
      const reference = opt(layout.reference);
      const labels: ImportedLabel[] = [];
      for (const { column, judge, kind } of layout.votes) {
        if (f.isBlank(column)) continue;
        const vote = readVote(f, column, layout);
        // A judge that saw no difference simply has no label for this pair.
        if (vote === 'A' || vote === 'B') labels.push({ judge, kind, preferred: vote, probabilityA: null });
      }
      const externalId = !layout.id || f.isBlank(layout.id)
        ? ids.hashed(f, [query, responseA, responseB, modelA, modelB])
        : ids.given(f, layout.id, { query, responseA, responseB });
      if (outcome !== null && own) {
        // A tie is dropped as the paper drops ties (the other judges' votes on that row with it).
        if (outcome !== 'A' && outcome !== 'B') {
          drops.add(outcome);
          continue;
        }
        labels.unshift({ judge: own.judge, kind: own.kind, preferred: outcome, probabilityA: null });
      }
      yield {
        externalId, query, responseA, responseB, modelA, modelB, scenario, fineScenario,
        unsafe: false, language, simulated: false, labels, annotation: null, ...(reference === null ? {} : { reference }),
      };
    }
  };
}

const REQUIRED = ['prompt', 'response_a', 'response_b', 'winner'];
const OPTIONAL = ['model_a', 'model_b', 'scenario', 'language', 'reference', 'id', 'judge', 'judge_kind'];

/** The judge whose votes a column holds (`judge:<name>` or `<name>_winner`), else null. */
function judgeOf(column: string): string | null {
  const named = /^judge:(.+)$/.exec(column) ?? /^(.+)_winner$/.exec(column);
  return named?.[1].trim() || null;
}

/** A name list for a message: a hostile header may have thousands of columns, so a few are named. */
export function listed(names: string[]): string {
  return names.slice(0, 6).map((n) => (n.length > 60 ? `${n.slice(0, 60)}…` : n)).join(', ')
    + (names.length > 6 ? ` and ${names.length - 6} more` : '');
}

/**
 * The generic layout of one set of column names. `fail` reports where: the CSV header, or the JSON record whose
 * fields these are.
 */
function genericLayout(columns: string[], fail: (detail: string, field?: string) => never): TabularLayout {
  const missing = REQUIRED.filter((column) => !columns.includes(column));
  const unknown = columns.filter((column) => !REQUIRED.includes(column) && !OPTIONAL.includes(column) && !judgeOf(column));
  if (missing.length > 0 || unknown.length > 0) {
    const parts = [
      ...(missing.length > 0 ? [`missing column${missing.length > 1 ? 's' : ''} ${listed(missing)}`] : []),
      ...(unknown.length > 0 ? [`unknown column${unknown.length > 1 ? 's' : ''} ${listed(unknown)}`] : []),
    ];
    fail(`${parts.join('; ')} (expected ${REQUIRED.join(', ')}; optional ${OPTIONAL.join(', ')}; extra judges as judge:<name> or <name>_winner; or map the columns)`, missing[0] ?? unknown[0]);
  }
  const votes: TabularLayout['votes'] = [];
  const named = new Map<string, string>([[HUMAN, 'winner']]);
  for (const column of columns) {
    const judge = judgeOf(column);
    if (!judge) continue;
    const other = named.get(judge);
    if (other) fail(`judge ${quote(judge)} is named by two columns (also ${quote(other)}; "winner" is the human vote)`, column);
    named.set(judge, column);
    votes.push({ column, judge, kind: 'llm' });
  }
  const has = (c: string) => (columns.includes(c) ? c : undefined);
  return {
    query: 'prompt', responseA: 'response_a', responseB: 'response_b', winner: 'winner', modelA: has('model_a'),
    modelB: has('model_b'), scenario: has('scenario'), language: has('language'), reference: has('reference'), id: has('id'),
    judgeColumn: has('judge'), judgeKindColumn: has('judge_kind'), votes,
  };
}

export const importGeneric: Importer = (source, file, drops, reopen) => {
  // CSV records all share the header's columns: check them once, and blame the header; JSON records may differ.
  const csv = source.columns === undefined ? null : genericLayout(source.columns, (detail, field) => {
    throw new ImportError(file, `in the header, ${detail}`, source.headerLine, field);
  });
  return importTabular((f) => csv ?? genericLayout(Object.keys(f.data), (detail, field) => f.fail(detail, field)))(source, file, drops, reopen);
};
