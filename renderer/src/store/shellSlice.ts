// The shell: which view is showing, the app info for the header, and the one place errors are reported.
import type { StateCreator } from 'zustand';
import type { AppInfo } from '../../../preload/contract';
import { ApiError, call } from '../api';
import { viewFromHash, type ViewId } from '../lib/views';
import { keepTheme, storedTheme, type ThemeChoice } from '../lib/theme';
import { readStored, writeStored } from '../lib/persist';
import type { Store } from './store';

/** Where an error came from; a new error from the same source replaces the old one, a success clears it. */
export type ErrorSource = 'app' | 'studies' | 'facets' | 'pairs' | 'detail' | 'import' | 'properties'
  | 'dissect' | 'fit' | 'explain' | 'compare' | 'export'
  | 'review' | 'annotate' | 'settings';

export interface ShownError { source: ErrorSource; code: string; message: string }

export interface ShellSlice {
  view: ViewId;
  appInfo: AppInfo | null;
  appInfoLoading: boolean;
  errors: ShownError[];
  theme: ThemeChoice;
  /** The help overlay (keys of the view, the workflow guide), opened with "?". */
  helpOpen: boolean;
  /** The first-run guide was hidden for good. */
  guideHidden: boolean;
  setView(view: ViewId): void;
  setTheme(theme: ThemeChoice): void;
  setHelpOpen(open: boolean): void;
  setGuideHidden(hidden: boolean): void;
  loadAppInfo(): Promise<void>;
  reportError(source: ErrorSource, err: unknown): void;
  clearError(source: ErrorSource): void;
}

declare module './store' {
  interface Store extends ShellSlice {}
}

const GUIDE_KEY = 'preference-studio.guide-hidden';

export function errorMessage(err: unknown): { code: string; message: string } {
  if (err instanceof ApiError) return { code: err.code, message: err.message };
  if (err instanceof Error) return { code: 'CLIENT', message: err.message };
  return { code: 'CLIENT', message: String(err) };
}

export const createShellSlice: StateCreator<Store, [], [], ShellSlice> = (set) => ({
  view: viewFromHash(window.location.hash) ?? 'data',
  appInfo: null,
  appInfoLoading: false,
  errors: [],
  theme: storedTheme(),
  helpOpen: false,
  guideHidden: readStored<boolean>(GUIDE_KEY) === true,
  setView: (view) => set({ view }),
  setTheme: (theme) => {
    keepTheme(theme);
    set({ theme });
  },
  setHelpOpen: (helpOpen) => set({ helpOpen }),
  setGuideHidden: (guideHidden) => {
    writeStored(GUIDE_KEY, guideHidden ? true : null);
    set({ guideHidden });
  },
  async loadAppInfo() {
    set({ appInfoLoading: true });
    try {
      const appInfo = await call('app.info', {});
      set((s) => ({ appInfo, errors: s.errors.filter((e) => e.source !== 'app') }));
    } catch (err) {
      set((s) => ({ errors: upsert(s.errors, 'app', err) }));
    } finally {
      set({ appInfoLoading: false });
    }
  },
  reportError: (source, err) => set((s) => ({ errors: upsert(s.errors, source, err) })),
  clearError: (source) => set((s) => (s.errors.some((e) => e.source === source) ? { errors: s.errors.filter((e) => e.source !== source) } : s)),
});

function upsert(errors: ShownError[], source: ErrorSource, err: unknown): ShownError[] {
  return [{ source, ...errorMessage(err) }, ...errors.filter((e) => e.source !== source)];
}
