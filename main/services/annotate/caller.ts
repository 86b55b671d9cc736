// One model call: looked up in the request cache by the hash of the request first, so that nothing answered is
// paid for twice; otherwise sent (directly within the rate limits with our own retries, or through a Batch API
// job), paid for through the cost guard, and cached the moment its answer arrives.
import { createHash } from 'node:crypto';
import OpenAI, { APIConnectionError, APIConnectionTimeoutError, APIError, APIUserAbortError } from 'openai';
import type { Storage } from '../storage';
import { Cancelled } from '../jobs';
import { CostGuard, estimateTokens } from './cost';
import { JSON_OBJECT_KINDS, MAX_TOKENS, type CallKind, type ChatMessage } from './prompts';
import type { RateLimiter } from './limiter';
import type { TokenCounter } from './tokens';

export interface ChatRequest {
  model: string;
  messages: ChatMessage[];
  temperature: number;
  max_tokens: number;
  seed: number;
  response_format?: { type: 'json_object' };
  logprobs?: boolean;
  top_logprobs?: number;
}

export interface TokenLogprob { token: string; logprob: number; top: { token: string; logprob: number }[] }

export interface ChatAnswer {
  content: string;
  finishReason: string | null;
  /** Each answer token with its most likely alternatives, when asked for. */
  logprobs: TokenLogprob[] | null;
  usage: { input: number; output: number };
}

/** The request could not be answered; the item fails with this sentence. */
export class RequestFailure extends Error {}
/** The endpoint cannot serve this job at all (key refused, model unknown, server unreachable): the job stops. */
export class EndpointFailure extends Error {}
/** The job is pausing (by the user, or stopping at its cost cap): no new request is sent. */
export class Pausing extends Error {}

/** The judge reads the top alternatives of the answer's first tokens; 20 is OpenAI's maximum. */
export const TOP_LOGPROBS = 20;

export function buildRequest(kind: CallKind, model: string, messages: ChatMessage[], jsonMode: boolean): ChatRequest {
  return {
    model, messages, temperature: 0, max_tokens: MAX_TOKENS[kind],
    // The authors annotated with a fixed seed and temperature 0.
    seed: 42,
    ...(jsonMode && JSON_OBJECT_KINDS.has(kind) ? { response_format: { type: 'json_object' as const } } : {}),
    ...(kind === 'judge' ? { logprobs: true, top_logprobs: TOP_LOGPROBS } : {}),
  };
}

