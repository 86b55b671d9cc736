// The annotation pipeline (section 3.4) and the runner of its jobs. A job is a persisted list of pairs; the
// runner works through the pending ones (directly, within the endpoint's limits, or through the Batch API),
// stores each pair's result in one transaction as it completes, and reports progress with an ETA as
// job.progress. Pause lets the requests in flight answer; cancel drops them; a restart leaves the job paused
// with everything answered kept, and the request cache makes a resume send nothing twice.
import { setMaxListeners } from 'node:events';
import type { AnnotationJob, AnnotationJobRequest, CostEstimate, EndpointSettings, JobProgress, ModelPrice } from '../../../preload/contract';
import { AppFailure } from '../errors';
import { Cancelled, PROGRESS_INTERVAL_MS } from '../jobs';
import type { Storage } from '../storage';
import type { StoredAnnotationJob, WorkItem } from './store';
import { ItemFailure } from './ask';
import { BatchTransport, type BatchState } from './batch';
import { Caller, EndpointFailure, Pausing, endpointName, isOpenAi, moderateDirect, normaliseBaseUrl, openAiClient, redact, sendDirect, type RetryPolicy } from './caller';
import { classifyPair } from './scenario';
import { CostCapReached, CostGuard, DEFAULT_ENDPOINT, dollars, priceFor } from './cost';
import { TIE_NOTE, judgePair } from './labels';
import { RateLimiter } from './limiter';
import { PROMPT_VERSION } from './prompts';
import { normaliseReasons, reasonPair } from './reasons';
import { API_KEY, type Secrets } from './secrets';
import type { OpenAI } from 'openai';
import { annotatePair } from './annotate-pair';
import { estimateJob } from './estimate';
import { RateLimitWaits, etaSeconds } from './waits';
import { tokenCounter } from './tokens';

export interface RunnerOptions {
  storage: Storage;
  secrets: Secrets;
  emit?: (progress: JobProgress) => void;
  /** Retry timing; tests shorten it. */
  retry?: Partial<Pick<RetryPolicy, 'baseDelayMs' | 'maxDelayMs' | 'random'>>;
}

interface Active {
  jobId: number;
  controller: AbortController;
  /** Paused by the user, or stopping at the cost cap or on an endpoint failure: no new request goes out. */
  pausing: boolean;
  cancelled: boolean;
  /** The app is closing: the job ends paused, to be resumed on the next start. */
  closing: boolean;
  stop: { message: string; failed: boolean } | null;
  /** Known once the run has read it, so that no message carries it. */
  apiKey: string | null;
  startedAt: number;
  finishedThisRun: number;
  status: string | null;
  /** Said with the job's progress and its final message (which endpoint a resumed job uses, no moderation API, ...). */
  notes: string[];
  lastEmit: number;
  done: Promise<void>;
  /** Requests waiting for the rate limit, said in the progress while they wait. */
  waits: RateLimitWaits;
  /** Ticks the progress once a second while something waits, so the seconds left count down. */
  ticker: ReturnType<typeof setInterval> | null;
}


function checkRequest(req: AnnotationJobRequest): void {
  if (!['annotate', 'judge', 'reasons', 'scenario'].includes(req.kind)) throw new AppFailure('INVALID', `"${req.kind}" is not a kind of job: use annotate, judge, reasons or scenario.`);
  if (!['missing', 'all'].includes(req.scope)) throw new AppFailure('INVALID', `"${req.scope}" is not a scope: use missing or all.`);
  if (!['direct', 'batch'].includes(req.mode)) throw new AppFailure('INVALID', `"${req.mode}" is not a mode: use direct or batch.`);
  if (req.limit !== undefined && (!Number.isInteger(req.limit) || req.limit < 1)) throw new AppFailure('INVALID', `The pair limit must be a whole number of at least 1, not ${req.limit}.`);
  checkCap(req.costCap);
}

function checkCap(cap: number | null | undefined): void {
  if (cap !== null && cap !== undefined && !(Number.isFinite(cap) && cap > 0)) throw new AppFailure('INVALID', `The cost cap must be a positive number of US dollars, not ${cap}.`);
}

