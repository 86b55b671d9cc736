// Layouts spread over several files, chosen together and imported as one: FastChat's MT-bench (question.jsonl,
// model_answer/<model>.jsonl, model_judgment/<judge>_pair.jsonl) and arena-hard (question.jsonl,
// model_answer/<model>.jsonl, model_judgment/<judge>/<model>.jsonl). Questions and answers, the smaller side, are
// held in memory keyed by question id; judgments stream. Without judgments, two models' answers make unlabelled
// pairs (ready for an LLM judge job), their sides mixed by a coin seeded from the pair.
//
// How a judge's two games (the same pair in both orders) combine into one label:
// - MT-bench: g2_winner is already mapped back to model names (FastChat's play_a_match_pair); as FastChat's
//   show_result counts it, a tie in game 1 or games that disagree are a tie (dropped and counted), and "error" (the
//   judge's verdict could not be parsed) is dropped as no verdict.
// - arena-hard: game 1 shows the baseline as A, game 2 swaps the answers (show_result.py turns each game into a
//   battle, a strong verdict weighing 3). One pair per question, A = baseline, B = the model; a label when both
//   games name the same side (strength ignored), a tie when either says A=B or they disagree, no verdict when a
//   game has no score.
import type { ImportFormat, Side } from '../../../../preload/contract';
import { DROP_REASONS, ExternalIds, ImportTally, partsKey, seededSwap } from './common';
import { Fields, shown } from './fields';
import type { ImportInput } from './input';
import { openRecords, type RawRecord, type RecordSource } from './source';
import { ImportError, quote, type ImportedPair, type ImportNote } from './types';

export type CompanionRole = 'mt-bench question' | 'mt-bench answer' | 'mt-bench judgment'
  | 'arena-hard question' | 'arena-hard answer' | 'arena-hard judgment';

export const COMPANION_ROLES: Record<CompanionRole, string> = {
  'mt-bench question': "MT-bench's question.jsonl",
  'mt-bench answer': 'an MT-bench model_answer file',
  'mt-bench judgment': 'an MT-bench model_judgment *_pair.jsonl file',
  'arena-hard question': "arena-hard's question.jsonl",
  'arena-hard answer': 'an arena-hard model_answer file',
  'arena-hard judgment': 'an arena-hard model_judgment file',
};

/** Which file of a set a record comes from, by its fields; null for a record of a one-file layout. */
export function companionRole(fields: Record<string, unknown>): CompanionRole | null {
  const has = (name: string) => Object.hasOwn(fields, name);
  if (has('g1_winner') || has('g2_winner')) return 'mt-bench judgment';
  if (has('games')) return 'arena-hard judgment';
  if (has('choices') && has('model_id')) return 'mt-bench answer';
  if (has('messages') && has('model')) return 'arena-hard answer';
  if (has('turns') && has('question_id')) return 'mt-bench question';
  if (has('cluster') && has('prompt')) return 'arena-hard question';
  return null;
}

interface Opened { input: ImportInput; source: RecordSource; records: AsyncIterator<RawRecord>; first: RawRecord; role: CompanionRole }

async function* rest(o: Opened): AsyncGenerator<Fields> {
  const at = (r: RawRecord): Fields => new Fields({ file: o.input.name, unit: o.source.unit, at: r.at }, r.fields);
  yield at(o.first);
  for (let r = await o.records.next(); !r.done; r = await o.records.next()) yield at(r.value);
}

interface Question { query: string }

/** The assistant's text of an arena-hard answer: a string, or {answer} in the newer files. */
function assistantText(m: Fields): string {
  const content = m.data.content;
  if (typeof content === 'string') return content;
  return m.object('content').string('answer');
}

async function loadQuestions(o: Opened): Promise<Map<string, Question>> {
  const questions = new Map<string, Question>();
  for await (const f of rest(o) as AsyncIterable<Fields>) {
    if (o.role === 'mt-bench question') {
      const turns = f.strings('turns');
      if (turns.length === 0) f.fail('expected at least one turn', 'turns');
      questions.set(f.id('question_id'), { query: turns[0] });
    } else {
      questions.set(f.id('uid'), { query: f.string('prompt') });
    }
  }
  return questions;
}

