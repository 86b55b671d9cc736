// One store, one slice per concern: the shell (view, app info, errors), studies (shared by the header and the
// views), and one per view. Components select several fields with useShallow. The store's type is the slices'
// interfaces joined (store.ts: each slice adds its own).
import { create } from 'zustand';
import { createShellSlice } from './shellSlice';
import { createStudiesSlice } from './studiesSlice';
import { createDataSlice } from './dataSlice';
import { createDissectSlice } from './dissectSlice';
import { createCompareSlice } from './compareSlice';
import { createReviewSlice } from './reviewSlice';
import { createAnnotateSlice } from './annotateSlice';
import { createCorrectedSlice } from './correctedSlice';
import { createSettingsSlice } from './settingsSlice';
import type { Store } from './store';

export type { Store };

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
