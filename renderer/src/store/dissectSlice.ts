// The Dissect view: which judges and groups, the fit settings as typed, queued fits with their progress, the MAP
// previews shown while they run, and what the services computed from the stored fits (effect strengths beside the
// paper's, accuracy), plus the explanation of one pair and the pElo ratings of the source models.
import type { StateCreator } from 'zustand';
import type {
  FitPreview, FitRecord, FitSettings, JobProgress, Judge, JudgeAccuracy, JudgeEffects, JudgeRef, PairExplanation, PaperReference,
  PeloResult, StudyGroups,
} from '../../../preload/contract';
import { ApiError, call, transport } from '../api';
import { readStored, writeStored } from '../lib/persist';
import type { Store } from './store';

export interface FitJob { jobId: string; studyId: number; judge: string; groups: string[]; progress: JobProgress }

export const SETTING_FIELDS = ['chains', 'warmup', 'draws', 'folds', 'priorScale', 'seed'] as const;
export type SettingField = (typeof SETTING_FIELDS)[number];
/** The settings as the user typed them; checked when a fit starts. The paper's: 4 chains, 500 + 1500, 10 folds. */
/** The numeric fields as typed, and the integrator (absent in choices kept before it existed: split). */
export type SettingsDraft = Record<SettingField, string> & { integrator?: 'split' | 'leapfrog' };
export const PAPER_SETTINGS: SettingsDraft = { chains: '4', warmup: '500', draws: '1500', folds: '10', priorScale: '0.1', seed: '1' };

export const previewKey = (judge: string, group: string) => `${judge}|${group}`;
export const isRunning = (job: FitJob) => job.progress.state === 'running';
/** After a cancel, how long and how often the stored fits are asked whether the job stopped. */
const CANCEL_POLL_MS = 2000;
const CANCEL_CHECK_MS = 60_000;

export interface DissectSlice {
  paper: PaperReference | null;
  /** The current study's judges, human first, then by size. */
  studyJudges: Judge[];
  /** The current study's chosen judges and groups to fit: its entry in dissectChoices, or the first load's default. */
  dissectJudges: string[];
  fitGroups: string[];
  /** Each study's judges and groups as the user chose them (by study id): nothing but the user's hand changes them. */
  dissectChoices: Record<string, StudyChoice>;
  dissectPaperJudges: string[];
  dissectGroup: string;
  settingsDraft: SettingsDraft;
  /** Labelled, annotated pairs per group, by judge. */
  groupRows: Record<string, { group: string; rows: number }[]>;
  /** The study's groups with all their pairs, and how many pairs have no scenario yet. */
  studyGroups: StudyGroups | null;
  fits: FitRecord[];
  effects: JudgeEffects[];
  accuracies: JudgeAccuracy[];
  fitJobs: FitJob[];
  previews: Record<string, FitPreview>;
  /** 'order' keeps the paper's property order; otherwise the label of the judge whose strengths sort the rows. */
  sortKey: string;
  dissectLoading: boolean;
  /** The study the loaded fits belong to. */
  dissectStudyId: number | null;
  explanation: PairExplanation | null;
  /** The explained pair's id as the user knows it (its external id). */
  explainedPairName: string | null;
  /** Why there is no explanation when the judge has no fit for the pair's group: said in place, not as an error. */
  explainNote: string | null;
  explainLoading: boolean;
  pelo: PeloResult | null;
  peloLoading: boolean;

  loadPaper(): Promise<void>;
  setDissectJudges(names: string[]): void;
  setDissectPaperJudges(names: string[]): void;
  setDissectGroup(group: string): void;
  setFitGroups(groups: string[]): void;
  setSettingsDraft(patch: Partial<SettingsDraft>): void;
  setSortKey(key: string): void;
  loadDissect(): Promise<void>;
  startFits(): Promise<void>;
  cancelFit(jobId: string): Promise<void>;
  watchFitJobs(): void;
  explainPair(pairId: number, pairName: string, judge: JudgeRef): Promise<void>;
  loadPelo(judge: string, property: string, bootstrap: number): Promise<void>;
}