/** The words the job's progress uses while requests wait for the rate limit. */
export const rateLimitWait = (seconds: number) => `waiting for the rate limit (${seconds} s)`;

export class AnnotationRunner {
  private readonly queue: number[] = [];
  private active: Active | null = null;
  private idleWaiters: (() => void)[] = [];
  private closed = false;
  /** What a resume said about the endpoint it uses, for the job's run. */
  private readonly resumeNotes = new Map<number, string>();

  constructor(private readonly o: RunnerOptions) {
    o.storage.annotate.interruptAnnotationJobs();
  }

  /** The endpoint settings new jobs run with. */
  endpoint(): EndpointSettings {
    return { ...DEFAULT_ENDPOINT, ...(this.o.storage.endpoint.endpointSettings() ?? {}) };
  }

  /** The judge a request names: judge labels go to an LLM judge (the model by default); reasons explain a judge (human by default). */
  private judgeName(req: AnnotationJobRequest, endpoint: EndpointSettings): string | null {
    if (req.kind === 'annotate' || req.kind === 'scenario') return null;
    const name = req.judge?.trim();
    return name || (req.kind === 'judge' ? endpoint.model : 'human');
  }

  /** `endpoint`: settings for this job only (the command line's flags); default the saved ones. */
  private plan(req: AnnotationJobRequest, endpoint = this.endpoint()): { endpoint: EndpointSettings; judge: string | null; judgeId: number | null; pairIds: number[]; price: ModelPrice | null } {
    checkRequest(req);
    this.o.storage.studies.study(req.studyId);
    const name = this.judgeName(req, endpoint);
    let judgeId: number | null = null;
    if (name !== null) {
      const existing = this.o.storage.pairs.judges(req.studyId).find((j) => j.name === name);
      if (req.kind === 'reasons' && !existing) throw new AppFailure('NOT_FOUND', `No pair of this study has a label from "${name}", so there is no preference to explain.`);
      if (req.kind === 'judge' && existing && existing.kind !== 'llm') throw new AppFailure('INVALID', `"${name}" is a human judge; give the LLM judge another name.`);
      judgeId = existing?.id ?? null;
    }
    const pairIds = this.o.storage.annotate.pairsForAnnotationJob({ ...req, judgeId });
    const price = priceFor(this.o.storage.endpoint.modelPrices(), endpoint.model);
    return { endpoint, judge: name, judgeId, pairIds, price };
  }

  estimate(req: AnnotationJobRequest, endpointOverride?: EndpointSettings): CostEstimate {
    const { endpoint, pairIds, price } = this.plan(req, endpointOverride);
    return estimateJob({
      pairs: this.o.storage.pairs.pairTexts(pairIds), kind: req.kind, mode: req.mode, endpoint, price,
      isCached: (hashes) => this.o.storage.endpoint.cachedHashes(hashes), counter: tokenCounter(endpoint.model),
    });
  }

  start(req: AnnotationJobRequest, endpointOverride?: EndpointSettings): AnnotationJob {
    const planned = this.plan(req, endpointOverride);
    if (planned.pairIds.length === 0) {
      const what = req.kind === 'annotate' ? 'is already annotated' : req.kind === 'judge' ? 'already has this judge\'s label'
        : req.kind === 'scenario' ? 'has a scenario (or one set by hand, which a job never changes)' : 'is already explained';
      throw new AppFailure('NOTHING_TO_DO', `Every pair of this study ${what}; choose all pairs to do them again.`);
    }
    if (req.costCap !== null && !planned.price) {
      throw new AppFailure('NO_PRICE', `There is no price for ${planned.endpoint.model} in the price table, so a cost cap cannot be kept: add its price or start without a cap.`);
    }
    // A new LLM judge is created with its first job (a human judge of that name was refused above).
    const judgeId = planned.judgeId ?? (req.kind === 'judge' ? this.o.storage.pairs.llmJudgeId(planned.judge!) : null);
    const estimate = estimateJob({
      pairs: this.o.storage.pairs.pairTexts(planned.pairIds), kind: req.kind, mode: req.mode, endpoint: planned.endpoint, price: planned.price,
      isCached: (hashes) => this.o.storage.endpoint.cachedHashes(hashes), counter: tokenCounter(planned.endpoint.model),
    });
    const jobId = this.o.storage.annotate.createAnnotationJob({
      studyId: req.studyId, kind: req.kind, mode: req.mode, endpoint: planned.endpoint, promptVersion: PROMPT_VERSION, judgeId,
      costCap: req.costCap, estimate: estimate.cost, pairIds: planned.pairIds,
      estimateTokens: { input: estimate.inputTokens, output: estimate.outputTokens, counting: estimate.tokenCounting },
    });
    this.enqueue(jobId);
    return this.job(jobId);
  }

