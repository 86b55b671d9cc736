// One store, one slice per concern: the shell (view, app info, errors), studies (shared by the header and the
// views), and the Data view. Components select several fields with useShallow.
import { create } from 'zustand';
import { createShellSlice, type ShellSlice } from './shellSlice';
import { createStudiesSlice, type StudiesSlice } from './studiesSlice';
import { createDataSlice, type DataSlice } from './dataSlice';
import { createDissectSlice, type DissectSlice } from './dissectSlice';
import { createCompareSlice, type CompareSlice } from './compareSlice';
import { createReviewSlice, type ReviewSlice } from './reviewSlice';
import { createAnnotateSlice, type AnnotateSlice } from './annotateSlice';
import { createCorrectedSlice, type CorrectedSlice } from './correctedSlice';
import { createSettingsSlice, type SettingsSlice } from './settingsSlice';

export type Store = ShellSlice & StudiesSlice & DataSlice & DissectSlice & CompareSlice & ReviewSlice & AnnotateSlice & CorrectedSlice & SettingsSlice;

export const useStudio = create<Store>()((...a) => ({
  ...createShellSlice(...a),
  ...createStudiesSlice(...a),
  ...createDataSlice(...a),
  ...createDissectSlice(...a),
  ...createCompareSlice(...a),
  ...createReviewSlice(...a),
  ...createAnnotateSlice(...a),
  ...createCorrectedSlice(...a),
  ...createSettingsSlice(...a),
}));

/** The current study's summary (derived). */
export const selectCurrentStudy = (s: Store) => s.studies.find((x) => x.id === s.selectedStudyId) ?? null;
