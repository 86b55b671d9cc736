// OpenAI Batch API mode: the requests a job cannot answer from the cache are collected while the job's items
// run, and once every item waits on one, they go up as one JSONL file (custom_id = the request's hash), the
// batch is polled, and its output is stored in the request cache in one transaction before the items go on.
// The batch in flight is recorded on the job, so a restart or resume polls it instead of paying for it again.
import OpenAI, { APIError, APIUserAbortError, toFile } from 'openai';
import type { ModelPrice } from '../../../preload/contract';
import type { Storage } from '../storage';
import { Cancelled } from '../jobs';
import { EndpointFailure, Pausing, RequestFailure, sleep, toAnswer, type ChatAnswer, type ChatRequest } from './caller';
import { costOf } from './cost';
import type { CallKind } from './prompts';

export interface BatchState { batchId: string; inputFileId: string; requests: number }

interface Waiting { resolve(v: { answer: ChatAnswer; stored: true }): void; reject(err: unknown): void }
interface Pending { request: ChatRequest; waiters: Waiting[] }

export interface BatchOptions {
  client: OpenAI;
  storage: Storage;
  jobId: number;
  model: string;
  price: ModelPrice | null;
  pollMs: number;
  signal: AbortSignal;
  /** True while the job is pausing: nothing new goes up, and polling stops. */
  pausing(): boolean;
  onStatus(message: string): void;
}

const TERMINAL = new Set(['completed', 'failed', 'expired', 'cancelled']);

interface OutputLine { custom_id?: string; response?: { status_code?: number; body?: unknown } | null; error?: { message?: string } | null }

export class BatchTransport {
  private readonly pending = new Map<string, Pending>();
  /** Bumped on every change, so the driver can tell when all items have settled into waiting. */
  private activity = 0;

  constructor(private readonly o: BatchOptions) {}

  /** A request for the next batch; resolves when the batch that carries it has been stored. */
  send(_kind: CallKind, request: ChatRequest, hash: string): Promise<{ answer: ChatAnswer; stored: true }> {
    this.activity++;
    return new Promise((resolve, reject) => {
      const p = this.pending.get(hash) ?? this.pending.set(hash, { request, waiters: [] }).get(hash)!;
      p.waiters.push({ resolve, reject });
    });
  }

  /** A batch left by an earlier run (pause, restart): polled and stored before anything new is sent. */
  async resumeOutstanding(state: BatchState | null): Promise<boolean> {
    if (!state) return true;
    return this.collect(state, new Map());
  }

  /**
   * Runs the items to the end: whenever all of them wait on requests, those go up as one batch. Returns false
   * when the job paused with a batch still in flight.
   */
  async drive(items: Promise<unknown>[]): Promise<boolean> {
    let open = items.length;
    for (const item of items) void item.finally(() => { open--; this.activity++; });
    while (open > 0) {
      await this.quiet();
      if (open === 0) break;
      if (this.pending.size === 0) {
        await new Promise((r) => setTimeout(r, 5));
        continue;
      }
      const taken = new Map(this.pending);
      this.pending.clear();
      if (this.o.pausing() || this.o.signal.aborted) {
        const reason = this.o.signal.aborted ? new Cancelled() : new PausedBatch();
        for (const p of taken.values()) for (const w of p.waiters) w.reject(reason);
        continue;
      }
      const finished = await this.submit(taken);
      if (!finished) return false;
    }
    return true;
  }

  /** Waits until a turn of the event loop passes with nothing new: every running item is waiting on a request. */
  private async quiet(): Promise<void> {
    for (;;) {
      const before = this.activity;
      await new Promise((r) => setImmediate(r));
      await new Promise((r) => setImmediate(r));
      if (this.activity === before) return;
    }
  }

  private async submit(taken: Map<string, Pending>): Promise<boolean> {
    const lines = [...taken.entries()].map(([hash, p]) => JSON.stringify({ custom_id: hash, method: 'POST', url: '/v1/chat/completions', body: p.request }));
    let state: BatchState;
    try {
      this.o.onStatus(`Uploading ${lines.length} requests to the Batch API`);
      const file = await this.o.client.files.create({
        file: await toFile(Buffer.from(`${lines.join('\n')}\n`), `preference-studio-job-${this.o.jobId}.jsonl`),
        purpose: 'batch',
      }, { signal: this.o.signal });
      const batch = await this.o.client.batches.create({ input_file_id: file.id, endpoint: '/v1/chat/completions', completion_window: '24h' }, { signal: this.o.signal });
      state = { batchId: batch.id, inputFileId: file.id, requests: lines.length };
      this.o.storage.annotate.setAnnotationBatch(this.o.jobId, state);
    } catch (err) {
      const failure = batchFailure(err);
      for (const p of taken.values()) for (const w of p.waiters) w.reject(failure);
      throw failure;
    }
    return this.collect(state, taken);
  }

