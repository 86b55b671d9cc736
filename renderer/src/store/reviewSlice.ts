// The Review view: the rounds of the current study, the review session of one checker (the pairs of the round
// around the cursor, the checker's verdicts, the editor open on an item), Table 12 agreement with the
// disagreements to settle, and refits with the corrections.
//
// A verdict shows at once and is sent at once, but it is shown as waiting until the service has stored it: every
// write joins one queue (`reviewQueue`) and leaves it, in order, only when its answer comes back, so an undo never
// overtakes the verdict it takes back. `reviewVerdicts` holds what is stored; what is shown is that with the queue
// on top. A write the server could not take (stopped, restarted, busy) stays at the head of the queue and is
// retried; the queue is kept in this browser (localStorage, per data folder), so a reloaded page, or the page of a
// restarted server on the same address, sends it. A write the service refuses for a reason a retry cannot fix
// (a value it does not accept, an item that changed) is given back: it leaves the queue and its item says why.
// Every try of one write carries the write's id, so one the server stored before its answer was lost is answered
// again by the service, not applied twice.
import type { StateCreator } from 'zustand';
import type {
  AgreementReport, DetectedError, Disagreement, InformativeDesign, JobProgress, Judge, RefitRecord, RefitScope, Req, ReviewCursor, ReviewItem, ReviewPair,
  ReturnRecord, ReviewRound, ReviewSearchHit, ReviewSearchKind, ReviewStrategy, ReviewWriteResult, RoundPairView, Side, Verdict, VerdictChange, VerdictKind,
} from '../../../preload/contract';
import { call, transport } from '../api';
import { parseSettings, PAPER_SETTINGS, type SettingsDraft } from './dissectSlice';
import { errorMessage } from './shellSlice';
import { download } from '../lib/chart-export';
import type { Store } from './store';

export type ReviewTab = 'rounds' | 'review' | 'agreement' | 'refit' | 'corrected';

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

/** One of the review's writes, as sent (JSON, so that it can be kept in the browser until it is stored). */
export type ReviewWrite =
  | { channel: 'review.verdict'; req: Req<'review.verdict'> }
  | { channel: 'review.addMissedError'; req: Req<'review.addMissedError'> }
  | { channel: 'review.approveRest'; req: Req<'review.approveRest'> }
  | { channel: 'review.undo' | 'review.redo'; req: Req<'review.undo'> }
  | { channel: 'review.cursor'; req: Req<'review.cursor'> };

/** A write the checker made that the service has not stored yet. */
export interface QueuedWrite {
  /** Unique (a random page id in it) and increasing with the time it was made (it orders queues kept by other
   *  pages); sent as the write id of every try of this write. */
  id: string;
  write: ReviewWrite;
  /** What the checker sees meanwhile; undo and redo show nothing until they come back. */
  shows: VerdictChange[];
  /** The write in users' words, for when it is refused ("the rejection of “friendly” (response A), pair 2"). */
  what: string;
  /** Where to take the checker back to when it is refused. */
  at: ReviewCursor | null;
}

/** The new-round form as typed; `perPair` empty: every checker reviews every pair. */
export interface NewRound {
  name: string; size: string; strategy: ReviewStrategy; seed: string; checkers: string; blind: boolean; design: InformativeDesign;
  perPair: string; notes: string; includeSimulated: boolean;
}

export interface ReviewSlice {
  reviewTab: ReviewTab;
  reviewRounds: ReviewRound[] | null;
  reviewRoundsStudyId: number | null;
  reviewRoundsLoading: boolean;
  reviewRoundId: number | null;
  reviewSession: ReviewSession | null;
  /** The session's pairs by round position, as loaded. */
  reviewPairs: Record<number, ReviewPair>;
  /** The checker's verdicts by pair id and item key, as stored (shown with `reviewQueue` on top). */
  reviewVerdicts: Record<number, Record<string, Verdict>>;
  /** Writes not stored yet, oldest first; the first one is being sent (or waits to be sent again). */
  reviewQueue: QueuedWrite[];
  /** Why the first write waits: the server did not answer, or did not take it; null while writes go through. */
  reviewStalled: { code: string; message: string } | null;
  /** The last write given back to the checker, on its item. */
  reviewRefused: { checkerId: number; pairId: number; itemKey: string; message: string } | null;
  reviewEditor: ReviewEditor | null;
  /** A one-line hint under the item list (e.g. why a key did nothing). */
  reviewHint: string | null;
  reviewAgreement: AgreementReport | null;
  reviewDisagreements: Disagreement[] | null;
  reviewAgreementLoading: boolean;
  /** A pair opened from a disagreement: read-only, every checker's verdicts, nobody's place moved. */
  reviewOpened: { view: RoundPairView; itemKey: string } | null;
  /** The disagreement the adjudication keys act on (index in the list). */
  reviewFocus: number;
  /** Disagreements chosen for a bulk settlement, by "pairId|itemKey". */
  reviewSelected: Record<string, true>;
  /** The search inside the round on the review screen (open while shown). */
  reviewSearch: { kind: ReviewSearchKind; text: string; hits: ReviewSearchHit[] | null; total: number } | null;
  reviewJudges: Judge[];
  reviewRefits: RefitRecord[] | null;
  reviewRefitProgress: Record<string, JobProgress>;
  reviewRefitDraft: { judge: string; group: string; scope: RefitScope; settings: SettingsDraft };
  reviewSelectedRefitId: number | null;
  /** Checkers' returns merged into the rounds, by round id. */
  reviewReturns: Record<number, ReturnRecord[]>;
  /** What the last package action did, in a sentence. */
  reviewTeamNotice: string | null;