declare module './store' {
  interface Store extends DissectSlice {}
}

/** The typed settings as FitSettings, or a sentence naming the field that is not a number. */
export function parseSettings(draft: SettingsDraft): Partial<FitSettings> {
  const out: Partial<FitSettings> = {};
  for (const field of SETTING_FIELDS) {
    const text = draft[field].trim();
    if (field === 'priorScale' && text === 'auto') {
      out.priorScale = 'auto';
      continue;
    }
    const value = Number(text);
    if (text === '' || !Number.isFinite(value)) throw new Error(`${field === 'priorScale' ? 'The prior scale' : field} must be a number${field === 'priorScale' ? ' or "auto"' : ''}, not "${draft[field]}".`);
    (out as Record<string, number>)[field] = value;
  }
  if (draft.integrator) out.integrator = draft.integrator;
  return out;
}

export interface StudyChoice { judges: string[]; groups: string[] }

/** What the user chose, kept across reloads. */
const CHOICES_KEY = 'preference-studio.dissect-choices';
type Choices = Pick<DissectSlice, 'dissectChoices' | 'dissectPaperJudges' | 'dissectGroup' | 'settingsDraft'>;
const DEFAULT_GROUPS = ['Communication'];
const DEFAULT_CHOICES: Choices = { dissectChoices: {}, dissectPaperJudges: [], dissectGroup: 'Communication', settingsDraft: PAPER_SETTINGS };
const keepChoices = (s: Choices) => writeStored(CHOICES_KEY, {
  dissectChoices: s.dissectChoices, dissectPaperJudges: s.dissectPaperJudges, dissectGroup: s.dissectGroup, settingsDraft: s.settingsDraft,
});

/** The groups a judge has enough pairs to fit (a fit needs two rows, and one per fold). */
export function fittableGroups(rows: { group: string; rows: number }[] | undefined): string[] {
  return (rows ?? []).filter((r) => r.rows >= 2).map((r) => r.group);
}

/** The chosen groups the first chosen judge can fit: what the Fit button counts. */
export function groupsToFit(s: Pick<DissectSlice, 'fitGroups' | 'groupRows' | 'dissectJudges'>): string[] {
  const fittable = fittableGroups(s.groupRows[s.dissectJudges[0]]);
  return s.fitGroups.filter((g) => fittable.includes(g));
}

// Progress of fit jobs can arrive before dissect.fit has replied with the job's id: the latest event of each job
// waits here until its job is known.
const earlyProgress = new Map<string, JobProgress>();
let watching = false;
let loadRequest = 0;

