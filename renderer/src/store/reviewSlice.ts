// The Review view: the rounds of the current study, the review session of one checker (the pairs of the round
// around the cursor, the checker's verdicts, the editor open on an item), Table 12 agreement with the
// disagreements to settle, and refits with the corrections.
//
// A verdict shows at once and is sent at once: writes go out one after another (so an undo never overtakes the
// verdict it takes back), each carrying the place the checker moved on to, and the stored result replaces what
// was shown. `reviewPendingWrites` says when everything given is on disk.
import type { StateCreator } from 'zustand';
import type {
  AgreementReport, DetectedError, Disagreement, JobProgress, Judge, RefitRecord, RefitScope, ReviewCursor, ReviewItem, ReviewPair,
  ReviewRound, ReviewStrategy, ReviewWriteResult, Side, Verdict, VerdictKind,
} from '../../../preload/contract';
import { call, transport } from '../api';
import { parseSettings, PAPER_SETTINGS, type SettingsDraft } from './dissectSlice';
import type { Store } from './index';

export type ReviewTab = 'rounds' | 'review' | 'agreement' | 'refit';

export type ReviewEditor =
  | { kind: 'choices' | 'list' | 'error' | 'comment'; itemKey: string }
  | { kind: 'missed'; side: Side };

export interface ReviewSession {
  roundId: number;
  checkerId: number;
  checker: string;
  blind: boolean;
  pairCount: number;
  /** Items of the round (one checker's share of the work). */
  total: number;
  decided: number;
  canUndo: boolean;
  canRedo: boolean;
  position: number;
  /** The item the cursor is on; null: the first item of the pair not yet decided. */
  itemKey: string | null;
}

export interface NewRound { name: string; size: string; strategy: ReviewStrategy; seed: string; checkers: string; blind: boolean }

export interface ReviewSlice {
  reviewTab: ReviewTab;
  reviewRounds: ReviewRound[] | null;
  reviewRoundsStudyId: number | null;
  reviewRoundsLoading: boolean;
  reviewRoundId: number | null;
  reviewSession: ReviewSession | null;
  /** The session's pairs by round position, as loaded. */
  reviewPairs: Record<number, ReviewPair>;
  /** The checker's verdicts by pair id and item key, as shown (stored ones replace them as writes return). */
  reviewVerdicts: Record<number, Record<string, Verdict>>;
  reviewPendingWrites: number;
  reviewEditor: ReviewEditor | null;
  /** A one-line hint under the item list (e.g. why a key did nothing). */
  reviewHint: string | null;
  reviewAgreement: AgreementReport | null;
  reviewDisagreements: Disagreement[] | null;
  reviewAgreementLoading: boolean;
  reviewJudges: Judge[];
  reviewRefits: RefitRecord[] | null;
  reviewRefitProgress: Record<string, JobProgress>;
  reviewRefitDraft: { judge: string; group: string; scope: RefitScope; settings: SettingsDraft };
  reviewSelectedRefitId: number | null;

  setReviewTab(tab: ReviewTab): void;
  resetReviewForStudy(): void;
  loadReviewRounds(): Promise<void>;
  selectReviewRound(roundId: number | null): void;
  createReviewRound(form: NewRound): Promise<boolean>;
  deleteReviewRound(roundId: number): Promise<void>;
  addReviewChecker(roundId: number, name: string, blind: boolean): Promise<boolean>;
  openReviewSession(checkerId: number): Promise<void>;
  closeReviewSession(): void;
  ensureReviewPair(position: number): Promise<ReviewPair | null>;
  moveReviewItem(delta: 1 | -1): void;
  moveReviewPair(delta: 1 | -1): void;
  goToReviewItem(position: number, itemKey: string | null): void;
  decideReviewItem(verdict: Exclude<VerdictKind, 'add'> | null, correctedValue?: string): void;
  commentReviewItem(comment: string): void;
  addReviewMissedError(side: Side, error: DetectedError): void;
  approveReviewRest(): void;
  undoReview(redo: boolean): void;
  setReviewEditor(editor: ReviewEditor | null): void;
  setReviewHint(hint: string | null): void;
  loadReviewAgreement(): Promise<void>;
  adjudicateReview(d: Disagreement, verdict: VerdictKind | null, correctedValue?: string | null): Promise<void>;
  loadReviewRefits(): Promise<void>;
  setReviewRefitDraft(patch: Partial<ReviewSlice['reviewRefitDraft']>): void;
  startReviewRefit(): Promise<void>;
  selectReviewRefit(refitId: number | null): void;
}

