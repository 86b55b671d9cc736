// Asking for an answer in a format: the answer is read strictly; a malformed one is asked for once more, with
// what was wrong, and then the item fails with both reasons. Never a default in place of an answer.
import { AnswerProblem, answerJson } from './parse';
import { RequestFailure, type Caller, type ChatAnswer } from './caller';
import { MAX_TOKENS, type CallKind, type ChatMessage } from './prompts';

/** The item cannot be done: the stage and what went wrong, in one sentence. */
export class ItemFailure extends Error {}

export const STAGE: Record<CallKind, string> = {
  basic: 'Basic properties', 'basic-query': 'Basic properties (relevant, novel)', prerequisites: 'Query-specific round one',
  'query-specific': 'Query-specific round two', reference: 'Reference answer', errors: 'Error detection', judge: 'Judge label',
  reasons: 'Reasons', normalise: 'Normalising reasons', scenario: 'Scenario',
};

export interface Asked<T> { value: T; raw: string; hash: string }

const reask = (kind: CallKind, problem: string) => kind === 'reference'
  ? `Your answer could not be used: ${problem}. Please answer the query.`
  : `Your answer could not be used: ${problem}. Answer again with only the JSON, exactly in the format asked for.`;

/**
 * `read` turns the answer's text into a value or throws an AnswerProblem. `retrying`: the user asked for the item
 * again, so cached answers that cannot be read are sent anew rather than read again.
 */
export async function ask<T>(caller: Caller, kind: CallKind, messages: ChatMessage[], read: (answer: ChatAnswer) => T, retrying: boolean): Promise<Asked<T>> {
  const attempt = (answer: ChatAnswer): { value: T } | { problem: string } => {
    try {
      return { value: read(answer) };
    } catch (err) {
      if (err instanceof AnswerProblem) return { problem: err.message };
      throw err;
    }
  };
  const stale = retrying ? (cached: ChatAnswer) => 'problem' in attempt(cached) : undefined;
  try {
    const first = await caller.complete(kind, messages, stale);
    const one = attempt(first.answer);
    if ('value' in one) return { value: one.value, raw: first.answer.content, hash: first.hash };
    // The judge's question ends mid-sentence: there is no format to correct, so no re-ask.
    if (kind === 'judge') throw new ItemFailure(`${STAGE[kind]}: ${one.problem}.`);
    const again = [...messages, { role: 'assistant' as const, content: first.answer.content }, { role: 'user' as const, content: reask(kind, one.problem) }];
    const second = await caller.complete(kind, again, stale);
    const two = attempt(second.answer);
    if ('value' in two) return { value: two.value, raw: second.answer.content, hash: second.hash };
    throw new ItemFailure(`${STAGE[kind]}: ${one.problem}; asked again, ${two.problem}.`);
  } catch (err) {
    if (err instanceof RequestFailure) throw new ItemFailure(`${STAGE[kind]}: ${err.message}`);
    throw err;
  }
}

/** A JSON answer read by `parse`. */
export function askJson<T>(caller: Caller, kind: CallKind, messages: ChatMessage[], parse: (json: unknown) => T, retrying: boolean): Promise<Asked<T>> {
  return ask(caller, kind, messages, (a) => parse(answerJson(a.content, a.finishReason, MAX_TOKENS[kind])), retrying);
}

/**
 * Waits for all of an item's parallel calls. A control signal (pause, cancel, cost cap, endpoint failure) wins
 * over item failures; item failures are joined into one.
 */
export async function all<T extends readonly unknown[]>(calls: { [K in keyof T]: Promise<T[K]> }): Promise<T> {
  const settled = await Promise.allSettled(calls);
  const errors = settled.flatMap((s) => (s.status === 'rejected' ? [s.reason as unknown] : []));
  const control = errors.find((e) => !(e instanceof ItemFailure));
  if (control !== undefined) throw control;
  if (errors.length > 0) throw new ItemFailure([...new Set(errors.map((e) => (e as Error).message))].join(' '));
  return settled.map((s) => (s as PromiseFulfilledResult<unknown>).value) as unknown as T;
}
