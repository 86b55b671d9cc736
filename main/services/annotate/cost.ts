// Money: token estimates, the price table, and the guard that makes the cost cap hard. Before a request is sent
// the guard reserves its worst case (the prompt counted pessimistically, the answer at its token limit); a
// request that could take the job past its cap is never sent. The answer's real usage then settles the amount.
import type { EndpointSettings, ModelPrice } from '../../../preload/contract';
import type { ChatMessage } from './prompts';

export const DEFAULT_ENDPOINT: EndpointSettings = {
  // The paper's annotator (section 3.4).
  model: 'gpt-4-1106-preview',
  baseUrl: '',
  concurrency: 4,
  requestsPerMinute: 500,
  tokensPerMinute: 300_000,
  // The authors' annotation code waited 120 s per request.
  timeoutSeconds: 120,
  maxAttempts: 6,
  jsonMode: true,
  batchPollSeconds: 30,
  moderationModel: 'omni-moderation-latest',
};

/** The Batch API's discount. */
export const BATCH_PRICE_FACTOR = 0.5;

// Tokenisers differ per model, and none is bundled: English runs about four characters a token, other scripts
// about one character a token. The worst case takes three characters and two tokens a character.
const OVERHEAD_PER_MESSAGE = 4;
function countChars(text: string): { ascii: number; other: number } {
  let ascii = 0;
  for (let i = 0; i < text.length; i++) if (text.charCodeAt(i) < 128) ascii++;
  return { ascii, other: text.length - ascii };
}

export function estimateTokens(messages: ChatMessage[], worst = false): number {
  let tokens = 3;
  for (const m of messages) {
    const { ascii, other } = countChars(m.content);
    tokens += OVERHEAD_PER_MESSAGE + (worst ? Math.ceil(ascii / 3) + 2 * other : Math.ceil(ascii / 4) + other);
  }
  return tokens;
}

/** The price of a model: its own row, or the longest model name it starts with ("gpt-4o-2024-08-06" -> gpt-4o). */
export function priceFor(prices: ModelPrice[], model: string): ModelPrice | null {
  const exact = prices.find((p) => p.model === model);
  if (exact) return exact;
  const prefixes = prices.filter((p) => model.startsWith(`${p.model}-`)).sort((a, b) => b.model.length - a.model.length);
  return prefixes[0] ?? null;
}

export function costOf(price: ModelPrice, tokens: { input: number; output: number }, batch: boolean): number {
  const dollars = (tokens.input * price.inputPerMillion + tokens.output * price.outputPerMillion) / 1e6;
  return batch ? dollars * BATCH_PRICE_FACTOR : dollars;
}

export const dollars = (x: number) => `$${x < 0.01 && x > 0 ? x.toFixed(4) : x.toFixed(2)}`;

/** A request was not sent because it could take the job past its cost cap. */
export class CostCapReached extends Error {
  constructor(readonly cap: number, readonly spent: number) {
    super(`Stopped at the cost cap of ${dollars(cap)}: ${dollars(spent)} spent, and the next request could cost more than what is left. Raise the cap and resume to go on.`);
  }
}

export class CostGuard {
  private reserved = 0;

  constructor(
    private readonly cap: number | null,
    /** What the job spent before (earlier runs). */
    private spentSoFar: number,
    private readonly price: ModelPrice | null,
    private readonly batch: boolean,
  ) {}

  get spent(): number {
    return this.spentSoFar;
  }

  /** Reserves the worst case of one request; throws CostCapReached when it does not fit under the cap. */
  reserve(tokens: { input: number; output: number }): number {
    if (!this.price) return 0;
    const amount = costOf(this.price, tokens, this.batch);
    if (this.cap !== null && this.spentSoFar + this.reserved + amount > this.cap) throw new CostCapReached(this.cap, this.spentSoFar);
    this.reserved += amount;
    return amount;
  }

  /** The answer arrived: its real cost replaces the reservation. Returns the real cost (0 without a price). */
  settle(reservation: number, usage: { input: number; output: number }): number {
    this.reserved -= reservation;
    const cost = this.price ? costOf(this.price, usage, this.batch) : 0;
    this.spentSoFar += cost;
    return cost;
  }

  /** No answer (an error, or a request that was never sent): nothing is owed. */
  release(reservation: number): void {
    this.reserved -= reservation;
  }
}
