// A column mapping the user gives for a table the app does not know: checked against the file's columns, turned into
// the layout the tabular importer reads, and found again by the file's set of column names.
import { createHash } from 'node:crypto';
import type { ColumnMapping, JudgeKind } from '../../../../preload/contract';
import { DROP_REASONS } from './common';
import { listed, type TabularLayout } from './generic';
import { quote } from './types';

/** The columns a mapping names, with what each is for (for messages). */
function mappedColumns(m: ColumnMapping): [string, string][] {
  const one: [string, string | undefined][] = [
    ['query', m.query], ['response A', m.responseA], ['response B', m.responseB], ['model A', m.modelA], ['model B', m.modelB],
    ['winner', m.winner], ['judge', m.judgeColumn], ['judge kind', m.judgeKindColumn], ['scenario', m.scenario],
    ['language', m.language], ['reference answer', m.reference], ['id', m.id],
  ];
  return [
    ...one.filter((e): e is [string, string] => typeof e[1] === 'string' && e[1] !== ''),
    ...(m.votes ?? []).map((v): [string, string] => [`${v.judge}'s votes`, v.column]),
  ];
}

/** The mapping's problem in one sentence (null when it can be read): columns missing from the file, a vote without a judge's kind, ... */
export function mappingProblem(m: ColumnMapping, columns: string[] | null): string | null {
  if (!m.query || !m.responseA || !m.responseB) return 'the mapping must name the columns of the query and of both responses';
  if (!m.winner && (m.votes ?? []).length === 0) return 'the mapping must name the column of the vote (winner) or a column of votes per judge';
  if (m.judge && m.judgeColumn) return 'the judge is either one name for the whole file or a column naming it per row, not both';
  if (m.winner && !m.judgeColumn && m.judge && m.judge !== 'human' && !m.judgeKind) {
    return `say whether the judge ${quote(m.judge)} is human or an LLM`;
  }
  const words = [m.voteWords?.a, m.voteWords?.b, m.voteWords?.tie].map((w) => w?.trim().toLowerCase()).filter((w): w is string => !!w);
  if (new Set(words).size < words.length) return 'the words for A, B and a tie must differ';
  for (const v of m.votes ?? []) {
    if (!v.judge.trim()) return `name the judge whose votes are in the column ${quote(v.column)}`;
  }
  if (columns) {
    const missing = mappedColumns(m).filter(([, column]) => !columns.includes(column));
    if (missing.length > 0) {
      return `the mapping names column${missing.length > 1 ? 's' : ''} the file does not have: ${listed(missing.map(([what, column]) => `${quote(column)} (${what})`))}`;
    }
  }
  return null;
}

/** The user's words for A, B and a tie, lower case as votes are read. */
function voteWords(m: ColumnMapping): TabularLayout['voteWords'] {
  const words = m.voteWords;
  if (!words) return undefined;
  const entries: [string, 'A' | 'B' | typeof DROP_REASONS.tie][] = [];
  if (words.a?.trim()) entries.push([words.a.trim().toLowerCase(), 'A']);
  if (words.b?.trim()) entries.push([words.b.trim().toLowerCase(), 'B']);
  if (words.tie?.trim()) entries.push([words.tie.trim().toLowerCase(), DROP_REASONS.tie]);
  return entries.length > 0 ? new Map(entries) : undefined;
}

export function layoutOfMapping(m: ColumnMapping): TabularLayout {
  const kind: JudgeKind | undefined = m.judgeKind;
  return {
    query: m.query, responseA: m.responseA, responseB: m.responseB, modelA: m.modelA || undefined, modelB: m.modelB || undefined,
    winner: m.winner || undefined, judgeColumn: m.judgeColumn || undefined, judgeKindColumn: m.judgeKindColumn || undefined,
    judge: { name: m.judge || undefined, kind }, scenario: m.scenario || undefined, language: m.language || undefined,
    reference: m.reference || undefined, id: m.id || undefined, mapped: true, voteWords: voteWords(m), votes: (m.votes ?? []).map((v) => ({ column: v.column, judge: v.judge.trim(), kind: v.kind })),
  };
}

/** A file's set of column names as a key (order and repeats do not matter). */
export function headerKey(columns: string[]): string {
  const hash = createHash('sha256');
  for (const c of [...new Set(columns)].sort()) hash.update(c).update('\u0000');
  return hash.digest('hex');
}

const TARGETS: Record<string, keyof ColumnMapping> = {
  query: 'query', response_a: 'responseA', response_b: 'responseB', model_a: 'modelA', model_b: 'modelB', winner: 'winner',
  judge: 'judgeColumn', judge_kind: 'judgeKindColumn', scenario: 'scenario', language: 'language', reference: 'reference', id: 'id',
};

/**
 * The command line's `--map query=instruction,response_a=output_1,...` (judge:NAME=column for one column of votes
 * per judge, of the kind --judge-kind says; vote_a=WORD, vote_b=WORD, vote_tie=WORD for the table's own words for a
 * vote) with `--judge NAME` for the judge of the winner column.
 */
export function mappingFromArgs(map: string, judge: string | undefined, judgeKind: JudgeKind | undefined): ColumnMapping {
  const m: Partial<ColumnMapping> & { votes: NonNullable<ColumnMapping['votes']> } = { votes: [] };
  for (const part of map.split(',').map((p) => p.trim()).filter(Boolean)) {
    const at = part.indexOf('=');
    if (at <= 0 || at === part.length - 1) throw new Error(`--map takes target=column pairs separated by commas, not ${quote(part)}`);
    const target = part.slice(0, at).trim();
    const column = part.slice(at + 1).trim();
    const voter = /^judge:(.+)$/.exec(target)?.[1];
    if (voter) {
      if (!judgeKind && voter !== 'human') throw new Error(`say with --judge-kind llm|human what kind of judge ${quote(voter)} is`);
      m.votes.push({ column, judge: voter, kind: voter === 'human' ? 'human' : judgeKind! });
      continue;
    }
    const word = /^vote_(a|b|tie)$/.exec(target)?.[1] as 'a' | 'b' | 'tie' | undefined;
    if (word) {
      m.voteWords = { ...m.voteWords, [word]: column };
      continue;
    }
    const key = Object.hasOwn(TARGETS, target) ? TARGETS[target] : undefined;
    if (!key) throw new Error(`--map: unknown target ${quote(target)} (use ${Object.keys(TARGETS).join(', ')}, judge:NAME, or vote_a, vote_b, vote_tie for the table's words for a vote)`);
    (m as Record<string, unknown>)[key] = column;
  }
  if (judge !== undefined) m.judge = judge;
  if (judgeKind !== undefined) m.judgeKind = judgeKind;
  return m as ColumnMapping;
}