  setReviewTab(tab: ReviewTab): void;
  resetReviewForStudy(): void;
  loadReviewRounds(): Promise<void>;
  selectReviewRound(roundId: number | null): void;
  createReviewRound(form: NewRound): Promise<boolean>;
  deleteReviewRound(roundId: number): Promise<void>;
  addReviewChecker(roundId: number, name: string, blind: boolean): Promise<boolean>;
  setReviewNotes(roundId: number, notes: string): Promise<boolean>;
  /** Saves a checker's package (or, in a round opened from one, their return) as a file. */
  saveReviewFile(checkerId: number, kind: 'package' | 'return'): Promise<void>;
  /** Says a checker's own link (served with --host), or how to get one. */
  showReviewLink(checkerId: number, name: string): Promise<void>;
  /** Opens a package in this app and starts reviewing it. */
  openReviewPackage(file: File): Promise<void>;
  mergeReviewReturn(file: File): Promise<void>;
  loadReviewReturns(roundId: number): Promise<void>;
  settleReviewReturn(record: ReturnRecord, keep: 'return' | 'current'): Promise<void>;
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
  openRoundPair(position: number, itemKey: string): Promise<void>;
  toggleReviewSelected(which: string | 'all-open' | 'none'): void;
  settleReviewMany(asChecker: string | null): Promise<void>;
  setReviewSearch(search: { kind: ReviewSearchKind; text: string } | null): void;
  runReviewSearch(): Promise<void>;
  /** Goes to the checker's next undecided item, or the next item another checker answered differently. */
  jumpReview(kind: 'undecided' | 'disagreement'): Promise<void>;
  closeRoundPair(): void;
  setReviewFocus(index: number): void;
  loadReviewRefits(): Promise<void>;
  setReviewRefitDraft(patch: Partial<ReviewSlice['reviewRefitDraft']>): void;
  startReviewRefit(): Promise<void>;
  selectReviewRefit(refitId: number | null): void;
}

declare module './store' {
  interface Store extends ReviewSlice {}
}

/** A pair's verdicts as shown: the stored ones with the checker's writes not stored yet on top, and the items
 *  those writes touch (they show as waiting). */
export function overlayVerdicts(stored: Record<string, Verdict> | undefined, queue: QueuedWrite[], checkerId: number, pairId: number): {
  verdicts: Record<string, Verdict>; waiting: Set<string>;
} {
  const waiting = new Set<string>();
  let verdicts = stored ?? {};
  for (const q of queue) {
    if (q.write.req.checkerId !== checkerId) continue;
    for (const c of q.shows) {
      if (c.pairId !== pairId) continue;
      if (verdicts === stored) verdicts = { ...stored };
      if (c.verdict) verdicts[c.itemKey] = c.verdict;
      else delete verdicts[c.itemKey];
      waiting.add(c.itemKey);
    }
  }
  return { verdicts, waiting };
}

type Shown = Pick<Store, 'reviewSession' | 'reviewPairs' | 'reviewVerdicts' | 'reviewQueue'>;

const shownVerdicts = (s: Shown, pairId: number) => overlayVerdicts(s.reviewVerdicts[pairId], s.reviewQueue, s.reviewSession?.checkerId ?? -1, pairId).verdicts;

/** The writes that count as the checker's work (not the place they moved to). */
export const unsavedWork = (queue: QueuedWrite[]) => queue.filter((q) => q.write.channel !== 'review.cursor').length;

