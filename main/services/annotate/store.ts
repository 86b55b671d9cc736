// The annotation's jobs and their items: the pairs a job works on, what each model call finished, judge orders and
// reasons. A finished pair's annotation or label is written through the data domain's stores, in the job's transaction.
import type { AnnotationJob, AnnotationJobItem, AnnotationJobKind, AnnotationJobStatus, AnnotationMode, EndpointSettings, PairAnnotation, Side } from '../../../preload/contract';
import type { AnnotationCallRecord, AnnotationStore } from '../data/annotations-store';
import { AppFailure } from '../errors';
import { transaction, type DB } from '../db/database';
import type { PairSelection, PairStore } from '../data/pairs-store';

/** A job as stored, with the endpoint settings it runs with and its Batch API job in flight. */
export interface StoredAnnotationJob extends Omit<AnnotationJob, 'endpointNow' | 'rateLimitWaitSeconds'> { judgeId: number | null; endpoint: EndpointSettings; batch: unknown }

/** A job item with what the pipeline needs of its pair. */
export interface WorkItem {
  pairId: number;
  externalId: string;
  query: string;
  responseA: string;
  responseB: string;
  /** The pair's own reference answer (imported, or written by an earlier annotation): error detection uses it. */
  referenceAnswer: string | null;
  attempts: number;
  /** The job judge's label (reasons explain it). */
  preferred: Side | null;
  humanPreferred: Side | null;
}

export class AnnotationJobStore {
  constructor(private readonly db: DB, private readonly annotations: AnnotationStore, private readonly pairs: PairStore) {}

  /** Pairs a new job would work on, in pair order. */
  pairsForAnnotationJob(q: { studyId: number; kind: AnnotationJobKind; scope: 'missing' | 'all'; judgeId: number | null; limit?: number }): number[] {
    const missing = q.scope === 'missing';
    const labelled = (yes: boolean) => ({ labelledBy: { judgeId: q.judgeId, labelled: yes } });
    const only: PairSelection = q.kind === 'annotate' ? (missing ? { annotated: false } : {})
      : q.kind === 'judge' ? (missing ? labelled(false) : {})
      // A person's scenario is never replaced by a job.
      : q.kind === 'scenario' ? { scenarioForJob: q.scope }
      : labelled(true);
    if (!(q.kind === 'reasons' && missing)) return this.pairs.pairIds(q.studyId, only, q.limit);
    // Reasons still missing: the judge's labelled pairs that no reasons job of this judge explained.
    const explained = new Set((this.db.prepare(`SELECT DISTINCT r.pair_id AS pairId FROM reasons r JOIN annotation_jobs j ON j.id = r.job_id
      WHERE j.study_id = ? AND j.judge_id = ?`).all(q.studyId, q.judgeId) as { pairId: number }[]).map((r) => r.pairId));
    const ids = this.pairs.pairIds(q.studyId, only).filter((id) => !explained.has(id));
    return q.limit === undefined ? ids : ids.slice(0, q.limit);
  }

  /** A job with its items, all or nothing. */
  createAnnotationJob(job: {
    studyId: number; kind: AnnotationJobKind; mode: AnnotationMode; endpoint: EndpointSettings; promptVersion: string;
    judgeId: number | null; costCap: number | null; estimate: number | null; pairIds: number[];
    estimateTokens?: { input: number; output: number; counting: string };
  }): number {
    const db = this.db;
    return transaction(db, () => {
      const id = Number(db.prepare(`INSERT INTO annotation_jobs (study_id, kind, mode, status, endpoint_json, model, base_url,
        prompt_version, judge_id, cost_cap, estimate, estimate_input_tokens, estimate_output_tokens, token_counting, created_at)
        VALUES (?, ?, ?, 'queued', ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`)
        .run(job.studyId, job.kind, job.mode, JSON.stringify(job.endpoint), job.endpoint.model, job.endpoint.baseUrl,
          job.promptVersion, job.judgeId, job.costCap, job.estimate, job.estimateTokens?.input ?? null, job.estimateTokens?.output ?? null,
          job.estimateTokens?.counting ?? null, new Date().toISOString()).lastInsertRowid);
      const insert = db.prepare("INSERT INTO annotation_job_items (job_id, pair_id, status) VALUES (?, ?, 'pending')");
      for (const pairId of job.pairIds) insert.run(id, pairId);
      return id;
    });
  }

