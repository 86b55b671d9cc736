// The Annotate view: the endpoint settings and price table as forms, the next job's choices with its cost
// estimate, the study's annotation jobs (refreshed as job.progress events arrive), and the chosen job's failed
// items, judge report or reasons.
import type { StateCreator } from 'zustand';
import type {
  AnnotateSettings, AnnotationJob, AnnotationJobItem, AnnotationJobKind, AnnotationJobRequest, AnnotationMode, ConnectionCheck, CostEstimate,
  EndpointSettings, JobProgress, JudgeReport, ReasonsReport,
} from '../../../preload/contract';
import { call, transport } from '../api';
import type { Store } from './store';

/** The endpoint form: text as typed, checked by the services on save. */
export type EndpointDraft = Record<Exclude<keyof EndpointSettings, 'jsonMode'>, string> & { jsonMode: boolean };
export interface PriceDraft { model: string; inputPerMillion: string; outputPerMillion: string }

export interface JobDraft {
  kind: AnnotationJobKind;
  scope: 'missing' | 'all';
  mode: AnnotationMode;
  /** '' for every pair. */
  limit: string;
  /** '' for no cap. */
  costCap: string;
  /** Judge labels: the name to store them under ('' = the model); reasons: whose preference ('' = human). */
  judge: string;
}

export const EMPTY_JOB_DRAFT: JobDraft = { kind: 'annotate', scope: 'missing', mode: 'direct', limit: '', costCap: '', judge: '' };

export interface AnnotateSlice {
  annotateSettings: AnnotateSettings | null;
  endpointDraft: EndpointDraft | null;
  priceDrafts: PriceDraft[];
  keyDraft: string;
  jobDraft: JobDraft;
  /** The cost cap was typed in this session: the default from Settings no longer replaces it. */
  jobCostCapTyped: boolean;
  estimate: CostEstimate | null;
  /** The draft (and study) the estimate belongs to, so a stale one is never shown as current. */
  estimateKey: string | null;
  estimating: boolean;
  annotationJobs: AnnotationJob[];
  annotationJobsStudyId: number | null;
  selectedJobId: number | null;
  failedItems: { jobId: number; total: number; rows: AnnotationJobItem[] } | null;
  judgeReport: { jobId: number; report: JudgeReport } | null;
  reasonsReport: { jobId: number; report: ReasonsReport } | null;
  annotateBusy: boolean;
  /** The last "Test connection" of the form as it was then. */
  connectionCheck: ConnectionCheck | null;
  checkingConnection: boolean;

  loadAnnotateSettings(): Promise<void>;
  /** One tiny request to the endpoint as typed in the form (saved or not). */
  checkConnection(): Promise<void>;
  setEndpointDraft(patch: Partial<EndpointDraft>): void;
  saveEndpoint(): Promise<void>;
  setPriceDrafts(prices: PriceDraft[]): void;
  savePrices(): Promise<void>;
  setKeyDraft(key: string): void;
  saveKey(): Promise<void>;
  setJobDraft(patch: Partial<JobDraft>): void;
  estimateJob(): Promise<void>;
  startJob(): Promise<void>;
  loadAnnotationJobs(): Promise<void>;
  /** Follows job.progress from now on, also while another view shows (a finished job changes the Data view). */
  watchAnnotationJobs(): void;
  selectJob(jobId: number | null): void;
  loadJobDetail(): Promise<void>;
  pauseJob(jobId: number): Promise<void>;
  /** `useCurrentEndpoint`: the job moves to the endpoint as set now (the form's unsaved edits saved first). */
  resumeJob(jobId: number, costCap?: number | null, useCurrentEndpoint?: boolean): Promise<void>;
  cancelJob(jobId: number): Promise<void>;
  retryJob(jobId: number, pairIds?: number[]): Promise<void>;
}

declare module './store' {
  interface Store extends AnnotateSlice {}
}

export const jobRunning = (j: AnnotationJob) => j.status === 'running' || j.status === 'queued';

function toDraft(e: EndpointSettings): EndpointDraft {
  return {
    model: e.model, baseUrl: e.baseUrl, concurrency: String(e.concurrency), requestsPerMinute: String(e.requestsPerMinute),
    tokensPerMinute: String(e.tokensPerMinute), timeoutSeconds: String(e.timeoutSeconds), maxAttempts: String(e.maxAttempts),
    jsonMode: e.jsonMode, batchPollSeconds: String(e.batchPollSeconds), moderationModel: e.moderationModel,
  };
}

/** The endpoint form holds edits that were not saved: a job started now saves them first (and the form says so). */
export function endpointUnsaved(draft: EndpointDraft | null, saved: EndpointSettings | undefined): boolean {
  if (!draft || !saved) return false;
  const stored = toDraft(saved);
  return (Object.keys(stored) as (keyof EndpointDraft)[]).some((k) => String(stored[k]).trim() !== String(draft[k]).trim());
}

/** Numbers as typed; the services say which one is wrong (an unparsable one arrives as NaN and is named). */
const num = (text: string) => (text.trim() === '' ? NaN : Number(text));

