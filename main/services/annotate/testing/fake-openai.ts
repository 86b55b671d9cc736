// A real HTTP server on 127.0.0.1 that speaks enough of the OpenAI API for the annotation pipeline: chat
// completions (with logprobs), files and batches. It answers every prompt from the fixtures (clean answers) and
// replays faults on request: 429 then success, 500, timeouts, truncated JSON, wrong keys, an answer without
// logprobs. It records every request it receives with the hash of its body, so tests can count what was sent,
// and it can stall (hold every answer) to let a test kill the app mid-job.
import { createHash } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { FIXTURE_PAIRS, NORMALISED, type FixturePair } from './fixtures';
import type { CallKind } from '../prompts';
import { stable } from '../caller';
import { CHECK_PROMPT } from '../check';

export type Fault =
  /** An error status; `headers` as OpenAI sends them (x-ratelimit-*, retry-after, x-should-retry), `code` its error code. */
  | { status: number; retryAfterMs?: number; message?: string; code?: string; headers?: Record<string, string> }
  /** Holds the answer this long (past the client's timeout), then answers as usual. */
  | { hangMs: number }
  /** Answers with this content (truncated JSON, wrong keys, ...). */
  | { content: string; finishReason?: string };

/** Faults for the first requests of a kind for a pair (`reask`: only for, or never for, the re-ask). */
export interface FaultRule { pair: string; kind: CallKind | 'moderation'; reask?: boolean; replies: Fault[] }

export interface RecordedRequest {
  hash: string;
  /** check: the endpoint form's "Test connection". */
  kind: CallKind | 'moderation' | 'check';
  pair: string | null;
  reask: boolean;
  via: 'direct' | 'batch';
  /** The Batch API job that carried it. */
  batchId?: string;
  /** stalled: held until release(); abandoned: the client left before the answer (a timeout, a killed app). */
  outcome: 'answered' | 'fault' | 'stalled' | 'abandoned';
}

export interface FakeOpenAIOptions {
  /** When set, requests must carry it as "Authorization: Bearer <key>"; others get a 401 that quotes the key sent. */
  apiKey?: string;
  faults?: FaultRule[];
  /** false: the server ignores logprobs requests (as some servers do). */
  logprobs?: boolean;
  /** false: the server refuses response_format with a 400, as some local servers do. */
  jsonMode?: boolean;
  /** The models it serves; any other is answered 404 model_not_found, as OpenAI does (default: any model). */
  models?: string[];
  /** false: the server has no /v1/moderations (as local servers do) and answers 404. */
  moderation?: boolean;
  /**
   * The organisation's enqueued-token limit of the Batch API: a batch whose prompts would pass it fails validation
   * with code token_limit_exceeded, as OpenAI's does.
   */
  batchTokenLimit?: number;
}

export interface FakeOpenAI {
  /** The base URL, ending in /v1. */
  url: string;
  requests: RecordedRequest[];
  setFaults(rules: FaultRule[]): void;
  /** After this many answered chat completions, hold every further request until release() (null: never). */
  stallAfter(answered: number | null): void;
  release(): void;
  setBatchTokenLimit(limit: number | undefined): void;
  /** Request hashes the server answered more than once. */
  answeredTwice(): string[];
  answered(): RecordedRequest[];
  close(): Promise<void>;
}

interface Message { role: string; content: string }
interface ChatBody { model: string; messages: Message[]; logprobs?: boolean; top_logprobs?: number; response_format?: { type: string } }

const hashOf = (body: unknown) => createHash('sha256').update(stable(body)).digest('hex');

/** Which prompt a request carries, from the fixed text of the prompts. */
export function promptKind(messages: Message[]): CallKind {
  const system = messages.find((m) => m.role === 'system')?.content ?? '';
  const user = messages.find((m) => m.role === 'user')?.content ?? '';
  if (system.includes('most likely stylistic reason')) return 'reasons';
  if (system.includes('I have a list of preferences')) return 'normalise';
  if (user.includes('[Scenarios Start]')) return 'scenario';
  if (user.includes('[Characteristics Start]')) return user.includes('[Query Start]') ? 'basic-query' : 'basic';
  if (user.includes('Q1. Does the user clearly express')) return 'prerequisites';
  if (user.includes('You need answer the following questions')) return 'query-specific';
  if (user.includes('check the accuracy of the responses')) return 'errors';
  if (user.includes('The better response is Response')) return 'judge';
  return 'reference';
}