  private annotationJobRows(where: string, param: number): StoredAnnotationJob[] {
    const rows = this.db.prepare(`SELECT j.*,
        (SELECT count(*) FROM annotation_job_items i WHERE i.job_id = j.id) AS total,
        (SELECT count(*) FROM annotation_job_items i WHERE i.job_id = j.id AND i.status = 'done') AS done,
        (SELECT count(*) FROM annotation_job_items i WHERE i.job_id = j.id AND i.status = 'failed') AS failed
      FROM annotation_jobs j WHERE ${where} ORDER BY j.id DESC`).all(param) as Record<string, unknown>[];
    const judges = this.pairs.judgeNames(rows.flatMap((r) => (r.judge_id === null ? [] : [r.judge_id as number])));
    return rows.map((r) => ({
      id: r.id as number, studyId: r.study_id as number, kind: r.kind as AnnotationJobKind, status: r.status as AnnotationJobStatus,
      mode: r.mode as AnnotationMode, model: r.model as string, baseUrl: r.base_url as string, promptVersion: r.prompt_version as string,
      judge: r.judge_id === null ? null : judges.get(r.judge_id as number) ?? null, judgeId: r.judge_id as number | null, createdAt: r.created_at as string,
      startedAt: r.started_at as string | null, finishedAt: r.finished_at as string | null, total: r.total as number,
      done: r.done as number, failed: r.failed as number, pending: (r.total as number) - (r.done as number) - (r.failed as number),
      spent: r.spent as number, costCap: r.cost_cap as number | null, estimate: r.estimate as number | null,
      requests: r.requests as number, cacheHits: r.cache_hits as number, retries: r.retries as number,
      estimateTokens: r.token_counting === null ? null
        : { input: r.estimate_input_tokens as number, output: r.estimate_output_tokens as number, counting: r.token_counting as string },
      usedTokens: { input: r.input_tokens as number, output: r.output_tokens as number },
      message: r.message as string | null, etaSeconds: null, endpoint: JSON.parse(r.endpoint_json as string) as EndpointSettings,
      batch: r.batch_json ? JSON.parse(r.batch_json as string) as unknown : null,
    }));
  }

  annotationJob(jobId: number): StoredAnnotationJob {
    const job = this.annotationJobRows('j.id = ?', jobId)[0];
    if (!job) throw new AppFailure('NOT_FOUND', `There is no annotation job with id ${jobId}.`);
    return job;
  }

  annotationJobs(studyId: number): StoredAnnotationJob[] {
    return this.annotationJobRows('j.study_id = ?', studyId);
  }

  /** How many annotation jobs a study has (what its deletion takes with it). */
  jobCount(studyId: number): number {
    return (this.db.prepare('SELECT COUNT(*) AS n FROM annotation_jobs WHERE study_id = ?').get(studyId) as { n: number }).n;
  }

  /** A job's status, and the sentence that says why it stopped (null clears it). */
  setAnnotationJobStatus(jobId: number, status: AnnotationJobStatus, message: string | null = null): void {
    const now = new Date().toISOString();
    const ended = status === 'done' || status === 'failed' || status === 'cancelled';
    this.db.prepare(`UPDATE annotation_jobs SET status = ?, message = ?,
      started_at = CASE WHEN ? = 'running' THEN coalesce(started_at, ?) ELSE started_at END,
      finished_at = CASE WHEN ? THEN ? ELSE NULL END WHERE id = ?`).run(status, message, status, now, ended ? 1 : 0, now, jobId);
  }

  /** The settings a job runs with; its address too (a job resumed with the current endpoint moves to it). */
  setAnnotationJobEndpoint(jobId: number, endpoint: EndpointSettings): void {
    this.db.prepare('UPDATE annotation_jobs SET endpoint_json = ?, base_url = ? WHERE id = ?').run(JSON.stringify(endpoint), endpoint.baseUrl, jobId);
  }

  setAnnotationJobCap(jobId: number, costCap: number | null): void {
    this.db.prepare('UPDATE annotation_jobs SET cost_cap = ? WHERE id = ?').run(costCap, jobId);
  }

  countAnnotationJob(jobId: number, delta: { requests?: number; cacheHits?: number; retries?: number }): void {
    this.db.prepare('UPDATE annotation_jobs SET requests = requests + ?, cache_hits = cache_hits + ?, retries = retries + ? WHERE id = ?')
      .run(delta.requests ?? 0, delta.cacheHits ?? 0, delta.retries ?? 0, jobId);
  }

  /** Jobs left running or queued by a process that stopped are paused, to be resumed by the user. */
  interruptAnnotationJobs(): number {
    return this.db.prepare(`UPDATE annotation_jobs SET status = 'paused', message = 'The app stopped while this job was running; resume it to go on (answers already received are kept).'
      WHERE status IN ('running', 'queued')`).run().changes;
  }

  /** The Batch API job in flight (null when none), kept so that a restart polls it rather than paying again. */
  setAnnotationBatch(jobId: number, batch: unknown): void {
    this.db.prepare('UPDATE annotation_jobs SET batch_json = ? WHERE id = ?').run(batch === null ? null : JSON.stringify(batch), jobId);
  }