  /** A job with its live ETA. */
  job(jobId: number): AnnotationJob {
    return this.withEta(this.o.storage.annotate.annotationJob(jobId));
  }

  jobs(studyId: number): AnnotationJob[] {
    const now = this.endpoint();
    return this.o.storage.annotate.annotationJobs(studyId).map((j) => this.withEta(j, now));
  }

  private withEta(j: StoredAnnotationJob, now = this.endpoint()): AnnotationJob {
    const { judgeId: _judgeId, endpoint: _endpoint, batch: _batch, ...rest } = j;
    const resumable = j.status === 'paused' || j.status === 'failed';
    const job: AnnotationJob = {
      ...rest, endpointNow: resumable && normaliseBaseUrl(now.baseUrl) !== normaliseBaseUrl(j.baseUrl) ? endpointName(now.baseUrl) : null, rateLimitWaitSeconds: null,
    };
    const a = this.active;
    if (a && a.jobId === j.id && j.mode === 'direct') {
      const waitMs = a.waits.remainingMs();
      job.rateLimitWaitSeconds = waitMs === null ? null : Math.ceil(waitMs / 1000);
      job.etaSeconds = etaSeconds({ startedAt: a.startedAt, now: Date.now(), finished: a.finishedThisRun, pending: j.pending, waitingSince: a.waits.since(), waitMs });
    }
    if (a && a.jobId === j.id && a.status) job.message = a.status;
    return job;
  }

  pause(jobId: number): AnnotationJob {
    const job = this.o.storage.annotate.annotationJob(jobId);
    if (this.active?.jobId === jobId) {
      this.active.pausing = true;
      this.active.status = 'Pausing: waiting for the requests in flight to answer.';
    } else if (job.status === 'queued') {
      this.queue.splice(this.queue.indexOf(jobId), 1);
      this.o.storage.annotate.setAnnotationJobStatus(jobId, 'paused', 'Paused.');
    } else {
      throw new AppFailure('INVALID', `Job ${jobId} is ${job.status}, so there is nothing to pause.`);
    }
    this.report(jobId, true);
    return this.job(jobId);
  }

  /**
   * `useCurrentEndpoint`: the job moves to the endpoint's address as set now (a job that failed on a wrong
   * address); otherwise it keeps its own, and says so when the settings name another.
   */
  resume(jobId: number, costCap?: number | null, endpointOverride?: EndpointSettings, useCurrentEndpoint = false): AnnotationJob {
    const job = this.o.storage.annotate.annotationJob(jobId);
    if (job.status !== 'paused' && job.status !== 'failed') throw new AppFailure('INVALID', `Job ${jobId} is ${job.status}; only a paused or failed job can be resumed.`);
    const now = endpointOverride ?? this.endpoint();
    const moved = normaliseBaseUrl(now.baseUrl) !== normaliseBaseUrl(job.baseUrl);
    if (useCurrentEndpoint && moved && job.batch) {
      throw new AppFailure('INVALID', `Job ${jobId} has a Batch API job in flight at ${endpointName(job.baseUrl)}; resume it there (or cancel it) before moving it to ${endpointName(now.baseUrl)}.`);
    }
    if (costCap !== undefined) {
      checkCap(costCap);
      if (costCap !== null && !priceFor(this.o.storage.endpoint.modelPrices(), job.model)) {
        throw new AppFailure('NO_PRICE', `There is no price for ${job.model} in the price table, so a cost cap cannot be kept.`);
      }
      this.o.storage.annotate.setAnnotationJobCap(jobId, costCap);
    }
    // The job keeps its model and JSON mode (what its requests are) and, unless asked to move, its address; the
    // limits are the current ones, so slowing down after 429s or allowing a longer timeout takes effect on resume.
    this.o.storage.annotate.setAnnotationJobEndpoint(jobId, {
      ...job.endpoint, ...(useCurrentEndpoint ? { baseUrl: now.baseUrl } : {}), concurrency: now.concurrency, requestsPerMinute: now.requestsPerMinute, tokensPerMinute: now.tokensPerMinute,
      timeoutSeconds: now.timeoutSeconds, maxAttempts: now.maxAttempts, batchPollSeconds: now.batchPollSeconds,
    });
    if (moved) {
      this.resumeNotes.set(jobId, useCurrentEndpoint
        ? `Resumed at ${endpointName(now.baseUrl)}, the current endpoint (it was started at ${endpointName(job.baseUrl)}).`
        : `Resumed at ${endpointName(job.baseUrl)}, the job's own endpoint; the endpoint settings now name ${endpointName(now.baseUrl)} (resume with the current endpoint to use it).`);
    }
    this.enqueue(jobId);
    return this.job(jobId);
  }