/** JSON with object keys in sorted order, so equal requests hash equally whatever built them. */
export function stable(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(stable).join(',')}]`;
  if (value && typeof value === 'object') {
    return `{${Object.keys(value).sort().map((k) => `${JSON.stringify(k)}:${stable((value as Record<string, unknown>)[k])}`).join(',')}}`;
  }
  return JSON.stringify(value);
}

/** The request cache's key: the endpoint and everything sent to it. */
export function requestHash(baseUrl: string, request: ChatRequest): string {
  return createHash('sha256').update(stable({ endpoint: normaliseBaseUrl(baseUrl), request })).digest('hex');
}

export function normaliseBaseUrl(baseUrl: string): string {
  return baseUrl.trim().replace(/\/+$/, '');
}

/** An endpoint's address as said to the user ('' is OpenAI's own). */
export function endpointName(baseUrl: string): string {
  return normaliseBaseUrl(baseUrl) || 'api.openai.com';
}

interface CompletionBody {
  choices?: { message?: { content?: string | null }; finish_reason?: string | null; logprobs?: { content?: { token: string; logprob: number; top_logprobs?: { token: string; logprob: number }[] }[] | null } | null }[];
  usage?: { prompt_tokens?: number; completion_tokens?: number } | null;
}

/** A chat completion's JSON (from the API or a Batch API output line) as an answer. */
export function toAnswer(body: unknown, request: ChatRequest): ChatAnswer {
  const b = body as CompletionBody;
  const choice = b?.choices?.[0];
  if (!choice) throw new RequestFailure('The endpoint answered without any choice.');
  const content = choice.message?.content ?? '';
  return {
    content,
    finishReason: choice.finish_reason ?? null,
    logprobs: choice.logprobs?.content?.map((t) => ({ token: t.token, logprob: t.logprob, top: (t.top_logprobs ?? []).map((x) => ({ token: x.token, logprob: x.logprob })) })) ?? null,
    // Servers that do not report usage are charged by estimate, so the cost cap still holds.
    usage: {
      input: b.usage?.prompt_tokens ?? estimateTokens(request.messages),
      output: b.usage?.completion_tokens ?? estimateTokens([{ role: 'assistant', content }]),
    },
  };
}

/** Removes the key, and anything shaped like one, from text that may be shown, logged or stored. */
export function redact(text: string, key: string | null): string {
  let out = key && key.length >= 4 ? text.split(key).join('[key hidden]') : text;
  out = out.replace(/\bsk-[A-Za-z0-9_*-]{6,}/g, '[key hidden]');
  return out;
}

export interface RetryPolicy {
  maxAttempts: number;
  timeoutMs: number;
  /** First backoff; doubles per attempt, with jitter. */
  baseDelayMs: number;
  maxDelayMs: number;
  random: () => number;
}

/** Equal jitter: half the exponential delay, plus a random part of the other half; a server's Retry-After wins. */
export function backoffMs(attempt: number, policy: RetryPolicy, retryAfterMs?: number): number {
  if (retryAfterMs !== undefined && Number.isFinite(retryAfterMs) && retryAfterMs >= 0) return Math.min(retryAfterMs, policy.maxDelayMs);
  const exp = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** (attempt - 1));
  return exp / 2 + policy.random() * (exp / 2);
}

/** A Go-style duration as OpenAI's x-ratelimit-reset-* headers give it ("20ms", "1s", "6m0s", "1h2m3.5s"), in ms. */
export function durationMs(text: string): number | undefined {
  const unit: Record<string, number> = { h: 3_600_000, m: 60_000, s: 1000, ms: 1 };
  const parts = [...text.trim().matchAll(/(\d+(?:\.\d+)?)(ms|h|m|s)/g)];
  if (parts.length === 0 || parts.map((p) => p[0]).join('') !== text.trim()) return undefined;
  return parts.reduce((sum, p) => sum + Number(p[1]) * unit[p[2]], 0);
}

/**
 * How long the server asks a request to wait before it is tried again, read as OpenAI's client reads it
 * (retry-after-ms, then retry-after in seconds or as an HTTP date); where a 429 carries neither, OpenAI's
 * x-ratelimit-reset-requests / -tokens of the limit that ran out (remaining 0), or of both when it does not say.
 */
export function serverWaitMs(headers: Headers | undefined, status: number | undefined, now = Date.now()): number | undefined {
  const ms = Number.parseFloat(headers?.get('retry-after-ms') ?? '');
  if (Number.isFinite(ms)) return Math.max(0, ms);
  const after = headers?.get('retry-after');
  if (after) {
    const seconds = Number.parseFloat(after);
    if (Number.isFinite(seconds)) return Math.max(0, seconds * 1000);
    const at = Date.parse(after);
    if (Number.isFinite(at)) return Math.max(0, at - now);
  }
  if (status !== 429 || !headers) return undefined;
  const limits = ['requests', 'tokens'].map((l) => ({
    spent: headers.get(`x-ratelimit-remaining-${l}`) === '0', reset: durationMs(headers.get(`x-ratelimit-reset-${l}`) ?? ''),
  })).filter((l) => l.reset !== undefined);
  const ranOut = limits.some((l) => l.spent) ? limits.filter((l) => l.spent) : limits;
  return ranOut.length ? Math.max(...ranOut.map((l) => l.reset!)) : undefined;
}

/** Waits, or rejects with Cancelled as soon as the signal aborts. */
export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(new Cancelled());
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    const onAbort = () => {
      clearTimeout(timer);
      reject(new Cancelled());
    };
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

type Outcome = 'retry' | 'request' | 'endpoint';

function classify(err: unknown): Outcome {
  if (err instanceof APIConnectionTimeoutError || err instanceof APIConnectionError) return 'retry';
  // No retry brings quota back: the account has to be topped up.
  if (err instanceof APIError && err.status === 429 && err.code === 'insufficient_quota') return 'endpoint';
  // The server's own word, which OpenAI's client obeys before anything else.
  const should = err instanceof APIError ? err.headers?.get('x-should-retry') : null;
  if (should === 'true') return 'retry';
  if (should === 'false') return err instanceof APIError && (err.status === 401 || err.status === 403 || err.status === 404) ? 'endpoint' : 'request';
  if (err instanceof APIError && typeof err.status === 'number') {
    if (err.status === 429 || err.status === 408 || err.status === 409 || err.status >= 500) return 'retry';
    if (err.status === 401 || err.status === 403 || err.status === 404) return 'endpoint';
  }
  return 'request';
}

/** Why a connection failed, from the innermost cause (fetch's "fetch failed" wraps "connect ECONNREFUSED ..."). */
export function connectionReason(err: Error): string {
  let reason = err.message;
  for (let cause = err.cause; cause instanceof Error; cause = cause.cause) reason = cause.message;
  return reason;
}

/** One sentence for a request that failed for good. */
export function describe(err: unknown, attempts: number, policy: RetryPolicy, where: string): string {
  const tries = attempts === 1 ? 'once' : `${attempts} times`;
  if (err instanceof APIConnectionTimeoutError) return `No answer within ${policy.timeoutMs / 1000} s, ${tries}.`;
  if (err instanceof APIConnectionError) return `Cannot reach ${where} (${connectionReason(err)}), ${tries}.`;
  if (err instanceof APIError) {
    const detail = err.message.replace(/^\d+\s*/, '');
    if (err.status === 401) return `The endpoint refused the API key (401): ${detail}`;
    if (err.status === 403) return `The endpoint does not allow this request (403): ${detail}`;
    if (err.status === 404) return `The endpoint does not know this model or path (404): ${detail}`;
    if (err.status === 429 && err.code === 'insufficient_quota') return `The endpoint says the account has no quota left (429 insufficient_quota): ${detail}`;
    if (err.status === 429) return `The endpoint kept answering 429 (rate limit) after ${attempts} tries: ${detail}`;
    if (typeof err.status === 'number' && err.status >= 500) return `The endpoint failed with ${err.status} after ${attempts} tries: ${detail}`;
    return `The endpoint refused the request (${err.status}): ${detail}`;
  }
  return (err as Error).message;
}

/** A client for one endpoint; retries are ours (the client's are off, so every try is counted and limited). */
export function openAiClient(baseUrl: string, apiKey: string | null, timeoutSeconds: number): OpenAI {
  return new OpenAI({
    // Local servers (Ollama, llama.cpp, LM Studio) take any key; the client needs one to send.
    apiKey: apiKey ?? 'no-key',
    baseURL: normaliseBaseUrl(baseUrl) || undefined,
    maxRetries: 0,
    timeout: timeoutSeconds * 1000,
    logLevel: 'off',
  });
}

/** OpenAI itself (no base URL, or its own address): it needs a key. */
export const isOpenAi = (baseUrl: string) => baseUrl.trim() === '' || /(^|\/\/)api\.openai\.com/.test(baseUrl);

export interface DirectSender {
  client: OpenAI;
  limiter: RateLimiter;
  policy: RetryPolicy;
  apiKey: string | null;
  where: string;
  signal: AbortSignal;
  onRetry(): void;
  /** Hears each wait for the rate limit (a 429's, or the limiter's minute), until when; the returned function ends it. */
  onRateLimitWait?(untilMs: number): () => void;
}

/** Sends one request with our own retries (the client's are off, so every try is counted and limited). */
export function sendDirect(s: DirectSender, kind: CallKind, request: ChatRequest): Promise<ChatAnswer> {
  return withRetries(s, estimateTokens(request.messages) + MAX_TOKENS[kind], async () => {
    const body = await s.client.chat.completions.create(request as OpenAI.ChatCompletionCreateParamsNonStreaming, { signal: s.signal, timeout: s.policy.timeoutMs, maxRetries: 0 });
    const answer = toAnswer(body, request);
    return { value: answer, tokens: answer.usage.input + answer.usage.output };
  });
}

/** What the moderation API says of a text: flagged, and the categories it flagged. */
export interface ModerationAnswer { flagged: boolean; categories: string[] }
export interface ModerationRequest { model: string; input: string }

/** One moderation request, limited and retried as a chat request; null when the endpoint has no moderation API. */
export async function moderateDirect(s: DirectSender, request: ModerationRequest): Promise<ModerationAnswer | null> {
  try {
    return await withRetries(s, estimateTokens([{ role: 'user', content: request.input }]), async () => {
      const body = await s.client.moderations.create(request, { signal: s.signal, timeout: s.policy.timeoutMs, maxRetries: 0 });
      const result = body.results?.[0];
      if (!result) throw new RequestFailure('The moderation API answered without a result.');
      const categories = Object.entries(result.categories ?? {}).filter(([, on]) => on === true).map(([name]) => name).sort();
      return { value: { flagged: result.flagged === true, categories }, tokens: 0 };
    }, (err) => err instanceof APIError && (err.status === 404 || err.status === 405));
  } catch (err) {
    if (err instanceof NoSuchApi) return null;
    throw err;
  }
}

/** The endpoint has no such API (404): not a failure of the endpoint, the caller does without. */
class NoSuchApi extends Error {}

async function withRetries<T>(s: DirectSender, expectTokens: number, send: () => Promise<{ value: T; tokens: number }>, missing?: (err: unknown) => boolean): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    const release = await s.limiter.acquire(expectTokens, s.signal, s.onRateLimitWait);
    try {
      const { value, tokens } = await send();
      release(tokens);
      return value;
    } catch (err) {
      release();
      if (s.signal.aborted || err instanceof APIUserAbortError || err instanceof Cancelled) throw new Cancelled();
      if (err instanceof RequestFailure) throw err;
      if (missing?.(err)) throw new NoSuchApi();
      const outcome = classify(err);
      const exhausted = attempt >= s.policy.maxAttempts;
      if (outcome === 'endpoint' || (exhausted && err instanceof APIConnectionError && !(err instanceof APIConnectionTimeoutError))) {
        throw new EndpointFailure(redact(describe(err, attempt, s.policy, s.where), s.apiKey));
      }
      if (outcome === 'request' || exhausted) throw new RequestFailure(redact(describe(err, attempt, s.policy, s.where), s.apiKey));
      s.onRetry();
      const status = err instanceof APIError ? err.status : undefined;
      const delay = backoffMs(attempt, s.policy, serverWaitMs(err instanceof APIError ? err.headers : undefined, status));
      const endWait = status === 429 ? s.onRateLimitWait?.(Date.now() + delay) : undefined;
      try {
        await sleep(delay, s.signal);
      } finally {
        endWait?.();
      }
    }
  }
}

export interface CallerOptions {
  storage: Storage;
  jobId: number;
  baseUrl: string;
  model: string;
  jsonMode: boolean;
  guard: CostGuard;
  /** Counts a prompt's tokens for the cost cap (the model's tokenizer where it is known). */
  counter: TokenCounter;
  /**
   * Sends a request that is not in the cache: directly, or into a Batch API job. `stored`: the answer is already
   * in the cache and on the job's bill (a Batch API job's output is stored whole, in one transaction).
   */
  send(kind: CallKind, request: ChatRequest, hash: string): Promise<{ answer: ChatAnswer; stored: boolean }>;
  /** True while the job is pausing: cached answers are still read, nothing new is sent. */
  pausing(): boolean;
  /** Sends a moderation request (free: no cost guard); null when the endpoint has no moderation API. */
  moderate?(request: ModerationRequest): Promise<ModerationAnswer | null>;
  /** The moderation model; '' where the endpoint has none. */
  moderationModel?: string;
}

export interface Answered { answer: ChatAnswer; hash: string; cached: boolean }

export class Caller {
  /** Set when the endpoint answered that it has no moderation API: the job asks the prompt instead. */
  noModeration = false;

  constructor(private readonly o: CallerOptions) {}

  /** The moderation API's verdict on a text, from the cache when it is there; null where there is no moderation API. */
  async moderate(input: string): Promise<ModerationAnswer | null> {
    const model = this.o.moderationModel ?? '';
    if (!model || !this.o.moderate || this.noModeration) return null;
    const request: ModerationRequest = { model, input };
    const hash = createHash('sha256').update(stable({ endpoint: normaliseBaseUrl(this.o.baseUrl), moderation: request })).digest('hex');
    const cached = this.o.storage.endpoint.cachedAnswer(hash) as ModerationAnswer | null;
    if (cached) {
      this.o.storage.annotate.countAnnotationJob(this.o.jobId, { cacheHits: 1 });
      return cached;
    }
    if (this.o.pausing()) throw new Pausing();
    const answer = await this.o.moderate(request);
    if (answer === null) {
      this.noModeration = true;
      return null;
    }
    this.o.storage.endpoint.cacheAnswer({ hash, model, answer: { ...answer, usage: { input: 0, output: 0 } }, cost: 0, jobId: this.o.jobId });
    return answer;
  }

  get model(): string {
    return this.o.model;
  }

  /**
   * The answer to a request, from the cache when it is there. `stale` marks a cached answer that must be asked
   * again (an answer that could not be used, when the user retries the item).
   */
  async complete(kind: CallKind, messages: ChatMessage[], stale?: (cached: ChatAnswer) => boolean): Promise<Answered> {
    const request = buildRequest(kind, this.o.model, messages, this.o.jsonMode);
    const hash = requestHash(this.o.baseUrl, request);
    const cached = this.o.storage.endpoint.cachedAnswer(hash) as ChatAnswer | null;
    if (cached && !stale?.(cached)) {
      this.o.storage.annotate.countAnnotationJob(this.o.jobId, { cacheHits: 1 });
      return { answer: cached, hash, cached: true };
    }
    if (this.o.pausing()) throw new Pausing();
    const reservation = this.o.guard.reserve({ input: this.o.counter.count(messages, { worst: true }), output: MAX_TOKENS[kind] });
    let sent: { answer: ChatAnswer; stored: boolean };
    try {
      sent = await this.o.send(kind, request, hash);
    } catch (err) {
      this.o.guard.release(reservation);
      throw err;
    }
    const { answer } = sent;
    const cost = this.o.guard.settle(reservation, answer.usage);
    if (!sent.stored) this.o.storage.endpoint.cacheAnswer({ hash, model: this.o.model, answer, cost, jobId: this.o.jobId });
    return { answer, hash, cached: false };
  }
}