/** One model's first-turn answers by question id, and the model's name. */
async function loadAnswers(o: Opened): Promise<{ model: string; answers: Map<string, string> }> {
  const answers = new Map<string, string>();
  let model: string | null = null;
  for await (const f of rest(o) as AsyncIterable<Fields>) {
    const name = f.string(o.role === 'mt-bench answer' ? 'model_id' : 'model');
    if (model !== null && name !== model) f.fail(`expected one model per answer file, found ${quote(name)} after ${quote(model)}`, o.role === 'mt-bench answer' ? 'model_id' : 'model');
    model = name;
    if (o.role === 'mt-bench answer') {
      const choice = f.objects('choices')[0];
      if (!choice) f.fail('expected at least one choice', 'choices');
      const turns = choice.strings('turns');
      if (turns.length === 0) choice.fail('expected at least one turn', 'turns');
      answers.set(f.id('question_id'), turns[0]);
    } else {
      const reply = f.objects('messages').find((m) => m.data.role === 'assistant') ?? f.fail('the answer has no assistant message', 'messages');
      answers.set(f.id('uid'), assistantText(reply));
    }
  }
  return { model: model ?? '', answers };
}

const MT_WINNERS = new Map<unknown, Side>([['model_1', 'A'], ['model_2', 'B']]);
/** arena-hard scores, as the side they favour in the game's own order. */
const AH_SCORES = new Map<unknown, Side | 'tie'>([['A>>B', 'A'], ['A>B', 'A'], ['A=B', 'tie'], ['B>A', 'B'], ['B>>A', 'B']]);
const other = (s: Side): Side => (s === 'A' ? 'B' : 'A');

export interface JoinedImport {
  format: ImportFormat;
  pairs: AsyncIterable<ImportedPair>;
  dropped(): { reason: string; count: number }[];
  notes(): ImportNote[];
}