  cancel(jobId: number): AnnotationJob {
    const job = this.o.storage.annotate.annotationJob(jobId);
    if (this.active?.jobId === jobId) {
      this.active.cancelled = true;
      this.active.controller.abort();
    } else if (['queued', 'paused', 'failed'].includes(job.status)) {
      const at = this.queue.indexOf(jobId);
      if (at >= 0) this.queue.splice(at, 1);
      this.o.storage.annotate.setAnnotationJobStatus(jobId, 'cancelled', 'Cancelled.');
      if (job.batch) void this.cancelBatch(job);
      this.report(jobId, true);
    } else {
      throw new AppFailure('INVALID', `Job ${jobId} is ${job.status}, so there is nothing to cancel.`);
    }
    return this.job(jobId);
  }

  retry(jobId: number, pairIds?: number[]): AnnotationJob {
    const job = this.o.storage.annotate.annotationJob(jobId);
    if (job.status === 'cancelled') throw new AppFailure('INVALID', `Job ${jobId} was cancelled; start a new job instead (answers already received are reused).`);
    const n = this.o.storage.annotate.retryAnnotationItems(jobId, pairIds);
    if (n === 0) throw new AppFailure('NOTHING_TO_RETRY', `Job ${jobId} has no failed ${pairIds ? 'item among those pairs' : 'items'} to retry.`);
    if (this.active?.jobId !== jobId && !this.queue.includes(jobId)) this.enqueue(jobId);
    else this.report(jobId, true);
    return this.job(jobId);
  }

  /** Resolves when no job runs or waits. */
  idle(): Promise<void> {
    if (!this.active && this.queue.length === 0) return Promise.resolve();
    return new Promise((resolve) => this.idleWaiters.push(resolve));
  }

  /** Stops the running job (it stays paused, to be resumed on the next start) and runs nothing more. */
  async close(): Promise<void> {
    this.closed = true;
    for (const id of this.queue.splice(0)) this.o.storage.annotate.setAnnotationJobStatus(id, 'paused', 'The app stopped before this job ran; resume it to start.');
    const a = this.active;
    if (a) {
      a.closing = true;
      a.controller.abort();
      await a.done;
    }
  }

  private enqueue(jobId: number): void {
    if (this.closed) throw new AppFailure('CLOSING', 'The app is closing; no job can start now.');
    this.o.storage.annotate.setAnnotationJobStatus(jobId, 'queued', null);
    this.queue.push(jobId);
    this.report(jobId, true);
    this.pump();
  }

  private pump(): void {
    if (this.active) return;
    const jobId = this.queue.shift();
    if (jobId === undefined) {
      for (const resolve of this.idleWaiters.splice(0)) resolve();
      return;
    }
    const controller = new AbortController();
    // Every request and every wait in the limiter listens to it: many listeners are expected.
    setMaxListeners(0, controller.signal);
    const active: Active = {
      jobId, controller, pausing: false, cancelled: false, closing: false, stop: null, apiKey: null,
      startedAt: Date.now(), finishedThisRun: 0, status: null, notes: [], lastEmit: 0, done: Promise.resolve(), ticker: null,
      waits: new RateLimitWaits(() => this.waitsChanged(active)),
    };
    const resumed = this.resumeNotes.get(jobId);
    this.resumeNotes.delete(jobId);
    if (resumed) active.notes.push(resumed);
    this.active = active;
    active.done = this.run(active).finally(() => {
      if (active.ticker) clearInterval(active.ticker);
      this.active = null;
      this.report(jobId, true);
      this.pump();
    });
  }