  /** Items of a job with their pairs' texts and the job judge's label (reasons explain it). */
  annotationWork(jobId: number, status: 'pending' | 'failed', limit = -1): WorkItem[] {
    const items = this.db.prepare(`SELECT pair_id AS pairId, attempts FROM annotation_job_items
      WHERE job_id = ? AND status = ? ORDER BY pair_id LIMIT ?`).all(jobId, status, limit) as { pairId: number; attempts: number }[];
    if (items.length === 0) return [];
    const { judge_id: judgeId } = this.db.prepare('SELECT judge_id FROM annotation_jobs WHERE id = ?').get(jobId) as { judge_id: number | null };
    const pairIds = items.map((i) => i.pairId);
    const judged = judgeId === null ? new Map<number, Side>() : this.pairs.judgeLabels(judgeId, pairIds);
    const human = this.pairs.judgeLabels('human', pairIds);
    const attempts = new Map(items.map((i) => [i.pairId, i.attempts]));
    // The text rows as read become the work items (no copy of every pair's texts).
    return this.pairs.pairTexts(pairIds).map((t) => Object.assign(t, {
      attempts: attempts.get(t.pairId)!, preferred: judged.get(t.pairId) ?? null, humanPreferred: human.get(t.pairId) ?? null,
    }));
  }

  annotationItems(q: { jobId: number; status?: AnnotationJobItem['status']; offset: number; limit: number }): { total: number; rows: AnnotationJobItem[] } {
    const where = `job_id = @jobId${q.status ? ' AND status = @status' : ''}`;
    const params = { jobId: q.jobId, status: q.status ?? null };
    const total = (this.db.prepare(`SELECT count(*) AS n FROM annotation_job_items WHERE ${where}`).get(params) as { n: number }).n;
    const items = this.db.prepare(`SELECT pair_id AS pairId, status, error, attempts FROM annotation_job_items
      WHERE ${where} ORDER BY pair_id LIMIT @limit OFFSET @offset`)
      .all({ ...params, limit: Math.max(0, Math.min(500, Math.floor(q.limit))), offset: Math.max(0, Math.floor(q.offset)) }) as Omit<AnnotationJobItem, 'externalId' | 'queryPreview'>[];
    const previews = this.pairs.pairPreviews(items.map((i) => i.pairId));
    return { total, rows: items.map((i) => ({ pairId: i.pairId, ...previews.get(i.pairId)!, status: i.status, error: i.error, attempts: i.attempts })) };
  }

  /** `note`: said of a done item (a judge's tie), where a failed one has its error. */
  private finishItem(jobId: number, pairId: number, note: string | null = null): void {
    const now = new Date().toISOString();
    this.db.prepare(`UPDATE annotation_job_items SET status = 'done', error = ?, attempts = attempts + 1, updated_at = ?
      WHERE job_id = ? AND pair_id = ?`).run(note, now, jobId, pairId);
    // The same work failed in an earlier job (of the same kind and judge) is done now: that job no longer counts it
    // as failed, lists it or retries it (a cancelled job said "1 failed" for a pair annotated since).
    this.db.prepare(`UPDATE annotation_job_items SET status = 'done', error = NULL, updated_at = ?
      WHERE pair_id = ? AND status = 'failed' AND job_id IN (SELECT o.id FROM annotation_jobs o, annotation_jobs j
        WHERE j.id = ? AND o.id != j.id AND o.kind = j.kind AND o.judge_id IS j.judge_id)`).run(now, pairId, jobId);
  }

  /** Done items with a note: the ties of a judge job. */
  notedItems(jobId: number): number {
    return (this.db.prepare("SELECT count(*) AS n FROM annotation_job_items WHERE job_id = ? AND status = 'done' AND error IS NOT NULL")
      .get(jobId) as { n: number }).n;
  }

  failAnnotationItem(jobId: number, pairId: number, reason: string): void {
    this.db.prepare(`UPDATE annotation_job_items SET status = 'failed', error = ?, attempts = attempts + 1, updated_at = ?
      WHERE job_id = ? AND pair_id = ?`).run(reason, new Date().toISOString(), jobId, pairId);
  }

  /** Failed items (all, or the given pairs) become pending again; returns how many. */
  retryAnnotationItems(jobId: number, pairIds?: number[]): number {
    const retry = this.db.prepare("UPDATE annotation_job_items SET status = 'pending' WHERE job_id = ? AND status = 'failed' AND (? IS NULL OR pair_id = ?)");
    return transaction(this.db, () => (pairIds ? pairIds.reduce((n, id) => n + retry.run(jobId, id, id).changes, 0) : retry.run(jobId, null, null).changes));
  }