export const createDissectSlice: StateCreator<Store, [], [], DissectSlice> = (set, get) => ({
  paper: null,
  studyJudges: [],
  dissectJudges: [],
  fitGroups: DEFAULT_GROUPS,
  ...DEFAULT_CHOICES,
  ...readStored<Partial<Choices>>(CHOICES_KEY),
  groupRows: {},
  studyGroups: null,
  fits: [],
  effects: [],
  accuracies: [],
  fitJobs: [],
  previews: {},
  sortKey: 'order',
  dissectLoading: false,
  dissectStudyId: null,
  explanation: null,
  explainedPairName: null,
  explainNote: null,
  explainLoading: false,
  pelo: null,
  peloLoading: false,

  async loadPaper() {
    if (get().paper) return;
    try {
      set({ paper: await call('reference.paper', {}) });
    } catch (err) {
      get().reportError('dissect', err);
    }
  },

  setDissectJudges: (names) => {
    const studyId = get().selectedStudyId;
    if (studyId === null) return;
    set((s) => ({ dissectJudges: names, dissectChoices: { ...s.dissectChoices, [studyId]: { judges: names, groups: s.fitGroups } } }));
    keepChoices(get());
    void get().loadDissect();
  },
  setDissectPaperJudges: (names) => {
    set({ dissectPaperJudges: names });
    keepChoices(get());
    void get().loadDissect();
  },
  setDissectGroup: (group) => {
    set({ dissectGroup: group });
    keepChoices(get());
  },
  setFitGroups: (groups) => {
    const studyId = get().selectedStudyId;
    if (studyId === null) return;
    set((s) => ({ fitGroups: groups, dissectChoices: { ...s.dissectChoices, [studyId]: { judges: s.dissectJudges, groups } } }));
    keepChoices(get());
  },
  setSettingsDraft: (patch) => {
    set((s) => ({ settingsDraft: { ...s.settingsDraft, ...patch } }));
    keepChoices(get());
  },
  setSortKey: (key) => set({ sortKey: key }),

  async loadDissect() {
    const studyId = get().selectedStudyId;
    if (studyId === null) return;
    const request = ++loadRequest;
    // Another study shows its own choices at once (the judges' names are checked against the list below).
    const stored = get().dissectChoices[studyId];
    if (get().dissectStudyId !== studyId) set({ dissectJudges: stored?.judges ?? [], fitGroups: stored?.groups ?? DEFAULT_GROUPS, groupRows: {} });
    set({ dissectLoading: true });
    try {
      const judges = await call('judges.list', { studyId });
      const known = new Set(judges.map((j) => j.name));
      // A study the user never chose for starts with its first two judges; an empty choice stays empty.
      const choice = get().dissectChoices[studyId];
      const chosen = choice ? choice.judges.filter((name) => known.has(name)) : judges.slice(0, 2).map((j) => j.name);
      const refs: JudgeRef[] = [
        ...chosen.map((name) => ({ source: 'study' as const, name })),
        ...get().dissectPaperJudges.map((name) => ({ source: 'paper' as const, name })),
      ];
      const [fits, effects, accuracies, rows, studyGroups] = await Promise.all([
        call('dissect.fits', { studyId }),
        call('insight.effects', { studyId, judges: refs }),
        call('insight.accuracy', { studyId }),
        Promise.all(chosen.map(async (judge) => [judge, await call('dissect.groups', { studyId, judge })] as const)),
        call('pairs.groups', { studyId }),
      ]);
      if (request !== loadRequest) return;
      set({ studyJudges: judges, dissectJudges: chosen, fitGroups: get().dissectChoices[studyId]?.groups ?? get().fitGroups, fits, effects, accuracies, groupRows: Object.fromEntries(rows), studyGroups, dissectStudyId: studyId });
      get().clearError('dissect');
    } catch (err) {
      if (request === loadRequest) get().reportError('dissect', err);
    } finally {
      if (request === loadRequest) set({ dissectLoading: false });
    }
  },

  async startFits() {
    const { selectedStudyId: studyId, dissectJudges, settingsDraft } = get();
    if (studyId === null) return;
    get().clearError('fit');
    try {
      if (dissectJudges.length === 0) throw new Error('Choose at least one judge to fit.');
      const fitGroups = groupsToFit(get());
      if (fitGroups.length === 0) throw new Error('Choose at least one group with pairs to fit.');
      const settings = parseSettings(settingsDraft);
      // The effect strengths show what is being fitted (its MAP preview at once, then the fit).
      if (!fitGroups.includes(get().dissectGroup)) get().setDissectGroup(fitGroups[0]);
      get().watchFitJobs();
      // Jobs that ended earlier make room for this batch; within it, a judge's job that ends before the next
      // judge's starts stays listed.
      set((s) => ({ fitJobs: s.fitJobs.filter((j) => isRunning(j)) }));
      for (const judge of dissectJudges) {
        // Each judge is fitted on the chosen groups it has pairs for; one without any is said, not failed.
        const fittable = fittableGroups(get().groupRows[judge]);
        const groups = fitGroups.filter((g) => fittable.includes(g));
        if (groups.length === 0) {
          get().reportError('fit', new Error(`${judge} has fewer than two labelled, annotated pairs in ${fitGroups.join(', ')}: not fitted.`));
          continue;
        }
        const { jobId } = await call('dissect.fit', { studyId, judge, groups, settings });
        const queued: JobProgress = { jobId, kind: 'fit', done: 0, total: groups.length, etaSeconds: null, message: 'Queued', state: 'running' };
        const progress = earlyProgress.get(jobId) ?? queued;
        earlyProgress.delete(jobId);
        set((s) => ({ fitJobs: [...s.fitJobs, { jobId, studyId, judge, groups, progress }] }));
        // The MAP estimate is instant: shown in place of each fit until it is done.
        for (const group of groups) {
          const preview = await call('dissect.preview', { studyId, judge, group, priorScale: typeof settings.priorScale === 'number' ? settings.priorScale : undefined });
          set((s) => ({ previews: { ...s.previews, [previewKey(judge, group)]: preview } }));
        }
      }
    } catch (err) {
      get().reportError('fit', err);
    }
  },

  async cancelFit(jobId) {
    try {
      await call('jobs.cancel', { jobId });
      // The job's last event says it stopped. Should that event be lost (the event socket dropped meanwhile), the
      // stored fits say it too: once none of the job's groups is running, the job shows as cancelled.
      const stillRunning = () => get().fitJobs.find((j) => j.jobId === jobId && isRunning(j));
      for (let waited = 0; stillRunning() && waited < CANCEL_CHECK_MS; waited += CANCEL_POLL_MS) {
        await new Promise((resolve) => setTimeout(resolve, CANCEL_POLL_MS));
        const job = stillRunning();
        if (!job) return;
        const fits = await call('dissect.fits', { studyId: job.studyId });
        const latest = job.groups.map((g) => fits.filter((f) => f.judge === job.judge && f.group === g).sort((a, b) => b.id - a.id)[0]);
        if (latest.every((f) => f?.status !== 'running')) {
          set((s) => ({ fitJobs: s.fitJobs.map((j) => (j.jobId === jobId && isRunning(j)
            ? { ...j, progress: { ...j.progress, etaSeconds: null, message: 'Cancelled.', state: 'cancelled' } } : j)) }));
          void get().loadDissect();
        }
      }
    } catch (err) {
      get().reportError('fit', err);
    }
  },

  watchFitJobs() {
    if (watching) return;
    watching = true;
    transport.on('job.progress', (progress) => {
      if (progress.kind !== 'fit') return;
      const job = get().fitJobs.find((j) => j.jobId === progress.jobId);
      if (!job) {
        earlyProgress.set(progress.jobId, progress);
        return;
      }
      set((s) => ({ fitJobs: s.fitJobs.map((j) => (j.jobId === progress.jobId ? { ...j, progress } : j)) }));
      // A group finished (done rose past a whole number) or the job ended: the stored fits changed.
      if (progress.state !== 'running' || Math.floor(progress.done) > Math.floor(job.progress.done)) void get().loadDissect();
      if (progress.state === 'failed') get().reportError('fit', new Error(progress.message));
    });
  },

  async explainPair(pairId, pairName, judge) {
    set({ explainLoading: true });
    try {
      set({ explanation: await call('insight.explainPair', { pairId, judge }), explainedPairName: pairName, explainNote: null });
      get().clearError('explain');
    } catch (err) {
      set({ explanation: null, explainNote: null });
      if (err instanceof ApiError && err.code === 'NO_FIT') set({ explainNote: err.message });
      else get().reportError('explain', err);
    } finally {
      set({ explainLoading: false });
    }
  },

  async loadPelo(judge, property, bootstrap) {
    const studyId = get().selectedStudyId;
    if (studyId === null) return;
    set({ peloLoading: true });
    try {
      set({ pelo: await call('insight.pelo', { studyId, judge, property: property || undefined, bootstrap }) });
      get().clearError('explain');
    } catch (err) {
      get().reportError('explain', err);
    } finally {
      set({ peloLoading: false });
    }
  },
});
