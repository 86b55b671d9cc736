// "Corrected by the check" (issue 15): the effect strengths of a judge on a group as annotated and as corrected by a
// review round's checked pairs. Shown in the Review view (its own tab) and in Dissect (a panel, off until turned on).
import type { StateCreator } from 'zustand';
import type { CorrectedReport, ReviewRound } from '../../../preload/contract';
import { call } from '../api';
import { errorMessage } from './shellSlice';
import type { Store } from './store';

export interface CorrectedRequest { roundId: number; judge: string; group: string; targetWidth: number }

export interface CorrectedSlice {
  /** The Review tab's choice of judge and group, and the interval width (as typed) the planning aims at. */
  correctedDraft: { judge: string; group: string; targetWidth: string };
  /** The last report asked for and what it was asked for (both views show it when their request matches). */
  correctedRequest: CorrectedRequest | null;
  correctedReport: CorrectedReport | null;
  correctedError: string | null;
  correctedLoading: boolean;
  /** Dissect's panel: the study's rounds, and the round whose check corrects the strengths shown (null: off). */
  correctedRounds: ReviewRound[] | null;
  dissectCorrectedRoundId: number | null;
  setCorrectedDraft(patch: Partial<CorrectedSlice['correctedDraft']>): void;
  loadCorrected(req: CorrectedRequest): Promise<void>;
  loadCorrectedRounds(): Promise<void>;
  setDissectCorrectedRound(roundId: number | null): void;
}

declare module './store' {
  interface Store extends CorrectedSlice {}
}

export const sameRequest = (a: CorrectedRequest | null, b: CorrectedRequest | null) =>
  a !== null && b !== null && a.roundId === b.roundId && a.judge === b.judge && a.group === b.group && a.targetWidth === b.targetWidth;

export const createCorrectedSlice: StateCreator<Store, [], [], CorrectedSlice> = (set, get) => ({
  correctedDraft: { judge: 'human', group: 'Communication', targetWidth: '1' },
  correctedRequest: null,
  correctedReport: null,
  correctedError: null,
  correctedLoading: false,
  correctedRounds: null,
  dissectCorrectedRoundId: null,

  setCorrectedDraft: (patch) => set((s) => ({ correctedDraft: { ...s.correctedDraft, ...patch } })),

  async loadCorrected(req) {
    set({ correctedRequest: req, correctedLoading: true, correctedError: null });
    try {
      const report = await call('review.corrected', req);
      if (sameRequest(get().correctedRequest, req)) set({ correctedReport: report });
    } catch (err) {
      // The reason (nothing checked yet, no such group) belongs beside the view, not in the app's error bar.
      if (sameRequest(get().correctedRequest, req)) set({ correctedReport: null, correctedError: errorMessage(err).message });
    }
    if (sameRequest(get().correctedRequest, req)) set({ correctedLoading: false });
  },

  async loadCorrectedRounds() {
    const studyId = get().selectedStudyId;
    if (studyId === null) return;
    try {
      const rounds = await call('review.rounds', { studyId });
      if (get().selectedStudyId !== studyId) return;
      set((s) => ({ correctedRounds: rounds, dissectCorrectedRoundId: rounds.some((r) => r.id === s.dissectCorrectedRoundId) ? s.dissectCorrectedRoundId : null }));
    } catch (err) {
      get().reportError('dissect', err);
    }
  },

  setDissectCorrectedRound: (roundId) => set({ dissectCorrectedRoundId: roundId }),
});