function fixtureOf(kind: CallKind, messages: Message[]): FixturePair | null {
  const text = messages.map((m) => m.content).join('\n');
  if (kind === 'reference') return FIXTURE_PAIRS.find((p) => messages[0].content === p.query) ?? null;
  if (kind === 'basic') return FIXTURE_PAIRS.find((p) => text.includes(p.responseA) && text.includes(p.responseB)) ?? null;
  return FIXTURE_PAIRS.find((p) => text.includes(p.query)) ?? null;
}

const queryOf = (user: string) => user.slice(user.indexOf('[Query Start]') + 13, user.indexOf('[Query End]')).trim();

/** What the fake moderation API flags: queries about harming or insulting someone. */
export function fakeModeration(input: string): { flagged: boolean; categories: string[] } {
  if (/gone for good|never wakes|kill|bomb/i.test(input)) return { flagged: true, categories: ['violence'] };
  if (/insult/i.test(input)) return { flagged: true, categories: ['harassment'] };
  return { flagged: false, categories: [] };
}

/** A fine scenario for any query, by a few words in it, so that a study's pairs spread over several groups. */
export function fakeScenario(query: string): string {
  if (/python|function|code|javascript/i.test(query)) return 'code-generation';
  if (/translate/i.test(query)) return 'text-to-text-translation';
  if (/haiku|poem|story|lyrics/i.test(query)) return 'creative-writing';
  if (/^how (do|can|should) i/i.test(query)) return 'asking-how-to-question';
  if (/suggest|recommend|name for/i.test(query)) return 'brainstorming';
  if (/^(write|draft)/i.test(query)) return 'functional-writing';
  if (/how many|[0-9] ?[+*/-] ?[0-9]/i.test(query)) return 'math-reasoning';
  if (/\?\s*$/.test(query)) return 'open-question';
  return 'chitchat';
}

function scenarioContent(user: string, pair: FixturePair | null): string {
  const query = queryOf(user);
  const scenario = pair?.answers.scenario ?? fakeScenario(query);
  return JSON.stringify(user.includes('"unsafe"') ? { scenario, unsafe: fakeModeration(query).flagged } : { scenario });
}

/** Answers for pairs that are not fixtures: plausible and valid, so any study can be annotated. */
function genericContent(kind: CallKind, messages: Message[]): string {
  const user = messages.find((m) => m.role === 'user')?.content ?? '';
  switch (kind) {
    case 'basic':
    case 'basic-query': {
      const block = user.slice(user.indexOf('[Characteristics Start]') + 23, user.indexOf('[Characteristics End]'));
      const names = block.split('\n').map((l) => l.slice(0, l.indexOf(':')).trim()).filter(Boolean);
      return JSON.stringify(Object.fromEntries(names.map((n) => [n, { 'response 1': '2', 'response 2': '2' }])));
    }
    case 'prerequisites':
      return JSON.stringify({ 'clear intent': 'Yes', 'explicitly express feelings': 'No', 'explicit constraints': [], 'explicit subjective stances': [], 'explicit mistakes or biases': [] });
    case 'errors':
      return JSON.stringify({ 'Response 1': { 'accuracy check': 'applicable', inaccuracies: [] }, 'Response 2': { 'accuracy check': 'applicable', inaccuracies: [] } });
    case 'reasons':
      return '```json\n' + JSON.stringify({ preferences: [{ preference: 'clarity', qualifier: null }], topics: [], persona: null }) + '\n```';
    case 'normalise':
      return normalised(user);
    case 'scenario':
      return scenarioContent(user, null);
    case 'query-specific':
      return '{}';
    default:
      return 'A reference answer.';
  }
}

function normalised(user: string): string {
  const listed = user.split('\n').map((l) => /^\d+\. (.*)$/.exec(l)?.[1]).filter((x): x is string => Boolean(x));
  return '```json\n' + JSON.stringify(listed.map((preference) => ({ preference, ...(NORMALISED[preference] ?? { normalized_preference: preference.toLowerCase() }) }))) + '\n```';
}