/** The pair and item under the cursor (derived). */
export function currentReviewItem(s: Shown): { pair: ReviewPair; item: ReviewItem | null; index: number } | null {
  const session = s.reviewSession;
  const pair = session ? s.reviewPairs[session.position] : undefined;
  if (!session || !pair) return null;
  const mine = shownVerdicts(s, pair.pair.id);
  const index = session.itemKey === null
    ? Math.max(0, pair.items.findIndex((i) => !mine[i.key]))
    : Math.max(0, pair.items.findIndex((i) => i.key === session.itemKey));
  return { pair, item: pair.items[index] ?? null, index };
}

/** Pairs kept around the cursor: a long round does not keep every pair it has shown. */
const PAIR_WINDOW = 6;

/** Codes of refusals a retry cannot fix: the write is given back. Anything else (the server did not answer, the
 *  page's session ended with a restart, the database was busy, an internal error) is kept and tried again. */
const REFUSED = new Set(['INVALID', 'NOT_FOUND', 'BAD_REQUEST', 'TOO_LARGE', 'UNKNOWN_CHANNEL']);
const RETRY_FIRST_MS = 500;
const RETRY_MAX_MS = 4000;
const KEPT_PREFIX = 'preference-studio-unsaved-review:';
/** This page's own entry among the queues kept in the browser (a reloaded page is a new one and takes the old one's). */
const PAGE_ID = Array.from(crypto.getRandomValues(new Uint8Array(16)), (b) => b.toString(16).padStart(2, '0')).join('');

let pumping = false;
let retryTimer: ReturnType<typeof setTimeout> | undefined;
let retryDelay = RETRY_FIRST_MS;
let writeCount = 0;
/** Counts the writes stored: a pair read while one was stored may miss it, and is read again. */
let storedCount = 0;
const pairRequests = new Map<string, Promise<ReviewPair | null>>();
let watchingRefits = false;
let watchingChanges = false;
/** An agreement load running, and whether verdicts arrived meanwhile (it is loaded once more after it). */
let agreementLoad: Promise<void> | null = null;
let agreementStale = false;

const newWriteId = () => `${Date.now().toString().padStart(15, '0')}-${PAGE_ID}-${String(writeCount++).padStart(6, '0')}`;
const keptKey = (dataDir: string) => `${KEPT_PREFIX}${dataDir}:`;

function send({ id: writeId, write: w }: QueuedWrite): Promise<ReviewWriteResult | null> {
  switch (w.channel) {
    case 'review.verdict': return call(w.channel, { ...w.req, writeId });
    case 'review.addMissedError': return call(w.channel, { ...w.req, writeId });
    case 'review.approveRest': return call(w.channel, { ...w.req, writeId });
    case 'review.undo': case 'review.redo': return call(w.channel, { ...w.req, writeId });
    case 'review.cursor': return call(w.channel, w.req).then(() => null);
  }
}

const VERDICT_NOUN: Record<Exclude<VerdictKind, 'add'>, string> = { approve: 'approval', reject: 'rejection', correct: 'correction' };
const describeItem = (item: ReviewItem, position: number) => `“${item.title}”, pair ${position + 1}`;