  /** Polls a batch to its end and stores its output; false when the job paused first (the batch stays recorded). */
  private async collect(state: BatchState, waiting: Map<string, Pending>): Promise<boolean> {
    const rejectAll = (err: unknown) => {
      for (const p of waiting.values()) for (const w of p.waiters) w.reject(err);
    };
    try {
      let batch = await this.o.client.batches.retrieve(state.batchId, { signal: this.o.signal });
      while (!TERMINAL.has(batch.status)) {
        const counts = batch.request_counts;
        this.o.onStatus(`Batch API job ${batch.status}${counts ? `: ${counts.completed} of ${counts.total} answered` : ''}`);
        if (this.o.pausing()) {
          rejectAll(new PausedBatch());
          return false;
        }
        await sleep(this.o.pollMs, this.o.signal);
        batch = await this.o.client.batches.retrieve(state.batchId, { signal: this.o.signal });
      }
      const refused = batch.status === 'failed' ? batch.errors?.data?.map((e) => `${e.message ?? e.code}${e.line ? ` (line ${e.line})` : ''}`) ?? [] : [];
      if (refused.length > 0) {
        // The batch failed validation (OpenAI: enqueued token limit, a malformed line): nothing was answered, so
        // the job stops with the reason and a resume sends its requests again.
        this.o.storage.annotate.setAnnotationBatch(this.o.jobId, null);
        throw new EndpointFailure(`The Batch API refused the batch: ${refused.join('; ')}`);
      }
      const lines: OutputLine[] = [];
      for (const fileId of [batch.output_file_id, batch.error_file_id]) {
        if (!fileId) continue;
        const text = await (await this.o.client.files.content(fileId, { signal: this.o.signal })).text();
        for (const line of text.split('\n')) if (line.trim()) lines.push(JSON.parse(line) as OutputLine);
      }
      const answers: { hash: string; model: string; answer: ChatAnswer; cost: number }[] = [];
      const failures = new Map<string, string>();
      for (const line of lines) {
        const hash = line.custom_id;
        if (!hash) continue;
        const status = line.response?.status_code;
        if (status === 200 && line.response?.body) {
          const answer = toAnswer(line.response.body, waiting.get(hash)?.request ?? { model: this.o.model, messages: [], temperature: 0, max_tokens: 0, seed: 0 });
          answers.push({ hash, model: this.o.model, answer, cost: this.o.price ? costOf(this.o.price, answer.usage, true) : 0 });
        } else {
          const body = line.response?.body as { error?: { message?: string } } | undefined;
          failures.set(hash, `The Batch API could not answer this request (${status ?? 'no status'}): ${body?.error?.message ?? line.error?.message ?? 'no reason given'}`);
        }
      }
      this.o.storage.endpoint.cacheAnswers(this.o.jobId, answers, true);
      const answered = new Map(answers.map((a) => [a.hash, a.answer]));
      for (const [hash, p] of waiting) {
        const answer = answered.get(hash);
        for (const w of p.waiters) {
          if (answer) w.resolve({ answer, stored: true });
          else w.reject(new RequestFailure(failures.get(hash) ?? `The Batch API job ended (${batch.status}) without an answer to this request.`));
        }
      }
      this.activity++;
      return true;
    } catch (err) {
      const failure = batchFailure(err);
      rejectAll(failure);
      throw failure;
    }
  }

  /** Cancels the batch in flight on the server (best effort: the job is cancelled either way). */
  static async cancelRemote(client: OpenAI, state: BatchState | null): Promise<void> {
    if (!state) return;
    try {
      await client.batches.cancel(state.batchId);
    } catch {
      // The batch may have ended already; nothing more to do.
    }
  }
}

/** The job paused while its requests waited on a batch. */
export class PausedBatch extends Pausing {
  constructor() {
    super('Paused while the Batch API job runs; resume to collect its answers.');
  }
}

/** An endpoint without the Batch API (or a failed upload or poll) stops the job with what the endpoint said. */
function batchFailure(err: unknown): unknown {
  if (err instanceof APIUserAbortError) return new Cancelled();
  if (err instanceof APIError) return new EndpointFailure(`The Batch API: ${err.message}`);
  return err;
}
