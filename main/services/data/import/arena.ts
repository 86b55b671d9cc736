// Chatbot Arena conversations (lmsys/chatbot_arena_conversations): one battle per record, the user's vote in
// `winner`. As in the paper (section 3.2), ties of both kinds and multi-turn conversations are dropped. A row's
// `judge` names who voted: Arena's crowd voters are the judge "human"; the MT-bench human judgments layout (the same
// rows, a question repeated once per judge: expert_0, author_3, gpt4_pair) makes one pair with a label per judge, of
// the kind the judge's name says (gpt4_pair is an LLM). Reading takes two passes: the first collects each pair's
// votes (a few words per pair, not its texts), the second yields each pair once, at its first row.
import type { Side } from '../../../../preload/contract';
import { type Importer, DROP_REASONS, ExternalIds, judgeKindOf, readScenario } from './common';
import { Fields } from './fields';
import type { RecordSource } from './source';
import { quote } from './types';

const WINNERS = new Map<string, Side | typeof DROP_REASONS.tie | typeof DROP_REASONS.bothBad>([
  ['model_a', 'A'],
  ['model_b', 'B'],
  ['tie', DROP_REASONS.tie],
  ['tie (bothbad)', DROP_REASONS.bothBad],
]);

interface Conversation {
  query: string;
  response: string;
  userTurns: number;
}

/** The first user message and the first reply to it; multi-turn ones are counted, and dropped by the caller. */
function readConversation(f: Fields, name: string): Conversation {
  let query: string | null = null;
  let response: string | null = null;
  let userTurns = 0;
  for (const message of f.objects(name)) {
    const role = message.string('role');
    const content = message.string('content');
    if (role === 'user') {
      userTurns++;
      query ??= content;
    } else if (role === 'assistant') {
      if (query !== null) response ??= content;
    } else {
      message.fail(`unknown role ${quote(role)} (expected user or assistant)`, 'role');
    }
  }
  if (query === null) f.fail('the conversation has no user message', name);
  if (response === null) f.fail('the conversation has no assistant reply to the user', name);
  return { query, response, userTurns };
}

/** Flagged by the OpenAI moderation or by either toxic-chat classifier (the paper's unsafe queries). */
function isUnsafe(f: Fields): boolean {
  if (f.optObject('openai_moderation')?.optBoolean('flagged')) return true;
  const toxic = f.optObject('toxic_chat_tag');
  if (!toxic) return false;
  return Object.keys(toxic.data).some((classifier) => toxic.object(classifier).optBoolean('flagged') === true);
}

interface Vote { judge: string; outcome: Side | typeof DROP_REASONS.tie | typeof DROP_REASONS.bothBad }

/** Arena's crowd voters (arena_user_973, ...) are one judge, "human", as in the paper; other judges keep their names. */
const judgeName = (f: Fields) => {
  const named = f.optString('judge');
  return named === null || /^arena_user/i.test(named) ? 'human' : named;
};

/** One record, checked whole (dropped ones too: a file with a broken row is refused whole). */
function readRow(f: Fields) {
  const winner = f.string('winner');
  const outcome = WINNERS.get(winner);
  if (outcome === undefined) f.fail(`expected model_a, model_b, tie or tie (bothbad), found ${quote(winner)}`, 'winner');
  const questionId = f.id('question_id');
  const modelA = f.string('model_a');
  const modelB = f.string('model_b');
  const turn = f.optInteger('turn');
  // MT-bench human judgments: one row per judge and pair, the pair named by question, models and turn.
  const key = JSON.stringify([questionId, modelA, modelB, turn]);
  return { outcome, questionId, modelA, modelB, turn, key, judge: judgeName(f) };
}

/**
 * The first pass: each pair's votes, and how many pairs share a question id. Crowd votes must have unique question
 * ids (Chatbot Arena); rows naming other judges may repeat one per judge (MT-bench human judgments).
 */
async function collectVotes(source: RecordSource, file: string) {
  const votes = new Map<string, Vote[]>();
  const pairsPerQuestion = new Map<string, number>();
  const ids = new ExternalIds();
  for await (const record of source.records) {
    const f: Fields = Fields.ofRecord(file, source, record);
    const row = readRow(f);
    const earlier = votes.get(row.key);
    // Arena's crowd votes are one per battle: a repeated question id there is an error.
    if (row.judge === 'human') ids.given(f, 'question_id');
    if (earlier?.some((v) => v.judge === row.judge)) {
      f.fail(`the judge ${quote(row.judge)} votes twice on question ${quote(row.questionId)} (${row.modelA} vs ${row.modelB})`, 'judge');
    }
    if (earlier === undefined) pairsPerQuestion.set(row.questionId, (pairsPerQuestion.get(row.questionId) ?? 0) + 1);
    votes.set(row.key, [...(earlier ?? []), { judge: row.judge, outcome: row.outcome }]);
  }
  return { votes, pairsPerQuestion };
}

export const importArena: Importer = async function* (source, file, drops, reopen) {
  const { votes, pairsPerQuestion } = await collectVotes(await reopen(), file);
  for await (const record of source.records) {
    const f: Fields = Fields.ofRecord(file, source, record);
    const row = readRow(f);
    const a = readConversation(f, 'conversation_a');
    const b = readConversation(f, 'conversation_b');
    const language = f.optString('language');
    const unsafe = isUnsafe(f);
    // Arena data has no scenario; a file that was classified (e.g. with Li et al.'s classifier) may carry one.
    const scenarioField = ['scenario', 'category'].find((name) => !f.isBlank(name));
    const { scenario, fineScenario } = scenarioField
      ? readScenario(f, scenarioField)
      : { scenario: null, fineScenario: null }; // unassigned until the scenario job or a person sets it
    const all = votes.get(row.key) ?? f.fail('the file changed while it was read', 'question_id');
    if (all.length === 0) continue; // a later judge's row of a pair already read
    votes.set(row.key, []);
    if ((row.turn ?? 1) > 1 || a.userTurns > 1 || b.userTurns > 1) {
      drops.add(DROP_REASONS.multiTurn);
      continue;
    }
    // A judge that called it a tie has no label; a pair with no decided vote is dropped as its first tie.
    const labels = all.flatMap((v) => (v.outcome === 'A' || v.outcome === 'B'
      ? [{ judge: v.judge, kind: judgeKindOf(v.judge), preferred: v.outcome, probabilityA: null }]
      : []));
    if (labels.length === 0) {
      drops.add(all[0].outcome as typeof DROP_REASONS.tie);
      continue;
    }
    yield {
      externalId: pairsPerQuestion.get(row.questionId) === 1 ? row.questionId : `${row.questionId}:${row.modelA}:${row.modelB}:${row.turn ?? 1}`,
      query: a.query,
      responseA: a.response,
      responseB: b.response,
      modelA: row.modelA,
      modelB: row.modelB,
      scenario,
      fineScenario,
      unsafe,
      language,
      simulated: false,
      labels,
      annotation: null,
    };
  }
};