function cleanContent(kind: CallKind, pair: FixturePair | null, messages: Message[]): string {
  if (!pair) return genericContent(kind, messages);
  const a = pair.answers;
  switch (kind) {
    case 'basic': return JSON.stringify(a.basic);
    case 'basic-query': return JSON.stringify(a.basicQuery);
    case 'prerequisites': return JSON.stringify(a.prerequisites);
    case 'query-specific': return JSON.stringify(a.querySpecific ?? {});
    case 'reference': return a.reference;
    case 'errors': return JSON.stringify(a.errors);
    case 'reasons': return 'Here is my analysis.\n```json\n' + JSON.stringify(a.reasons) + '\n```';
    case 'normalise': return normalised(messages.find((m) => m.role === 'user')?.content ?? '');
    case 'scenario': return scenarioContent(messages.find((m) => m.role === 'user')?.content ?? '', pair);
    default: return 'A';
  }
}

/** The judge's letter probabilities: the fixture's, in the order the prompt shows the pair's responses. */
function judgeProbabilities(pair: FixturePair | null, user: string): { A: number; B: number } {
  if (!pair) return { A: 0.6, B: 0.4 };
  const aFirst = user.indexOf(pair.responseA) < user.indexOf(pair.responseB);
  return aFirst ? pair.answers.judge.ab : pair.answers.judge.ba;
}

const tokens = (text: string) => Math.ceil(text.length / 4);

function completion(body: ChatBody, content: string, finishReason: string, logprobs: { A: number; B: number } | null) {
  const prompt = body.messages.reduce((n, m) => n + tokens(m.content) + 4, 3);
  return {
    id: `chatcmpl-${Math.random().toString(36).slice(2)}`, object: 'chat.completion', created: Math.floor(Date.now() / 1000), model: body.model,
    choices: [{
      index: 0, message: { role: 'assistant', content }, finish_reason: finishReason,
      logprobs: logprobs ? {
        content: [{
          token: content, logprob: Math.log(content === 'A' ? logprobs.A : logprobs.B), bytes: null,
          top_logprobs: [{ token: 'A', logprob: Math.log(logprobs.A), bytes: null }, { token: 'B', logprob: Math.log(logprobs.B), bytes: null }],
        }],
      } : null,
    }],
    usage: { prompt_tokens: prompt, completion_tokens: tokens(content), total_tokens: prompt + tokens(content) },
  };
}

interface Reply { status: number; body: unknown; headers?: Record<string, string>; hangMs?: number }