  /** A wait began or ended: said at once, then counted down once a second while anything waits. */
  private waitsChanged(active: Active): void {
    const waiting = active.waits.remainingMs() !== null;
    if (waiting && !active.ticker) {
      active.ticker = setInterval(() => this.report(active.jobId, true), 1000);
      active.ticker.unref?.();
    } else if (!waiting && active.ticker) {
      clearInterval(active.ticker);
      active.ticker = null;
    }
    this.report(active.jobId, true);
  }

  /** Pushes the job's progress as job.progress: always on a change of state, at most every 250 ms otherwise. */
  private report(jobId: number, force = false): void {
    const a = this.active?.jobId === jobId ? this.active : null;
    if (a && !force && Date.now() - a.lastEmit < PROGRESS_INTERVAL_MS) return;
    if (a) a.lastEmit = Date.now();
    let job: AnnotationJob;
    try {
      job = this.job(jobId);
    } catch {
      // The job went with its study: there is nothing left to report.
      return;
    }
    const state: JobProgress['state'] = job.status === 'queued' ? 'running' : job.status;
    const what = job.kind === 'annotate' ? 'Annotating' : job.kind === 'judge' ? `Judge labels by ${job.judge}`
      : job.kind === 'scenario' ? 'Scenarios and safety' : `Reasons for ${job.judge}'s preferences`;
    const notes = a?.notes.length ? ` ${a.notes.join(' ')}` : '';
    const waiting = job.rateLimitWaitSeconds === null ? '' : `; ${rateLimitWait(job.rateLimitWaitSeconds)}`;
    const message = job.message ?? `${what} with ${job.model}: ${job.done} of ${job.total} pairs${job.failed ? `, ${job.failed} failed` : ''}, ${dollars(job.spent)} spent${waiting}.${notes}`;
    this.o.emit?.({
      jobId: `annotation:${jobId}`, kind: job.kind, done: job.done + job.failed, total: job.total, etaSeconds: job.etaSeconds, message, state,
      rateLimitWaitSeconds: job.rateLimitWaitSeconds,
    });
  }

  private async cancelBatch(job: StoredAnnotationJob): Promise<void> {
    const apiKey = await this.o.secrets.get(API_KEY);
    await BatchTransport.cancelRemote(this.client(job, apiKey), job.batch as BatchState | null);
    this.o.storage.annotate.setAnnotationBatch(job.id, null);
  }

  private client(job: StoredAnnotationJob, apiKey: string | null): OpenAI {
    return openAiClient(job.baseUrl, apiKey, job.endpoint.timeoutSeconds);
  }

