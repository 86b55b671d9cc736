// The Compare view: which judges (the study's fitted ones and the paper's 33), the judge groups for intra/inter
// similarity and the style/substance split as the user edited them (kept in localStorage, so an edit survives a
// restart), and the services' results.
import type { StateCreator } from 'zustand';
import type { JudgeGroup, JudgeRef, SimilarityResult, StyleSubstanceResult } from '../../../preload/contract';
import { call } from '../api';
import { readStored, writeStored } from '../lib/persist';
import type { Store } from './store';

const GROUPS_KEY = 'preference-studio.judge-groups';
const STYLE_KEY = 'preference-studio.style-properties';

export interface CompareSlice {
  /** The study's judges with a finished fit (loaded), and which of them are compared (null: all). */
  fittedJudges: string[];
  compareStudyJudges: string[] | null;
  comparePaperJudges: string[] | null;
  /** null: the services' default split by size. */
  judgeGroupsDraft: JudgeGroup[] | null;
  /** null: the app's default style properties. */
  styleDraft: string[] | null;
  similarity: SimilarityResult | null;
  styleResult: StyleSubstanceResult | null;
  compareLoading: boolean;
  setCompareStudyJudges(names: string[]): void;
  setComparePaperJudges(names: string[]): void;
  setJudgeGroupsDraft(groups: JudgeGroup[] | null): void;
  setStyleDraft(style: string[] | null): void;
  loadCompare(): Promise<void>;
}

declare module './store' {
  interface Store extends CompareSlice {}
}

/** The judges compared: the chosen study judges that have fits, and the chosen paper judges (all 33 by default). */
export function compareJudges(s: Pick<Store, 'fittedJudges' | 'compareStudyJudges' | 'comparePaperJudges' | 'paper'>): JudgeRef[] {
  const study = (s.compareStudyJudges ?? s.fittedJudges).filter((n) => s.fittedJudges.includes(n));
  const paper = s.comparePaperJudges ?? Object.keys(s.paper?.judgeSizes ?? {});
  return [...study.map((name) => ({ source: 'study' as const, name })), ...paper.map((name) => ({ source: 'paper' as const, name }))];
}

let request = 0;

export const createCompareSlice: StateCreator<Store, [], [], CompareSlice> = (set, get) => ({
  fittedJudges: [],
  compareStudyJudges: null,
  comparePaperJudges: null,
  judgeGroupsDraft: readStored<JudgeGroup[]>(GROUPS_KEY),
  styleDraft: readStored<string[]>(STYLE_KEY),
  similarity: null,
  styleResult: null,
  compareLoading: false,

  setCompareStudyJudges: (names) => {
    set({ compareStudyJudges: names });
    void get().loadCompare();
  },
  setComparePaperJudges: (names) => {
    set({ comparePaperJudges: names });
    void get().loadCompare();
  },
  setJudgeGroupsDraft: (groups) => {
    writeStored(GROUPS_KEY, groups);
    set({ judgeGroupsDraft: groups });
    void get().loadCompare();
  },
  setStyleDraft: (style) => {
    writeStored(STYLE_KEY, style);
    set({ styleDraft: style });
    void get().loadCompare();
  },

  async loadCompare() {
    const studyId = get().selectedStudyId;
    if (studyId === null) return;
    const mine = ++request;
    set({ compareLoading: true });
    try {
      await get().loadPaper();
      const fits = await call('dissect.fits', { studyId });
      const fittedJudges = [...new Set(fits.filter((f) => f.status === 'done').map((f) => f.judge))];
      set({ fittedJudges });
      const judges = compareJudges(get());
      const [similarity, styleResult] = await Promise.all([
        call('insight.similarity', { studyId, judges, judgeGroups: get().judgeGroupsDraft ?? undefined }),
        call('insight.styleSubstance', { studyId, judges, style: get().styleDraft ?? undefined }),
      ]);
      if (mine !== request) return;
      set({ similarity, styleResult });
      get().clearError('compare');
    } catch (err) {
      if (mine === request) get().reportError('compare', err);
    } finally {
      if (mine === request) set({ compareLoading: false });
    }
  },
});
