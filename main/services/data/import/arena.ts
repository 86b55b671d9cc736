// Chatbot Arena conversations (lmsys/chatbot_arena_conversations): one battle per record, the user's vote in
// `winner`. As in the paper (section 3.2), ties of both kinds and multi-turn conversations are dropped.
import type { Side } from '../../../../preload/contract';
import { type Importer, DEFAULT_SCENARIO, DROP_REASONS, ExternalIds, readScenario } from './common';
import { Fields } from './fields';
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

export const importArena: Importer = async function* (source, file, drops) {
  const ids = new ExternalIds();
  for await (const record of source.records) {
    const f: Fields = new Fields({ file, unit: source.unit, at: record.at }, record.fields);
    const winner = f.string('winner');
    const outcome = WINNERS.get(winner);
    if (outcome === undefined) f.fail(`expected model_a, model_b, tie or tie (bothbad), found ${quote(winner)}`, 'winner');
    // Every record is checked, dropped ones too: a file with a broken row is refused whole.
    const modelA = f.string('model_a');
    const modelB = f.string('model_b');
    const a = readConversation(f, 'conversation_a');
    const b = readConversation(f, 'conversation_b');
    const externalId = ids.given(f, 'question_id', { query: a.query, responseA: a.response, responseB: b.response });
    const turn = f.optInteger('turn');
    const language = f.optString('language');
    const unsafe = isUnsafe(f);
    // Arena data has no scenario; a file that was classified (e.g. with Li et al.'s classifier) may carry one.
    const scenarioField = ['scenario', 'category'].find((name) => !f.isBlank(name));
    const { scenario, fineScenario } = scenarioField
      ? readScenario(f, scenarioField)
      : { scenario: DEFAULT_SCENARIO, fineScenario: null };

    if (outcome !== 'A' && outcome !== 'B') {
      drops.add(outcome);
      continue;
    }
    if ((turn ?? 1) > 1 || a.userTurns > 1 || b.userTurns > 1) {
      drops.add(DROP_REASONS.multiTurn);
      continue;
    }
    yield {
      externalId,
      query: a.query,
      responseA: a.response,
      responseB: b.response,
      modelA,
      modelB,
      scenario,
      fineScenario,
      unsafe,
      language,
      simulated: false,
      labels: [{ judge: 'human', kind: 'human', preferred: outcome, probabilityA: null }],
      annotation: null,
    };
  }
};