/** The form as endpoint settings, numbers as typed. */
function fromDraft(d: EndpointDraft): EndpointSettings {
  return {
    model: d.model, baseUrl: d.baseUrl, concurrency: num(d.concurrency), requestsPerMinute: num(d.requestsPerMinute),
    tokensPerMinute: num(d.tokensPerMinute), timeoutSeconds: num(d.timeoutSeconds), maxAttempts: num(d.maxAttempts),
    jsonMode: d.jsonMode, batchPollSeconds: num(d.batchPollSeconds), moderationModel: d.moderationModel,
  };
}

/** The job request the draft describes (numbers as typed: the services name a wrong one). */
export function jobRequest(studyId: number, d: JobDraft): AnnotationJobRequest {
  const req: AnnotationJobRequest = { studyId, kind: d.kind, scope: d.scope, mode: d.mode, costCap: null };
  if (d.limit.trim()) req.limit = num(d.limit);
  if (d.costCap.trim()) req.costCap = num(d.costCap);
  if (d.judge.trim()) req.judge = d.judge.trim();
  return req;
}

let jobsReload: ReturnType<typeof setTimeout> | undefined;
let watching = false;
let estimateRequest = 0;

export const createAnnotateSlice: StateCreator<Store, [], [], AnnotateSlice> = (set, get) => {
  const failing = async (work: () => Promise<void>) => {
    set({ annotateBusy: true });
    try {
      await work();
      get().clearError('annotate');
    } catch (err) {
      get().reportError('annotate', err);
    } finally {
      set({ annotateBusy: false });
    }
  };
  const settingsLoaded = (s: AnnotateSettings) => set({
    annotateSettings: s, endpointDraft: toDraft(s.endpoint),
    priceDrafts: s.prices.map((p) => ({ model: p.model, inputPerMillion: String(p.inputPerMillion), outputPerMillion: String(p.outputPerMillion) })),
  });

  const saveDraft = async () => {
    const d = get().endpointDraft;
    if (!d) return;
    settingsLoaded(await call('annotate.saveSettings', { endpoint: fromDraft(d) }));
    // The jobs say where the endpoint is now when it is not where a stopped job sends its requests.
    await get().loadAnnotationJobs();
    await get().estimateJob();
  };

  return {
    annotateSettings: null,
    endpointDraft: null,
    priceDrafts: [],
    keyDraft: '',
    jobDraft: EMPTY_JOB_DRAFT,
    jobCostCapTyped: false,
    estimate: null,
    estimateKey: null,
    estimating: false,
    annotationJobs: [],
    annotationJobsStudyId: null,
    selectedJobId: null,
    failedItems: null,
    judgeReport: null,
    reasonsReport: null,
    annotateBusy: false,
    connectionCheck: null,
    checkingConnection: false,

    async checkConnection() {
      const d = get().endpointDraft;
      if (!d) return;
      set({ checkingConnection: true, connectionCheck: null });
      try {
        set({ connectionCheck: await call('annotate.checkConnection', { endpoint: fromDraft(d) }) });
        get().clearError('annotate');
      } catch (err) {
        get().reportError('annotate', err);
      } finally {
        set({ checkingConnection: false });
      }
    },

    loadAnnotateSettings: () => failing(async () => {
      const [annotate, defaults] = await Promise.all([call('annotate.settings', {}), call('settings.get', {})]);
      settingsLoaded(annotate);
      // A new job starts with the cost cap set in Settings until one is typed here.
      const cap = defaults.endpoint.costCap === null ? '' : String(defaults.endpoint.costCap);
      set((s) => (s.jobCostCapTyped || s.jobDraft.costCap === cap ? s : { jobDraft: { ...s.jobDraft, costCap: cap } }));
    }),

    setEndpointDraft: (patch) => set((s) => (s.endpointDraft ? { endpointDraft: { ...s.endpointDraft, ...patch } } : s)),

    saveEndpoint: () => failing(saveDraft),

    startJob: () => failing(async () => {
      const studyId = get().selectedStudyId;
      if (studyId === null) return;
      // Edits in the endpoint form are what the user sees: the job runs with them, saved first.
      if (endpointUnsaved(get().endpointDraft, get().annotateSettings?.endpoint)) await saveDraft();
      const job = await call('annotate.start', jobRequest(studyId, get().jobDraft));
      set({ selectedJobId: job.id });
      await get().loadAnnotationJobs();
      await get().estimateJob();
    }),
    setPriceDrafts: (prices) => set({ priceDrafts: prices }),

    savePrices: () => failing(async () => {
      const prices = get().priceDrafts.filter((p) => p.model.trim() || p.inputPerMillion.trim() || p.outputPerMillion.trim())
        .map((p) => ({ model: p.model, inputPerMillion: num(p.inputPerMillion), outputPerMillion: num(p.outputPerMillion) }));
      settingsLoaded(await call('annotate.saveSettings', { prices }));
      await get().estimateJob();
    }),

    setKeyDraft: (key) => set({ keyDraft: key }),

    saveKey: () => failing(async () => {
      const key = await call('annotate.setKey', { apiKey: get().keyDraft });
      set((s) => ({ keyDraft: '', annotateSettings: s.annotateSettings ? { ...s.annotateSettings, key } : s.annotateSettings }));
    }),

    setJobDraft: (patch) => set((s) => ({ jobDraft: { ...s.jobDraft, ...patch }, jobCostCapTyped: s.jobCostCapTyped || 'costCap' in patch })),

    async estimateJob() {
      const studyId = get().selectedStudyId;
      if (studyId === null) return;
      const req = jobRequest(studyId, get().jobDraft);
      const key = JSON.stringify(req);
      const request = ++estimateRequest;
      set({ estimating: true });
      try {
        const estimate = await call('annotate.estimate', req);
        if (request === estimateRequest) set({ estimate, estimateKey: key });
        get().clearError('annotate');
      } catch (err) {
        if (request === estimateRequest) {
          set({ estimate: null, estimateKey: null });
          get().reportError('annotate', err);
        }
      } finally {
        if (request === estimateRequest) set({ estimating: false });
      }
    },

    async loadAnnotationJobs() {
      const studyId = get().selectedStudyId;
      if (studyId === null) return;
      try {
        const jobs = await call('annotate.jobs', { studyId });
        if (get().selectedStudyId !== studyId) return;
        const selected = get().selectedJobId;
        const previous = get().annotationJobs;
        const before = previous.find((j) => j.id === selected);
        const after = jobs.find((j) => j.id === selected);
        set({
          annotationJobs: jobs, annotationJobsStudyId: studyId,
          selectedJobId: after ? selected : jobs[0]?.id ?? null,
        });
        // The chosen job's detail follows its counts.
        if (!after || !before || before.failed !== after.failed || before.done !== after.done || before.status !== after.status) void get().loadJobDetail();
        // A job that stopped changed the pairs (annotations, labels) and what is left to do: the Data view's list,
        // the studies' counts and the estimate follow. A short job (a retry of one pair) may start and stop between
        // two loads, so a stopped job whose counts or status moved counts too, not only one last seen running.
        const seen = new Map(previous.map((j) => [j.id, j]));
        const stoppedWithNews = (j: (typeof jobs)[number]) => {
          const p = seen.get(j.id);
          return !jobRunning(j) && p !== undefined && (jobRunning(p) || p.status !== j.status || p.done !== j.done || p.failed !== j.failed);
        };
        if (jobs.some(stoppedWithNews)) {
          set((s) => ({ dataVersion: s.dataVersion + 1 }));
          void get().loadStudies();
          void get().estimateJob();
        }
      } catch (err) {
        get().reportError('annotate', err);
      }
    },

    watchAnnotationJobs() {
      if (watching) return;
      watching = true;
      transport.on('job.progress', (p: JobProgress) => {
        if (!p.jobId.startsWith('annotation:')) return;
        // Progress comes every quarter second while a job runs; the list is fetched again at most that often.
        if (jobsReload) return;
        jobsReload = setTimeout(() => {
          jobsReload = undefined;
          void get().loadAnnotationJobs();
        }, 250);
      });
    },

    selectJob(jobId) {
      set({ selectedJobId: jobId });
      void get().loadJobDetail();
    },

    async loadJobDetail() {
      const jobId = get().selectedJobId;
      const job = get().annotationJobs.find((j) => j.id === jobId);
      if (!job) {
        set({ failedItems: null, judgeReport: null, reasonsReport: null });
        return;
      }
      try {
        const items = await call('annotate.items', { jobId: job.id, status: 'failed', offset: 0, limit: 200 });
        const judge = job.kind === 'judge' && job.done > 0 ? await call('annotate.judgeReport', { jobId: job.id }) : null;
        const reasons = job.kind === 'reasons' && job.done > 0 ? await call('annotate.reasons', { jobId: job.id }) : null;
        if (get().selectedJobId !== job.id) return;
        set({
          failedItems: { jobId: job.id, ...items },
          judgeReport: judge ? { jobId: job.id, report: judge } : null,
          reasonsReport: reasons ? { jobId: job.id, report: reasons } : null,
        });
      } catch (err) {
        get().reportError('annotate', err);
      }
    },

    pauseJob: (jobId) => failing(async () => {
      await call('annotate.pause', { jobId });
      await get().loadAnnotationJobs();
    }),
    resumeJob: (jobId, costCap, useCurrentEndpoint) => failing(async () => {
      if (useCurrentEndpoint && endpointUnsaved(get().endpointDraft, get().annotateSettings?.endpoint)) await saveDraft();
      await call('annotate.resume', { jobId, ...(costCap === undefined ? {} : { costCap }), ...(useCurrentEndpoint ? { useCurrentEndpoint } : {}) });
      await get().loadAnnotationJobs();
    }),
    cancelJob: (jobId) => failing(async () => {
      await call('annotate.cancel', { jobId });
      await get().loadAnnotationJobs();
    }),
    retryJob: (jobId, pairIds) => failing(async () => {
      await call('annotate.retry', pairIds ? { jobId, pairIds } : { jobId });
      await get().loadAnnotationJobs();
    }),
  };
};