  /** The pipeline's annotation of a pair replaces whatever the pair had, and its job item is done, in one step. */
  finishAnnotatedPair(jobId: number, pairId: number, annotation: PairAnnotation, calls: AnnotationCallRecord[], reference: string): void {
    transaction(this.db, () => {
      this.annotations.replaceAnnotation(pairId, annotation, calls);
      this.pairs.keepReferenceAnswer(pairId, reference);
      this.finishItem(jobId, pairId);
    });
  }

  /** A judge label from both orders (section 3.3), with the orders kept for the positional bias. */
  finishJudgedPair(jobId: number, pairId: number, judgeId: number, label: { preferred: Side | null; probabilityA: number },
    orders: { shownFirst: Side; logprobFirst: number; logprobSecond: number }[], tieNote: string): void {
    const db = this.db;
    const order = db.prepare(`INSERT OR REPLACE INTO judge_label_orders (job_id, pair_id, shown_first, logprob_first, logprob_second)
      VALUES (?, ?, ?, ?, ?)`);
    transaction(db, () => {
      // A tie is recorded as such: no label (the paper drops ties), an earlier label of this judge removed.
      if (label.preferred) this.pairs.putLabel(pairId, judgeId, label.preferred, label.probabilityA);
      else this.pairs.removeLabel(pairId, judgeId);
      for (const o of orders) order.run(jobId, pairId, o.shownFirst, o.logprobFirst, o.logprobSecond);
      this.finishItem(jobId, pairId, label.preferred ? null : tieNote);
    });
  }

  /**
   * A pair's scenario and safety from the scenario job, and its item done, in one step; a pair set by hand while
   * the job ran keeps the person's choice.
   */
  finishScenarioPair(jobId: number, pairId: number, r: { scenario: string; fineScenario: string; unsafe: boolean; moderationCategories: string[] | null }): void {
    transaction(this.db, () => {
      this.pairs.setJobScenario(pairId, r);
      this.finishItem(jobId, pairId);
    });
  }

  /** Both orders of every pair a judge job labelled, with the pair's human label where there is one. */
  judgeOrders(jobId: number): { pairId: number; shownFirst: Side; logprobFirst: number; logprobSecond: number; human: Side | null }[] {
    // `human` is filled in below, on the rows as read (no copy of 100,000 rows).
    const orders = this.db.prepare(`SELECT pair_id AS pairId, shown_first AS shownFirst, logprob_first AS logprobFirst,
        logprob_second AS logprobSecond, NULL AS human FROM judge_label_orders WHERE job_id = ? ORDER BY pair_id, shown_first`).all(jobId) as
      { pairId: number; shownFirst: Side; logprobFirst: number; logprobSecond: number; human: Side | null }[];
    const human = this.pairs.judgeLabels('human', [...new Set(orders.map((o) => o.pairId))]);
    for (const o of orders) o.human = human.get(o.pairId) ?? null;
    return orders;
  }

  finishReasonedPair(jobId: number, pairId: number, r: { preferred: Side; preferences: unknown; topics: string[]; persona: string | null; rawOutput: string }): void {
    transaction(this.db, () => {
      this.db.prepare(`INSERT OR REPLACE INTO reasons (job_id, pair_id, preferred, preferences_json, topics_json, persona, raw_output)
        VALUES (?, ?, ?, ?, ?, ?, ?)`).run(jobId, pairId, r.preferred, JSON.stringify(r.preferences), JSON.stringify(r.topics), r.persona, r.rawOutput);
      this.finishItem(jobId, pairId);
    });
  }

  /** Each explained pair's reasons (the "preference" of every entry). */
  reasonsOf(jobId: number): { pairId: number; reasons: string[] }[] {
    const rows = this.db.prepare('SELECT pair_id AS pairId, preferences_json FROM reasons WHERE job_id = ? ORDER BY pair_id').all(jobId) as { pairId: number; preferences_json: string }[];
    return rows.map((r) => ({ pairId: r.pairId, reasons: (JSON.parse(r.preferences_json) as { preference: string }[]).map((p) => p.preference) }));
  }

  saveReasonCategories(jobId: number, categories: { reason: string; category: string | null; error: string | null }[]): void {
    const insert = this.db.prepare('INSERT OR REPLACE INTO reason_categories (job_id, reason, category, error) VALUES (?, ?, ?, ?)');
    transaction(this.db, () => {
      for (const c of categories) insert.run(jobId, c.reason, c.category, c.error);
    });
  }

  reasonCategories(jobId: number): { reason: string; category: string | null; error: string | null }[] {
    return this.db.prepare('SELECT reason, category, error FROM reason_categories WHERE job_id = ? ORDER BY reason').all(jobId) as
      { reason: string; category: string | null; error: string | null }[];
  }
}
