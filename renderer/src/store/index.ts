// One store, one slice per concern: the shell (view, app info, errors), studies (shared by the header and the
// views), and the Data view. Components select several fields with useShallow.
import { create } from 'zustand';
import { createShellSlice, type ShellSlice } from './shellSlice';
import { createStudiesSlice, type StudiesSlice } from './studiesSlice';
import { createDataSlice, type DataSlice } from './dataSlice';

export type Store = ShellSlice & StudiesSlice & DataSlice;

export const useStudio = create<Store>()((...a) => ({
  ...createShellSlice(...a),
  ...createStudiesSlice(...a),
  ...createDataSlice(...a),
}));

/** The current study's summary (derived). */
export const selectCurrentStudy = (s: Store) => s.studies.find((x) => x.id === s.selectedStudyId) ?? null;