/** The pair and item under the cursor (derived). */
export function currentReviewItem(s: Pick<Store, 'reviewSession' | 'reviewPairs' | 'reviewVerdicts'>): { pair: ReviewPair; item: ReviewItem | null; index: number } | null {
  const session = s.reviewSession;
  const pair = session ? s.reviewPairs[session.position] : undefined;
  if (!session || !pair) return null;
  const mine = s.reviewVerdicts[pair.pair.id] ?? {};
  const index = session.itemKey === null
    ? Math.max(0, pair.items.findIndex((i) => !mine[i.key]))
    : Math.max(0, pair.items.findIndex((i) => i.key === session.itemKey));
  return { pair, item: pair.items[index] ?? null, index };
}

/** Pairs kept around the cursor: a long round does not keep every pair it has shown. */
const PAIR_WINDOW = 6;

// Writes leave one after another; the cursor of plain moves is written once per burst of keys.
let writes: Promise<void> = Promise.resolve();
let cursorToWrite: (ReviewCursor & { checkerId: number }) | null = null;
const pairRequests = new Map<string, Promise<ReviewPair | null>>();
let watchingRefits = false;

export const createReviewSlice: StateCreator<Store, [], [], ReviewSlice> = (set, get) => {
  /** Queues a write; the shown state is already updated, the stored result is applied when it returns. */
  const enqueue = (write: () => Promise<void>) => {
    set((s) => ({ reviewPendingWrites: s.reviewPendingWrites + 1 }));
    writes = writes.then(write).catch((err: unknown) => {
      get().reportError('review', err);
      void resync();
    }).finally(() => set((s) => ({ reviewPendingWrites: s.reviewPendingWrites - 1 })));
  };

  /** Runs a call-and-store step: true when it worked; its error is shown (and a success clears the last one). */
  const attempt = async (work: () => Promise<void>): Promise<boolean> => {
    try {
      await work();
      get().clearError('review');
      return true;
    } catch (err) {
      get().reportError('review', err);
      return false;
    }
  };

  /** After a failed write, what is stored is shown again. */
  const resync = async () => {
    const session = get().reviewSession;
    if (!session) return;
    try {
      const fresh = await call('review.pair', { checkerId: session.checkerId, position: session.position });
      set((s) => ({
        reviewPairs: { ...s.reviewPairs, [fresh.position]: fresh },
        reviewVerdicts: { ...s.reviewVerdicts, [fresh.pair.id]: byKey(fresh.verdicts) },
      }));
    } catch {
      // The alert for the failed write is already shown.
    }
  };

  const applyWrite = (res: ReviewWriteResult) => {
    set((s) => {
      const verdicts = { ...s.reviewVerdicts };
      for (const c of res.changes) {
        // A pair not read yet (an undo can reach back to one) shows what is stored when it is read.
        if (!verdicts[c.pairId]) continue;
        const mine = { ...verdicts[c.pairId] };
        if (c.verdict) mine[c.itemKey] = c.verdict;
        else delete mine[c.itemKey];
        verdicts[c.pairId] = mine;
      }
      return {
        reviewVerdicts: verdicts,
        reviewSession: s.reviewSession && { ...s.reviewSession, decided: res.decided, canUndo: res.canUndo, canRedo: res.canRedo },
      };
    });
    get().clearError('review');
  };

  const persistCursor = () => {
    const session = get().reviewSession;
    if (!session) return;
    const pending = cursorToWrite !== null;
    cursorToWrite = { checkerId: session.checkerId, position: session.position, itemKey: session.itemKey };
    if (pending) return;
    enqueue(async () => {
      const cursor = cursorToWrite;
      cursorToWrite = null;
      if (cursor) await call('review.cursor', cursor);
    });
  };

  /** Where the cursor goes after the current item: the next item, or the first of the next pair. */
  const nextCursor = (): ReviewCursor | null => {
    const session = get().reviewSession;
    const here = currentReviewItem(get());
    if (!session || !here) return null;
    if (here.index >= 0 && here.index < here.pair.items.length - 1) return { position: session.position, itemKey: here.pair.items[here.index + 1].key };
    if (session.position < session.pairCount - 1) return { position: session.position + 1, itemKey: null };
    return { position: session.position, itemKey: here.item?.key ?? null };
  };

  const moveTo = (cursor: ReviewCursor, persist: boolean) => {
    set((s) => ({ reviewSession: s.reviewSession && { ...s.reviewSession, ...cursor }, reviewEditor: null, reviewHint: null }));
    void get().ensureReviewPair(cursor.position);
    if (persist) persistCursor();
  };

  return {
    reviewTab: 'rounds',
    reviewRounds: null,
    reviewRoundsStudyId: null,
    reviewRoundsLoading: false,
    reviewRoundId: null,
    reviewSession: null,
    reviewPairs: {},
    reviewVerdicts: {},
    reviewPendingWrites: 0,
    reviewEditor: null,
    reviewHint: null,
    reviewAgreement: null,
    reviewDisagreements: null,
    reviewAgreementLoading: false,
    reviewJudges: [],
    reviewRefits: null,
    reviewRefitProgress: {},
    reviewRefitDraft: { judge: 'human', group: 'Communication', scope: 'group', settings: PAPER_SETTINGS },
    reviewSelectedRefitId: null,

    setReviewTab: (tab) => set({ reviewTab: tab }),

    resetReviewForStudy: () => set({
      reviewRounds: null, reviewRoundsStudyId: null, reviewRoundId: null, reviewSession: null, reviewPairs: {}, reviewVerdicts: {},
      reviewAgreement: null, reviewDisagreements: null, reviewRefits: null, reviewEditor: null, reviewTab: 'rounds', reviewSelectedRefitId: null,
    }),

    async loadReviewRounds() {
      const studyId = get().selectedStudyId;
      if (studyId === null) return;
      set({ reviewRoundsLoading: true });
      await attempt(async () => {
        const [rounds, judges] = await Promise.all([call('review.rounds', { studyId }), call('judges.list', { studyId })]);
        if (get().selectedStudyId !== studyId) return;
        const keep = rounds.some((r) => r.id === get().reviewRoundId) ? get().reviewRoundId : rounds.at(-1)?.id ?? null;
        set((s) => ({
          reviewRounds: rounds, reviewRoundsStudyId: studyId, reviewRoundId: keep, reviewJudges: judges,
          reviewRefitDraft: judges.some((j) => j.name === s.reviewRefitDraft.judge) ? s.reviewRefitDraft : { ...s.reviewRefitDraft, judge: judges[0]?.name ?? '' },
        }));
      });
      set({ reviewRoundsLoading: false });
    },

    selectReviewRound(roundId) {
      if (roundId === get().reviewRoundId) return;
      set({ reviewRoundId: roundId, reviewAgreement: null, reviewDisagreements: null, reviewRefits: null, reviewSelectedRefitId: null });
    },

    async createReviewRound(form) {
      const studyId = get().selectedStudyId;
      if (studyId === null) return false;
      return attempt(async () => {
        const size = Number(form.size);
        const seed = Number(form.seed);
        if (!Number.isInteger(size)) throw new Error(`The number of pairs is a whole number, not "${form.size}".`);
        if (!Number.isInteger(seed)) throw new Error(`The seed is a whole number, not "${form.seed}".`);
        const checkers = form.checkers.split(',').map((c) => c.trim()).filter(Boolean);
        const round = await call('review.createRound', { studyId, name: form.name, size, strategy: form.strategy, seed, checkers, blind: form.blind });
        set((s) => ({ reviewRounds: [...(s.reviewRounds ?? []), round], reviewRoundId: round.id }));
      });
    },

    async deleteReviewRound(roundId) {
      await attempt(async () => {
        await call('review.deleteRound', { roundId });
        if (get().reviewSession?.roundId === roundId) get().closeReviewSession();
        set((s) => ({ reviewRoundId: s.reviewRoundId === roundId ? null : s.reviewRoundId }));
      });
      await get().loadReviewRounds();
    },

    addReviewChecker: (roundId, name, blind) => attempt(async () => {
      const round = await call('review.addChecker', { roundId, name, blind });
      set((s) => ({ reviewRounds: (s.reviewRounds ?? []).map((r) => (r.id === roundId ? round : r)) }));
    }),

    async openReviewSession(checkerId) {
      const round = get().reviewRounds?.find((r) => r.checkers.some((c) => c.id === checkerId));
      if (!round) return;
      // The stored place, not the one in a list loaded earlier.
      const fresh = (await call('review.rounds', { studyId: round.studyId }).catch((err: unknown) => {
        get().reportError('review', err);
        return null;
      }))?.find((r) => r.id === round.id);
      const checker = fresh?.checkers.find((c) => c.id === checkerId);
      if (!fresh || !checker) return;
      pairRequests.clear();
      set({
        reviewRoundId: fresh.id, reviewTab: 'review', reviewPairs: {}, reviewVerdicts: {}, reviewEditor: null, reviewHint: null,
        reviewSession: {
          roundId: fresh.id, checkerId, checker: checker.name, blind: checker.blind, pairCount: fresh.pairCount, total: fresh.itemCount,
          decided: checker.decided, canUndo: false, canRedo: false, position: Math.min(checker.position, fresh.pairCount - 1), itemKey: checker.itemKey,
        },
      });
      await get().ensureReviewPair(get().reviewSession!.position);
    },

    closeReviewSession() {
      set({ reviewSession: null, reviewPairs: {}, reviewVerdicts: {}, reviewEditor: null, reviewTab: 'rounds' });
      void get().loadReviewRounds();
    },

    ensureReviewPair(position) {
      const session = get().reviewSession;
      if (!session || position < 0 || position >= session.pairCount) return Promise.resolve(null);
      const have = get().reviewPairs[position];
      const neighbours = () => {
        // Two ahead: a checker approving quickly reaches the next pair before a single prefetch would land.
        for (const p of [position + 1, position + 2, position - 1]) if (p >= 0 && p < session.pairCount && !get().reviewPairs[p]) void get().ensureReviewPair(p);
      };
      if (have) {
        neighbours();
        return Promise.resolve(have);
      }
      const id = `${session.checkerId}#${position}`;
      const inflight = pairRequests.get(id);
      if (inflight) return inflight;
      const request = call('review.pair', { checkerId: session.checkerId, position })
        .then((pair) => {
          if (get().reviewSession?.checkerId !== session.checkerId) return null;
          set((s) => {
            const pairs: Record<number, ReviewPair> = { ...s.reviewPairs, [position]: pair };
            const at = s.reviewSession?.position ?? position;
            for (const k of Object.keys(pairs).map(Number)) if (Math.abs(k - at) > PAIR_WINDOW) delete pairs[k];
            // What this window wrote already is newer than the pair as it was read.
            const verdicts = s.reviewVerdicts[pair.pair.id] ? s.reviewVerdicts : { ...s.reviewVerdicts, [pair.pair.id]: byKey(pair.verdicts) };
            return { reviewPairs: pairs, reviewVerdicts: verdicts };
          });
          if (get().reviewSession?.position === position) neighbours();
          return pair;
        })
        .catch((err: unknown) => {
          get().reportError('review', err);
          return null;
        })
        .finally(() => pairRequests.delete(id));
      pairRequests.set(id, request);
      return request;
    },

    moveReviewItem(delta) {
      const session = get().reviewSession;
      const here = currentReviewItem(get());
      if (!session || !here) return;
      const index = here.index + delta;
      if (index >= 0 && index < here.pair.items.length) return moveTo({ position: session.position, itemKey: here.pair.items[index].key }, true);
      const position = session.position + delta;
      if (position < 0 || position >= session.pairCount) return;
      const target = get().reviewPairs[position];
      moveTo({ position, itemKey: delta < 0 && target ? target.items.at(-1)?.key ?? null : target?.items[0]?.key ?? null }, true);
    },

    moveReviewPair(delta) {
      const session = get().reviewSession;
      if (!session) return;
      const position = session.position + delta;
      if (position < 0 || position >= session.pairCount) return;
      moveTo({ position, itemKey: null }, true);
    },

    goToReviewItem: (position, itemKey) => moveTo({ position, itemKey }, true),

    decideReviewItem(verdict, correctedValue) {
      const session = get().reviewSession;
      const here = currentReviewItem(get());
      if (!session || !here?.item) return;
      const { pair, item } = here;
      const before = get().reviewVerdicts[pair.pair.id]?.[item.key];
      const next = verdict === null ? { position: session.position, itemKey: item.key } : nextCursor()!;
      set((s) => {
        const mine = { ...(s.reviewVerdicts[pair.pair.id] ?? {}) };
        if (verdict === null) delete mine[item.key];
        else mine[item.key] = { pairId: pair.pair.id, itemKey: item.key, verdict, correctedValue: correctedValue ?? null, comment: before?.comment ?? null, givenAt: new Date().toISOString() };
        return { reviewVerdicts: { ...s.reviewVerdicts, [pair.pair.id]: mine } };
      });
      moveTo(next, false);
      const checkerId = session.checkerId;
      enqueue(async () => applyWrite(await call('review.verdict', { checkerId, pairId: pair.pair.id, itemKey: item.key, verdict, correctedValue: correctedValue ?? null, cursor: next })));
    },

    commentReviewItem(comment) {
      const session = get().reviewSession;
      const here = currentReviewItem(get());
      if (!session || !here?.item) return;
      const v = get().reviewVerdicts[here.pair.pair.id]?.[here.item.key];
      set({ reviewEditor: null });
      if (!v) return get().setReviewHint('Give a verdict first, then comment on it.');
      const { checkerId } = session;
      const { pair, item } = here;
      enqueue(async () => applyWrite(await call('review.verdict', {
        checkerId, pairId: pair.pair.id, itemKey: item.key, verdict: v.verdict as Exclude<VerdictKind, 'add'>, correctedValue: v.correctedValue, comment,
      })));
    },

    addReviewMissedError(side, error) {
      const session = get().reviewSession;
      const here = currentReviewItem(get());
      if (!session || !here) return;
      set({ reviewEditor: null });
      const { checkerId } = session;
      const cursor = { position: session.position, itemKey: `complete:${side}` };
      moveTo(cursor, false);
      enqueue(async () => applyWrite(await call('review.addMissedError', { checkerId, pairId: here.pair.pair.id, side, error, cursor })));
    },

    approveReviewRest() {
      const session = get().reviewSession;
      const here = currentReviewItem(get());
      if (!session || !here) return;
      const next = session.position < session.pairCount - 1 ? { position: session.position + 1, itemKey: null } : { position: session.position, itemKey: here.item?.key ?? null };
      const { checkerId } = session;
      moveTo(next, false);
      enqueue(async () => applyWrite(await call('review.approveRest', { checkerId, pairId: here.pair.pair.id, cursor: next })));
    },

    undoReview(redo) {
      const session = get().reviewSession;
      if (!session) return;
      const { checkerId } = session;
      enqueue(async () => {
        const res = await call(redo ? 'review.redo' : 'review.undo', { checkerId });
        applyWrite(res);
        if (res.changes.length === 0) return get().setReviewHint(redo ? 'Nothing to redo.' : 'Nothing to undo.');
        // Back to where the change was: a missed error sits with its response's "no error missed" item.
        const key = res.changes[0].itemKey;
        const side = /^missed:([AB]):/.exec(key)?.[1];
        moveTo({ position: res.position ?? session.position, itemKey: side ? `complete:${side}` : key }, true);
      });
    },

    setReviewEditor: (editor) => set({ reviewEditor: editor, reviewHint: null }),
    setReviewHint: (hint) => set({ reviewHint: hint }),

    async loadReviewAgreement() {
      const roundId = get().reviewRoundId;
      if (roundId === null) return;
      set({ reviewAgreementLoading: true });
      await attempt(async () => {
        const [agreement, disagreements] = await Promise.all([call('review.agreement', { roundId }), call('review.disagreements', { roundId })]);
        if (get().reviewRoundId === roundId) set({ reviewAgreement: agreement, reviewDisagreements: disagreements });
      });
      set({ reviewAgreementLoading: false });
    },

    async adjudicateReview(d, verdict, correctedValue) {
      const roundId = get().reviewRoundId;
      if (roundId === null) return;
      await attempt(async () => {
        const settled = await call('review.adjudicate', { roundId, pairId: d.pairId, itemKey: d.item.key, verdict, correctedValue: correctedValue ?? null });
        set((s) => ({
          reviewDisagreements: (s.reviewDisagreements ?? []).map((x) => (x.pairId === d.pairId && x.item.key === d.item.key ? settled : x)),
          reviewAgreement: s.reviewAgreement && {
            ...s.reviewAgreement,
            settled: (s.reviewDisagreements ?? []).filter((x) => (x.pairId === d.pairId && x.item.key === d.item.key ? settled.adjudication : x.adjudication)).length,
          },
        }));
      });
    },

    async loadReviewRefits() {
      const roundId = get().reviewRoundId;
      if (roundId === null) return;
      if (!watchingRefits) {
        watchingRefits = true;
        transport.on('job.progress', (p) => {
          if (p.kind !== 'refit') return;
          set((s) => ({ reviewRefitProgress: { ...s.reviewRefitProgress, [p.jobId]: p } }));
          if (p.state !== 'running') void get().loadReviewRefits();
        });
      }
      await attempt(async () => {
        const refits = await call('review.refits', { roundId });
        if (get().reviewRoundId !== roundId) return;
        set((s) => ({ reviewRefits: refits, reviewSelectedRefitId: refits.some((r) => r.id === s.reviewSelectedRefitId) ? s.reviewSelectedRefitId : refits[0]?.id ?? null }));
      });
    },

    setReviewRefitDraft: (patch) => set((s) => ({ reviewRefitDraft: { ...s.reviewRefitDraft, ...patch } })),

    async startReviewRefit() {
      const roundId = get().reviewRoundId;
      const draft = get().reviewRefitDraft;
      if (roundId === null) return;
      await attempt(async () => {
        const refit = await call('review.refit', { roundId, judge: draft.judge, group: draft.group, scope: draft.scope, settings: parseSettings(draft.settings) });
        set((s) => ({ reviewRefits: [refit, ...(s.reviewRefits ?? [])], reviewSelectedRefitId: refit.id }));
      });
    },

    selectReviewRefit: (refitId) => set({ reviewSelectedRefitId: refitId }),
  };
};

function byKey(verdicts: Verdict[]): Record<string, Verdict> {
  return Object.fromEntries(verdicts.map((v) => [v.itemKey, v]));
}