  private async run(active: Active): Promise<void> {
    const { storage } = this.o;
    let job: StoredAnnotationJob;
    try {
      job = storage.annotate.annotationJob(active.jobId);
    } catch {
      return; // deleted with its study while it waited
    }
    storage.annotate.setAnnotationJobStatus(job.id, 'running', null);
    this.report(job.id, true);
    let batch: BatchTransport | null = null;
    try {
      const apiKey = await this.o.secrets.get(API_KEY);
      active.apiKey = apiKey;
      if (!apiKey && isOpenAi(job.baseUrl)) {
        throw new EndpointFailure(`There is no API key for OpenAI: it is read from ${this.o.secrets.location}${this.o.secrets.settable ? '; enter it in the endpoint settings' : ''}.`);
      }
      const client = this.client(job, apiKey);
      const price = priceFor(storage.endpoint.modelPrices(), job.model);
      const signal = active.controller.signal;
      const pausing = () => active.pausing || active.cancelled || active.closing;
      if (job.mode === 'batch') {
        batch = new BatchTransport({
          client, storage, jobId: job.id, model: job.model, price, pollMs: job.endpoint.batchPollSeconds * 1000, signal, pausing,
          onStatus: (message) => {
            active.status = message;
            this.report(job.id);
          },
        });
        if (!(await batch.resumeOutstanding(job.batch as BatchState | null))) return this.finish(active);
        job = storage.annotate.annotationJob(job.id);
      }
      const limiter = new RateLimiter(job.endpoint);
      const policy: RetryPolicy = {
        maxAttempts: job.endpoint.maxAttempts, timeoutMs: job.endpoint.timeoutSeconds * 1000,
        baseDelayMs: this.o.retry?.baseDelayMs ?? 1000, maxDelayMs: this.o.retry?.maxDelayMs ?? 60_000, random: this.o.retry?.random ?? Math.random,
      };
      const where = endpointName(job.baseUrl);
      const direct = {
        client, limiter, policy, apiKey, where, signal, onRetry: () => storage.annotate.countAnnotationJob(job.id, { retries: 1 }),
        onRateLimitWait: (until: number) => active.waits.begin(until),
      };
      const caller = new Caller({
        storage, jobId: job.id, baseUrl: job.baseUrl, model: job.model, jsonMode: job.endpoint.jsonMode,
        guard: new CostGuard(job.costCap, job.spent, price, job.mode === 'batch'), counter: tokenCounter(job.model),
        send: batch
          ? (kind, request, hash) => batch!.send(kind, request, hash)
          : async (kind, request) => {
            const answer = await sendDirect(direct, kind, request);
            return { answer, stored: false };
          },
        pausing,
        // Moderation is free and not part of the Batch API's chat lines: always sent directly.
        moderate: (request) => moderateDirect(direct, request),
        moderationModel: job.kind === 'scenario' ? job.endpoint.moderationModel ?? '' : '',
      });
      await this.work(active, job, caller, batch);
      if (job.kind === 'reasons' && !pausing() && !active.stop && storage.annotate.reasonsOf(job.id).length > 0) {
        active.status = 'Normalising the reasons into categories';
        this.report(job.id, true);
        try {
          await normaliseReasons(storage, job.id, caller, true);
        } catch (err) {
          if (!(err instanceof ItemFailure)) throw err;
          active.stop = { message: `${err.message} Resume to ask again.`, failed: true };
        }
      }
      this.finish(active);
    } catch (err) {
      if (err instanceof EndpointFailure) active.stop = { message: err.message, failed: true };
      else if (err instanceof CostCapReached) active.stop = { message: err.message, failed: false };
      else if (!(err instanceof Cancelled || err instanceof Pausing)) active.stop = { message: `The job stopped: ${(err as Error).message}`, failed: true };
      this.finish(active);
    }
  }

  /** Works through the pending items: a pool of `concurrency` items directly, or all at once through batches. */
  private async work(active: Active, job: StoredAnnotationJob, caller: Caller, batch: BatchTransport | null): Promise<void> {
    const { storage } = this.o;
    const stopping = () => active.pausing || active.cancelled || active.closing || active.stop !== null;
    if (batch) {
      while (!stopping()) {
        const items = storage.annotate.annotationWork(job.id, 'pending');
        if (items.length === 0) return;
        const finished = await batch.drive(items.map((item) => this.item(active, job, caller, item)));
        if (!finished) return;
      }
      return;
    }
    const inFlight = new Set<number>();
    const worker = async () => {
      while (!stopping()) {
        const item = storage.annotate.annotationWork(job.id, 'pending', inFlight.size + 1).find((i) => !inFlight.has(i.pairId));
        if (!item) return;
        inFlight.add(item.pairId);
        try {
          await this.item(active, job, caller, item);
        } finally {
          inFlight.delete(item.pairId);
        }
      }
    };
    await Promise.all(Array.from({ length: Math.max(1, job.endpoint.concurrency) }, worker));
  }

