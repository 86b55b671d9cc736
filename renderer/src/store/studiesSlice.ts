// Studies: the list with counts, which one is current (shared by the header and every view), rename, delete.
import type { StateCreator } from 'zustand';
import type { StudySummary } from '../../../preload/contract';
import { call } from '../api';
import type { Store } from './store';

const SELECTED_KEY = 'preference-studio.selected-study';

export interface StudiesSlice {
  studies: StudySummary[];
  studiesLoading: boolean;
  /** False until the first list arrived, so "no studies" is not shown while loading. */
  studiesLoaded: boolean;
  selectedStudyId: number | null;
  /** The study whose rename or delete is running. */
  studyBusyId: number | null;
  loadStudies(): Promise<void>;
  selectStudy(studyId: number | null): void;
  renameStudy(studyId: number, name: string): Promise<boolean>;
  deleteStudy(studyId: number): Promise<boolean>;
}

declare module './store' {
  interface Store extends StudiesSlice {}
}

function storedStudyId(): number | null {
  try {
    const raw = window.localStorage.getItem(SELECTED_KEY);
    return raw === null ? null : Number(raw);
  } catch {
    return null;
  }
}

function storeStudyId(studyId: number | null): void {
  try {
    if (studyId === null) window.localStorage.removeItem(SELECTED_KEY);
    else window.localStorage.setItem(SELECTED_KEY, String(studyId));
  } catch {
    // Storage can be unavailable (private windows); the choice then lasts for this session only.
  }
}

/** Keeps the current study when it still exists; otherwise the last one chosen, then the demo, then the first. */
function pickStudy(studies: StudySummary[], current: number | null): number | null {
  const exists = (id: number | null) => id !== null && studies.some((s) => s.id === id);
  if (exists(current)) return current;
  const stored = storedStudyId();
  if (exists(stored)) return stored;
  return studies.find((s) => s.isDemo)?.id ?? studies[0]?.id ?? null;
}

export const createStudiesSlice: StateCreator<Store, [], [], StudiesSlice> = (set, get) => ({
  studies: [],
  studiesLoading: false,
  studiesLoaded: false,
  selectedStudyId: null,
  studyBusyId: null,

  async loadStudies() {
    set({ studiesLoading: true });
    try {
      const studies = await call('studies.list', {});
      set({ studies, studiesLoaded: true });
      get().clearError('studies');
      const next = pickStudy(studies, get().selectedStudyId);
      if (next !== get().selectedStudyId) get().selectStudy(next);
    } catch (err) {
      get().reportError('studies', err);
    } finally {
      set({ studiesLoading: false });
    }
  },

  selectStudy(studyId) {
    if (studyId === get().selectedStudyId) return;
    storeStudyId(studyId);
    set({ selectedStudyId: studyId });
    get().resetForStudy();
  },

  async renameStudy(studyId, name) {
    set({ studyBusyId: studyId });
    try {
      const updated = await call('studies.rename', { studyId, name });
      set((s) => ({ studies: s.studies.map((x) => (x.id === studyId ? updated : x)) }));
      get().clearError('studies');
      return true;
    } catch (err) {
      get().reportError('studies', err);
      return false;
    } finally {
      set({ studyBusyId: null });
    }
  },

  async deleteStudy(studyId) {
    set({ studyBusyId: studyId });
    try {
      await call('studies.delete', { studyId });
      get().clearError('studies');
      set((s) => ({ studies: s.studies.filter((x) => x.id !== studyId) }));
      if (get().selectedStudyId === studyId) get().selectStudy(pickStudy(get().studies, null));
      await get().loadStudies();
      return true;
    } catch (err) {
      get().reportError('studies', err);
      return false;
    } finally {
      set({ studyBusyId: null });
    }
  },
});
