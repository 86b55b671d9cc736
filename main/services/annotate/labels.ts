// Judge labels (section 3.3): the paper's question in both response orders, read from the log-probabilities of
// "A" and "B"; the two orders' log-probabilities are averaged per response, which gives the label and its
// probability, and the orders kept apart give the judge's positional bias.
import type { JudgeReport, Side } from '../../../preload/contract';
import type { WorkItem } from './store';
import { ask, all } from './ask';
import type { Caller, ChatAnswer } from './caller';
import { AnswerProblem } from './parse';
import { judgePrompt } from './prompts';

export interface LetterLogprobs { first: number; second: number }

const logSumExp = (xs: number[]) => {
  const m = Math.max(...xs);
  return m + Math.log(xs.reduce((s, x) => s + Math.exp(x - m), 0));
};

/**
 * The log-probabilities of "A" (the response shown first) and "B" at the answer's first letter: the first answer
 * token that is A or B ("A", " A", or after "Response"). Tokens spelled alike (" A", "A") are summed. A letter
 * missing from the top alternatives gets the lowest listed log-probability, an upper bound on its own.
 */
export function letterLogprobs(answer: ChatAnswer): LetterLogprobs {
  if (!answer.logprobs || answer.logprobs.length === 0) {
    throw new AnswerProblem('the endpoint returned no log-probabilities; judge labels need an endpoint that returns them (logprobs)');
  }
  const position = answer.logprobs.find((t) => ['A', 'B'].includes(t.token.trim()));
  if (!position) throw new AnswerProblem(`the judge's answer ${JSON.stringify(answer.content.slice(0, 40))} names neither A nor B`);
  const candidates = [...position.top];
  if (!candidates.some((c) => c.token === position.token)) candidates.push({ token: position.token, logprob: position.logprob });
  const of = (letter: string) => candidates.filter((c) => c.token.trim() === letter).map((c) => c.logprob);
  const floor = Math.min(...candidates.map((c) => c.logprob));
  const a = of('A');
  const b = of('B');
  return { first: a.length ? logSumExp(a) : floor, second: b.length ? logSumExp(b) : floor };
}

/** Said of a pair whose two orders gave both responses the same averaged log-probability. */
export const TIE_NOTE = 'Tie: both responses got the same averaged log-probability over the two orders, so the judge prefers neither; no label is stored (the paper drops ties).';

export interface JudgedPair {
  /** null: a tie, kept as such (the paper drops ties), not a failure a retry could fix. */
  preferred: Side | null;
  /** P(A preferred) = exp(la) / (exp(la) + exp(lb)) with la, lb the order-averaged log-probabilities (0.5 for a tie). */
  probabilityA: number;
  orders: { shownFirst: Side; logprobFirst: number; logprobSecond: number }[];
  hashes: string[];
}

/** Averages the two orders: A's log-probability is "A" when A was shown first and "B" when it was second. */
export function combineOrders(ab: LetterLogprobs, ba: LetterLogprobs): { preferred: Side; probabilityA: number } | null {
  const la = (ab.first + ba.second) / 2;
  const lb = (ab.second + ba.first) / 2;
  if (la === lb) return null;
  return { preferred: la > lb ? 'A' : 'B', probabilityA: 1 / (1 + Math.exp(lb - la)) };
}

export async function judgePair(pair: WorkItem, caller: Caller, retrying: boolean): Promise<JudgedPair> {
  const [ab, ba] = await all([
    ask(caller, 'judge', judgePrompt(pair.query, pair.responseA, pair.responseB), letterLogprobs, retrying),
    ask(caller, 'judge', judgePrompt(pair.query, pair.responseB, pair.responseA), letterLogprobs, retrying),
  ] as const);
  const label = combineOrders(ab.value, ba.value) ?? { preferred: null, probabilityA: 0.5 };
  return {
    ...label,
    orders: [
      { shownFirst: 'A', logprobFirst: ab.value.first, logprobSecond: ab.value.second },
      { shownFirst: 'B', logprobFirst: ba.value.first, logprobSecond: ba.value.second },
    ],
    hashes: [ab.hash, ba.hash],
  };
}

const firstProbability = (o: { logprobFirst: number; logprobSecond: number }) => 1 / (1 + Math.exp(o.logprobSecond - o.logprobFirst));

/** The judge's positional bias over the pairs a job labelled in both orders. */
export function judgeReport(judge: string, orders: { pairId: number; shownFirst: Side; logprobFirst: number; logprobSecond: number; human: Side | null }[]): JudgeReport {
  const byPair = new Map<number, typeof orders>();
  for (const o of orders) byPair.set(o.pairId, [...(byPair.get(o.pairId) ?? []), o]);
  const complete = [...byPair.values()].filter((os) => os.length === 2);
  const flat = complete.flat();
  let flipped = 0;
  let humanPairs = 0;
  let agreed = 0;
  for (const os of complete) {
    const ab = os.find((o) => o.shownFirst === 'A')!;
    const ba = os.find((o) => o.shownFirst === 'B')!;
    // The side each order prefers, in the pair's own terms.
    const inAB: Side = ab.logprobFirst >= ab.logprobSecond ? 'A' : 'B';
    const inBA: Side = ba.logprobFirst >= ba.logprobSecond ? 'B' : 'A';
    if (inAB !== inBA) flipped++;
    const label = combineOrders({ first: ab.logprobFirst, second: ab.logprobSecond }, { first: ba.logprobFirst, second: ba.logprobSecond });
    if (ab.human && label) {
      humanPairs++;
      if (label.preferred === ab.human) agreed++;
    }
  }
  const n = complete.length;
  return {
    judge,
    pairs: n,
    positionalBias: n ? flat.reduce((s, o) => s + firstProbability(o), 0) / flat.length - 0.5 : 0,
    firstShownPreferred: n ? flat.filter((o) => o.logprobFirst > o.logprobSecond).length / flat.length : 0,
    flipped: n ? flipped / n : 0,
    agreementWithHuman: humanPairs ? agreed / humanPairs : null,
    humanPairs,
  };
}