  /** One item: its result stored, or its failure with the reason; pauses and stops leave it pending. */
  private async item(active: Active, job: StoredAnnotationJob, caller: Caller, item: WorkItem): Promise<void> {
    const { storage } = this.o;
    const retrying = item.attempts > 0;
    try {
      if (job.kind === 'annotate') {
        const r = await annotatePair(item, caller, retrying);
        storage.annotate.finishAnnotatedPair(job.id, item.pairId, r.annotation, r.calls, r.reference);
      } else if (job.kind === 'judge') {
        const r = await judgePair(item, caller, retrying);
        storage.annotate.finishJudgedPair(job.id, item.pairId, job.judgeId!, r, r.orders, TIE_NOTE);
      } else if (job.kind === 'scenario') {
        const moderation = Boolean(job.endpoint.moderationModel) && !caller.noModeration;
        const r = await classifyPair(item, caller, retrying, moderation);
        if (moderation && caller.noModeration) this.withoutModeration(active, job);
        storage.annotate.finishScenarioPair(job.id, item.pairId, r);
      } else {
        const r = await reasonPair(item, caller, retrying);
        storage.annotate.finishReasonedPair(job.id, item.pairId, { preferred: item.preferred!, ...r.answer, rawOutput: r.raw });
      }
      active.finishedThisRun++;
    } catch (err) {
      if (err instanceof ItemFailure) {
        storage.annotate.failAnnotationItem(job.id, item.pairId, redact(err.message, active.apiKey));
        active.finishedThisRun++;
      } else if (err instanceof CostCapReached) {
        active.stop ??= { message: err.message, failed: false };
        active.pausing = true;
      } else if (err instanceof EndpointFailure) {
        active.stop ??= { message: err.message, failed: true };
        active.pausing = true;
        active.controller.abort();
      } else if (!(err instanceof Pausing || err instanceof Cancelled)) {
        storage.annotate.failAnnotationItem(job.id, item.pairId, redact(`Unexpected error: ${(err as Error).message}`, active.apiKey));
      }
    }
    this.report(job.id);
  }

  /**
   * The endpoint has no moderation API: the job asks the prompt about safety from now on, also when resumed
   * (its stored endpoint says so), and says so.
   */
  private withoutModeration(active: Active, job: StoredAnnotationJob): void {
    const stored = this.o.storage.annotate.annotationJob(job.id).endpoint;
    if (!stored.moderationModel) return;
    this.o.storage.annotate.setAnnotationJobEndpoint(job.id, { ...stored, moderationModel: '' });
    active.notes.push(`${normaliseBaseUrl(job.baseUrl) || 'The endpoint'} has no moderation API (/v1/moderations), so the classification prompt asked whether each query is unsafe.`);
  }

  /** The job's state when its run ends. */
  private finish(active: Active): void {
    const { storage } = this.o;
    const id = active.jobId;
    active.status = null;
    const notes = active.notes.length ? ` ${active.notes.join(' ')}` : '';
    if (active.closing) {
      storage.annotate.setAnnotationJobStatus(id, 'paused', 'The app stopped while this job was running; resume it to go on (answers already received are kept).');
    } else if (active.cancelled) {
      const job = storage.annotate.annotationJob(id);
      storage.annotate.setAnnotationJobStatus(id, 'cancelled', 'Cancelled.');
      if (job.batch) void this.cancelBatch(job);
    } else if (active.stop) {
      storage.annotate.setAnnotationJobStatus(id, active.stop.failed ? 'failed' : 'paused', redact(`${active.stop.message}${notes}`, active.apiKey));
    } else if (active.pausing) {
      storage.annotate.setAnnotationJobStatus(id, 'paused', 'Paused.');
    } else {
      const job = storage.annotate.annotationJob(id);
      if (job.pending > 0) {
        storage.annotate.setAnnotationJobStatus(id, 'paused', `${job.pending} pairs are still pending; resume to go on.`);
      } else {
        const ties = job.kind === 'judge' ? storage.annotate.notedItems(id) : 0;
        const tied = ties ? `; ${ties} ties (both orders gave both responses the same averaged log-probability): no label, as the paper drops ties` : '';
        const estimated = job.estimate === null ? '' : ` (estimated ${dollars(job.estimate)})`;
        storage.annotate.setAnnotationJobStatus(id, 'done', `${job.done} of ${job.total} pairs done${tied}${job.failed ? `; ${job.failed} failed (see why below, and retry them)` : ''}; ${dollars(job.spent)} spent${estimated}, ${job.cacheHits} answers reused from the cache.${notes}`);
      }
    }
  }
}