/** Several files of one set, as one import; throws an ImportError naming the file that does not fit. */
export async function readJoined(inputs: ImportInput[]): Promise<JoinedImport> {
  const opened: Opened[] = [];
  for (const input of inputs) {
    const source = await openRecords(input);
    const records = source.records[Symbol.asyncIterator]();
    const first = await records.next();
    if (first.done) throw new ImportError(input.name, 'the file holds no records');
    const role = companionRole(first.value.fields);
    if (!role) {
      throw new ImportError(input.name, 'several files are imported together only as an MT-bench or arena-hard set (questions, model answers and judgments); import this one on its own', first.value.at, undefined, source.unit);
    }
    opened.push({ input, source, records, first: first.value, role });
  }
  const family = opened[0].role.startsWith('mt-bench') ? 'mt-bench' : 'arena-hard';
  const odd = opened.find((o) => !o.role.startsWith(family));
  if (odd) throw new ImportError(odd.input.name, `this is ${COMPANION_ROLES[odd.role]}, which does not belong with ${COMPANION_ROLES[opened[0].role]} (${opened[0].input.name})`);
  const of = (role: string) => opened.filter((o) => o.role === `${family} ${role}`);
  const [questionFile, ...extra] = of('question');
  if (!questionFile) throw new ImportError(opened[0].input.name, `the ${family} set needs its question.jsonl chosen with it`);
  if (extra.length > 0) throw new ImportError(extra[0].input.name, `a second question file (after ${questionFile.input.name}): choose one`);
  const questions = await loadQuestions(questionFile);
  const answers = new Map<string, Map<string, string>>();
  for (const o of of('answer')) {
    const { model, answers: byId } = await loadAnswers(o);
    if (answers.has(model)) throw new ImportError(o.input.name, `a second answer file for the model ${quote(model)}`);
    answers.set(model, byId);
  }
  const judgments = of('judgment');
  const drops = new ImportTally();
  const ids = new ExternalIds();

  const pairOf = (f: Fields, qid: string, modelA: string, modelB: string, field: string) => {
    const question = questions.get(qid);
    if (!question) f.fail(`no question ${quote(qid)} in ${questionFile.input.name}`, field);
    const a = answers.get(modelA)?.get(qid);
    const b = answers.get(modelB)?.get(qid);
    if (a === undefined || b === undefined) {
      const missing = a === undefined ? modelA : modelB;
      f.fail(`no answer of ${quote(missing)} to question ${quote(qid)}: choose its model_answer file too`, field);
    }
    return { question, a, b };
  };
  // MT-bench's and arena-hard's categories are not the paper's scenarios: the pairs are unassigned.
  const common = { scenario: null, fineScenario: null, unsafe: false, language: null, simulated: false, annotation: null };

  async function* fromJudgments(): AsyncGenerator<ImportedPair> {
    for (const o of judgments) {
      for await (const f of rest(o) as AsyncIterable<Fields>) {
        if (family === 'mt-bench') {
          const qid = f.id('question_id');
          const modelA = f.string('model_1');
          const modelB = f.string('model_2');
          const judge = f.strings('judge')[0] ?? f.fail('expected the judge\'s name first', 'judge');
          const turn = f.optInteger('turn') ?? 1;
          const g1 = f.string('g1_winner');
          const g2 = f.string('g2_winner');
          for (const [name, g] of [['g1_winner', g1], ['g2_winner', g2]]) {
            if (!MT_WINNERS.has(g) && g !== 'tie' && g !== 'error') f.fail(`expected model_1, model_2, tie or error, found ${shown(g)}`, name);
          }
          const { question, a, b } = pairOf(f, qid, modelA, modelB, 'question_id');
          const externalId = ids.given(new Fields(f.where, { id: `${qid}:${modelA}:${modelB}:${turn}` }), 'id');
          if (turn > 1) {
            drops.add(DROP_REASONS.multiTurn);
            continue;
          }
          if (g1 === 'error' || g2 === 'error') {
            drops.add(DROP_REASONS.judgeError);
            continue;
          }
          if (g1 !== g2) {
            drops.add(DROP_REASONS.gamesDisagree);
            continue;
          }
          const preferred = MT_WINNERS.get(g1);
          if (!preferred) {
            drops.add(DROP_REASONS.tie);
            continue;
          }
          yield { externalId, query: question.query, responseA: a, responseB: b, modelA, modelB, ...common, labels: [{ judge, kind: 'llm', preferred, probabilityA: null }] };
        } else {
          const qid = f.isBlank('uid') ? f.id('question_id') : f.id('uid');
          const model = f.string('model');
          const baseline = f.optString('baseline') ?? 'gpt-4-0314';
          const judge = f.string('judge');
          const games = f.objects('games');
          if (games.length !== 2) f.fail(`expected two games (the answers in both orders), found ${games.length}`, 'games');
          const verdicts = games.map((g: Fields): Side | 'tie' | null => {
            if (g.isBlank('score')) return null;
            const v = AH_SCORES.get(g.data.score);
            return v ?? g.fail(`expected A>>B, A>B, A=B, B>A or B>>A, found ${shown(g.data.score)}`, 'score');
          });
          const { question, a, b } = pairOf(f, qid, baseline, model, 'uid');
          const externalId = ids.given(new Fields(f.where, { id: `${qid}:${baseline}:${model}` }), 'id');
          if (verdicts[0] === null || verdicts[1] === null) {
            drops.add(DROP_REASONS.judgeError);
            continue;
          }
          // Game 2 showed the model as A: its verdict, in the pair's order, is the other side.
          const second = verdicts[1] === 'tie' ? 'tie' : other(verdicts[1]);
          if (verdicts[0] === 'tie' && second === 'tie') {
            drops.add(DROP_REASONS.tie);
            continue;
          }
          if (verdicts[0] !== second) {
            drops.add(DROP_REASONS.gamesDisagree);
            continue;
          }
          yield { externalId, query: question.query, responseA: a, responseB: b, modelA: baseline, modelB: model, ...common, labels: [{ judge, kind: 'llm', preferred: verdicts[0] as Side, probabilityA: null }] };
        }
      }
    }
  }

  async function* unlabelled(): AsyncGenerator<ImportedPair> {
    const models = [...answers.keys()].sort();
    if (models.length !== 2) {
      throw new ImportError(questionFile.input.name, `without judgments, exactly two models' answer files make pairs; ${models.length} were chosen (${models.map((m) => quote(m)).join(', ') || 'none'})`);
    }
    for (const [qid, question] of questions) {
      const [x, y] = models.map((m) => answers.get(m)!.get(qid));
      if (x === undefined || y === undefined) {
        drops.add(DROP_REASONS.noAnswer);
        continue;
      }
      const swap = seededSwap([qid, x, y]);
      const [modelA, modelB] = swap ? [models[1], models[0]] : models;
      yield {
        externalId: `${qid}:${partsKey([modelA, modelB])}`, query: question.query,
        responseA: swap ? y : x, responseB: swap ? x : y, modelA, modelB, ...common, labels: [],
      };
    }
  }

  const format: ImportFormat = family;
  let kept = 0;
  const pairs = async function* (): AsyncGenerator<ImportedPair> {
    for await (const pair of judgments.length > 0 ? fromJudgments() : unlabelled()) {
      kept++;
      yield pair;
    }
    if (kept === 0) {
      const why = drops.list().map((d) => `${d.reason}: ${d.count}`).join(', ');
      throw new ImportError(inputs.map((i) => i.name).join(', '), `no usable pairs: all were dropped (${why || 'no question had answers from both models'})`);
    }
  };
  return { format, pairs: pairs(), dropped: () => drops.list(), notes: () => drops.notes() };
}