export async function startFakeOpenAI(options: FakeOpenAIOptions = {}): Promise<FakeOpenAI> {
  let faults = (options.faults ?? []).map((r) => ({ ...r, replies: [...r.replies] }));
  const requests: RecordedRequest[] = [];
  let stallAt: number | null = null;
  const held: (() => void)[] = [];
  const files = new Map<string, { content: string; filename: string; purpose: string }>();
  const batches = new Map<string, Record<string, unknown>>();
  let ids = 0;
  const sockets = new Set<import('node:net').Socket>();

  const answeredCount = () => requests.filter((r) => r.outcome === 'answered').length;

  /** The reply to one chat completion body, recorded; the same logic serves direct requests and batch lines. */
  function chat(body: ChatBody, via: 'direct' | 'batch'): { record: RecordedRequest; reply: Reply } {
    const kind = promptKind(body.messages);
    const pair = fixtureOf(kind, body.messages);
    const reask = body.messages.some((m) => m.role === 'assistant');
    const record: RecordedRequest = { hash: hashOf(body), kind, pair: pair?.id ?? null, reask, via, outcome: 'answered' };
    requests.push(record);
    const rule = faults.find((r) => r.pair === pair?.id && r.kind === kind && (r.reask === undefined || r.reask === reask) && r.replies.length > 0);
    const fault = rule?.replies.shift();
    let content = cleanContent(kind, pair, body.messages);
    let finishReason = 'stop';
    let hangMs: number | undefined;
    if (fault && 'status' in fault) {
      record.outcome = 'fault';
      return {
        record,
        reply: {
          status: fault.status, body: { error: { message: fault.message ?? `Simulated ${fault.status}.`, type: 'server_error', code: fault.code ?? null } },
          headers: { ...(fault.retryAfterMs !== undefined ? { 'retry-after-ms': String(fault.retryAfterMs) } : {}), ...fault.headers },
        },
      };
    }
    if (fault && 'hangMs' in fault) hangMs = fault.hangMs;
    if (fault && 'content' in fault) {
      content = fault.content;
      finishReason = fault.finishReason ?? 'stop';
    }
    let logprobs: { A: number; B: number } | null = null;
    if (kind === 'judge' && !fault) {
      logprobs = judgeProbabilities(pair, body.messages[0].content);
      content = logprobs.A >= logprobs.B ? 'A' : 'B';
      if (!body.logprobs || options.logprobs === false) logprobs = null;
    }
    return { record, reply: { status: 200, body: completion(body, content, finishReason, logprobs), hangMs } };
  }

  async function readBody(req: IncomingMessage): Promise<Buffer> {
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    return Buffer.concat(chunks);
  }

  function send(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
    if (res.destroyed) return;
    const text = typeof body === 'string' ? body : JSON.stringify(body);
    res.writeHead(status, { 'content-type': typeof body === 'string' ? 'application/octet-stream' : 'application/json', ...headers });
    res.end(text);
  }

  const wait = (ms: number) => new Promise((r) => setTimeout(r, ms));

  /**
   * Validates a batch's input file as OpenAI's Batch API does (every line a POST to the batch's endpoint, custom_id
   * unique, one model per file, the enqueued tokens within the limit): the reasons, as its `errors.data`.
   */
  function validateBatch(batch: Record<string, unknown>): { lines: { customId: string; body: ChatBody }[]; errors: { code: string; message: string; line: number | null }[] } {
    const file = files.get(batch.input_file_id as string);
    if (!file) return { lines: [], errors: [{ code: 'invalid_file', message: `No file ${String(batch.input_file_id)}.`, line: null }] };
    if (file.purpose !== 'batch') return { lines: [], errors: [{ code: 'invalid_file', message: `The file's purpose is ${file.purpose}, not batch.`, line: null }] };
    const errors: { code: string; message: string; line: number | null }[] = [];
    const lines: { customId: string; body: ChatBody }[] = [];
    const ids = new Set<string>();
    const models = new Set<string>();
    let enqueued = 0;
    file.content.split('\n').filter((l) => l.trim()).forEach((text, i) => {
      const line = JSON.parse(text) as { custom_id?: string; method?: string; url?: string; body?: ChatBody };
      if (typeof line.custom_id !== 'string' || ids.has(line.custom_id)) errors.push({ code: 'duplicate_custom_id', message: 'The custom_id for this request is a duplicate of another request.', line: i + 1 });
      if (line.method !== 'POST') errors.push({ code: 'invalid_request', message: 'Only POST requests are supported.', line: i + 1 });
      if (line.url !== batch.endpoint) errors.push({ code: 'mismatched_endpoint', message: `The url ${String(line.url)} does not match the batch's endpoint ${String(batch.endpoint)}.`, line: i + 1 });
      if (!line.body?.model || !Array.isArray(line.body.messages)) {
        errors.push({ code: 'invalid_request', message: 'The body needs a model and messages.', line: i + 1 });
        return;
      }
      ids.add(line.custom_id!);
      models.add(line.body.model);
      enqueued += line.body.messages.reduce((n, m) => n + tokens(m.content) + 4, 3);
      lines.push({ customId: line.custom_id!, body: line.body });
    });
    if (models.size > 1) errors.push({ code: 'mismatched_model', message: 'All requests of a batch must use the same model.', line: null });
    if (options.batchTokenLimit !== undefined && enqueued > options.batchTokenLimit) {
      errors.push({ code: 'token_limit_exceeded', message: `Enqueued token limit reached for ${[...models][0]} in organization org-fake. Limit: ${options.batchTokenLimit} enqueued tokens. Please try again once some in_progress batches have been completed.`, line: null });
    }
    return { lines, errors };
  }

  /**
   * Moves a batch on by one step per poll: validating, in_progress (or failed, with its errors), then completed with
   * its output file. The output lines come in reverse order: OpenAI's need not follow the input, only custom_id does.
   */
  function advanceBatch(batch: Record<string, unknown>): void {
    if (batch.status === 'validating') {
      const { lines, errors } = validateBatch(batch);
      if (errors.length) {
        Object.assign(batch, { status: 'failed', failed_at: Math.floor(Date.now() / 1000), errors: { object: 'list', data: errors.map((e) => ({ ...e, param: null })) } });
        return;
      }
      Object.assign(batch, { status: 'in_progress', in_progress_at: Math.floor(Date.now() / 1000), request_counts: { total: lines.length, completed: 0, failed: 0 } });
      return;
    }
    if (batch.status !== 'in_progress') return;
    const out: string[] = [];
    const errors: string[] = [];
    for (const { customId, body } of validateBatch(batch).lines.reverse()) {
      const { record, reply } = chat(body, 'batch');
      record.batchId = batch.id as string;
      const failed = record.outcome !== 'answered';
      const entry = JSON.stringify({
        id: `batch_req_${++ids}`, custom_id: customId, response: { status_code: reply.status, request_id: `req_${ids}`, body: reply.body },
        error: failed ? { code: 'server_error', message: 'The request failed.' } : null,
      });
      (failed ? errors : out).push(entry);
    }
    const outputId = `file-out-${++ids}`;
    files.set(outputId, { content: out.join('\n') + '\n', filename: 'output.jsonl', purpose: 'batch_output' });
    let errorId: string | null = null;
    if (errors.length) {
      errorId = `file-err-${++ids}`;
      files.set(errorId, { content: errors.join('\n') + '\n', filename: 'errors.jsonl', purpose: 'batch_output' });
    }
    Object.assign(batch, {
      status: 'completed', output_file_id: outputId, error_file_id: errorId, finalizing_at: Math.floor(Date.now() / 1000), completed_at: Math.floor(Date.now() / 1000),
      request_counts: { total: out.length + errors.length, completed: out.length, failed: errors.length },
    });
  }

  const server = createServer((req, res) => {
    void (async () => {
      const url = new URL(req.url ?? '/', 'http://127.0.0.1');
      const raw = await readBody(req);
      if (options.apiKey !== undefined && req.headers.authorization !== `Bearer ${options.apiKey}`) {
        const given = (req.headers.authorization ?? '').replace(/^Bearer /, '');
        return send(res, 401, { error: { message: `Incorrect API key provided: ${given}. You can find your API key at https://platform.openai.com/account/api-keys.`, type: 'invalid_request_error', code: 'invalid_api_key' } });
      }
      if (req.method === 'POST' && url.pathname === '/v1/chat/completions') {
        const body = JSON.parse(raw.toString('utf8')) as ChatBody;
        if (options.models && !options.models.includes(body.model)) {
          return send(res, 404, { error: { message: `The model \`${body.model}\` does not exist or you do not have access to it.`, type: 'invalid_request_error', param: null, code: 'model_not_found' } });
        }
        if (options.jsonMode === false && body.response_format) {
          return send(res, 400, { error: { message: `response_format is not supported by this server.`, type: 'invalid_request_error', param: 'response_format', code: null } });
        }
        if (body.messages[0]?.content === CHECK_PROMPT) {
          requests.push({ hash: hashOf(body), kind: 'check', pair: null, reask: false, via: 'direct', outcome: 'answered' });
          const reply = completion(body, '{"ok": true}', 'stop', null);
          if (body.logprobs && options.logprobs !== false) {
            reply.choices[0].logprobs = { content: [{ token: '{"', logprob: -0.01, bytes: null, top_logprobs: [{ token: '{"', logprob: -0.01, bytes: null }] }] };
          }
          return send(res, 200, reply);
        }
        if (stallAt !== null && answeredCount() >= stallAt) {
          const record: RecordedRequest = { hash: hashOf(body), kind: promptKind(body.messages), pair: null, reask: false, via: 'direct', outcome: 'stalled' };
          requests.push(record);
          res.on('close', () => { record.outcome = 'abandoned'; });
          await new Promise<void>((resolve) => held.push(resolve));
          if (record.outcome === 'abandoned') return;
          requests.splice(requests.indexOf(record), 1);
        }
        const { record, reply } = chat(body, 'direct');
        // A client that leaves before the answer (its timeout, a killed app) never got it.
        res.on('close', () => { if (!res.writableFinished) record.outcome = 'abandoned'; });
        if (reply.hangMs) await wait(reply.hangMs);
        if (record.outcome === 'abandoned') return;
        return send(res, reply.status, reply.body, reply.headers);
      }
      if (req.method === 'POST' && url.pathname === '/v1/moderations') {
        if (options.moderation === false) return send(res, 404, { error: { message: 'The fake server has no POST /v1/moderations.' } });
        const body = JSON.parse(raw.toString('utf8')) as { model: string; input: string };
        const pair = FIXTURE_PAIRS.find((p) => p.query === body.input) ?? null;
        const record: RecordedRequest = { hash: hashOf(body), kind: 'moderation', pair: pair?.id ?? null, reask: false, via: 'direct', outcome: 'answered' };
        requests.push(record);
        const rule = faults.find((r) => r.pair === pair?.id && r.kind === 'moderation' && r.replies.length > 0);
        const fault = rule?.replies.shift();
        if (fault && 'status' in fault) {
          record.outcome = 'fault';
          return send(res, fault.status, { error: { message: fault.message ?? `Simulated ${fault.status}.` } },
            fault.retryAfterMs !== undefined ? { 'retry-after-ms': String(fault.retryAfterMs) } : {});
        }
        const verdict = fakeModeration(body.input);
        const names = ['harassment', 'hate', 'illicit', 'self-harm', 'sexual', 'violence'];
        return send(res, 200, {
          id: `modr-${++ids}`, model: body.model,
          results: [{ flagged: verdict.flagged, categories: Object.fromEntries(names.map((n) => [n, verdict.categories.includes(n)])),
            category_scores: Object.fromEntries(names.map((n) => [n, verdict.categories.includes(n) ? 0.9 : 0.001])) }],
        });
      }
      if (req.method === 'POST' && url.pathname === '/v1/files') {
        const form = await new Request('http://127.0.0.1/', { method: 'POST', headers: { 'content-type': req.headers['content-type'] ?? '' }, body: new Uint8Array(raw) }).formData();
        const file = form.get('file') as File;
        const id = `file-${++ids}`;
        files.set(id, { content: await file.text(), filename: file.name, purpose: String(form.get('purpose')) });
        return send(res, 200, { id, object: 'file', bytes: file.size, created_at: Math.floor(Date.now() / 1000), filename: file.name, purpose: form.get('purpose'), status: 'processed' });
      }
      const content = /^\/v1\/files\/([^/]+)\/content$/.exec(url.pathname);
      if (req.method === 'GET' && content) {
        const f = files.get(content[1]);
        return f ? send(res, 200, f.content) : send(res, 404, { error: { message: 'No such file.' } });
      }
      if (req.method === 'POST' && url.pathname === '/v1/batches') {
        const b = JSON.parse(raw.toString('utf8')) as { input_file_id: string; endpoint: string; completion_window: string };
        const batch: Record<string, unknown> = {
          id: `batch_${++ids}`, object: 'batch', endpoint: b.endpoint, input_file_id: b.input_file_id, completion_window: b.completion_window,
          status: 'validating', created_at: Math.floor(Date.now() / 1000), output_file_id: null, error_file_id: null, errors: null,
          request_counts: { total: 0, completed: 0, failed: 0 },
        };
        batches.set(batch.id as string, batch);
        return send(res, 200, batch);
      }
      const batchPath = /^\/v1\/batches\/([^/]+)(\/cancel)?$/.exec(url.pathname);
      if (batchPath) {
        const batch = batches.get(batchPath[1]);
        if (!batch) return send(res, 404, { error: { message: 'No such batch.' } });
        if (req.method === 'POST' && batchPath[2]) {
          if (batch.status !== 'completed') batch.status = 'cancelled';
          return send(res, 200, batch);
        }
        // First poll: validated (in progress, or failed); the second finds it completed.
        advanceBatch(batch);
        return send(res, 200, batch);
      }
      send(res, 404, { error: { message: `The fake server has no ${req.method} ${url.pathname}.` } });
    })().catch((err: unknown) => send(res, 500, { error: { message: (err as Error).message } }));
  });
  server.on('connection', (s) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;

  return {
    url: `http://127.0.0.1:${port}/v1`,
    requests,
    setFaults: (rules) => { faults = rules.map((r) => ({ ...r, replies: [...r.replies] })); },
    stallAfter: (n) => { stallAt = n; },
    release: () => {
      stallAt = null;
      for (const resolve of held.splice(0)) resolve();
    },
    setBatchTokenLimit: (limit) => { options.batchTokenLimit = limit; },
    answered: () => requests.filter((r) => r.outcome === 'answered'),
    answeredTwice: () => {
      const seen = new Map<string, number>();
      for (const r of requests) if (r.outcome === 'answered') seen.set(r.hash, (seen.get(r.hash) ?? 0) + 1);
      return [...seen.entries()].filter(([, n]) => n > 1).map(([h]) => h);
    },
    close: async () => {
      for (const resolve of held.splice(0)) resolve();
      for (const s of sockets) s.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