export const createReviewSlice: StateCreator<Store, [], [], ReviewSlice> = (set, get, api) => {
  /** Keeps the queue in the browser until it is stored (nothing to keep: the entry goes). */
  const keep = () => {
    const dataDir = get().appInfo?.dataDir;
    if (!dataDir) return;
    const key = keptKey(dataDir) + PAGE_ID;
    const queue = get().reviewQueue;
    try {
      if (queue.length === 0) localStorage.removeItem(key);
      else localStorage.setItem(key, JSON.stringify(queue));
    } catch (err) {
      get().reportError('review', new Error(`Unsaved verdicts could not be kept in this browser (${errorMessage(err).message}).`));
    }
  };

  /** Takes over the queues earlier pages of this data folder kept (a reload, or the page of a stopped server). */
  const takeOverKept = (dataDir: string) => {
    const prefix = keptKey(dataDir);
    const taken: QueuedWrite[] = [];
    for (const key of Object.keys(localStorage)) {
      if (!key.startsWith(prefix) || key === prefix + PAGE_ID) continue;
      try {
        taken.push(...(JSON.parse(localStorage.getItem(key) ?? '[]') as QueuedWrite[]));
      } catch {
        get().reportError('review', new Error('Unsaved verdicts an earlier page kept in this browser could not be read; they are lost.'));
      }
      localStorage.removeItem(key);
    }
    taken.sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
    if (taken.length > 0) set((s) => ({ reviewQueue: [...taken, ...s.reviewQueue] }));
    // Also what this page queued before it knew the folder.
    keep();
    void pump();
  };

  /** Puts a write in the queue (what it shows is shown from now on) and sends the queue. */
  const enqueue = (write: ReviewWrite, shows: VerdictChange[] = [], what = '', at: ReviewCursor | null = null) => {
    set((s) => {
      const last = s.reviewQueue.at(-1);
      // A move replaces the move still waiting behind others: only the last place matters.
      const replace = write.channel === 'review.cursor' && last?.write.channel === 'review.cursor' && (s.reviewQueue.length > 1 || !pumping);
      const queue = replace ? s.reviewQueue.slice(0, -1) : s.reviewQueue;
      return { reviewQueue: [...queue, { id: newWriteId(), write, shows, what, at }] };
    });
    keep();
    void pump();
  };

  /** Sends the queue, oldest first, until it is empty, the server does not take a write (retried later) or
   *  refuses one (given back, and the rest goes on). */
  const pump = async () => {
    if (pumping) return;
    pumping = true;
    clearTimeout(retryTimer);
    try {
      for (let head = get().reviewQueue[0]; head; head = get().reviewQueue[0]) {
        let res: ReviewWriteResult | null;
        try {
          res = await send(head);
        } catch (err) {
          const { code, message } = errorMessage(err);
          if (!REFUSED.has(code)) {
            set({ reviewStalled: { code, message } });
            retryTimer = setTimeout(() => void pump(), retryDelay);
            retryDelay = Math.min(retryDelay * 2, RETRY_MAX_MS);
            return;
          }
          giveBack(head, message);
          continue;
        }
        stored(head, res);
      }
      retryDelay = RETRY_FIRST_MS;
      if (get().reviewStalled) {
        set({ reviewStalled: null });
        // A pair that could not be read while the server was away is read now.
        const session = get().reviewSession;
        if (session) void get().ensureReviewPair(session.position);
      }
    } finally {
      pumping = false;
    }
  };

  /** The head write was stored: it leaves the queue and what the service stored replaces what it showed. */
  const stored = (head: QueuedWrite, res: ReviewWriteResult | null) => {
    const mine = get().reviewSession?.checkerId === head.write.req.checkerId;
    if (res && res.changes.length > 0) storedCount++;
    set((s) => {
      const queue = s.reviewQueue.filter((q) => q.id !== head.id);
      if (!res || !mine) return { reviewQueue: queue, reviewStalled: null };
      const verdicts = { ...s.reviewVerdicts };
      for (const c of res.changes) {
        // A pair not read yet (an undo can reach back to one) shows what is stored when it is read.
        if (!verdicts[c.pairId]) continue;
        const pair = { ...verdicts[c.pairId] };
        if (c.verdict) pair[c.itemKey] = c.verdict;
        else delete pair[c.itemKey];
        verdicts[c.pairId] = pair;
      }
      return {
        reviewQueue: queue, reviewStalled: null, reviewVerdicts: verdicts,
        reviewSession: s.reviewSession && { ...s.reviewSession, decided: res.decided, canUndo: res.canUndo, canRedo: res.canRedo },
      };
    });
    keep();
    if (!res || !mine || (head.write.channel !== 'review.undo' && head.write.channel !== 'review.redo')) return;
    const redo = head.write.channel === 'review.redo';
    if (res.changes.length === 0) return get().setReviewHint(redo ? 'Nothing to redo.' : 'Nothing to undo.');
    // Back to where the change was: a missed error sits with its response's "no error missed" item.
    const key = res.changes[0].itemKey;
    const side = /^missed:([AB]):/.exec(key)?.[1];
    moveTo({ position: res.position ?? get().reviewSession!.position, itemKey: side ? `complete:${side}` : key }, true);
  };

  /** The service refused the head write for a reason a retry cannot fix: it leaves the queue (with the undo that
   *  was to take it back, which would now take back something else), its item shows as stored again and says
   *  why, and the checker is taken back to it. */
  const giveBack = (head: QueuedWrite, message: string) => {
    const queue = get().reviewQueue.filter((q) => q.id !== head.id);
    let undoOfIt: QueuedWrite | undefined;
    for (let i = 0, depth = 0; i < queue.length && head.shows.length > 0; i++) {
      const ch = queue[i].write.channel;
      if (ch === 'review.cursor' || queue[i].write.req.checkerId !== head.write.req.checkerId) continue;
      if (ch !== 'review.undo') depth++;
      else if (depth-- === 0) {
        undoOfIt = queue[i];
        break;
      }
    }
    const said = `The ${head.what || 'change'} was not saved: ${message}${undoOfIt ? ' The undo of it was not sent either.' : ''} It is shown as it was; give it again.`;
    const first = head.shows[0];
    set({
      reviewQueue: queue.filter((q) => q !== undoOfIt),
      reviewRefused: first ? { checkerId: head.write.req.checkerId, pairId: first.pairId, itemKey: first.itemKey, message: said } : null,
    });
    keep();
    get().reportError('review', new Error(said));
    const session = get().reviewSession;
    if (session?.checkerId === head.write.req.checkerId && head.at) moveTo(head.at, true);
  };

  // Writes an earlier page of this data folder could not store are sent once this page knows the folder; a later
  // page that takes this page's writes over sends them instead.
  api.subscribe((s, prev) => {
    if (s.appInfo && s.appInfo.dataDir !== prev.appInfo?.dataDir) takeOverKept(s.appInfo.dataDir);
  });
  window.addEventListener('storage', (e) => {
    const dataDir = get().appInfo?.dataDir;
    if (!dataDir || e.key !== keptKey(dataDir) + PAGE_ID || e.newValue !== null || !e.oldValue) return;
    // Only what the other page read: a write made here since stays here (and is kept again).
    const taken = new Set((JSON.parse(e.oldValue) as QueuedWrite[]).map((q) => q.id));
    set((s) => ({ reviewQueue: s.reviewQueue.filter((q) => !taken.has(q.id)) }));
    if (get().reviewQueue.length === 0) set({ reviewStalled: null });
    keep();
    get().reportError('review', new Error(`Another page of Preference Studio took over ${taken.size === 1 ? 'a write' : `${taken.size} writes`} this page had not saved, and sends them.`));
  });

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

  const persistCursor = () => {
    const session = get().reviewSession;
    if (session) enqueue({ channel: 'review.cursor', req: { checkerId: session.checkerId, position: session.position, itemKey: session.itemKey } }, [], 'place in the round');
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

  const clearRefused = (pairId: number, itemKey: string) => {
    const r = get().reviewRefused;
    if (r && r.pairId === pairId && r.itemKey === itemKey) set({ reviewRefused: null });
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
    reviewReturns: {},
    reviewTeamNotice: null,
    reviewRoundId: null,
    reviewSession: null,
    reviewPairs: {},
    reviewVerdicts: {},
    reviewQueue: [],
    reviewStalled: null,
    reviewRefused: null,
    reviewEditor: null,
    reviewHint: null,
    reviewAgreement: null,
    reviewDisagreements: null,
    reviewAgreementLoading: false,
    reviewOpened: null,
    reviewFocus: 0,
    reviewSelected: {},
    reviewSearch: null,
    reviewJudges: [],
    reviewRefits: null,
    reviewRefitProgress: {},
    reviewRefitDraft: { judge: 'human', group: 'Communication', scope: 'group', settings: PAPER_SETTINGS },
    reviewSelectedRefitId: null,

    setReviewTab: (tab) => set({ reviewTab: tab }),

    resetReviewForStudy: () => set({
      reviewRounds: null, reviewRoundsStudyId: null, reviewRoundId: null, reviewSession: null, reviewPairs: {}, reviewVerdicts: {},
      reviewAgreement: null, reviewDisagreements: null, reviewRefits: null, reviewEditor: null, reviewTab: 'rounds', reviewSelectedRefitId: null,
      reviewOpened: null, reviewFocus: 0, reviewSelected: {}, reviewSearch: null,
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
      set({ reviewRoundId: roundId, reviewAgreement: null, reviewDisagreements: null, reviewRefits: null, reviewSelectedRefitId: null, reviewOpened: null, reviewFocus: 0, reviewSelected: {} });
    },

    async createReviewRound(form) {
      const studyId = get().selectedStudyId;
      if (studyId === null) return false;
      return attempt(async () => {
        const size = Number(form.size);
        const seed = Number(form.seed);
        if (!Number.isInteger(size)) throw new Error(`The number of pairs is a whole number, not "${form.size}".`);
        if (!Number.isInteger(seed)) throw new Error(`The seed is a whole number, not "${form.seed}".`);
        const perPair = form.perPair.trim() === '' ? null : Number(form.perPair);
        if (perPair !== null && !Number.isInteger(perPair)) throw new Error(`The number of checkers per pair is a whole number, not "${form.perPair}".`);
        const checkers = form.checkers.split(',').map((c) => c.trim()).filter(Boolean);
        const round = await call('review.createRound', {
          studyId, name: form.name, size, strategy: form.strategy, seed, checkers, blind: form.blind, perPair, notes: form.notes,
          includeSimulated: form.includeSimulated, design: form.strategy === 'informative' ? form.design : undefined,
        });
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

    setReviewNotes: (roundId, notes) => attempt(async () => {
      const round = await call('review.setNotes', { roundId, notes });
      set((s) => ({ reviewRounds: (s.reviewRounds ?? []).map((r) => (r.id === roundId ? round : r)) }));
    }),

    saveReviewFile: (checkerId, kind) => attempt(async () => {
      const file = await call(kind === 'package' ? 'review.makePackage' : 'review.makeReturn', { checkerId });
      download(file.fileName, file.content, file.mime);
      set({ reviewTeamNotice: `Saved ${file.fileName}.` });
    }).then(() => undefined),

    showReviewLink: (checkerId, name) => attempt(async () => {
      const { url } = await call('review.checkerLink', { checkerId });
      set({
        reviewTeamNotice: url ? `${name}'s own link (it reaches ${name}'s pairs only; plain HTTP, so on a network you trust): ${url}`
          : `Checkers get links of their own when the app is served on your network: preference-studio serve --host ADDRESS (this machine's address).`,
      });
    }).then(() => undefined),

    openReviewPackage: (file) => attempt(async () => {
      const opened = await call('review.openPackage', { content: await file.text(), fileName: file.name });
      await get().loadStudies();
      get().selectStudy(opened.round.studyId);
      set({ reviewTeamNotice: `Opened round “${opened.round.name}” for ${opened.round.checkers[0].name}: ${opened.round.pairCount} pairs to review.` });
      await get().loadReviewRounds();
      await get().openReviewSession(opened.checkerId);
    }).then(() => undefined),

    mergeReviewReturn: (file) => attempt(async () => {
      const { record: r, alreadyMerged } = await call('review.mergeReturn', { content: await file.text() });
      const stale = r.stale.reduce((t, p) => t + p.verdicts, 0);
      set({
        reviewTeamNotice: alreadyMerged ? `This return of ${r.checker} was merged before; nothing changed.`
          : r.status === 'conflict' ? `${r.checker}'s return disagrees with ${r.conflicts} verdict${r.conflicts === 1 ? '' : 's'} already in the round: settle it below.`
            : `Merged ${r.checker}'s return: ${r.applied} of ${r.verdicts} verdicts changed the round${stale ? `; ${stale} flagged, not applied (their annotation changed since the package was made)` : ''}.`,
      });
      await get().loadReviewReturns(r.roundId);
      await get().loadReviewRounds();
    }).then(() => undefined),

    loadReviewReturns: (roundId) => attempt(async () => {
      const records = await call('review.returns', { roundId });
      set((s) => ({ reviewReturns: { ...s.reviewReturns, [roundId]: records } }));
    }).then(() => undefined),

    settleReviewReturn: (record, keep) => attempt(async () => {
      await call('review.settleReturn', { returnId: record.id, keep });
      await get().loadReviewReturns(record.roundId);
      await get().loadReviewRounds();
    }).then(() => undefined),

    async openReviewSession(checkerId) {
      // The stored place, not the one in a list loaded earlier (and all a checker's own link may read).
      const fresh = await call('review.checkerRound', { checkerId }).catch((err: unknown) => {
        get().reportError('review', err);
        return null;
      });
      const checker = fresh?.checkers.find((c) => c.id === checkerId);
      if (!fresh || !checker) return;
      if (!get().reviewRounds?.some((r) => r.id === fresh.id)) set({ reviewRounds: [fresh] });
      pairRequests.clear();
      set({
        reviewRoundId: fresh.id, reviewTab: 'review', reviewPairs: {}, reviewVerdicts: {}, reviewEditor: null, reviewHint: null,
        reviewSession: {
          roundId: fresh.id, checkerId, checker: checker.name, blind: checker.blind, pairCount: checker.pairs, total: checker.total,
          decided: checker.decided, canUndo: false, canRedo: false, position: Math.min(checker.position, checker.pairs - 1), itemKey: checker.itemKey,
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
      const storedBefore = storedCount;
      const request: Promise<ReviewPair | null> = call('review.pair', { checkerId: session.checkerId, position })
        .then((pair) => {
          if (get().reviewSession?.checkerId !== session.checkerId) return null;
          if (storedCount !== storedBefore && !get().reviewVerdicts[pair.pair.id]) {
            pairRequests.delete(id);
            return get().ensureReviewPair(position);
          }
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
        .finally(() => {
          if (pairRequests.get(id) === request) pairRequests.delete(id);
        });
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
      const pairId = pair.pair.id;
      const before = shownVerdicts(get(), pairId)[item.key];
      const next = verdict === null ? { position: session.position, itemKey: item.key } : nextCursor()!;
      const shown: Verdict | null = verdict === null ? null
        : { pairId, itemKey: item.key, verdict, correctedValue: correctedValue ?? null, comment: before?.comment ?? null, givenAt: new Date().toISOString() };
      moveTo(next, false);
      clearRefused(pairId, item.key);
      enqueue(
        { channel: 'review.verdict', req: { checkerId: session.checkerId, pairId, itemKey: item.key, verdict, correctedValue: correctedValue ?? null, cursor: next } },
        [{ pairId, itemKey: item.key, verdict: shown }],
        `${verdict === null ? 'taking back of the verdict on' : VERDICT_NOUN[verdict] + ' of'} ${describeItem(item, session.position)}`,
        { position: session.position, itemKey: item.key },
      );
    },

    commentReviewItem(comment) {
      const session = get().reviewSession;
      const here = currentReviewItem(get());
      if (!session || !here?.item) return;
      const { pair, item } = here;
      const v = shownVerdicts(get(), pair.pair.id)[item.key];
      set({ reviewEditor: null });
      if (!v) return get().setReviewHint('Give a verdict first, then comment on it.');
      enqueue(
        {
          channel: 'review.verdict',
          req: { checkerId: session.checkerId, pairId: pair.pair.id, itemKey: item.key, verdict: v.verdict as Exclude<VerdictKind, 'add'>, correctedValue: v.correctedValue, comment },
        },
        [{ pairId: pair.pair.id, itemKey: item.key, verdict: { ...v, comment: comment.trim() || null } }],
        `comment on ${describeItem(item, session.position)}`,
        { position: session.position, itemKey: item.key },
      );
    },

    addReviewMissedError(side, error) {
      const session = get().reviewSession;
      const here = currentReviewItem(get());
      if (!session || !here) return;
      set({ reviewEditor: null });
      const pairId = here.pair.pair.id;
      const mine = shownVerdicts(get(), pairId);
      // The cursor stays where it was: adding a missed error is not a reason to lose one's place.
      const cursor = { position: session.position, itemKey: here.item?.key ?? null };
      // Numbered as the service numbers it, after the missed errors it will have stored by then.
      const n = 1 + Math.max(0, ...Object.keys(mine).filter((k) => k.startsWith(`missed:${side}:`)).map((k) => Number(k.split(':')[2])));
      const givenAt = new Date().toISOString();
      moveTo(cursor, false);
      enqueue(
        { channel: 'review.addMissedError', req: { checkerId: session.checkerId, pairId, side, error, cursor } },
        [
          { pairId, itemKey: `missed:${side}:${n}`, verdict: { pairId, itemKey: `missed:${side}:${n}`, verdict: 'add', correctedValue: JSON.stringify(error), comment: null, givenAt } },
          { pairId, itemKey: `complete:${side}`, verdict: { pairId, itemKey: `complete:${side}`, verdict: 'reject', correctedValue: null, comment: mine[`complete:${side}`]?.comment ?? null, givenAt } },
        ],
        `missed error added to response ${side}, pair ${session.position + 1}`,
        cursor,
      );
    },

    approveReviewRest() {
      const session = get().reviewSession;
      const here = currentReviewItem(get());
      if (!session || !here) return;
      const pairId = here.pair.pair.id;
      const mine = shownVerdicts(get(), pairId);
      const next = session.position < session.pairCount - 1 ? { position: session.position + 1, itemKey: null } : { position: session.position, itemKey: here.item?.key ?? null };
      const givenAt = new Date().toISOString();
      // The items the service approves: those not decided, except "no error missed" of a response with missed errors.
      // From the cursor on only: items skipped above it were left to come back to.
      const hasMissed = (side: Side | null) => Object.keys(mine).some((k) => k.startsWith(`missed:${side}:`));
      const open = here.pair.items.slice(here.index).filter((i) => !mine[i.key] && !(i.valueKind === 'complete' && hasMissed(i.side)));
      const fromItemKey = here.item?.key ?? null;
      moveTo(next, false);
      enqueue(
        { channel: 'review.approveRest', req: { checkerId: session.checkerId, pairId, fromItemKey, cursor: next } },
        open.map((i) => ({ pairId, itemKey: i.key, verdict: { pairId, itemKey: i.key, verdict: 'approve', correctedValue: null, comment: null, givenAt } })),
        `approval of the rest of pair ${session.position + 1}`,
        { position: session.position, itemKey: fromItemKey },
      );
    },

    undoReview(redo) {
      const session = get().reviewSession;
      if (!session) return;
      // The history is the service's: an undo goes in the queue after the writes before it and shows when it returns.
      enqueue({ channel: redo ? 'review.redo' : 'review.undo', req: { checkerId: session.checkerId } }, [], redo ? 'redo' : 'undo');
      if (get().reviewStalled) get().setReviewHint(`The ${redo ? 'redo' : 'undo'} is applied when the server answers, after the verdicts given before it.`);
    },

    setReviewEditor: (editor) => set({ reviewEditor: editor, reviewHint: null }),
    setReviewHint: (hint) => set({ reviewHint: hint }),

    async loadReviewAgreement() {
      const roundId = get().reviewRoundId;
      if (roundId === null) return;
      if (!watchingChanges) {
        watchingChanges = true;
        // Verdicts arriving (from this window, another checker's page or a merged return) refresh the agreement on
        // screen; a burst of them costs one load more, not one each.
        transport.on('review.changed', (e) => {
          if (e.roundId !== get().reviewRoundId || get().reviewTab !== 'agreement') return;
          if (agreementLoad) agreementStale = true;
          else void get().loadReviewAgreement();
        });
      }
      set({ reviewAgreementLoading: true });
      agreementLoad = attempt(async () => {
        const [agreement, disagreements] = await Promise.all([call('review.agreement', { roundId }), call('review.disagreements', { roundId })]);
        if (get().reviewRoundId === roundId) set({ reviewAgreement: agreement, reviewDisagreements: disagreements });
      }).then(() => undefined);
      await agreementLoad;
      agreementLoad = null;
      set({ reviewAgreementLoading: false });
      if (agreementStale) {
        agreementStale = false;
        await get().loadReviewAgreement();
      }
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

    // Read-only: no checker's session or place is touched (review.roundPair writes nothing).
    openRoundPair: (position, itemKey) => attempt(async () => {
      const roundId = get().reviewRoundId;
      if (roundId === null) return;
      const view = await call('review.roundPair', { roundId, position });
      if (get().reviewRoundId === roundId) set({ reviewOpened: { view, itemKey } });
    }).then(() => undefined),

    closeRoundPair: () => set({ reviewOpened: null }),

    toggleReviewSelected(which) {
      if (which === 'none') return set({ reviewSelected: {} });
      if (which === 'all-open') {
        const open = (get().reviewDisagreements ?? []).filter((d) => !d.adjudication);
        return set({ reviewSelected: Object.fromEntries(open.map((d) => [`${d.pairId}|${d.item.key}`, true as const])) });
      }
      set((s) => {
        const selected = { ...s.reviewSelected };
        if (selected[which]) delete selected[which];
        else selected[which] = true;
        return { reviewSelected: selected };
      });
    },

    async settleReviewMany(asChecker) {
      const roundId = get().reviewRoundId;
      const items = Object.keys(get().reviewSelected).map((k) => {
        const bar = k.indexOf('|');
        return { pairId: Number(k.slice(0, bar)), itemKey: k.slice(bar + 1) };
      });
      if (roundId === null || items.length === 0) return;
      await attempt(async () => {
        const r = await call('review.settleMany', { roundId, items, asChecker });
        set((s) => ({
          reviewDisagreements: r.disagreements, reviewSelected: {},
          reviewAgreement: s.reviewAgreement && { ...s.reviewAgreement, disagreements: r.disagreements.length, settled: r.disagreements.filter((d) => d.adjudication).length },
          reviewTeamNotice: `Settled ${r.settled} disagreement${r.settled === 1 ? '' : 's'} ${asChecker === null ? 'as annotated' : `as ${asChecker} said`}${r.skipped ? `; ${r.skipped} skipped (${asChecker === null ? 'no longer disagreements' : `${asChecker} gave no verdict on them, or they are no longer disagreements`})` : ''}.`,
        }));
      });
    },

    setReviewSearch: (search) => set({ reviewSearch: search && { ...search, hits: null, total: 0 } }),

    async runReviewSearch() {
      const session = get().reviewSession;
      const search = get().reviewSearch;
      if (!session || !search) return;
      await attempt(async () => {
        const r = await call('review.search', { checkerId: session.checkerId, kind: search.kind, text: search.text, from: { position: session.position, itemKey: currentReviewItem(get())?.item?.key ?? null }, limit: 50 });
        set((s) => ({ reviewSearch: s.reviewSearch && { ...s.reviewSearch, hits: r.hits, total: r.total } }));
      });
    },

    async jumpReview(kind) {
      const session = get().reviewSession;
      if (!session) return;
      await attempt(async () => {
        const here = currentReviewItem(get());
        const r = await call('review.search', { checkerId: session.checkerId, kind, from: { position: session.position, itemKey: here?.item?.key ?? null }, limit: 1 });
        const hit = r.hits[0];
        if (!hit) return get().setReviewHint(kind === 'undecided' ? 'Nothing is left undecided in your pairs.' : 'No item of yours is answered differently by another checker.');
        moveTo({ position: hit.position, itemKey: hit.itemKey }, true);
        get().setReviewHint(`${kind === 'undecided' ? 'Next undecided' : 'Next disagreement'}: ${hit.what} (${r.total} in all).`);
      });
    },

    setReviewFocus: (index) => set((s) => ({ reviewFocus: Math.max(0, Math.min(index, (s.reviewDisagreements?.length ?? 1) - 1)) })),

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
